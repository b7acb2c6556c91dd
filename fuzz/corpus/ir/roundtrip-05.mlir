// The array form with dense_resource blobs stays in the array form.
sffnn.network @resources(%x: tensor<3xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<3xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, offsets = dense_resource<w_offsets> : tensor<3xi32>,
                              indices = dense_resource<w_indices> : tensor<3xi32>,
                              values = dense_resource<w_values> : tensor<3xf32>>
      bias dense_resource<w_bias> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w_offsets: "0x04000000000000000100000003000000",
      w_indices: "0x04000000010000000000000002000000",
      w_values: "0x040000000000003F000080BF0000803E",
      w_bias: "0x040000000000803F00000000"
    }
  }
#-}

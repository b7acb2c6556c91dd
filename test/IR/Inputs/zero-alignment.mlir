// A resource blob whose first four bytes, its alignment, are 0.
sffnn.network @zero_alignment(%x: tensor<3xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<3xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, offsets = dense_resource<w_offsets> : tensor<3xi32>,
                              indices = dense<[0, 1, 2]> : tensor<3xi32>,
                              values = dense<1.0> : tensor<3xf32>>
  sffnn.return %y : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w_offsets: "0x00000000000000000100000003000000"
    }
  }
#-}

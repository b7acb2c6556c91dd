// A resource blob holding fewer elements than its type declares.
sffnn.network @short_blob(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense<[0, 2]> : tensor<2xi32>,
                              indices = dense_resource<short> : tensor<2xi32>,
                              values = dense<1.0> : tensor<2xf32>>
  sffnn.return %y : tensor<1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x0400000000000000"
    }
  }
#-}

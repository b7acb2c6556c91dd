sffnn.network @offsets_decrease(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, offsets = dense<[0, 1, 0]> : tensor<3xi32>,
                              indices = dense<[0]> : tensor<1xi32>,
                              values = dense<[1.0]> : tensor<1xf32>>
  sffnn.return %y : tensor<2xf32>
}

sffnn.network @offsets_exceed(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense<[0, 2]> : tensor<2xi32>,
                              indices = dense<[0]> : tensor<1xi32>,
                              values = dense<[1.0]> : tensor<1xf32>>
  sffnn.return %y : tensor<1xf32>
}

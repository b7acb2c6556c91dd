sffnn.network @bias_size(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]> bias dense<[1.0, 2.0]> : tensor<2xf32>
  sffnn.return %y : tensor<1xf32>
}

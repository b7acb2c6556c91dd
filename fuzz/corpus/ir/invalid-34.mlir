sffnn.network @bias_not_finite(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, [[0: 1.0], []]>
      bias dense<[1.0, 0xFF800000]> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}

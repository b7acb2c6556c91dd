sffnn.network @columns(%x: tensor<3xf32>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<3xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

sffnn.network @input_type(%x: tensor<2xf64>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf64>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

sffnn.network @unsorted(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[1: 1.0, 0: 2.0]]>
  sffnn.return %y : tensor<1xf32>
}

// The attributes on their own.
sffnn.network @attrs(%x: tensor<1xf32>) -> tensor<1xf32> attributes {
    sffnn.test_activation = #sffnn.activation<leaky_relu(0.2)>,
    sffnn.test_matrix = #sffnn.csr<1x2, [[1: 3.0]]>} {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

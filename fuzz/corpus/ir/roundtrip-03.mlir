// Several arguments and results; a layer with no connections at all.
sffnn.network @multi(%a: tensor<2xf32>, %b: tensor<1xf32>) -> (tensor<1xf32>, tensor<2xf32>) {
  %p = sffnn.layer tanh(%a, %b) : (tensor<2xf32>, tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x3, [[0: 1.0, 1: 1.0, 2: 1.0]]>
  %q = sffnn.layer identity(%b) : (tensor<1xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x1, [[], []]> bias dense<[1.0, 2.0]> : tensor<2xf32>
  sffnn.return %p, %q : tensor<1xf32>, tensor<2xf32>
}

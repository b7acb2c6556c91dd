// Every activation kind, each with its parameters.
sffnn.network @activations(%x: tensor<1xf32>) -> tensor<1xf32> {
  %a = sffnn.layer identity(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %b = sffnn.layer relu(%a) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %c = sffnn.layer clamp(-1.0, 32.0)(%b) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %d = sffnn.layer sigmoid(%c) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %e = sffnn.layer tanh(%d) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %f = sffnn.layer leaky_relu(0.01)(%e) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %f : tensor<1xf32>
}

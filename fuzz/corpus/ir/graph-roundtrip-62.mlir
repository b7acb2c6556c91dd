// A layer followed by a graph op over its result and the input: neurons are
// numbered input (0, 1), layer (2, 3), graph op (4, 5); the result is the
// neuron-level form of the same network.
sffnn.network @mixed(%x: tensor<2xf32>) -> tensor<1xf32> {
  %h = sffnn.layer tanh(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, [[0: 1.0], [1: 2.0]]>
  %y = sffnn.graph(%h, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<2x6, [[0: 3.0, 5: 4.0], [2: 5.0]]>
      activations [relu] outputs [4]
  sffnn.return %y : tensor<1xf32>
}

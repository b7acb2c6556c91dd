// A neuron-level network with a skip connection (neuron 3 reads input 0),
// two activations with parameters, zero and non-zero biases, and outputs out
// of id order: it is written in the neuron-level TSV format.
sffnn.network @skip(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<2xf32>
      fan_in #sffnn.csr<3x5, [[0: 0.5, 1: -1.25], [0: 0.1, 2: 3.0], [3: 2.5]]>
      bias dense<[0.3, 0.0, -0.75]> : tensor<3xf32>
      activations [leaky_relu(0.01), clamp(0.0, 6.0)]
      activation_ids dense<[0, 1, 0]> : tensor<3xi8>
      outputs [4, 3]
  sffnn.return %y : tensor<2xf32>
}

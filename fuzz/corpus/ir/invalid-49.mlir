sffnn.network @graph_ids_range(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [relu, tanh]
      activation_ids dense<[2]> : tensor<1xi8> outputs [2]
  sffnn.return %y : tensor<1xf32>
}

sffnn.network @graph_output_count(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<2x4, [[0: 1.0], [2: 1.0]]> activations [relu] outputs [2, 3]
  sffnn.return %y : tensor<1xf32>
}

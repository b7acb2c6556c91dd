sffnn.network @graph_output_twice(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<2xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [relu] outputs [2, 2]
  sffnn.return %y : tensor<2xf32>
}

sffnn.network @graph_self_loop(%x: tensor<1xf32>) -> tensor<1xf32> {
  %y = sffnn.graph(%x) : (tensor<1xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x2, [[0: 1.0, 1: 1.0]]> activations [relu] outputs [1]
  sffnn.return %y : tensor<1xf32>
}

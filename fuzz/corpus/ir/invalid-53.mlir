sffnn.network @graph_cycle(%x: tensor<1xf32>) -> tensor<1xf32> {
  %y = sffnn.graph(%x) : (tensor<1xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<3x4, [[0: 1.0, 2: 1.0], [3: 1.0], [1: 1.0]]>
      activations [relu] outputs [3]
  sffnn.return %y : tensor<1xf32>
}

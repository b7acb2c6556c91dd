sffnn.network @graph_no_results(%x: tensor<1xf32>) -> tensor<1xf32> {
  sffnn.graph(%x) : (tensor<1xf32>) -> ()
      fan_in #sffnn.csr<1x2, [[0: 1.0]]> activations [relu] outputs []
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

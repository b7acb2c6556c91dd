//===----------------------------------------------------------------------===//
// sffnn.graph
//===----------------------------------------------------------------------===//

sffnn.network @graph_columns(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x4, [[0: 1.0]]> activations [relu] outputs [2]
  sffnn.return %y : tensor<1xf32>
}

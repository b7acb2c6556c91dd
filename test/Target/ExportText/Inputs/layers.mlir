// A chain of two layers with a softmax epilogue: it is written in the
// layered TSV format with an "epilogue" header line.
sffnn.network @layers(%x: tensor<3xf32>) -> tensor<2xf32>
    attributes {epilogue = #sffnn.epilogue<softmax>} {
  %h = sffnn.layer elu(1.5)(%x) : (tensor<3xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, [[0: 1.0, 2: -2.0], [1: 0.0625]]>
      bias dense<[0.0, -0.3]> : tensor<2xf32>
  %y = sffnn.layer identity(%h) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, [[1: 4.0], [0: -0.5, 1: 7.0]]>
  sffnn.return %y : tensor<2xf32>
}

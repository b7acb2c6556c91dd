// x = [x0, x1]; h = relu([x0 - x1 + 0.5, 2 x1]); y = [h0 + 0.25 h1, x0 - h1].
// For x = [1, 2]: h = [0, 4], y = [1, -3]. For x = [3, -1]: h = [4.5, 0],
// y = [4.5, 3].
sffnn.network @tiny(%x: tensor<2xf32>) -> tensor<2xf32> {
  %h = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, [[0: 1.0, 1: -1.0], [1: 2.0]]>
      bias dense<[0.5, 0.0]> : tensor<2xf32>
  %y = sffnn.layer identity(%h, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x4, [[0: 1.0, 1: 0.25], [1: -1.0, 2: 1.0]]>
  sffnn.return %y : tensor<2xf32>
}

// A skip connection (two inputs), a bias vector, a splat bias, an empty row
// (a neuron that is its bias alone) and no bias at all.
sffnn.network @skip(%x: tensor<4xf32>) -> tensor<2xf32> {
  %h = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0, 2: -0.5], [], [3: 2.0]]>
      bias dense<[0.0, 1.0, 0.0]> : tensor<3xf32>
  %y = sffnn.layer identity(%h, %x) : (tensor<3xf32>, tensor<4xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x7, [[0: 1.0, 5: 2.0], [1: 1.0, 6: 3.0]]>
      bias dense<0.5> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}

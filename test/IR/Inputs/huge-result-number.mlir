sffnn.network @graph(%x: tensor<2xf32>) -> (tensor<1xf32>, tensor<2xf32>) {
  %y:2 = sffnn.graph(%x) : (tensor<2xf32>) -> (tensor<1xf32>, tensor<2xf32>)
      fan_in #sffnn.csr<4x6, [[0: 1.0, 1: 2.0], [4: 1.0], [0: -1.0],
                              [2: 1.0, 3: 0.5]]>
      bias dense<[0.0, 1.0, 0.0, -1.0]> : tensor<4xf32>
      activations [relu, clamp(0.0, 6.0)]
      activation_ids dense<[0, 1, 0, 1]> : tensor<4xi8>
      outputs [5, 2, 3]
  sffnn.return %y#0, %y#4000000000 : tensor<1xf32>, tensor<2xf32>
}

// A small pruned MLP with a skip connection, in the sffnn dialect.
//
//   x (8 inputs) -> h1 (6, relu) -> h2 (4, relu, also reads x) -> y (3 outputs)
//
// Every layer keeps only the connections that survived pruning; inputs x6 and
// x7 lost all theirs. Run:
//
//   sffnn-opt examples/mlp-skip.mlir --sffnn-print-network-stats -o /dev/null
sffnn.network @mlp_skip(%x: tensor<8xf32>) -> tensor<3xf32> {
  %h1 = sffnn.layer relu(%x) : (tensor<8xf32>) -> tensor<6xf32>
      weights #sffnn.csr<6x8, [[0: 0.5, 3: -1.25],
                               [1: 0.75, 2: 0.5, 5: -0.5],
                               [0: -0.25, 4: 1.5],
                               [2: 1.0],
                               [3: 0.5, 4: -0.75, 5: 0.25],
                               [1: -1.0]]>
      bias dense<[0.1, 0.0, -0.2, 0.0, 0.05, 0.0]> : tensor<6xf32>
  %h2 = sffnn.layer relu(%h1, %x) : (tensor<6xf32>, tensor<8xf32>) -> tensor<4xf32>
      weights #sffnn.csr<4x14, [[0: 1.0, 2: -0.5, 6: 0.25],
                                [1: 0.5, 3: 0.75],
                                [4: -1.0, 5: 0.5, 9: 0.125],
                                [0: 0.25, 3: -0.25, 4: 0.5]]>
      bias dense<[0.0, 0.1, 0.0, -0.1]> : tensor<4xf32>
  %y = sffnn.layer identity(%h2, %h1) : (tensor<4xf32>, tensor<6xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x10, [[0: 1.5, 1: -0.5],
                                [2: 0.75, 3: 1.0, 9: -0.25],
                                [0: -1.0, 3: 0.5]]>
  sffnn.return %y : tensor<3xf32>
}

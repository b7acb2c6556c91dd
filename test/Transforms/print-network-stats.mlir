// RUN: sffnn-opt %s --split-input-file --sffnn-print-network-stats -o /dev/null | FileCheck %s

// A chain x -> a -> b with one non-zero bias.
// CHECK-LABEL: network @chain: layered, 2 layers
// CHECK-NEXT: N      = 3
// CHECK-NEXT: n_in   = 1
// CHECK-NEXT: n_in'  = 1
// CHECK-NEXT: |C|    = 2
// CHECK-NEXT: n_out  = 1
// CHECK-NEXT: W      = 2
// CHECK-NEXT: B      = 1
sffnn.network @chain(%x: tensor<1xf32>) -> tensor<1xf32> {
  %a = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 2.0]]> bias dense<1.0> : tensor<1xf32>
  %b = sffnn.layer identity(%a) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 3.0]]>
  sffnn.return %b : tensor<1xf32>
}

// -----

// A diamond x -> {a, b} -> y, biases all zero (an explicit zero bias counts
// nothing).
// CHECK-LABEL: network @diamond: layered, 2 layers
// CHECK-NEXT: N      = 4
// CHECK-NEXT: n_in   = 1
// CHECK-NEXT: n_in'  = 1
// CHECK-NEXT: |C|    = 3
// CHECK-NEXT: n_out  = 1
// CHECK-NEXT: W      = 4
// CHECK-NEXT: B      = 0
sffnn.network @diamond(%x: tensor<1xf32>) -> tensor<1xf32> {
  %ab = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x1, [[0: 1.0], [0: -1.0]]>
      bias dense<0.0> : tensor<2xf32>
  %y = sffnn.layer identity(%ab) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0, 1: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A complete bipartite 3x4 layer with every bias non-zero.
// CHECK-LABEL: network @bipartite: layered, 1 layers
// CHECK-NEXT: N      = 7
// CHECK-NEXT: n_in   = 3
// CHECK-NEXT: n_in'  = 3
// CHECK-NEXT: |C|    = 4
// CHECK-NEXT: n_out  = 4
// CHECK-NEXT: W      = 12
// CHECK-NEXT: B      = 4
sffnn.network @bipartite(%x: tensor<3xf32>) -> tensor<4xf32> {
  %y = sffnn.layer sigmoid(%x) : (tensor<3xf32>) -> tensor<4xf32>
      weights #sffnn.csr<4x3, [[0: 1.0, 1: 2.0, 2: 3.0], [0: 4.0, 1: 5.0, 2: 6.0],
                               [0: 7.0, 1: 8.0, 2: 9.0], [0: 1.5, 1: 2.5, 2: 3.5]]>
      bias dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  sffnn.return %y : tensor<4xf32>
}

// -----

// Unused inputs (x1 and x3 feed nothing), a skip connection from x0 to the
// output layer, and a hidden neuron that feeds no output.
// CHECK-LABEL: network @skip_unused: layered, 2 layers
// CHECK-NEXT: N      = 8
// CHECK-NEXT: n_in   = 4
// CHECK-NEXT: n_in'  = 2
// CHECK-NEXT: |C|    = 4
// CHECK-NEXT: n_out  = 2
// CHECK-NEXT: W      = 5
// CHECK-NEXT: B      = 2
sffnn.network @skip_unused(%x: tensor<4xf32>) -> tensor<2xf32> {
  %h = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x4, [[0: 1.0, 2: 1.0], []]>
      bias dense<[0.0, 3.0]> : tensor<2xf32>
  %y = sffnn.layer identity(%h, %x) : (tensor<2xf32>, tensor<4xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x6, [[0: 1.0, 2: 1.0], [0: 2.0]]>
      bias dense<[0.0, -1.0]> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}

// -----

// The neuron-level form.
// CHECK-LABEL: network @graph: neuron-level
// CHECK-NEXT: N      = 6
// CHECK-NEXT: n_in   = 2
// CHECK-NEXT: n_in'  = 2
// CHECK-NEXT: |C|    = 4
// CHECK-NEXT: n_out  = 3
// CHECK-NEXT: W      = 6
// CHECK-NEXT: B      = 2
sffnn.network @graph(%x: tensor<2xf32>) -> (tensor<1xf32>, tensor<2xf32>) {
  %y:2 = sffnn.graph(%x) : (tensor<2xf32>) -> (tensor<1xf32>, tensor<2xf32>)
      fan_in #sffnn.csr<4x6, [[0: 1.0, 1: 2.0], [4: 1.0], [0: -1.0],
                              [2: 1.0, 3: 0.5]]>
      bias dense<[0.0, 1.0, 0.0, -1.0]> : tensor<4xf32>
      activations [relu, clamp(0.0, 6.0)]
      activation_ids dense<[0, 1, 0, 1]> : tensor<4xi8>
      outputs [5, 2, 3]
  sffnn.return %y#0, %y#1 : tensor<1xf32>, tensor<2xf32>
}

// RUN: sffnn-opt %s --split-input-file --sffnn-io-bounds="fast-memory=3" | FileCheck %s --check-prefix=M3
// RUN: sffnn-opt %s --split-input-file --sffnn-io-bounds="fast-memory=16" | FileCheck %s --check-prefix=M16
// RUN: sffnn-opt %s --split-input-file --sffnn-io-bounds="fast-memory=3 report=true" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: not sffnn-opt %s --split-input-file --sffnn-io-bounds="fast-memory=2" 2>&1 | FileCheck %s --check-prefix=SMALL

// SMALL: error: fast memory must hold at least 3 words, got 2

// A chain x -> a -> b, bias on a. LB = W + B + n_in' + n_out = 2 + 1 + 1 + 1
// = 5; 2W + B + |C| = 4 + 1 + 2 = 7. With M = 3 the two-optimal plan keeps x_a
// in fast memory for b: UB(3) = LB.
// M3-LABEL: sffnn.network @chain
// M3-SAME: activation_lower_bound = 2 : i64, closed_form_upper_bound = 7 : i64, computed = 2 : i64, connections = 2 : i64, fast_memory = 3 : i64, inputs = 1 : i64, lower_bound = 5 : i64, neurons = 3 : i64, nonzero_biases = 1 : i64, outputs = 1 : i64, upper_bound = 5 : i64, upper_bound_activation = 2 : i64, used_inputs = 1 : i64, weight_traffic = 3 : i64
// M16-LABEL: sffnn.network @chain
// M16-SAME: lower_bound = 5 : i64
// M16-SAME: upper_bound = 5 : i64
// REPORT-LABEL: network @chain: I/O in words, fast memory M = 3
// REPORT-NEXT: N = 3, n_in = 1, n_in' = 1, |C| = 2, n_out = 1, W = 2, B = 1
// REPORT-NEXT: total     weight activation      /LB   act/LB
// REPORT-NEXT: lower bound LB                        5          3          2    1.00    1.00
// REPORT-NEXT: two-optimal plan UB(M)                5          3          2    1.00    1.00
// REPORT-NEXT: closed form 2W + B + |C|              7          3          4    1.40    2.00
sffnn.network @chain(%x: tensor<1xf32>) -> tensor<1xf32> {
  %a = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 2.0]]> bias dense<1.0> : tensor<1xf32>
  %b = sffnn.layer identity(%a) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 3.0]]>
  sffnn.return %b : tensor<1xf32>
}

// -----

// A diamond x -> {a, b} -> y, zero biases: LB = 4 + 0 + 1 + 1 = 6, closed
// form 8 + 0 + 3 = 11. With M = 3, computing b (acc_b, x, w) evicts x_a
// (spill + reload), and while y reads x_a (acc_y, x_a, w) x_b is spilled and
// reloaded: UB(3) = 1 input + 4 weights + 2 spills + 2 reloads + 1 output =
// 10. With M = 4 nothing is spilled: UB(4) = LB.
// M3-LABEL: sffnn.network @diamond
// M3-SAME: lower_bound = 6 : i64
// M3-SAME: upper_bound = 10 : i64, upper_bound_activation = 6 : i64
// M16-LABEL: sffnn.network @diamond
// M16-SAME: closed_form_upper_bound = 11 : i64
// M16-SAME: upper_bound = 6 : i64
// REPORT-LABEL: network @diamond
// REPORT: two-optimal plan UB(M)               10          4          6    1.67    3.00
sffnn.network @diamond(%x: tensor<1xf32>) -> tensor<1xf32> {
  %ab = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x1, [[0: 1.0], [0: -1.0]]>
  %y = sffnn.layer identity(%ab) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0, 1: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A complete bipartite 3x4 layer, every bias non-zero: LB = 12 + 4 + 3 + 4 =
// 23, closed form 24 + 4 + 4 = 32. With M = 3 (accumulator, source, weight)
// no input survives from one mac to the next: every mac reloads its source,
// and UB(3) = 32 = the closed form. With M = 16 everything fits: LB.
// M3-LABEL: sffnn.network @bipartite
// M3-SAME: closed_form_upper_bound = 32 : i64
// M3-SAME: lower_bound = 23 : i64
// M3-SAME: upper_bound = 32 : i64, upper_bound_activation = 16 : i64
// M16-LABEL: sffnn.network @bipartite
// M16-SAME: upper_bound = 23 : i64, upper_bound_activation = 7 : i64
sffnn.network @bipartite(%x: tensor<3xf32>) -> tensor<4xf32> {
  %y = sffnn.layer sigmoid(%x) : (tensor<3xf32>) -> tensor<4xf32>
      weights #sffnn.csr<4x3, [[0: 1.0, 1: 2.0, 2: 3.0], [0: 4.0, 1: 5.0, 2: 6.0],
                               [0: 7.0, 1: 8.0, 2: 9.0], [0: 1.5, 1: 2.5, 2: 3.5]]>
      bias dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  sffnn.return %y : tensor<4xf32>
}

// -----

// Unused inputs x1 and x3, a skip connection x0 -> y0, a hidden neuron h1
// that is its bias alone and feeds nothing: LB = 5 + 2 + 2 + 2 = 11, closed
// form 10 + 2 + 4 = 16. With M = 3: x0 is loaded for h0 and again for y0
// (3 input loads with x2), h0 is spilled while y0 reads x0 and reloaded for
// y1, 5 weights, 2 biases, 2 output stores: UB(3) = 3 + 5 + 2 + 1 + 1 + 2 =
// 14.
// M3-LABEL: sffnn.network @skip_unused
// M3-SAME: lower_bound = 11 : i64
// M3-SAME: upper_bound = 14 : i64, upper_bound_activation = 7 : i64, used_inputs = 2 : i64
// M16-LABEL: sffnn.network @skip_unused
// M16-SAME: closed_form_upper_bound = 16 : i64
// M16-SAME: upper_bound = 11 : i64
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

// The neuron-level form: x0, x1 -> 2, 4 -> 3 (ids out of topological order),
// 0 -> 4, {2, 3} -> 5. LB = 6 + 2 + 2 + 3 = 13; with M = 16, UB = LB.
// M16-LABEL: sffnn.network @graph
// M16-SAME: lower_bound = 13 : i64
// M16-SAME: upper_bound = 13 : i64
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

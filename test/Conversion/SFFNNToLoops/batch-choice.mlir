// RUN: sffnn-opt %s --sffnn-schedule="strategy=greedy fast-memory=4" --sffnn-lower-to-loops="codegen=auto batch-fast-memory=4 batch-block=16 vector-lanes=16" 2>/dev/null | FileCheck %s --check-prefix=PLAN
// RUN: sffnn-opt %s --sffnn-schedule="strategy=layerwise fast-memory=4" --sffnn-lower-to-loops="codegen=auto batch-fast-memory=4 batch-block=16 vector-lanes=16" 2>/dev/null | FileCheck %s --check-prefix=LAYERWISE

// Six independent chains x_i -> h1_i -> h2_i -> y_i of one connection each;
// ReLU, zero biases. Chain by chain (the greedy order) four slots hold a
// chain's accumulator, its source and a weight: every input is loaded once,
// every weight once and every output stored once, the lower bound (6 + 18
// loads, 6 stores; 12 activation values) without evicting. Layer by layer
// (csr's order) the six values of a layer do not fit: 9 spills and 9
// reloads (33 loads, 15 stores; 30 activation values).
//
// The cost model (getBlockCyclesPerSample, B = 16, 16 lanes): 18 macs at
// (1 + 2) / 2 / 16 cycles each = 1.69; the plan's words 18 / 16 + 12 at
// 4 / 32 cycles = 1.64, csr's 18 / 16 + 30 = 3.89. 1.25 x (1.69 + 1.64) =
// 4.16 < 1.69 + 3.89 = 5.58: auto keeps the plan's rows for NAME_batch.

// PLAN: batch_codegen = "loops"
// PLAN-SAME: batch_plan_activation_cost = 12 : i64, batch_plan_cost = 30 : i64, batch_plan_evicts = false, batch_plan_loads = 24 : i64, batch_plan_stores = 6 : i64, batch_strategy = "greedy"
// PLAN-LABEL: func.func @chains_batch(
// PLAN: llvm.mlir.addressof @chains_plan_row_io_ends

// Scheduled layer by layer, the plan is csr's own order: csr runs, with its
// plan's counts.

// LAYERWISE: batch_codegen = "csr"
// LAYERWISE-SAME: batch_plan_activation_cost = 30 : i64, batch_plan_cost = 48 : i64, batch_plan_evicts = true, batch_plan_loads = 33 : i64, batch_plan_stores = 15 : i64, batch_strategy = "layerwise"
// LAYERWISE-LABEL: func.func @chains_batch(
// LAYERWISE: llvm.mlir.addressof @chains_csr_row_starts

sffnn.network @chains(%x: tensor<6xf32>) -> tensor<6xf32> {
  %h1 = sffnn.layer relu(%x) : (tensor<6xf32>) -> tensor<6xf32>
      weights #sffnn.csr<6x6, [[0: 1.0], [1: 2.0], [2: 3.0], [3: 4.0], [4: 5.0], [5: 6.0]]>
  %h2 = sffnn.layer relu(%h1) : (tensor<6xf32>) -> tensor<6xf32>
      weights #sffnn.csr<6x6, [[0: 7.0], [1: 8.0], [2: 9.0], [3: 10.0], [4: 11.0], [5: 12.0]]>
  %y = sffnn.layer relu(%h2) : (tensor<6xf32>) -> tensor<6xf32>
      weights #sffnn.csr<6x6, [[0: 13.0], [1: 14.0], [2: 15.0], [3: 16.0], [4: 17.0], [5: 18.0]]>
  sffnn.return %y : tensor<6xf32>
}

// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=auto straight-limit=0 fast-memory=64 batch-fast-memory=64 batch-block=16 vector-lanes=16" | FileCheck %s

// One layer of 16 neurons over 48 inputs: neuron j reads x_j, x_{16+j} and
// x_{32+j} (weights j+1, j+2, j+3); ReLU, zero biases, every neuron an
// output. Every input is read once, so the plan never evicts at M = 64, and
// no groups of rows pay off: auto weighs csr against the plan's rows one at
// a time with the frame cache model (getSampleCycles), which gives either
// kernel's frame M x 4 / 2 = 128 bytes, two lines of 16 elements.
//
// csr: x[u] is neuron u's element. Copying the inputs touches lines 0, 1, 2
// in order (3 misses); row j then reads lines 0, 1, 2 and writes its own
// element 48 + j in line 3: four lines in turn through two, 4 misses a row,
// 3 + 16 x 4 = 67 in all.
//
// The plan: neuron j's accumulator and its three inputs take slots 4j to
// 4j + 3 (the row slots below), so its operations touch line j / 4 only,
// lines 0, 1, 2, 3 in order: 4 misses.
//
// 1.15 x (48 macs + 4 misses x 4 cycles) = 73.6 < 48 + 67 x 4 = 316: auto
// keeps the plan's rows for NAME.

// CHECK: batch_codegen = "csr"
// CHECK-SAME: codegen = "loops", csr_frame_misses = 67 : i64
// CHECK-SAME: group_lanes = 1 : i64
// CHECK-SAME: plan_frame_misses = 4 : i64
// CHECK-LABEL: func.func @spread(
// CHECK: llvm.mlir.addressof @spread_plan_sources
// CHECK: @spread_plan_row_slots(dense<[0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]>

sffnn.network @spread(%x: tensor<48xf32>) -> tensor<16xf32> {
  %h = sffnn.layer relu(%x) : (tensor<48xf32>) -> tensor<16xf32>
      weights #sffnn.csr<16x48, [
        [0: 1.0, 16: 2.0, 32: 3.0],
        [1: 2.0, 17: 3.0, 33: 4.0],
        [2: 3.0, 18: 4.0, 34: 5.0],
        [3: 4.0, 19: 5.0, 35: 6.0],
        [4: 5.0, 20: 6.0, 36: 7.0],
        [5: 6.0, 21: 7.0, 37: 8.0],
        [6: 7.0, 22: 8.0, 38: 9.0],
        [7: 8.0, 23: 9.0, 39: 10.0],
        [8: 9.0, 24: 10.0, 40: 11.0],
        [9: 10.0, 25: 11.0, 41: 12.0],
        [10: 11.0, 26: 12.0, 42: 13.0],
        [11: 12.0, 27: 13.0, 43: 14.0],
        [12: 13.0, 28: 14.0, 44: 15.0],
        [13: 14.0, 29: 15.0, 45: 16.0],
        [14: 15.0, 30: 16.0, 46: 17.0],
        [15: 16.0, 31: 17.0, 47: 18.0]]>
  sffnn.return %h : tensor<16xf32>
}

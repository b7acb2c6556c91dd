// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=csr batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=CSR
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=auto straight-limit=0 fast-memory=64 batch-fast-memory=64 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=AUTO
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=auto straight-limit=0 fast-memory=3 batch-fast-memory=64 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=EVICTS

// Inputs x0..x4; a <- {x0, ..., x4}, b <- {x0, x1, x2}; ReLU, zero biases,
// both are outputs. N = 7: x[7] is the zero.
//
// csr: 8 macs over 2 rows, 4 a row: 2 partial sums (one per 2 macs), and a
// block of 16 samples (one vector) would allow 16. Each row is padded to a
// multiple of 2 entries with weight 0 reading x[7]: a's 5 entries become 6,
// b's 3 become 4. The kernels of one sample and of blocks read the same
// tables. A block runs in its input staging buffer, which has room for all
// N + 1 elements: the zero goes to its element 7, and no loop copies the
// inputs before the rows.

// CSR: codegen = "csr"
// CSR-SAME: strategy = "layerwise"
// CSR-LABEL: func.func @padded(
// CSR: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CSR: %[[SIZE:.*]] = arith.constant 8 : i64
// CSR: %[[X:.*]] = llvm.alloca %[[SIZE]] x f32
// CSR: %[[AT:.*]] = llvm.getelementptr %[[X]][7]
// CSR-NEXT: llvm.store %[[ZERO]], %[[AT]]
// CSR: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32)
// CSR: math.fma {{.*}} : f32
// CSR: math.fma {{.*}} : f32
// CSR: @padded_csr_rows(dense<[5, 6]> : tensor<2xi8>)
// CSR: @padded_csr_row_starts(dense<[0, 6, 10]> : tensor<3xi8>)
// CSR: @padded_csr_columns(dense<[0, 1, 2, 3, 4, 7, 0, 1, 2, 7]> : tensor<10xi8>)
// CSR: @padded_csr_values(dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 0.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 0.000000e+00]> : tensor<10xf32>)
// CSR-LABEL: func.func @padded_batch(
// CSR: %[[STAGE:.*]] = llvm.alloca %c8_i64 x vector<16xf32>
// CSR: %[[AT16:.*]] = llvm.getelementptr %[[STAGE]][7] : (!llvm.ptr) -> !llvm.ptr, vector<16xf32>
// CSR-NEXT: llvm.store %{{.*}}, %[[AT16]]
// CSR-NEXT: scf.for
// CSR-NOT: scf.for
// CSR: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>)

// Past the straight-line limit, a plan that never evicts (M = 64, which the
// lowering caps at the 11 words that can be useful) runs as csr in both
// functions, and keeps its figures: 5 input loads, 8 weights, 2 output
// stores. In the frame cache model (one line: 11 x 4 / 2 bytes is less
// than a line) csr's 8 elements and the plan's 11 slots each lie in one
// line: one miss each, so csr's rows win.

// AUTO: batch_codegen = "csr"
// AUTO-SAME: codegen = "csr", csr_frame_misses = 1 : i64
// AUTO-SAME: plan_cost = 15 : i64, plan_frame_misses = 1 : i64, plan_loads = 13 : i64, plan_stores = 2 : i64, strategy = "two-optimal"
// AUTO-LABEL: func.func @padded(
// AUTO-NOT: @padded_plan_
// AUTO: @padded_csr_columns(dense<[0, 1, 2, 3, 4, 7, 0, 1, 2, 7]> : tensor<10xi8>)

// With M = 3, b reloads the inputs a read: the plan evicts, and its loops
// kernel runs.

// EVICTS: batch_codegen = "csr"
// EVICTS-SAME: codegen = "loops"
// EVICTS-LABEL: func.func @padded(
// EVICTS: @padded_plan_sources

sffnn.network @padded(%x: tensor<5xf32>) -> tensor<2xf32> {
  %h = sffnn.layer relu(%x) : (tensor<5xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x5, [[0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0, 4: 5.0], [0: 6.0, 1: 7.0, 2: 8.0]]>
  sffnn.return %h : tensor<2xf32>
}

// RUN: sffnn-opt %s --split-input-file --sffnn-lower-to-loops="codegen=loops fast-memory=4 batch-fast-memory=4 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=LOOPS
// RUN: sffnn-opt %s --split-input-file --sffnn-lower-to-loops="codegen=straight fast-memory=4 batch-fast-memory=4 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=STRAIGHT
// RUN: sffnn-opt %s --split-input-file --sffnn-lower-to-loops="codegen=auto fast-memory=4 batch-fast-memory=4 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=AUTO
// RUN: sffnn-opt %s --split-input-file --sffnn-lower-to-loops="codegen=csr batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=CSR
// RUN: sffnn-opt %s --split-input-file --sffnn-lower-to-loops="codegen=loops fast-memory=4 batch-fast-memory=3 batch-block=16 vector-lanes=4" | FileCheck %s --check-prefix=TILES
// RUN: not sffnn-opt %s --split-input-file --sffnn-lower-to-loops="batch-fast-memory=2" 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: not sffnn-opt %s --split-input-file --sffnn-lower-to-loops="codegen=vector" 2>&1 | FileCheck %s --check-prefix=BADMODE

// Inputs x0..x3; a <- {x0, x1}, b <- {x2, x3}, c <- {x0, x1}; ReLU, zero
// biases, all three are outputs. The two-optimal order a, b, c with M = 4
// (test/Transforms/schedule.mlir) keeps x0 in slot 1 and reloads x1 for c:
// 5 input loads + 6 weights = 11 loads, 3 output stores.
//
// The loops kernel's frame: slots 0-3, inputs 4-7, outputs 8-10, the zero
// 11. Row a (slot 0) first copies x0 into slot 1 (c reads it again); x1 is
// read by a single mac before it is evicted, so that load is fused: the mac
// reads frame element 5. Row b (slot 3) first stores a (slot 0 -> output
// 8), its loads of x2 and x3 fused. Row c (slot 0) first stores b (slot 3 ->
// 9), reads x0 from slot 1 and x1, reloaded and fused, from 5. The store of
// c (0 -> 10) follows the last row. A row's macs run oldest source first
// (inputs, never written, before slot 1, written by a's copy), the newest
// in a last mac apart; the others are padded ahead to 4 macs with weight 0
// reading the zero: 5 macs a row. No row's last mac reads the slot the row
// before wrote (flag 4); all rows finish (flag 2) in one ReLU segment.

// LOOPS: sffnn.lowered = [{batch_block = 16 : i64, batch_codegen = "loops", batch_fast_memory = 4 : i64, batch_plan_activation_cost = 8 : i64, batch_plan_cost = 14 : i64, batch_plan_evicts = true, batch_plan_loads = 11 : i64, batch_plan_stores = 3 : i64, batch_strategy = "two-optimal", batch_tile_rows = 1 : i64, codegen = "loops", csr_frame_misses = 0 : i64, fast_memory = 4 : i64, group_lanes = 1 : i64, inputs = 4 : i64, kernel_ops = 17 : i64, name = "reuse", outputs = 3 : i64, permute_block = 0 : i64, plan_activation_cost = 8 : i64, plan_cost = 14 : i64, plan_frame_misses = 0 : i64, plan_loads = 11 : i64, plan_stores = 3 : i64, strategy = "two-optimal"}]
// LOOPS-LABEL: func.func @reuse(
// LOOPS-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// LOOPS: llvm.alloca %{{.*}} x f32 {alignment = 64 : i64}
// LOOPS: scf.for
// LOOPS: math.fma {{.*}} : f32
// LOOPS: arith.cmpf olt
// LOOPS: arith.select
// LOOPS-NOT: scf.index_switch
// LOOPS: @reuse_plan_segment_activations(dense<0> : tensor<1xi8>)
// LOOPS: @reuse_plan_segment_row_ends(dense<3> : tensor<1xi8>)
// LOOPS: @reuse_plan_sources(dense<[11, 11, 11, 5, 1, 11, 11, 11, 6, 7, 11, 11, 11, 5, 1]> : tensor<15xi8>)
// LOOPS: @reuse_plan_weights(dense<[0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 6.000000e+00, 5.000000e+00]> : tensor<15xf32>)
// LOOPS: @reuse_plan_io_from(dense<[4, 0, 3, 0]> : tensor<4xi8>)
// LOOPS: @reuse_plan_io_to(dense<[1, 8, 9, 10]> : tensor<4xi8>)
// LOOPS: @reuse_plan_row_slots(dense<[0, 3, 0]> : tensor<3xi8>)
// LOOPS: @reuse_plan_row_flags(dense<2> : tensor<3xi8>)
// LOOPS: @reuse_plan_row_biases(dense<0.000000e+00> : tensor<3xf32>)
// LOOPS: @reuse_plan_row_mac_ends(dense<[5, 10, 15]> : tensor<3xi8>)
// LOOPS: @reuse_plan_row_io_ends(dense<[1, 2, 3]> : tensor<3xi8>)
// LOOPS-LABEL: func.func @reuse_batch(
// LOOPS-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64)
// LOOPS-DAG: llvm.alloca %{{.*}} x vector<16xf32> {alignment = 64 : i64}
// LOOPS-DAG: llvm.alloca %{{.*}} x vector<8xf32> {alignment = 64 : i64}
// LOOPS: math.fma {{.*}} : vector<16xf32>
// LOOPS: math.fma {{.*}} : vector<8xf32>

// Straight-line code: one instruction per plan step with constant slots and
// constant weights, no loop; x0 stays in a register for c, x1 is loaded
// again. The batch function runs the loops kernel of the batch plan.

// STRAIGHT: codegen = "straight"
// STRAIGHT-LABEL: func.func @reuse(
// STRAIGHT-NOT: scf.for
// STRAIGHT: %[[X0:.*]] = llvm.load %arg0 {alignment = 4 : i64} : !llvm.ptr -> f32
// STRAIGHT: %[[P1:.*]] = llvm.getelementptr %arg0[1]
// STRAIGHT: %[[X1:.*]] = llvm.load %[[P1]]
// STRAIGHT: %[[M:.*]] = arith.mulf %[[X1]], %{{.*}} : f32
// STRAIGHT: %[[A:.*]] = arith.addf %[[X0]], %[[M]] : f32
// STRAIGHT: %[[NEG:.*]] = arith.cmpf olt, %[[A]], %{{.*}} : f32
// STRAIGHT: %[[R:.*]] = arith.select %[[NEG]], %{{.*}}, %[[A]] : f32
// STRAIGHT: llvm.store %[[R]], %arg1
// STRAIGHT: arith.mulf %[[X0]], %{{.*}} : f32
// STRAIGHT: llvm.getelementptr %arg0[1]
// STRAIGHT: return
// STRAIGHT-LABEL: func.func @reuse_batch(
// STRAIGHT: llvm.mlir.addressof @reuse_plan_sources
// STRAIGHT: math.fma {{.*}} : vector<16xf32>

// Auto takes straight-line code for a kernel this small.

// AUTO: codegen = "straight"

// Layerwise CSR inference, not plan-based: x[N] and its tables.

// CSR: codegen = "csr"
// CSR-SAME: strategy = "layerwise"
// CSR-LABEL: func.func @reuse(
// CSR: llvm.alloca %{{.*}} x f32
// CSR: @reuse_csr_rows(dense<[4, 5, 6]> : tensor<3xi8>)
// CSR: @reuse_csr_row_starts(dense<[0, 2, 4, 6]> : tensor<4xi8>)
// CSR: @reuse_csr_columns(dense<[0, 1, 2, 3, 0, 1]> : tensor<6xi8>)
// CSR: @reuse_csr_values(dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]> : tensor<6xf32>)
// CSR-LABEL: func.func @reuse_batch(

// With 4-lane machine vectors, whole blocks transpose in 4 x 4 tiles: two
// stages of shuffles. The batch plan with M = 3 is its own plan, with its
// own tables.

// TILES: batch_fast_memory = 3 : i64
// TILES-LABEL: func.func @reuse_batch(
// TILES: llvm.mlir.addressof @reuse_block_plan_sources
// TILES: vector.shuffle %{{.*}}, %{{.*}} [0, 4, 2, 6] : vector<4xf32>, vector<4xf32>
// TILES: vector.shuffle %{{.*}}, %{{.*}} [1, 5, 3, 7] : vector<4xf32>, vector<4xf32>
// TILES: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 4, 5] : vector<4xf32>, vector<4xf32>
// TILES: vector.shuffle %{{.*}}, %{{.*}} [2, 3, 6, 7] : vector<4xf32>, vector<4xf32>

// SMALL: error: batch-fast-memory: fast memory must hold at least 3 blocks, got 2
// BADMODE: for the --codegen option: Cannot find option named 'vector'!

sffnn.network @reuse(%x: tensor<4xf32>) -> tensor<3xf32> {
  %y = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0, 1: 2.0], [2: 3.0, 3: 4.0], [0: 5.0, 1: 6.0]]>
  sffnn.return %y : tensor<3xf32>
}

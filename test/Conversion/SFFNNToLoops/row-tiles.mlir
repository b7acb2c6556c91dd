// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=loops fast-memory=4 batch-fast-memory=16 batch-block=16 vector-lanes=16 batch-tile-rows=2" | FileCheck %s --check-prefix=TILES
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=auto fast-memory=4 batch-fast-memory=16 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=AUTO
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=auto fast-memory=4 batch-fast-memory=3 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=EVICTS
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=loops fast-memory=4 batch-fast-memory=3 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=PLAN3
// RUN: sffnn-opt %s --sffnn-schedule="strategy=layerwise fast-memory=4" --sffnn-lower-to-loops="codegen=loops batch-fast-memory=3 batch-block=16 vector-lanes=16" 2>/dev/null | FileCheck %s --check-prefix=LAYERWISE3
// RUN: not sffnn-opt %s --sffnn-lower-to-loops="batch-tile-rows=17" 2>&1 | FileCheck %s --check-prefix=TOOMANY

// Inputs x0..x3; a <- {x0, x1}, b <- {x2, x3}, c <- {x0, x1}; y <- {a, b, c};
// ReLU, zero biases. With M_B = 16 (capped at the 14 slots a plan can use)
// the batch plan never evicts: 4 input loads, 9 weights, 1 output store.
//
// Tiles of 2 rows. The frame: slots 0-13, inputs 14-17, the output 18, the
// zero 19, the sink 20. x0 and x1 (read twice) are loaded into slots 0 and 2
// before the first tile; x2 and x3 (read once) are fused: b reads 16 and 17.
// a, b and c form one window (none reads what another writes); sorted by
// their sources, a (slot 1) and c (slot 6) share a tile whose two columns
// read slots 0 and 2 for both rows (weights 1, 5 and 2, 6); b (slot 4) and
// the sink share the next. y (slot 7) reads a, b and c: a window of its own,
// with the sink. The store of y (7 -> 18) follows the last tile.

// TILES: batch_codegen = "loops"
// TILES-SAME: batch_plan_evicts = false, batch_plan_loads = 13 : i64, batch_plan_stores = 1 : i64, batch_strategy = "two-optimal", batch_tile_rows = 2 : i64
// TILES-LABEL: func.func @tiles_batch(
// TILES: scf.for
// TILES: math.fma {{.*}} : vector<16xf32>
// TILES: math.fma {{.*}} : vector<16xf32>
// TILES: @tiles_block_plan_segment_tile_ends(dense<3> : tensor<1xi8>)
// TILES: @tiles_block_plan_sources(dense<[0, 2, 16, 17, 1, 4, 6]> : tensor<7xi8>)
// TILES: @tiles_block_plan_weights(dense<[1.000000e+00, 5.000000e+00, 2.000000e+00, 6.000000e+00, 3.000000e+00, 0.000000e+00, 4.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<14xf32>)
// TILES: @tiles_block_plan_io_from(dense<[14, 15, 7]> : tensor<3xi8>)
// TILES: @tiles_block_plan_io_to(dense<[0, 2, 18]> : tensor<3xi8>)
// TILES: @tiles_block_plan_tile_slots(dense<[1, 6, 4, 20, 7, 20]> : tensor<6xi8>)
// TILES: @tiles_block_plan_tile_flags(dense<[2, 2, 2, 0, 2, 0]> : tensor<6xi8>)
// TILES: @tiles_block_plan_tile_column_ends(dense<[2, 4, 7]> : tensor<3xi8>)
// TILES: @tiles_block_plan_tile_io_ends(dense<2> : tensor<3xi8>)

// Auto: tiles of this network do not pay off (the cost model), and the
// layerwise order never evicts either, so NAME_batch runs layerwise CSR,
// which moves the same words; the report gives its plan's counts.

// AUTO: batch_codegen = "csr"
// AUTO-SAME: batch_plan_evicts = false, batch_plan_loads = 13 : i64, batch_plan_stores = 1 : i64, batch_strategy = "layerwise", batch_tile_rows = 1 : i64
// AUTO-LABEL: func.func @tiles_batch(
// AUTO: llvm.mlir.addressof @tiles_csr_row_starts

// With M_B = 3 both orders evict, and the two-optimal plan moves as many
// words as the layerwise order's (13 activation values, 9 weights; PLAN3 and
// LAYERWISE3): its rows would cost more than csr's, so auto runs csr, with
// the layerwise plan's counts.

// EVICTS: batch_codegen = "csr"
// EVICTS-SAME: batch_plan_activation_cost = 13 : i64, batch_plan_cost = 22 : i64, batch_plan_evicts = true, batch_plan_loads = 18 : i64, batch_plan_stores = 4 : i64, batch_strategy = "layerwise", batch_tile_rows = 1 : i64
// EVICTS-LABEL: func.func @tiles_batch(
// EVICTS: llvm.mlir.addressof @tiles_csr_row_starts
// PLAN3: batch_codegen = "loops"
// PLAN3-SAME: batch_plan_activation_cost = 13 : i64, batch_plan_cost = 22 : i64, batch_plan_evicts = true, batch_plan_loads = 18 : i64, batch_plan_stores = 4 : i64, batch_strategy = "two-optimal"
// LAYERWISE3: batch_plan_activation_cost = 13 : i64, batch_plan_cost = 22 : i64, batch_plan_evicts = true, batch_plan_loads = 18 : i64, batch_plan_stores = 4 : i64, batch_strategy = "layerwise"

// TOOMANY: error: batch-tile-rows must be at most 16, got 17

sffnn.network @tiles(%x: tensor<4xf32>) -> tensor<1xf32> {
  %h = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0, 1: 2.0], [2: 3.0, 3: 4.0], [0: 5.0, 1: 6.0]]>
  %y = sffnn.layer relu(%h) : (tensor<3xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x3, [[0: 1.0, 1: 1.0, 2: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

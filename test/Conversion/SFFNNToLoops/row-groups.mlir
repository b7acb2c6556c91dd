// RUN: sffnn-opt %s --mlir-print-elementsattrs-with-hex-if-larger=-1 --sffnn-lower-to-loops="codegen=loops fast-memory=8 batch-block=16 vector-lanes=16 row-groups=gather" | FileCheck %s --check-prefixes=COMMON,GATHER
// RUN: sffnn-opt %s --mlir-print-elementsattrs-with-hex-if-larger=-1 --sffnn-lower-to-loops="codegen=loops fast-memory=8 batch-block=16 vector-lanes=16 row-groups=permute" | FileCheck %s --check-prefixes=COMMON,PERMUTE
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=loops fast-memory=8 batch-block=16 vector-lanes=8 row-groups=permute" | FileCheck %s --check-prefix=AVX
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=loops fast-memory=8 batch-block=16 vector-lanes=16" | FileCheck %s --check-prefix=AUTO
// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=loops fast-memory=8 batch-block=16 vector-lanes=16 row-groups=none" | FileCheck %s --check-prefix=AUTO
// RUN: not sffnn-opt %s --sffnn-lower-to-loops="row-groups=lanes" 2>&1 | FileCheck %s --check-prefix=BAD

// Inputs x0..x3 in frame elements 8-11, M = 8 slots, outputs 12-13, the
// zero 14; one row per neuron (no padding to 4 in groups):
//   p <- {x0}: 1 mac, slot 0;  q <- {x0, x1, x2}: 3 macs, slot 2;
//   r <- {x1, x3}: 2 macs, slot 5  (ReLU, biases 0.5, -0.5, 0.25);
//   y0 <- {p, q, r} (1, -1, 2): slot 7;  y1 <- {r} (3): slot 6.
// x0 and x1 are read twice: loaded into slots 1 and 3 (events 0 and 1);
// x2 and x3 are read once: their loads are fused (frame 10 and 11).
//
// p, q and r form one window (none reads what another writes): one group,
// longest row first (q, r, p), its two input loads ahead of it. y0 joins a
// new window (it reads p, q and r). y0's output store (slot 7 -> 12) is
// y1's event, and reads what y0 writes: y1 starts a third window. y1's
// store (6 -> 13) follows the last group. Unused lanes write to the sink.

// COMMON: group_lanes = 16 : i64
// GATHER-SAME: permute_block = 0 : i64
// PERMUTE-SAME: permute_block = 31 : i64
// COMMON-LABEL: func.func @lengths(
// PERMUTE: %[[HIGH:.*]] = arith.constant dense<[true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, false]> : vector<16xi1>
// PERMUTE: llvm.alloca %c46_i64 x f32
// COMMON: llvm.intr.masked.gather {{.*}} : (vector<16x!llvm.ptr>, vector<16xi1>, vector<16xf32>) -> vector<16xf32>
// PERMUTE: arith.select %[[HIGH]], %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// PERMUTE: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// GATHER-NOT: vpermi2var
// GATHER: llvm.intr.masked.gather {{.*}} : (vector<16x!llvm.ptr>, vector<16xi1>) -> vector<16xf32>
// COMMON: math.fma {{.*}} : vector<16xf32>
// COMMON: llvm.intr.masked.scatter
// COMMON: @lengths_plan_segment_activations(dense<[0, 1]> : tensor<2xi8>)
// COMMON: @lengths_plan_segment_group_ends(dense<[1, 3]> : tensor<2xi8>)

// Gather columns: column k holds the k-th mac of each lane; padding reads
// the zero (14) with weight 0.
// GATHER: @lengths_plan_sources(dense<[1, 3, 1, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 3, 11, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 10, 14, {{.*}}]> : tensor<112xi8>)
// GATHER: @lengths_plan_weights(dense<[2.000000e+00, 5.000000e+00, 1.000000e+00, 0.000000e+00, {{.*}}]> : tensor<112xf32>)

// Both kinds: the window's events first, then its group.
// COMMON: @lengths_plan_io_from(dense<[8, 9, 7, 6]> : tensor<4xi8>)
// COMMON: @lengths_plan_io_to(dense<[1, 3, 12, 13]> : tensor<4xi8>)
// COMMON: @lengths_plan_lane_slots(dense<[2, 5, 0, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 7, 15, {{.*}}, 6, 15, {{.*}}]> : tensor<48xi8>)
// COMMON: @lengths_plan_lane_flags(dense<[2, 2, 2, 0, {{.*}}]> : tensor<48xi8>)
// COMMON: @lengths_plan_lane_biases(dense<[-5.000000e-01, 2.500000e-01, 5.000000e-01, 0.000000e+00, {{.*}}]> : tensor<48xf32>)
// GATHER: @lengths_plan_group_column_ends(dense<[3, 6, 7]> : tensor<3xi8>)
// PERMUTE: @lengths_plan_group_column_ends(dense<0> : tensor<3xi8>)
// COMMON: @lengths_plan_group_io_ends(dense<[2, 2, 3]> : tensor<3xi8>)

// Permute columns: a block is up to 31 consecutive frame elements from
// its first source on. Each group's sources fit one block: group 0 reads
// 1, 3, 10 and 11 (block from 1), group 1 reads 0, 2 and 5 (from 0), group
// 2 reads 5 (from 5). Each has one run, padded to a multiple of 4 columns
// (the partial sums). A run loads 32 elements from its base as two vectors
// and zeroes the last lane (past the block); the frame is 15 elements, the
// sink and room for a block from its last element: 46. The offsets come
// packed by quads of columns, one i32 per lane with column c in byte c:
// lane 0 of group 0 (q) reads offsets 0, 2, 9, lane 1 (r) 2, 10, lane 2
// (p) 0; padding is offset 31, the zeroed lane. (The function's checks are
// above, with the other kinds'.)
// PERMUTE: @lengths_plan_group_run_ends(dense<[1, 2, 3]> : tensor<3xi8>)
// PERMUTE: @lengths_plan_run_bases(dense<[1, 0, 5]> : tensor<3xi8>)
// PERMUTE: @lengths_plan_run_column_ends(dense<[4, 8, 12]> : tensor<3xi8>)
// PERMUTE: @lengths_plan_permute_offsets(dense<[0, 2, 9, 31, 2, 10, 31, 31, 0, 31, 31, 31, 31, {{.*}}, 31, 0, 2, 5, 31, 31, {{.*}}, 31, 0, 31, 31, 31, 31, {{.*}}]> : tensor<192xi8>)
// PERMUTE-NOT: permute_masks
// PERMUTE: @lengths_plan_permute_weights(dense<[2.000000e+00, 5.000000e+00, 1.000000e+00, 0.000000e+00, {{.*}}]> : tensor<192xf32>)

// The batch function runs rows, with tables of its own.
// COMMON-LABEL: func.func @lengths_batch(
// COMMON: @lengths_block_plan_row_slots

// Without AVX-512 (8 lanes) there are no permute columns.
// AVX: group_lanes = 8 : i64
// AVX-SAME: permute_block = 0 : i64
// AVX-NOT: vpermi2var

// For a network this small, one row at a time costs less.
// AUTO: group_lanes = 1 : i64
// AUTO-NOT: llvm.intr.masked.gather
// AUTO: @lengths_plan_row_slots

// BAD: for the --row-groups option: Cannot find option named 'lanes'!

sffnn.network @lengths(%x: tensor<4xf32>) -> tensor<2xf32> {
  %h = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0], [0: 2.0, 1: 3.0, 2: 4.0], [1: 5.0, 3: 6.0]]>
      bias dense<[0.5, -0.5, 0.25]> : tensor<3xf32>
  %y = sffnn.layer identity(%h) : (tensor<3xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, [[0: 1.0, 1: -1.0, 2: 2.0], [2: 3.0]]>
  sffnn.return %y : tensor<2xf32>
}

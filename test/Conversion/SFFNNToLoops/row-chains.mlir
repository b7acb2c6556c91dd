// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=loops fast-memory=4 batch-block=16 vector-lanes=16 row-groups=none" | FileCheck %s

// One row of 6 macs: its last mac apart (source 9), the other 5 padded
// with the zero (13: inputs 4-11, output 12) ahead of them to 8 = 2 x
// kPartialSums, 9 in all. Rows of 6 macs on average get 6 / 2 = 3 partial
// sums, rounded down to 2 so that they divide the dot product's step of
// kPartialSums macs: 3 sums would take terms 0-2, 3-5 and 6-8 of a step
// past the row's 8 and return a wrong sum.

// Rows of 9 macs (more than 8 on average) do not prefetch.

// CHECK-LABEL: func.func @six(
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1_i64 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (i64, i64, f32)
// CHECK-NOT: llvm.intr.prefetch
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4_i64 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32)
// CHECK: @six_plan_sources(dense<[13, 13, 13, 4, 5, 6, 7, 8, 9]> : tensor<9xi8>)
// CHECK: @six_plan_row_mac_ends(dense<9> : tensor<1xi8>)
sffnn.network @six(%x: tensor<8xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<8xf32>) -> tensor<1xf32> weights #sffnn.csr<1x8, [[0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0, 4: 5.0, 5: 6.0]]> bias dense<[0.5]> : tensor<1xf32>
  sffnn.return %y : tensor<1xf32>
}

// A chain a <- x0, x1; b <- a; c <- b (ReLU). Each row's newest source goes
// into its last mac, after 4 macs of padding: a's is x1 (inputs are never
// written, so they keep their order; the zero is 7), b's is a (slot 0) and
// c's is b (slot 3), each the slot the row before wrote, unchanged since: flag 4 (LastFromPrevious) with 2
// (Finishes). The kernel takes that value from a register: its row loop
// carries an f32, and the last mac selects it. Rows of 5 macs prefetch the
// weights and the sources ahead.

// CHECK-LABEL: func.func @chain(
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1_i64 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %[[PREV:.*]] = %{{.*}}) -> (i64, i64, f32)
// CHECK-COUNT-2: "llvm.intr.prefetch"
// CHECK: arith.select %{{.*}}, %[[PREV]], %{{.*}} : f32
// CHECK: @chain_plan_sources(dense<[7, 7, 7, 4, 5, 7, 7, 7, 7, 0, 7, 7, 7, 7, 3]> : tensor<15xi8>)
// CHECK: @chain_plan_row_slots(dense<[0, 3, 2]> : tensor<3xi8>)
// CHECK: @chain_plan_row_flags(dense<[2, 6, 6]> : tensor<3xi8>)
// CHECK: @chain_plan_row_mac_ends(dense<[5, 10, 15]> : tensor<3xi8>)
sffnn.network @chain(%x: tensor<2xf32>) -> tensor<1xf32> {
  %a = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32> weights #sffnn.csr<1x2, [[0: 1.0, 1: 2.0]]> bias dense<[0.0]> : tensor<1xf32>
  %b = sffnn.layer relu(%a) : (tensor<1xf32>) -> tensor<1xf32> weights #sffnn.csr<1x1, [[0: 3.0]]> bias dense<[0.0]> : tensor<1xf32>
  %c = sffnn.layer relu(%b) : (tensor<1xf32>) -> tensor<1xf32> weights #sffnn.csr<1x1, [[0: 4.0]]> bias dense<[0.0]> : tensor<1xf32>
  sffnn.return %c : tensor<1xf32>
}

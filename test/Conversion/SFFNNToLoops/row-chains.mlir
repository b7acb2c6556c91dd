// RUN: sffnn-opt %s --sffnn-lower-to-loops="codegen=loops fast-memory=4 batch-block=16 vector-lanes=16 row-groups=none" | FileCheck %s

// One row of 6 macs, padded with the zero (13: inputs 4-11, output 12) to
// 8 = 2 x kPartialSums. Rows of 6 macs on average get 6 / 2 = 3 partial
// sums, rounded down to 2 so that the dot product's step divides the
// padding: a step of 3 would read macs 0-8, past the row (the table has
// 8 entries), and return a wrong sum.

// CHECK-LABEL: func.func @six(
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c2_i64 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32)
// CHECK: @six_plan_sources(dense<[4, 5, 6, 7, 8, 9, 13, 13]> : tensor<8xi8>)
// CHECK: @six_plan_row_mac_ends(dense<8> : tensor<1xi8>)
sffnn.network @six(%x: tensor<8xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<8xf32>) -> tensor<1xf32> weights #sffnn.csr<1x8, [[0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0, 4: 5.0, 5: 6.0]]> bias dense<[0.5]> : tensor<1xf32>
  sffnn.return %y : tensor<1xf32>
}

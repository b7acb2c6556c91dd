// Text -> bytecode -> text keeps every op and attribute form.
// RUN: sffnn-opt %s --emit-bytecode | sffnn-opt | FileCheck %s
// RUN: sffnn-opt %s > %t.mlir
// RUN: sffnn-opt %s --emit-bytecode | sffnn-opt > %t.bc.mlir
// RUN: diff %t.mlir %t.bc.mlir

// CHECK-LABEL: sffnn.network @inline
// CHECK: sffnn.layer leaky_relu(1.000000e-01)(%arg0, %arg1) : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
// CHECK-SAME: weights #sffnn.csr<2x3, {{\[}}[0: 1.000000e+00, 2: -2.000000e+00], [1: 3.000000e+00]]>
// CHECK-SAME: bias dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
sffnn.network @inline(%x: tensor<2xf32>, %s: tensor<1xf32>) -> tensor<2xf32> {
  %y = sffnn.layer leaky_relu(0.1)(%x, %s) : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, [[0: 1.0, 2: -2.0], [1: 3.0]]>
      bias dense<[1.0, 0.0]> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}

// CHECK-LABEL: sffnn.network @resources
// CHECK: fan_in #sffnn.csr<2x5, offsets = dense_resource<g_offsets> : tensor<3xi32>, indices = dense_resource<g_indices> : tensor<3xi32>, values = dense_resource<g_values> : tensor<3xf32>>
// CHECK-SAME: activations [clamp(0.000000e+00, 3.200000e+01), sigmoid]
// CHECK-SAME: activation_ids dense<[1, 0]> : tensor<2xi8>
// CHECK: g_offsets: "0x04000000000000000200000003000000"
sffnn.network @resources(%x: tensor<3xf32>) -> tensor<1xf32> {
  %y = sffnn.graph(%x) : (tensor<3xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<2x5, offsets = dense_resource<g_offsets> : tensor<3xi32>,
                             indices = dense_resource<g_indices> : tensor<3xi32>,
                             values = dense_resource<g_values> : tensor<3xf32>>
      activations [clamp(0.0, 32.0), sigmoid]
      activation_ids dense<[1, 0]> : tensor<2xi8>
      outputs [4]
  sffnn.return %y : tensor<1xf32>
}
{-#
  dialect_resources: {
    builtin: {
      g_offsets: "0x04000000000000000200000003000000",
      g_indices: "0x04000000000000000200000003000000",
      g_values: "0x040000000000003F000080BF0000803E"
    }
  }
#-}

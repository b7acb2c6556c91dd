// IR -> Graph -> IR reproduces layered networks and neuron-level networks;
// a mixed body comes back in the neuron-level form.
// RUN: sffnn-opt %s --split-input-file --sffnn-test-graph-roundtrip | FileCheck %s
// RUN: sffnn-opt %s --split-input-file --sffnn-test-graph-roundtrip="inline-limit=2" | FileCheck %s --check-prefix=BLOB

// Layers with a skip connection, two arguments and two results.
// CHECK-LABEL: sffnn.network @layered
// CHECK-SAME: (%[[A:.*]]: tensor<2xf32>, %[[B:.*]]: tensor<1xf32>) -> (tensor<2xf32>, tensor<1xf32>)
// CHECK: %[[H:.*]] = sffnn.layer relu(%[[A]], %[[B]]) : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
// CHECK-SAME: weights #sffnn.csr<2x3, {{\[}}[0: 1.000000e+00, 2: 2.000000e+00], [1: -1.000000e+00]]>
// CHECK-SAME: bias dense<[5.000000e-01, 0.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = sffnn.layer clamp(0.000000e+00, 3.200000e+01)(%[[B]], %[[H]]) : (tensor<1xf32>, tensor<2xf32>) -> tensor<1xf32>
// CHECK-SAME: weights #sffnn.csr<1x3, {{\[}}[0: 3.000000e+00, 2: 4.000000e+00]]>
// CHECK-NOT: bias
// CHECK: sffnn.return %[[H]], %[[Y]] : tensor<2xf32>, tensor<1xf32>
// BLOB-LABEL: sffnn.network @layered
// BLOB: weights #sffnn.csr<2x3, offsets = dense_resource<layered_layer0_offsets> : tensor<3xi32>, indices = dense_resource<layered_layer0_indices> : tensor<3xi32>, values = dense_resource<layered_layer0_values> : tensor<3xf32>>
// BLOB-SAME: bias dense<[5.000000e-01, 0.000000e+00]> : tensor<2xf32>
// BLOB: layered_layer0_indices: "0x04000000000000000200000001000000"
sffnn.network @layered(%a: tensor<2xf32>, %b: tensor<1xf32>) -> (tensor<2xf32>, tensor<1xf32>) {
  %h = sffnn.layer relu(%a, %b) : (tensor<2xf32>, tensor<1xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, [[0: 1.0, 2: 2.0], [1: -1.0]]>
      bias dense<[0.5, 0.0]> : tensor<2xf32>
  %y = sffnn.layer clamp(0.0, 32.0)(%b, %h) : (tensor<1xf32>, tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x3, [[0: 3.0, 2: 4.0]]>
  sffnn.return %h, %y : tensor<2xf32>, tensor<1xf32>
}

// -----

// The neuron-level form with ids out of topological order.
// CHECK-LABEL: sffnn.network @graph
// CHECK: %[[G:.*]]:2 = sffnn.graph(%arg0) : (tensor<2xf32>) -> (tensor<1xf32>, tensor<2xf32>)
// CHECK-SAME: fan_in #sffnn.csr<4x6, {{\[}}[0: 1.000000e+00, 1: 2.000000e+00], [4: 1.000000e+00], [0: -1.000000e+00], [2: 1.000000e+00, 3: 5.000000e-01]]>
// CHECK-SAME: bias dense<[0.000000e+00, 1.000000e+00, 0.000000e+00, -1.000000e+00]> : tensor<4xf32>
// CHECK-SAME: activations [relu, clamp(0.000000e+00, 6.000000e+00)]
// CHECK-SAME: activation_ids dense<[0, 1, 0, 1]> : tensor<4xi8>
// CHECK-SAME: outputs [5, 2, 3]
// CHECK: sffnn.return %[[G]]#0, %[[G]]#1
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

// -----

// A layer followed by a graph op over its result and the input: neurons are
// numbered input (0, 1), layer (2, 3), graph op (4, 5); the result is the
// neuron-level form of the same network.
// CHECK-LABEL: sffnn.network @mixed
// CHECK: %[[M:.*]] = sffnn.graph(%arg0) : (tensor<2xf32>) -> tensor<1xf32>
// CHECK-SAME: fan_in #sffnn.csr<4x6, {{\[}}[0: 1.000000e+00], [1: 2.000000e+00], [2: 3.000000e+00, 5: 4.000000e+00], [0: 5.000000e+00]]>
// CHECK-SAME: activations [tanh, relu] activation_ids dense<[0, 0, 1, 1]> : tensor<4xi8>
// CHECK-SAME: outputs [4]
// CHECK: sffnn.return %[[M]] : tensor<1xf32>
sffnn.network @mixed(%x: tensor<2xf32>) -> tensor<1xf32> {
  %h = sffnn.layer tanh(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, [[0: 1.0], [1: 2.0]]>
  %y = sffnn.graph(%h, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<2x6, [[0: 3.0, 5: 4.0], [2: 5.0]]>
      activations [relu] outputs [4]
  sffnn.return %y : tensor<1xf32>
}

// RUN: sffnn-opt %s --split-input-file | sffnn-opt --split-input-file | FileCheck %s
// RUN: sffnn-opt %s --split-input-file --mlir-print-op-generic | sffnn-opt --split-input-file | FileCheck %s

// Every activation kind, each with its parameters.
// CHECK-LABEL: sffnn.network @activations
// CHECK: sffnn.layer identity(%arg0)
// CHECK: sffnn.layer relu(%{{.*}})
// CHECK: sffnn.layer clamp(-1.000000e+00, 3.200000e+01)(%{{.*}})
// CHECK: sffnn.layer sigmoid(%{{.*}})
// CHECK: sffnn.layer tanh(%{{.*}})
// CHECK: sffnn.layer leaky_relu(0.00999999977)(%{{.*}})
// CHECK: sffnn.layer gelu(%{{.*}})
// CHECK: sffnn.layer gelu_tanh(%{{.*}})
// CHECK: sffnn.layer silu(%{{.*}})
// CHECK: sffnn.layer elu(5.000000e-01)(%{{.*}})
// CHECK: sffnn.layer hard_sigmoid(2.000000e-01, 5.000000e-01)(%{{.*}})
// CHECK: sffnn.layer hard_swish(%{{.*}})
sffnn.network @activations(%x: tensor<1xf32>) -> tensor<1xf32> {
  %a = sffnn.layer identity(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %b = sffnn.layer relu(%a) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %c = sffnn.layer clamp(-1.0, 32.0)(%b) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %d = sffnn.layer sigmoid(%c) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %e = sffnn.layer tanh(%d) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %f = sffnn.layer leaky_relu(0.01)(%e) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %g = sffnn.layer gelu(%f) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %h = sffnn.layer gelu_tanh(%g) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %i = sffnn.layer silu(%h) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %j = sffnn.layer elu(0.5)(%i) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %k = sffnn.layer hard_sigmoid(0.2, 0.5)(%j) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  %l = sffnn.layer hard_swish(%k) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %l : tensor<1xf32>
}

// -----

// An output epilogue.
// CHECK-LABEL: sffnn.network @classifier
// CHECK-SAME: attributes {epilogue = #sffnn.epilogue<log_softmax>}
sffnn.network @classifier(%x: tensor<2xf32>) -> tensor<2xf32>
    attributes {epilogue = #sffnn.epilogue<log_softmax>} {
  %y = sffnn.layer identity(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, [[0: 1.0], [1: 1.0]]>
  sffnn.return %y : tensor<2xf32>
}

// -----

// The input and output tensors of the model a network came from: a dynamic
// batch prints as ?, names are escaped strings.
// CHECK-LABEL: sffnn.network @named
// CHECK-SAME: attributes {signature = #sffnn.signature<input "in \22a\22\\b\09" [?, 1, 2, 2], output "y" [3]>}
sffnn.network @named(%x: tensor<4xf32>) -> tensor<3xf32>
    attributes {signature = #sffnn.signature<input "in \"a\"\\b\t" [?, 1, 2, 2], output "y" [3]>} {
  %y = sffnn.layer identity(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0], [1: 1.0], [2: 1.0, 3: 1.0]]>
  sffnn.return %y : tensor<3xf32>
}

// -----

// A skip connection (two inputs), a bias vector, a splat bias, an empty row
// (a neuron that is its bias alone) and no bias at all.
// CHECK-LABEL: sffnn.network @skip
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>) -> tensor<2xf32>
// CHECK: %[[H:.*]] = sffnn.layer relu(%[[X]]) : (tensor<4xf32>) -> tensor<3xf32>
// CHECK-SAME: weights #sffnn.csr<3x4, {{\[}}[0: 1.000000e+00, 2: -5.000000e-01], [], [3: 2.000000e+00]]>
// CHECK-SAME: bias dense<[0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = sffnn.layer identity(%[[H]], %[[X]]) : (tensor<3xf32>, tensor<4xf32>) -> tensor<2xf32>
// CHECK-SAME: weights #sffnn.csr<2x7, {{\[}}[0: 1.000000e+00, 5: 2.000000e+00], [1: 1.000000e+00, 6: 3.000000e+00]]>
// CHECK-SAME: bias dense<5.000000e-01> : tensor<2xf32>
// CHECK: sffnn.return %[[Y]] : tensor<2xf32>
sffnn.network @skip(%x: tensor<4xf32>) -> tensor<2xf32> {
  %h = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0, 2: -0.5], [], [3: 2.0]]>
      bias dense<[0.0, 1.0, 0.0]> : tensor<3xf32>
  %y = sffnn.layer identity(%h, %x) : (tensor<3xf32>, tensor<4xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x7, [[0: 1.0, 5: 2.0], [1: 1.0, 6: 3.0]]>
      bias dense<0.5> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}

// -----

// Several arguments and results; a layer with no connections at all.
// CHECK-LABEL: sffnn.network @multi
// CHECK-SAME: (%{{.*}}: tensor<2xf32>, %{{.*}}: tensor<1xf32>) -> (tensor<1xf32>, tensor<2xf32>)
// CHECK: weights #sffnn.csr<2x1, {{\[}}[], []]> bias dense<[1.000000e+00, 2.000000e+00]>
// CHECK: sffnn.return %{{.*}}, %{{.*}} : tensor<1xf32>, tensor<2xf32>
sffnn.network @multi(%a: tensor<2xf32>, %b: tensor<1xf32>) -> (tensor<1xf32>, tensor<2xf32>) {
  %p = sffnn.layer tanh(%a, %b) : (tensor<2xf32>, tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x3, [[0: 1.0, 1: 1.0, 2: 1.0]]>
  %q = sffnn.layer identity(%b) : (tensor<1xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x1, [[], []]> bias dense<[1.0, 2.0]> : tensor<2xf32>
  sffnn.return %p, %q : tensor<1xf32>, tensor<2xf32>
}

// -----

// The array form with dense arrays prints in the inline form.
// CHECK-LABEL: sffnn.network @array_form
// CHECK: weights #sffnn.csr<2x3, {{\[}}[1: 5.000000e-01], [0: -1.000000e+00, 2: 2.500000e-01]]>
sffnn.network @array_form(%x: tensor<3xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<3xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, offsets = dense<[0, 1, 3]> : tensor<3xi64>,
                              indices = dense<[1, 0, 2]> : tensor<3xi32>,
                              values = dense<[0.5, -1.0, 0.25]> : tensor<3xf32>>
  sffnn.return %y : tensor<2xf32>
}

// -----

// The array form with dense_resource blobs stays in the array form.
// CHECK-LABEL: sffnn.network @resources
// CHECK: weights #sffnn.csr<2x3, offsets = dense_resource<w_offsets> : tensor<3xi32>, indices = dense_resource<w_indices> : tensor<3xi32>, values = dense_resource<w_values> : tensor<3xf32>>
// CHECK: bias dense_resource<w_bias> : tensor<2xf32>
// CHECK: dialect_resources
// CHECK: w_offsets: "0x04000000000000000100000003000000"
sffnn.network @resources(%x: tensor<3xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<3xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, offsets = dense_resource<w_offsets> : tensor<3xi32>,
                              indices = dense_resource<w_indices> : tensor<3xi32>,
                              values = dense_resource<w_values> : tensor<3xf32>>
      bias dense_resource<w_bias> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w_offsets: "0x04000000000000000100000003000000",
      w_indices: "0x04000000010000000000000002000000",
      w_values: "0x040000000000003F000080BF0000803E",
      w_bias: "0x040000000000803F00000000"
    }
  }
#-}

// -----

// The neuron-level form: ids that are not a topological order (neuron 4 feeds
// neuron 3), a table of activations indexed per neuron, biases, and outputs
// split over two results.
// CHECK-LABEL: sffnn.network @graph
// CHECK: %{{.*}}:2 = sffnn.graph(%arg0) : (tensor<2xf32>) -> (tensor<1xf32>, tensor<2xf32>)
// CHECK-SAME: fan_in #sffnn.csr<4x6, {{\[}}[0: 1.000000e+00, 1: 2.000000e+00], [4: 1.000000e+00], [0: -1.000000e+00], [2: 1.000000e+00, 3: 5.000000e-01]]>
// CHECK-SAME: bias dense<[0.000000e+00, 1.000000e+00, 0.000000e+00, -1.000000e+00]> : tensor<4xf32>
// CHECK-SAME: activations [relu, clamp(0.000000e+00, 6.000000e+00)]
// CHECK-SAME: activation_ids dense<[0, 1, 0, 1]> : tensor<4xi8>
// CHECK-SAME: outputs [5, 2, 3]
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

// The attributes on their own.
// CHECK-LABEL: sffnn.network @attrs
// CHECK-SAME: sffnn.test_activation = #sffnn.activation<leaky_relu(2.000000e-01)>
// CHECK-SAME: sffnn.test_matrix = #sffnn.csr<1x2, {{\[}}[1: 3.000000e+00]]>
sffnn.network @attrs(%x: tensor<1xf32>) -> tensor<1xf32> attributes {
    sffnn.test_activation = #sffnn.activation<leaky_relu(0.2)>,
    sffnn.test_matrix = #sffnn.csr<1x2, [[1: 3.0]]>} {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

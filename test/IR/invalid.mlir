// RUN: sffnn-opt %s --split-input-file --verify-diagnostics

//===----------------------------------------------------------------------===//
// #sffnn.activation
//===----------------------------------------------------------------------===//

// An unknown activation keyword.
sffnn.network @unknown_activation(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{unknown activation 'softplus'; expected identity, relu, clamp, sigmoid, tanh, leaky_relu, gelu, gelu_tanh, silu, elu, hard_sigmoid or hard_swish}}
  %y = sffnn.layer softplus(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// An activation without its parameter: elu takes alpha.
sffnn.network @elu_params(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{expected floating point literal}}
  %y = sffnn.layer elu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// An unknown output epilogue.
// expected-error @+1 {{unknown epilogue 'sum'; expected none, softmax or log_softmax}}
sffnn.network @unknown_epilogue(%x: tensor<1xf32>) -> tensor<1xf32> attributes {epilogue = #sffnn.epilogue<sum>} {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

//===----------------------------------------------------------------------===//
// #sffnn.signature
//===----------------------------------------------------------------------===//

// An empty name.
// expected-error @+1 {{invalid input signature: the name is empty}}
sffnn.network @empty_name(%x: tensor<2xf32>) -> tensor<1xf32> attributes {signature = #sffnn.signature<input "" [1, 2], output "y" [1, 1]>} {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A dynamic dimension that is not the batch.
// expected-error @+1 {{invalid output signature: dimension 1 of 'y' is -1; expected a size of at least 1}}
sffnn.network @dynamic_feature(%x: tensor<2xf32>) -> tensor<1xf32> attributes {signature = #sffnn.signature<input "x" [?, 2], output "y" [1, ?]>} {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A batch of size 0.
// expected-error @+1 {{invalid input signature: dimension 0 of 'x' is 0; expected a size of at least 1, or -1 (dynamic)}}
sffnn.network @empty_batch(%x: tensor<2xf32>) -> tensor<1xf32> attributes {signature = #sffnn.signature<input "x" [0, 2], output "y" [1]>} {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// Rank 0.
// expected-error @+1 {{invalid output signature: the shape of 'y' has rank 0}}
sffnn.network @scalar(%x: tensor<2xf32>) -> tensor<1xf32> attributes {signature = #sffnn.signature<input "x" [2], output "y" []>} {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// One sample of the input (dimensions after the batch: 2 x 3) is not the
// arguments' 2 + 3 elements.
// expected-error @+1 {{'sffnn.network' op signature: one sample of input 'x' has 6 elements, but the arguments have 5}}
sffnn.network @input_size(%x: tensor<2xf32>, %z: tensor<3xf32>) -> tensor<1xf32> attributes {signature = #sffnn.signature<input "x" [?, 2, 3], output "y" [1]>} {
  %y = sffnn.layer relu(%x, %z) : (tensor<2xf32>, tensor<3xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x5, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A rank-1 output shape is one sample: [2] is not the one output.
// expected-error @+1 {{'sffnn.network' op signature: one sample of output 'y' has 2 elements, but the results have 1}}
sffnn.network @output_size(%x: tensor<2xf32>) -> tensor<1xf32> attributes {signature = #sffnn.signature<input "x" [1, 2], output "y" [2]>} {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// Clamp bounds in the wrong order.
sffnn.network @clamp_order(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{invalid activation: clamp lower bound 2 exceeds upper bound 1}}
  %y = sffnn.layer clamp(2.0, 1.0)(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A non-finite activation parameter (0x7F800000 is +inf).
// expected-error @+1 {{invalid activation: leaky_relu slope is not finite (inf)}}
#act = #sffnn.activation<leaky_relu(0x7F800000)>

// -----

//===----------------------------------------------------------------------===//
// #sffnn.csr: types and sizes
//===----------------------------------------------------------------------===//

// expected-error @+1 {{expected a 2-D shape 'ROWSxCOLS'}}
#m = #sffnn.csr<3, [[], [], []]>

// -----

// expected-error @+1 {{expected 2 rows, got 3}}
#m = #sffnn.csr<2x2, [[], [], []]>

// -----

// expected-error @+1 {{'offsets' must have 3 elements, got 2}}
#m = #sffnn.csr<2x2, offsets = dense<[0, 0]> : tensor<2xi32>,
                     indices = dense<> : tensor<0xi32>,
                     values = dense<> : tensor<0xf32>>

// -----

// expected-error @+1 {{'offsets' must have i32 or i64 elements, got 'i16'}}
#m = #sffnn.csr<1x2, offsets = dense<[0, 0]> : tensor<2xi16>,
                     indices = dense<> : tensor<0xi32>,
                     values = dense<> : tensor<0xf32>>

// -----

// expected-error @+1 {{'indices' must have i32 elements, got 'i64'}}
#m = #sffnn.csr<1x2, offsets = dense<[0, 1]> : tensor<2xi32>,
                     indices = dense<[0]> : tensor<1xi64>,
                     values = dense<[1.0]> : tensor<1xf32>>

// -----

// expected-error @+1 {{'values' must have 1 elements, got 2}}
#m = #sffnn.csr<1x2, offsets = dense<[0, 1]> : tensor<2xi32>,
                     indices = dense<[0]> : tensor<1xi32>,
                     values = dense<[1.0, 2.0]> : tensor<2xf32>>

// -----

// expected-error @+1 {{'values' must have f32 elements, got 'f64'}}
#m = #sffnn.csr<1x2, offsets = dense<[0, 1]> : tensor<2xi32>,
                     indices = dense<[0]> : tensor<1xi32>,
                     values = dense<[1.0]> : tensor<1xf64>>

// -----

// expected-error @+1 {{'indices' must be a statically shaped 1-D array, got 'tensor<1x1xi32>'}}
#m = #sffnn.csr<1x2, offsets = dense<[0, 1]> : tensor<2xi32>,
                     indices = dense<[[0]]> : tensor<1x1xi32>,
                     values = dense<[1.0]> : tensor<1xf32>>

// -----

//===----------------------------------------------------------------------===//
// #sffnn.csr: contents (checked by the ops that hold the matrix)
//===----------------------------------------------------------------------===//

sffnn.network @offsets_start(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: offsets must start at 0, got 1}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense<[1, 1]> : tensor<2xi32>,
                              indices = dense<[0]> : tensor<1xi32>,
                              values = dense<[1.0]> : tensor<1xf32>>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @offsets_decrease(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: offsets must not decrease: offsets[2] = 0 < offsets[1] = 1}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, offsets = dense<[0, 1, 0]> : tensor<3xi32>,
                              indices = dense<[0]> : tensor<1xi32>,
                              values = dense<[1.0]> : tensor<1xf32>>
  sffnn.return %y : tensor<2xf32>
}

// -----

sffnn.network @offsets_exceed(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: offsets[1] = 2 exceeds the number of entries 1}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense<[0, 2]> : tensor<2xi32>,
                              indices = dense<[0]> : tensor<1xi32>,
                              values = dense<[1.0]> : tensor<1xf32>>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @offsets_end(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: offsets must end at the number of entries 2, got 1}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense<[0, 1]> : tensor<2xi32>,
                              indices = dense<[0, 1]> : tensor<2xi32>,
                              values = dense<[1.0, 1.0]> : tensor<2xf32>>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @column_range(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: entry (0, 2): column out of range [0, 2)}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[2: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @duplicate(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: duplicate entry (0, 1)}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[1: 1.0, 1: 2.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @unsorted(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: columns of row 0 must strictly increase: 0 follows 1}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[1: 1.0, 0: 2.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @not_finite(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: entry (0, 1) is not finite: nan}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0, 1: 0x7FC00000]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @zero_weight(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: entry (0, 0) is zero; pruned weights must be absent}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 0.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @elided(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: the 'offsets' array of the sparse matrix is not available (an elided or missing resource blob?)}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense_resource<__elided__> : tensor<2xi32>,
                              indices = dense_resource<__elided__> : tensor<1xi32>,
                              values = dense_resource<__elided__> : tensor<1xf32>>
  sffnn.return %y : tensor<1xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sffnn.layer
//===----------------------------------------------------------------------===//

sffnn.network @no_inputs(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op needs at least one input vector}}
  %y = sffnn.layer relu() : () -> tensor<1xf32>
      weights #sffnn.csr<1x0, [[]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @repeated_input(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op input #1 repeats input #0; pass each vector once}}
  %y = sffnn.layer relu(%x, %x) : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @columns(%x: tensor<3xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights have 2 columns, but the inputs have 3 elements}}
  %y = sffnn.layer relu(%x) : (tensor<3xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @rows(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights have 1 rows, but the result has 2 elements}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<2xf32>
}

// -----

sffnn.network @bias_size(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op bias must be a 1-D f32 vector of 1 elements, got 'tensor<2xf32>'}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]> bias dense<[1.0, 2.0]> : tensor<2xf32>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @bias_not_finite(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'sffnn.layer' op bias of neuron 1 is not finite: -INF}}
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x2, [[0: 1.0], []]>
      bias dense<[1.0, 0xFF800000]> : tensor<2xf32>
  sffnn.return %y : tensor<2xf32>
}

// -----

// expected-error @+1 {{'sffnn.network' op argument #0 must be a statically shaped 1-D f32 tensor, got 'tensor<2xf64>'}}
sffnn.network @input_type(%x: tensor<2xf64>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf64>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sffnn.network and sffnn.return
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'sffnn.network' op argument #0 must be a statically shaped 1-D f32 tensor, got 'tensor<?xf32>'}}
sffnn.network @dynamic(%x: tensor<?xf32>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<?xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// expected-error @+1 {{'sffnn.network' op result #0 must be a statically shaped 1-D f32 tensor, got 'tensor<1x1xf32>'}}
sffnn.network @matrix_result(%x: tensor<1xf32>) -> tensor<1x1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// expected-error @+1 {{'sffnn.network' op must have at least one result (the outputs)}}
sffnn.network @no_outputs(%x: tensor<1xf32>) {
  sffnn.return
}

// -----

sffnn.network @foreign_op(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'arith.constant' op is not allowed in a network body; expected 'sffnn.layer', 'sffnn.graph' or 'sffnn.return'}}
  %c = arith.constant dense<1.0> : tensor<1xf32>
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @return_input(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.return' op returns argument #0 as output #0; outputs must be computed neurons}}
  sffnn.return %x : tensor<1xf32>
}

// -----

sffnn.network @return_twice(%x: tensor<1xf32>) -> (tensor<1xf32>, tensor<1xf32>) {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  // expected-error @+1 {{'sffnn.return' op returns the same vector as outputs #0 and #1; outputs must be distinct}}
  sffnn.return %y, %y : tensor<1xf32>, tensor<1xf32>
}

// -----

sffnn.network @return_count(%x: tensor<1xf32>) -> (tensor<1xf32>, tensor<1xf32>) {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  // expected-error @+1 {{'sffnn.return' op returns 1 values, but the network has 2 results}}
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @return_type(%x: tensor<1xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  // expected-error @+1 {{'sffnn.return' op operand #0 has type 'tensor<1xf32>', but result #0 of the network is 'tensor<2xf32>'}}
  sffnn.return %y : tensor<1xf32>
}

// -----

func.func @outside() -> tensor<1xf32> {
  %c = arith.constant dense<1.0> : tensor<1xf32>
  // expected-error @+1 {{'sffnn.return' op expects parent op 'sffnn.network'}}
  sffnn.return %c : tensor<1xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sffnn.graph
//===----------------------------------------------------------------------===//

sffnn.network @graph_columns(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op fan_in has 4 columns, but the graph has 3 neurons (2 inputs and 1 computed)}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x4, [[0: 1.0]]> activations [relu] outputs [2]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_table(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op activation table must not be empty}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [] outputs [2]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_ids_required(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op activation_ids are required when the activation table has more than one entry}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [relu, tanh] outputs [2]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_ids_type(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op activation_ids must be a 1-D i8 vector of 1 elements, got 'tensor<1xi32>'}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [relu, tanh]
      activation_ids dense<[1]> : tensor<1xi32> outputs [2]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_ids_range(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op activation id 2 of neuron 2 is out of range [0, 2)}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [relu, tanh]
      activation_ids dense<[2]> : tensor<1xi8> outputs [2]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_output_count(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op lists 2 outputs, but the results have 1 elements}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<2x4, [[0: 1.0], [2: 1.0]]> activations [relu] outputs [2, 3]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_output_input(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op output #0 is neuron 1, which is not a computed neuron [2, 3)}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [relu] outputs [1]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_output_twice(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'sffnn.graph' op neuron 2 is listed as output #0 and #1}}
  %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<2xf32>
      fan_in #sffnn.csr<1x3, [[0: 1.0]]> activations [relu] outputs [2, 2]
  sffnn.return %y : tensor<2xf32>
}

// -----

sffnn.network @graph_cycle(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op has a cycle through neurons 1 -> 3 -> 2 -> 1}}
  %y = sffnn.graph(%x) : (tensor<1xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<3x4, [[0: 1.0, 2: 1.0], [3: 1.0], [1: 1.0]]>
      activations [relu] outputs [3]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_self_loop(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op has a cycle through neurons 1 -> 1}}
  %y = sffnn.graph(%x) : (tensor<1xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x2, [[0: 1.0, 1: 1.0]]> activations [relu] outputs [1]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_fan_in(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op fan_in: entry (0, 0) is zero; pruned weights must be absent}}
  %y = sffnn.graph(%x) : (tensor<1xf32>) -> tensor<1xf32>
      fan_in #sffnn.csr<1x2, [[0: 0.0]]> activations [relu] outputs [1]
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @graph_no_results(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.graph' op must have at least one result}}
  sffnn.graph(%x) : (tensor<1xf32>) -> ()
      fan_in #sffnn.csr<1x2, [[0: 1.0]]> activations [relu] outputs []
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

sffnn.network @dynamic_result(%x: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op result #0 must be statically shaped 1-D tensor of 32-bit float values, but got 'tensor<?xf32>'}}
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<?xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<?xf32>
}

// -----

// expected-error @+1 {{sparse matrix has 3000000000 columns; at most 2^31 - 1 are supported}}
#m = #sffnn.csr<1x3000000000, [[]]>

// -----

// expected-error @+1 {{column 3000000000 out of range}}
#m = #sffnn.csr<1x2, [[3000000000: 1.0]]>

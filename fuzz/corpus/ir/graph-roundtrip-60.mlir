// IR -> Graph -> IR reproduces layered networks and neuron-level networks;
// a mixed body comes back in the neuron-level form.

// Layers with a skip connection, two arguments and two results.
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

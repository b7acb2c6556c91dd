module {
  sffnn.network @net(%arg0: tensor<4xf32>) -> tensor<2xf32> {
    %0 = sffnn.layer relu(%arg0) : (tensor<4xf32>) -> tensor<3xf32> weights #sffnn.csr<3x4, offsets = dense_resource<net_layer0_offsets> : tensor<4xi32>, indices = dense_resource<net_layer0_indices> : tensor<6xi32>, values = dense_resource<net_layer0_values> : tensor<6xf32>> bias dense_resource<net_layer0_bias> : tensor<3xf32>
    %1 = sffnn.layer identity(%0) : (tensor<3xf32>) -> tensor<2xf32> weights #sffnn.csr<2x3, offsets = dense_resource<net_layer1_offsets> : tensor<3xi32>, indices = dense_resource<net_layer1_indices> : tensor<4xi32>, values = dense_resource<net_layer1_values> : tensor<4xf32>> bias dense_resource<net_layer1_bias> : tensor<2xf32>
    sffnn.return %1 : tensor<2xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      net_layer0_offsets: "0x0400000000000000020000000400000006000000",
      net_layer0_indices: "0x04000000020000000300000000000000020000000100000002000000",
      net_layer0_values: "0x0400000078519DBE45ECF43D6CA3D13E46F02ABF677E533F5AA9F4BE",
      net_layer0_bias: "0x040000007C90403CDF3DE3BCEEAF9EBD",
      net_layer1_offsets: "0x04000000000000000200000004000000",
      net_layer1_indices: "0x0400000000000000010000000000000001000000",
      net_layer1_values: "0x040000000CED743FC10B53BC1E4558BF06F9203F",
      net_layer1_bias: "0x04000000DF6DC4BD3D8DC3BC"
    }
  }
#-}


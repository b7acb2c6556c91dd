#m = #sffnn.csr<2x2, offsets = dense<[0, 0]> : tensor<2xi32>,
                     indices = dense<> : tensor<0xi32>,
                     values = dense<> : tensor<0xf32>>

#m = #sffnn.csr<1x2, offsets = dense<[0, 0]> : tensor<2xi16>,
                     indices = dense<> : tensor<0xi32>,
                     values = dense<> : tensor<0xf32>>

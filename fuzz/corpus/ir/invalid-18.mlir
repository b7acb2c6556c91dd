#m = #sffnn.csr<1x2, offsets = dense<[0, 1]> : tensor<2xi32>,
                     indices = dense<[[0]]> : tensor<1x1xi32>,
                     values = dense<[1.0]> : tensor<1xf32>>

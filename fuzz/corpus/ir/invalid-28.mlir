sffnn.network @elided(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense_resource<__elided__> : tensor<2xi32>,
                              indices = dense_resource<__elided__> : tensor<1xi32>,
                              values = dense_resource<__elided__> : tensor<1xf32>>
  sffnn.return %y : tensor<1xf32>
}

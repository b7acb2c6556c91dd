// Clamp bounds in the wrong order.
sffnn.network @clamp_order(%x: tensor<1xf32>) -> tensor<1xf32> {
  %y = sffnn.layer clamp(2.0, 1.0)(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

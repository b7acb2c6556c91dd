// A huge argument vector.
sffnn.network @argument(%x: tensor<4294967298xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<4294967298xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[]]>
  sffnn.return %y : tensor<1xf32>
}

// Sizes the IR declares are checked against the limits before anything of
// that size is read or allocated (docs/architecture.md, "Bad input").

// 10^12 rows declared by a splat offsets array of a few bytes.
sffnn.network @rows(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1000000000000x2, offsets = dense<0> : tensor<1000000000001xi32>,
                              indices = dense<[]> : tensor<0xi32>,
                              values = dense<[]> : tensor<0xf32>>
  sffnn.return %y : tensor<1xf32>
}

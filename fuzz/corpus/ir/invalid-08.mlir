//===----------------------------------------------------------------------===//
// #sffnn.activation
//===----------------------------------------------------------------------===//

// An unknown activation keyword.
sffnn.network @unknown_activation(%x: tensor<1xf32>) -> tensor<1xf32> {
  %y = sffnn.layer softplus(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

//===----------------------------------------------------------------------===//
// sffnn.layer
//===----------------------------------------------------------------------===//

sffnn.network @no_inputs(%x: tensor<1xf32>) -> tensor<1xf32> {
  %y = sffnn.layer relu() : () -> tensor<1xf32>
      weights #sffnn.csr<1x0, [[]]>
  sffnn.return %y : tensor<1xf32>
}

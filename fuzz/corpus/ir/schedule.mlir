// #sffnn.schedule: text and bytecode round trips, the deprecated strategy
// name, and the verifier's checks.

sffnn.network @inline(%x: tensor<4xf32>) -> tensor<3xf32>
    attributes {sffnn.schedule = #sffnn.schedule<strategy = "two-opt",
      seed = 1, fastMemory = 4, order = dense<[4, 5, 6]> : tensor<3xi32>,
      cost = 14, activationCost = 8, lowerBound = 13,
      activationLowerBound = 7, twoOptimalCost = 14>} {
  %y = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0, 1: 2.0], [2: 3.0, 3: 4.0], [0: 5.0, 1: 6.0]]>
  sffnn.return %y : tensor<3xf32>
}

// A large order is a resource blob, in text and in bytecode.
sffnn.network @resource(%x: tensor<4xf32>) -> tensor<3xf32>
    attributes {sffnn.schedule = #sffnn.schedule<strategy = "anneal",
      seed = 7, fastMemory = 4, order = dense_resource<o> : tensor<3xi32>,
      cost = 13, activationCost = 7, lowerBound = 13,
      activationLowerBound = 7, twoOptimalCost = 14>} {
  %y = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0, 1: 2.0], [2: 3.0, 3: 4.0], [0: 5.0, 1: 6.0]]>
  sffnn.return %y : tensor<3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      o: "0x04000000040000000600000005000000"
    }
  }
#-}

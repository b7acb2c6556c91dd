// Invalid #sffnn.schedule attributes (run by ../schedule-attr.mlir).

// expected-error @+2 {{unknown strategy 'random'; expected layerwise, two-optimal, greedy or anneal}}
// expected-error @+1 {{failed to parse SFFNN_ScheduleAttr parameter 'strategy'}}
#bad_strategy = #sffnn.schedule<strategy = "random", seed = 1, fastMemory = 4, order = dense<[4]> : tensor<1xi32>, cost = 3, activationCost = 2, lowerBound = 3, activationLowerBound = 2, twoOptimalCost = 3>

// -----

// expected-error @+1 {{fastMemory must be at least 3 words, got 2}}
#small = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 2, order = dense<[4]> : tensor<1xi32>, cost = 3, activationCost = 2, lowerBound = 3, activationLowerBound = 2, twoOptimalCost = 3>

// -----

// expected-error @+1 {{order must be a 1-D vector of i32, got 'tensor<1xi64>'}}
#wide = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 4, order = dense<[4]> : tensor<1xi64>, cost = 3, activationCost = 2, lowerBound = 3, activationLowerBound = 2, twoOptimalCost = 3>

// -----

// expected-error @+1 {{cost 2 is below lowerBound 3}}
#below = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 4, order = dense<[4]> : tensor<1xi32>, cost = 2, activationCost = 2, lowerBound = 3, activationLowerBound = 2, twoOptimalCost = 3>

// -----

// expected-error @+1 {{activationCost 4 exceeds cost 3}}
#activation = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 4, order = dense<[4]> : tensor<1xi32>, cost = 3, activationCost = 4, lowerBound = 3, activationLowerBound = 2, twoOptimalCost = 3>

// -----

// expected-error @+1 {{twoOptimalCost 1 is below lowerBound 3}}
#two = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 4, order = dense<[4]> : tensor<1xi32>, cost = 3, activationCost = 2, lowerBound = 3, activationLowerBound = 2, twoOptimalCost = 1>

// -----

// Every parameter is required.
// expected-error @+1 {{expected ','}}
#missing = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 4, order = dense<[4]> : tensor<1xi32>, cost = 3, activationCost = 2, lowerBound = 3, activationLowerBound = 2>

// -----

// expected-error @+1 {{'sffnn.network' op has an 'sffnn.schedule' that is not a #sffnn.schedule: {order = dense<4> : tensor<1xi32>}}}
sffnn.network @dictionary(%x: tensor<1xf32>) -> tensor<1xf32>
    attributes {sffnn.schedule = {order = dense<[4]> : tensor<1xi32>}} {
  %y = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x1, [[0: 1.0]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// expected-error @+1 {{'builtin.module' op has 'sffnn.schedule', which only an sffnn.network may have}}
module attributes {sffnn.schedule = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 4, order = dense<[4]> : tensor<1xi32>, cost = 3, activationCost = 2, lowerBound = 3, activationLowerBound = 2, twoOptimalCost = 3>} {
}

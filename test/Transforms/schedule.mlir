// RUN: sffnn-opt %s --sffnn-schedule="strategy=two-optimal fast-memory=4" 2>&1 | FileCheck %s --check-prefix=TWOOPT
// The deprecated name two-opt is still accepted and gives the same schedule.
// RUN: sffnn-opt %s --sffnn-schedule="strategy=two-opt fast-memory=4" 2>&1 | FileCheck %s --check-prefix=TWOOPT
// RUN: sffnn-opt %s --sffnn-schedule="strategy=layerwise fast-memory=4" 2>&1 | FileCheck %s --check-prefix=LAYERWISE
// RUN: sffnn-opt %s --sffnn-schedule="strategy=greedy fast-memory=4" 2>&1 | FileCheck %s --check-prefix=GREEDY
// RUN: sffnn-opt %s --sffnn-schedule="strategy=anneal fast-memory=4 start=two-optimal iterations=2000 seed=3" 2>&1 | FileCheck %s --check-prefix=ANNEAL
// RUN: sffnn-opt %s --sffnn-schedule="strategy=anneal fast-memory=4 start=two-optimal iterations=2000 seed=3" > %t.1.mlir 2>/dev/null
// RUN: sffnn-opt %s --sffnn-schedule="strategy=anneal fast-memory=4 start=two-optimal iterations=2000 seed=3" > %t.2.mlir 2>/dev/null
// RUN: diff %t.1.mlir %t.2.mlir
// RUN: not sffnn-opt %s --sffnn-schedule="strategy=random" 2>&1 | FileCheck %s --check-prefix=BADSTRATEGY
// RUN: not sffnn-opt %s --sffnn-schedule="strategy=anneal start=anneal" 2>&1 | FileCheck %s --check-prefix=BADSTART
// RUN: not sffnn-opt %s --sffnn-schedule="fast-memory=2" 2>&1 | FileCheck %s --check-prefix=SMALL

// Inputs x0..x3; a = 4 <- {x0, x1}, b = 5 <- {x2, x3}, c = 6 <- {x0, x1};
// zero biases; all three are outputs. LB = W + B + n_in' + n_out = 6 + 0 +
// 4 + 3 = 13. With M = 4, pulling a, b, c evicts x1 while b runs (its
// accumulator, x2 and a weight need three of the four slots) and reloads it
// for c: 5 input loads + 6 weights + 3 output stores = 14. Pulling c right
// after a keeps x0 and x1 resident: 13 = LB. Greedy finds that order: after
// a, c has a source in its simulated memory and b has none.

// TWOOPT: remark: schedule two-optimal with M = 4: LB = 13, cost = 14, cost/LB = 1.077
// TWOOPT: sffnn.schedule = #sffnn.schedule<strategy = "two-optimal", seed = 1, fastMemory = 4, order = dense<[4, 5, 6]> : tensor<3xi32>, cost = 14, activationCost = 8, lowerBound = 13, activationLowerBound = 7, twoOptimalCost = 14>
// LAYERWISE: remark: schedule layerwise with M = 4: LB = 13, cost = 14, cost/LB = 1.077
// LAYERWISE: order = dense<[4, 5, 6]> : tensor<3xi32>
// GREEDY: remark: schedule greedy with M = 4: LB = 13, cost = 13, cost/LB = 1.000
// GREEDY: sffnn.schedule = #sffnn.schedule<strategy = "greedy", seed = 1, fastMemory = 4, order = dense<[4, 6, 5]> : tensor<3xi32>, cost = 13, activationCost = 7, lowerBound = 13, activationLowerBound = 7, twoOptimalCost = 14>
// ANNEAL: remark: schedule anneal with M = 4: LB = 13, cost = 13, cost/LB = 1.000
// ANNEAL: #sffnn.schedule<strategy = "anneal", seed = 3, fastMemory = 4,
// ANNEAL-SAME: cost = 13, activationCost = 7, lowerBound = 13, activationLowerBound = 7, twoOptimalCost = 14>
// BADSTRATEGY: for the --strategy option: Cannot find option named 'random'!
// BADSTART: for the --start option: Cannot find option named 'anneal'!
// SMALL: error: fast memory must hold at least 3 words, got 2
sffnn.network @reuse(%x: tensor<4xf32>) -> tensor<3xf32> {
  %y = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
      weights #sffnn.csr<3x4, [[0: 1.0, 1: 2.0], [2: 3.0, 3: 4.0], [0: 5.0, 1: 6.0]]>
  sffnn.return %y : tensor<3xf32>
}

// A time limit that is not a finite number of seconds >= 0 is an error.
// RUN: not sffnn-opt %s --sffnn-schedule="strategy=anneal fast-memory=4 time-limit=nan" 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: error: the annealing time limit must be a finite number of seconds >= 0 (0: none), got nan

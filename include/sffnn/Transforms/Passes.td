//===- Passes.td - sffnn pass definitions ------------------*- tablegen -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TRANSFORMS_PASSES_TD
#define SFFNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PrintNetworkStats : Pass<"sffnn-print-network-stats", "mlir::ModuleOp"> {
  let summary = "Print the counts of every sffnn.network";
  let description = [{
    Prints, for each `sffnn.network` in the module, the counts of the I/O model
    (docs/io-model.md): N (neurons), n_in (inputs), n_in' (inputs with at
    least one out-edge), |C| (computed neurons), n_out (outputs), W
    (connections) and B (non-zero biases), and the form of its body. The IR
    is left unchanged.

    Input:

    ```mlir
    sffnn.network @chain(%x: tensor<1xf32>) -> tensor<1xf32> {
      %h = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
          weights #sffnn.csr<1x1, [[0: 2.0]]> bias dense<1.0> : tensor<1xf32>
      %y = sffnn.layer identity(%h) : (tensor<1xf32>) -> tensor<1xf32>
          weights #sffnn.csr<1x1, [[0: 3.0]]>
      sffnn.return %y : tensor<1xf32>
    }
    ```

    Output (on stdout):

    ```
    network @chain: layered, 2 layers
      N      = 3
      n_in   = 1
      n_in'  = 1
      |C|    = 2
      n_out  = 1
      W      = 2
      B      = 1
    ```
  }];
}

def IOBounds : Pass<"sffnn-io-bounds", "mlir::ModuleOp"> {
  let summary = "Attach the I/O lower and upper bounds to every sffnn.network";
  let description = [{
    Computes, for each `sffnn.network` and a fast memory of M words, the
    counts and bounds of the I/O model (docs/io-model.md) and attaches them
    as the `sffnn.io_bounds` dictionary:

    - `neurons` N, `inputs` n_in, `used_inputs` n_in', `computed` |C|,
      `outputs` n_out, `connections` W, `nonzero_biases` B;
    - `lower_bound` LB = W + B + n_in' + n_out, split into `weight_traffic`
      W + B and `activation_lower_bound` n_in' + n_out;
    - `upper_bound` UB(M): the cost of the two-optimal strategy's plan with
      M slots, and `upper_bound_activation`, its activation traffic;
    - `closed_form_upper_bound` 2W + B + |C|, an upper bound for every M >= 3;
    - `fast_memory` M.

    All figures are in words. With `report=true` it also prints a table per
    network on stdout. Fails for M < 3 and for networks whose weights are not
    available.

    Input:

    ```mlir
    sffnn.network @chain(%x: tensor<1xf32>) -> tensor<1xf32> {
      %h = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
          weights #sffnn.csr<1x1, [[0: 2.0]]> bias dense<1.0> : tensor<1xf32>
      %y = sffnn.layer identity(%h) : (tensor<1xf32>) -> tensor<1xf32>
          weights #sffnn.csr<1x1, [[0: 3.0]]>
      sffnn.return %y : tensor<1xf32>
    }
    ```

    Output of `--sffnn-io-bounds="fast-memory=3"`:

    ```mlir
    sffnn.network @chain(%x: tensor<1xf32>) -> tensor<1xf32> attributes {
        sffnn.io_bounds = {activation_lower_bound = 2 : i64,
          closed_form_upper_bound = 7 : i64, computed = 2 : i64,
          connections = 2 : i64, fast_memory = 3 : i64, inputs = 1 : i64,
          lower_bound = 5 : i64, neurons = 3 : i64, nonzero_biases = 1 : i64,
          outputs = 1 : i64, upper_bound = 5 : i64,
          upper_bound_activation = 2 : i64, used_inputs = 1 : i64,
          weight_traffic = 3 : i64}} {
      ...
    }
    ```
  }];
  let options = [
    Option<"fastMemory", "fast-memory", "uint32_t", /*default=*/"0",
           "Fast-memory size M in words (at least 3); 0 picks the host's L1 "
           "data cache size / 4">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Print a human-readable report per network on stdout">,
  ];
}

def ScheduleNetworks : Pass<"sffnn-schedule", "mlir::ModuleOp"> {
  let summary = "Choose the evaluation order of every sffnn.network";
  let description = [{
    Runs a scheduling strategy on each `sffnn.network` (docs/scheduling.md),
    plans its order with M fast-memory words (docs/io-model.md), and attaches
    the result as the network's `sffnn.schedule`, a `#sffnn.schedule`
    attribute:

    - `strategy`, `seed`, `fastMemory` M;
    - `order`: the computed neurons in evaluation order (an i32 vector of
      neuron ids, numbered as in docs/io-model.md; a `dense_resource` blob
      when large);
    - `cost` (loads + stores of the plan) and `activationCost`;
    - `lowerBound` LB, `activationLowerBound`, and `twoOptimalCost`, the
      cost of the two-optimal plan with the same M.

    It also emits a remark per network: LB, cost and cost / LB. All figures
    are in words. Strategies: `layerwise` (level by level), `two-optimal`
    (the paper's 2-optimal strategy; `two-opt` is its deprecated name),
    `greedy` (locality list scheduling) and `anneal` (simulated annealing
    from `start`, by default the cheapest of the other three orders,
    `iterations` moves, stopping early after `time-limit` seconds, 60 by
    default). The same seed and iterations give the same order unless the
    time limit is reached, which depends on the machine's speed.

    Example: `sffnn-opt net.mlir --sffnn-schedule="strategy=anneal
    fast-memory=64 seed=1 iterations=20000"` attaches

    ```mlir
    sffnn.schedule = #sffnn.schedule<strategy = "anneal", seed = 1,
      fastMemory = 64, order = dense<[8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
      18, 19, 20]> : tensor<13xi32>, cost = 66, activationCost = 31,
      lowerBound = 44, activationLowerBound = 9, twoOptimalCost = 66>
    ```
  }];
  let options = [
    Option<"strategy", "strategy", "::sffnn::Strategy",
           /*default=*/"::sffnn::Strategy::TwoOptimal",
           "Scheduling strategy: layerwise, two-optimal, greedy or anneal",
           "::sffnn::getStrategyOptionValues()">,
    Option<"fastMemory", "fast-memory", "uint32_t", /*default=*/"0",
           "Fast-memory size M in words (at least 3); 0 picks the host's L1 "
           "data cache size / 4">,
    Option<"seed", "seed", "uint64_t", /*default=*/"::sffnn::kDefaultAnnealSeed",
           "Random seed of the annealer">,
    Option<"iterations", "iterations", "uint64_t",
           /*default=*/"::sffnn::kDefaultAnnealIterations",
           "Moves the annealer evaluates">,
    Option<"timeLimit", "time-limit", "double",
           /*default=*/"::sffnn::kDefaultAnnealTimeLimit",
           "Stop annealing after this many seconds (a finite number >= 0; "
           "0: no limit)">,
    Option<"start", "start", "::sffnn::Strategy",
           /*default=*/"::sffnn::Strategy::Anneal",
           "The order annealing starts from: layerwise, two-optimal, greedy, "
           "or best (the cheapest of the three)",
           "::sffnn::getAnnealStartOptionValues()">,
  ];
}

#endif // SFFNN_TRANSFORMS_PASSES_TD

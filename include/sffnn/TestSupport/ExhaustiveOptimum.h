//===- ExhaustiveOptimum.h - Optimal plans of tiny networks -----*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares `findOptimalPlan`, an exact shortest-path search over
// plan states (docs/io-model.md section "The exhaustive optimum") that finds
// the minimum I/O cost OPT(G, M) of a tiny network, partial sums included.
// Tests hold LB <= OPT <= the cost of every strategy with it.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TESTSUPPORT_EXHAUSTIVEOPTIMUM_H
#define SFFNN_TESTSUPPORT_EXHAUSTIVEOPTIMUM_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Analysis/Plan.h"

#include "llvm/Support/Error.h"

namespace sffnn {

/// The limits of the exhaustive search.
struct ExhaustiveLimits {
  static constexpr uint32_t maxComputed = 7;     ///< computed neurons
  static constexpr uint64_t maxConnections = 12; ///< W
  static constexpr uint32_t maxFastMemory = 5;   ///< M
  /// Give up (with an error) after expanding this many states.
  uint64_t maxStates = 20'000'000;
};

/// The result of the exhaustive search.
struct OptimalPlan {
  /// An optimal plan; it validates and its cost is `counts.getTotal()`.
  Plan plan;
  /// Its I/O counts; `counts.getTotal()` is OPT(G, M) in words.
  IOCounts counts;
  /// The number of states the search expanded.
  uint64_t statesExpanded = 0;
};

/// Finds a plan of minimum cost (loads + stores) for the finalized `graph`
/// with M = `fastMemory` slots: A* over plan states (sets of resident values;
/// the exchange arguments that make the reduced search exact are in
/// lib/TestSupport/ExhaustiveOptimum.cpp) with the consistent heuristic "macs
/// and non-zero biases left, non-resident inputs and stored x_u with a
/// pending mac, non-resident accumulators of started neurons, and outputs not
/// yet stored" (each term counts a different I/O). Deterministic.
///
/// Errors: M < 3 or M > 5; more than 7 computed neurons or 12 connections;
/// more than `limits.maxStates` states expanded.
llvm::Expected<OptimalPlan>
findOptimalPlan(const Graph &graph, uint32_t fastMemory,
                const ExhaustiveLimits &limits = {});

} // namespace sffnn

#endif // SFFNN_TESTSUPPORT_EXHAUSTIVEOPTIMUM_H

//===- IOBounds.h - I/O lower and upper bounds of a network -----*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the I/O bounds of docs/io-model.md: the lower bound
// LB = W + B + n_in' + n_out (every M), the closed-form cost of the pull
// strategy with three slots, 2W + B + |C| (an upper bound for every M >= 3),
// and the instance upper bound: the planned cost of the pull strategy in
// topological order with M slots. All figures are in words.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_ANALYSIS_IOBOUNDS_H
#define SFFNN_ANALYSIS_IOBOUNDS_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Analysis/Plan.h"

#include "llvm/Support/Error.h"

#include <vector>

namespace sffnn {

/// The bounds of one network for one fast-memory size M.
struct IOBounds {
  /// The counts the bounds are built from.
  GraphCounts counts;
  /// M, in words.
  uint64_t fastMemory = 0;
  /// LB = W + B + n_in' + n_out (docs/io-model.md, Theorem 1).
  uint64_t lowerBound = 0;
  /// The weight-traffic part of LB: W + B. Every plan has exactly this much
  /// weight traffic (each weight and non-zero bias is consumed once).
  uint64_t weightTraffic = 0;
  /// The activation part of LB: n_in' + n_out.
  uint64_t activationLowerBound = 0;
  /// 2W + B + |C|: the cost of the pull strategy with every value stored and
  /// reloaded (docs/io-model.md, Theorem 2); an upper bound for every M >= 3.
  uint64_t closedFormUpperBound = 0;
  /// The planned cost of the two-optimal strategy (the pull order of
  /// `getTwoOptimalOrder`) with M slots: UB(M) <= closedFormUpperBound
  /// (Theorem 3).
  IOCounts twoOptimal;
};

/// LB, W + B and n_in' + n_out of `counts` (docs/io-model.md section 3).
uint64_t getLowerBound(const GraphCounts &counts);

/// 2W + B + |C| for `counts`.
uint64_t getClosedFormUpperBound(const GraphCounts &counts);

/// The computed neurons of the finalized `graph` in the topological order of
/// Graph::getTopologicalOrder (smallest ready id first): the order the
/// two-optimal strategy pulls them in.
std::vector<NeuronId> getTwoOptimalOrder(const Graph &graph);

/// Computes every bound of `graph` for M = `fastMemory`. Errors: M < 3.
/// Time O((W + N) log M).
llvm::Expected<IOBounds> computeIOBounds(const Graph &graph,
                                         uint32_t fastMemory);

} // namespace sffnn

#endif // SFFNN_ANALYSIS_IOBOUNDS_H

//===- Planner.h - From an evaluation order to a plan -----------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the planner: given a network, a fast-memory size M and
// an evaluation order (the sequence of bias, mac and finish operations), it
// produces the legal plan that performs them in that order, choosing what to
// evict offline: dead values first (free), then the value whose next use is
// furthest (Belady); evicting a live value that has no current copy in slow
// memory costs a store, and bringing it back a load (docs/io-model.md
// section "The planner").
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_ANALYSIS_PLANNER_H
#define SFFNN_ANALYSIS_PLANNER_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Analysis/Plan.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace sffnn {

/// One operation of an evaluation order, packed in 8 bytes.
class ComputeOp {
public:
  enum class Kind : uint8_t { Bias = 0, Mac = 1, Finish = 2 };

  /// acc_v += b_v (v must have b_v != 0).
  static ComputeOp bias(NeuronId v) { return ComputeOp(Kind::Bias, v); }
  /// acc_v += w_e * x_u for edge e = (u, v).
  static ComputeOp mac(uint64_t edge) { return ComputeOp(Kind::Mac, edge); }
  /// x_v = sigma_v(acc_v).
  static ComputeOp finish(NeuronId v) { return ComputeOp(Kind::Finish, v); }

  Kind getKind() const { return static_cast<Kind>(bits >> 62); }
  /// The neuron (Bias, Finish) or the edge id (Mac).
  uint64_t getIndex() const { return bits & ((uint64_t(1) << 62) - 1); }

  bool operator==(const ComputeOp &other) const { return bits == other.bits; }

private:
  ComputeOp(Kind kind, uint64_t index) : bits((uint64_t(kind) << 62) | index) {}
  uint64_t bits;
};

/// An evaluation order is legal when it performs every mac and every bias
/// (b_v != 0) exactly once, finishes every computed neuron exactly once after
/// its macs and bias, and uses x_u as a mac source only after u is finished
/// (or u is an input).
using EvaluationOrder = std::vector<ComputeOp>;

/// The pull order of a sequence of computed neurons: for each v in turn, its
/// bias (if b_v != 0), its macs in fan-in order, then finish(v). Legal when
/// `neurons` is a topological order of all computed neurons.
EvaluationOrder getPullOrder(const Graph &graph,
                             llvm::ArrayRef<NeuronId> neurons);

/// The most slots any plan of `graph` can use: N neuron values, the
/// accumulators of the computed neurons, a weight and a bias (N + |C| + 2).
/// Every M at least this large gives the same plan, slot for slot.
uint32_t getMaxUsefulFastMemory(const Graph &graph);

/// Plans `order` on the finalized `graph` with M = `fastMemory` slots and
/// returns the plan's I/O counts; each step goes to `sink` when it is not
/// null. Every output is stored right after its finish.
///
/// Errors: M < 3; an illegal order (the first violation, as "order position
/// P: REASON"); more than 2^32 - 2 operations.
/// Time O((W + N) log M), memory O(W + N) words beyond the plan itself (slots
/// beyond getMaxUsefulFastMemory are never allocated).
llvm::Expected<IOCounts> planEvaluation(const Graph &graph,
                                        llvm::ArrayRef<ComputeOp> order,
                                        uint32_t fastMemory,
                                        PlanSink *sink = nullptr);

} // namespace sffnn

#endif // SFFNN_ANALYSIS_PLANNER_H

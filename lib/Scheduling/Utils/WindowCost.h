//===- WindowCost.h - Cost of a window of an order --------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares WindowCostModel, the annealer's surrogate cost: the
// activation I/O of pulling a short sequence of neurons with fast memory
// empty at the start, every outside value in slow memory, and every value
// the sequence produces and the rest of the network needs written back at
// the end. Two orders of the same neurons compare by the I/O their local
// reuse saves. Private to the scheduling library.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_SCHEDULING_UTILS_WINDOWCOST_H
#define SFFNN_LIB_SCHEDULING_UTILS_WINDOWCOST_H

#include "sffnn/Analysis/FurthestUseHeap.h"
#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace sffnn {
namespace detail {

/// Evaluates windows of an order of one graph; reuses its scratch memory
/// across calls (O(N) once, then O(window connections * log M) per call).
class WindowCostModel {
public:
  /// `fastMemory` is M; M - 2 slots hold neuron values (the accumulator and
  /// the weight take the other two).
  WindowCostModel(const Graph &graph, uint32_t fastMemory);

  /// The activation I/O, in words, of pulling `neurons` (a sequence whose
  /// sources outside it are already finished) in isolation: source loads,
  /// spills of produced values used again in the sequence, output stores,
  /// and one store per produced value needed after the sequence that was
  /// not stored.
  uint64_t getCost(llvm::ArrayRef<NeuronId> neurons);

private:
  using Position = uint32_t;

  bool isResident(NeuronId v) const { return residentEpoch[v] == epoch; }
  /// True if the heap entry (next, v) is outdated.
  bool isStale(Position next, NeuronId v) const {
    return !isResident(v) || nextUse[v] != next;
  }
  /// Makes room for one value; returns the cost of the eviction (0 or 1).
  uint64_t makeRoom();
  void setNext(NeuronId v, Position next);

  const Graph &graph;
  uint32_t capacity;
  std::vector<uint8_t> isOutput;

  /// Scratch per neuron, valid when the matching epoch is current.
  uint32_t epoch = 0;
  std::vector<uint32_t> windowEpoch, seenEpoch, residentEpoch, storedEpoch;
  std::vector<Position> lastSeen, nextUse;
  std::vector<uint8_t> dirty;
  /// The access sequence of a window and each access's next use.
  std::vector<NeuronId> accessValue;
  std::vector<uint8_t> accessIsProduce;
  std::vector<Position> accessNext;
  FurthestUseHeap<Position, NeuronId> heap;
  uint32_t residentCount = 0;
};

} // namespace detail
} // namespace sffnn

#endif // SFFNN_LIB_SCHEDULING_UTILS_WINDOWCOST_H

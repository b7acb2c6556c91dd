//===- FrameMisses.cpp - L1 misses of a kernel's frame reads --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the cache model that `auto` uses to choose NAME's
// kernel for one sample: the lines of a kernel's frame (csr's x[N], the loops
// kernel's slots) it touches, in the order it touches them, run through a
// fully associative LRU cache of the lines that the L1 keeps for them
// (docs/codegen.md, "Choosing a mode").
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "sffnn/Scheduling/Schedulers.h"

#include "llvm/ADT/DenseMap.h"

#include <list>

using namespace sffnn;
using namespace sffnn::detail;

namespace {

/// A fully associative cache of `capacity` lines with least-recently-used
/// replacement, counting the accesses that miss (the first access to a line
/// included).
class LruCache {
public:
  explicit LruCache(uint64_t capacity)
      : capacity(std::max<uint64_t>(capacity, 1)) {}

  void access(uint64_t line) {
    auto found = where.find(line);
    if (found != where.end()) {
      recent.splice(recent.begin(), recent, found->second);
      return;
    }
    ++misses;
    if (recent.size() == capacity) {
      where.erase(recent.back());
      recent.pop_back();
    }
    recent.push_front(line);
    where[line] = recent.begin();
  }

  uint64_t getMisses() const { return misses; }

private:
  uint64_t capacity;
  uint64_t misses = 0;
  /// Most recent first.
  std::list<uint64_t> recent;
  llvm::DenseMap<uint64_t, std::list<uint64_t>::iterator> where;
};

/// The line of 4-byte frame element `element`.
uint64_t getLine(uint64_t element) { return element * 4 / kFrameLineBytes; }

} // namespace

uint64_t sffnn::detail::countCsrFrameMisses(const Graph &graph,
                                            uint64_t cacheLines) {
  LruCache cache(cacheLines);
  // x[u] = in[u] for the inputs, then each row in layerwise order reads its
  // sources and writes its own element.
  for (NeuronId u = 0; u < graph.getNumInputs(); ++u)
    cache.access(getLine(u));
  for (NeuronId v : getLayerwiseOrder(graph)) {
    for (NeuronId u : graph.getFanIn(v))
      cache.access(getLine(u));
    cache.access(getLine(v));
  }
  return cache.getMisses();
}

uint64_t sffnn::detail::countPlanFrameMisses(const KernelProgram &program,
                                             uint64_t cacheLines) {
  LruCache cache(cacheLines);
  for (const KernelOp &op : program.ops) {
    switch (op.kind) {
    case KernelOp::Mac:
    case KernelOp::MacNew:
      cache.access(getLine(op.source));
      break;
    case KernelOp::BiasNew:
      // A new accumulator starts in a register.
      break;
    default:
      // Loads and stores copy to or from the slot; a continued accumulator
      // starts from it; a finished value is written to it.
      cache.access(getLine(op.slot));
      break;
    }
  }
  return cache.getMisses();
}

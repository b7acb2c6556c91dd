//===- WindowCost.cpp - Cost of a window of an order, in isolation --------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements WindowCostModel with the planner's eviction rule
// (dead values first, then furthest next use, dirty live values stored) on
// the neuron values of a window.
//
//===----------------------------------------------------------------------===//

#include "WindowCost.h"

#include <algorithm>
#include <limits>

using namespace sffnn;
using namespace sffnn::detail;

static constexpr uint32_t kNever = std::numeric_limits<uint32_t>::max();

WindowCostModel::WindowCostModel(const Graph &graph, uint32_t fastMemory)
    : graph(graph), capacity(fastMemory > 3 ? fastMemory - 2 : 1),
      isOutput(graph.getNumNeurons(), 0), windowEpoch(graph.getNumNeurons(), 0),
      seenEpoch(graph.getNumNeurons(), 0),
      residentEpoch(graph.getNumNeurons(), 0),
      storedEpoch(graph.getNumNeurons(), 0),
      lastSeen(graph.getNumNeurons(), kNever),
      nextUse(graph.getNumNeurons(), kNever), dirty(graph.getNumNeurons(), 0) {
  for (NeuronId v : graph.getOutputs())
    isOutput[v] = 1;
  heap.reset(capacity);
}

void WindowCostModel::setNext(NeuronId v, Position next) {
  nextUse[v] = next;
  heap.push(next, v,
            [&](Position key, NeuronId entry) { return isStale(key, entry); });
}

uint64_t WindowCostModel::makeRoom() {
  if (residentCount < capacity)
    return 0;
  auto [next, v] = heap.popFurthest(
      [&](Position key, NeuronId entry) { return isStale(key, entry); });
  residentEpoch[v] = 0;
  --residentCount;
  if (next != kNever && dirty[v]) {
    dirty[v] = 0;
    storedEpoch[v] = epoch;
    return 1;
  }
  return 0;
}

uint64_t WindowCostModel::getCost(llvm::ArrayRef<NeuronId> neurons) {
  ++epoch;
  heap.clear();
  residentCount = 0;
  accessValue.clear();
  accessIsProduce.clear();
  for (NeuronId v : neurons) {
    windowEpoch[v] = epoch;
    for (NeuronId u : graph.getFanIn(v)) {
      accessValue.push_back(u);
      accessIsProduce.push_back(0);
    }
    accessValue.push_back(v);
    accessIsProduce.push_back(1);
  }
  // Next uses, backwards.
  accessNext.resize(accessValue.size());
  for (Position p = accessValue.size(); p-- > 0;) {
    NeuronId v = accessValue[p];
    accessNext[p] = seenEpoch[v] == epoch ? lastSeen[v] : kNever;
    seenEpoch[v] = epoch;
    lastSeen[v] = p;
  }

  uint64_t cost = 0;
  for (Position p = 0, e = accessValue.size(); p < e; ++p) {
    NeuronId v = accessValue[p];
    if (accessIsProduce[p]) {
      cost += makeRoom();
      residentEpoch[v] = epoch;
      ++residentCount;
      dirty[v] = !isOutput[v];
      if (isOutput[v]) {
        storedEpoch[v] = epoch;
        ++cost;
      }
      setNext(v, accessNext[p]);
      continue;
    }
    if (!isResident(v)) {
      cost += makeRoom();
      ++cost; // the load
      residentEpoch[v] = epoch;
      ++residentCount;
      dirty[v] = 0;
    }
    setNext(v, accessNext[p]);
  }
  // Produced values the rest of the network needs, never stored.
  for (NeuronId v : neurons) {
    if (isOutput[v] || storedEpoch[v] == epoch)
      continue;
    for (NeuronId consumer : graph.getFanOut(v)) {
      if (windowEpoch[consumer] != epoch) {
        ++cost;
        break;
      }
    }
  }
  return cost;
}

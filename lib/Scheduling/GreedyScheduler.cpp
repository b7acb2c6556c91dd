//===- GreedyScheduler.cpp - Greedy list scheduling for locality ----------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements getGreedyOrder: a list scheduler over the ready
// neurons (all computed sources finished) that simulates an LRU fast memory
// of M - 2 neuron values and always pulls the ready neuron with the most
// sources resident. Scores change when a value enters or leaves the
// simulated memory; an indexed max-heap over the ready neurons keeps the
// best one at the top.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Scheduling/Schedulers.h"

#include <limits>

using namespace sffnn;

namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

/// A max-heap of neurons keyed by (score, smaller id first) that supports
/// changing the score of a neuron in the heap.
class ReadyHeap {
public:
  explicit ReadyHeap(uint32_t numNeurons)
      : position(numNeurons, kNone), score(numNeurons, 0) {}

  bool empty() const { return heap.empty(); }
  bool contains(NeuronId v) const { return position[v] != kNone; }

  void push(NeuronId v, uint32_t initialScore) {
    score[v] = initialScore;
    position[v] = heap.size();
    heap.push_back(v);
    siftUp(heap.size() - 1);
  }

  NeuronId pop() {
    NeuronId top = heap.front();
    swapAt(0, heap.size() - 1);
    heap.pop_back();
    position[top] = kNone;
    if (!heap.empty())
      siftDown(0);
    return top;
  }

  void add(NeuronId v, int delta) {
    score[v] += delta;
    if (delta > 0)
      siftUp(position[v]);
    else
      siftDown(position[v]);
  }

private:
  bool before(NeuronId a, NeuronId b) const {
    return score[a] != score[b] ? score[a] > score[b] : a < b;
  }
  void swapAt(uint32_t i, uint32_t j) {
    std::swap(heap[i], heap[j]);
    position[heap[i]] = i;
    position[heap[j]] = j;
  }
  void siftUp(uint32_t i) {
    while (i > 0) {
      uint32_t parent = (i - 1) / 2;
      if (!before(heap[i], heap[parent]))
        return;
      swapAt(i, parent);
      i = parent;
    }
  }
  void siftDown(uint32_t i) {
    for (;;) {
      uint32_t best = i, left = 2 * i + 1, right = left + 1;
      if (left < heap.size() && before(heap[left], heap[best]))
        best = left;
      if (right < heap.size() && before(heap[right], heap[best]))
        best = right;
      if (best == i)
        return;
      swapAt(i, best);
      i = best;
    }
  }

  std::vector<NeuronId> heap;
  std::vector<uint32_t> position;
  std::vector<uint32_t> score;
};

/// An LRU set of neuron values with a fixed capacity, as a doubly linked
/// list over neuron ids (most recent at the head).
class LruMemory {
public:
  LruMemory(uint32_t numNeurons, uint32_t capacity)
      : capacity(capacity), prev(numNeurons, kNone), next(numNeurons, kNone),
        resident(numNeurons, 0) {}

  bool contains(NeuronId v) const { return resident[v]; }

  /// Uses `v`: moves it to the front, inserting it if needed. Returns the
  /// evicted value, or kNone.
  uint32_t use(NeuronId v) {
    if (resident[v]) {
      unlink(v);
      linkFront(v);
      return kNone;
    }
    uint32_t evicted = kNone;
    if (size == capacity) {
      evicted = tail;
      unlink(evicted);
      resident[evicted] = 0;
      --size;
    }
    linkFront(v);
    resident[v] = 1;
    ++size;
    return evicted;
  }

private:
  void unlink(NeuronId v) {
    if (prev[v] != kNone)
      next[prev[v]] = next[v];
    else
      head = next[v];
    if (next[v] != kNone)
      prev[next[v]] = prev[v];
    else
      tail = prev[v];
    prev[v] = next[v] = kNone;
  }
  void linkFront(NeuronId v) {
    prev[v] = kNone;
    next[v] = head;
    if (head != kNone)
      prev[head] = v;
    head = v;
    if (tail == kNone)
      tail = v;
  }

  uint32_t capacity;
  uint32_t size = 0;
  uint32_t head = kNone, tail = kNone;
  std::vector<uint32_t> prev, next;
  std::vector<uint8_t> resident;
};

} // namespace

std::vector<NeuronId> sffnn::getGreedyOrder(const Graph &graph,
                                            uint32_t fastMemory) {
  const NeuronId numNeurons = graph.getNumNeurons();
  uint32_t capacity = fastMemory > 3 ? fastMemory - 2 : 1;
  LruMemory memory(numNeurons, capacity);
  ReadyHeap ready(numNeurons);

  // Computed sources not yet finished, per neuron.
  std::vector<uint32_t> pending(numNeurons, 0);
  for (NeuronId v = graph.getNumInputs(); v < numNeurons; ++v) {
    for (NeuronId u : graph.getFanIn(v))
      pending[v] += !graph.isInput(u);
    if (pending[v] == 0)
      ready.push(v, 0);
  }

  auto changeScores = [&](NeuronId value, int delta) {
    for (NeuronId consumer : graph.getFanOut(value))
      if (ready.contains(consumer))
        ready.add(consumer, delta);
  };
  auto use = [&](NeuronId value) {
    bool wasResident = memory.contains(value);
    uint32_t evicted = memory.use(value);
    if (evicted != kNone)
      changeScores(evicted, -1);
    if (!wasResident)
      changeScores(value, +1);
  };

  std::vector<NeuronId> order;
  order.reserve(graph.getNumComputed());
  while (!ready.empty()) {
    NeuronId v = ready.pop();
    order.push_back(v);
    for (NeuronId u : graph.getFanIn(v))
      use(u);
    use(v);
    for (NeuronId consumer : graph.getFanOut(v)) {
      if (--pending[consumer] != 0)
        continue;
      uint32_t resident = 0;
      for (NeuronId u : graph.getFanIn(consumer))
        resident += memory.contains(u);
      ready.push(consumer, resident);
    }
  }
  return order;
}

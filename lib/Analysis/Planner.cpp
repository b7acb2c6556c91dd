//===- Planner.cpp - From an evaluation order to a plan -------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the planner: offline eviction (Belady's furthest next
// use, dead values first, dirty live values stored) over an evaluation order.
//
// Values are numbered: x_v is value v (inputs and computed neurons), acc_v is
// value N + v. The resident values sit in a max-heap keyed by their next use
// (an operation position; "never" is the largest key). Keys change on every
// use, so the heap is lazy: stale entries are skipped when popped and the
// heap is rebuilt when it grows past 4M entries. The operands of the
// operation being prepared are keyed by its own position, the smallest key of
// any resident value, so they are never evicted while M >= 3.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Planner.h"

#include "sffnn/Analysis/FurthestUseHeap.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <limits>

using namespace sffnn;

EvaluationOrder sffnn::getPullOrder(const Graph &graph,
                                    llvm::ArrayRef<NeuronId> neurons) {
  EvaluationOrder order;
  order.reserve(graph.getNumConnections() + 2 * neurons.size());
  for (NeuronId v : neurons) {
    if (graph.getBias(v) != 0.0f)
      order.push_back(ComputeOp::bias(v));
    uint64_t begin = graph.getFanInBegin(v);
    for (uint64_t e = begin, end = begin + graph.getFanIn(v).size(); e < end;
         ++e)
      order.push_back(ComputeOp::mac(e));
    order.push_back(ComputeOp::finish(v));
  }
  return order;
}

namespace {

using Position = uint32_t;
constexpr Position kNever = std::numeric_limits<Position>::max();
constexpr SlotId kNoSlot = std::numeric_limits<SlotId>::max();

class Planner {
public:
  Planner(const Graph &graph, llvm::ArrayRef<ComputeOp> order, uint32_t m,
          PlanSink *sink)
      : graph(graph), order(order), numSlots(m), sink(sink) {}

  llvm::Expected<IOCounts> run();

private:
  /// Checks the order and computes the next-use positions.
  llvm::Error analyzeOrder();

  llvm::Error orderError(Position p, const llvm::Twine &reason) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "order position " + llvm::Twine(p) + ": " +
                                       reason);
  }

  void emit(const PlanStep &step) {
    if (sink)
      sink->addStep(step);
  }

  uint64_t accumulatorValue(NeuronId v) const {
    return uint64_t(graph.getNumNeurons()) + v;
  }
  bool isAccumulator(uint64_t value) const {
    return value >= graph.getNumNeurons();
  }

  /// Sets the next use of the resident `value`.
  void setNextUse(uint64_t value, Position next);
  /// Returns an empty slot, evicting the resident value used furthest in the
  /// future when none is empty.
  SlotId takeSlot();
  /// Evicts one value (store if needed, then free).
  void evict();
  /// Makes `value` resident (loading it as `kind` if it is not) with next
  /// use `next`, and returns its slot.
  SlotId bringIn(uint64_t value, ValueKind kind, uint64_t index, Position next);
  /// Places a new value in a slot without a step (it is created by the step
  /// that follows).
  void place(uint64_t value, SlotId slot, Position next, bool dirty);
  /// Makes acc_v ready for an update at position p: resident, reloaded, or
  /// a new empty slot. Returns its slot.
  SlotId prepareAccumulator(NeuronId v, Position p);

  void doBias(Position p, NeuronId v);
  void doMac(Position p, uint64_t e);
  void doFinish(Position p, NeuronId v);

  const Graph &graph;
  llvm::ArrayRef<ComputeOp> order;
  uint32_t numSlots;
  PlanSink *sink;
  IOCounts counts;

  /// Per edge: its target.
  std::vector<NeuronId> edgeTarget;
  /// Per position: the next use of the accumulator (Bias, Mac) or of x_v
  /// (Finish) after it, and for a Mac the next use of its source.
  std::vector<Position> nextAccumulator, nextSource;

  /// Per value (2N): slot (or kNoSlot), current next use, dirty flag.
  std::vector<SlotId> slotOf;
  std::vector<Position> nextUse;
  std::vector<uint8_t> dirty;
  /// Per computed neuron: accumulator created; x_v has a copy in slow memory.
  std::vector<uint8_t> accumulatorCreated, stored;
  std::vector<uint8_t> isOutput;
  std::vector<uint64_t> slotContent;
  std::vector<SlotId> freeSlots;
  /// The resident values by next use.
  FurthestUseHeap<Position, uint64_t> heap;
  /// True if the heap entry (next, value) is outdated.
  bool isStale(Position next, uint64_t value) const {
    return slotOf[value] == kNoSlot || nextUse[value] != next;
  }
};

} // namespace

llvm::Error Planner::analyzeOrder() {
  const NeuronId numNeurons = graph.getNumNeurons();
  const NeuronId numInputs = graph.getNumInputs();
  if (order.size() >= kNever)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the order has " +
                                       llvm::Twine(order.size()) +
                                       " operations; at most 2^32 - 2 are "
                                       "supported");
  edgeTarget.resize(graph.getNumConnections());
  for (NeuronId v = numInputs; v < numNeurons; ++v) {
    uint64_t begin = graph.getFanInBegin(v);
    std::fill_n(edgeTarget.begin() + begin, graph.getFanIn(v).size(), v);
  }

  // Forward: legality.
  llvm::BitVector edgeDone(graph.getNumConnections());
  std::vector<uint32_t> macsLeft(numNeurons, 0);
  std::vector<uint8_t> biasLeft(numNeurons, 0), finished(numNeurons, 0);
  for (NeuronId v = numInputs; v < numNeurons; ++v) {
    macsLeft[v] = graph.getFanIn(v).size();
    biasLeft[v] = graph.getBias(v) != 0.0f;
  }
  for (Position p = 0, e = order.size(); p < e; ++p) {
    ComputeOp op = order[p];
    uint64_t index = op.getIndex();
    switch (op.getKind()) {
    case ComputeOp::Kind::Bias:
      if (index < numInputs || index >= numNeurons)
        return orderError(p, "bias of " + llvm::Twine(index) +
                                 ", which is not a computed neuron");
      if (!biasLeft[index])
        return orderError(p, "bias of neuron " + llvm::Twine(index) +
                                 (graph.getBias(index) == 0.0f
                                      ? ", whose bias is zero"
                                      : ", which was already applied"));
      if (finished[index])
        return orderError(p, "bias of neuron " + llvm::Twine(index) +
                                 " after its finish");
      biasLeft[index] = 0;
      break;
    case ComputeOp::Kind::Mac: {
      if (index >= graph.getNumConnections())
        return orderError(p, "edge " + llvm::Twine(index) + " is out of range");
      if (edgeDone[index])
        return orderError(p, "edge " + llvm::Twine(index) + " again");
      NeuronId v = edgeTarget[index];
      NeuronId u = graph.getFanIn(v)[index - graph.getFanInBegin(v)];
      if (!graph.isInput(u) && !finished[u])
        return orderError(p, "edge " + llvm::Twine(index) + " reads neuron " +
                                 llvm::Twine(u) + " before its finish");
      if (finished[v])
        return orderError(p, "edge " + llvm::Twine(index) + " into neuron " +
                                 llvm::Twine(v) + " after its finish");
      edgeDone.set(index);
      --macsLeft[v];
      break;
    }
    case ComputeOp::Kind::Finish:
      if (index < numInputs || index >= numNeurons)
        return orderError(p, "finish of " + llvm::Twine(index) +
                                 ", which is not a computed neuron");
      if (finished[index])
        return orderError(p, "neuron " + llvm::Twine(index) +
                                 " is finished twice");
      if (macsLeft[index] != 0 || biasLeft[index])
        return orderError(p, "neuron " + llvm::Twine(index) +
                                 " is finished before its macs and bias");
      finished[index] = 1;
      break;
    }
  }
  for (NeuronId v = numInputs; v < numNeurons; ++v)
    if (!finished[v])
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "the order never finishes neuron " +
                                         llvm::Twine(v));

  // Backward: next uses.
  nextAccumulator.resize(order.size());
  nextSource.assign(order.size(), kNever);
  std::vector<Position> nextOfNeuron(numNeurons, kNever),
      nextAsSource(numNeurons, kNever);
  for (Position p = order.size(); p-- > 0;) {
    ComputeOp op = order[p];
    switch (op.getKind()) {
    case ComputeOp::Kind::Bias:
      nextAccumulator[p] = nextOfNeuron[op.getIndex()];
      nextOfNeuron[op.getIndex()] = p;
      break;
    case ComputeOp::Kind::Mac: {
      uint64_t e = op.getIndex();
      NeuronId v = edgeTarget[e];
      NeuronId u = graph.getFanIn(v)[e - graph.getFanInBegin(v)];
      nextAccumulator[p] = nextOfNeuron[v];
      nextOfNeuron[v] = p;
      nextSource[p] = nextAsSource[u];
      nextAsSource[u] = p;
      break;
    }
    case ComputeOp::Kind::Finish:
      nextAccumulator[p] = nextAsSource[op.getIndex()];
      nextOfNeuron[op.getIndex()] = p;
      break;
    }
  }
  return llvm::Error::success();
}

void Planner::setNextUse(uint64_t value, Position next) {
  nextUse[value] = next;
  heap.push(next, value,
            [&](Position key, uint64_t entry) { return isStale(key, entry); });
}

void Planner::evict() {
  auto [next, value] = heap.popFurthest(
      [&](Position key, uint64_t entry) { return isStale(key, entry); });
  SlotId slot = slotOf[value];
  if (next != kNever && dirty[value]) {
    emit(PlanStep::store(slot));
    if (isAccumulator(value)) {
      counts.countStore(ValueKind::Accumulator, false);
    } else {
      counts.countStore(ValueKind::Neuron, isOutput[value]);
      stored[value - graph.getNumInputs()] = 1;
    }
    dirty[value] = 0;
  }
  emit(PlanStep::free(slot));
  slotOf[value] = kNoSlot;
  slotContent[slot] = ~uint64_t(0);
  freeSlots.push_back(slot);
}

SlotId Planner::takeSlot() {
  if (freeSlots.empty())
    evict();
  SlotId slot = freeSlots.back();
  freeSlots.pop_back();
  return slot;
}

void Planner::place(uint64_t value, SlotId slot, Position next, bool isDirty) {
  slotOf[value] = slot;
  slotContent[slot] = value;
  dirty[value] = isDirty;
  setNextUse(value, next);
}

SlotId Planner::bringIn(uint64_t value, ValueKind kind, uint64_t index,
                        Position next) {
  if (slotOf[value] != kNoSlot) {
    setNextUse(value, next);
    return slotOf[value];
  }
  SlotId slot = takeSlot();
  emit(PlanStep::load(slot, kind, index));
  counts.countLoad(kind);
  place(value, slot, next, /*isDirty=*/false);
  return slot;
}

SlotId Planner::prepareAccumulator(NeuronId v, Position p) {
  uint64_t value = accumulatorValue(v);
  uint32_t i = v - graph.getNumInputs();
  if (accumulatorCreated[i])
    return bringIn(value, ValueKind::Accumulator, v, p);
  // A new accumulator: an empty slot that the next step fills.
  accumulatorCreated[i] = 1;
  SlotId slot = takeSlot();
  place(value, slot, p, /*isDirty=*/true);
  return slot;
}

void Planner::doBias(Position p, NeuronId v) {
  SlotId accSlot = prepareAccumulator(v, p);
  SlotId biasSlot = takeSlot();
  emit(PlanStep::load(biasSlot, ValueKind::Bias, v));
  counts.countLoad(ValueKind::Bias);
  emit(PlanStep::bias(v, accSlot, biasSlot));
  freeSlots.push_back(biasSlot);
  uint64_t acc = accumulatorValue(v);
  dirty[acc] = 1;
  setNextUse(acc, nextAccumulator[p]);
}

void Planner::doMac(Position p, uint64_t e) {
  NeuronId v = edgeTarget[e];
  NeuronId u = graph.getFanIn(v)[e - graph.getFanInBegin(v)];
  SlotId accSlot = prepareAccumulator(v, p);
  SlotId sourceSlot =
      bringIn(u, graph.isInput(u) ? ValueKind::Input : ValueKind::Neuron, u, p);
  SlotId weightSlot = takeSlot();
  emit(PlanStep::load(weightSlot, ValueKind::Weight, e));
  counts.countLoad(ValueKind::Weight);
  emit(PlanStep::mac(e, accSlot, weightSlot, sourceSlot));
  freeSlots.push_back(weightSlot);
  uint64_t acc = accumulatorValue(v);
  dirty[acc] = 1;
  setNextUse(acc, nextAccumulator[p]);
  setNextUse(u, nextSource[p]);
}

void Planner::doFinish(Position p, NeuronId v) {
  uint32_t i = v - graph.getNumInputs();
  SlotId slot;
  if (accumulatorCreated[i]) {
    uint64_t acc = accumulatorValue(v);
    slot = bringIn(acc, ValueKind::Accumulator, v, p);
    slotOf[acc] = kNoSlot; // its heap entries are now stale
  } else {
    slot = takeSlot();
  }
  emit(PlanStep::finish(v, slot));
  place(v, slot, nextAccumulator[p], /*isDirty=*/true);
  if (isOutput[v]) {
    emit(PlanStep::store(slot));
    counts.countStore(ValueKind::Neuron, /*isOutput=*/true);
    stored[i] = 1;
    dirty[v] = 0;
  }
}

llvm::Expected<IOCounts> Planner::run() {
  if (llvm::Error error = checkFastMemory(numSlots))
    return std::move(error);
  if (llvm::Error err = analyzeOrder())
    return std::move(err);
  // Slots beyond the values that can be resident at once are never used
  // (free slots are taken lowest first), so they are not allocated.
  numSlots = std::min(numSlots, getMaxUsefulFastMemory(graph));

  const uint64_t numValues = 2 * uint64_t(graph.getNumNeurons());
  slotOf.assign(numValues, kNoSlot);
  nextUse.assign(numValues, kNever);
  dirty.assign(numValues, 0);
  accumulatorCreated.assign(graph.getNumComputed(), 0);
  stored.assign(graph.getNumComputed(), 0);
  isOutput.assign(graph.getNumNeurons(), 0);
  for (NeuronId v : graph.getOutputs())
    isOutput[v] = 1;
  slotContent.assign(numSlots, ~uint64_t(0));
  freeSlots.clear();
  for (SlotId s = numSlots; s-- > 0;)
    freeSlots.push_back(s);
  heap.reset(numSlots);
  heap.reserve();

  for (Position p = 0, e = order.size(); p < e; ++p) {
    ComputeOp op = order[p];
    switch (op.getKind()) {
    case ComputeOp::Kind::Bias:
      doBias(p, op.getIndex());
      break;
    case ComputeOp::Kind::Mac:
      doMac(p, op.getIndex());
      break;
    case ComputeOp::Kind::Finish:
      doFinish(p, op.getIndex());
      break;
    }
  }
  return counts;
}

uint32_t sffnn::getMaxUsefulFastMemory(const Graph &graph) {
  // x_v of every neuron, acc_v of every computed neuron, a weight, a bias.
  uint64_t values = uint64_t(graph.getNumNeurons()) + graph.getNumComputed();
  return uint32_t(std::min<uint64_t>(values + 2, UINT32_MAX));
}

llvm::Expected<IOCounts> sffnn::planEvaluation(const Graph &graph,
                                               llvm::ArrayRef<ComputeOp> order,
                                               uint32_t fastMemory,
                                               PlanSink *sink) {
  return Planner(graph, order, fastMemory, sink).run();
}

//===- Plan.cpp - Memory programs over M fast-memory slots ----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements plan steps, I/O counts and the plan validator, which
// replays a plan step by step and rejects the first illegal step with its
// index and the reason.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Plan.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/Twine.h"

using namespace sffnn;

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

llvm::StringRef sffnn::stringifyValueKind(ValueKind kind) {
  switch (kind) {
  case ValueKind::Input:
    return "input";
  case ValueKind::Weight:
    return "weight";
  case ValueKind::Bias:
    return "bias";
  case ValueKind::Neuron:
    return "neuron";
  case ValueKind::Accumulator:
    return "accumulator";
  }
  return "unknown";
}

llvm::StringRef sffnn::stringifyStepKind(StepKind kind) {
  switch (kind) {
  case StepKind::Load:
    return "load";
  case StepKind::Store:
    return "store";
  case StepKind::Free:
    return "free";
  case StepKind::Bias:
    return "bias";
  case StepKind::Mac:
    return "mac";
  case StepKind::Finish:
    return "finish";
  }
  return "unknown";
}

bool PlanStep::operator==(const PlanStep &other) const {
  return kind == other.kind && valueKind == other.valueKind &&
         slots[0] == other.slots[0] && slots[1] == other.slots[1] &&
         slots[2] == other.slots[2] && index == other.index;
}

PlanSink::~PlanSink() = default;

//===----------------------------------------------------------------------===//
// IOCounts
//===----------------------------------------------------------------------===//

void IOCounts::countLoad(ValueKind kind) {
  switch (kind) {
  case ValueKind::Input:
    ++inputLoads;
    return;
  case ValueKind::Weight:
    ++weightLoads;
    return;
  case ValueKind::Bias:
    ++biasLoads;
    return;
  case ValueKind::Neuron:
    ++neuronReloads;
    return;
  case ValueKind::Accumulator:
    ++accumulatorLoads;
    return;
  }
}

void IOCounts::countStore(ValueKind kind, bool isOutput) {
  if (kind == ValueKind::Accumulator)
    ++accumulatorStores;
  else if (isOutput)
    ++outputStores;
  else
    ++spillStores;
}

bool IOCounts::operator==(const IOCounts &other) const {
  return inputLoads == other.inputLoads && weightLoads == other.weightLoads &&
         biasLoads == other.biasLoads && neuronReloads == other.neuronReloads &&
         accumulatorLoads == other.accumulatorLoads &&
         outputStores == other.outputStores &&
         spillStores == other.spillStores &&
         accumulatorStores == other.accumulatorStores;
}

//===----------------------------------------------------------------------===//
// Validator
//===----------------------------------------------------------------------===//

namespace {

constexpr SlotId kNoSlot = ~SlotId(0);

/// What a slot holds.
struct SlotContent {
  bool occupied = false;
  ValueKind kind = ValueKind::Input;
  uint64_t index = 0;
};

/// Replays a plan; see validatePlan.
class PlanValidator {
public:
  PlanValidator(const Graph &graph, const Plan &plan);
  llvm::Expected<IOCounts> run();

private:
  llvm::Error step(const PlanStep &step);
  llvm::Error load(const PlanStep &step);
  llvm::Error store(const PlanStep &step);
  llvm::Error free(const PlanStep &step);
  llvm::Error bias(const PlanStep &step);
  llvm::Error mac(const PlanStep &step);
  llvm::Error finish(const PlanStep &step);
  llvm::Error checkEnd();

  /// Checks that `slot` is below M.
  llvm::Error checkSlot(SlotId slot);
  /// Checks that `v` is a computed neuron.
  llvm::Error checkComputed(uint64_t v);
  /// Checks that `slot` holds (kind, index).
  llvm::Error checkHolds(SlotId slot, ValueKind kind, uint64_t index);
  /// Checks that acc_v can be updated in `slot`: it is there, or v has no
  /// accumulator yet and `slot` is empty (creating acc_v = 0 there).
  llvm::Error prepareAccumulator(NeuronId v, SlotId slot);
  /// Empties `slot`, updating what it held.
  void clearSlot(SlotId slot);
  /// True if x_v is still needed: a mac from v is pending or v is an
  /// unstored output.
  bool isNeeded(NeuronId v) const;
  std::string describe(const SlotContent &content) const;
  llvm::Error error(const llvm::Twine &reason) const;

  const Graph &graph;
  const Plan &plan;
  uint32_t numSlots;
  uint64_t stepIndex = 0;
  IOCounts counts;

  std::vector<SlotContent> slots;
  /// Per computed neuron (index v - n_in).
  std::vector<SlotId> accumulatorSlot;
  std::vector<uint8_t> accumulatorCreated, accumulatorInSlow, biasDone,
      finished, stored;
  std::vector<uint32_t> macsDone;
  /// Per neuron: fast-memory copies of x_v and macs from v still pending.
  std::vector<uint32_t> copies;
  std::vector<uint64_t> pendingFanOut;
  std::vector<uint8_t> isOutput;
  /// Per edge: its target, and whether its mac was done.
  std::vector<NeuronId> edgeTarget;
  llvm::BitVector edgeDone;
};

} // namespace

PlanValidator::PlanValidator(const Graph &graph, const Plan &plan)
    : graph(graph), plan(plan), numSlots(plan.getFastMemory()),
      slots(plan.getFastMemory()) {
  uint32_t numComputed = graph.getNumComputed();
  accumulatorSlot.assign(numComputed, kNoSlot);
  accumulatorCreated.assign(numComputed, 0);
  accumulatorInSlow.assign(numComputed, 0);
  biasDone.assign(numComputed, 0);
  finished.assign(numComputed, 0);
  stored.assign(numComputed, 0);
  macsDone.assign(numComputed, 0);
  copies.assign(graph.getNumNeurons(), 0);
  pendingFanOut.resize(graph.getNumNeurons());
  for (NeuronId u = 0; u < graph.getNumNeurons(); ++u)
    pendingFanOut[u] = graph.getFanOut(u).size();
  isOutput.assign(graph.getNumNeurons(), 0);
  for (NeuronId v : graph.getOutputs())
    isOutput[v] = 1;
  edgeTarget.resize(graph.getNumConnections());
  for (NeuronId v = graph.getNumInputs(); v < graph.getNumNeurons(); ++v) {
    uint64_t begin = graph.getFanInBegin(v);
    for (uint64_t e = begin, end = begin + graph.getFanIn(v).size(); e < end;
         ++e)
      edgeTarget[e] = v;
  }
  edgeDone.resize(graph.getNumConnections());
}

llvm::Error PlanValidator::error(const llvm::Twine &reason) const {
  const PlanStep &current = plan.getSteps()[stepIndex];
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "step " + llvm::Twine(stepIndex) + " (" +
                                     stringifyStepKind(current.kind) +
                                     "): " + reason);
}

std::string PlanValidator::describe(const SlotContent &content) const {
  if (!content.occupied)
    return "nothing";
  return (stringifyValueKind(content.kind) + " " + llvm::Twine(content.index))
      .str();
}

llvm::Error PlanValidator::checkSlot(SlotId slot) {
  if (slot >= numSlots)
    return error("slot " + llvm::Twine(slot) + " is out of range [0, " +
                 llvm::Twine(numSlots) + ")");
  return llvm::Error::success();
}

llvm::Error PlanValidator::checkComputed(uint64_t v) {
  if (v < graph.getNumInputs() || v >= graph.getNumNeurons())
    return error("neuron " + llvm::Twine(v) + " is not a computed neuron [" +
                 llvm::Twine(graph.getNumInputs()) + ", " +
                 llvm::Twine(graph.getNumNeurons()) + ")");
  return llvm::Error::success();
}

llvm::Error PlanValidator::checkHolds(SlotId slot, ValueKind kind,
                                      uint64_t index) {
  if (llvm::Error err = checkSlot(slot))
    return err;
  const SlotContent &content = slots[slot];
  if (!content.occupied || content.kind != kind || content.index != index)
    return error("slot " + llvm::Twine(slot) + " holds " + describe(content) +
                 ", not " + stringifyValueKind(kind) + " " +
                 llvm::Twine(index));
  return llvm::Error::success();
}

bool PlanValidator::isNeeded(NeuronId v) const {
  return pendingFanOut[v] > 0 ||
         (isOutput[v] && !stored[v - graph.getNumInputs()]);
}

void PlanValidator::clearSlot(SlotId slot) {
  SlotContent &content = slots[slot];
  if (content.kind == ValueKind::Accumulator)
    accumulatorSlot[content.index - graph.getNumInputs()] = kNoSlot;
  else if (content.kind == ValueKind::Input ||
           content.kind == ValueKind::Neuron)
    --copies[content.index];
  content = SlotContent();
}

llvm::Error PlanValidator::prepareAccumulator(NeuronId v, SlotId slot) {
  uint32_t i = v - graph.getNumInputs();
  if (finished[i])
    return error("neuron " + llvm::Twine(v) + " is already finished");
  if (!accumulatorCreated[i]) {
    if (slots[slot].occupied)
      return error("slot " + llvm::Twine(slot) + " holds " +
                   describe(slots[slot]) +
                   ", but the new accumulator of neuron " + llvm::Twine(v) +
                   " needs an empty slot");
    accumulatorCreated[i] = 1;
    accumulatorSlot[i] = slot;
    slots[slot] = {true, ValueKind::Accumulator, v};
    return llvm::Error::success();
  }
  if (accumulatorSlot[i] == kNoSlot)
    return error("the accumulator of neuron " + llvm::Twine(v) +
                 " is not in fast memory");
  return checkHolds(slot, ValueKind::Accumulator, v);
}

llvm::Error PlanValidator::load(const PlanStep &step) {
  SlotId slot = step.slots[0];
  if (llvm::Error err = checkSlot(slot))
    return err;
  if (slots[slot].occupied)
    return error("slot " + llvm::Twine(slot) + " is not empty: it holds " +
                 describe(slots[slot]));
  uint64_t index = step.index;
  switch (step.valueKind) {
  case ValueKind::Input:
    if (index >= graph.getNumInputs())
      return error("input " + llvm::Twine(index) + " is out of range [0, " +
                   llvm::Twine(graph.getNumInputs()) + ")");
    ++copies[index];
    break;
  case ValueKind::Weight:
    if (index >= graph.getNumConnections())
      return error("weight " + llvm::Twine(index) + " is out of range [0, " +
                   llvm::Twine(graph.getNumConnections()) + ")");
    break;
  case ValueKind::Bias:
    if (llvm::Error err = checkComputed(index))
      return err;
    if (graph.getBias(index) == 0.0f)
      return error("neuron " + llvm::Twine(index) +
                   " has a zero bias, which has no word in slow memory");
    break;
  case ValueKind::Neuron:
    if (llvm::Error err = checkComputed(index))
      return err;
    if (!stored[index - graph.getNumInputs()])
      return error("neuron " + llvm::Twine(index) +
                   " has no copy in slow memory");
    ++copies[index];
    break;
  case ValueKind::Accumulator: {
    if (llvm::Error err = checkComputed(index))
      return err;
    uint32_t i = index - graph.getNumInputs();
    if (!accumulatorInSlow[i])
      return error("the accumulator of neuron " + llvm::Twine(index) +
                   " has no current copy in slow memory");
    if (accumulatorSlot[i] != kNoSlot)
      return error("the accumulator of neuron " + llvm::Twine(index) +
                   " is already in slot " + llvm::Twine(accumulatorSlot[i]));
    accumulatorSlot[i] = slot;
    break;
  }
  }
  slots[slot] = {true, step.valueKind, index};
  counts.countLoad(step.valueKind);
  return llvm::Error::success();
}

llvm::Error PlanValidator::store(const PlanStep &step) {
  SlotId slot = step.slots[0];
  if (llvm::Error err = checkSlot(slot))
    return err;
  const SlotContent &content = slots[slot];
  if (!content.occupied || (content.kind != ValueKind::Neuron &&
                            content.kind != ValueKind::Accumulator))
    return error("slot " + llvm::Twine(slot) + " holds " + describe(content) +
                 "; only neuron values and accumulators are stored");
  uint32_t i = content.index - graph.getNumInputs();
  if (content.kind == ValueKind::Neuron)
    stored[i] = 1;
  else
    accumulatorInSlow[i] = 1;
  counts.countStore(content.kind, isOutput[content.index]);
  return llvm::Error::success();
}

llvm::Error PlanValidator::free(const PlanStep &step) {
  SlotId slot = step.slots[0];
  if (llvm::Error err = checkSlot(slot))
    return err;
  const SlotContent &content = slots[slot];
  if (!content.occupied)
    return error("slot " + llvm::Twine(slot) + " is already empty");
  if (content.kind == ValueKind::Accumulator &&
      !accumulatorInSlow[content.index - graph.getNumInputs()])
    return error("frees the accumulator of neuron " +
                 llvm::Twine(content.index) +
                 ", which has no current copy in slow memory");
  if (content.kind == ValueKind::Neuron && copies[content.index] == 1 &&
      !stored[content.index - graph.getNumInputs()] && isNeeded(content.index))
    return error("frees neuron " + llvm::Twine(content.index) +
                 ", which is still needed and has no copy in slow memory");
  clearSlot(slot);
  return llvm::Error::success();
}

llvm::Error PlanValidator::bias(const PlanStep &step) {
  if (llvm::Error err = checkComputed(step.index))
    return err;
  NeuronId v = step.index;
  uint32_t i = v - graph.getNumInputs();
  SlotId accSlot = step.slots[0], biasSlot = step.slots[1];
  if (llvm::Error err = checkSlot(accSlot))
    return err;
  if (graph.getBias(v) == 0.0f)
    return error("neuron " + llvm::Twine(v) + " has a zero bias");
  if (biasDone[i])
    return error("the bias of neuron " + llvm::Twine(v) +
                 " was already applied");
  if (accSlot == biasSlot)
    return error("the accumulator and the bias share slot " +
                 llvm::Twine(accSlot));
  if (llvm::Error err = checkHolds(biasSlot, ValueKind::Bias, v))
    return err;
  if (llvm::Error err = prepareAccumulator(v, accSlot))
    return err;
  biasDone[i] = 1;
  accumulatorInSlow[i] = 0;
  clearSlot(biasSlot);
  return llvm::Error::success();
}

llvm::Error PlanValidator::mac(const PlanStep &step) {
  uint64_t e = step.index;
  if (e >= graph.getNumConnections())
    return error("edge " + llvm::Twine(e) + " is out of range [0, " +
                 llvm::Twine(graph.getNumConnections()) + ")");
  if (edgeDone[e])
    return error("the mac of edge " + llvm::Twine(e) + " was already done");
  NeuronId v = edgeTarget[e];
  NeuronId u = graph.getFanIn(v)[e - graph.getFanInBegin(v)];
  SlotId accSlot = step.slots[0], weightSlot = step.slots[1],
         sourceSlot = step.slots[2];
  if (llvm::Error err = checkSlot(accSlot))
    return err;
  if (accSlot == weightSlot || accSlot == sourceSlot ||
      weightSlot == sourceSlot)
    return error("the accumulator, the weight and the source need three "
                 "distinct slots");
  if (llvm::Error err = checkHolds(weightSlot, ValueKind::Weight, e))
    return err;
  ValueKind sourceKind =
      graph.isInput(u) ? ValueKind::Input : ValueKind::Neuron;
  if (llvm::Error err = checkHolds(sourceSlot, sourceKind, u))
    return err;
  if (llvm::Error err = prepareAccumulator(v, accSlot))
    return err;
  edgeDone.set(e);
  ++macsDone[v - graph.getNumInputs()];
  --pendingFanOut[u];
  accumulatorInSlow[v - graph.getNumInputs()] = 0;
  clearSlot(weightSlot);
  return llvm::Error::success();
}

llvm::Error PlanValidator::finish(const PlanStep &step) {
  if (llvm::Error err = checkComputed(step.index))
    return err;
  NeuronId v = step.index;
  uint32_t i = v - graph.getNumInputs();
  SlotId slot = step.slots[0];
  if (llvm::Error err = checkSlot(slot))
    return err;
  if (finished[i])
    return error("neuron " + llvm::Twine(v) + " is already finished");
  size_t fanIn = graph.getFanIn(v).size();
  if (macsDone[i] != fanIn)
    return error("neuron " + llvm::Twine(v) + " has " +
                 llvm::Twine(fanIn - macsDone[i]) + " of " +
                 llvm::Twine(fanIn) + " macs left");
  if (graph.getBias(v) != 0.0f && !biasDone[i])
    return error("the bias of neuron " + llvm::Twine(v) +
                 " is not applied yet");
  if (accumulatorCreated[i]) {
    if (accumulatorSlot[i] == kNoSlot)
      return error("the accumulator of neuron " + llvm::Twine(v) +
                   " is not in fast memory");
    if (llvm::Error err = checkHolds(slot, ValueKind::Accumulator, v))
      return err;
    accumulatorSlot[i] = kNoSlot;
  } else if (slots[slot].occupied) {
    return error("slot " + llvm::Twine(slot) + " holds " +
                 describe(slots[slot]) + ", but neuron " + llvm::Twine(v) +
                 " (no fan-in, zero bias) needs an empty slot");
  }
  finished[i] = 1;
  accumulatorInSlow[i] = 0;
  slots[slot] = {true, ValueKind::Neuron, v};
  ++copies[v];
  return llvm::Error::success();
}

llvm::Error PlanValidator::step(const PlanStep &step) {
  switch (step.kind) {
  case StepKind::Load:
    return load(step);
  case StepKind::Store:
    return store(step);
  case StepKind::Free:
    return free(step);
  case StepKind::Bias:
    return bias(step);
  case StepKind::Mac:
    return mac(step);
  case StepKind::Finish:
    return finish(step);
  }
  return error("unknown step kind");
}

llvm::Error PlanValidator::checkEnd() {
  auto endError = [](const llvm::Twine &reason) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "end of plan: " + reason);
  };
  int missingEdge = edgeDone.find_first_unset();
  if (missingEdge >= 0)
    return endError("the mac of edge " + llvm::Twine(missingEdge) +
                    " (into neuron " + llvm::Twine(edgeTarget[missingEdge]) +
                    ") was never done");
  for (NeuronId v = graph.getNumInputs(); v < graph.getNumNeurons(); ++v) {
    uint32_t i = v - graph.getNumInputs();
    if (graph.getBias(v) != 0.0f && !biasDone[i])
      return endError("the bias of neuron " + llvm::Twine(v) +
                      " was never applied");
    if (!finished[i])
      return endError("neuron " + llvm::Twine(v) + " was never finished");
  }
  for (NeuronId v : graph.getOutputs())
    if (!stored[v - graph.getNumInputs()])
      return endError("output neuron " + llvm::Twine(v) + " was never stored");
  return llvm::Error::success();
}

llvm::Expected<IOCounts> PlanValidator::run() {
  if (llvm::Error error = checkFastMemory(numSlots))
    return std::move(error);
  const std::vector<PlanStep> &steps = plan.getSteps();
  for (stepIndex = 0; stepIndex < steps.size(); ++stepIndex)
    if (llvm::Error err = step(steps[stepIndex]))
      return std::move(err);
  if (llvm::Error err = checkEnd())
    return std::move(err);
  return counts;
}

llvm::Expected<IOCounts> sffnn::validatePlan(const Graph &graph,
                                             const Plan &plan) {
  return PlanValidator(graph, plan).run();
}

llvm::Error sffnn::checkFastMemory(uint64_t size, llvm::StringRef unit) {
  if (size >= kMinFastMemory)
    return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "fast memory must hold at least " +
                                     llvm::Twine(kMinFastMemory) + " " + unit +
                                     ", got " + llvm::Twine(size));
}

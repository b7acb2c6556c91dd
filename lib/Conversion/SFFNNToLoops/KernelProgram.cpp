//===- KernelProgram.cpp - A plan with its memory addresses resolved ------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements buildKernelProgram: one pass over a validated plan
// that tracks what each slot holds.
//
//===----------------------------------------------------------------------===//

#include "KernelProgram.h"

#include "llvm/ADT/DenseMap.h"

#include <deque>
#include <limits>

using namespace sffnn;
using namespace sffnn::detail;

llvm::Expected<KernelProgram>
sffnn::detail::buildKernelProgram(const Graph &graph, const Plan &plan) {
  llvm::Expected<IOCounts> counts = validatePlan(graph, plan);
  if (!counts)
    return counts.takeError();

  KernelProgram program;
  program.numSlots = plan.getFastMemory();
  program.numInputs = graph.getNumInputs();
  program.numOutputs = graph.getNumOutputs();
  program.counts = *counts;

  const NeuronId numInputs = graph.getNumInputs();
  std::vector<uint32_t> outputIndex(graph.getNumNeurons(),
                                    std::numeric_limits<uint32_t>::max());
  for (auto [k, v] : llvm::enumerate(graph.getOutputs()))
    outputIndex[v] = k;

  // Activations: a table of the distinct ones, and each neuron's entry.
  std::vector<uint32_t> activationOf(graph.getNumComputed());
  for (NeuronId v = numInputs; v < graph.getNumNeurons(); ++v) {
    const Activation &activation = graph.getActivation(v);
    auto it = llvm::find(program.activations, activation);
    activationOf[v - numInputs] = it - program.activations.begin();
    if (it == program.activations.end())
      program.activations.push_back(activation);
  }

  // Edge e -> its target, to read weights.
  std::vector<NeuronId> edgeTarget(graph.getNumConnections());
  for (NeuronId v = numInputs; v < graph.getNumNeurons(); ++v)
    std::fill_n(edgeTarget.begin() + graph.getFanInBegin(v),
                graph.getFanIn(v).size(), v);

  // Spill words: one per stored non-output neuron value and per stored
  // accumulator, numbered on first store. Key: 2 * v (+1 for accumulators).
  llvm::DenseMap<uint64_t, uint32_t> spillIndex;
  auto getSpill = [&](uint64_t key) {
    auto [it, inserted] = spillIndex.try_emplace(key, program.numSpills);
    if (inserted)
      ++program.numSpills;
    return it->second;
  };

  struct Content {
    ValueKind kind = ValueKind::Input;
    uint64_t index = 0;
  };
  std::vector<Content> slots(plan.getFastMemory());
  std::vector<uint8_t> accumulatorCreated(graph.getNumComputed(), 0);

  for (const PlanStep &step : plan.getSteps()) {
    SlotId s = step.slots[0];
    switch (step.kind) {
    case StepKind::Load:
      slots[s] = {step.valueKind, step.index};
      switch (step.valueKind) {
      case ValueKind::Input:
        program.ops.push_back(
            {KernelOp::LoadInput, s, 0, uint32_t(step.index)});
        break;
      case ValueKind::Weight:
      case ValueKind::Bias:
        break; // fused into the mac or bias that follows
      case ValueKind::Neuron:
        if (outputIndex[step.index] != std::numeric_limits<uint32_t>::max())
          program.ops.push_back(
              {KernelOp::LoadOutput, s, 0, outputIndex[step.index]});
        else
          program.ops.push_back(
              {KernelOp::LoadSpill, s, 0, getSpill(2 * step.index)});
        break;
      case ValueKind::Accumulator:
        program.ops.push_back(
            {KernelOp::LoadSpill, s, 0, getSpill(2 * step.index + 1)});
        break;
      }
      break;
    case StepKind::Store: {
      const Content &content = slots[s];
      if (content.kind == ValueKind::Accumulator)
        program.ops.push_back(
            {KernelOp::StoreSpill, s, 0, getSpill(2 * content.index + 1)});
      else if (outputIndex[content.index] !=
               std::numeric_limits<uint32_t>::max())
        program.ops.push_back(
            {KernelOp::StoreOutput, s, 0, outputIndex[content.index]});
      else
        program.ops.push_back(
            {KernelOp::StoreSpill, s, 0, getSpill(2 * content.index)});
      break;
    }
    case StepKind::Free:
      break;
    case StepKind::Bias: {
      NeuronId v = step.index;
      uint8_t &created = accumulatorCreated[v - numInputs];
      program.ops.push_back(
          {created ? KernelOp::Bias : KernelOp::BiasNew, s, 0, 0});
      program.biases.push_back(graph.getBias(v));
      created = 1;
      slots[s] = {ValueKind::Accumulator, v};
      break;
    }
    case StepKind::Mac: {
      uint64_t e = step.index;
      NeuronId v = edgeTarget[e];
      uint8_t &created = accumulatorCreated[v - numInputs];
      program.ops.push_back(
          {created ? KernelOp::Mac : KernelOp::MacNew, s, step.slots[2], 0});
      program.weights.push_back(
          graph.getFanInWeights(v)[e - graph.getFanInBegin(v)]);
      created = 1;
      slots[s] = {ValueKind::Accumulator, v};
      break;
    }
    case StepKind::Finish: {
      NeuronId v = step.index;
      program.ops.push_back({accumulatorCreated[v - numInputs]
                                 ? KernelOp::Finish
                                 : KernelOp::FinishEmpty,
                             s, 0, activationOf[v - numInputs]});
      slots[s] = {ValueKind::Neuron, v};
      break;
    }
    }
  }
  return program;
}

KernelProgram sffnn::detail::spreadSlots(const KernelProgram &program) {
  KernelProgram spread = program;
  const std::vector<KernelOp> &ops = program.ops;
  auto defines = [](KernelOp::Kind kind) {
    return kind <= KernelOp::LoadSpill || kind == KernelOp::BiasNew ||
           kind == KernelOp::MacNew || kind == KernelOp::FinishEmpty;
  };
  // Per op: whether it is the last use of the value in its `slot` (its
  // definition counts as a use), and of the value in its `source`.
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::vector<size_t> lastUse(program.numSlots, kNone);
  std::vector<uint8_t> endsSlot(ops.size(), 0), endsSource(ops.size(), 0);
  auto settle = [&](uint32_t slot) {
    if (lastUse[slot] == kNone)
      return;
    size_t op = lastUse[slot];
    // The source of a mac is its second operand.
    if ((ops[op].kind == KernelOp::Mac || ops[op].kind == KernelOp::MacNew) &&
        ops[op].source == slot)
      endsSource[op] = 1;
    else
      endsSlot[op] = 1;
    lastUse[slot] = kNone;
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    const KernelOp &op = ops[i];
    if (op.kind == KernelOp::Mac || op.kind == KernelOp::MacNew)
      lastUse[op.source] = i;
    if (defines(op.kind))
      settle(op.slot);
    lastUse[op.slot] = i;
  }
  for (uint32_t slot = 0; slot < program.numSlots; ++slot)
    settle(slot);

  // Forward: each definition takes the slot freed longest ago.
  std::deque<uint32_t> freeSlots;
  for (uint32_t slot = 0; slot < program.numSlots; ++slot)
    freeSlots.push_back(slot);
  std::vector<uint32_t> renamed(program.numSlots, 0);
  for (size_t i = 0; i < ops.size(); ++i) {
    KernelOp &op = spread.ops[i];
    const bool isMac = op.kind == KernelOp::Mac || op.kind == KernelOp::MacNew;
    if (isMac)
      op.source = renamed[op.source];
    if (defines(op.kind)) {
      renamed[op.slot] = freeSlots.front();
      freeSlots.pop_front();
    }
    op.slot = renamed[op.slot];
    if (isMac && endsSource[i])
      freeSlots.push_back(op.source);
    if (endsSlot[i])
      freeSlots.push_back(op.slot);
  }
  return spread;
}

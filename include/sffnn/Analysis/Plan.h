//===- Plan.h - Memory programs over M fast-memory slots --------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares `Plan`, a schedule made concrete: a sequence of load,
// store, free, bias, mac and finish steps over M numbered fast-memory slots
// (docs/io-model.md section "Plans"), and `validatePlan`, which replays a
// plan against a graph and counts its I/Os.
//
// Units: every count is in words (one word = one f32 value).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_ANALYSIS_PLAN_H
#define SFFNN_ANALYSIS_PLAN_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace sffnn {

/// The smallest fast memory of the I/O model, in values: a multiply-add
/// holds its accumulator, its weight and its source at once
/// (docs/io-model.md).
constexpr uint32_t kMinFastMemory = 3;

/// Checks that a fast memory of `size` values can run a plan: size >=
/// kMinFastMemory. `unit` names the values ("words", or "blocks" for a
/// batch plan). Error: "fast memory must hold at least 3 words, got 2".
llvm::Error checkFastMemory(uint64_t size, llvm::StringRef unit = "words");

/// Index of a fast-memory slot, in [0, M).
using SlotId = uint32_t;

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

/// The kinds of words that move between slow and fast memory.
enum class ValueKind : uint8_t {
  /// x_u of an input u (index: the neuron id). Always in slow memory.
  Input,
  /// w_e of edge e (index: the edge id, see Graph::getFanInBegin). Always in
  /// slow memory; consumed by its mac.
  Weight,
  /// b_v of a computed neuron v with b_v != 0 (index: v). Always in slow
  /// memory; consumed by bias(v). Zero biases have no word.
  Bias,
  /// x_v of a finished computed neuron v (index: v). In slow memory once
  /// stored.
  Neuron,
  /// The accumulator acc_v of a computed neuron v (index: v): a partial sum.
  /// In slow memory once stored, until the next bias or mac of v.
  Accumulator,
};

/// Returns "input", "weight", "bias", "neuron" or "accumulator".
llvm::StringRef stringifyValueKind(ValueKind kind);

//===----------------------------------------------------------------------===//
// PlanStep
//===----------------------------------------------------------------------===//

/// The kinds of plan steps. Only Load and Store cost an I/O.
enum class StepKind : uint8_t {
  /// slots[0] <- slow copy of (valueKind, index). slots[0] must be empty.
  Load,
  /// Slow copy of the Neuron or Accumulator in slots[0] <- its value. The
  /// slot keeps the value.
  Store,
  /// slots[0] becomes empty.
  Free,
  /// acc_v += b_v with acc_v in slots[0] and b_v in slots[1]; b_v is
  /// consumed (slots[1] becomes empty). If v has no accumulator yet,
  /// slots[0] must be empty and acc_v = 0 is created there first.
  Bias,
  /// acc_v += w_e * x_u for edge e = (u, v) (index: e), with acc_v in
  /// slots[0], w_e in slots[1] and x_u (an Input or Neuron value) in
  /// slots[2]; w_e is consumed. If v has no accumulator yet, slots[0] must
  /// be empty and acc_v = 0 is created there first.
  Mac,
  /// x_v = sigma_v(acc_v) in place: slots[0] holds acc_v and then x_v
  /// (index: v). Requires every mac of v and its bias (if b_v != 0) done. A
  /// neuron with no fan-in and b_v = 0 has no accumulator: slots[0] must be
  /// empty and receives x_v = sigma_v(0).
  Finish,
};

/// Returns "load", "store", "free", "bias", "mac" or "finish".
llvm::StringRef stringifyStepKind(StepKind kind);

/// One step of a plan. 24 bytes.
struct PlanStep {
  StepKind kind = StepKind::Free;
  /// The value a Load brings in (unused by other steps).
  ValueKind valueKind = ValueKind::Input;
  /// The slots the step uses, as documented on StepKind; unused ones are 0.
  SlotId slots[3] = {0, 0, 0};
  /// Load: the value's index. Bias, Finish: the neuron v. Mac: the edge e.
  /// Store, Free: unused (0).
  uint64_t index = 0;

  static PlanStep load(SlotId slot, ValueKind kind, uint64_t index) {
    return {StepKind::Load, kind, {slot, 0, 0}, index};
  }
  static PlanStep store(SlotId slot) {
    return {StepKind::Store, ValueKind::Input, {slot, 0, 0}, 0};
  }
  static PlanStep free(SlotId slot) {
    return {StepKind::Free, ValueKind::Input, {slot, 0, 0}, 0};
  }
  static PlanStep bias(NeuronId v, SlotId accSlot, SlotId biasSlot) {
    return {StepKind::Bias, ValueKind::Input, {accSlot, biasSlot, 0}, v};
  }
  static PlanStep mac(uint64_t edge, SlotId accSlot, SlotId weightSlot,
                      SlotId sourceSlot) {
    return {StepKind::Mac,
            ValueKind::Input,
            {accSlot, weightSlot, sourceSlot},
            edge};
  }
  static PlanStep finish(NeuronId v, SlotId slot) {
    return {StepKind::Finish, ValueKind::Input, {slot, 0, 0}, v};
  }

  bool operator==(const PlanStep &other) const;
};

//===----------------------------------------------------------------------===//
// IOCounts
//===----------------------------------------------------------------------===//

/// The I/Os of a plan by kind, in words. Weight traffic (weights and biases:
/// fixed by the network, read once in plan order) and activation traffic
/// (everything else: what scheduling controls) are reported separately, as
/// docs/io-model.md section 2 asks.
struct IOCounts {
  uint64_t inputLoads = 0;        ///< loads of inputs x_u
  uint64_t weightLoads = 0;       ///< loads of weights w_e
  uint64_t biasLoads = 0;         ///< loads of biases b_v
  uint64_t neuronReloads = 0;     ///< loads of stored x_v (spilled values)
  uint64_t accumulatorLoads = 0;  ///< loads of stored partial sums
  uint64_t outputStores = 0;      ///< stores of outputs
  uint64_t spillStores = 0;       ///< stores of non-output x_v
  uint64_t accumulatorStores = 0; ///< stores of partial sums

  uint64_t getLoads() const {
    return inputLoads + weightLoads + biasLoads + neuronReloads +
           accumulatorLoads;
  }
  uint64_t getStores() const {
    return outputStores + spillStores + accumulatorStores;
  }
  /// The cost of the plan: loads + stores.
  uint64_t getTotal() const { return getLoads() + getStores(); }
  /// Weight traffic: weight and bias loads.
  uint64_t getWeightTraffic() const { return weightLoads + biasLoads; }
  /// Activation traffic: every other I/O.
  uint64_t getActivationTraffic() const {
    return getTotal() - getWeightTraffic();
  }

  /// Adds the cost of `step` (a Load of `kind`, or a Store of a value of
  /// `kind`; `isOutput` tells output stores from spills).
  void countLoad(ValueKind kind);
  void countStore(ValueKind kind, bool isOutput);

  bool operator==(const IOCounts &other) const;
};

//===----------------------------------------------------------------------===//
// Plan
//===----------------------------------------------------------------------===//

/// Receives the steps of a plan one at a time, so planners can stream plans
/// of 10^7-connection networks into a consumer without storing them.
class PlanSink {
public:
  virtual ~PlanSink();
  virtual void addStep(const PlanStep &step) = 0;
};

/// A plan: the fast-memory size M and the steps, in execution order.
/// Memory: 24 bytes per step (about 2 to 3 steps per connection).
class Plan : public PlanSink {
public:
  explicit Plan(uint32_t fastMemory = 0) : fastMemory(fastMemory) {}

  void addStep(const PlanStep &step) override { steps.push_back(step); }

  /// M, the number of slots.
  uint32_t getFastMemory() const { return fastMemory; }
  void setFastMemory(uint32_t m) { fastMemory = m; }

  std::vector<PlanStep> &getSteps() { return steps; }
  const std::vector<PlanStep> &getSteps() const { return steps; }

private:
  uint32_t fastMemory;
  std::vector<PlanStep> steps;
};

/// Replays `plan` on the finalized `graph` and returns its I/O counts.
///
/// A plan is legal when every step finds what it needs where the step says
/// (a load into an empty slot of a value that has a current copy in slow
/// memory, a store of a Neuron or Accumulator, the operands of bias, mac and
/// finish in the named slots), every slot index is below M, no live value is
/// lost (a Free of an accumulator with no current slow copy, or of an x_v
/// that a mac or an output store still needs and that has no slow copy), and,
/// at the end, every mac and every bias (b_v != 0) was done exactly once,
/// every computed neuron finished and every output stored.
///
/// Errors: the first violation, as "step I (KIND): REASON", or "end of plan:
/// REASON" for what is missing at the end. O(steps + N + W) time, O(N + W)
/// memory (one bit per edge).
llvm::Expected<IOCounts> validatePlan(const Graph &graph, const Plan &plan);

} // namespace sffnn

#endif // SFFNN_ANALYSIS_PLAN_H

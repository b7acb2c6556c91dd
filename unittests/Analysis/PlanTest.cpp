//===- PlanTest.cpp - Plans, the validator, the planner, the bounds -------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// The validator rejects each kind of illegal plan with its step and reason;
// the planner's plans validate, cost what the validator counts, and match
// hand-computed figures; the bounds match their closed forms.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Plan.h"
#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"
#include "sffnn/TestSupport/ExhaustiveOptimum.h"

#include "gtest/gtest.h"

#include <functional>
#include <random>

using namespace sffnn;

namespace {

//===----------------------------------------------------------------------===//
// Fixtures
//===----------------------------------------------------------------------===//

/// Inputs x0 = 0, x1 = 1; a = 2 = relu(0.5 + w0 * x0); b = 3 = w1 * a +
/// w2 * x1 (edges e0 = (0, 2), e1 = (2, 3), e2 = (1, 3)); output b.
/// LB = W + B + n_in' + n_out = 3 + 1 + 2 + 1 = 7.
Graph makeSmallGraph() {
  Graph graph(2);
  graph.addNeuron(0.5f, Activation::relu());
  graph.addFanIn(0, 2.0f);
  graph.addNeuron(0.0f, Activation::identity());
  graph.addFanIn(2, 3.0f);
  graph.addFanIn(1, -1.0f);
  graph.addOutput(3);
  EXPECT_FALSE(static_cast<bool>(graph.finalize()));
  return graph;
}

/// A legal plan of makeSmallGraph with M = 3 and cost 7 (= LB).
Plan makeSmallPlan() {
  Plan plan(3);
  std::vector<PlanStep> &s = plan.getSteps();
  s.push_back(PlanStep::load(1, ValueKind::Bias, 2));   // 0
  s.push_back(PlanStep::bias(2, 0, 1));                 // 1
  s.push_back(PlanStep::load(1, ValueKind::Input, 0));  // 2
  s.push_back(PlanStep::load(2, ValueKind::Weight, 0)); // 3
  s.push_back(PlanStep::mac(0, 0, 2, 1));               // 4
  s.push_back(PlanStep::finish(2, 0));                  // 5
  s.push_back(PlanStep::free(1));                       // 6
  s.push_back(PlanStep::load(1, ValueKind::Weight, 1)); // 7
  s.push_back(PlanStep::mac(1, 2, 1, 0));               // 8
  s.push_back(PlanStep::free(0));                       // 9
  s.push_back(PlanStep::load(0, ValueKind::Input, 1));  // 10
  s.push_back(PlanStep::load(1, ValueKind::Weight, 2)); // 11
  s.push_back(PlanStep::mac(2, 2, 1, 0));               // 12
  s.push_back(PlanStep::finish(3, 2));                  // 13
  s.push_back(PlanStep::store(2));                      // 14
  return plan;
}

/// Expects `plan` to be rejected with exactly `message`.
void expectRejected(const Graph &graph, const Plan &plan,
                    const std::string &message) {
  llvm::Expected<IOCounts> counts = validatePlan(graph, plan);
  ASSERT_FALSE(static_cast<bool>(counts)) << "expected: " << message;
  EXPECT_EQ(llvm::toString(counts.takeError()), message);
}

/// The small plan with `edit` applied.
Plan editedPlan(const std::function<void(std::vector<PlanStep> &)> &edit) {
  Plan plan = makeSmallPlan();
  edit(plan.getSteps());
  return plan;
}

//===----------------------------------------------------------------------===//
// Validator
//===----------------------------------------------------------------------===//

TEST(PlanValidatorTest, AcceptsTheSmallPlanAndCountsIt) {
  Graph graph = makeSmallGraph();
  llvm::Expected<IOCounts> counts = validatePlan(graph, makeSmallPlan());
  ASSERT_TRUE(static_cast<bool>(counts)) << llvm::toString(counts.takeError());
  EXPECT_EQ(counts->inputLoads, 2u);
  EXPECT_EQ(counts->weightLoads, 3u);
  EXPECT_EQ(counts->biasLoads, 1u);
  EXPECT_EQ(counts->outputStores, 1u);
  EXPECT_EQ(counts->spillStores + counts->neuronReloads +
                counts->accumulatorLoads + counts->accumulatorStores,
            0u);
  EXPECT_EQ(counts->getTotal(), 7u);
  EXPECT_EQ(counts->getWeightTraffic(), 4u);
  EXPECT_EQ(counts->getActivationTraffic(), 3u);
}

TEST(PlanValidatorTest, RejectsTooFewSlots) {
  Plan plan = makeSmallPlan();
  plan.setFastMemory(2);
  expectRejected(makeSmallGraph(), plan,
                 "fast memory must hold at least 3 words, got 2");
}

TEST(PlanValidatorTest, RejectsSlotOutOfRange) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s[2] = PlanStep::load(3, ValueKind::Input, 0);
                 }),
                 "step 2 (load): slot 3 is out of range [0, 3)");
}

TEST(PlanValidatorTest, RejectsLoadIntoOccupiedSlot) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s[2] = PlanStep::load(0, ValueKind::Input, 0);
                 }),
                 "step 2 (load): slot 0 is not empty: it holds accumulator 2");
}

TEST(PlanValidatorTest, RejectsLoadOfZeroBias) {
  expectRejected(
      makeSmallGraph(),
      editedPlan([](auto &s) { s[0] = PlanStep::load(1, ValueKind::Bias, 3); }),
      "step 0 (load): neuron 3 has a zero bias, which has no word in slow "
      "memory");
}

TEST(PlanValidatorTest, RejectsReloadOfUnstoredNeuron) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s[6] = PlanStep::free(1);
                   s.insert(s.begin() + 7,
                            PlanStep::load(1, ValueKind::Neuron, 2));
                 }),
                 "step 7 (load): neuron 2 has no copy in slow memory");
}

TEST(PlanValidatorTest, RejectsLoadOfStaleAccumulator) {
  // The accumulator of a is stored at step 2, then updated by the mac.
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin() + 2, PlanStep::store(0));
                   s.insert(s.begin() + 6,
                            PlanStep::load(2, ValueKind::Accumulator, 2));
                 }),
                 "step 6 (load): the accumulator of neuron 2 has no current "
                 "copy in slow memory");
}

TEST(PlanValidatorTest, RejectsSecondCopyOfAccumulator) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin() + 2, PlanStep::store(0));
                   s.insert(s.begin() + 3,
                            PlanStep::load(2, ValueKind::Accumulator, 2));
                 }),
                 "step 3 (load): the accumulator of neuron 2 is already in "
                 "slot 0");
}

TEST(PlanValidatorTest, RejectsStoreOfInput) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin() + 3, PlanStep::store(1));
                 }),
                 "step 3 (store): slot 1 holds input 0; only neuron values "
                 "and accumulators are stored");
}

TEST(PlanValidatorTest, RejectsFreeOfEmptySlot) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin(), PlanStep::free(2));
                 }),
                 "step 0 (free): slot 2 is already empty");
}

TEST(PlanValidatorTest, RejectsLosingAnAccumulator) {
  expectRejected(
      makeSmallGraph(),
      editedPlan([](auto &s) { s.insert(s.begin() + 2, PlanStep::free(0)); }),
      "step 2 (free): frees the accumulator of neuron 2, which has no current "
      "copy in slow memory");
}

TEST(PlanValidatorTest, RejectsLosingANeededNeuron) {
  expectRejected(
      makeSmallGraph(),
      editedPlan([](auto &s) { s.insert(s.begin() + 6, PlanStep::free(0)); }),
      "step 6 (free): frees neuron 2, which is still needed and has no copy "
      "in slow memory");
}

TEST(PlanValidatorTest, RejectsBiasErrors) {
  expectRejected(makeSmallGraph(),
                 editedPlan([](auto &s) { s[1] = PlanStep::bias(3, 0, 1); }),
                 "step 1 (bias): neuron 3 has a zero bias");
  expectRejected(makeSmallGraph(),
                 editedPlan([](auto &s) { s[1] = PlanStep::bias(2, 1, 1); }),
                 "step 1 (bias): the accumulator and the bias share slot 1");
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin() + 2,
                            PlanStep::load(1, ValueKind::Bias, 2));
                   s.insert(s.begin() + 3, PlanStep::bias(2, 0, 1));
                 }),
                 "step 3 (bias): the bias of neuron 2 was already applied");
}

TEST(PlanValidatorTest, RejectsMacErrors) {
  expectRejected(makeSmallGraph(),
                 editedPlan([](auto &s) { s[4] = PlanStep::mac(0, 0, 1, 2); }),
                 "step 4 (mac): slot 1 holds input 0, not weight 0");
  expectRejected(makeSmallGraph(),
                 editedPlan([](auto &s) { s[4] = PlanStep::mac(0, 0, 2, 2); }),
                 "step 4 (mac): the accumulator, the weight and the source "
                 "need three distinct slots");
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s[3] = PlanStep::load(2, ValueKind::Weight, 2);
                   s[4] = PlanStep::mac(2, 0, 2, 1);
                 }),
                 "step 4 (mac): slot 1 holds input 0, not input 1");
  // The second mac of edge 0 after its weight was reloaded.
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin() + 5,
                            PlanStep::load(2, ValueKind::Weight, 0));
                   s.insert(s.begin() + 6, PlanStep::mac(0, 0, 2, 1));
                 }),
                 "step 6 (mac): the mac of edge 0 was already done");
}

TEST(PlanValidatorTest, RejectsEarlyFinish) {
  expectRejected(makeSmallGraph(),
                 editedPlan([](auto &s) { s[4] = PlanStep::finish(2, 0); }),
                 "step 4 (finish): neuron 2 has 1 of 1 macs left");
  // Finish a before its bias: plan the mac first.
  Plan plan(3);
  std::vector<PlanStep> &s = plan.getSteps();
  s.push_back(PlanStep::load(1, ValueKind::Input, 0));
  s.push_back(PlanStep::load(2, ValueKind::Weight, 0));
  s.push_back(PlanStep::mac(0, 0, 2, 1));
  s.push_back(PlanStep::finish(2, 0));
  expectRejected(makeSmallGraph(), plan,
                 "step 3 (finish): the bias of neuron 2 is not applied yet");
}

TEST(PlanValidatorTest, RejectsFinishWithoutAccumulatorInFastMemory) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin() + 5, PlanStep::store(0));
                   s.insert(s.begin() + 6, PlanStep::free(0));
                 }),
                 "step 7 (finish): the accumulator of neuron 2 is not in fast "
                 "memory");
}

TEST(PlanValidatorTest, RejectsWorkOnFinishedNeuron) {
  expectRejected(makeSmallGraph(), editedPlan([](auto &s) {
                   s.insert(s.begin() + 6, PlanStep::finish(2, 2));
                 }),
                 "step 6 (finish): neuron 2 is already finished");
}

TEST(PlanValidatorTest, RejectsIncompletePlans) {
  Graph graph = makeSmallGraph();
  expectRejected(graph, editedPlan([](auto &s) { s.resize(8); }),
                 "end of plan: the mac of edge 1 (into neuron 3) was never "
                 "done");
  expectRejected(graph, editedPlan([](auto &s) { s.resize(13); }),
                 "end of plan: neuron 3 was never finished");
  expectRejected(graph, editedPlan([](auto &s) { s.resize(14); }),
                 "end of plan: output neuron 3 was never stored");
  // Never applying the bias: the plan creates the accumulator with the mac.
  Plan plan(3);
  std::vector<PlanStep> &s = plan.getSteps();
  s.push_back(PlanStep::load(1, ValueKind::Input, 0));
  s.push_back(PlanStep::load(2, ValueKind::Weight, 0));
  s.push_back(PlanStep::mac(0, 0, 2, 1));
  expectRejected(graph, plan,
                 "end of plan: the mac of edge 1 (into neuron 3) was never "
                 "done");
}

//===----------------------------------------------------------------------===//
// Planner
//===----------------------------------------------------------------------===//

/// Plans the pull order of `neurons`, validates the plan and checks that the
/// planner and the validator count the same.
IOCounts planAndValidate(const Graph &graph, llvm::ArrayRef<NeuronId> neurons,
                         uint32_t m) {
  Plan plan(m);
  llvm::Expected<IOCounts> planned =
      planEvaluation(graph, getPullOrder(graph, neurons), m, &plan);
  EXPECT_TRUE(static_cast<bool>(planned))
      << llvm::toString(planned.takeError());
  if (!planned)
    return {};
  llvm::Expected<IOCounts> replayed = validatePlan(graph, plan);
  EXPECT_TRUE(static_cast<bool>(replayed))
      << llvm::toString(replayed.takeError());
  if (!replayed)
    return {};
  EXPECT_EQ(*planned, *replayed);
  return *planned;
}

TEST(PlannerTest, SmallGraphMeetsTheLowerBound) {
  Graph graph = makeSmallGraph();
  IOCounts counts = planAndValidate(graph, {2, 3}, 3);
  EXPECT_EQ(counts.getTotal(), 7u);
  EXPECT_EQ(getLowerBound(graph.getCounts()), 7u);
}

TEST(PlannerTest, ChainMeetsTheLowerBound) {
  // x0 -> a -> b, zero biases: load x0, w0, w1, store b.
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(1, 1.0f);
  graph.addOutput(2);
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  IOCounts counts = planAndValidate(graph, {1, 2}, 3);
  EXPECT_EQ(counts.inputLoads, 1u);
  EXPECT_EQ(counts.weightLoads, 2u);
  EXPECT_EQ(counts.outputStores, 1u);
  EXPECT_EQ(counts.getTotal(), 4u);
}

/// x0 -> a, x0 -> b, {a, b} -> c; zero biases; output c.
Graph makeJoinGraph() {
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::relu()); // a = 1
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // b = 2
  graph.addFanIn(0, -1.0f);
  graph.addNeuron(0.0f, Activation::identity()); // c = 3
  graph.addFanIn(1, 2.0f);
  graph.addFanIn(2, 3.0f);
  graph.addOutput(3);
  EXPECT_FALSE(static_cast<bool>(graph.finalize()));
  return graph;
}

TEST(PlannerTest, JoinWithThreeSlotsSpillsBothHiddenValues) {
  // With M = 3, computing b needs acc_b, x0 and w: x_a is spilled (1) and
  // reloaded for c (1); while c reads x_a, acc_c and the weight fill the
  // slots, so x_b is spilled (1) and reloaded (1). Total: 1 input, 4 weights,
  // 2 spills, 2 reloads, 1 output store = 10.
  Graph graph = makeJoinGraph();
  IOCounts counts = planAndValidate(graph, {1, 2, 3}, 3);
  EXPECT_EQ(counts.inputLoads, 1u);
  EXPECT_EQ(counts.weightLoads, 4u);
  EXPECT_EQ(counts.spillStores, 2u);
  EXPECT_EQ(counts.neuronReloads, 2u);
  EXPECT_EQ(counts.outputStores, 1u);
  EXPECT_EQ(counts.getTotal(), 10u);
  EXPECT_EQ(getClosedFormUpperBound(graph.getCounts()), 11u);
}

TEST(PlannerTest, JoinWithFourSlotsMeetsTheLowerBound) {
  Graph graph = makeJoinGraph();
  IOCounts counts = planAndValidate(graph, {1, 2, 3}, 4);
  EXPECT_EQ(counts.getTotal(), 6u);
  EXPECT_EQ(getLowerBound(graph.getCounts()), 6u);
}

TEST(PlannerTest, PartialSumsAreSpilledAndReloaded) {
  // Order: mac (a, c), then all of b, then mac (b, c): with M = 3 the
  // partial sum acc_c is spilled while b is computed.
  Graph graph = makeJoinGraph();
  EvaluationOrder order = {ComputeOp::mac(0),    ComputeOp::finish(1),
                           ComputeOp::mac(2),    ComputeOp::mac(1),
                           ComputeOp::finish(2), ComputeOp::mac(3),
                           ComputeOp::finish(3)};
  Plan plan(3);
  llvm::Expected<IOCounts> counts = planEvaluation(graph, order, 3, &plan);
  ASSERT_TRUE(static_cast<bool>(counts)) << llvm::toString(counts.takeError());
  llvm::Expected<IOCounts> replayed = validatePlan(graph, plan);
  ASSERT_TRUE(static_cast<bool>(replayed))
      << llvm::toString(replayed.takeError());
  EXPECT_EQ(*counts, *replayed);
  // x0 loaded for a, evicted for the weight of (a, c), reloaded for b;
  // acc_c stored and reloaded once: 2 + 4 + 1 + 1 + 1 = 9.
  EXPECT_EQ(counts->inputLoads, 2u);
  EXPECT_EQ(counts->accumulatorStores, 1u);
  EXPECT_EQ(counts->accumulatorLoads, 1u);
  EXPECT_EQ(counts->getTotal(), 9u);
}

TEST(PlannerTest, RejectsIllegalOrders) {
  Graph graph = makeJoinGraph();
  auto expectOrderError = [&](EvaluationOrder order, const std::string &msg) {
    llvm::Expected<IOCounts> counts = planEvaluation(graph, order, 3);
    ASSERT_FALSE(static_cast<bool>(counts));
    EXPECT_EQ(llvm::toString(counts.takeError()), msg);
  };
  expectOrderError({ComputeOp::mac(2)},
                   "order position 0: edge 2 reads neuron 1 before its finish");
  expectOrderError({ComputeOp::mac(0), ComputeOp::mac(0)},
                   "order position 1: edge 0 again");
  expectOrderError({ComputeOp::finish(3)},
                   "order position 0: neuron 3 is finished before its macs "
                   "and bias");
  expectOrderError({ComputeOp::bias(1)},
                   "order position 0: bias of neuron 1, whose bias is zero");
  expectOrderError({ComputeOp::mac(0), ComputeOp::finish(1)},
                   "the order never finishes neuron 2");
  llvm::Expected<IOCounts> small =
      planEvaluation(graph, getPullOrder(graph, {1, 2, 3}), 2);
  ASSERT_FALSE(static_cast<bool>(small));
  EXPECT_EQ(llvm::toString(small.takeError()),
            "fast memory must hold at least 3 words, got 2");
}

/// A random layered network: widths[0] inputs, fan-in up to `fanIn` from the
/// previous layer, some zero biases, the last layer as outputs.
Graph makeRandomLayered(std::mt19937_64 &rng, std::vector<uint32_t> widths,
                        uint32_t fanIn) {
  Graph graph(widths[0]);
  NeuronId previous = 0;
  for (size_t l = 1; l < widths.size(); ++l) {
    NeuronId begin = graph.getNumNeurons();
    for (uint32_t i = 0; i < widths[l]; ++i) {
      graph.addNeuron(rng() % 3 == 0 ? 0.0f : 0.5f, Activation::relu());
      std::vector<NeuronId> sources;
      for (uint32_t k = 0; k < fanIn; ++k)
        sources.push_back(previous + rng() % widths[l - 1]);
      std::sort(sources.begin(), sources.end());
      sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
      for (NeuronId u : sources)
        graph.addFanIn(u, 1.0f);
    }
    previous = begin;
  }
  for (NeuronId v = previous; v < graph.getNumNeurons(); ++v)
    graph.addOutput(v);
  EXPECT_FALSE(static_cast<bool>(graph.finalize()));
  return graph;
}

TEST(PlannerTest, TwoOptimalNeverExceedsTheClosedForm) {
  // Theorem 3 of docs/io-model.md: LB <= UB(M) <= 2W + B + |C| for M >= 3,
  // and the weight traffic is exactly W + B.
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<uint32_t> widths;
    for (int l = 0, layers = 2 + rng() % 4; l < layers; ++l)
      widths.push_back(1 + rng() % 12);
    Graph graph = makeRandomLayered(rng, widths, 1 + rng() % 5);
    GraphCounts c = graph.getCounts();
    for (uint32_t m : {3u, 4u, 6u, 16u, 64u}) {
      IOCounts counts = planAndValidate(graph, getTwoOptimalOrder(graph), m);
      EXPECT_GE(counts.getTotal(), getLowerBound(c));
      EXPECT_LE(counts.getTotal(), getClosedFormUpperBound(c));
      EXPECT_EQ(counts.getWeightTraffic(),
                c.numConnections + c.numNonZeroBiases);
    }
    // With M at least N + 1 nothing is ever evicted: the plan meets LB.
    IOCounts large = planAndValidate(graph, getTwoOptimalOrder(graph),
                                     graph.getNumNeurons() + 2);
    EXPECT_EQ(large.getTotal(), getLowerBound(c));
  }
}

//===----------------------------------------------------------------------===//
// Bounds
//===----------------------------------------------------------------------===//

TEST(IOBoundsTest, SmallGraph) {
  Graph graph = makeSmallGraph();
  llvm::Expected<IOBounds> bounds = computeIOBounds(graph, 3);
  ASSERT_TRUE(static_cast<bool>(bounds)) << llvm::toString(bounds.takeError());
  EXPECT_EQ(bounds->lowerBound, 7u);
  EXPECT_EQ(bounds->weightTraffic, 4u);
  EXPECT_EQ(bounds->activationLowerBound, 3u);
  // 2 * 3 + 1 + 2.
  EXPECT_EQ(bounds->closedFormUpperBound, 9u);
  EXPECT_EQ(bounds->twoOptimal.getTotal(), 7u);
  llvm::Expected<IOBounds> tooSmall = computeIOBounds(graph, 2);
  ASSERT_FALSE(static_cast<bool>(tooSmall));
  EXPECT_EQ(llvm::toString(tooSmall.takeError()),
            "fast memory must hold at least 3 words, got 2");
}

TEST(IOBoundsTest, TwoOptimalOrderIsTopological) {
  // Neuron 3 feeds neuron 2: the two-optimal order pulls 3 first.
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::relu()); // 1
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 2
  graph.addFanIn(3, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 3
  graph.addFanIn(1, 1.0f);
  graph.addOutput(2);
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  EXPECT_EQ(getTwoOptimalOrder(graph), std::vector<NeuronId>({1, 3, 2}));
  IOCounts counts = planAndValidate(graph, getTwoOptimalOrder(graph), 3);
  EXPECT_EQ(counts.getTotal(), getLowerBound(graph.getCounts()));
}

} // namespace

namespace {

TEST(IOBoundsTest, WorkedExampleOfTheDocs) {
  // docs/io-model.md, "A worked example": the join network. With M = 3 the
  // optimum (8) spills x_a once, computes b while x0 is still resident, and
  // does c's mac from b before reloading x_a; the two-optimal plan pulls c's
  // fan-in in order (a, b) and pays two spills and two reloads (10).
  Graph graph = makeJoinGraph();
  GraphCounts counts = graph.getCounts();
  EXPECT_EQ(getLowerBound(counts), 6u);
  EXPECT_EQ(getClosedFormUpperBound(counts), 11u);
  EXPECT_EQ(planAndValidate(graph, getTwoOptimalOrder(graph), 3).getTotal(),
            10u);
  EXPECT_EQ(planAndValidate(graph, getTwoOptimalOrder(graph), 4).getTotal(),
            6u);
  llvm::Expected<OptimalPlan> opt = findOptimalPlan(graph, 3);
  ASSERT_TRUE(static_cast<bool>(opt)) << llvm::toString(opt.takeError());
  EXPECT_EQ(opt->counts.getTotal(), 8u) << "OPT(3)";
}

} // namespace

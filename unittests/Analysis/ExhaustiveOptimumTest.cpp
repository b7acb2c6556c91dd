//===- ExhaustiveOptimumTest.cpp - Tests for the exhaustive optimum -------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file tests `findOptimalPlan` on hand-built networks whose optimum is
// computed by hand in the comments, on its diagnostics, against a plain
// step-by-step search with none of the planner's reductions (on networks
// small enough for it), and on 200 random tiny networks against the lower
// bound LB = W + B + n_in' + n_out and the closed-form cost 2W + B + |C| of
// the pull strategy. Every returned plan is replayed by `validatePlan`.
//
//===----------------------------------------------------------------------===//

#include "sffnn/TestSupport/ExhaustiveOptimum.h"

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Analysis/Plan.h"

#include "llvm/ADT/bit.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdio>
#include <deque>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

using namespace sffnn;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// A computed neuron: its bias and the sources of its fan-in.
struct NeuronSpec {
  float bias;
  std::vector<NeuronId> fanIn;
};

/// Builds and finalizes a graph; weights are 1, 1.25, 1.5, ... in edge order.
Graph buildGraph(uint32_t numInputs, const std::vector<NeuronSpec> &neurons,
                 const std::vector<NeuronId> &outputs) {
  Graph graph(numInputs);
  float weight = 1.0f;
  for (const NeuronSpec &spec : neurons) {
    graph.addNeuron(spec.bias, Activation::relu());
    for (NeuronId u : spec.fanIn) {
      graph.addFanIn(u, weight);
      weight += 0.25f;
    }
  }
  for (NeuronId v : outputs)
    graph.addOutput(v);
  if (llvm::Error err = graph.finalize())
    ADD_FAILURE() << llvm::toString(std::move(err));
  return graph;
}

/// LB = W + B + n_in' + n_out (docs/io-model.md section 3).
uint64_t lowerBound(const Graph &graph) {
  GraphCounts counts = graph.getCounts();
  return counts.numConnections + counts.numNonZeroBiases +
         counts.numUsedInputs + counts.numOutputs;
}

/// 2W + B + |C|: the pull strategy (per neuron: per edge load x_u and w_e,
/// mac; load b_v, bias; finish; store x_v), legal for every M >= 3.
uint64_t pullCost(const Graph &graph) {
  GraphCounts counts = graph.getCounts();
  return 2 * counts.numConnections + counts.numNonZeroBiases +
         counts.numComputed;
}

/// Runs the search; returns OPT, or fails the test and returns 0.
OptimalPlan solve(const Graph &graph, uint32_t fastMemory) {
  llvm::Expected<OptimalPlan> result = findOptimalPlan(graph, fastMemory);
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return OptimalPlan();
  }
  return std::move(*result);
}

/// Checks that the plan validates with the counts the search reported.
void expectValidPlan(const Graph &graph, const OptimalPlan &result,
                     uint32_t fastMemory) {
  EXPECT_EQ(result.plan.getFastMemory(), fastMemory);
  llvm::Expected<IOCounts> counts = validatePlan(graph, result.plan);
  if (!counts) {
    ADD_FAILURE() << llvm::toString(counts.takeError());
    return;
  }
  EXPECT_TRUE(*counts == result.counts);
  uint64_t ioSteps = 0;
  for (const PlanStep &step : result.plan.getSteps())
    ioSteps += step.kind == StepKind::Load || step.kind == StepKind::Store;
  EXPECT_EQ(ioSteps, result.counts.getTotal());
}

/// The error message of a failing search, or "" if it succeeds.
std::string searchError(const Graph &graph, uint32_t fastMemory,
                        const ExhaustiveLimits &limits = {}) {
  llvm::Expected<OptimalPlan> result =
      findOptimalPlan(graph, fastMemory, limits);
  if (result)
    return "";
  return llvm::toString(result.takeError());
}

/// A small linear congruential generator (Knuth's MMIX constants).
class Lcg {
public:
  explicit Lcg(uint64_t seed) : state(seed) {}
  /// Returns a value in [0, bound).
  uint64_t next(uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  }

private:
  uint64_t state;
};

/// A random DAG with 1..maxInputs inputs, 1..maxComputed computed neurons,
/// at most maxEdges edges, random zero / non-zero biases and a random
/// non-empty set of outputs. Computed ids are not in topological order: an
/// edge j -> i between computed neurons follows a random ranking.
Graph randomGraph(Lcg &rng, uint32_t maxInputs, uint32_t maxComputed,
                  uint32_t maxEdges) {
  uint32_t numInputs = 1 + rng.next(maxInputs);
  uint32_t numComputed = 1 + rng.next(maxComputed);
  std::vector<uint32_t> rank(numComputed);
  std::iota(rank.begin(), rank.end(), 0);
  for (uint32_t i = numComputed; i > 1; --i)
    std::swap(rank[i - 1], rank[rng.next(i)]);
  // Every legal edge, then a random subset of the requested size.
  std::vector<std::pair<NeuronId, uint32_t>> candidates;
  for (uint32_t i = 0; i < numComputed; ++i) {
    for (NeuronId u = 0; u < numInputs; ++u)
      candidates.push_back({u, i});
    for (uint32_t j = 0; j < numComputed; ++j)
      if (rank[j] < rank[i])
        candidates.push_back({numInputs + j, i});
  }
  uint32_t numEdges =
      rng.next(std::min<uint64_t>(maxEdges, candidates.size()) + 1);
  for (uint32_t k = 0; k < numEdges; ++k)
    std::swap(candidates[k], candidates[k + rng.next(candidates.size() - k)]);
  std::vector<NeuronSpec> neurons(numComputed);
  for (uint32_t k = 0; k < numEdges; ++k)
    neurons[candidates[k].second].fanIn.push_back(candidates[k].first);
  for (NeuronSpec &spec : neurons)
    spec.bias = rng.next(2) ? 0.5f : 0.0f;
  std::vector<NeuronId> outputs;
  for (uint32_t i = 0; i < numComputed; ++i)
    if (rng.next(2))
      outputs.push_back(numInputs + i);
  if (outputs.empty())
    outputs.push_back(numInputs + rng.next(numComputed));
  return buildGraph(numInputs, neurons, outputs);
}

//===----------------------------------------------------------------------===//
// Reference search
//===----------------------------------------------------------------------===//

/// OPT by a 0-1 BFS over single plan steps, with none of the planner's
/// reductions: every value (weights and biases included) occupies a slot
/// from its load to its consumption or free, stores and frees happen
/// whenever they are legal (as `validatePlan` defines it) and finishes
/// whenever they are possible. The only restrictions drop steps that cannot
/// help: a second copy of a resident value, a second store of a value whose
/// slow copy is current, a load of a consumed weight or bias. Exponential;
/// for networks with at most about 6 edges and 4 computed neurons.
uint64_t referenceOptimum(const Graph &graph, uint32_t fastMemory) {
  const uint32_t numInputs = graph.getNumInputs();
  const uint32_t numComputed = graph.getNumComputed();
  const uint32_t numEdges = graph.getNumConnections();
  // Resident bits: inputs, weights, biases, x_i, acc_i.
  const uint32_t weightBase = numInputs;
  const uint32_t biasBase = weightBase + numEdges;
  const uint32_t neuronBase = biasBase + numComputed;
  const uint32_t accBase = neuronBase + numComputed;
  const uint32_t numBits = accBase + numComputed;
  // Other fields: edges done, biases done, finished, stored, acc in slow.
  const uint32_t edgesShift = numBits;
  const uint32_t biasShift = edgesShift + numEdges;
  const uint32_t finishedShift = biasShift + numComputed;
  const uint32_t storedShift = finishedShift + numComputed;
  const uint32_t accSlowShift = storedShift + numComputed;
  EXPECT_LE(accSlowShift + numComputed, 64u);

  std::vector<NeuronId> edgeSource(numEdges);
  std::vector<uint32_t> edgeTarget(numEdges);
  std::vector<uint64_t> inEdges(numComputed), outEdges(graph.getNumNeurons());
  for (uint32_t i = 0; i < numComputed; ++i) {
    NeuronId v = numInputs + i;
    for (size_t k = 0; k < graph.getFanIn(v).size(); ++k) {
      uint64_t e = graph.getFanInBegin(v) + k;
      edgeSource[e] = graph.getFanIn(v)[k];
      edgeTarget[e] = i;
      inEdges[i] |= 1ull << e;
      outEdges[edgeSource[e]] |= 1ull << e;
    }
  }
  uint64_t biasMask = 0, outputMask = 0;
  for (uint32_t i = 0; i < numComputed; ++i)
    if (graph.getBias(numInputs + i) != 0.0f)
      biasMask |= 1ull << i;
  for (NeuronId v : graph.getOutputs())
    outputMask |= 1ull << (v - numInputs);
  const uint64_t allEdges = (1ull << numEdges) - 1;
  const uint64_t allComputed = (1ull << numComputed) - 1;

  auto field = [](uint64_t key, uint32_t shift, uint32_t width) {
    return (key >> shift) & ((1ull << width) - 1);
  };
  auto sourceBit = [&](NeuronId u) {
    return graph.isInput(u) ? u : neuronBase + (u - numInputs);
  };

  std::unordered_map<uint64_t, uint64_t> dist;
  std::deque<std::pair<uint64_t, uint64_t>> queue;
  dist[0] = 0;
  queue.push_back({0, 0});
  while (!queue.empty()) {
    auto [key, d] = queue.front();
    queue.pop_front();
    if (dist[key] != d)
      continue;
    uint64_t resident = field(key, 0, numBits);
    uint64_t edgesDone = field(key, edgesShift, numEdges);
    uint64_t biasDone = field(key, biasShift, numComputed);
    uint64_t finished = field(key, finishedShift, numComputed);
    uint64_t stored = field(key, storedShift, numComputed);
    uint64_t accSlow = field(key, accSlowShift, numComputed);
    if (edgesDone == allEdges && (biasDone & biasMask) == biasMask &&
        finished == allComputed && (stored & outputMask) == outputMask)
      return d;
    bool hasRoom = uint32_t(llvm::popcount(resident)) < fastMemory;
    auto relax = [&](uint64_t res, uint64_t edges, uint64_t biases,
                     uint64_t fin, uint64_t sto, uint64_t slow, uint64_t cost) {
      uint64_t next = res | edges << edgesShift | biases << biasShift |
                      fin << finishedShift | sto << storedShift |
                      slow << accSlowShift;
      auto [it, inserted] = dist.try_emplace(next, d + cost);
      if (!inserted && it->second <= d + cost)
        return;
      it->second = d + cost;
      if (cost == 0)
        queue.push_front({next, d});
      else
        queue.push_back({next, d + 1});
    };
    auto started = [&](uint32_t i) {
      return (edgesDone & inEdges[i]) != 0 || (biasDone >> i & 1);
    };
    auto needed = [&](uint32_t i) {
      return (outEdges[numInputs + i] & ~edgesDone) != 0 ||
             ((outputMask >> i & 1) && !(stored >> i & 1));
    };
    // Loads.
    if (hasRoom) {
      for (uint32_t bit = 0; bit < numBits; ++bit) {
        if (resident >> bit & 1)
          continue;
        bool legal;
        if (bit < weightBase)
          legal = true;
        else if (bit < biasBase)
          legal = !(edgesDone >> (bit - weightBase) & 1);
        else if (bit < neuronBase)
          legal = (biasMask >> (bit - biasBase) & 1) &&
                  !(biasDone >> (bit - biasBase) & 1);
        else if (bit < accBase)
          legal = stored >> (bit - neuronBase) & 1;
        else
          legal = accSlow >> (bit - accBase) & 1;
        if (legal)
          relax(resident | 1ull << bit, edgesDone, biasDone, finished, stored,
                accSlow, 1);
      }
    }
    for (uint32_t i = 0; i < numComputed; ++i) {
      // Stores.
      if ((resident >> (neuronBase + i) & 1) && !(stored >> i & 1))
        relax(resident, edgesDone, biasDone, finished, stored | 1ull << i,
              accSlow, 1);
      if ((resident >> (accBase + i) & 1) && !(accSlow >> i & 1))
        relax(resident, edgesDone, biasDone, finished, stored,
              accSlow | 1ull << i, 1);
    }
    // Frees.
    for (uint32_t bit = 0; bit < numBits; ++bit) {
      if (!(resident >> bit & 1))
        continue;
      if (bit >= accBase && !(accSlow >> (bit - accBase) & 1))
        continue;
      if (bit >= neuronBase && bit < accBase &&
          !(stored >> (bit - neuronBase) & 1) && needed(bit - neuronBase))
        continue;
      relax(resident & ~(1ull << bit), edgesDone, biasDone, finished, stored,
            accSlow, 0);
    }
    // Macs and biases: the accumulator is resident, or not created yet and
    // created in an empty slot.
    auto accumulator = [&](uint32_t i, uint64_t &res) {
      if (finished >> i & 1)
        return false;
      if (res >> (accBase + i) & 1)
        return true;
      if (started(i) || uint32_t(llvm::popcount(res)) >= fastMemory)
        return false;
      res |= 1ull << (accBase + i);
      return true;
    };
    for (uint32_t e = 0; e < numEdges; ++e) {
      uint32_t i = edgeTarget[e];
      uint64_t res = resident;
      if ((edgesDone >> e & 1) || !(res >> (weightBase + e) & 1) ||
          !(res >> sourceBit(edgeSource[e]) & 1) || !accumulator(i, res))
        continue;
      relax(res & ~(1ull << (weightBase + e)), edgesDone | 1ull << e, biasDone,
            finished, stored, accSlow & ~(1ull << i), 0);
    }
    for (uint32_t i = 0; i < numComputed; ++i) {
      uint64_t res = resident;
      if (!(res >> (biasBase + i) & 1) || !accumulator(i, res))
        continue;
      relax(res & ~(1ull << (biasBase + i)), edgesDone, biasDone | 1ull << i,
            finished, stored, accSlow & ~(1ull << i), 0);
    }
    // Finishes.
    for (uint32_t i = 0; i < numComputed; ++i) {
      if ((finished >> i & 1) || (edgesDone & inEdges[i]) != inEdges[i] ||
          ((biasMask >> i & 1) && !(biasDone >> i & 1)))
        continue;
      uint64_t res = resident;
      if (started(i)) {
        if (!(res >> (accBase + i) & 1))
          continue;
        res &= ~(1ull << (accBase + i));
      } else if (!hasRoom) {
        continue;
      }
      relax(res | 1ull << (neuronBase + i), edgesDone, biasDone,
            finished | 1ull << i, stored, accSlow & ~(1ull << i), 0);
    }
  }
  ADD_FAILURE() << "the reference search found no plan";
  return 0;
}

//===----------------------------------------------------------------------===//
// Hand-computed optima
//===----------------------------------------------------------------------===//

// x0 -> a -> b, zero biases, output b (a = 1, b = 2). LB = W + B + n_in' +
// n_out = 2 + 0 + 1 + 1 = 4, and a plan meets it for M = 3: load x0, load
// w0, mac into a new acc_a, finish a, free x0, load w1, mac into a new
// acc_b, finish b, free x_a, store x_b.
TEST(ExhaustiveOptimumTest, ChainMeetsLowerBound) {
  Graph graph = buildGraph(1, {{0.0f, {0}}, {0.0f, {1}}}, {2});
  ASSERT_EQ(lowerBound(graph), 4u);
  for (uint32_t m = 3; m <= 5; ++m) {
    OptimalPlan result = solve(graph, m);
    EXPECT_EQ(result.counts.getTotal(), 4u) << "M = " << m;
    expectValidPlan(graph, result, m);
  }
  // The exact plan for M = 3: slots are the lowest empty ones; acc_a is
  // created in slot 0, x0 goes to slot 1 and the weights to slot 2.
  OptimalPlan result = solve(graph, 3);
  std::vector<PlanStep> expected = {
      PlanStep::load(1, ValueKind::Input, 0),
      PlanStep::load(2, ValueKind::Weight, 0),
      PlanStep::mac(0, 0, 2, 1),
      PlanStep::finish(1, 0),
      PlanStep::free(1),
      PlanStep::load(2, ValueKind::Weight, 1),
      PlanStep::mac(1, 1, 2, 0),
      PlanStep::finish(2, 1),
      PlanStep::free(0),
      PlanStep::store(1),
      PlanStep::free(1),
  };
  EXPECT_TRUE(result.plan.getSteps() == expected);
  IOCounts counts;
  counts.inputLoads = 1;
  counts.weightLoads = 2;
  counts.outputStores = 1;
  EXPECT_TRUE(result.counts == counts);
}

// The same chain with b_a = 0.5: the bias costs one more load, LB = 5, and
// the bias fits in the slot the weight uses, so OPT = LB = 5 for M = 3.
TEST(ExhaustiveOptimumTest, BiasCostsOneLoad) {
  Graph graph = buildGraph(1, {{0.5f, {0}}, {0.0f, {1}}}, {2});
  ASSERT_EQ(lowerBound(graph), 5u);
  OptimalPlan result = solve(graph, 3);
  EXPECT_EQ(result.counts.getTotal(), 5u);
  EXPECT_EQ(result.counts.biasLoads, 1u);
  EXPECT_EQ(result.counts.getWeightTraffic(), 3u);
  EXPECT_EQ(result.counts.getActivationTraffic(), 2u);
  expectValidPlan(graph, result, 3);
}

// Edges x0 -> a, x0 -> b, a -> b (a = 1, b = 2), zero biases, output b.
// LB = 3 + 0 + 1 + 1 = 5.
//
// M = 3 forces one more I/O. In a plan of cost 5, x0 is loaded once (so it
// stays from its load to its last mac) and nothing but x_b is stored (so
// acc_a, x_a and acc_b stay from creation to last use). Then:
// - if mac(a, b) comes first of b's macs, at that mac x0 (pending x0 -> b),
//   x_a, w_ab and acc_b are resident: 4 slots;
// - otherwise mac(x0, b) comes first: if it is before mac(x0, a), then
//   mac(x0, a) needs x0, w, acc_a and acc_b; if it is after, acc_a or x_a
//   (needed by mac(a, b)) is resident next to x0, w and acc_b: 4 slots.
// So OPT >= 6, and 6 is reached by freeing x0 after a and loading it again
// for mac(x0, b) once x_a is consumed. An extra store alone never helps (the
// stored value must be loaded again), so the extra I/O is an input load.
//
// M = 4 holds x0, x_a, acc_b and a weight at once: OPT = LB = 5.
TEST(ExhaustiveOptimumTest, ThreeSlotsForceAReload) {
  Graph graph = buildGraph(1, {{0.0f, {0}}, {0.0f, {0, 1}}}, {2});
  ASSERT_EQ(lowerBound(graph), 5u);
  OptimalPlan three = solve(graph, 3);
  EXPECT_EQ(three.counts.getTotal(), 6u);
  IOCounts counts;
  counts.inputLoads = 2;
  counts.weightLoads = 3;
  counts.outputStores = 1;
  EXPECT_TRUE(three.counts == counts);
  expectValidPlan(graph, three, 3);
  for (uint32_t m = 4; m <= 5; ++m) {
    OptimalPlan result = solve(graph, m);
    EXPECT_EQ(result.counts.getTotal(), 5u) << "M = " << m;
    expectValidPlan(graph, result, m);
  }
}

// x0 -> a, x0 -> b, x0 -> c and a, b, c -> d (a..d = 1..4), zero biases,
// output d. LB = 6 + 0 + 1 + 1 = 8; the pull strategy costs 2W + B + |C| =
// 16.
//
// M = 3: every mac fills all three slots, so at a mac nothing but its
// operands is resident. Each m in {a, b, c} has mac(x0, m), then finish m,
// then mac(m, d). Split the six macs into k >= 1 maximal runs of x0-macs
// (separated by d-macs). x0 is absent at every d-mac, so runs 2..k each
// reload x0 (k - 1); acc_d exists from the first d-mac on and is absent in
// runs 2..k, each time stored and reloaded (2(k - 1)); x_m is needed from
// finish m to mac(m, d) and absent at any mac in between, so unless
// mac(x0, m) directly precedes mac(m, d) it is stored and reloaded (2). Only
// the last x0-mac of a run directly precedes a d-mac, so at most k of the
// three pairs are adjacent. Extra I/O >= 3(k - 1) + 2(3 - k) = k + 3 >= 4:
// OPT >= 12, met with k = 1 by the order (x0,a) (x0,b) (x0,c) (c,d) (a,d)
// (b,d), spilling x_a and x_b.
//
// M = 4 meets LB: pull a, then mac(a, d) creating acc_d next to x0 (x0,
// x_a, acc_d, w), then b and c likewise with x0 and acc_d kept resident
// (x0, acc_d, acc_m, w): OPT = 8, and so for M = 5.
TEST(ExhaustiveOptimumTest, FanOutAndFanInOfThree) {
  Graph graph = buildGraph(
      1, {{0.0f, {0}}, {0.0f, {0}}, {0.0f, {0}}, {0.0f, {1, 2, 3}}}, {4});
  ASSERT_EQ(lowerBound(graph), 8u);
  ASSERT_EQ(pullCost(graph), 16u);
  const uint64_t expected[] = {12, 8, 8};
  for (uint32_t m = 3; m <= 5; ++m) {
    OptimalPlan result = solve(graph, m);
    EXPECT_EQ(result.counts.getTotal(), expected[m - 3]) << "M = " << m;
    EXPECT_EQ(referenceOptimum(graph, m), expected[m - 3]) << "M = " << m;
    expectValidPlan(graph, result, m);
  }
}

// Neurons with no fan-in and one unused input (n_in' = 0).
// - A lone neuron with zero bias, an output: finished into an empty slot for
//   free and stored. OPT = LB = 0 + 0 + 0 + 1 = 1.
// - a = 1 (zero bias), b = f(a) = 2, c = 3 (bias 2); outputs b and c. x_a
//   is made in place for free and feeds b without a load: load w, mac,
//   finish b, store x_b (2); load b_c, bias, finish c, store x_c (2).
//   OPT = LB = W + B + n_in' + n_out = 1 + 1 + 0 + 2 = 4.
// - The same with a as an output too: one more store. OPT = LB = 5.
TEST(ExhaustiveOptimumTest, NeuronsWithoutFanIn) {
  Graph lone = buildGraph(1, {{0.0f, {}}}, {1});
  OptimalPlan result = solve(lone, 3);
  EXPECT_EQ(result.counts.getTotal(), 1u);
  EXPECT_EQ(result.counts.outputStores, 1u);
  expectValidPlan(lone, result, 3);

  Graph graph = buildGraph(1, {{0.0f, {}}, {0.0f, {1}}, {2.0f, {}}}, {2, 3});
  ASSERT_EQ(lowerBound(graph), 4u);
  result = solve(graph, 3);
  EXPECT_EQ(result.counts.getTotal(), 4u);
  expectValidPlan(graph, result, 3);

  Graph all = buildGraph(1, {{0.0f, {}}, {0.0f, {1}}, {2.0f, {}}}, {1, 2, 3});
  ASSERT_EQ(lowerBound(all), 5u);
  result = solve(all, 3);
  EXPECT_EQ(result.counts.getTotal(), 5u);
  expectValidPlan(all, result, 3);
}

// A computed neuron that is not an output and feeds nothing must still be
// finished (its weights and bias are loaded) but is never stored: x0 -> a
// (dead, bias 1), x0 -> b (output). LB = 2 + 1 + 1 + 1 = 5 = OPT.
TEST(ExhaustiveOptimumTest, DeadNeuronIsComputedButNotStored) {
  Graph graph = buildGraph(1, {{1.0f, {0}}, {0.0f, {0}}}, {2});
  ASSERT_EQ(lowerBound(graph), 5u);
  OptimalPlan result = solve(graph, 3);
  EXPECT_EQ(result.counts.getTotal(), 5u);
  EXPECT_EQ(result.counts.getStores(), 1u);
  expectValidPlan(graph, result, 3);
}

TEST(ExhaustiveOptimumTest, Deterministic) {
  Lcg rng(7);
  for (int k = 0; k < 10; ++k) {
    Graph graph = randomGraph(rng, 3, 7, 12);
    OptimalPlan first = solve(graph, 3);
    OptimalPlan second = solve(graph, 3);
    EXPECT_TRUE(first.plan.getSteps() == second.plan.getSteps());
    EXPECT_EQ(first.statesExpanded, second.statesExpanded);
  }
}

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

TEST(ExhaustiveOptimumTest, FastMemoryOutOfRange) {
  Graph graph = buildGraph(1, {{0.0f, {0}}}, {1});
  EXPECT_EQ(searchError(graph, 2), "fast memory must be between 3 and 5 "
                                   "words for the exhaustive search, got 2");
  EXPECT_EQ(searchError(graph, 6), "fast memory must be between 3 and 5 "
                                   "words for the exhaustive search, got 6");
  EXPECT_EQ(searchError(graph, 0), "fast memory must be between 3 and 5 "
                                   "words for the exhaustive search, got 0");
}

TEST(ExhaustiveOptimumTest, TooManyComputedNeurons) {
  std::vector<NeuronSpec> neurons(8, NeuronSpec{0.0f, {0}});
  Graph graph = buildGraph(1, neurons, {1});
  EXPECT_EQ(searchError(graph, 3), "the exhaustive search handles at most 7 "
                                   "computed neurons, got 8");
  // M is checked first.
  EXPECT_EQ(searchError(graph, 2), "fast memory must be between 3 and 5 "
                                   "words for the exhaustive search, got 2");
}

TEST(ExhaustiveOptimumTest, TooManyConnections) {
  Graph graph = buildGraph(
      13, {{0.0f, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}}, {13});
  EXPECT_EQ(searchError(graph, 3), "the exhaustive search handles at most 12 "
                                   "connections, got 13");
  // Exactly at the limits is fine.
  Graph twelve =
      buildGraph(12, {{0.0f, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}}, {12});
  OptimalPlan result = solve(twelve, 3);
  EXPECT_EQ(result.counts.getTotal(), lowerBound(twelve));
  expectValidPlan(twelve, result, 3);
}

TEST(ExhaustiveOptimumTest, GivesUp) {
  Graph graph = buildGraph(1, {{0.0f, {0}}, {0.0f, {0, 1}}}, {2});
  ExhaustiveLimits limits;
  limits.maxStates = 1;
  EXPECT_EQ(searchError(graph, 3, limits),
            "the exhaustive search gave up after 1 states");
  // The search needs few states: with enough it succeeds.
  limits.maxStates = 100;
  EXPECT_EQ(searchError(graph, 3, limits), "");
}

//===----------------------------------------------------------------------===//
// Exactness and bounds on random networks
//===----------------------------------------------------------------------===//

// The planner's reductions (fused loads, lazy evictions, eager finishes and
// discards) keep an optimum: on small random networks its OPT equals that of
// the step-by-step reference search.
TEST(ExhaustiveOptimumTest, MatchesReferenceSearch) {
  Lcg rng(2024);
  for (int k = 0; k < 120; ++k) {
    Graph graph = randomGraph(rng, 3, 4, 6);
    for (uint32_t m = 3; m <= 4; ++m) {
      OptimalPlan result = solve(graph, m);
      EXPECT_EQ(result.counts.getTotal(), referenceOptimum(graph, m))
          << "graph " << k << ", M = " << m;
      expectValidPlan(graph, result, m);
    }
  }
}

// LB <= OPT <= 2W + B + |C| on 200 random networks within the limits, every
// plan validates, and OPT does not grow with M.
TEST(ExhaustiveOptimumTest, RandomNetworksBetweenBounds) {
  Lcg rng(42);
  unsigned solved = 0;
  uint64_t maxStates = 0;
  double searchSeconds = 0, maxSeconds = 0;
  auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < 200; ++k) {
    Graph graph = randomGraph(rng, 4, 7, 12);
    uint32_t m = 3 + k % 3;
    auto before = std::chrono::steady_clock::now();
    llvm::Expected<OptimalPlan> result = findOptimalPlan(graph, m);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - before)
            .count();
    searchSeconds += seconds;
    maxSeconds = std::max(maxSeconds, seconds);
    if (!result) {
      ADD_FAILURE() << "graph " << k << ": "
                    << llvm::toString(result.takeError());
      continue;
    }
    ++solved;
    maxStates = std::max(maxStates, result->statesExpanded);
    uint64_t opt = result->counts.getTotal();
    EXPECT_GE(opt, lowerBound(graph)) << "graph " << k;
    EXPECT_LE(opt, pullCost(graph)) << "graph " << k;
    expectValidPlan(graph, *result, m);
    if (m < 5) {
      EXPECT_LE(solve(graph, m + 1).counts.getTotal(), opt) << "graph " << k;
    }
  }
  double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_EQ(solved, 200u);
  std::printf("[          ] %u/200 solved, at most %llu states expanded, "
              "search %.1f ms in all (slowest %.2f ms), test %.1f ms\n",
              solved, static_cast<unsigned long long>(maxStates),
              searchSeconds * 1e3, maxSeconds * 1e3, total * 1e3);
}

} // namespace

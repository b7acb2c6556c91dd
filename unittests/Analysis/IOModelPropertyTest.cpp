//===- IOModelPropertyTest.cpp - LB <= OPT <= UB(M) on tiny networks -----===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// The property test of docs/io-model.md: over hundreds of random tiny
// networks and M in {3, 4, 5},
//
//     LB <= OPT <= UB(M) (the planned two-optimal strategy) <= 2W + B + |C|,
//
// every plan validates, and the validator counts what the planner and the
// search report. It prints how often two-optimal is optimal and the worst ratio
// UB(M) / OPT seen (the figures quoted in docs/io-model.md).
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"
#include "sffnn/TestSupport/ExhaustiveOptimum.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <random>

using namespace sffnn;

namespace {

/// A random DAG with 1 to 4 inputs, 1 to 7 computed neurons and at most 12
/// connections. Edges go from smaller to larger ids before a random
/// relabeling of the computed neurons, so ids are often not topological.
/// Half the biases are zero; every sink is an output, and so is each other
/// computed neuron with probability 1/4.
Graph makeRandomTinyNetwork(std::mt19937_64 &rng) {
  uint32_t numInputs = 1 + rng() % 4;
  uint32_t numComputed = 1 + rng() % ExhaustiveLimits::maxComputed;
  // Edges in "creation order" c = 0 .. numComputed - 1 over sources in
  // [0, numInputs + c).
  std::vector<std::vector<uint32_t>> fanIn(numComputed);
  uint64_t budget = ExhaustiveLimits::maxConnections;
  for (uint32_t c = 0; c < numComputed; ++c) {
    uint32_t available = numInputs + c;
    uint32_t want = std::min<uint64_t>(rng() % 4, budget);
    std::vector<uint32_t> sources;
    for (uint32_t k = 0; k < want; ++k) {
      uint32_t u = rng() % available;
      if (std::find(sources.begin(), sources.end(), u) == sources.end())
        sources.push_back(u);
    }
    budget -= sources.size();
    fanIn[c] = sources;
  }
  // Relabel computed neuron c as numInputs + label[c].
  std::vector<uint32_t> label(numComputed);
  for (uint32_t c = 0; c < numComputed; ++c)
    label[c] = c;
  for (uint32_t c = numComputed; c > 1; --c) // Fisher-Yates
    std::swap(label[c - 1], label[rng() % c]);
  std::vector<uint32_t> creationOf(numComputed);
  for (uint32_t c = 0; c < numComputed; ++c)
    creationOf[label[c]] = c;
  auto idOf = [&](uint32_t u) {
    return u < numInputs ? u : numInputs + label[u - numInputs];
  };

  Graph graph(numInputs);
  std::vector<bool> hasFanOut(numInputs + numComputed, false);
  for (uint32_t id = 0; id < numComputed; ++id) {
    uint32_t c = creationOf[id];
    graph.addNeuron(rng() % 2 ? 0.0f : 0.25f, Activation::relu());
    for (uint32_t u : fanIn[c]) {
      graph.addFanIn(idOf(u), 1.0f + (rng() % 4));
      hasFanOut[idOf(u)] = true;
    }
  }
  for (NeuronId v = numInputs; v < numInputs + numComputed; ++v)
    if (!hasFanOut[v] || rng() % 4 == 0)
      graph.addOutput(v);
  EXPECT_FALSE(static_cast<bool>(graph.finalize()));
  return graph;
}

TEST(IOModelPropertyTest, LowerBoundOptimumTwoOptimalAndClosedFormAreOrdered) {
  std::mt19937_64 rng(2023);
  const int numNetworks = 300;
  unsigned cases = 0, optimal = 0;
  double worstRatio = 1.0;
  uint64_t maxStates = 0;
  for (int n = 0; n < numNetworks; ++n) {
    Graph graph = makeRandomTinyNetwork(rng);
    GraphCounts counts = graph.getCounts();
    uint64_t lowerBound = getLowerBound(counts);
    uint64_t closedForm = getClosedFormUpperBound(counts);
    for (uint32_t m = 3; m <= ExhaustiveLimits::maxFastMemory; ++m) {
      SCOPED_TRACE("network " + std::to_string(n) +
                   ", M = " + std::to_string(m));
      llvm::Expected<OptimalPlan> opt = findOptimalPlan(graph, m);
      ASSERT_TRUE(static_cast<bool>(opt)) << llvm::toString(opt.takeError());
      llvm::Expected<IOCounts> optReplayed = validatePlan(graph, opt->plan);
      ASSERT_TRUE(static_cast<bool>(optReplayed))
          << llvm::toString(optReplayed.takeError());
      EXPECT_EQ(*optReplayed, opt->counts);

      Plan twoOptimalPlan(m);
      llvm::Expected<IOCounts> twoOptimal =
          planEvaluation(graph, getPullOrder(graph, getTwoOptimalOrder(graph)),
                         m, &twoOptimalPlan);
      ASSERT_TRUE(static_cast<bool>(twoOptimal))
          << llvm::toString(twoOptimal.takeError());
      llvm::Expected<IOCounts> twoOptimalReplayed =
          validatePlan(graph, twoOptimalPlan);
      ASSERT_TRUE(static_cast<bool>(twoOptimalReplayed))
          << llvm::toString(twoOptimalReplayed.takeError());
      EXPECT_EQ(*twoOptimalReplayed, *twoOptimal);

      uint64_t best = opt->counts.getTotal();
      EXPECT_LE(lowerBound, best);
      EXPECT_LE(best, twoOptimal->getTotal());
      EXPECT_LE(twoOptimal->getTotal(), closedForm);
      ++cases;
      optimal += twoOptimal->getTotal() == best;
      worstRatio = std::max(worstRatio, double(twoOptimal->getTotal()) / best);
      maxStates = std::max(maxStates, opt->statesExpanded);
    }
  }
  llvm::outs() << "io-model property test: " << numNetworks
               << " networks x M in {3, 4, 5} = " << cases
               << " cases; two-optimal is optimal in " << optimal << " ("
               << llvm::format("%.1f", 100.0 * optimal / cases)
               << "%); worst UB(M)/OPT = " << llvm::format("%.3f", worstRatio)
               << "; most states expanded = " << maxStates << "\n";
  RecordProperty("cases", cases);
  RecordProperty("twoOptimalOptimal", optimal);
}

} // namespace

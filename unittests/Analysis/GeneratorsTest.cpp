//===- GeneratorsTest.cpp - Tests for the network generators --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file tests the generators of include/sffnn/Generators/Generators.h:
// exact counts of small instances, determinism per seed, the structure of
// Graph Challenge (strides, fan-in, bias, clamp) and banded networks (sources
// inside the band), and the I/O-optimal construction of docs/generators.md:
// over 200 random parameter sets the planned two-optimal strategy costs exactly
// LB, on tiny instances the exhaustive optimum is exactly LB, and infeasible
// parameters give one clear error.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Generators/Generators.h"
#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"
#include "sffnn/TestSupport/ExhaustiveOptimum.h"

#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <random>
#include <set>

using namespace sffnn;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The value of `expected`, failing the test (and returning a default) on an
/// error.
template <typename T> T unwrap(llvm::Expected<T> expected) {
  if (!expected) {
    ADD_FAILURE() << llvm::toString(expected.takeError());
    return T();
  }
  return std::move(*expected);
}

/// The message of the error `expected` holds, or "" if it holds a value.
template <typename T> std::string errorOf(llvm::Expected<T> expected) {
  if (expected)
    return "";
  return llvm::toString(expected.takeError());
}

/// True if the two finalized graphs are identical: neurons, edges in order,
/// weights, biases, activations, outputs and layout layers.
bool isSameGraph(const Graph &a, const Graph &b) {
  if (!(a.getCounts() == b.getCounts()) ||
      a.getNumInputs() != b.getNumInputs() ||
      a.getOutputs() != b.getOutputs() ||
      a.getLayout().layers.size() != b.getLayout().layers.size())
    return false;
  for (NeuronId v = a.getNumInputs(); v < a.getNumNeurons(); ++v)
    if (a.getFanIn(v) != b.getFanIn(v) ||
        a.getFanInWeights(v) != b.getFanInWeights(v) ||
        a.getBias(v) != b.getBias(v) ||
        a.getActivation(v) != b.getActivation(v))
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Graph Challenge
//===----------------------------------------------------------------------===//

TEST(GeneratorsGraphChallengeTest, StridesAndBiasesOfTheChallengeSizes) {
  using Strides = std::vector<uint32_t>;
  EXPECT_EQ(getGraphChallengeStrides(1024, 32), Strides({1, 32}));
  EXPECT_EQ(getGraphChallengeStrides(4096, 32), Strides({1, 32, 128}));
  EXPECT_EQ(getGraphChallengeStrides(16384, 32), Strides({1, 32, 512}));
  EXPECT_EQ(getGraphChallengeStrides(65536, 32), Strides({1, 32, 1024, 2048}));
  EXPECT_EQ(getGraphChallengeStrides(32, 32), Strides({1}));
  EXPECT_EQ(getGraphChallengeStrides(100, 4), Strides({1, 4, 16, 25}));
  EXPECT_EQ(getGraphChallengeStrides(8, 2), Strides({1, 2, 4}));
  EXPECT_EQ(getGraphChallengeStrides(10, 1), Strides({1}));
  EXPECT_EQ(getGraphChallengeBias(1024), -0.3f);
  EXPECT_EQ(getGraphChallengeBias(4096), -0.35f);
  EXPECT_EQ(getGraphChallengeBias(16384), -0.4f);
  EXPECT_EQ(getGraphChallengeBias(65536), -0.45f);
  EXPECT_EQ(getGraphChallengeBias(2048), std::nullopt);
}

/// For the four Challenge sizes, one cycle of strides connects every neuron
/// to every neuron of the layer |strides| layers earlier: the offsets
/// sum_t k_t * s_t (0 <= k_t < 32) cover every residue mod n (the random
/// rotations only translate them).
TEST(GeneratorsGraphChallengeTest, OneCycleReachesTheWholeLayer) {
  for (uint32_t n : {1024u, 4096u, 16384u, 65536u}) {
    std::vector<bool> reached(n, false);
    reached[0] = true;
    for (uint32_t stride : getGraphChallengeStrides(n, 32)) {
      std::vector<bool> next(n, false);
      for (uint32_t x = 0; x < n; ++x)
        if (reached[x])
          for (uint64_t k = 0; k < 32; ++k)
            next[(x + k * stride) % n] = true;
      reached.swap(next);
    }
    EXPECT_EQ(std::count(reached.begin(), reached.end(), true), n) << n;
  }
}

TEST(GeneratorsGraphChallengeTest, ChallengeSizeCounts) {
  GraphChallengeOptions options;
  options.neuronsPerLayer = 1024;
  options.layers = 3;
  Graph graph = unwrap(generateGraphChallenge(options));
  GraphCounts counts = graph.getCounts();
  EXPECT_EQ(counts.numNeurons, 4 * 1024u);
  EXPECT_EQ(counts.numInputs, 1024u);
  EXPECT_EQ(counts.numUsedInputs, 1024u);
  EXPECT_EQ(counts.numComputed, 3 * 1024u);
  EXPECT_EQ(counts.numOutputs, 1024u);
  EXPECT_EQ(counts.numConnections, 3 * 1024u * 32);
  EXPECT_EQ(counts.numNonZeroBiases, 3 * 1024u);
  for (NeuronId v = graph.getNumInputs(); v < graph.getNumNeurons(); ++v) {
    ASSERT_EQ(graph.getBias(v), -0.3f);
    ASSERT_EQ(graph.getActivation(v), Activation::clamp(0.0f, 32.0f));
    for (float w : graph.getFanInWeights(v))
      ASSERT_EQ(w, 1.0f / 16.0f);
  }
  const GraphLayout &layout = graph.getLayout();
  EXPECT_EQ(layout.argumentSizes, std::vector<uint32_t>({1024}));
  ASSERT_EQ(layout.layers.size(), 3u);
  for (uint32_t l = 0; l < 3; ++l) {
    EXPECT_EQ(layout.layers[l].begin, 1024 * (l + 1));
    EXPECT_EQ(layout.layers[l].end, 1024 * (l + 2));
    EXPECT_EQ(layout.layers[l].operands, std::vector<uint32_t>({l}));
  }
  EXPECT_EQ(layout.results, std::vector<uint32_t>({3}));
  EXPECT_EQ(graph.getOutputs().front(), 3 * 1024u);
  EXPECT_EQ(graph.getOutputs().back(), 4 * 1024u - 1);
}

/// Neuron j of layer l + 1 reads (j + o_l + k * s_l) mod n, k < c: the
/// offsets (source - j) mod n are the same for every neuron of a layer and
/// form an arithmetic progression with difference s_l (mod n).
TEST(GeneratorsGraphChallengeTest, StridePattern) {
  GraphChallengeOptions options;
  options.neuronsPerLayer = 100;
  options.connections = 4;
  options.layers = 9;
  options.bias = -0.25f;
  options.seed = 5;
  Graph graph = unwrap(generateGraphChallenge(options));
  const uint32_t n = 100, c = 4;
  std::vector<uint32_t> strides = getGraphChallengeStrides(n, c);
  ASSERT_EQ(strides, std::vector<uint32_t>({1, 4, 16, 25}));
  std::set<uint32_t> rotations;
  for (uint32_t l = 0; l < options.layers; ++l) {
    SCOPED_TRACE("layer " + std::to_string(l));
    uint32_t stride = strides[l % strides.size()];
    NeuronId begin = n * (l + 1), previousBegin = n * l;
    std::set<uint32_t> offsets;
    for (NeuronId v = begin; v < begin + n; ++v) {
      llvm::ArrayRef<NeuronId> fanIn = graph.getFanIn(v);
      ASSERT_EQ(fanIn.size(), c);
      std::set<uint32_t> neuronOffsets;
      for (NeuronId u : fanIn) {
        ASSERT_GE(u, previousBegin);
        ASSERT_LT(u, previousBegin + n);
        neuronOffsets.insert((u - previousBegin + n - (v - begin)) % n);
      }
      if (v == begin)
        offsets = neuronOffsets;
      ASSERT_EQ(neuronOffsets, offsets);
      EXPECT_EQ(graph.getBias(v), -0.25f);
      EXPECT_EQ(graph.getActivation(v), Activation::clamp(0.0f, 32.0f));
    }
    // Some offset o has offsets == {(o + k * stride) mod n}.
    bool found = false;
    for (uint32_t o : offsets) {
      std::set<uint32_t> progression;
      for (uint32_t k = 0; k < c; ++k)
        progression.insert((o + k * stride) % n);
      if (progression == offsets) {
        found = true;
        rotations.insert(o);
      }
    }
    EXPECT_TRUE(found);
  }
  // The rotations are random: not all layers share one.
  EXPECT_GT(rotations.size(), 1u);
}

TEST(GeneratorsGraphChallengeTest, PermutedAndRandomWeights) {
  GraphChallengeOptions options;
  options.neuronsPerLayer = 64;
  options.connections = 8;
  options.layers = 4;
  options.bias = 0.0f;
  options.permute = true;
  options.randomWeights = true;
  Graph graph = unwrap(generateGraphChallenge(options));
  EXPECT_EQ(graph.getCounts().numConnections, 64u * 4 * 8);
  EXPECT_EQ(graph.getCounts().numNonZeroBiases, 0u);
  std::set<float> weights;
  for (NeuronId v = graph.getNumInputs(); v < graph.getNumNeurons(); ++v) {
    // Fan-in and fan-out (except the outputs) are exactly c, within the
    // neighbouring layers.
    NeuronId layerBegin = v / 64 * 64;
    ASSERT_EQ(graph.getFanIn(v).size(), 8u);
    for (NeuronId u : graph.getFanIn(v))
      ASSERT_EQ(u / 64 * 64, layerBegin - 64);
    for (float w : graph.getFanInWeights(v)) {
      ASSERT_LE(std::abs(w), 0.125f);
      weights.insert(w);
    }
  }
  for (NeuronId u = 0; u < 4 * 64; ++u)
    ASSERT_EQ(graph.getFanOut(u).size(), 8u);
  EXPECT_GT(weights.size(), 1000u);
  // The permutation hides the stride pattern: in the unpermuted network the
  // first neuron of the first layer reads 8 consecutive inputs (stride 1).
  options.permute = false;
  Graph plain = unwrap(generateGraphChallenge(options));
  EXPECT_FALSE(isSameGraph(graph, plain));
}

TEST(GeneratorsGraphChallengeTest, Deterministic) {
  GraphChallengeOptions options;
  options.neuronsPerLayer = 64;
  options.connections = 4;
  options.layers = 6;
  options.bias = -0.3f;
  options.seed = 11;
  for (bool permute : {false, true}) {
    options.permute = permute;
    options.seed = 11;
    Graph a = unwrap(generateGraphChallenge(options));
    Graph b = unwrap(generateGraphChallenge(options));
    EXPECT_TRUE(isSameGraph(a, b));
    options.seed = 12;
    Graph c = unwrap(generateGraphChallenge(options));
    EXPECT_FALSE(isSameGraph(a, c));
  }
}

TEST(GeneratorsGraphChallengeTest, Errors) {
  GraphChallengeOptions options;
  options.neuronsPerLayer = 64;
  options.layers = 2;
  EXPECT_EQ(errorOf(generateGraphChallenge(options)),
            "the Graph Challenge has no bias for 64 neurons per layer (only "
            "1024, 4096, 16384 and 65536); set the bias");
  options.bias = -0.3f;
  options.neuronsPerLayer = 16;
  EXPECT_EQ(errorOf(generateGraphChallenge(options)),
            "a layer of 16 neurons cannot give each neuron 32 distinct "
            "sources");
  options.neuronsPerLayer = 64;
  options.layers = 0;
  EXPECT_EQ(errorOf(generateGraphChallenge(options)),
            "a Graph Challenge network needs at least one layer");
  options.layers = 2;
  options.connections = 0;
  EXPECT_EQ(errorOf(generateGraphChallenge(options)),
            "the connections per neuron must be positive");
  options.connections = 32;
  options.neuronsPerLayer = 1u << 30;
  options.layers = 4;
  EXPECT_EQ(errorOf(generateGraphChallenge(options)),
            "the network would have 5368709120 neurons; at most 2^32 - 2 are "
            "supported");
}

//===----------------------------------------------------------------------===//
// Banded
//===----------------------------------------------------------------------===//

TEST(GeneratorsBandedTest, BandBegin) {
  // Centre floor(j * 100 / 10) = 10 j, band of 8 from 10 j - 4, shifted into
  // [0, 100 - 8].
  EXPECT_EQ(getBandBegin(0, 10, 100, 8), 0u);
  EXPECT_EQ(getBandBegin(5, 10, 100, 8), 46u);
  EXPECT_EQ(getBandBegin(9, 10, 100, 8), 86u);
  EXPECT_EQ(getBandBegin(199, 200, 100, 8), 92u);
  // A band wider than the previous layer covers all of it.
  EXPECT_EQ(getBandBegin(7, 10, 5, 8), 0u);
}

TEST(GeneratorsBandedTest, SourcesInsideTheBand) {
  BandedOptions options;
  options.widths = {100, 50, 200, 10, 3, 20};
  options.fanIn = 5;
  options.bandwidth = 12;
  options.seed = 3;
  Graph graph = unwrap(generateBanded(options));
  GraphCounts counts = graph.getCounts();
  EXPECT_EQ(counts.numNeurons, 383u);
  EXPECT_EQ(counts.numInputs, 100u);
  EXPECT_EQ(counts.numComputed, 283u);
  EXPECT_EQ(counts.numOutputs, 20u);
  // The layer of 20 reads a layer of 3: fan-in 3.
  EXPECT_EQ(counts.numConnections, 5u * (50 + 200 + 10 + 3) + 3 * 20);
  const GraphLayout &layout = graph.getLayout();
  ASSERT_EQ(layout.layers.size(), 5u);
  NeuronId previousBegin = 0;
  for (size_t l = 1; l < options.widths.size(); ++l) {
    const GraphLayout::Layer &layer = layout.layers[l - 1];
    uint32_t width = options.widths[l], previousWidth = options.widths[l - 1];
    ASSERT_EQ(layer.end - layer.begin, width);
    for (uint32_t j = 0; j < width; ++j) {
      NeuronId v = layer.begin + j;
      uint32_t band = getBandBegin(j, width, previousWidth, 12);
      llvm::ArrayRef<NeuronId> fanIn = graph.getFanIn(v);
      ASSERT_EQ(fanIn.size(), std::min(5u, previousWidth));
      for (size_t t = 0; t < fanIn.size(); ++t) {
        ASSERT_GE(fanIn[t], previousBegin + band);
        ASSERT_LT(fanIn[t],
                  previousBegin + band + std::min(12u, previousWidth));
        if (t > 0) {
          ASSERT_LT(fanIn[t - 1], fanIn[t]);
        }
      }
    }
    previousBegin = layer.begin;
  }
}

TEST(GeneratorsBandedTest, DeterministicAndErrors) {
  BandedOptions options;
  options.widths = {64, 64, 64};
  options.fanIn = 4;
  options.bandwidth = 16;
  options.seed = 1;
  Graph a = unwrap(generateBanded(options));
  Graph b = unwrap(generateBanded(options));
  EXPECT_TRUE(isSameGraph(a, b));
  options.seed = 2;
  EXPECT_FALSE(isSameGraph(a, unwrap(generateBanded(options))));

  options.fanIn = 17;
  EXPECT_EQ(errorOf(generateBanded(options)),
            "the fan-in 17 exceeds the bandwidth 16");
  options.fanIn = 4;
  options.bandwidth = 0;
  EXPECT_EQ(errorOf(generateBanded(options)), "the bandwidth must be positive");
  options.bandwidth = 16;
  options.widths = {64};
  EXPECT_EQ(errorOf(generateBanded(options)),
            "a layered network needs at least two widths (inputs and "
            "outputs)");
}

//===----------------------------------------------------------------------===//
// I/O-optimal networks
//===----------------------------------------------------------------------===//

TEST(GeneratorsIOOptimalTest, Range) {
  // N = 10, n_in = 3, n_out = 2, M = 4 (r = 2): k = 7 computed neurons,
  // W_min = 3 + 5 = 8; the earliest loading gives |R_i| = 2 for every i.
  IOOptimalRange range = unwrap(getIOOptimalRange(10, 3, 2, 4));
  EXPECT_EQ(range.minConnections, 8u);
  EXPECT_EQ(range.maxConnections, 14u);
  // M = 3: a chain.
  range = unwrap(getIOOptimalRange(5, 1, 1, 3));
  EXPECT_EQ(range.minConnections, 4u);
  EXPECT_EQ(range.maxConnections, 4u);
  // N = 20, n_in = 2, n_out = 1, M = 10 (r = 8): |R_i| = min(8, 2 + i).
  range = unwrap(getIOOptimalRange(20, 2, 1, 10));
  EXPECT_EQ(range.minConnections, 2u + 17);
  EXPECT_EQ(range.maxConnections, 2u + 3 + 4 + 5 + 6 + 7 + 8 * 12);
}

TEST(GeneratorsIOOptimalTest, Errors) {
  EXPECT_EQ(errorOf(getIOOptimalRange(10, 3, 2, 2)),
            "fast memory must hold at least 3 words, got 2");
  EXPECT_EQ(errorOf(getIOOptimalRange(10, 0, 2, 4)),
            "an I/O-optimal network needs at least one input");
  EXPECT_EQ(errorOf(getIOOptimalRange(3, 3, 1, 4)),
            "N = 3 leaves no computed neuron after n_in = 3 inputs");
  EXPECT_EQ(errorOf(getIOOptimalRange(10, 3, 0, 4)),
            "n_out = 0 is out of range [1, N - n_in] = [1, 7]");
  EXPECT_EQ(errorOf(getIOOptimalRange(10, 3, 8, 4)),
            "n_out = 8 is out of range [1, N - n_in] = [1, 7]");
  EXPECT_EQ(errorOf(getIOOptimalRange(5, 3, 1, 3)),
            "n_in = 3 is more than the construction can load: at most "
            "(N - n_in) * (M - 3) + n_out = 1 for N = 5, n_out = 1, M = 3");

  IOOptimalOptions options;
  options.numNeurons = 10;
  options.numInputs = 3;
  options.numOutputs = 2;
  options.fastMemory = 4;
  options.numConnections = 15;
  EXPECT_EQ(errorOf(generateIOOptimal(options)),
            "W = 15 is out of range [8, 14] for N = 10, n_in = 3, n_out = 2, "
            "M = 4");
  options.numConnections = 7;
  EXPECT_EQ(errorOf(generateIOOptimal(options)),
            "W = 7 is out of range [8, 14] for N = 10, n_in = 3, n_out = 2, "
            "M = 4");
  options.numConnections = 8;
  options.zeroBiasFraction = 1.5;
  EXPECT_EQ(errorOf(generateIOOptimal(options)),
            "the zero-bias fraction must be in [0, 1]");
  options.zeroBiasFraction = 0.5;
  options.fastMemory = 2;
  EXPECT_EQ(errorOf(generateIOOptimal(options)),
            "fast memory must hold at least 3 words, got 2");
}

TEST(GeneratorsIOOptimalTest, ExactCountsOfASmallInstance) {
  IOOptimalOptions options;
  options.numNeurons = 10;
  options.numInputs = 3;
  options.numOutputs = 2;
  options.fastMemory = 4;
  options.numConnections = 11;
  options.zeroBiasFraction = 0.0;
  IOOptimalNetwork network = unwrap(generateIOOptimal(options));
  const Graph &graph = network.graph;
  GraphCounts counts = graph.getCounts();
  EXPECT_EQ(counts.numNeurons, 10u);
  EXPECT_EQ(counts.numInputs, 3u);
  EXPECT_EQ(counts.numUsedInputs, 3u);
  EXPECT_EQ(counts.numComputed, 7u);
  EXPECT_EQ(counts.numOutputs, 2u);
  EXPECT_EQ(counts.numConnections, 11u);
  EXPECT_EQ(counts.numNonZeroBiases, 7u);
  EXPECT_EQ(graph.getOutputs(), llvm::ArrayRef<NeuronId>({8, 9}));
  EXPECT_EQ(network.order, std::vector<NeuronId>({3, 4, 5, 6, 7, 8, 9}));
  EXPECT_TRUE(graph.getLayout().layers.empty());
  EXPECT_TRUE(graph.isTopologicallyOrdered());
  for (NeuronId v = 3; v < 10; ++v) {
    EXPECT_LE(graph.getFanIn(v).size(), 2u); // r = M - 2
    EXPECT_EQ(graph.getActivation(v),
              v < 8 ? Activation::relu() : Activation::identity());
  }
  // Every computed neuron that is not an output feeds the next one.
  for (NeuronId v = 3; v < 8; ++v) {
    llvm::ArrayRef<NeuronId> fanIn = graph.getFanIn(v + 1);
    EXPECT_NE(std::find(fanIn.begin(), fanIn.end(), v), fanIn.end());
  }
  options.zeroBiasFraction = 1.0;
  EXPECT_EQ(
      unwrap(generateIOOptimal(options)).graph.getCounts().numNonZeroBiases,
      0u);
}

TEST(GeneratorsIOOptimalTest, Deterministic) {
  IOOptimalOptions options;
  options.numNeurons = 300;
  options.numInputs = 40;
  options.numOutputs = 10;
  options.fastMemory = 16;
  options.numConnections = 1500;
  options.seed = 4;
  IOOptimalNetwork a = unwrap(generateIOOptimal(options));
  IOOptimalNetwork b = unwrap(generateIOOptimal(options));
  EXPECT_TRUE(isSameGraph(a.graph, b.graph));
  options.seed = 5;
  EXPECT_FALSE(isSameGraph(a.graph, unwrap(generateIOOptimal(options)).graph));
}

/// The property of docs/generators.md: for every generated network, the
/// planned two-optimal strategy (Belady on the pull order of the construction
/// order) costs exactly LB = W + B + n_in + n_out for M and every larger M,
/// and its plan validates.
TEST(GeneratorsIOOptimalTest, TwoOptimalMeetsTheLowerBound) {
  std::mt19937_64 rng(2301);
  const int numCases = 200;
  uint64_t totalConnections = 0, maxConnections = 0;
  for (int c = 0; c < numCases; ++c) {
    uint32_t m = 3 + rng() % 62;
    uint32_t n = 5 + rng() % 1996;
    uint32_t numInputs = 1 + rng() % std::min<uint32_t>(n - 1, 200);
    uint32_t k = n - numInputs;
    uint32_t numOutputs = 1 + rng() % std::min<uint32_t>(k, 50);
    uint64_t capacity = uint64_t(k) * (m - 3) + numOutputs;
    if (numInputs > capacity)
      numInputs = std::max<uint64_t>(1, capacity);
    n = numInputs + k;
    IOOptimalRange range =
        unwrap(getIOOptimalRange(n, numInputs, numOutputs, m));
    IOOptimalOptions options;
    options.numNeurons = n;
    options.numInputs = numInputs;
    options.numOutputs = numOutputs;
    options.fastMemory = m;
    // The extremes, then uniform in the range.
    uint64_t span = range.maxConnections - range.minConnections;
    options.numConnections = c % 10 == 0 ? range.minConnections
                             : c % 10 == 1
                                 ? range.maxConnections
                                 : range.minConnections + rng() % (span + 1);
    options.zeroBiasFraction = (rng() % 5) / 4.0;
    options.seed = rng();
    SCOPED_TRACE("case " + std::to_string(c) + ": N = " + std::to_string(n) +
                 ", W = " + std::to_string(options.numConnections) +
                 ", n_in = " + std::to_string(numInputs) + ", n_out = " +
                 std::to_string(numOutputs) + ", M = " + std::to_string(m));
    llvm::Expected<IOOptimalNetwork> network = generateIOOptimal(options);
    ASSERT_TRUE(static_cast<bool>(network))
        << llvm::toString(network.takeError());
    const Graph &graph = network->graph;
    GraphCounts counts = graph.getCounts();
    ASSERT_EQ(counts.numNeurons, n);
    ASSERT_EQ(counts.numInputs, numInputs);
    ASSERT_EQ(counts.numUsedInputs, numInputs);
    ASSERT_EQ(counts.numOutputs, numOutputs);
    ASSERT_EQ(counts.numConnections, options.numConnections);
    ASSERT_EQ(getTwoOptimalOrder(graph), network->order);
    uint64_t lowerBound = getLowerBound(counts);
    EvaluationOrder order = getPullOrder(graph, network->order);
    Plan plan(m);
    llvm::Expected<IOCounts> cost = planEvaluation(graph, order, m, &plan);
    ASSERT_TRUE(static_cast<bool>(cost)) << llvm::toString(cost.takeError());
    EXPECT_EQ(cost->getTotal(), lowerBound);
    EXPECT_EQ(cost->inputLoads, numInputs);
    EXPECT_EQ(cost->spillStores + cost->neuronReloads, 0u);
    llvm::Expected<IOCounts> replayed = validatePlan(graph, plan);
    ASSERT_TRUE(static_cast<bool>(replayed))
        << llvm::toString(replayed.takeError());
    EXPECT_EQ(*replayed, *cost);
    // More fast memory never hurts.
    llvm::Expected<IOCounts> larger = planEvaluation(graph, order, m + 7);
    ASSERT_TRUE(static_cast<bool>(larger));
    EXPECT_EQ(larger->getTotal(), lowerBound);
    totalConnections += counts.numConnections;
    maxConnections = std::max(maxConnections, counts.numConnections);
  }
  llvm::outs() << "io-optimal generator: " << numCases
               << " networks, two-optimal = LB in all; " << totalConnections
               << " connections in total, at most " << maxConnections << "\n";
}

/// On tiny instances the exhaustive search confirms OPT = LB directly.
TEST(GeneratorsIOOptimalTest, ExhaustiveOptimumIsTheLowerBound) {
  std::mt19937_64 rng(48);
  int cases = 0;
  for (int attempt = 0; attempt < 400 && cases < 60; ++attempt) {
    uint32_t m = 3 + rng() % 3;
    uint32_t k = 1 + rng() % ExhaustiveLimits::maxComputed;
    uint32_t numInputs = 1 + rng() % 4;
    uint32_t numOutputs = 1 + rng() % k;
    llvm::Expected<IOOptimalRange> range =
        getIOOptimalRange(numInputs + k, numInputs, numOutputs, m);
    if (!range) {
      llvm::consumeError(range.takeError());
      continue;
    }
    uint64_t high = std::min<uint64_t>(range->maxConnections,
                                       ExhaustiveLimits::maxConnections);
    if (range->minConnections > high)
      continue;
    IOOptimalOptions options;
    options.numNeurons = numInputs + k;
    options.numInputs = numInputs;
    options.numOutputs = numOutputs;
    options.fastMemory = m;
    options.numConnections =
        range->minConnections + rng() % (high - range->minConnections + 1);
    options.seed = rng();
    SCOPED_TRACE("case " + std::to_string(cases) +
                 ": N = " + std::to_string(options.numNeurons) +
                 ", W = " + std::to_string(options.numConnections) +
                 ", n_in = " + std::to_string(numInputs) + ", n_out = " +
                 std::to_string(numOutputs) + ", M = " + std::to_string(m));
    IOOptimalNetwork network = unwrap(generateIOOptimal(options));
    llvm::Expected<OptimalPlan> optimum = findOptimalPlan(network.graph, m);
    ASSERT_TRUE(static_cast<bool>(optimum))
        << llvm::toString(optimum.takeError());
    EXPECT_EQ(optimum->counts.getTotal(),
              getLowerBound(network.graph.getCounts()));
    ++cases;
  }
  EXPECT_GE(cases, 60);
}

} // namespace

//===- GraphTest.cpp - Tests for the neuron-level DAG ---------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file tests `Graph` on small hand-built networks with exact expected
// values (counts, adjacency, orders, cycles, every diagnostic of `finalize`
// and the reference evaluation), and on a deterministic graph of 10^6 edges.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Graph.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <ostream>
#include <set>

using namespace sffnn;

namespace sffnn {
/// Lets GoogleTest print counts in failure messages.
static void PrintTo(const GraphCounts &counts, std::ostream *os) {
  *os << "{N=" << counts.numNeurons << ", n_in=" << counts.numInputs
      << ", n_in'=" << counts.numUsedInputs << ", |C|=" << counts.numComputed
      << ", n_out=" << counts.numOutputs << ", W=" << counts.numConnections
      << ", B=" << counts.numNonZeroBiases << "}";
}
} // namespace sffnn

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Finalizes `graph`; returns the error message, or "" on success.
std::string finalizeError(Graph &graph) {
  if (llvm::Error err = graph.finalize())
    return llvm::toString(std::move(err));
  return "";
}

GraphCounts makeCounts(uint64_t numNeurons, uint64_t numInputs,
                       uint64_t numUsedInputs, uint64_t numComputed,
                       uint64_t numOutputs, uint64_t numConnections,
                       uint64_t numNonZeroBiases) {
  GraphCounts counts;
  counts.numNeurons = numNeurons;
  counts.numInputs = numInputs;
  counts.numUsedInputs = numUsedInputs;
  counts.numComputed = numComputed;
  counts.numOutputs = numOutputs;
  counts.numConnections = numConnections;
  counts.numNonZeroBiases = numNonZeroBiases;
  return counts;
}

std::vector<NeuronId> toVector(llvm::ArrayRef<NeuronId> ids) {
  return ids.vec();
}

std::vector<uint64_t> toVector(llvm::ArrayRef<uint64_t> ids) {
  return ids.vec();
}

std::vector<float> toVector(llvm::ArrayRef<float> values) {
  return values.vec();
}

/// Checks that the fan-out CSR is the transpose of the fan-in CSR: every
/// fan-out entry (u -> v, edge e) is the edge e of v's fan-in, with source u.
void expectFanOutMatchesFanIn(const Graph &graph) {
  uint64_t numEdges = 0;
  for (NeuronId u = 0; u < graph.getNumNeurons(); ++u) {
    llvm::ArrayRef<NeuronId> targets = graph.getFanOut(u);
    llvm::ArrayRef<uint64_t> edges = graph.getFanOutEdges(u);
    ASSERT_EQ(targets.size(), edges.size());
    for (size_t i = 0; i < targets.size(); ++i) {
      NeuronId v = targets[i];
      EXPECT_TRUE(i == 0 || targets[i - 1] < v) << "fan-out of " << u;
      uint64_t begin = graph.getFanInBegin(v);
      ASSERT_GE(edges[i], begin);
      ASSERT_LT(edges[i] - begin, graph.getFanIn(v).size());
      EXPECT_EQ(graph.getFanIn(v)[edges[i] - begin], u);
    }
    numEdges += targets.size();
  }
  EXPECT_EQ(numEdges, graph.getNumConnections());
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

//===----------------------------------------------------------------------===//
// Activation
//===----------------------------------------------------------------------===//

TEST(ActivationTest, StringifyAndSymbolize) {
  const std::pair<ActivationKind, const char *> kinds[] = {
      {ActivationKind::Identity, "identity"},
      {ActivationKind::Relu, "relu"},
      {ActivationKind::Clamp, "clamp"},
      {ActivationKind::Sigmoid, "sigmoid"},
      {ActivationKind::Tanh, "tanh"},
      {ActivationKind::LeakyRelu, "leaky_relu"},
      {ActivationKind::Gelu, "gelu"},
      {ActivationKind::GeluTanh, "gelu_tanh"},
      {ActivationKind::Silu, "silu"},
      {ActivationKind::Elu, "elu"},
      {ActivationKind::HardSigmoid, "hard_sigmoid"},
      {ActivationKind::HardSwish, "hard_swish"},
  };
  for (const auto &[kind, keyword] : kinds) {
    EXPECT_EQ(stringifyActivationKind(kind), keyword);
    EXPECT_EQ(symbolizeActivationKind(keyword), kind);
  }
  EXPECT_EQ(symbolizeActivationKind("Relu"), std::nullopt);
  EXPECT_EQ(symbolizeActivationKind("leaky-relu"), std::nullopt);
  EXPECT_EQ(symbolizeActivationKind(""), std::nullopt);
}

TEST(ActivationTest, StableNumbering) {
  EXPECT_EQ(static_cast<int>(ActivationKind::Identity), 0);
  EXPECT_EQ(static_cast<int>(ActivationKind::Relu), 1);
  EXPECT_EQ(static_cast<int>(ActivationKind::Clamp), 2);
  EXPECT_EQ(static_cast<int>(ActivationKind::Sigmoid), 3);
  EXPECT_EQ(static_cast<int>(ActivationKind::Tanh), 4);
  EXPECT_EQ(static_cast<int>(ActivationKind::LeakyRelu), 5);
  EXPECT_EQ(static_cast<int>(ActivationKind::Gelu), 6);
  EXPECT_EQ(static_cast<int>(ActivationKind::GeluTanh), 7);
  EXPECT_EQ(static_cast<int>(ActivationKind::Silu), 8);
  EXPECT_EQ(static_cast<int>(ActivationKind::Elu), 9);
  EXPECT_EQ(static_cast<int>(ActivationKind::HardSigmoid), 10);
  EXPECT_EQ(static_cast<int>(ActivationKind::HardSwish), 11);
}

// Values from the definitions: GELU(1) = Phi(1) = 0.8413447460685429,
// GELU_tanh(1) = (1 + tanh(sqrt(2/pi) * 1.044715)) / 2, SiLU(1) = sigmoid(1),
// ELU(-1) = alpha (1/e - 1), HardSigmoid and HardSwish piecewise.
TEST(ActivationTest, ApplySmooth) {
  EXPECT_DOUBLE_EQ(Activation::gelu().apply(1.0), 0.8413447460685429);
  EXPECT_EQ(Activation::gelu().apply(0.0), 0.0);
  EXPECT_DOUBLE_EQ(Activation::gelu().apply(-1.0), -0.15865525393145707);
  EXPECT_DOUBLE_EQ(Activation::geluTanh().apply(1.0),
                   0.5 * (1.0 + std::tanh(0.7978845608028654 * 1.044715)));
  EXPECT_DOUBLE_EQ(Activation::silu().apply(1.0), 0.7310585786300049);
  EXPECT_DOUBLE_EQ(Activation::elu(0.5f).apply(-1.0),
                   0.5 * (std::exp(-1.0) - 1.0));
  EXPECT_EQ(Activation::elu(0.5f).apply(2.0), 2.0);
  EXPECT_EQ(Activation::hardSigmoid(0.25f, 0.5f).apply(1.0), 0.75);
  EXPECT_EQ(Activation::hardSigmoid(0.25f, 0.5f).apply(3.0), 1.0);
  EXPECT_EQ(Activation::hardSigmoid(0.25f, 0.5f).apply(-3.0), 0.0);
  EXPECT_EQ(Activation::hardSwish().apply(3.0), 3.0);
  EXPECT_EQ(Activation::hardSwish().apply(-3.0), -0.0);
  EXPECT_DOUBLE_EQ(Activation::hardSwish().apply(1.0), 1.0 * (1.0 / 6 + 0.5));
  EXPECT_EQ(Activation::elu(1.0f).validate(), "");
  EXPECT_NE(Activation::elu(INFINITY).validate(), "");
  EXPECT_NE((Activation{ActivationKind::Gelu, 1.0f}).validate(), "");
  EXPECT_NE(Activation::hardSigmoid(0.2f, NAN).validate(), "");
}

TEST(OutputEpilogueTest, SoftmaxAndLogSoftmax) {
  std::vector<double> y = {1.0, 2.0, 3.0};
  applyOutputEpilogue(OutputEpilogue::Softmax, y);
  const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_DOUBLE_EQ(y[0], std::exp(1.0) / sum);
  EXPECT_DOUBLE_EQ(y[2], std::exp(3.0) / sum);
  std::vector<double> z = {1.0, 2.0, 3.0};
  applyOutputEpilogue(OutputEpilogue::LogSoftmax, z);
  EXPECT_DOUBLE_EQ(z[1], 2.0 - std::log(sum));
  // Large values do not overflow: the maximum is subtracted first.
  std::vector<double> big = {1000.0, 1000.0};
  applyOutputEpilogue(OutputEpilogue::Softmax, big);
  EXPECT_DOUBLE_EQ(big[0], 0.5);
  EXPECT_EQ(symbolizeOutputEpilogue("log_softmax"), OutputEpilogue::LogSoftmax);
  EXPECT_EQ(stringifyOutputEpilogue(OutputEpilogue::None), "none");
  EXPECT_EQ(symbolizeOutputEpilogue("Softmax"), std::nullopt);

  // Graph::evaluate applies the epilogue after the outputs.
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::identity());
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(0.0f, Activation::identity());
  graph.addFanIn(0, 2.0f);
  graph.addOutput(1);
  graph.addOutput(2);
  graph.setOutputEpilogue(OutputEpilogue::Softmax);
  ASSERT_FALSE(llvm::errorToBool(graph.finalize()));
  std::vector<double> out = graph.evaluate({1.0});
  EXPECT_DOUBLE_EQ(out[0], 1.0 / (1.0 + std::exp(1.0)));
}

TEST(ActivationTest, Apply) {
  EXPECT_EQ(Activation::identity().apply(-2.5), -2.5);
  EXPECT_EQ(Activation::relu().apply(-2.5), 0.0);
  EXPECT_EQ(Activation::relu().apply(2.5), 2.5);
  EXPECT_EQ(Activation::clamp(-1, 2).apply(-3), -1.0);
  EXPECT_EQ(Activation::clamp(-1, 2).apply(1.5), 1.5);
  EXPECT_EQ(Activation::clamp(-1, 2).apply(3), 2.0);
  EXPECT_EQ(Activation::sigmoid().apply(0), 0.5);
  EXPECT_DOUBLE_EQ(Activation::sigmoid().apply(1), 0.7310585786300049);
  EXPECT_EQ(Activation::tanh().apply(0), 0.0);
  EXPECT_DOUBLE_EQ(Activation::tanh().apply(0.5), 0.46211715726000974);
  EXPECT_EQ(Activation::leakyRelu(0.125f).apply(-2), -0.25);
  EXPECT_EQ(Activation::leakyRelu(0.125f).apply(3), 3.0);
  EXPECT_TRUE(std::isnan(Activation::relu().apply(std::nan(""))));
}

TEST(ActivationTest, Validate) {
  EXPECT_EQ(Activation::identity().validate(), "");
  EXPECT_EQ(Activation::relu().validate(), "");
  EXPECT_EQ(Activation::clamp(-1, 1).validate(), "");
  EXPECT_EQ(Activation::clamp(1, 1).validate(), "");
  EXPECT_EQ(Activation::sigmoid().validate(), "");
  EXPECT_EQ(Activation::tanh().validate(), "");
  EXPECT_EQ(Activation::leakyRelu(0.01f).validate(), "");
  EXPECT_EQ(Activation::leakyRelu(0).validate(), "");
  EXPECT_EQ((Activation{ActivationKind::Sigmoid, 0.0f, -0.0f}).validate(), "");

  EXPECT_EQ(Activation::clamp(2, 1).validate(),
            "clamp lower bound 2 exceeds upper bound 1");
  EXPECT_EQ(Activation::clamp(0.3f, 0.1f).validate(),
            "clamp lower bound 0.3 exceeds upper bound 0.1");
  EXPECT_EQ(Activation::clamp(1234567.0f, 0).validate(),
            "clamp lower bound 1234567 exceeds upper bound 0");
  EXPECT_EQ(Activation::clamp(std::nanf(""), 1).validate(),
            "clamp lower bound is not finite (nan)");
  EXPECT_EQ(
      Activation::clamp(0, std::numeric_limits<float>::infinity()).validate(),
      "clamp upper bound is not finite (inf)");
  EXPECT_EQ(
      Activation::leakyRelu(-std::numeric_limits<float>::infinity()).validate(),
      "leaky_relu slope is not finite (-inf)");
  EXPECT_EQ((Activation{ActivationKind::Relu, 0.5f}).validate(),
            "relu takes no param0, but it is 0.5 (must be 0)");
  EXPECT_EQ((Activation{ActivationKind::Tanh, 0.0f, -1.0f}).validate(),
            "tanh takes no param1, but it is -1 (must be 0)");
  EXPECT_EQ((Activation{ActivationKind::LeakyRelu, 0.1f, 2.0f}).validate(),
            "leaky_relu takes no param1, but it is 2 (must be 0)");
  EXPECT_EQ((Activation{static_cast<ActivationKind>(12)}).validate(),
            "unknown activation kind 12");
}

TEST(ActivationTest, Equality) {
  EXPECT_EQ(Activation::clamp(0, 1), Activation::clamp(0, 1));
  EXPECT_NE(Activation::clamp(0, 1), Activation::clamp(0, 2));
  EXPECT_NE(Activation::relu(), Activation::identity());
  EXPECT_NE(Activation::leakyRelu(0.5f), Activation::leakyRelu(0.25f));
}

//===----------------------------------------------------------------------===//
// Counts
//===----------------------------------------------------------------------===//

TEST(GraphCountsTest, Equality) {
  GraphCounts base = makeCounts(1, 2, 3, 4, 5, 6, 7);
  EXPECT_EQ(base, makeCounts(1, 2, 3, 4, 5, 6, 7));
  EXPECT_FALSE(base == makeCounts(0, 2, 3, 4, 5, 6, 7));
  EXPECT_FALSE(base == makeCounts(1, 0, 3, 4, 5, 6, 7));
  EXPECT_FALSE(base == makeCounts(1, 2, 0, 4, 5, 6, 7));
  EXPECT_FALSE(base == makeCounts(1, 2, 3, 0, 5, 6, 7));
  EXPECT_FALSE(base == makeCounts(1, 2, 3, 4, 0, 6, 7));
  EXPECT_FALSE(base == makeCounts(1, 2, 3, 4, 5, 0, 7));
  EXPECT_FALSE(base == makeCounts(1, 2, 3, 4, 5, 6, 0));
}

TEST(GraphTest, EmptyGraph) {
  Graph graph(3);
  EXPECT_EQ(graph.getNumNeurons(), 3u);
  EXPECT_EQ(graph.getNumInputs(), 3u);
  EXPECT_EQ(graph.getNumComputed(), 0u);
  EXPECT_EQ(graph.getNumConnections(), 0u);
  EXPECT_EQ(graph.getNumOutputs(), 0u);
  EXPECT_TRUE(graph.isInput(2));
  EXPECT_FALSE(graph.isInput(3));
  EXPECT_EQ(graph.findCycle(), std::nullopt);
}

#if GTEST_HAS_DEATH_TEST && !defined(NDEBUG)
TEST(GraphDeathTest, AddFanInBeforeAddNeuron) {
  Graph graph(2);
  EXPECT_DEATH(graph.addFanIn(0, 1.0f), "addFanIn before any addNeuron");
}
#endif

TEST(GraphTest, CountsChain) {
  // 0 -> 1 -> 2 -> 3.
  Graph graph(1);
  EXPECT_EQ(graph.addNeuron(0.5f, Activation::relu()), 1u);
  graph.addFanIn(0, 2.0f);
  EXPECT_EQ(graph.addNeuron(0.0f, Activation::identity()), 2u);
  graph.addFanIn(1, -1.0f);
  EXPECT_EQ(graph.addNeuron(0.0f, Activation::tanh()), 3u);
  graph.addFanIn(2, 3.0f);
  graph.addOutput(3);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getCounts(), makeCounts(4, 1, 1, 3, 1, 3, 1));
  EXPECT_TRUE(graph.isTopologicallyOrdered());
  EXPECT_EQ(graph.getTopologicalOrder(), (std::vector<NeuronId>{0, 1, 2, 3}));
}

TEST(GraphTest, CountsDiamond) {
  // 0 -> {1, 2} -> 3.
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(1.0f, Activation::relu());
  graph.addFanIn(0, -1.0f);
  graph.addNeuron(-2.0f, Activation::identity());
  graph.addFanIn(1, 1.0f);
  graph.addFanIn(2, 1.0f);
  graph.addOutput(3);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getCounts(), makeCounts(4, 1, 1, 3, 1, 4, 2));
  EXPECT_EQ(toVector(graph.getFanOut(0)), (std::vector<NeuronId>{1, 2}));
  EXPECT_EQ(toVector(graph.getFanIn(3)), (std::vector<NeuronId>{1, 2}));
  expectFanOutMatchesFanIn(graph);
}

TEST(GraphTest, CountsCompleteBipartite3x4) {
  // Inputs 0, 1, 2; neurons 3..6 each read every input.
  Graph graph(3);
  for (int j = 0; j < 4; ++j) {
    NeuronId v = graph.addNeuron(0.0f, Activation::relu());
    for (NeuronId u = 0; u < 3; ++u)
      graph.addFanIn(u, 1.0f + u + 3 * j);
    graph.addOutput(v);
  }
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getCounts(), makeCounts(7, 3, 3, 4, 4, 12, 0));
  for (NeuronId u = 0; u < 3; ++u) {
    EXPECT_EQ(toVector(graph.getFanOut(u)),
              (std::vector<NeuronId>{3, 4, 5, 6}));
    // Neuron 3 + j owns the edges [3j, 3j + 3), the one from u is 3j + u.
    EXPECT_EQ(toVector(graph.getFanOutEdges(u)),
              (std::vector<uint64_t>{u, 3 + u, 6 + u, 9 + u}));
  }
  for (NeuronId v = 3; v < 7; ++v) {
    EXPECT_EQ(graph.getFanInBegin(v), 3 * (v - 3u));
    EXPECT_TRUE(graph.getFanOut(v).empty());
  }
  EXPECT_EQ(toVector(graph.getFanInWeights(5)),
            (std::vector<float>{7.0f, 8.0f, 9.0f}));
  expectFanOutMatchesFanIn(graph);
}

TEST(GraphTest, CountsSkipConnection) {
  // 2 reads {0, 1}; 3 reads 2; 4 reads 3 and skips back to 0 and 2.
  Graph graph(2);
  graph.addNeuron(0.25f, Activation::relu());
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(1, 1.0f);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(2, 1.0f);
  graph.addNeuron(-1.0f, Activation::identity());
  graph.addFanIn(3, 1.0f);
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(2, 1.0f);
  graph.addOutput(4);
  graph.addOutput(2);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getCounts(), makeCounts(5, 2, 2, 3, 2, 6, 2));
  EXPECT_EQ(toVector(graph.getOutputs()), (std::vector<NeuronId>{4, 2}));
  EXPECT_EQ(toVector(graph.getFanOut(0)), (std::vector<NeuronId>{2, 4}));
  EXPECT_EQ(toVector(graph.getFanOutEdges(0)), (std::vector<uint64_t>{0, 4}));
  EXPECT_EQ(toVector(graph.getFanOut(2)), (std::vector<NeuronId>{3, 4}));
  EXPECT_EQ(toVector(graph.getFanOutEdges(2)), (std::vector<uint64_t>{2, 5}));
  expectFanOutMatchesFanIn(graph);
}

TEST(GraphTest, CountsUnusedInput) {
  // Input 1 feeds nothing.
  Graph graph(3);
  graph.addNeuron(0.0f, Activation::identity());
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(2, 1.0f);
  graph.addOutput(3);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getCounts(), makeCounts(4, 3, 2, 1, 1, 2, 0));
  EXPECT_TRUE(graph.getFanOut(1).empty());
  EXPECT_TRUE(graph.getFanOutEdges(1).empty());
}

TEST(GraphTest, CountsBiases) {
  // Biases 0, -0, 1.5, -3 on neurons reading input 0, and a constant neuron
  // (no fan-in) with bias 2: B counts the three non-zero biases.
  Graph graph(1);
  for (float bias : {0.0f, -0.0f, 1.5f, -3.0f}) {
    graph.addOutput(graph.addNeuron(bias, Activation::identity()));
    graph.addFanIn(0, 1.0f);
  }
  graph.addOutput(graph.addNeuron(2.0f, Activation::identity()));
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getCounts(), makeCounts(6, 1, 1, 5, 5, 4, 3));
  EXPECT_EQ(graph.getBias(3), 1.5f);
  EXPECT_EQ(graph.getActivation(5), Activation::identity());
  EXPECT_TRUE(graph.getFanIn(5).empty());
  EXPECT_EQ(graph.evaluate({10.0}),
            (std::vector<double>{10.0, 10.0, 11.5, 7.0, 2.0}));
}

//===----------------------------------------------------------------------===//
// Adjacency
//===----------------------------------------------------------------------===//

TEST(GraphTest, FanInAndFanOutWithEdgeIds) {
  // Edges in insertion order (edge id: source -> target):
  //   0: 1 -> 2,  1: 0 -> 2,  2: 2 -> 3,  3: 0 -> 3,
  //   4: 3 -> 4,  5: 1 -> 4,  6: 2 -> 4.
  Graph graph(2);
  graph.reserve(3, 7);
  graph.addNeuron(0.0f, Activation::identity());
  graph.addFanIn(1, 0.5f);
  graph.addFanIn(0, -1.0f);
  graph.addNeuron(0.0f, Activation::identity());
  graph.addFanIn(2, 2.0f);
  graph.addFanIn(0, 3.0f);
  graph.addNeuron(0.0f, Activation::identity());
  graph.addFanIn(3, 4.0f);
  graph.addFanIn(1, 5.0f);
  graph.addFanIn(2, 6.0f);
  graph.addOutput(4);
  ASSERT_EQ(finalizeError(graph), "");

  EXPECT_TRUE(graph.getFanIn(0).empty());
  EXPECT_TRUE(graph.getFanInWeights(1).empty());
  EXPECT_EQ(graph.getFanInBegin(0), 0u);
  EXPECT_EQ(toVector(graph.getFanIn(2)), (std::vector<NeuronId>{1, 0}));
  EXPECT_EQ(toVector(graph.getFanInWeights(2)),
            (std::vector<float>{0.5f, -1.0f}));
  EXPECT_EQ(toVector(graph.getFanIn(3)), (std::vector<NeuronId>{2, 0}));
  EXPECT_EQ(toVector(graph.getFanInWeights(3)),
            (std::vector<float>{2.0f, 3.0f}));
  EXPECT_EQ(toVector(graph.getFanIn(4)), (std::vector<NeuronId>{3, 1, 2}));
  EXPECT_EQ(toVector(graph.getFanInWeights(4)),
            (std::vector<float>{4.0f, 5.0f, 6.0f}));
  EXPECT_EQ(graph.getFanInBegin(2), 0u);
  EXPECT_EQ(graph.getFanInBegin(3), 2u);
  EXPECT_EQ(graph.getFanInBegin(4), 4u);

  EXPECT_EQ(toVector(graph.getFanOut(0)), (std::vector<NeuronId>{2, 3}));
  EXPECT_EQ(toVector(graph.getFanOutEdges(0)), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(toVector(graph.getFanOut(1)), (std::vector<NeuronId>{2, 4}));
  EXPECT_EQ(toVector(graph.getFanOutEdges(1)), (std::vector<uint64_t>{0, 5}));
  EXPECT_EQ(toVector(graph.getFanOut(2)), (std::vector<NeuronId>{3, 4}));
  EXPECT_EQ(toVector(graph.getFanOutEdges(2)), (std::vector<uint64_t>{2, 6}));
  EXPECT_EQ(toVector(graph.getFanOut(3)), (std::vector<NeuronId>{4}));
  EXPECT_EQ(toVector(graph.getFanOutEdges(3)), (std::vector<uint64_t>{4}));
  EXPECT_TRUE(graph.getFanOut(4).empty());
  expectFanOutMatchesFanIn(graph);

  // Evaluate: x2 = 0.5 * 2 - 1 * 1 = 0, x3 = 2 * 0 + 3 * 1 = 3,
  // x4 = 4 * 3 + 5 * 2 + 6 * 0 = 22.
  EXPECT_EQ(graph.evaluate({1.0, 2.0}), (std::vector<double>{22.0}));
}

TEST(GraphTest, FinalizeTwiceRebuildsTheSameFanOut) {
  Graph graph(1);
  graph.addOutput(graph.addNeuron(0.0f, Activation::relu()));
  graph.addFanIn(0, 1.0f);
  ASSERT_EQ(finalizeError(graph), "");
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(toVector(graph.getFanOut(0)), (std::vector<NeuronId>{1}));
  EXPECT_EQ(graph.getCounts(), makeCounts(2, 1, 1, 1, 1, 1, 0));
}

//===----------------------------------------------------------------------===//
// Topological order
//===----------------------------------------------------------------------===//

/// Inputs 0, 1; edges 0 -> 2, 4 -> 3, 5 -> 4, 1 -> 5, 2 -> 6, 3 -> 6. Neuron 5
/// feeds neuron 4, so the ids are not a topological order.
Graph makeUnorderedGraph() {
  Graph graph(2);
  graph.addNeuron(1.0f, Activation::identity()); // 2
  graph.addFanIn(0, 2.0f);
  graph.addNeuron(0.0f, Activation::identity()); // 3
  graph.addFanIn(4, -1.0f);
  graph.addNeuron(0.5f, Activation::relu()); // 4
  graph.addFanIn(5, 3.0f);
  graph.addNeuron(0.0f, Activation::identity()); // 5
  graph.addFanIn(1, 1.0f);
  graph.addNeuron(0.0f, Activation::identity()); // 6
  graph.addFanIn(2, 1.0f);
  graph.addFanIn(3, 2.0f);
  graph.addOutput(6);
  graph.addOutput(4);
  return graph;
}

TEST(GraphTest, TopologicalOrderOfUnorderedIds) {
  Graph graph = makeUnorderedGraph();
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_FALSE(graph.isTopologicallyOrdered());
  // Kahn, smallest ready first: ready {0, 1} -> 0 readies 2; {1, 2} -> 1
  // readies 5; {2, 5} -> 2; {5} -> 5 readies 4; 4 readies 3; 3 readies 6.
  EXPECT_EQ(graph.getTopologicalOrder(),
            (std::vector<NeuronId>{0, 1, 2, 5, 4, 3, 6}));
  // x2 = 1 + 2 * 1 = 3, x5 = 1 * 2 = 2, x4 = relu(0.5 + 3 * 2) = 6.5,
  // x3 = -6.5, x6 = 3 + 2 * -6.5 = -10.
  EXPECT_EQ(graph.evaluate({1.0, 2.0}), (std::vector<double>{-10.0, 6.5}));
}

TEST(GraphTest, LevelsOfUnorderedIds) {
  // The longest path from the inputs: 2 and 5 read inputs, 4 reads 5, 3
  // reads 4, 6 reads 2 and 3.
  Graph graph = makeUnorderedGraph();
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getLevels(), (std::vector<uint32_t>{0, 0, 1, 3, 2, 1, 4}));
}

TEST(GraphTest, LevelsOfNeuronsWithoutSources) {
  // Neuron 1 has no sources (level 1); neuron 2 reads it and the input.
  Graph graph(1);
  graph.addNeuron(1.0f, Activation::identity());
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(1, 2.0f);
  graph.addFanIn(0, 1.0f);
  graph.addOutput(2);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.getLevels(), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(GraphTest, TopologicalOrderMatchesHeapKahn) {
  // A random DAG whose ids are a random permutation of a topological order;
  // compare with a plain min-heap Kahn's algorithm.
  const uint32_t numInputs = 20, numComputed = 2000;
  const uint32_t numNeurons = numInputs + numComputed;
  Lcg lcg(42);
  // rank[i] = id of the i-th neuron of the hidden topological order; inputs
  // come first, the computed ids are shuffled.
  std::vector<NeuronId> rank(numNeurons);
  for (NeuronId i = 0; i < numNeurons; ++i)
    rank[i] = i;
  for (uint32_t i = numNeurons - 1; i > numInputs; --i)
    std::swap(rank[i], rank[numInputs + lcg.next(i - numInputs + 1)]);
  std::vector<uint32_t> position(numNeurons);
  for (uint32_t i = 0; i < numNeurons; ++i)
    position[rank[i]] = i;

  Graph graph(numInputs);
  std::vector<NeuronId> lastSeen(numNeurons, ~0u);
  for (NeuronId v = numInputs; v < numNeurons; ++v) {
    graph.addNeuron(0.0f, Activation::tanh());
    for (int k = 0; k < 3; ++k) {
      NeuronId u = rank[lcg.next(position[v])];
      if (lastSeen[u] == v)
        continue;
      lastSeen[u] = v;
      graph.addFanIn(u, 0.5f);
    }
  }
  graph.addOutput(numNeurons - 1);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_FALSE(graph.isTopologicallyOrdered());

  std::vector<uint64_t> pending(numNeurons);
  std::set<NeuronId> ready;
  for (NeuronId v = 0; v < numNeurons; ++v) {
    pending[v] = graph.getFanIn(v).size();
    if (pending[v] == 0)
      ready.insert(v);
  }
  std::vector<NeuronId> expected;
  while (!ready.empty()) {
    NeuronId u = *ready.begin();
    ready.erase(ready.begin());
    expected.push_back(u);
    for (NeuronId v : graph.getFanOut(u))
      if (--pending[v] == 0)
        ready.insert(v);
  }
  ASSERT_EQ(expected.size(), numNeurons);
  EXPECT_EQ(graph.getTopologicalOrder(), expected);
}

TEST(GraphTest, DeepReversedChain) {
  // 0 -> K -> K-1 -> ... -> 1: a chain of 10^6 neurons whose ids run against
  // the edges, so the search for cycles goes 10^6 deep.
  const NeuronId chainLength = 1000000;
  Graph graph(1);
  graph.reserve(chainLength, chainLength);
  for (NeuronId v = 1; v <= chainLength; ++v) {
    graph.addNeuron(v == 1 ? 1.0f : 0.0f, Activation::identity());
    graph.addFanIn(v == chainLength ? 0 : v + 1, 1.0f);
  }
  graph.addOutput(1);
  EXPECT_EQ(graph.findCycle(), std::nullopt);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_FALSE(graph.isTopologicallyOrdered());
  std::vector<NeuronId> order = graph.getTopologicalOrder();
  ASSERT_EQ(order.size(), chainLength + 1u);
  EXPECT_EQ(order[0], 0u);
  EXPECT_EQ(order[1], chainLength);
  EXPECT_EQ(order[chainLength], 1u);
  EXPECT_EQ(graph.evaluate({2.5}), (std::vector<double>{3.5}));
}

//===----------------------------------------------------------------------===//
// Cycles
//===----------------------------------------------------------------------===//

TEST(GraphTest, FindCycleOnThreeCycle) {
  // 1 -> 2 -> 3 -> 1, entered from input 0.
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(3, 1.0f);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(1, 1.0f);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(2, 1.0f);
  graph.addOutput(3);
  EXPECT_EQ(graph.findCycle(), (std::vector<NeuronId>{1, 2, 3}));
  EXPECT_EQ(finalizeError(graph), "cycle through neurons 1 -> 2 -> 3 -> 1");
}

TEST(GraphTest, FindCycleAgainstIdOrder) {
  // 4 -> 6 -> 5 -> 4, behind an acyclic part.
  Graph graph(2);
  graph.addNeuron(0.0f, Activation::relu()); // 2
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 3
  graph.addFanIn(2, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 4
  graph.addFanIn(3, 1.0f);
  graph.addFanIn(5, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 5
  graph.addFanIn(6, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 6
  graph.addFanIn(1, 1.0f);
  graph.addFanIn(4, 1.0f);
  graph.addOutput(6);
  EXPECT_EQ(graph.findCycle(), (std::vector<NeuronId>{4, 6, 5}));
  EXPECT_EQ(finalizeError(graph), "cycle through neurons 4 -> 6 -> 5 -> 4");
}

TEST(GraphTest, FindCycleStartsAtSmallestId) {
  // 2 -> 3 -> 4 -> 2, and 3 -> 1. The search starts at 1 and enters the
  // cycle at 3.
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::relu()); // 1
  graph.addFanIn(3, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 2
  graph.addFanIn(4, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 3
  graph.addFanIn(2, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 4
  graph.addFanIn(3, 1.0f);
  graph.addOutput(1);
  EXPECT_EQ(graph.findCycle(), (std::vector<NeuronId>{2, 3, 4}));
  EXPECT_EQ(finalizeError(graph), "cycle through neurons 2 -> 3 -> 4 -> 2");
}

TEST(GraphTest, FindCycleSelfLoop) {
  Graph graph(1);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(0.0f, Activation::relu());
  graph.addFanIn(2, 1.0f);
  EXPECT_EQ(graph.findCycle(), (std::vector<NeuronId>{2}));
}

TEST(GraphTest, FindCycleOnAcyclicGraphs) {
  Graph diamond(1);
  diamond.addNeuron(0.0f, Activation::relu());
  diamond.addFanIn(0, 1.0f);
  diamond.addNeuron(0.0f, Activation::relu());
  diamond.addFanIn(0, 1.0f);
  diamond.addNeuron(0.0f, Activation::relu());
  diamond.addFanIn(2, 1.0f);
  diamond.addFanIn(1, 1.0f);
  EXPECT_EQ(diamond.findCycle(), std::nullopt);

  Graph unordered = makeUnorderedGraph();
  EXPECT_EQ(unordered.findCycle(), std::nullopt);
}

//===----------------------------------------------------------------------===//
// Diagnostics of finalize
//===----------------------------------------------------------------------===//

/// Inputs 0, 1 and computed neurons 2 .. 2 + numComputed - 1, each reading
/// input 0, with the last one as output; tests add the defect.
Graph makeValidPrefix(uint32_t numComputed) {
  Graph graph(2);
  for (uint32_t i = 0; i < numComputed; ++i) {
    graph.addNeuron(0.0f, Activation::relu());
    graph.addFanIn(0, 1.0f);
  }
  return graph;
}

TEST(GraphFinalizeTest, EdgeSourceOutOfRange) {
  Graph graph = makeValidPrefix(5);          // 2..6
  graph.addNeuron(0.0f, Activation::relu()); // 7
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(12, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 8
  graph.addFanIn(7, 1.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 9
  graph.addFanIn(8, 1.0f);
  graph.addOutput(9);
  EXPECT_EQ(finalizeError(graph),
            "neuron 7: edge source 12 is out of range [0, 10)");
}

TEST(GraphFinalizeTest, SelfLoop) {
  Graph graph = makeValidPrefix(3);
  graph.addNeuron(0.0f, Activation::relu()); // 5
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(5, 1.0f);
  graph.addOutput(5);
  EXPECT_EQ(finalizeError(graph), "neuron 5: self-loop");
}

TEST(GraphFinalizeTest, DuplicateEdge) {
  Graph graph = makeValidPrefix(3);
  graph.addNeuron(0.0f, Activation::relu()); // 5
  graph.addFanIn(3, 1.0f);
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(3, 2.0f);
  graph.addOutput(5);
  EXPECT_EQ(finalizeError(graph), "neuron 5: duplicate edge from neuron 3");
}

TEST(GraphFinalizeTest, ZeroWeight) {
  for (float zero : {0.0f, -0.0f}) {
    Graph graph = makeValidPrefix(3);
    graph.addNeuron(0.0f, Activation::relu()); // 5
    graph.addFanIn(3, zero);
    graph.addOutput(5);
    EXPECT_EQ(finalizeError(graph),
              "neuron 5: weight of the edge from neuron 3 is zero");
  }
}

TEST(GraphFinalizeTest, NonFiniteWeight) {
  const std::pair<float, const char *> cases[] = {
      {std::nanf(""), "nan"},
      {std::numeric_limits<float>::infinity(), "inf"},
      {-std::numeric_limits<float>::infinity(), "-inf"},
  };
  for (const auto &[weight, spelling] : cases) {
    Graph graph = makeValidPrefix(3);
    graph.addNeuron(0.0f, Activation::relu()); // 5
    graph.addFanIn(3, weight);
    graph.addOutput(5);
    EXPECT_EQ(finalizeError(graph),
              std::string("neuron 5: weight of the edge from neuron 3 is not "
                          "finite (") +
                  spelling + ")");
  }
}

TEST(GraphFinalizeTest, NonFiniteBias) {
  Graph graph = makeValidPrefix(4);
  graph.addNeuron(std::numeric_limits<float>::infinity(),
                  Activation::relu()); // 6
  graph.addFanIn(0, 1.0f);
  graph.addOutput(6);
  EXPECT_EQ(finalizeError(graph), "neuron 6: bias is not finite (inf)");

  Graph nanBias = makeValidPrefix(4);
  nanBias.addNeuron(std::nanf(""), Activation::relu()); // 6
  nanBias.addOutput(6);
  EXPECT_EQ(finalizeError(nanBias), "neuron 6: bias is not finite (nan)");
}

TEST(GraphFinalizeTest, InvalidActivation) {
  Graph graph = makeValidPrefix(4);
  graph.addNeuron(0.0f, Activation::clamp(2, 1)); // 6
  graph.addFanIn(0, 1.0f);
  graph.addOutput(6);
  EXPECT_EQ(finalizeError(graph),
            "neuron 6: clamp lower bound 2 exceeds upper bound 1");

  Graph unusedParam = makeValidPrefix(4);
  unusedParam.addNeuron(0.0f, Activation{ActivationKind::Relu, 0.5f}); // 6
  unusedParam.addOutput(6);
  EXPECT_EQ(finalizeError(unusedParam),
            "neuron 6: relu takes no param0, but it is 0.5 (must be 0)");

  Graph nanSlope = makeValidPrefix(4);
  nanSlope.addNeuron(0.0f, Activation::leakyRelu(std::nanf(""))); // 6
  nanSlope.addOutput(6);
  EXPECT_EQ(finalizeError(nanSlope),
            "neuron 6: leaky_relu slope is not finite (nan)");

  Graph unknownKind = makeValidPrefix(0);
  unknownKind.addNeuron(0.0f, Activation{static_cast<ActivationKind>(12)});
  unknownKind.addOutput(2);
  EXPECT_EQ(finalizeError(unknownKind), "neuron 2: unknown activation kind 12");
}

TEST(GraphFinalizeTest, OutputIsInput) {
  Graph graph = makeValidPrefix(2);
  graph.addOutput(2);
  graph.addOutput(3);
  graph.addOutput(1);
  EXPECT_EQ(finalizeError(graph), "output 2 (neuron 1) is an input");
}

TEST(GraphFinalizeTest, OutputOutOfRange) {
  Graph graph = makeValidPrefix(8);
  graph.addOutput(9);
  graph.addOutput(10);
  EXPECT_EQ(finalizeError(graph),
            "output 1 (neuron 10) is out of range [0, 10)");
}

TEST(GraphFinalizeTest, OutputListedTwice) {
  Graph graph = makeValidPrefix(8);
  graph.addOutput(2);
  graph.addOutput(9);
  graph.addOutput(5);
  graph.addOutput(9);
  EXPECT_EQ(finalizeError(graph),
            "neuron 9 is listed twice as an output (outputs 1 and 3)");
}

TEST(GraphFinalizeTest, NoOutputs) {
  Graph graph = makeValidPrefix(3);
  EXPECT_EQ(finalizeError(graph), "the network has no outputs");
}

TEST(GraphFinalizeTest, OrderOfChecks) {
  // An edge defect on neuron 5 is reported before a bias defect on neuron 3.
  Graph edgeFirst = makeValidPrefix(1);
  edgeFirst.addNeuron(std::nanf(""), Activation::relu()); // 3
  edgeFirst.addNeuron(0.0f, Activation::relu());          // 4
  edgeFirst.addFanIn(3, 1.0f);
  edgeFirst.addNeuron(0.0f, Activation::relu()); // 5
  edgeFirst.addFanIn(5, 1.0f);
  EXPECT_EQ(finalizeError(edgeFirst), "neuron 5: self-loop");

  // Within an edge list, the first defective edge is reported.
  Graph firstEdge = makeValidPrefix(1);
  firstEdge.addNeuron(0.0f, Activation::relu()); // 3
  firstEdge.addFanIn(2, 0.0f);
  firstEdge.addFanIn(7, 1.0f);
  EXPECT_EQ(finalizeError(firstEdge),
            "neuron 3: weight of the edge from neuron 2 is zero");

  // A bias defect is reported before a missing output and a cycle.
  Graph biasFirst(1);
  biasFirst.addNeuron(0.0f, Activation::relu()); // 1
  biasFirst.addFanIn(2, 1.0f);
  biasFirst.addNeuron(std::numeric_limits<float>::infinity(),
                      Activation::relu()); // 2
  biasFirst.addFanIn(1, 1.0f);
  EXPECT_EQ(finalizeError(biasFirst), "neuron 2: bias is not finite (inf)");

  // An output defect is reported before a cycle.
  Graph outputFirst(1);
  outputFirst.addNeuron(0.0f, Activation::relu()); // 1
  outputFirst.addFanIn(2, 1.0f);
  outputFirst.addNeuron(0.0f, Activation::relu()); // 2
  outputFirst.addFanIn(1, 1.0f);
  outputFirst.addOutput(0);
  EXPECT_EQ(finalizeError(outputFirst), "output 0 (neuron 0) is an input");

  // The same source on two neurons is not a duplicate.
  Graph shared = makeValidPrefix(3);
  shared.addOutput(4);
  EXPECT_EQ(finalizeError(shared), "");
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

TEST(GraphEvaluateTest, EveryActivation) {
  // Every first-layer neuron reads x0 = 1.5 with weight 2 and x1 = -2 with
  // weight 0.5, so its accumulator is bias + 3 - 1 = bias + 2.
  Graph graph(2);
  auto addNeuron = [&](float bias, Activation activation) {
    NeuronId v = graph.addNeuron(bias, activation);
    graph.addFanIn(0, 2.0f);
    graph.addFanIn(1, 0.5f);
    graph.addOutput(v);
    return v;
  };
  addNeuron(-0.25f, Activation::identity());           // 1.75
  addNeuron(-3.0f, Activation::relu());                // relu(-1) = 0
  NeuronId relu = addNeuron(0.5f, Activation::relu()); // relu(2.5) = 2.5
  addNeuron(-5.0f, Activation::clamp(-1, 1));          // clamp(-3) = -1
  addNeuron(0.0f, Activation::clamp(-1, 1));           // clamp(2) = 1
  NeuronId clamp = addNeuron(-1.5f, Activation::clamp(-1, 1)); // 0.5
  addNeuron(-2.0f, Activation::sigmoid());         // sigmoid(0) = 0.5
  addNeuron(-1.0f, Activation::sigmoid());         // sigmoid(1)
  addNeuron(-4.0f, Activation::sigmoid());         // sigmoid(-2)
  addNeuron(-1.5f, Activation::tanh());            // tanh(0.5)
  addNeuron(-3.0f, Activation::tanh());            // tanh(-1)
  addNeuron(-4.0f, Activation::leakyRelu(0.125f)); // 0.125 * -2
  addNeuron(1.0f, Activation::leakyRelu(0.125f));  // 3
  // Second layer: 0.25 + 2 * 2.5 - 4 * 0.5 = 3.25.
  graph.addOutput(graph.addNeuron(0.25f, Activation::identity()));
  graph.addFanIn(relu, 2.0f);
  graph.addFanIn(clamp, -4.0f);
  ASSERT_EQ(finalizeError(graph), "");

  std::vector<double> values = graph.evaluate({1.5, -2.0});
  ASSERT_EQ(values.size(), 14u);
  EXPECT_EQ(values[0], 1.75);
  EXPECT_EQ(values[1], 0.0);
  EXPECT_EQ(values[2], 2.5);
  EXPECT_EQ(values[3], -1.0);
  EXPECT_EQ(values[4], 1.0);
  EXPECT_EQ(values[5], 0.5);
  EXPECT_EQ(values[6], 0.5);
  // 1 / (1 + e^-1) and 1 / (1 + e^2).
  EXPECT_DOUBLE_EQ(values[7], 0.7310585786300049);
  EXPECT_DOUBLE_EQ(values[8], 0.11920292202211755);
  // (e - 1/e) / (e + 1/e) at 0.5 and -1.
  EXPECT_DOUBLE_EQ(values[9], 0.46211715726000974);
  EXPECT_DOUBLE_EQ(values[10], -0.7615941559557649);
  EXPECT_EQ(values[11], -0.25);
  EXPECT_EQ(values[12], 3.0);
  EXPECT_EQ(values[13], 3.25);
}

TEST(GraphEvaluateTest, OutputOrder) {
  // Outputs in a different order than their ids.
  Graph graph(1);
  NeuronId a = graph.addNeuron(1.0f, Activation::identity());
  graph.addFanIn(0, 1.0f);
  NeuronId b = graph.addNeuron(-1.0f, Activation::identity());
  graph.addFanIn(0, 1.0f);
  graph.addOutput(b);
  graph.addOutput(a);
  ASSERT_EQ(finalizeError(graph), "");
  EXPECT_EQ(graph.evaluate({4.0}), (std::vector<double>{3.0, 5.0}));
}

//===----------------------------------------------------------------------===//
// Scale
//===----------------------------------------------------------------------===//

TEST(GraphTest, MillionEdges) {
  // 1000 inputs and 20000 computed neurons of fan-in 50, sources drawn by an
  // LCG among the smaller ids without repeats: W = 10^6.
  const uint32_t numInputs = 1000, numComputed = 20000, fanIn = 50;
  const uint32_t numNeurons = numInputs + numComputed;
  Graph graph(numInputs);
  graph.reserve(numComputed, uint64_t(numComputed) * fanIn);
  Lcg lcg(2023);
  std::vector<NeuronId> lastSeen(numNeurons, ~0u);
  std::vector<bool> inputUsed(numInputs, false);
  uint64_t numEdges = 0, numNonZeroBiases = 0;
  for (NeuronId v = numInputs; v < numNeurons; ++v) {
    float bias = lcg.next(4) == 0 ? 0.0f : 0.01f * (1 + lcg.next(100));
    numNonZeroBiases += bias != 0.0f;
    graph.addNeuron(bias, Activation::tanh());
    for (uint32_t k = 0; k < fanIn;) {
      NeuronId u = lcg.next(v);
      if (lastSeen[u] == v)
        continue;
      lastSeen[u] = v;
      if (u < numInputs)
        inputUsed[u] = true;
      float weight = lcg.next(2) ? 0.1f : -0.1f;
      graph.addFanIn(u, weight);
      ++numEdges;
      ++k;
    }
  }
  for (NeuronId v = numNeurons - 100; v < numNeurons; ++v)
    graph.addOutput(v);
  ASSERT_EQ(numEdges, 1000000u);
  ASSERT_EQ(finalizeError(graph), "");

  uint64_t numUsedInputs = std::count(inputUsed.begin(), inputUsed.end(), true);
  EXPECT_EQ(graph.getCounts(),
            makeCounts(numNeurons, numInputs, numUsedInputs, numComputed, 100,
                       1000000, numNonZeroBiases));
  EXPECT_TRUE(graph.isTopologicallyOrdered());
  std::vector<NeuronId> order = graph.getTopologicalOrder();
  for (NeuronId v = 0; v < numNeurons; ++v)
    ASSERT_EQ(order[v], v);
  expectFanOutMatchesFanIn(graph);

  std::vector<double> values =
      graph.evaluate(std::vector<double>(numInputs, 1.0));
  ASSERT_EQ(values.size(), 100u);
  for (double value : values)
    EXPECT_TRUE(value > -1.0 && value < 1.0);
}

TEST(TensorSignatureTest, SampleSizeAndValidation) {
  // Dimension 0 of rank 2 or more is the batch; rank 1 is one sample.
  EXPECT_EQ((TensorSignature{"x", {1, 784}}).getSampleSize(), 784u);
  EXPECT_EQ((TensorSignature{"x", {-1, 1, 28, 28}}).getSampleSize(), 784u);
  EXPECT_EQ((TensorSignature{"x", {7, 2, 3}}).getSampleSize(), 6u);
  EXPECT_EQ((TensorSignature{"x", {10}}).getSampleSize(), 10u);
  EXPECT_EQ((TensorSignature{"x", {1, 1LL << 40, 1LL << 40}}).getSampleSize(),
            UINT64_MAX);
  EXPECT_EQ((TensorSignature{"x", {-1, 2, 2}}).validate(), "");
  EXPECT_EQ((TensorSignature{"", {1}}).validate(), "the name is empty");
  EXPECT_EQ((TensorSignature{"x", {}}).validate(),
            "the shape of 'x' has rank 0");
  EXPECT_EQ((TensorSignature{"x", {-1}}).validate(),
            "dimension 0 of 'x' is -1; expected a size of at least 1");
  EXPECT_EQ((TensorSignature{"x", {0, 4}}).validate(),
            "dimension 0 of 'x' is 0; expected a size of at least 1, or -1 "
            "(dynamic)");
  EXPECT_EQ((TensorSignature{"x", {1, 4, -1}}).validate(),
            "dimension 2 of 'x' is -1; expected a size of at least 1");
}

} // namespace

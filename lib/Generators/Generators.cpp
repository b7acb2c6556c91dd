//===- Generators.cpp - Generated sparse networks -------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the network generators. docs/generators.md describes
// them; its section 3 proves that the I/O-optimal construction below meets
// the lower bound.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Generators/Generators.h"
#include "sffnn/Analysis/Plan.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

using namespace sffnn;

namespace {

/// Deterministic random numbers from a seed, independent of the standard
/// library's distribution implementations.
class Random {
public:
  explicit Random(uint64_t seed) : engine(seed) {}
  /// Uniform in [0, 1).
  double uniform() { return (engine() >> 11) * 0x1.0p-53; }
  /// Uniform in [0, n) (n > 0).
  uint64_t below(uint64_t n) { return engine() % n; }
  /// Uniform in [-1, 1] with |x| >= 1e-3 (never zero).
  float weight() {
    for (;;) {
      float x = static_cast<float>(2.0 * uniform() - 1.0);
      if (std::abs(x) >= 1e-3f)
        return x;
    }
  }

private:
  std::mt19937_64 engine;
};

llvm::Error optionError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Draws `k` distinct entries of `pool` (reordering it: a partial
/// Fisher-Yates shuffle) into `out`, each plus `offset`, sorted.
void drawSorted(Random &random, std::vector<NeuronId> &pool, uint32_t k,
                NeuronId offset, std::vector<NeuronId> &out) {
  out.clear();
  for (uint32_t j = 0; j < k; ++j) {
    uint32_t pick = j + random.below(pool.size() - j);
    std::swap(pool[j], pool[pick]);
    out.push_back(offset + pool[j]);
  }
  std::sort(out.begin(), out.end());
}

/// Makes the layer starting at `lastBegin` (the last one) the outputs and
/// the network's one result, and finalizes the graph.
llvm::Expected<Graph> finishLayered(Graph graph, NeuronId lastBegin) {
  GraphLayout &layout = graph.getLayout();
  for (NeuronId v = lastBegin; v < graph.getNumNeurons(); ++v)
    graph.addOutput(v);
  layout.resultSizes = {graph.getNumNeurons() - lastBegin};
  layout.results = {static_cast<uint32_t>(layout.layers.size())};
  if (llvm::Error error = graph.finalize())
    return std::move(error);
  return graph;
}

} // namespace

/// Hidden layers take the parameterless activations only.
static llvm::Error checkHiddenActivation(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Identity:
  case ActivationKind::Relu:
  case ActivationKind::Sigmoid:
  case ActivationKind::Tanh:
    return llvm::Error::success();
  default:
    return optionError("the hidden activation must be identity, relu, "
                       "sigmoid or tanh");
  }
}

/// Checks the options shared by the layered generators: the widths, the
/// fan-in, the hidden activation and the bias scale.
static llvm::Error checkLayeredOptions(const std::vector<uint32_t> &widths,
                                       uint32_t fanIn,
                                       ActivationKind hiddenActivation,
                                       float biasScale) {
  if (widths.size() < 2)
    return optionError("a layered network needs at least two widths (inputs "
                       "and outputs)");
  for (uint32_t width : widths)
    if (width == 0)
      return optionError("layer widths must be positive");
  if (fanIn == 0)
    return optionError("the fan-in must be positive");
  if (llvm::Error error = checkHiddenActivation(hiddenActivation))
    return error;
  if (!std::isfinite(biasScale) || biasScale < 0)
    return optionError("the bias scale must be finite and non-negative");
  uint64_t numNeurons = 0;
  for (uint32_t width : widths)
    numNeurons += width;
  if (numNeurons >= std::numeric_limits<NeuronId>::max())
    return optionError("the network would have " + llvm::Twine(numNeurons) +
                       " neurons; at most 2^32 - 2 are supported");
  return llvm::Error::success();
}

llvm::Expected<Graph> sffnn::generateLayered(const LayeredOptions &options) {
  const std::vector<uint32_t> &widths = options.widths;
  if (llvm::Error error = checkLayeredOptions(
          widths, options.fanIn, options.hiddenActivation, options.biasScale))
    return std::move(error);
  uint64_t numNeurons = 0;
  for (uint32_t width : widths)
    numNeurons += width;

  Random random(options.seed);
  Graph graph(widths[0]);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {widths[0]};
  uint64_t connections = 0;
  for (size_t l = 1; l < widths.size(); ++l)
    connections += uint64_t(std::min(options.fanIn, widths[l - 1])) * widths[l];
  graph.reserve(numNeurons - widths[0], connections);

  Activation hidden{options.hiddenActivation};
  NeuronId previousBegin = 0;
  std::vector<NeuronId> permutation, sources;
  for (size_t l = 1; l < widths.size(); ++l) {
    uint32_t previousWidth = widths[l - 1];
    uint32_t k = std::min(options.fanIn, previousWidth);
    permutation.resize(previousWidth);
    std::iota(permutation.begin(), permutation.end(), 0);
    bool isOutputLayer = l + 1 == widths.size();
    GraphLayout::Layer layer;
    layer.begin = graph.getNumNeurons();
    layer.operands = {static_cast<uint32_t>(l - 1)};
    for (uint32_t i = 0; i < widths[l]; ++i) {
      float bias = static_cast<float>((2.0 * random.uniform() - 1.0) *
                                      options.biasScale);
      graph.addNeuron(bias, isOutputLayer ? Activation::identity() : hidden);
      drawSorted(random, permutation, k, previousBegin, sources);
      for (NeuronId source : sources)
        graph.addFanIn(source, random.weight());
    }
    layer.end = graph.getNumNeurons();
    previousBegin = layer.begin;
    layout.layers.push_back(std::move(layer));
  }
  return finishLayered(std::move(graph), previousBegin);
}

//===----------------------------------------------------------------------===//
// Graph Challenge
//===----------------------------------------------------------------------===//

std::vector<uint32_t> sffnn::getGraphChallengeStrides(uint32_t neuronsPerLayer,
                                                      uint32_t connections) {
  if (connections <= 1 || neuronsPerLayer < connections)
    return {1};
  std::vector<uint32_t> strides;
  uint64_t power = 1;
  while (power * connections <= neuronsPerLayer) {
    strides.push_back(static_cast<uint32_t>(power));
    power *= connections;
  }
  uint32_t last = neuronsPerLayer / connections;
  if (strides.empty() || last > strides.back())
    strides.push_back(last);
  return strides;
}

std::optional<float> sffnn::getGraphChallengeBias(uint32_t neuronsPerLayer) {
  switch (neuronsPerLayer) {
  case 1024:
    return -0.3f;
  case 4096:
    return -0.35f;
  case 16384:
    return -0.4f;
  case 65536:
    return -0.45f;
  default:
    return std::nullopt;
  }
}

/// A uniformly random permutation of [0, n) (Fisher-Yates).
static std::vector<uint32_t> randomPermutation(Random &random, uint32_t n) {
  std::vector<uint32_t> permutation(n);
  std::iota(permutation.begin(), permutation.end(), 0);
  for (uint32_t i = n; i > 1; --i)
    std::swap(permutation[i - 1], permutation[random.below(i)]);
  return permutation;
}

llvm::Expected<Graph>
sffnn::generateGraphChallenge(const GraphChallengeOptions &options) {
  const uint32_t n = options.neuronsPerLayer;
  const uint32_t c = options.connections;
  const uint32_t numLayers = options.layers;
  if (c == 0)
    return optionError("the connections per neuron must be positive");
  if (n < c)
    return optionError("a layer of " + llvm::Twine(n) +
                       " neurons cannot give each neuron " + llvm::Twine(c) +
                       " distinct sources");
  if (numLayers == 0)
    return optionError("a Graph Challenge network needs at least one layer");
  uint64_t numNeurons = uint64_t(n) * (uint64_t(numLayers) + 1);
  if (numNeurons >= std::numeric_limits<NeuronId>::max())
    return optionError("the network would have " + llvm::Twine(numNeurons) +
                       " neurons; at most 2^32 - 2 are supported");
  std::optional<float> bias = options.bias;
  if (!bias)
    bias = getGraphChallengeBias(n);
  if (!bias)
    return optionError("the Graph Challenge has no bias for " + llvm::Twine(n) +
                       " neurons per layer (only 1024, 4096, 16384 and "
                       "65536); set the bias");
  if (!std::isfinite(*bias))
    return optionError("the bias must be finite");

  const std::vector<uint32_t> strides = getGraphChallengeStrides(n, c);
  Random random(options.seed);
  Graph graph(n);
  graph.reserve(numNeurons - n, uint64_t(n) * numLayers * c);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {n};

  // logicalOf[p] is the logical neuron at position p of a layer; positionOf
  // is its inverse. Both are the identity unless the layers are permuted.
  std::vector<uint32_t> previousPositionOf(n), logicalOf(n), positionOf(n);
  std::iota(previousPositionOf.begin(), previousPositionOf.end(), 0);
  if (options.permute) {
    std::vector<uint32_t> inputLogicalOf = randomPermutation(random, n);
    for (uint32_t q = 0; q < n; ++q)
      previousPositionOf[inputLogicalOf[q]] = q;
  }
  const float constantWeight = 1.0f / 16.0f;
  const Activation activation = Activation::clamp(0.0f, 32.0f);
  std::vector<NeuronId> sources(c);
  NeuronId previousBegin = 0;
  for (uint32_t l = 0; l < numLayers; ++l) {
    const uint64_t stride = strides[l % strides.size()];
    const uint64_t rotation = random.below(n);
    if (options.permute) {
      logicalOf = randomPermutation(random, n);
      for (uint32_t q = 0; q < n; ++q)
        positionOf[logicalOf[q]] = q;
    } else {
      std::iota(logicalOf.begin(), logicalOf.end(), 0);
      std::iota(positionOf.begin(), positionOf.end(), 0);
    }
    GraphLayout::Layer layer;
    layer.begin = graph.getNumNeurons();
    layer.operands = {l};
    for (uint32_t p = 0; p < n; ++p) {
      uint64_t j = logicalOf[p];
      graph.addNeuron(*bias, activation);
      for (uint32_t k = 0; k < c; ++k)
        sources[k] =
            previousBegin + previousPositionOf[(j + rotation + k * stride) % n];
      std::sort(sources.begin(), sources.end());
      for (NeuronId source : sources)
        graph.addFanIn(source, options.randomWeights ? random.weight() / 8.0f
                                                     : constantWeight);
    }
    layer.end = graph.getNumNeurons();
    previousBegin = layer.begin;
    previousPositionOf.swap(positionOf);
    layout.layers.push_back(std::move(layer));
  }
  for (NeuronId v = previousBegin; v < graph.getNumNeurons(); ++v)
    graph.addOutput(v);
  layout.resultSizes = {n};
  layout.results = {numLayers};
  if (llvm::Error error = graph.finalize())
    return std::move(error);
  return graph;
}

//===----------------------------------------------------------------------===//
// Banded
//===----------------------------------------------------------------------===//

uint32_t sffnn::getBandBegin(uint32_t j, uint32_t width, uint32_t previousWidth,
                             uint32_t bandwidth) {
  uint32_t size = std::min(bandwidth, previousWidth);
  uint64_t centre = uint64_t(j) * previousWidth / width;
  uint64_t begin = centre > size / 2 ? centre - size / 2 : 0;
  return static_cast<uint32_t>(
      std::min<uint64_t>(begin, uint64_t(previousWidth) - size));
}

llvm::Expected<Graph> sffnn::generateBanded(const BandedOptions &options) {
  const std::vector<uint32_t> &widths = options.widths;
  if (llvm::Error error = checkLayeredOptions(
          widths, options.fanIn, options.hiddenActivation, options.biasScale))
    return std::move(error);
  if (options.bandwidth == 0)
    return optionError("the bandwidth must be positive");
  if (options.fanIn > options.bandwidth)
    return optionError("the fan-in " + llvm::Twine(options.fanIn) +
                       " exceeds the bandwidth " +
                       llvm::Twine(options.bandwidth));
  uint64_t numNeurons = 0, connections = 0;
  for (size_t l = 0; l < widths.size(); ++l) {
    numNeurons += widths[l];
    if (l > 0)
      connections +=
          uint64_t(std::min(options.fanIn, widths[l - 1])) * widths[l];
  }

  Random random(options.seed);
  Graph graph(widths[0]);
  graph.reserve(numNeurons - widths[0], connections);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {widths[0]};
  Activation hidden{options.hiddenActivation};
  NeuronId previousBegin = 0;
  std::vector<NeuronId> band, sources;
  for (size_t l = 1; l < widths.size(); ++l) {
    const uint32_t previousWidth = widths[l - 1];
    const uint32_t bandSize = std::min(options.bandwidth, previousWidth);
    const uint32_t k = std::min(options.fanIn, bandSize);
    const bool isOutputLayer = l + 1 == widths.size();
    GraphLayout::Layer layer;
    layer.begin = graph.getNumNeurons();
    layer.operands = {static_cast<uint32_t>(l - 1)};
    for (uint32_t j = 0; j < widths[l]; ++j) {
      float bias = static_cast<float>((2.0 * random.uniform() - 1.0) *
                                      options.biasScale);
      graph.addNeuron(bias, isOutputLayer ? Activation::identity() : hidden);
      uint32_t begin =
          getBandBegin(j, widths[l], previousWidth, options.bandwidth);
      band.resize(bandSize);
      std::iota(band.begin(), band.end(), previousBegin + begin);
      // A partial Fisher-Yates shuffle draws k distinct sources.
      drawSorted(random, band, k, 0, sources);
      for (NeuronId source : sources)
        graph.addFanIn(source, random.weight());
    }
    layer.end = graph.getNumNeurons();
    previousBegin = layer.begin;
    layout.layers.push_back(std::move(layer));
  }
  return finishLayered(std::move(graph), previousBegin);
}

//===----------------------------------------------------------------------===//
// I/O-optimal networks
//===----------------------------------------------------------------------===//
//
// The construction and its proofs are in docs/generators.md. In short, with
// r = M - 2 and k = N - n_in computed neurons i = 0 .. k - 1 (id n_in + i):
// a set R of at most r resident values is kept. Before neuron i, a_i new
// inputs join R (used values are dropped to make room); neuron i reads every
// unused value of R (the new inputs and x_{i-1} unless it is an output) and
// e_i further values of R; then x_i joins R and used values are dropped until
// |R| <= r. Since R only drops values when it would exceed r,
// |R_i| = min(r, A_i + i) after the loads, where A_i = a_0 + ... + a_i, so
// neuron i has room for c_i = min(r, A_i + i) - a_i - u_i extra sources
// (u_i = 1 if x_{i-1} exists and is not an output).
//
//===----------------------------------------------------------------------===//

namespace {

/// The seed-independent quantities of the construction.
struct IOOptimalShape {
  uint64_t numComputed; ///< k = N - n_in
  uint64_t firstOutput; ///< k - n_out: computed indices >= this are outputs
  uint64_t residents;   ///< r = M - 2
  uint64_t numInputs;   ///< n_in

  /// u_i: 1 if neuron i must read x_{i-1} (it exists and is not an output).
  uint64_t forcedPredecessor(uint64_t i) const {
    return i >= 1 && i - 1 < firstOutput ? 1 : 0;
  }
  /// The most inputs neuron i may load: r - u_i.
  uint64_t loadCapacity(uint64_t i) const {
    return residents - forcedPredecessor(i);
  }
  /// Prefix sums of the earliest possible loading: A_i = min(n_in, sum of
  /// the load capacities of neurons 0 .. i).
  std::vector<uint64_t> getGreedyPrefix() const {
    std::vector<uint64_t> prefix(numComputed);
    uint64_t loaded = 0;
    for (uint64_t i = 0; i < numComputed; ++i) {
      loaded = std::min(numInputs, loaded + loadCapacity(i));
      prefix[i] = loaded;
    }
    return prefix;
  }
  /// The largest W of the loading with prefix sums `prefix`:
  /// sum over i of |R_i| = min(r, A_i + i). Only i < r can be below r.
  uint64_t getMaxConnections(const std::vector<uint64_t> &prefix) const {
    uint64_t limit = std::min(numComputed, residents);
    uint64_t total = (numComputed - limit) * residents;
    for (uint64_t i = 0; i < limit; ++i)
      total += std::min(residents, prefix[i] + i);
    return total;
  }
};

} // namespace

llvm::Expected<IOOptimalRange> sffnn::getIOOptimalRange(uint32_t numNeurons,
                                                        uint32_t numInputs,
                                                        uint32_t numOutputs,
                                                        uint32_t fastMemory) {
  if (llvm::Error error = checkFastMemory(fastMemory))
    return std::move(error);
  if (numInputs == 0)
    return optionError("an I/O-optimal network needs at least one input");
  if (numNeurons >= std::numeric_limits<NeuronId>::max())
    return optionError("N = " + llvm::Twine(numNeurons) +
                       " neurons; at most 2^32 - 2 are supported");
  if (numNeurons <= numInputs)
    return optionError("N = " + llvm::Twine(numNeurons) +
                       " leaves no computed neuron after n_in = " +
                       llvm::Twine(numInputs) + " inputs");
  const uint64_t numComputed = numNeurons - numInputs;
  if (numOutputs == 0 || numOutputs > numComputed)
    return optionError("n_out = " + llvm::Twine(numOutputs) +
                       " is out of range [1, N - n_in] = [1, " +
                       llvm::Twine(numComputed) + "]");
  IOOptimalShape shape{numComputed, numComputed - numOutputs,
                       uint64_t(fastMemory) - 2, numInputs};
  // The load capacities r - u_i add up to k * r - (k - n_out): r for neuron
  // 0 and for the neurons whose predecessor is an output, r - 1 otherwise.
  uint64_t maxInputs = numComputed * (uint64_t(fastMemory) - 3) + numOutputs;
  if (numInputs > maxInputs)
    return optionError(
        "n_in = " + llvm::Twine(numInputs) +
        " is more than the construction can load: at most (N - n_in) * "
        "(M - 3) + n_out = " +
        llvm::Twine(maxInputs) + " for N = " + llvm::Twine(numNeurons) +
        ", n_out = " + llvm::Twine(numOutputs) +
        ", M = " + llvm::Twine(fastMemory));
  IOOptimalRange range;
  range.minConnections = numInputs + shape.firstOutput;
  range.maxConnections = shape.getMaxConnections(shape.getGreedyPrefix());
  return range;
}

llvm::Expected<IOOptimalNetwork>
sffnn::generateIOOptimal(const IOOptimalOptions &options) {
  llvm::Expected<IOOptimalRange> range =
      getIOOptimalRange(options.numNeurons, options.numInputs,
                        options.numOutputs, options.fastMemory);
  if (!range)
    return range.takeError();
  const uint64_t numConnections = options.numConnections;
  if (numConnections < range->minConnections ||
      numConnections > range->maxConnections)
    return optionError("W = " + llvm::Twine(numConnections) +
                       " is out of range [" +
                       llvm::Twine(range->minConnections) + ", " +
                       llvm::Twine(range->maxConnections) +
                       "] for N = " + llvm::Twine(options.numNeurons) +
                       ", n_in = " + llvm::Twine(options.numInputs) +
                       ", n_out = " + llvm::Twine(options.numOutputs) +
                       ", M = " + llvm::Twine(options.fastMemory));
  if (numConnections >= std::numeric_limits<uint32_t>::max())
    return optionError("W = " + llvm::Twine(numConnections) +
                       " connections; at most 2^32 - 2 are supported");
  if (!(options.zeroBiasFraction >= 0.0 && options.zeroBiasFraction <= 1.0))
    return optionError("the zero-bias fraction must be in [0, 1]");
  if (!std::isfinite(options.weightScale) || !(options.weightScale > 0))
    return optionError("the weight scale must be finite and positive");
  if (llvm::Error error = checkHiddenActivation(options.hiddenActivation))
    return error;

  const uint32_t numInputs = options.numInputs;
  const IOOptimalShape shape{options.numNeurons - uint64_t(numInputs),
                             options.numNeurons - uint64_t(numInputs) -
                                 options.numOutputs,
                             uint64_t(options.fastMemory) - 2, numInputs};
  const uint64_t k = shape.numComputed;
  const uint64_t r = shape.residents;
  Random random(options.seed);

  // 1. The loading a_i. A random loading (input 0 at neuron 0, the others at
  // uniformly random neurons, overflow carried to later neurons, then to
  // earlier ones) has prefix sums P; the earliest loading has prefix sums G,
  // G >= P pointwise. For 0 <= c <= n_in, A(c) = max(P, min(G, c)) is a valid
  // loading (valid loadings are closed under pointwise max and min, and the
  // constant c only adds zero loads), A(0) = P, A(n_in) = G, and the largest
  // W of A(c) grows with c: take the smallest c that reaches W.
  std::vector<uint64_t> loads(k, 0);
  loads[0] = 1;
  for (uint64_t input = 1; input < numInputs; ++input)
    ++loads[random.below(k)];
  uint64_t carry = 0;
  for (uint64_t i = 0; i < k; ++i) {
    uint64_t total = loads[i] + carry;
    loads[i] = std::min(total, shape.loadCapacity(i));
    carry = total - loads[i];
  }
  for (uint64_t i = k; i-- > 0 && carry > 0;) {
    uint64_t add = std::min(carry, shape.loadCapacity(i) - loads[i]);
    loads[i] += add;
    carry -= add;
  }
  assert(carry == 0 && "the range check guarantees room for every input");
  std::vector<uint64_t> randomPrefix(k), greedyPrefix = shape.getGreedyPrefix();
  for (uint64_t i = 0, sum = 0; i < k; ++i)
    randomPrefix[i] = sum += loads[i];
  std::vector<uint64_t> prefix(k);
  auto mix = [&](uint64_t c) {
    for (uint64_t i = 0; i < k; ++i)
      prefix[i] = std::max(randomPrefix[i], std::min(greedyPrefix[i], c));
  };
  uint64_t low = 0, high = numInputs;
  while (low < high) {
    uint64_t mid = low + (high - low) / 2;
    mix(mid);
    if (shape.getMaxConnections(prefix) >= numConnections)
      high = mid;
    else
      low = mid + 1;
  }
  mix(low);
  for (uint64_t i = 0, previous = 0; i < k; ++i) {
    loads[i] = prefix[i] - previous;
    previous = prefix[i];
  }

  // 2. The extra sources e_i: W - W_min picks of uniformly random neurons
  // (after one for each neuron without forced sources), clipped to the
  // capacities c_i = min(r, A_i + i) - a_i - u_i with the overflow carried
  // forward, cyclically (two passes suffice, since the capacities add up to at
  // least W - W_min).
  std::vector<uint64_t> extraCapacity(k), extras(k, 0);
  for (uint64_t i = 0; i < k; ++i)
    extraCapacity[i] =
        std::min(r, prefix[i] + i) - loads[i] - shape.forcedPredecessor(i);
  // Neurons without forced sources get one extra source first, while the
  // budget lasts, so that few neurons are constants.
  uint64_t budget = numConnections - range->minConnections;
  for (uint64_t i = 0; i < k && budget > 0; ++i)
    if (loads[i] + shape.forcedPredecessor(i) == 0 && extraCapacity[i] > 0) {
      extras[i] = 1;
      --budget;
    }
  for (; budget > 0; --budget)
    ++extras[random.below(k)];
  carry = 0;
  for (int pass = 0; pass < 2; ++pass)
    for (uint64_t i = 0; i < k; ++i) {
      uint64_t total = extras[i] + carry;
      extras[i] = std::min(total, extraCapacity[i]);
      carry = total - extras[i];
    }
  assert(carry == 0 && "the loading reaches W");

  // 3. The network, neuron by neuron. `members` is R without the pending
  // unused value x_{i-1}.
  IOOptimalNetwork result{Graph(numInputs), {}};
  Graph &graph = result.graph;
  graph.reserve(k, numConnections);
  result.order.reserve(k);
  std::vector<NeuronId> members, sources;
  members.reserve(std::min<uint64_t>(r + 1, options.numNeurons));
  const Activation hidden{options.hiddenActivation};
  auto dropRandom = [&](uint64_t keep) {
    while (members.size() > keep) {
      std::swap(members[random.below(members.size())], members.back());
      members.pop_back();
    }
  };
  NeuronId nextInput = 0;
  bool pending = false;
  for (uint64_t i = 0; i < k; ++i) {
    const NeuronId v = numInputs + i;
    NeuronId pendingValue = 0;
    if (pending) {
      pendingValue = members.back();
      members.pop_back();
    }
    // Make room for the new inputs; what is left are the other values.
    dropRandom(r - loads[i] - pending);
    assert(members.size() == extraCapacity[i] && "|R_i| = min(r, A_i + i)");
    // Extra sources: a partial Fisher-Yates shuffle of the other values.
    sources.clear();
    for (uint64_t t = 0; t < extras[i]; ++t) {
      uint64_t pick = t + random.below(members.size() - t);
      std::swap(members[t], members[pick]);
      sources.push_back(members[t]);
    }
    // Forced sources: the new inputs and x_{i-1}.
    for (uint64_t t = 0; t < loads[i]; ++t) {
      sources.push_back(nextInput);
      members.push_back(nextInput++);
    }
    if (pending) {
      sources.push_back(pendingValue);
      members.push_back(pendingValue);
    }
    std::sort(sources.begin(), sources.end());
    const bool isOutput = i >= shape.firstOutput;
    float bias =
        random.uniform() < options.zeroBiasFraction ? 0.0f : random.weight();
    graph.addNeuron(bias, isOutput ? Activation::identity() : hidden);
    for (NeuronId source : sources)
      graph.addFanIn(source, random.weight() * options.weightScale);
    result.order.push_back(v);
    // x_i joins R; every other value of R is used now.
    dropRandom(r - 1);
    members.push_back(v);
    pending = !isOutput;
  }
  assert(nextInput == numInputs && "every input is loaded");
  for (uint64_t i = shape.firstOutput; i < k; ++i)
    graph.addOutput(numInputs + i);
  if (llvm::Error error = graph.finalize())
    return std::move(error);
  return result;
}

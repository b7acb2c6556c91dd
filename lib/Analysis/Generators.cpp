//===- Generators.cpp - Generated sparse networks -------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the network generators.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Generators.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>
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

} // namespace

llvm::Expected<Graph> sffnn::generateLayered(const LayeredOptions &options) {
  const std::vector<uint32_t> &widths = options.widths;
  if (widths.size() < 2)
    return optionError("a layered network needs at least two widths (inputs "
                       "and outputs)");
  for (uint32_t width : widths)
    if (width == 0)
      return optionError("layer widths must be positive");
  if (options.fanIn == 0)
    return optionError("the fan-in must be positive");
  switch (options.hiddenActivation) {
  case ActivationKind::Identity:
  case ActivationKind::Relu:
  case ActivationKind::Sigmoid:
  case ActivationKind::Tanh:
    break;
  default:
    return optionError("the hidden activation must be identity, relu, "
                       "sigmoid or tanh");
  }
  if (!std::isfinite(options.biasScale) || options.biasScale < 0)
    return optionError("the bias scale must be finite and non-negative");
  uint64_t numNeurons = 0;
  for (uint32_t width : widths)
    numNeurons += width;
  if (numNeurons >= std::numeric_limits<NeuronId>::max())
    return optionError("the network would have " + llvm::Twine(numNeurons) +
                       " neurons; at most 2^32 - 2 are supported");

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
      // A partial Fisher-Yates shuffle draws k distinct sources.
      sources.clear();
      for (uint32_t j = 0; j < k; ++j) {
        uint32_t pick = j + random.below(previousWidth - j);
        std::swap(permutation[j], permutation[pick]);
        sources.push_back(previousBegin + permutation[j]);
      }
      std::sort(sources.begin(), sources.end());
      for (NeuronId source : sources)
        graph.addFanIn(source, random.weight());
    }
    layer.end = graph.getNumNeurons();
    previousBegin = layer.begin;
    layout.layers.push_back(std::move(layer));
  }
  for (NeuronId v = previousBegin; v < graph.getNumNeurons(); ++v)
    graph.addOutput(v);
  layout.resultSizes = {widths.back()};
  layout.results = {static_cast<uint32_t>(widths.size() - 1)};
  if (llvm::Error error = graph.finalize())
    return std::move(error);
  return graph;
}

//===- LayeredView.cpp - A network as a chain of sparse layers ------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#include "LayeredView.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>

using namespace sffnn;
using namespace sffnn::bench;

bool SparseLayer::hasUniformActivation() const {
  return llvm::all_equal(activations);
}

float sffnn::bench::applyActivation(const Activation &activation, float x) {
  switch (activation.kind) {
  case ActivationKind::Identity:
    return x;
  case ActivationKind::Relu:
    return x < 0.0f ? 0.0f : x;
  case ActivationKind::Clamp:
    return std::min(std::max(x, activation.param0), activation.param1);
  case ActivationKind::Sigmoid:
    return 1.0f / (1.0f + std::exp(-x));
  case ActivationKind::Tanh:
    return std::tanh(x);
  case ActivationKind::LeakyRelu:
    return x >= 0.0f ? x : activation.param0 * x;
  default:
    // The kinds the benchmark networks do not use: the reference.
    return float(activation.apply(x));
  }
}

LayeredView sffnn::bench::buildLayeredView(const Graph &graph) {
  const uint32_t numNeurons = graph.getNumNeurons();
  // A computed neuron without sources (all its weights pruned) is a
  // constant at level 1; it still belongs to a layer.
  std::vector<uint32_t> level = graph.getLevels();
  uint32_t numLevels = 1;
  for (uint32_t l : level)
    numLevels = std::max(numLevels, l + 1);
  // Positions: level by level, by id within a level.
  std::vector<uint32_t> levelBegin(numLevels + 1, 0);
  for (NeuronId v = 0; v < numNeurons; ++v)
    ++levelBegin[level[v] + 1];
  for (uint32_t l = 0; l < numLevels; ++l)
    levelBegin[l + 1] += levelBegin[l];
  std::vector<uint32_t> position(numNeurons), next(levelBegin);
  std::vector<NeuronId> neuronAt(numNeurons);
  for (NeuronId v = 0; v < numNeurons; ++v) {
    position[v] = next[level[v]]++;
    neuronAt[position[v]] = v;
  }

  LayeredView view;
  view.numInputs = graph.getNumInputs();
  view.numNeurons = numNeurons;
  std::vector<std::pair<int64_t, float>> row;
  for (uint32_t l = 1; l < numLevels; ++l) {
    SparseLayer &layer = view.layers.emplace_back();
    layer.rowBegin = levelBegin[l];
    layer.rowEnd = levelBegin[l + 1];
    layer.colBegin = layer.rowBegin;
    for (uint32_t p = layer.rowBegin; p < layer.rowEnd; ++p)
      for (NeuronId u : graph.getFanIn(neuronAt[p]))
        layer.colBegin = std::min(layer.colBegin, position[u]);
    layer.rowStarts.push_back(0);
    for (uint32_t p = layer.rowBegin; p < layer.rowEnd; ++p) {
      NeuronId v = neuronAt[p];
      row.clear();
      for (auto [u, w] : llvm::zip(graph.getFanIn(v), graph.getFanInWeights(v)))
        row.emplace_back(int64_t(position[u]) - layer.colBegin, w);
      llvm::sort(row);
      for (auto [column, weight] : row) {
        layer.columns.push_back(column);
        layer.values.push_back(weight);
      }
      layer.rowStarts.push_back(layer.columns.size());
      layer.biases.push_back(graph.getBias(v));
      layer.activations.push_back(graph.getActivation(v));
    }
  }
  for (NeuronId v : graph.getOutputs())
    view.outputPositions.push_back(position[v]);
  return view;
}

//===- ImportText.cpp - Graph Challenge TSV and MatrixMarket layers -------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements importLayerFiles, the Graph Challenge's layer chains.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/ImportText.h"

#include "TextFiles.h"
#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace sffnn;
using namespace sffnn::detail;

llvm::Expected<Graph>
sffnn::importLayerFiles(llvm::StringRef firstLayer,
                        const TextImportOptions &options) {
  llvm::StringRef extension = llvm::sys::path::extension(firstLayer);
  bool matrixMarket = extension == ".mtx";
  if (!matrixMarket && extension != ".tsv")
    return textError("'" + firstLayer + "' is not a .tsv or .mtx file");
  llvm::StringRef stem = llvm::sys::path::stem(firstLayer);
  size_t digits = stem.size();
  while (digits > 0 && llvm::isDigit(stem[digits - 1]))
    --digits;
  if (digits == stem.size())
    return textError("the name of '" + firstLayer +
                     "' must end in its layer number (e.g. layer-1" +
                     extension + ")");
  llvm::StringRef prefix = stem.take_front(digits);
  // Numbers are 64-bit and the chain stops before they would wrap.
  uint64_t first = 0;
  if (stem.drop_front(digits).getAsInteger(10, first))
    return textError("the layer number of '" + firstLayer +
                     "' is too large (at most 2^64 - 1)");
  llvm::SmallString<256> directory(llvm::sys::path::parent_path(firstLayer));

  // Read every layer.
  std::vector<std::vector<Entry>> layers;
  std::vector<MatrixSize> sizes;
  std::vector<std::string> paths;
  for (uint64_t l = first;; ++l) {
    llvm::SmallString<256> file(directory);
    llvm::sys::path::append(file, prefix + llvm::Twine(l) + extension);
    if (!llvm::sys::fs::exists(file)) {
      if (l == first)
        return textError("cannot read '" + file + "': no such file");
      break;
    }
    layers.emplace_back();
    sizes.emplace_back();
    if (llvm::Error error =
            readEntries(file, matrixMarket, layers.back(), sizes.back()))
      return std::move(error);
    paths.push_back(file.str().str());
    if (l == UINT64_MAX)
      break;
  }

  // Every size is checked before the layers are allocated.
  if (llvm::Error error =
          checkNeuronCount(options.neuronsPerLayer, "the neurons per layer"))
    return std::move(error);
  uint32_t width = options.neuronsPerLayer;
  if (width == 0) {
    for (const std::vector<Entry> &layer : layers)
      for (const Entry &entry : layer)
        width = std::max({width, entry.row + 1, entry.col + 1});
    for (const MatrixSize &size : sizes)
      width = std::max<uint64_t>({width, size.rows, size.cols});
  }
  if (width == 0)
    return textError("'" + firstLayer +
                     "' gives no layer width: no entry, and no --tsv-neurons");
  uint64_t numNeurons = uint64_t(width) * (layers.size() + 1);
  if (llvm::Error error = checkNeuronCount(
          numNeurons, "the " + llvm::Twine(layers.size()) + " layers of " +
                          llvm::Twine(width) + " neurons and their inputs"))
    return std::move(error);
  std::optional<float> bias = options.bias;
  if (!bias) {
    switch (width) {
    case 1024:
      bias = -0.3f;
      break;
    case 4096:
      bias = -0.35f;
      break;
    case 16384:
      bias = -0.4f;
      break;
    case 65536:
      bias = -0.45f;
      break;
    default:
      break;
    }
  }
  if (!std::isfinite(options.ymax) || options.ymax < 0)
    return textError("YMAX must be finite and non-negative");

  Graph graph(width);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {width};
  NeuronId previous = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    // Biases: bias-<n>.tsv next to the layer, else the uniform value.
    std::vector<float> biases(width, bias.value_or(0.0f));
    llvm::SmallString<256> biasFile(directory);
    llvm::sys::path::append(biasFile,
                            "bias-" + llvm::Twine(first + l) + ".tsv");
    if (llvm::sys::fs::exists(biasFile)) {
      if (llvm::Error error = readBiases(biasFile, biases))
        return std::move(error);
    } else if (!bias) {
      return textError("no bias for the " + llvm::Twine(width) +
                       "-neuron layers of '" + paths[l] +
                       "': give one (--tsv-bias) or a bias file");
    }
    GraphLayout::Layer layer;
    layer.begin = graph.getNumNeurons();
    layer.operands = {uint32_t(l)};
    if (llvm::Error error =
            addLayer(graph, layers[l], previous, width, width, biases,
                     Activation::clamp(0.0f, options.ymax), paths[l]))
      return error;
    layer.end = graph.getNumNeurons();
    previous = layer.begin;
    layout.layers.push_back(std::move(layer));
  }
  for (NeuronId v = previous; v < graph.getNumNeurons(); ++v)
    graph.addOutput(v);
  layout.resultSizes = {width};
  layout.results = {uint32_t(layers.size())};
  if (llvm::Error error = graph.finalize())
    return std::move(error);
  return graph;
}

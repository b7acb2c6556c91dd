//===- ImportText.cpp - Graph Challenge TSV and MatrixMarket layers -------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements importLayerFiles.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/ImportText.h"
#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace sffnn;

namespace {

llvm::Error textError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// One nonzero of a layer matrix (0-based).
struct Entry {
  uint32_t row, col;
  float value;
};

/// The size line of a MatrixMarket file: rows, columns, nonzeros.
struct MatrixSize {
  uint64_t rows = 0, cols = 0, nonzeros = 0;
};

/// Reads "row col value" lines (after a MatrixMarket header and size line
/// when `matrixMarket`, whose size it stores in `size`).
llvm::Error readEntries(llvm::StringRef path, bool matrixMarket,
                        std::vector<Entry> &entries, MatrixSize &size) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return textError("cannot read '" + path +
                     "': " + buffer.getError().message());
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  bool sawSize = !matrixMarket;
  for (auto [number, raw] : llvm::enumerate(lines)) {
    llvm::StringRef line = raw.trim();
    // A string, not a Twine: a Twine must not outlive its expression.
    auto where = [&] {
      return (path + ":" + llvm::Twine(number + 1) + ": ").str();
    };
    if (matrixMarket && number == 0) {
      llvm::SmallVector<llvm::StringRef, 5> words;
      line.split(words, ' ', -1, false);
      if (words.size() != 5 || words[0] != "%%MatrixMarket" ||
          !words[1].equals_insensitive("matrix") ||
          !words[2].equals_insensitive("coordinate") ||
          !words[3].equals_insensitive("real") ||
          !words[4].equals_insensitive("general"))
        return textError(where() + "expected the header '%%MatrixMarket "
                                   "matrix coordinate real general'");
      continue;
    }
    if (line.empty() || line.starts_with("%") || line.starts_with("#"))
      continue;
    llvm::SmallVector<llvm::StringRef, 3> fields;
    line.split(fields, ' ', -1, false);
    if (fields.size() == 1)
      line.split(fields, '\t', -1, false);
    if (fields.size() != 3) {
      // Mixed tabs and spaces.
      fields.clear();
      for (llvm::StringRef piece : llvm::split(line, '\t'))
        piece.split(fields, ' ', -1, false);
    }
    if (fields.size() != 3)
      return textError(where() + "expected three fields 'row col value'");
    if (!sawSize) { // MatrixMarket: rows cols nnz
      if (fields[0].getAsInteger(10, size.rows) ||
          fields[1].getAsInteger(10, size.cols) ||
          fields[2].getAsInteger(10, size.nonzeros))
        return textError(where() + "malformed size line '" + line +
                         "'; expected 'rows cols nonzeros'");
      if (llvm::Error error = checkNeuronCount(size.rows, where() + "rows"))
        return error;
      if (llvm::Error error = checkNeuronCount(size.cols, where() + "columns"))
        return error;
      if (size.nonzeros > size.rows * size.cols)
        return textError(where() + "declares " + llvm::Twine(size.nonzeros) +
                         " nonzeros in a " + llvm::Twine(size.rows) + "x" +
                         llvm::Twine(size.cols) + " matrix");
      sawSize = true;
      continue;
    }
    uint64_t row, col;
    double value;
    if (fields[0].getAsInteger(10, row) || fields[1].getAsInteger(10, col) ||
        fields[2].getAsDouble(value))
      return textError(where() + "malformed entry '" + line + "'");
    if (row < 1 || col < 1)
      return textError(where() + "indices are 1-based and must be positive");
    // An index sets the width of the layers: it is checked before the
    // layers are allocated.
    if (llvm::Error error =
            checkNeuronCount(std::max(row, col), where() + "index"))
      return error;
    if (matrixMarket && (row > size.rows || col > size.cols))
      return textError(where() + "entry (" + llvm::Twine(row) + ", " +
                       llvm::Twine(col) + ") is outside the declared " +
                       llvm::Twine(size.rows) + "x" + llvm::Twine(size.cols) +
                       " matrix");
    // Finite as an f32 too: 1e300 is not a weight.
    if (!std::isfinite(float(value)))
      return textError(where() + "the value is not finite");
    entries.push_back({uint32_t(row - 1), uint32_t(col - 1), float(value)});
  }
  if (matrixMarket && !sawSize)
    return textError(path + ": the size line 'rows cols nonzeros' is missing");
  if (matrixMarket && entries.size() != size.nonzeros)
    return textError(path + ": the size line declares " +
                     llvm::Twine(size.nonzeros) + " nonzeros, but " +
                     llvm::Twine(entries.size()) + " entries follow");
  return llvm::Error::success();
}

/// Reads "col value" bias lines.
llvm::Error readBiases(llvm::StringRef path, std::vector<float> &biases) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return textError("cannot read '" + path +
                     "': " + buffer.getError().message());
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (auto [number, raw] : llvm::enumerate(lines)) {
    llvm::StringRef line = raw.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    auto [colText, valueText] = line.split('\t');
    if (valueText.empty())
      std::tie(colText, valueText) = line.split(' ');
    uint64_t col;
    double value;
    if (colText.trim().getAsInteger(10, col) ||
        valueText.trim().getAsDouble(value) || col < 1 || col > biases.size() ||
        !std::isfinite(float(value)))
      return textError(path + ":" + llvm::Twine(number + 1) +
                       ": expected 'col value' with 1 <= col <= " +
                       llvm::Twine(biases.size()) + " and a finite value");
    biases[col - 1] = float(value);
  }
  return llvm::Error::success();
}

} // namespace

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
    // Transpose to fan-in lists, checking ranges and duplicates.
    std::vector<std::vector<std::pair<uint32_t, float>>> fanIn(width);
    for (const Entry &entry : layers[l]) {
      if (entry.row >= width || entry.col >= width)
        return textError(paths[l] + ": entry (" + llvm::Twine(entry.row + 1) +
                         ", " + llvm::Twine(entry.col + 1) +
                         ") is beyond the " + llvm::Twine(width) +
                         " neurons of a layer");
      if (entry.value != 0.0f)
        fanIn[entry.col].emplace_back(entry.row, entry.value);
    }
    GraphLayout::Layer layer;
    layer.begin = graph.getNumNeurons();
    layer.operands = {uint32_t(l)};
    for (uint32_t c = 0; c < width; ++c) {
      graph.addNeuron(biases[c], Activation::clamp(0.0f, options.ymax));
      llvm::sort(fanIn[c], llvm::less_first());
      for (size_t k = 0; k < fanIn[c].size(); ++k) {
        if (k > 0 && fanIn[c][k].first == fanIn[c][k - 1].first)
          return textError(paths[l] + ": duplicate entry (" +
                           llvm::Twine(fanIn[c][k].first + 1) + ", " +
                           llvm::Twine(c + 1) + ")");
        graph.addFanIn(previous + fanIn[c][k].first, fanIn[c][k].second);
      }
    }
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

//===- ImportTSVNetwork.cpp - sffnn TSV networks --------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements importTSVNetwork, the reader of the TSV network
// directories that exportTSV writes (docs/generators.md, "TSV").
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/ImportText.h"

#include "TextFiles.h"
#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <optional>

using namespace sffnn;
using namespace sffnn::detail;

namespace {

/// What network.txt declares.
struct Header {
  std::optional<bool> layered;
  std::optional<uint64_t> inputs;
  /// Neuron-level: N, and the activation of every computed neuron.
  std::optional<uint64_t> neurons;
  std::vector<std::optional<Activation>> activations;
  /// Layered: per layer, its width and activation.
  std::optional<uint64_t> numLayers;
  std::vector<std::optional<std::pair<uint32_t, Activation>>> layers;
  /// Layered: inputs plus the widths declared so far.
  uint64_t layeredNeurons = 0;
  std::optional<OutputEpilogue> epilogue;
};

} // namespace

/// Parses a 1-based id in [low, high].
static llvm::Error parseId(llvm::StringRef word, uint64_t low, uint64_t high,
                           const std::string &where, const llvm::Twine &what,
                           uint64_t &id) {
  if (word.getAsInteger(10, id) || id < low || id > high)
    return textError(where + "expected " + what + " in [" + llvm::Twine(low) +
                     ", " + llvm::Twine(high) + "], got '" + word + "'");
  return llvm::Error::success();
}

/// Parses a value that is finite as an f32.
static llvm::Error parseValue(llvm::StringRef word, const std::string &where,
                              float &value) {
  double number;
  if (word.getAsDouble(number) || !std::isfinite(float(number)))
    return textError(where + "expected a finite number, got '" + word + "'");
  value = float(number);
  return llvm::Error::success();
}

/// Parses a count (inputs, neurons, layers) and checks it against the neuron
/// limit before anything is allocated for it.
static llvm::Error parseCount(llvm::ArrayRef<llvm::StringRef> words,
                              const std::string &where,
                              std::optional<uint64_t> &count) {
  uint64_t value;
  if (words.size() != 2 || words[1].getAsInteger(10, value))
    return textError(where + "expected '" + words[0] + " COUNT'");
  if (count)
    return textError(where + "'" + words[0] + "' is given twice");
  if (llvm::Error error = checkNeuronCount(value, where + words[0]))
    return error;
  count = value;
  return llvm::Error::success();
}

/// Parses "KIND [PARAMS]" as exportTSV prints it.
static llvm::Expected<Activation>
parseActivation(llvm::ArrayRef<llvm::StringRef> words,
                const std::string &where) {
  if (words.empty())
    return textError(where + "expected an activation");
  std::optional<ActivationKind> kind = symbolizeActivationKind(words[0]);
  if (!kind)
    return textError(where + "unknown activation '" + words[0] + "'");
  size_t numParams = 0;
  if (*kind == ActivationKind::Clamp || *kind == ActivationKind::HardSigmoid)
    numParams = 2;
  else if (*kind == ActivationKind::LeakyRelu || *kind == ActivationKind::Elu)
    numParams = 1;
  if (words.size() != numParams + 1)
    return textError(where + "activation '" + words[0] + "' takes " +
                     llvm::Twine(numParams) + " parameters");
  Activation activation{*kind};
  if (numParams > 0)
    if (llvm::Error error = parseValue(words[1], where, activation.param0))
      return std::move(error);
  if (numParams > 1)
    if (llvm::Error error = parseValue(words[2], where, activation.param1))
      return std::move(error);
  std::string problem = activation.validate();
  if (!problem.empty())
    return textError(where + problem);
  return activation;
}

/// Reads a line of the neuron-level header: "neurons N" or "activation
/// FIRST LAST KIND [PARAMS]".
static llvm::Error readGraphHeaderLine(Header &header,
                                       llvm::ArrayRef<llvm::StringRef> words,
                                       const std::string &where) {
  llvm::StringRef key = words[0];
  if (key == "neurons") {
    if (llvm::Error error = parseCount(words, where, header.neurons))
      return error;
    if (*header.neurons < *header.inputs)
      return textError(where + "fewer neurons than inputs");
    header.activations.resize(*header.neurons - *header.inputs);
    return llvm::Error::success();
  }
  if (key != "activation")
    return textError(where + "unknown key '" + key + "'");
  if (!header.neurons)
    return textError(where + "expected 'neurons' before 'activation'");
  uint64_t first, last;
  if (words.size() < 4)
    return textError(where + "expected 'activation FIRST LAST KIND'");
  if (llvm::Error error = parseId(words[1], *header.inputs + 1, *header.neurons,
                                  where, "FIRST", first))
    return error;
  if (llvm::Error error =
          parseId(words[2], first, *header.neurons, where, "LAST", last))
    return error;
  llvm::Expected<Activation> activation =
      parseActivation(words.drop_front(3), where);
  if (!activation)
    return activation.takeError();
  for (uint64_t v = first; v <= last; ++v) {
    std::optional<Activation> &slot =
        header.activations[v - 1 - *header.inputs];
    if (slot)
      return textError(where + "neuron " + llvm::Twine(v) +
                       " has a second activation");
    slot = *activation;
  }
  return llvm::Error::success();
}

/// Reads a line of the layered header: "layers L" or "layer l neurons w
/// activation KIND [PARAMS]".
static llvm::Error readLayeredHeaderLine(Header &header,
                                         llvm::ArrayRef<llvm::StringRef> words,
                                         const std::string &where) {
  llvm::StringRef key = words[0];
  if (key == "layers") {
    if (llvm::Error error = parseCount(words, where, header.numLayers))
      return error;
    header.layers.resize(*header.numLayers);
    return llvm::Error::success();
  }
  if (key != "layer")
    return textError(where + "unknown key '" + key + "'");
  if (!header.numLayers)
    return textError(where + "expected 'layers' before 'layer'");
  uint64_t l, width;
  if (words.size() < 6 || words[2] != "neurons" || words[4] != "activation")
    return textError(where +
                     "expected 'layer L neurons WIDTH activation KIND'");
  if (header.layers.empty())
    return textError(where + "the network has no layers");
  if (llvm::Error error =
          parseId(words[1], 1, header.layers.size(), where, "L", l))
    return error;
  if (header.layers[l - 1])
    return textError(where + "layer " + llvm::Twine(l) + " is given twice");
  if (words[3].getAsInteger(10, width) || width == 0)
    return textError(where + "expected a positive WIDTH, got '" + words[3] +
                     "'");
  // Checked with saturation: the total, not only the layer, is bounded.
  header.layeredNeurons = llvm::SaturatingAdd(header.layeredNeurons, width);
  if (llvm::Error error =
          checkNeuronCount(header.layeredNeurons, where + "the neurons"))
    return error;
  llvm::Expected<Activation> activation =
      parseActivation(words.drop_front(5), where);
  if (!activation)
    return activation.takeError();
  header.layers[l - 1] = {uint32_t(width), *activation};
  return llvm::Error::success();
}

/// Reads one line of network.txt into `header`.
static llvm::Error readHeaderLine(Header &header,
                                  llvm::ArrayRef<llvm::StringRef> words,
                                  const std::string &where) {
  llvm::StringRef key = words[0];
  if (key == "format") {
    if (header.layered)
      return textError(where + "'format' is given twice");
    if (words.size() != 2 || (words[1] != "layered" && words[1] != "graph"))
      return textError(where + "expected 'format layered' or 'format graph'");
    header.layered = words[1] == "layered";
    return llvm::Error::success();
  }
  if (!header.layered)
    return textError(where + "expected 'format' first");
  if (key == "inputs") {
    if (llvm::Error error = parseCount(words, where, header.inputs))
      return error;
    header.layeredNeurons = *header.inputs;
    return llvm::Error::success();
  }
  if (!header.inputs)
    return textError(where + "expected 'inputs' before '" + key + "'");
  if (key == "epilogue") {
    if (header.epilogue)
      return textError(where + "'epilogue' is given twice");
    if (words.size() == 2)
      header.epilogue = symbolizeOutputEpilogue(words[1]);
    if (!header.epilogue)
      return textError(where + "expected 'epilogue none|softmax|log_softmax'");
    return llvm::Error::success();
  }
  return *header.layered ? readLayeredHeaderLine(header, words, where)
                         : readGraphHeaderLine(header, words, where);
}

/// Reads and completes network.txt.
static llvm::Expected<Header> readHeader(llvm::StringRef path) {
  Header header;
  if (llvm::Error error =
          forEachLine(path, [&](llvm::ArrayRef<llvm::StringRef> words,
                                const std::string &where) {
            return readHeaderLine(header, words, where);
          }))
    return std::move(error);
  auto missing = [&](const llvm::Twine &what) {
    return textError(path + ": " + what);
  };
  if (!header.layered)
    return missing("no 'format' line");
  if (!header.inputs)
    return missing("no 'inputs' line");
  if (*header.layered) {
    if (!header.numLayers)
      return missing("no 'layers' line");
    for (auto [l, layer] : llvm::enumerate(header.layers))
      if (!layer)
        return missing("no 'layer " + llvm::Twine(l + 1) + "' line");
    return header;
  }
  if (!header.neurons)
    return missing("no 'neurons' line");
  for (auto [i, activation] : llvm::enumerate(header.activations))
    if (!activation)
      return missing("neuron " + llvm::Twine(*header.inputs + i + 1) +
                     " has no activation");
  return header;
}

/// Reads the neuron-level data files in `directory`.
static llvm::Expected<Graph> readGraphFiles(const Header &header,
                                            llvm::StringRef directory) {
  const uint64_t numInputs = *header.inputs, numNeurons = *header.neurons;
  auto file = [&](llvm::StringRef name) {
    llvm::SmallString<256> path(directory);
    llvm::sys::path::append(path, name);
    return path.str().str();
  };

  // Connections, grouped by target below (stably: fan-in order is kept).
  struct Edge {
    uint32_t target, source;
    float weight;
  };
  std::vector<Edge> edges;
  if (llvm::Error error = forEachLine(
          file("graph.tsv"),
          [&](llvm::ArrayRef<llvm::StringRef> words,
              const std::string &where) -> llvm::Error {
            if (words.size() != 3)
              return textError(where +
                               "expected three fields 'source target weight'");
            uint64_t source, target;
            float weight;
            if (llvm::Error error =
                    parseId(words[0], 1, numNeurons, where, "a source", source))
              return error;
            if (llvm::Error error = parseId(words[1], numInputs + 1, numNeurons,
                                            where, "a computed neuron", target))
              return error;
            if (llvm::Error error = parseValue(words[2], where, weight))
              return error;
            if (weight == 0.0f)
              return textError(
                  where + "the weight is 0; connections have non-zero weights");
            if (llvm::Error error = checkConnectionCount(edges.size() + 1,
                                                         where + "connections"))
              return error;
            edges.push_back(
                {uint32_t(target - 1), uint32_t(source - 1), weight});
            return llvm::Error::success();
          }))
    return std::move(error);
  llvm::stable_sort(
      edges, [](const Edge &a, const Edge &b) { return a.target < b.target; });
  // Per source, the last target it was seen with: repeats are adjacent.
  std::vector<uint32_t> lastTarget(numNeurons, UINT32_MAX);
  for (const Edge &edge : edges) {
    if (lastTarget[edge.source] == edge.target)
      return textError(file("graph.tsv") + ": the connection from " +
                       llvm::Twine(edge.source + 1) + " to " +
                       llvm::Twine(edge.target + 1) + " is given twice");
    lastTarget[edge.source] = edge.target;
  }

  std::vector<float> biases(numNeurons - numInputs, 0.0f);
  if (llvm::Error error = forEachLine(
          file("bias.tsv"),
          [&](llvm::ArrayRef<llvm::StringRef> words,
              const std::string &where) -> llvm::Error {
            if (words.size() != 2)
              return textError(where + "expected two fields 'neuron value'");
            uint64_t v;
            if (llvm::Error error = parseId(words[0], numInputs + 1, numNeurons,
                                            where, "a computed neuron", v))
              return error;
            return parseValue(words[1], where, biases[v - 1 - numInputs]);
          }))
    return std::move(error);

  Graph graph(numInputs);
  graph.reserve(numNeurons - numInputs, edges.size());
  size_t next = 0;
  for (uint64_t v = numInputs; v < numNeurons; ++v) {
    graph.addNeuron(biases[v - numInputs], *header.activations[v - numInputs]);
    for (; next < edges.size() && edges[next].target == v; ++next)
      graph.addFanIn(edges[next].source, edges[next].weight);
  }
  if (llvm::Error error = forEachLine(
          file("outputs.tsv"),
          [&](llvm::ArrayRef<llvm::StringRef> words,
              const std::string &where) -> llvm::Error {
            uint64_t v;
            if (words.size() != 1)
              return textError(where + "expected one output id");
            if (graph.getNumOutputs() == numNeurons - numInputs)
              return textError(where + "more outputs than computed neurons");
            if (llvm::Error error = parseId(words[0], numInputs + 1, numNeurons,
                                            where, "a computed neuron", v))
              return error;
            graph.addOutput(v - 1);
            return llvm::Error::success();
          }))
    return std::move(error);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {uint32_t(numInputs)};
  layout.resultSizes = {graph.getNumOutputs()};
  return graph;
}

/// Reads the layer files of a chain of layers in `directory`.
static llvm::Expected<Graph> readLayerFiles(const Header &header,
                                            llvm::StringRef directory) {
  Graph graph(*header.inputs);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {uint32_t(*header.inputs)};
  NeuronId previous = 0;
  uint32_t rows = *header.inputs;
  uint64_t numConnections = 0;
  std::vector<Entry> entries;
  for (auto [l, layer] : llvm::enumerate(header.layers)) {
    auto [width, activation] = *layer;
    auto file = [&, l = l](llvm::StringRef kind) {
      llvm::SmallString<256> path(directory);
      llvm::sys::path::append(path, kind + llvm::Twine(l + 1) + ".tsv");
      return path.str().str();
    };
    std::string weightsFile = file("layer-");
    MatrixSize size;
    entries.clear();
    if (llvm::Error error =
            readEntries(weightsFile, /*matrixMarket=*/false, entries, size))
      return std::move(error);
    numConnections += entries.size();
    if (llvm::Error error =
            checkConnectionCount(numConnections, "the connections"))
      return std::move(error);
    std::vector<float> biases(width, 0.0f);
    if (llvm::Error error = readBiases(file("bias-"), biases))
      return std::move(error);
    GraphLayout::Layer layerLayout;
    layerLayout.begin = graph.getNumNeurons();
    layerLayout.operands = {uint32_t(l)};
    if (llvm::Error error = addLayer(graph, entries, previous, rows, width,
                                     biases, activation, weightsFile))
      return std::move(error);
    layerLayout.end = graph.getNumNeurons();
    previous = layerLayout.begin;
    rows = width;
    layout.layers.push_back(std::move(layerLayout));
  }
  for (NeuronId v = previous; v < graph.getNumNeurons(); ++v)
    graph.addOutput(v);
  layout.resultSizes = {rows};
  layout.results = {uint32_t(header.layers.size())};
  return graph;
}

llvm::Expected<Graph> sffnn::importTSVNetwork(llvm::StringRef header) {
  llvm::Expected<Header> declared = readHeader(header);
  if (!declared)
    return declared.takeError();
  llvm::SmallString<256> directory(llvm::sys::path::parent_path(header));
  llvm::Expected<Graph> graph = *declared->layered
                                    ? readLayerFiles(*declared, directory)
                                    : readGraphFiles(*declared, directory);
  if (!graph)
    return graph.takeError();
  graph->setOutputEpilogue(declared->epilogue.value_or(OutputEpilogue::None));
  if (llvm::Error error = graph->finalize())
    return textError(header + ": not a valid network (0-based neuron ids): " +
                     llvm::toString(std::move(error)));
  return graph;
}

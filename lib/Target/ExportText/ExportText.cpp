//===- ExportText.cpp - sffnn TSV networks --------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the TSV network writer of ExportText.h.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/ExportText.h"

#include "sffnn/Support/ToolSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdio>
#include <cstdlib>

using namespace sffnn;

static llvm::Error exportError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Prints a float in the shortest %.Pg form (P <= 9) that reads back
/// exactly: -0.3f prints as -0.3, 1/16 as 0.0625.
static llvm::raw_ostream &printNumber(llvm::raw_ostream &os, float value) {
  char buffer[32];
  for (int precision = 1; precision < 9; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision,
                  static_cast<double>(value));
    if (std::strtof(buffer, nullptr) == value)
      return os << buffer;
  }
  std::snprintf(buffer, sizeof(buffer), "%.9g", static_cast<double>(value));
  return os << buffer;
}

/// Prints "KIND [PARAMS]" of an activation.
static void printActivation(llvm::raw_ostream &os,
                            const Activation &activation) {
  os << stringifyActivationKind(activation.kind);
  if (activation.kind == ActivationKind::Clamp ||
      activation.kind == ActivationKind::HardSigmoid) {
    printNumber(os << ' ', activation.param0);
    printNumber(os << ' ', activation.param1);
  } else if (activation.kind == ActivationKind::LeakyRelu ||
             activation.kind == ActivationKind::Elu) {
    printNumber(os << ' ', activation.param0);
  }
}

/// Opens `name` in `directory`, runs `body` on the stream and closes it.
static llvm::Error
writeFile(llvm::StringRef directory, const llvm::Twine &name,
          llvm::function_ref<void(llvm::raw_ostream &)> body) {
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, name);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return exportError("cannot open '" + path + "': " + ec.message());
  body(os);
  return checkWrite(os, "'" + path + "'");
}

bool sffnn::isLayerChain(const Graph &graph) {
  const GraphLayout &layout = graph.getLayout();
  if (layout.layers.empty() || layout.argumentSizes.size() != 1 ||
      layout.results != std::vector<uint32_t>{uint32_t(layout.layers.size())})
    return false;
  NeuronId previousBegin = 0, begin = graph.getNumInputs();
  for (uint32_t l = 0; l < layout.layers.size(); ++l) {
    const GraphLayout::Layer &layer = layout.layers[l];
    if (layer.begin != begin || layer.end <= begin ||
        layer.operands != std::vector<uint32_t>{l})
      return false;
    for (NeuronId v = layer.begin; v < layer.end; ++v) {
      if (graph.getActivation(v) != graph.getActivation(layer.begin))
        return false;
      for (NeuronId u : graph.getFanIn(v))
        if (u < previousBegin || u >= begin)
          return false;
    }
    previousBegin = begin;
    begin = layer.end;
  }
  if (begin != graph.getNumNeurons() ||
      graph.getNumOutputs() != begin - previousBegin)
    return false;
  for (uint32_t i = 0; i < graph.getNumOutputs(); ++i)
    if (graph.getOutputs()[i] != previousBegin + i)
      return false;
  return true;
}

/// Writes the header lines of the neuron-level format.
static void writeGraphHeader(const Graph &graph, llvm::raw_ostream &os) {
  const NeuronId numInputs = graph.getNumInputs();
  const NeuronId numNeurons = graph.getNumNeurons();
  os << "format graph\n"
     << "inputs " << numInputs << "\n"
     << "neurons " << numNeurons << "\n";
  for (NeuronId first = numInputs; first < numNeurons;) {
    NeuronId last = first;
    while (last + 1 < numNeurons &&
           graph.getActivation(last + 1) == graph.getActivation(first))
      ++last;
    os << "activation " << first + 1 << ' ' << last + 1 << ' ';
    printActivation(os, graph.getActivation(first));
    os << "\n";
    first = last + 1;
  }
}

/// Writes the header lines of the layered format.
static void writeLayeredHeader(const Graph &graph, llvm::raw_ostream &os) {
  const GraphLayout &layout = graph.getLayout();
  os << "format layered\n"
     << "inputs " << graph.getNumInputs() << "\n"
     << "layers " << layout.layers.size() << "\n";
  for (size_t l = 0; l < layout.layers.size(); ++l) {
    const GraphLayout::Layer &layer = layout.layers[l];
    os << "layer " << l + 1 << " neurons " << layer.end - layer.begin
       << " activation ";
    printActivation(os, graph.getActivation(layer.begin));
    os << "\n";
  }
}

void sffnn::writeTSVHeader(const Graph &graph, llvm::raw_ostream &os) {
  os << "# sffnn-gen TSV network (docs/generators.md)\n";
  if (isLayerChain(graph))
    writeLayeredHeader(graph, os);
  else
    writeGraphHeader(graph, os);
  if (graph.getOutputEpilogue() != OutputEpilogue::None)
    os << "epilogue " << stringifyOutputEpilogue(graph.getOutputEpilogue())
       << "\n";
}

/// Writes the layer files of a chain of layers.
static llvm::Error writeLayerFiles(const Graph &graph,
                                   llvm::StringRef directory) {
  const GraphLayout &layout = graph.getLayout();
  NeuronId previousBegin = 0;
  for (size_t l = 0; l < layout.layers.size(); ++l) {
    const GraphLayout::Layer &layer = layout.layers[l];
    auto writeWeights = [&](llvm::raw_ostream &os) {
      for (NeuronId u = previousBegin; u < layer.begin; ++u) {
        llvm::ArrayRef<NeuronId> targets = graph.getFanOut(u);
        llvm::ArrayRef<uint64_t> edges = graph.getFanOutEdges(u);
        for (size_t t = 0; t < targets.size(); ++t) {
          NeuronId v = targets[t];
          float weight =
              graph.getFanInWeights(v)[edges[t] - graph.getFanInBegin(v)];
          os << u - previousBegin + 1 << '\t' << v - layer.begin + 1 << '\t';
          printNumber(os, weight) << '\n';
        }
      }
    };
    auto writeBiases = [&](llvm::raw_ostream &os) {
      for (NeuronId v = layer.begin; v < layer.end; ++v)
        if (graph.getBias(v) != 0.0f)
          printNumber(os << v - layer.begin + 1 << '\t', graph.getBias(v))
              << '\n';
    };
    if (llvm::Error error = writeFile(
            directory, "layer-" + llvm::Twine(l + 1) + ".tsv", writeWeights))
      return error;
    if (llvm::Error error = writeFile(
            directory, "bias-" + llvm::Twine(l + 1) + ".tsv", writeBiases))
      return error;
    previousBegin = layer.begin;
  }
  return llvm::Error::success();
}

/// Writes the files of the neuron-level format.
static llvm::Error writeGraphFiles(const Graph &graph,
                                   llvm::StringRef directory) {
  const NeuronId numInputs = graph.getNumInputs();
  const NeuronId numNeurons = graph.getNumNeurons();
  if (llvm::Error error =
          writeFile(directory, "graph.tsv", [&](llvm::raw_ostream &os) {
            for (NeuronId v = numInputs; v < numNeurons; ++v) {
              llvm::ArrayRef<NeuronId> sources = graph.getFanIn(v);
              llvm::ArrayRef<float> weights = graph.getFanInWeights(v);
              for (size_t t = 0; t < sources.size(); ++t)
                printNumber(os << sources[t] + 1 << '\t' << v + 1 << '\t',
                            weights[t])
                    << '\n';
            }
          }))
    return error;
  if (llvm::Error error =
          writeFile(directory, "bias.tsv", [&](llvm::raw_ostream &os) {
            for (NeuronId v = numInputs; v < numNeurons; ++v)
              if (graph.getBias(v) != 0.0f)
                printNumber(os << v + 1 << '\t', graph.getBias(v)) << '\n';
          }))
    return error;
  return writeFile(directory, "outputs.tsv", [&](llvm::raw_ostream &os) {
    for (NeuronId v : graph.getOutputs())
      os << v + 1 << '\n';
  });
}

llvm::Error sffnn::writeTSVDataFiles(const Graph &graph,
                                     llvm::StringRef directory) {
  return isLayerChain(graph) ? writeLayerFiles(graph, directory)
                             : writeGraphFiles(graph, directory);
}

llvm::Error sffnn::exportTSV(const Graph &graph, llvm::StringRef directory) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return exportError("cannot create directory '" + directory +
                       "': " + ec.message());
  if (llvm::Error error =
          writeFile(directory, "network.txt",
                    [&](llvm::raw_ostream &os) { writeTSVHeader(graph, os); }))
    return error;
  return writeTSVDataFiles(graph, directory);
}

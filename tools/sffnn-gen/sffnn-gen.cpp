//===- sffnn-gen.cpp - Generate sparse networks ---------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-gen, which writes generated sparse networks as
// sffnn IR (text or bytecode) or as TSV files. Generators (docs/generators.md
// has the details):
//
//   layered          Random layered network: --widths=n_in,w1,...,n_out,
//                    each computed neuron draws --fan-in (8) distinct sources
//                    uniformly from the previous layer, weights uniform in
//                    [-1, 1] without zeros, biases uniform in
//                    [-bias-scale, bias-scale], --activation on hidden layers.
//   graph-challenge  Sparse DNN Graph Challenge style: --layers (120) layers
//                    of --neurons-per-layer (1024) neurons, --fan-in (32)
//                    sources per neuron at mixed-radix strides, the bias
//                    --bias (default: the Challenge's for n = 1024 ... 65536),
//                    ReLU clamped at 32, weights 1/16 (--random-weights:
//                    random), --permute: random neuron order in each layer.
//   banded           Layered, each neuron reads --fan-in (8) distinct sources
//                    from a band of --bandwidth (32) consecutive neurons of
//                    the previous layer around its proportional position.
//   io-optimal       The constructive generator of networks whose optimal
//                    plan costs exactly LB: --neurons (N), --connections (W),
//                    --inputs (n_in), --outputs (n_out), --fast-memory (M),
//                    --zero-bias-fraction (0.5), --activation.
//
// --emit=mlir (default) writes the IR to -o FILE (or stdout), as bytecode
// with --emit-bytecode. --emit=tsv writes the directory -o DIR:
//
//   Layered networks (a chain of layers), in the Graph Challenge convention,
//   1-based, tab separated, sorted by row then column:
//     layer-<l>.tsv  "row col value": the weight from neuron `row` of layer
//                    l - 1 (layer 0: the inputs) to neuron `col` of layer l,
//                    l = 1 .. L;
//     bias-<l>.tsv   "col value" for every non-zero bias of layer l.
//   Other networks (neuron-level), 1-based global neuron ids (inputs first):
//     graph.tsv      "source target weight", by target then fan-in order;
//     bias.tsv       "neuron value" for every non-zero bias;
//     outputs.tsv    one output id per line, in output order.
//   Both: network.txt, a header of "key value..." lines:
//     format layered|graph, inputs n_in, and then, layered: layers L and
//     "layer l neurons w activation KIND [PARAMS]" per layer; neuron-level:
//     neurons N and "activation FIRST LAST KIND [PARAMS]" for each run of
//     consecutive computed neurons with the same activation.
//   Numbers are printed in the shortest printf %.Pg form, P <= 9, that reads
//   back as the same float.
//
// The output depends only on the options and --seed.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Generators/Generators.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/Support/ToolSupport.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace sffnn;
namespace cl = llvm::cl;

static cl::OptionCategory genCategory("sffnn-gen options");

static cl::opt<std::string>
    generator(cl::Positional, cl::Required,
              cl::desc("<generator: layered | graph-challenge | banded | "
                       "io-optimal>"),
              cl::cat(genCategory));
static cl::opt<std::string>
    outputFilename("o",
                   cl::desc("Output file (--emit=mlir) or directory "
                            "(--emit=tsv)"),
                   cl::value_desc("path"), cl::init("-"), cl::cat(genCategory));

enum class EmitKind { Mlir, Tsv };
static cl::opt<EmitKind>
    emit("emit", cl::desc("Output format"), cl::init(EmitKind::Mlir),
         cl::values(clEnumValN(EmitKind::Mlir, "mlir", "sffnn IR (default)"),
                    clEnumValN(EmitKind::Tsv, "tsv",
                               "TSV files in the directory given by -o")),
         cl::cat(genCategory));
static cl::opt<bool> emitBytecode("emit-bytecode",
                                  cl::desc("Write MLIR bytecode"),
                                  cl::cat(genCategory));
static cl::opt<std::string> networkName("name", cl::desc("Network name"),
                                        cl::init("net"), cl::cat(genCategory));
static cl::opt<int64_t>
    inlineLimit("inline-limit",
                cl::desc("Arrays larger than this become dense_resource "
                         "blobs"),
                cl::init(NetworkBuildOptions().inlineLimit),
                cl::cat(genCategory));
static cl::opt<uint64_t> seed("seed", cl::desc("Random seed"), cl::init(1),
                              cl::cat(genCategory));

// layered, banded.
static cl::list<unsigned> widths("widths", cl::CommaSeparated,
                                 cl::desc("Layer widths, inputs first "
                                          "(layered, banded)"),
                                 cl::cat(genCategory));
static cl::opt<unsigned>
    fanIn("fan-in",
          cl::desc("Connections per computed neuron (layered, banded: 8, at "
                   "most the previous width; graph-challenge: 32)"),
          cl::init(8), cl::cat(genCategory));
static cl::opt<std::string>
    hiddenActivation("activation",
                     cl::desc("Activation of hidden neurons (layered, banded, "
                              "io-optimal)"),
                     cl::init("relu"), cl::cat(genCategory));
static cl::opt<float> biasScale("bias-scale",
                                cl::desc("Biases are uniform in "
                                         "[-bias-scale, bias-scale] (layered, "
                                         "banded)"),
                                cl::init(0.1f), cl::cat(genCategory));
static cl::opt<unsigned>
    bandwidth("bandwidth",
              cl::desc("Consecutive neurons of the previous layer a neuron "
                       "may read (banded)"),
              cl::init(32), cl::cat(genCategory));

// graph-challenge.
static cl::opt<unsigned>
    neuronsPerLayer("neurons-per-layer",
                    cl::desc("Neurons per layer (graph-challenge)"),
                    cl::init(1024), cl::cat(genCategory));
static cl::opt<unsigned> layers("layers",
                                cl::desc("Computed layers (graph-challenge)"),
                                cl::init(120), cl::cat(genCategory));
static cl::opt<float>
    bias("bias",
         cl::desc("Bias of every neuron (graph-challenge; default: the "
                  "Challenge's for 1024, 4096, 16384, 65536 neurons)"),
         cl::cat(genCategory));
static cl::opt<bool>
    randomWeights("random-weights",
                  cl::desc("Weights uniform in [-1/8, 1/8] instead of 1/16 "
                           "(graph-challenge)"),
                  cl::cat(genCategory));
static cl::opt<bool>
    permute("permute",
            cl::desc("Random neuron order in every layer (graph-challenge)"),
            cl::cat(genCategory));

// io-optimal.
static cl::opt<unsigned> neurons("neurons",
                                 cl::desc("N, neurons including inputs "
                                          "(io-optimal)"),
                                 cl::cat(genCategory));
static cl::opt<uint64_t> connections("connections",
                                     cl::desc("W, connections (io-optimal)"),
                                     cl::cat(genCategory));
static cl::opt<unsigned> inputs("inputs", cl::desc("n_in (io-optimal)"),
                                cl::cat(genCategory));
static cl::opt<unsigned> outputs("outputs", cl::desc("n_out (io-optimal)"),
                                 cl::cat(genCategory));
static cl::opt<unsigned> fastMemory("fast-memory",
                                    cl::desc("M, fast memory in words "
                                             "(io-optimal)"),
                                    cl::cat(genCategory));
static cl::opt<double>
    zeroBiasFraction("zero-bias-fraction",
                     cl::desc("Probability that a bias is zero (io-optimal)"),
                     cl::init(0.5), cl::cat(genCategory));
static cl::opt<float>
    weightScale("weight-scale",
                cl::desc("Weights are uniform in [-weight-scale, "
                         "weight-scale] (io-optimal; default 1)"),
                cl::init(1.0f), cl::cat(genCategory));

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Checks that every generator-specific option given on the command line
/// applies to the selected generator.
static llvm::Error checkOptionsApply() {
  struct Use {
    const cl::Option &option;
    llvm::StringRef generators;
  };
  const Use uses[] = {
      {widths, "layered banded"},
      {fanIn, "layered banded graph-challenge"},
      {hiddenActivation, "layered banded io-optimal"},
      {biasScale, "layered banded"},
      {bandwidth, "banded"},
      {neuronsPerLayer, "graph-challenge"},
      {layers, "graph-challenge"},
      {bias, "graph-challenge"},
      {randomWeights, "graph-challenge"},
      {permute, "graph-challenge"},
      {neurons, "io-optimal"},
      {connections, "io-optimal"},
      {inputs, "io-optimal"},
      {outputs, "io-optimal"},
      {fastMemory, "io-optimal"},
      {zeroBiasFraction, "io-optimal"},
      {weightScale, "io-optimal"},
  };
  for (const Use &use : uses) {
    if (!use.option.getNumOccurrences())
      continue;
    llvm::SmallVector<llvm::StringRef> names;
    use.generators.split(names, ' ');
    if (!llvm::is_contained(names, generator))
      return makeError("--" + use.option.ArgStr + " does not apply to the '" +
                       generator + "' generator");
  }
  return llvm::Error::success();
}

static llvm::Expected<ActivationKind> getHiddenActivation() {
  std::optional<ActivationKind> kind =
      symbolizeActivationKind(hiddenActivation);
  if (!kind)
    return makeError("unknown --activation '" + hiddenActivation + "'");
  return *kind;
}

/// Runs the generator selected on the command line.
static llvm::Expected<Graph> generate() {
  if (llvm::Error error = checkOptionsApply())
    return std::move(error);
  if (generator == "layered" || generator == "banded") {
    llvm::Expected<ActivationKind> kind = getHiddenActivation();
    if (!kind)
      return kind.takeError();
    if (generator == "layered") {
      LayeredOptions options;
      options.widths.assign(widths.begin(), widths.end());
      options.fanIn = fanIn;
      options.hiddenActivation = *kind;
      options.biasScale = biasScale;
      options.seed = seed;
      return generateLayered(options);
    }
    BandedOptions options;
    options.widths.assign(widths.begin(), widths.end());
    options.fanIn = fanIn;
    options.bandwidth = bandwidth;
    options.hiddenActivation = *kind;
    options.biasScale = biasScale;
    options.seed = seed;
    return generateBanded(options);
  }
  if (generator == "graph-challenge") {
    GraphChallengeOptions options;
    options.neuronsPerLayer = neuronsPerLayer;
    options.layers = layers;
    if (fanIn.getNumOccurrences())
      options.connections = fanIn;
    if (bias.getNumOccurrences())
      options.bias = bias;
    options.randomWeights = randomWeights;
    options.permute = permute;
    options.seed = seed;
    return generateGraphChallenge(options);
  }
  if (generator == "io-optimal") {
    for (const cl::Option *option : std::initializer_list<const cl::Option *>{
             &neurons, &connections, &inputs, &outputs, &fastMemory})
      if (!option->getNumOccurrences())
        return makeError("io-optimal needs --neurons, --connections, "
                         "--inputs, --outputs and --fast-memory; --" +
                         option->ArgStr + " is missing");
    llvm::Expected<ActivationKind> kind = getHiddenActivation();
    if (!kind)
      return kind.takeError();
    IOOptimalOptions options;
    options.numNeurons = neurons;
    options.numConnections = connections;
    options.numInputs = inputs;
    options.numOutputs = outputs;
    options.fastMemory = fastMemory;
    options.zeroBiasFraction = zeroBiasFraction;
    options.weightScale = weightScale;
    options.hiddenActivation = *kind;
    options.seed = seed;
    llvm::Expected<IOOptimalNetwork> network = generateIOOptimal(options);
    if (!network)
      return network.takeError();
    return std::move(network->graph);
  }
  return makeError("unknown generator '" + generator +
                   "'; expected 'layered', 'graph-challenge', 'banded' or "
                   "'io-optimal'");
}

//===----------------------------------------------------------------------===//
// TSV output
//===----------------------------------------------------------------------===//

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
    return makeError("cannot open '" + path + "': " + ec.message());
  body(os);
  return checkWrite(os, "'" + path + "'");
}

/// True if the layout of `graph` is a chain of layers: one argument, layer l
/// reads only value l (the argument or the layer before), layers cover the
/// computed neurons in order, each has one activation, and the last layer is
/// the only result. Such networks are written in the layered TSV format.
static bool isLayerChain(const Graph &graph) {
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

/// Writes a chain of layers in the Graph Challenge convention.
static llvm::Error writeLayeredTSV(const Graph &graph,
                                   llvm::StringRef directory) {
  const GraphLayout &layout = graph.getLayout();
  if (llvm::Error error =
          writeFile(directory, "network.txt", [&](llvm::raw_ostream &os) {
            os << "# sffnn-gen TSV network (docs/generators.md)\n"
               << "format layered\n"
               << "inputs " << graph.getNumInputs() << "\n"
               << "layers " << layout.layers.size() << "\n";
            for (size_t l = 0; l < layout.layers.size(); ++l) {
              const GraphLayout::Layer &layer = layout.layers[l];
              os << "layer " << l + 1 << " neurons " << layer.end - layer.begin
                 << " activation ";
              printActivation(os, graph.getActivation(layer.begin));
              os << "\n";
            }
          }))
    return error;
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

/// Writes any network in the neuron-level format.
static llvm::Error writeGraphTSV(const Graph &graph,
                                 llvm::StringRef directory) {
  const NeuronId numInputs = graph.getNumInputs();
  const NeuronId numNeurons = graph.getNumNeurons();
  if (llvm::Error error =
          writeFile(directory, "network.txt", [&](llvm::raw_ostream &os) {
            os << "# sffnn-gen TSV network (docs/generators.md)\n"
               << "format graph\n"
               << "inputs " << numInputs << "\n"
               << "neurons " << numNeurons << "\n";
            for (NeuronId first = numInputs; first < numNeurons;) {
              NeuronId last = first;
              while (last + 1 < numNeurons && graph.getActivation(last + 1) ==
                                                  graph.getActivation(first))
                ++last;
              os << "activation " << first + 1 << ' ' << last + 1 << ' ';
              printActivation(os, graph.getActivation(first));
              os << "\n";
              first = last + 1;
            }
          }))
    return error;
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

/// Writes `graph` as TSV files into `directory` (created if needed).
static llvm::Error writeTSV(const Graph &graph, llvm::StringRef directory) {
  if (directory == "-")
    return makeError("--emit=tsv writes a directory; name it with -o DIR");
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return makeError("cannot create directory '" + directory +
                     "': " + ec.message());
  return isLayerChain(graph) ? writeLayeredTSV(graph, directory)
                             : writeGraphTSV(graph, directory);
}

//===----------------------------------------------------------------------===//
// MLIR output
//===----------------------------------------------------------------------===//

/// Writes `graph` as an sffnn.network to `outputFilename`. Returns false
/// after a diagnostic on failure.
static bool writeMLIR(const Graph &graph) {
  MLIRContext context;
  context.loadDialect<SFFNNDialect>();
  OpBuilder builder(&context);
  Location loc = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  NetworkBuildOptions options;
  options.inlineLimit = inlineLimit;
  // buildNetwork reports its own error through the context.
  if (!buildNetwork(builder, loc, networkName, graph, options))
    return false;

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::WithColor::error(llvm::errs(), "sffnn-gen") << error << "\n";
    return false;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, output->os())))
      return false;
  } else {
    module->print(output->os());
    output->os() << "\n";
  }
  if (llvm::Error error = keepOutputFile(*output, outputFilename)) {
    llvm::WithColor::error(llvm::errs(), "sffnn-gen")
        << llvm::toString(std::move(error)) << "\n";
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  installFatalErrorHandler("sffnn-gen");
  cl::HideUnrelatedOptions(genCategory);
  cl::ParseCommandLineOptions(argc, argv, "sffnn network generator\n");

  auto fail = [](llvm::Error error) {
    llvm::WithColor::error(llvm::errs(), "sffnn-gen")
        << llvm::toString(std::move(error)) << "\n";
    return 1;
  };
  if (emit == EmitKind::Tsv && emitBytecode)
    return fail(makeError("--emit-bytecode applies to --emit=mlir only"));
  llvm::Expected<Graph> graph = generate();
  if (!graph)
    return fail(graph.takeError());
  if (emit == EmitKind::Mlir)
    return writeMLIR(*graph) ? 0 : 1;
  if (llvm::Error error = writeTSV(*graph, outputFilename))
    return fail(std::move(error));
  return 0;
}

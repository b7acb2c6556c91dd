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
//   back as the same float. The writer is exportTSV
//   (sffnn/Target/ExportText.h).
//
// The output depends only on the options and --seed.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Generators/Generators.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/Support/ToolSupport.h"
#include "sffnn/Target/ExportText.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

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

/// Writes `graph` as TSV files into `directory` (created if needed).
static llvm::Error writeTSV(const Graph &graph, llvm::StringRef directory) {
  if (directory == "-")
    return makeError("--emit=tsv writes a directory; name it with -o DIR");
  return exportTSV(graph, directory);
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

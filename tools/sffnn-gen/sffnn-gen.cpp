//===- sffnn-gen.cpp - Generate sparse networks ---------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-gen, which writes generated sparse networks as
// sffnn IR (text or bytecode). Generators:
//
//   layered  Random layered network: --widths=n_in,w1,...,n_out, each
//            computed neuron draws --fan-in distinct sources uniformly from
//            the previous layer, weights uniform in [-1, 1] without zeros,
//            biases uniform in [-bias-scale, bias-scale].
//
// The output depends only on the options and --seed.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Graph.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/SFFNNDialect.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace mlir;
using namespace sffnn;
namespace cl = llvm::cl;

static cl::OptionCategory genCategory("sffnn-gen options");

static cl::opt<std::string> generator(cl::Positional, cl::Required,
                                      cl::desc("<generator: layered>"),
                                      cl::cat(genCategory));
static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"), cl::cat(genCategory));
static cl::list<unsigned> widths("widths", cl::CommaSeparated,
                                 cl::desc("Layer widths, inputs first"),
                                 cl::cat(genCategory));
static cl::opt<unsigned> fanIn("fan-in",
                               cl::desc("Connections per computed neuron "
                                        "(at most the previous width)"),
                               cl::init(8), cl::cat(genCategory));
static cl::opt<std::string>
    hiddenActivation("activation", cl::desc("Activation of hidden layers"),
                     cl::init("relu"), cl::cat(genCategory));
static cl::opt<float> biasScale("bias-scale",
                                cl::desc("Biases are uniform in "
                                         "[-bias-scale, bias-scale]"),
                                cl::init(0.1f), cl::cat(genCategory));
static cl::opt<uint64_t> seed("seed", cl::desc("Random seed"), cl::init(1),
                              cl::cat(genCategory));
static cl::opt<std::string> networkName("name", cl::desc("Network name"),
                                        cl::init("net"), cl::cat(genCategory));
static cl::opt<int64_t>
    inlineLimit("inline-limit",
                cl::desc("Arrays larger than this become dense_resource "
                         "blobs"),
                cl::init(NetworkBuildOptions().inlineLimit),
                cl::cat(genCategory));
static cl::opt<bool> emitBytecode("emit-bytecode",
                                  cl::desc("Write MLIR bytecode"),
                                  cl::cat(genCategory));

namespace {

/// Deterministic random numbers from a seed, independent of the standard
/// library's distribution implementations.
class Random {
public:
  explicit Random(uint64_t seed) : engine(seed) {}
  /// Uniform in [0, 1).
  double uniform() { return (engine() >> 11) * 0x1.0p-53; }
  /// Uniform in [0, n).
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

} // namespace

/// Generates the random layered network described by the options.
static llvm::Expected<Graph> generateLayered() {
  if (widths.size() < 2)
    return llvm::createStringError("--widths needs at least two widths "
                                   "(inputs and outputs)");
  for (unsigned width : widths)
    if (width == 0)
      return llvm::createStringError("--widths must be positive");
  if (fanIn == 0)
    return llvm::createStringError("--fan-in must be positive");
  std::optional<ActivationKind> kind =
      symbolizeActivationKind(hiddenActivation);
  if (!kind || *kind == ActivationKind::Clamp ||
      *kind == ActivationKind::LeakyRelu)
    return llvm::createStringError(
        "--activation must be identity, relu, sigmoid or tanh");
  Activation hidden{*kind};

  Random random(seed);
  Graph graph(widths[0]);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {widths[0]};
  uint64_t connections = 0;
  for (size_t l = 1; l < widths.size(); ++l)
    connections +=
        uint64_t(std::min<unsigned>(fanIn, widths[l - 1])) * widths[l];
  graph.reserve(graph.getNumComputed() + connections, connections);

  NeuronId previousBegin = 0;
  std::vector<NeuronId> permutation;
  std::vector<NeuronId> sources;
  for (size_t l = 1; l < widths.size(); ++l) {
    unsigned previousWidth = widths[l - 1];
    unsigned k = std::min<unsigned>(fanIn, previousWidth);
    permutation.resize(previousWidth);
    std::iota(permutation.begin(), permutation.end(), 0);
    bool isOutput = l + 1 == widths.size();
    GraphLayout::Layer layer;
    layer.begin = graph.getNumNeurons();
    layer.operands = {static_cast<uint32_t>(l - 1)};
    for (unsigned i = 0; i < widths[l]; ++i) {
      float bias =
          static_cast<float>((2.0 * random.uniform() - 1.0) * biasScale);
      graph.addNeuron(bias, isOutput ? Activation::identity() : hidden);
      // A partial Fisher-Yates shuffle draws k distinct sources.
      sources.clear();
      for (unsigned j = 0; j < k; ++j) {
        unsigned pick = j + random.below(previousWidth - j);
        std::swap(permutation[j], permutation[pick]);
        sources.push_back(previousBegin + permutation[j]);
      }
      std::sort(sources.begin(), sources.end());
      for (NeuronId source : sources)
        graph.addFanIn(source, random.weight());
    }
    layer.end = graph.getNumNeurons();
    previousBegin = layer.begin;
    layout.layers.push_back(layer);
  }
  for (NeuronId v = previousBegin; v < graph.getNumNeurons(); ++v)
    graph.addOutput(v);
  layout.resultSizes = {widths[widths.size() - 1]};
  layout.results = {static_cast<uint32_t>(widths.size() - 1)};
  if (llvm::Error error = graph.finalize())
    return std::move(error);
  return graph;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(genCategory);
  cl::ParseCommandLineOptions(argc, argv, "sffnn network generator\n");

  llvm::Expected<Graph> graph =
      generator == "layered"
          ? generateLayered()
          : llvm::Expected<Graph>(llvm::createStringError(
                "unknown generator '" + generator + "'; expected 'layered'"));
  if (!graph) {
    llvm::WithColor::error(llvm::errs(), "sffnn-gen")
        << llvm::toString(graph.takeError()) << "\n";
    return 1;
  }

  MLIRContext context;
  context.loadDialect<SFFNNDialect>();
  OpBuilder builder(&context);
  Location loc = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  NetworkBuildOptions options;
  options.inlineLimit = inlineLimit;
  if (!buildNetwork(builder, loc, networkName, *graph, options))
    return 1;

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::WithColor::error(llvm::errs(), "sffnn-gen") << error << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, output->os())))
      return 1;
  } else {
    module->print(output->os());
    output->os() << "\n";
  }
  output->keep();
  return 0;
}

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

#include "sffnn/Analysis/Generators.h"
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

/// Generates the random layered network described by the options.
static llvm::Expected<Graph> generateLayeredFromOptions() {
  std::optional<ActivationKind> kind =
      symbolizeActivationKind(hiddenActivation);
  if (!kind)
    return llvm::createStringError("unknown --activation '" + hiddenActivation +
                                   "'");
  LayeredOptions options;
  options.widths.assign(widths.begin(), widths.end());
  options.fanIn = fanIn;
  options.hiddenActivation = *kind;
  options.biasScale = biasScale;
  options.seed = seed;
  return generateLayered(options);
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(genCategory);
  cl::ParseCommandLineOptions(argc, argv, "sffnn network generator\n");

  llvm::Expected<Graph> graph =
      generator == "layered"
          ? generateLayeredFromOptions()
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

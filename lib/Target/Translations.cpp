//===- Translations.cpp - sffnn-translate's translations ------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file registers the importers as translations to MLIR and the TSV
// writer as a translation from MLIR.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/Translations.h"

#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/Target/Driver.h"
#include "sffnn/Target/ExportText.h"
#include "sffnn/Target/ImportONNX.h"
#include "sffnn/Target/ImportText.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace sffnn;

static llvm::cl::opt<unsigned>
    tsvNeurons("tsv-neurons",
               llvm::cl::desc("Neurons per layer of --import-tsv/--import-mtx "
                              "networks (default: the largest index)"),
               llvm::cl::init(0));
static llvm::cl::opt<std::string>
    tsvBias("tsv-bias",
            llvm::cl::desc("Bias of every neuron without bias files "
                           "(default: the Graph Challenge's)"));
static llvm::cl::opt<float> tsvYmax("tsv-ymax",
                                    llvm::cl::desc("ReLU clamp (YMAX)"),
                                    llvm::cl::init(32.0f));

/// Imports the layer chain that starts at the main file of `sourceMgr`.
static OwningOpRef<Operation *>
importLayers(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
             MLIRContext *context) {
  llvm::StringRef path = sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID())
                             ->getBufferIdentifier();
  TextImportOptions options;
  options.neuronsPerLayer = tsvNeurons;
  options.ymax = tsvYmax;
  double bias;
  if (!tsvBias.empty() && !llvm::StringRef(tsvBias).getAsDouble(bias))
    options.bias = float(bias);
  OwningOpRef<ModuleOp> module =
      createImportedModule(*context, importLayerFiles(path, options), path);
  if (!module)
    return {};
  return OwningOpRef<Operation *>(module.release());
}

/// Imports the TSV network whose header is the main file of `sourceMgr`.
static OwningOpRef<Operation *>
importNetworkDirectory(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                       MLIRContext *context) {
  llvm::StringRef path = sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID())
                             ->getBufferIdentifier();
  OwningOpRef<ModuleOp> module =
      createImportedModule(*context, importTSVNetwork(path), path);
  if (!module)
    return {};
  return OwningOpRef<Operation *>(module.release());
}

/// The value of the translation driver's -o option: the header's path, next
/// to which the data files go.
static llvm::StringRef getOutputPath() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("o");
  if (it == options.end())
    return "-";
  return *static_cast<llvm::cl::opt<std::string> *>(it->second);
}

/// Writes the one sffnn.network of `op` as a TSV network: the header to
/// `os`, the data files into the directory of the -o file.
static LogicalResult exportNetworkDirectory(Operation *op,
                                            llvm::raw_ostream &os) {
  llvm::SmallVector<NetworkOp> networks;
  op->walk([&](NetworkOp network) { networks.push_back(network); });
  if (networks.size() != 1)
    return emitError(op->getLoc(), "--export-tsv writes one sffnn.network; "
                                   "the input has ")
           << networks.size();
  llvm::StringRef output = getOutputPath();
  if (output == "-")
    return emitError(op->getLoc(),
                     "--export-tsv writes the header and data files next to "
                     "it: name the header with -o DIR/network.txt");
  FailureOr<Graph> graph = buildGraph(networks.front());
  if (failed(graph))
    return failure();
  writeTSVHeader(*graph, os);
  if (llvm::Error error =
          writeTSVDataFiles(*graph, llvm::sys::path::parent_path(output)))
    return emitError(op->getLoc(), llvm::toString(std::move(error)));
  return success();
}

void sffnn::registerTranslations() {
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX multilayer perceptron",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        llvm::StringRef path = buffer->getBufferIdentifier();
        OwningOpRef<ModuleOp> module = createImportedModule(
            *context, importONNX(buffer->getBuffer(), path), path);
        if (!module)
          return {};
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
  TranslateToMLIRRegistration importTsv(
      "import-tsv",
      "Import Graph Challenge TSV layers (give the first layer's file)",
      importLayers,
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
  TranslateToMLIRRegistration importMtx(
      "import-mtx", "Import MatrixMarket layers (give the first layer's file)",
      importLayers,
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
  TranslateToMLIRRegistration importTsvNetwork(
      "import-tsv-network",
      "Import an sffnn TSV network (give its network.txt)",
      importNetworkDirectory,
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
  TranslateFromMLIRRegistration exportTsv(
      "export-tsv",
      "Export an sffnn.network as a TSV network (-o DIR/network.txt)",
      exportNetworkDirectory,
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
}

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
#include "sffnn/IR/ReadCheck.h"
#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/Target/Driver.h"
#include "sffnn/Target/ExportText.h"
#include "sffnn/Target/ImportONNX.h"
#include "sffnn/Target/ImportText.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace sffnn;

/// Imports the layer chain that starts at the main file of `sourceMgr`.
static OwningOpRef<Operation *>
importLayers(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
             MLIRContext *context, const TextImportOptions &options) {
  llvm::StringRef path = sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID())
                             ->getBufferIdentifier();
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

/// --export-tsv's whole translation: reads the input as the other tools do
/// (ReadCheck.h: bytecode only in a child process, which hands back its text;
/// text nested too deep refused), then exports its network.
static LogicalResult
exportNetworkFile(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                  llvm::raw_ostream &os, MLIRContext *context) {
  DialectRegistry registry;
  registry.insert<SFFNNDialect>();
  context->appendDialectRegistry(registry);
  const llvm::MemoryBuffer *buffer =
      sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
  llvm::StringRef path = buffer->getBufferIdentifier();
  auto text = checkMLIRFile(path, context->getDialectRegistry());
  if (!text)
    return emitError(FileLineColLoc::get(context, path, 0, 0))
           << llvm::toString(text.takeError());
  OwningOpRef<ModuleOp> module =
      *text ? parseSourceString<ModuleOp>(**text, context, path)
            : parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(context));
  if (!module)
    return failure();
  return exportNetworkDirectory(*module, os);
}

void sffnn::registerTranslations() {
  // The --tsv-* flags of the layer imports: they exist in the tools that
  // register these translations only.
  static TextImportFlags textFlags;
  auto importLayerChain = [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                             MLIRContext *context) {
    return importLayers(sourceMgr, context, textFlags.getOptions());
  };
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
      importLayerChain,
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
  TranslateToMLIRRegistration importMtx(
      "import-mtx", "Import MatrixMarket layers (give the first layer's file)",
      importLayerChain,
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
  TranslateToMLIRRegistration importTsvNetwork(
      "import-tsv-network",
      "Import an sffnn TSV network (give its network.txt)",
      importNetworkDirectory,
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
  TranslateRegistration exportTsv(
      "export-tsv",
      "Export an sffnn.network as a TSV network (-o DIR/network.txt)",
      exportNetworkFile);
}

//===- Driver.h - Shared steps of sffnn-compile and sffnn-run ---*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the steps sffnn-compile and sffnn-run share: loading one
// network from a file, and lowering it to the LLVM dialect with the
// sffnn-lower-to-llvm pipeline while collecting the figures of its report.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_DRIVER_H
#define SFFNN_TARGET_DRIVER_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Conversion/SFFNNToLoops.h"
#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Target/Compiler.h"
#include "sffnn/Target/ImportText.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

namespace sffnn {

/// The strategy sffnn-compile and sffnn-run schedule with by default:
/// annealing, which gets closest to the lower bound (docs/scheduling.md).
constexpr Strategy kDefaultToolStrategy = Strategy::Anneal;

/// The options both tools take (their flags mirror these fields). Defaults
/// and closed sets are those of the passes (LowerToLLVMOptions), but for
/// the strategy (kDefaultToolStrategy).
struct DriverOptions {
  /// The network to keep when the file has several (default: the only one).
  std::string network;
  /// The name of the generated functions (default: the network's name).
  std::string functionName;
  uint32_t fastMemory = 0;
  Strategy strategy = kDefaultToolStrategy;
  uint64_t seed = kDefaultAnnealSeed;
  uint64_t iterations = kDefaultAnnealIterations;
  /// Annealing time limit in seconds (0: none).
  double timeLimit = kDefaultAnnealTimeLimit;
  CodegenMode codegen = CodegenMode::Auto;
  /// How the single-sample loops kernel runs its rows (docs/codegen.md,
  /// "Groups of rows").
  RowGroups rowGroups = RowGroups::Auto;
  uint64_t straightLimit = kDefaultStraightLimit;
  /// Samples per NAME_batch block (0: chosen from the I/O model).
  uint32_t batchBlock = 0;
  /// M of the batch plan in blocks (0: getDefaultBatchFastMemory).
  uint32_t batchFastMemory = 0;
  /// Rows per tile of the NAME_batch loops kernel (0: from the cost model;
  /// docs/codegen.md, "Tiles").
  uint32_t batchTileRows = 0;
  /// f32 lanes of the target's vector registers (0: the host's); set by
  /// sffnn-compile from --target-cpu.
  uint32_t vectorLanes = 0;
  bool instrumentIO = false;
  /// How to read .tsv and .mtx layer files (see ImportText.h).
  TextImportOptions text;

  /// The options of the sffnn-lower-to-llvm pipeline that lowers the
  /// network with these options and M = `m` words.
  void getPipelineOptions(uint32_t m, LowerToLLVMOptions &pipeline) const;
};

/// The command-line flags of TextImportOptions (`--tsv-neurons`,
/// `--tsv-bias`, `--tsv-ymax`), shared by the tools and the TSV and
/// MatrixMarket translations. Construct it before
/// llvm::cl::ParseCommandLineOptions; its flags join `category` (none:
/// the general category). A value that is not a number is a command-line
/// error.
class TextImportFlags {
public:
  explicit TextImportFlags(llvm::cl::OptionCategory *category = nullptr);
  /// The options the parsed flags describe.
  TextImportOptions getOptions() const;

private:
  llvm::cl::opt<unsigned> neurons;
  llvm::cl::opt<float> bias, ymax;
};

/// The command-line flags of DriverOptions, shared by the tools. Construct it
/// before llvm::cl::ParseCommandLineOptions; its flags join `category`.
class DriverFlags {
public:
  explicit DriverFlags(llvm::cl::OptionCategory &category);
  /// The options the parsed flags describe.
  DriverOptions getOptions() const;

private:
  llvm::cl::opt<std::string> network, functionName;
  llvm::cl::opt<Strategy> strategy;
  llvm::cl::opt<CodegenMode> codegen;
  llvm::cl::opt<RowGroups> rowGroups;
  llvm::cl::opt<unsigned> fastMemory, batchBlock, batchFastMemory,
      batchTileRows;
  llvm::cl::opt<uint64_t> seed, iterations, straightLimit;
  llvm::cl::opt<double> timeLimit;
  llvm::cl::opt<bool> instrumentIO;
  TextImportFlags text;
};

/// The tools' diagnostics: errors printed with their source lines, and the
/// scheduler's remarks dropped (the tools' reports say the same).
class ToolDiagnostics {
public:
  explicit ToolDiagnostics(mlir::MLIRContext &context);

private:
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler printer;
  mlir::ScopedDiagnosticHandler dropRemarks;
};

/// Registers in `context` every dialect and translation the tools need.
void prepareContext(mlir::MLIRContext &context);

/// A module holding `graph` (or, after emitting its error as a diagnostic at
/// `path`, null) as one sffnn.network named after the file's stem.
mlir::OwningOpRef<mlir::ModuleOp>
createImportedModule(mlir::MLIRContext &context, llvm::Expected<Graph> graph,
                     llvm::StringRef path);

/// Imports the network file `path` (.onnx, or the first layer file of a
/// .tsv or .mtx chain, read with `text`) as a module with one sffnn.network
/// named after the file. Errors (as a diagnostic): see importONNX and
/// importLayerFiles.
mlir::OwningOpRef<mlir::ModuleOp>
importNetworkFile(mlir::MLIRContext &context, llvm::StringRef path,
                  const TextImportOptions &text = {});

/// Parses `path` (.mlir text, .mlirbc bytecode, or .onnx through
/// importNetworkFile), keeps one network and renames it to
/// `options.functionName` if given. Errors (as diagnostics): unreadable or
/// malformed file, an unsupported file type, no network, several networks
/// and no `options.network`, no network of that name, or a name that is
/// not a C identifier (see isCIdentifier).
mlir::OwningOpRef<mlir::ModuleOp> loadNetwork(mlir::MLIRContext &context,
                                              llvm::StringRef path,
                                              const DriverOptions &options);

/// True if `name` can name the generated C functions: letters, digits and
/// '_', not starting with a digit, and not a C keyword.
bool isCIdentifier(llvm::StringRef name);

/// Lowers the single network of `module` to the LLVM dialect and fills
/// `report` (its counts, bounds and plan). A given fast memory
/// (`options.fastMemory`) larger than any plan of the network can use
/// (getMaxUsefulFastMemory) is lowered to that.
/// Fails with a diagnostic (M < 3, an invalid annealing time limit, or an
/// error of the pipeline).
mlir::LogicalResult lowerNetwork(mlir::ModuleOp module,
                                 const DriverOptions &options,
                                 NetworkReport &report);

} // namespace sffnn

#endif // SFFNN_TARGET_DRIVER_H

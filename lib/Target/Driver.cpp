//===- Driver.cpp - Shared steps of sffnn-compile and sffnn-run -----------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements loading a network and lowering it for execution.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/Driver.h"

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/ReadCheck.h"
#include "sffnn/InitAllDialects.h"
#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Support/HostInfo.h"
#include "sffnn/Target/ImportONNX.h"
#include "sffnn/Target/Jit.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace sffnn;

DriverFlags::DriverFlags(llvm::cl::OptionCategory &category)
    : network("network",
              llvm::cl::desc("Network to use when the file has several"),
              llvm::cl::cat(category)),
      functionName("name", llvm::cl::desc("Name of the generated functions"),
                   llvm::cl::cat(category)),
      strategy("strategy", llvm::cl::desc("Scheduling strategy"),
               llvm::cl::init(DriverOptions().strategy),
               getStrategyOptionValues(), llvm::cl::cat(category)),
      codegen("codegen", llvm::cl::desc("Code generation mode"),
              llvm::cl::init(DriverOptions().codegen),
              getCodegenModeOptionValues(), llvm::cl::cat(category)),
      rowGroups("row-groups",
                llvm::cl::desc("How the single-sample loops kernel runs its "
                               "rows"),
                llvm::cl::init(DriverOptions().rowGroups),
                getRowGroupsOptionValues(), llvm::cl::cat(category)),
      fastMemory("fast-memory",
                 llvm::cl::desc("M in words (default: the host's L1 data "
                                "cache size / 4)"),
                 llvm::cl::init(0), llvm::cl::cat(category)),
      batchBlock("batch-block",
                 llvm::cl::desc("Samples per NAME_batch block, one value of "
                                "the batch plan (default: the one of 1, 2 "
                                "and 4 x the target's f32 vector lanes whose "
                                "plan costs the fewest cycles per sample)"),
                 llvm::cl::init(0), llvm::cl::cat(category)),
      batchFastMemory("batch-fast-memory",
                      llvm::cl::desc("M of the batch plan in blocks "
                                     "(default: half the host's L2 cache "
                                     "over the bytes of a block)"),
                      llvm::cl::init(0), llvm::cl::cat(category)),
      batchTileRows("batch-tile-rows",
                    llvm::cl::desc("Rows per tile of the NAME_batch loops "
                                   "kernel, run together so that one read "
                                   "of a shared source feeds all of them "
                                   "(default 0: from the cost model; 1: one "
                                   "row at a time)"),
                    llvm::cl::init(0), llvm::cl::cat(category)),
      seed("seed", llvm::cl::desc("Annealing seed"),
           llvm::cl::init(DriverOptions().seed), llvm::cl::cat(category)),
      iterations("iterations", llvm::cl::desc("Annealing moves"),
                 llvm::cl::init(DriverOptions().iterations),
                 llvm::cl::cat(category)),
      straightLimit("straight-limit",
                    llvm::cl::desc("auto emits straight-line code up to this "
                                   "many kernel operations"),
                    llvm::cl::init(DriverOptions().straightLimit),
                    llvm::cl::cat(category)),
      timeLimit("time-limit",
                llvm::cl::desc("Annealing time limit in seconds (0: none)"),
                llvm::cl::init(DriverOptions().timeLimit),
                llvm::cl::cat(category)),
      instrumentIO("instrument-io",
                   llvm::cl::desc("Count loads and stores at run time "
                                  "(NAME_io_loads, NAME_io_stores)"),
                   llvm::cl::cat(category)),
      text(&category) {}

DriverOptions DriverFlags::getOptions() const {
  DriverOptions options;
  options.network = network;
  options.functionName = functionName;
  options.fastMemory = fastMemory;
  options.strategy = strategy;
  options.seed = seed;
  options.iterations = iterations;
  options.timeLimit = timeLimit;
  options.codegen = codegen;
  options.rowGroups = rowGroups;
  options.straightLimit = straightLimit;
  options.batchBlock = batchBlock;
  options.batchFastMemory = batchFastMemory;
  options.batchTileRows = batchTileRows;
  options.instrumentIO = instrumentIO;
  options.text = text.getOptions();
  return options;
}

/// `category` as a flag modifier: the given one, or the general category.
static llvm::cl::cat getCategory(llvm::cl::OptionCategory *category) {
  return llvm::cl::cat(category ? *category : llvm::cl::getGeneralCategory());
}

TextImportFlags::TextImportFlags(llvm::cl::OptionCategory *category)
    : neurons("tsv-neurons",
              llvm::cl::desc("Neurons per layer of .tsv/.mtx networks "
                             "(default: the largest index)"),
              llvm::cl::init(0), getCategory(category)),
      bias("tsv-bias",
           llvm::cl::desc("Bias of every neuron of .tsv/.mtx networks "
                          "without bias files (default: the Graph "
                          "Challenge's for its sizes)"),
           getCategory(category)),
      ymax("tsv-ymax",
           llvm::cl::desc("ReLU clamp of .tsv/.mtx networks (YMAX)"),
           llvm::cl::init(TextImportOptions().ymax), getCategory(category)) {}

TextImportOptions TextImportFlags::getOptions() const {
  TextImportOptions options;
  options.neuronsPerLayer = neurons;
  options.ymax = ymax;
  if (bias.getNumOccurrences())
    options.bias = bias;
  return options;
}

void DriverOptions::getPipelineOptions(uint32_t m,
                                       LowerToLLVMOptions &pipeline) const {
  // csr follows no schedule.
  if (codegen != CodegenMode::Csr)
    pipeline.strategy = strategy;
  pipeline.fastMemory = m;
  pipeline.seed = seed;
  pipeline.iterations = iterations;
  pipeline.timeLimit = timeLimit;
  pipeline.codegen = codegen;
  pipeline.rowGroups = rowGroups;
  pipeline.straightLimit = straightLimit;
  pipeline.batchBlock = batchBlock;
  pipeline.batchFastMemory = batchFastMemory;
  pipeline.batchTileRows = batchTileRows;
  pipeline.vectorLanes = vectorLanes;
  pipeline.instrumentIO = instrumentIO && codegen != CodegenMode::Csr;
}

ToolDiagnostics::ToolDiagnostics(MLIRContext &context)
    : printer(sourceMgr, &context), dropRemarks(&context, [](Diagnostic &diag) {
        return success(diag.getSeverity() == DiagnosticSeverity::Remark);
      }) {}

void sffnn::prepareContext(MLIRContext &context) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerLLVMTranslations(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
}

OwningOpRef<ModuleOp> sffnn::createImportedModule(MLIRContext &context,
                                                  llvm::Expected<Graph> graph,
                                                  llvm::StringRef path) {
  Location loc = FileLineColLoc::get(&context, path, 0, 0);
  if (!graph) {
    emitError(loc) << llvm::toString(graph.takeError());
    return {};
  }
  // The network is named after the file: its stem, as an identifier.
  std::string name = llvm::sys::path::stem(path).str();
  for (char &c : name)
    if (!llvm::isAlnum(c))
      c = '_';
  if (name.empty() || llvm::isDigit(name.front()))
    name = "net_" + name;
  context.loadDialect<SFFNNDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder builder(&context);
  builder.setInsertionPointToEnd(module->getBody());
  if (!buildNetwork(builder, loc, name, *graph))
    return {};
  return module;
}

OwningOpRef<ModuleOp> sffnn::importNetworkFile(MLIRContext &context,
                                               llvm::StringRef path,
                                               const TextImportOptions &text) {
  if (llvm::sys::path::extension(path) == ".onnx")
    return createImportedModule(context, importONNX(path), path);
  return createImportedModule(context, importLayerFiles(path, text), path);
}

bool sffnn::isCIdentifier(llvm::StringRef name) {
  if (name.empty() || llvm::isDigit(name.front()) ||
      !llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return false;
  // The keywords of C23 and of earlier versions.
  static constexpr llvm::StringLiteral keywords =
      "alignas alignof auto bool break case char const constexpr continue "
      "default do double else enum extern false float for goto if inline int "
      "long nullptr register restrict return short signed sizeof static "
      "static_assert struct switch thread_local true typedef typeof "
      "typeof_unqual union unsigned void volatile while _Alignas _Alignof "
      "_Atomic _BitInt _Bool _Complex _Decimal128 _Decimal32 _Decimal64 "
      "_Generic _Imaginary _Noreturn _Static_assert _Thread_local";
  return !llvm::is_contained(llvm::split(keywords, ' '), name);
}

OwningOpRef<ModuleOp> sffnn::loadNetwork(MLIRContext &context,
                                         llvm::StringRef path,
                                         const DriverOptions &options) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  OwningOpRef<ModuleOp> module;
  if (extension == ".onnx" || extension == ".tsv" || extension == ".mtx") {
    module = importNetworkFile(context, path, options.text);
  } else if (extension == ".mlir" || extension == ".mlirbc") {
    // Bytecode and resource blobs are read in a child process first;
    // bytecode only there, which hands back its text.
    auto text = checkMLIRFile(path, context.getDialectRegistry());
    if (!text) {
      emitError(FileLineColLoc::get(&context, path, 0, 0))
          << llvm::toString(text.takeError());
      return {};
    }
    module = *text ? parseSourceString<ModuleOp>(**text, &context, path)
                   : parseSourceFile<ModuleOp>(path, &context);
  } else {
    emitError(UnknownLoc::get(&context))
        << "unsupported network file '" << path
        << "': expected .mlir, .mlirbc, .onnx, .tsv or .mtx";
    return {};
  }
  if (!module)
    return {};
  SmallVector<NetworkOp> networks(module->getOps<NetworkOp>());
  if (networks.empty()) {
    emitError(module->getLoc()) << "'" << path << "' holds no sffnn.network";
    return {};
  }
  NetworkOp keep;
  if (options.network.empty()) {
    if (networks.size() > 1) {
      InFlightDiagnostic diag = emitError(module->getLoc())
                                << "'" << path << "' holds " << networks.size()
                                << " networks; choose one with --network:";
      for (NetworkOp network : networks)
        diag << " " << network.getSymName();
      return {};
    }
    keep = networks.front();
  } else {
    for (NetworkOp network : networks)
      if (network.getSymName() == options.network)
        keep = network;
    if (!keep) {
      emitError(module->getLoc()) << "'" << path << "' holds no network named '"
                                  << options.network << "'";
      return {};
    }
  }
  for (NetworkOp network : networks)
    if (network != keep)
      network.erase();
  if (!options.functionName.empty())
    SymbolTable::setSymbolName(keep, options.functionName);
  // The name becomes C functions and macros of the header.
  if (!isCIdentifier(keep.getSymName())) {
    emitError(keep.getLoc())
        << "'" << keep.getSymName()
        << "' is not a C identifier (letters, digits and '_', not starting "
           "with a digit, not a C keyword); choose a name with --name";
    return {};
  }
  return module;
}

LogicalResult sffnn::lowerNetwork(ModuleOp module, const DriverOptions &options,
                                  NetworkReport &report) {
  NetworkOp network = *module.getOps<NetworkOp>().begin();
  // Sizes are checked before anything runs: one diagnostic, without the
  // module a pass's error would print.
  LoweringOptions lowering;
  lowering.batchBlock = options.batchBlock;
  lowering.batchFastMemory = options.batchFastMemory;
  lowering.batchTileRows = options.batchTileRows;
  if (llvm::Error error = checkLoweringOptions(lowering))
    return emitError(network.getLoc()) << llvm::toString(std::move(error));
  FailureOr<Graph> graph = buildGraph(network);
  if (failed(graph))
    return failure();
  uint32_t m =
      options.fastMemory ? options.fastMemory : getDefaultFastMemoryWords();
  if (llvm::Error error = checkFastMemory(m))
    return emitError(network.getLoc()) << llvm::toString(std::move(error));
  // A plan never holds more values than the network has, so a larger M
  // gives the same plan: a given M is lowered to that, and nothing is
  // allocated for slots that are never used. (The host's default is small.)
  if (options.fastMemory)
    m = std::min<uint64_t>(m, getMaxUsefulFastMemory(*graph));
  if (llvm::Error error = checkAnnealTimeLimit(options.timeLimit))
    return emitError(network.getLoc()) << llvm::toString(std::move(error));
  llvm::Expected<IOBounds> bounds = computeIOBounds(*graph, m);
  if (!bounds)
    return emitError(network.getLoc()) << llvm::toString(bounds.takeError());
  const GraphCounts &c = bounds->counts;
  report.name = network.getSymName().str();
  report.argumentSizes = graph->getLayout().argumentSizes;
  report.resultSizes = graph->getLayout().resultSizes;
  if (report.argumentSizes.empty())
    report.argumentSizes = {graph->getNumInputs()};
  if (report.resultSizes.empty())
    report.resultSizes = {graph->getNumOutputs()};
  report.signature = graph->getLayout().signature.value_or(
      ModelSignature{{"input", {int64_t(graph->getNumInputs())}},
                     {"output", {int64_t(graph->getNumOutputs())}}});
  report.epilogue = stringifyOutputEpilogue(graph->getOutputEpilogue()).str();
  report.fastMemory = m;
  report.numNeurons = c.numNeurons;
  report.numInputs = c.numInputs;
  report.numUsedInputs = c.numUsedInputs;
  report.numComputed = c.numComputed;
  report.numOutputs = c.numOutputs;
  report.numConnections = c.numConnections;
  report.numNonZeroBiases = c.numNonZeroBiases;
  report.lowerBound = bounds->lowerBound;
  report.activationLowerBound = bounds->activationLowerBound;
  report.twoOptimalCost = bounds->twoOptimal.getTotal();
  report.closedFormUpperBound = bounds->closedFormUpperBound;

  PassManager pm(module.getContext());
  LowerToLLVMOptions pipeline;
  options.getPipelineOptions(m, pipeline);
  // csr counts nothing: the pipeline instruments the plan modes only.
  report.instrumented = pipeline.instrumentIO;
  std::vector<LoweringReport> lowered;
  buildLowerToLLVMPipeline(pm, pipeline, &lowered);
  if (failed(pm.run(module)))
    return failure();
  if (lowered.size() != 1)
    return emitError(module.getLoc())
           << "the lowering reported " << lowered.size()
           << " networks; expected 1";
  const LoweringReport &r = lowered.front();
  report.codegen = stringifyCodegenMode(r.mode).str();
  // The strategy's current name, also where the lowering used an alias.
  std::optional<Strategy> strategy = symbolizeStrategy(r.strategy);
  report.strategy = strategy ? stringifyStrategy(*strategy).str() : r.strategy;
  report.kernelOps = r.kernelOps;
  report.csrFrameMisses = r.csrFrameMisses;
  report.planFrameMisses = r.planFrameMisses;
  report.groupLanes = r.groupLanes;
  report.permuteBlock = r.permuteBlock;
  report.planCost = r.planCounts.getTotal();
  report.planActivationCost = r.planCounts.getActivationTraffic();
  report.planLoads = r.planCounts.getLoads();
  report.planStores = r.planCounts.getStores();
  report.batchBlock = r.batchBlock;
  report.batchFastMemory = r.batchFastMemory;
  report.batchTileRows = r.batchTileRows;
  report.batchCodegen = stringifyCodegenMode(r.batchMode).str();
  report.batchStrategy = r.batchStrategy;
  report.batchPlanEvicts = r.batchPlanEvicts;
  report.batchPlanCost = r.batchPlanCounts.getTotal();
  report.batchPlanActivationCost = r.batchPlanCounts.getActivationTraffic();
  return success();
}

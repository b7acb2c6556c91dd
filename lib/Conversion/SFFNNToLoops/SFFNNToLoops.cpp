//===- SFFNNToLoops.cpp - Lower scheduled networks to loops ---------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements lowerNetworkToLoops: it plans the network's schedule
// twice — for one sample with M words, and for blocks of B samples with M_B
// blocks (getDefaultBatchFastMemory) — turns each plan into a
// KernelProgram, and emits NAME from the first (straight-line code or row
// loops) and NAME_batch from the second (row loops on vector<B x f32>
// values); or it emits layerwise CSR inference.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"
#include "sffnn/Conversion/SFFNNToLoops.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Support/HostInfo.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

llvm::StringRef sffnn::stringifyCodegenMode(CodegenMode mode) {
  switch (mode) {
  case CodegenMode::Auto:
    return "auto";
  case CodegenMode::Straight:
    return "straight";
  case CodegenMode::Loops:
    return "loops";
  case CodegenMode::Csr:
    return "csr";
  }
  return "unknown";
}

std::optional<CodegenMode> sffnn::symbolizeCodegenMode(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CodegenMode>>(name)
      .Case("auto", CodegenMode::Auto)
      .Case("straight", CodegenMode::Straight)
      .Case("loops", CodegenMode::Loops)
      .Case("csr", CodegenMode::Csr)
      .Default(std::nullopt);
}

llvm::StringRef sffnn::stringifyRowGroups(RowGroups groups) {
  switch (groups) {
  case RowGroups::Auto:
    return "auto";
  case RowGroups::None:
    return "none";
  case RowGroups::Gather:
    return "gather";
  case RowGroups::Permute:
    return "permute";
  }
  return "unknown";
}

std::optional<RowGroups> sffnn::symbolizeRowGroups(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<RowGroups>>(name)
      .Case("auto", RowGroups::Auto)
      .Case("none", RowGroups::None)
      .Case("gather", RowGroups::Gather)
      .Case("permute", RowGroups::Permute)
      .Default(std::nullopt);
}

llvm::cl::ValuesClass sffnn::getCodegenModeOptionValues() {
  return llvm::cl::values(
      clEnumValN(CodegenMode::Auto, "auto",
                 "straight up to straight-limit kernel operations, else "
                 "loops, or csr where the plan never evicts and csr's rows "
                 "cost no more"),
      clEnumValN(CodegenMode::Straight, "straight",
                 "one instruction per plan step"),
      clEnumValN(CodegenMode::Loops, "loops",
                 "row loops over packed tables in plan order"),
      clEnumValN(CodegenMode::Csr, "csr", "layerwise CSR inference"));
}

llvm::cl::ValuesClass sffnn::getRowGroupsOptionValues() {
  return llvm::cl::values(
      clEnumValN(RowGroups::Auto, "auto",
                 "groups where the cost model finds them faster"),
      clEnumValN(RowGroups::None, "none", "one row at a time"),
      clEnumValN(RowGroups::Gather, "gather", "groups, gather columns only"),
      clEnumValN(RowGroups::Permute, "permute",
                 "groups, permute columns only (AVX-512)"));
}

llvm::Error sffnn::checkLoweringOptions(const LoweringOptions &options) {
  auto error = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  if (options.fastMemory != 0)
    if (llvm::Error e = checkFastMemory(options.fastMemory))
      return error("fast-memory: " + llvm::toString(std::move(e)));
  if (options.batchFastMemory != 0)
    if (llvm::Error e = checkFastMemory(options.batchFastMemory, "blocks"))
      return error("batch-fast-memory: " + llvm::toString(std::move(e)));
  if (options.batchBlock > kMaxBatchBlock)
    return error("batch-block must be at most " + llvm::Twine(kMaxBatchBlock) +
                 " samples, got " + llvm::Twine(options.batchBlock));
  if (options.batchTileRows > kMaxBatchTileRows)
    return error("batch-tile-rows must be at most " +
                 llvm::Twine(kMaxBatchTileRows) + ", got " +
                 llvm::Twine(options.batchTileRows));
  return llvm::Error::success();
}

namespace {

/// The network's schedule, if any. Fails, with a diagnostic, when its
/// `sffnn.schedule` attribute is not a #sffnn.schedule.
FailureOr<ScheduleAttr> getSchedule(NetworkOp network) {
  Attribute attr = network->getAttr(ScheduleAttr::getAttrName());
  if (!attr)
    return ScheduleAttr();
  auto schedule = dyn_cast<ScheduleAttr>(attr);
  if (!schedule)
    return network.emitOpError() << "has an '" << ScheduleAttr::getAttrName()
                                 << "' that is not a #sffnn.schedule: " << attr;
  return schedule;
}

/// The order to plan: the schedule's, else two-optimal.
FailureOr<std::vector<NeuronId>> getScheduleOrder(NetworkOp network,
                                                  ScheduleAttr schedule,
                                                  const Graph &graph,
                                                  std::string &strategy) {
  if (!schedule) {
    strategy = stringifyStrategy(Strategy::TwoOptimal).str();
    return getTwoOptimalOrder(graph);
  }
  SmallVector<int32_t, 0> storage;
  FailureOr<ArrayRef<int32_t>> values =
      schedule.readOrder(storage, [&] { return network.emitOpError(); });
  if (failed(values))
    return failure();
  std::vector<NeuronId> order(values->begin(), values->end());
  if (llvm::Error error = verifyNeuronOrder(graph, order))
    return network.emitOpError() << "has an invalid 'sffnn.schedule' order: "
                                 << llvm::toString(std::move(error));
  strategy = stringifyStrategy(schedule.getStrategy()).str();
  return order;
}

/// Plans `order` with `m` slots and rewrites the plan as a kernel program.
FailureOr<KernelProgram> planKernel(NetworkOp network, const Graph &graph,
                                    const EvaluationOrder &order, uint32_t m) {
  Plan plan(m);
  llvm::Expected<IOCounts> planned = planEvaluation(graph, order, m, &plan);
  if (!planned)
    return network.emitOpError()
           << "cannot be planned: " << llvm::toString(planned.takeError());
  llvm::Expected<KernelProgram> program = buildKernelProgram(graph, plan);
  if (!program)
    return network.emitOpError()
           << "has an illegal plan: " << llvm::toString(program.takeError());
  return std::move(*program);
}

/// A batch plan: B, M_B, its estimated cycles per sample
/// (getBlockCyclesPerSample) and its program, owned or borrowed (the
/// single-sample program where M_B = M). Not copyable: `program` may point into
/// `storage`.
struct BlockPlan {
  BlockPlan() = default;
  BlockPlan(const BlockPlan &) = delete;
  BlockPlan &operator=(const BlockPlan &) = delete;

  uint32_t block = 0;
  uint32_t fastMemory = 0;
  double cyclesPerSample = 0.0;
  std::optional<KernelProgram> storage;
  const KernelProgram *program = nullptr;
};

/// Whether `program` ever evicts a value: spills, reloads an output, or
/// loads an input twice.
bool evicts(const KernelProgram &program) {
  std::vector<bool> loaded(program.numInputs, false);
  for (const KernelOp &op : program.ops) {
    if (op.kind == KernelOp::LoadSpill || op.kind == KernelOp::StoreSpill ||
        op.kind == KernelOp::LoadOutput)
      return true;
    if (op.kind == KernelOp::LoadInput) {
      if (loaded[op.arg])
        return true;
      loaded[op.arg] = true;
    }
  }
  return false;
}

} // namespace

double sffnn::getWordsPerSample(const IOCounts &counts, uint32_t blockSamples) {
  return double(counts.getWeightTraffic()) /
             double(std::max<uint32_t>(blockSamples, 1)) +
         double(counts.getActivationTraffic());
}

double sffnn::getBlockCyclesPerSample(const IOCounts &counts, uint64_t macs,
                                      uint32_t blockSamples,
                                      uint32_t vectorLanes) {
  const double block = std::max<uint32_t>(blockSamples, 1);
  const double vectors = block / std::max<uint32_t>(vectorLanes, 1);
  return double(macs) * (vectors + 2.0) / 2.0 / block +
         getWordsPerSample(counts, blockSamples) * 4.0 / kL2BytesPerCycle;
}

double sffnn::getSampleCycles(uint64_t macs, uint64_t frameMisses) {
  return double(macs) + double(frameMisses) * kL1MissCycles;
}

bool sffnn::csrFrameFitsCache(uint64_t frameElements, uint32_t blockSamples) {
  return frameElements * 4 * std::max<uint32_t>(blockSamples, 1) <=
         getHostL3CacheBytes() / 2;
}

uint32_t sffnn::getDefaultBatchFastMemory(uint32_t blockSamples) {
  uint64_t blockBytes = 4 * uint64_t(std::max<uint32_t>(blockSamples, 1));
  return std::max<uint64_t>(3, getHostL2CacheBytes() / 2 / blockBytes);
}

LogicalResult sffnn::lowerNetworkToLoops(NetworkOp network,
                                         const LoweringOptions &options,
                                         LoweringReport *report) {
  FailureOr<Graph> graph = buildGraph(network);
  if (failed(graph))
    return failure();
  Location loc = network.getLoc();
  std::string name = options.functionName.empty() ? network.getSymName().str()
                                                  : options.functionName;
  LoweringReport local;
  LoweringReport &r = report ? *report : local;
  r.functionName = name;
  r.numInputs = graph->getNumInputs();
  r.numOutputs = graph->getNumOutputs();

  FailureOr<ScheduleAttr> schedule = getSchedule(network);
  if (failed(schedule))
    return failure();
  uint32_t m = options.fastMemory;
  if (m == 0 && *schedule)
    m = schedule->getFastMemory();
  if (m == 0)
    m = getDefaultFastMemoryWords();
  if (llvm::Error error = checkFastMemory(m))
    return network.emitOpError()
           << "cannot be lowered: " << llvm::toString(std::move(error));
  if (llvm::Error error = checkLoweringOptions(options))
    return network.emitOpError()
           << "cannot be lowered: " << llvm::toString(std::move(error));
  // Every M beyond the most slots a plan can use gives the same plan (and
  // would only allocate more frame).
  const uint32_t maxUseful = getMaxUsefulFastMemory(*graph);
  m = std::min(m, maxUseful);
  r.fastMemory = m;

  // Blocks: B samples per value, M_B values in fast memory.
  BatchShape shape;
  shape.vectorLanes =
      options.vectorLanes ? options.vectorLanes : getHostVectorLanes();
  shape.blockSamples = options.batchBlock ? options.batchBlock
                                          : kDefaultBlockVectors *
                                                std::max(shape.vectorLanes, 4u);
  // The candidates B: 1, 2 and 4 vectors, unless given. csr's x holds
  // every neuron's value: the candidates whose frame fits the cache.
  SmallVector<uint32_t> candidates = {shape.blockSamples};
  if (!options.batchBlock) {
    candidates.clear();
    for (uint32_t vectors = 1; vectors <= kDefaultBlockVectors; vectors *= 2)
      candidates.push_back(vectors * std::max(shape.vectorLanes, 4u));
  }
  SmallVector<uint32_t> csrCandidates;
  for (uint32_t block : candidates)
    if (csrFrameFitsCache(getCsrFrameElements(*graph), block))
      csrCandidates.push_back(block);
  // csr takes the largest candidate whose frame fits, else the smallest.
  if (!options.batchBlock)
    shape.blockSamples =
        csrCandidates.empty() ? candidates.front() : csrCandidates.back();
  shape.remainderSamples = std::min(shape.blockSamples, 8u);
  r.batchBlock = shape.blockSamples;

  OpBuilder moduleBuilder(network);
  // Each kernel is followed by the network's output epilogue, if any.
  const OutputEpilogue epilogue = graph->getOutputEpilogue();
  r.epilogue = epilogue;
  // The batch kernel's staging buffer: csr runs in it (as its x), which
  // saves copying a block's inputs.
  uint64_t stagedElements = graph->getNumInputs();
  auto emitFunctions = [&](const KernelBody &single, const KernelBody &batch) {
    auto withEpilogue = [&](const KernelBody &kernel) -> KernelBody {
      return [&](Emitter &e, Value in, Value out) {
        kernel(e, in, out);
        emitOutputEpilogue(e, out, graph->getNumOutputs(), epilogue);
      };
    };
    emitSingleFunction(moduleBuilder, loc, name, withEpilogue(single));
    emitBatchFunction(moduleBuilder, loc, name + "_batch", shape,
                      graph->getNumInputs(), graph->getNumOutputs(),
                      stagedElements, withEpilogue(batch));
    emitParallelFunction(moduleBuilder, loc, name, shape.blockSamples,
                         graph->getNumInputs(), graph->getNumOutputs());
  };

  // The partial sums of csr's rows, the same for one sample and for blocks
  // so that both give the same bits: one per kMacsPerChain macs of a row
  // (getSampleChains), as long as a block's accumulators take at most half
  // the vector registers (32 with AVX-512, else 16). Measured on Zen 5, 4
  // chains run the Fashion-MNIST model's blocks of 64 1.04x faster than 2.
  auto getCsrChains = [&] {
    unsigned vectors = std::max(shape.blockSamples / shape.vectorLanes, 1u);
    unsigned registers = shape.vectorLanes >= 16 ? 32 : 16;
    unsigned blockChains =
        llvm::bit_floor(std::max(registers / 2 / vectors, 1u));
    return std::min(
        getSampleChains(graph->getNumConnections(), graph->getNumComputed()),
        blockChains);
  };
  if (options.mode == CodegenMode::Csr) {
    r.mode = CodegenMode::Csr;
    r.strategy = "layerwise";
    r.kernelOps = graph->getNumComputed();
    auto csr = [&](bool inIsFrame) -> KernelBody {
      return [&, inIsFrame](Emitter &e, Value in, Value out) {
        emitCsrKernel(e, moduleBuilder, *graph, name + "_csr", in, out,
                      getCsrChains(), inIsFrame);
      };
    };
    stagedElements = getCsrFrameElements(*graph);
    emitFunctions(csr(false), csr(true));
    network.erase();
    return success();
  }

  FailureOr<std::vector<NeuronId>> order =
      getScheduleOrder(network, *schedule, *graph, r.strategy);
  if (failed(order))
    return failure();
  EvaluationOrder pullOrder = getPullOrder(*graph, *order);
  FailureOr<KernelProgram> program = planKernel(network, *graph, pullOrder, m);
  if (failed(program))
    return failure();
  r.planCounts = program->counts;
  r.kernelOps = program->ops.size();
  r.mode = options.mode;
  if (r.mode == CodegenMode::Auto)
    r.mode = program->ops.size() <= options.straightLimit
                 ? CodegenMode::Straight
                 : CodegenMode::Loops;

  // The batch plan: the same order with the blocks that fit fast memory.
  // B, unless given, is the candidate whose plan costs the fewest cycles per
  // sample (getBlockCyclesPerSample).
  //
  // planBlocks plans `blockOrder` for each B of `blocks` with its M_B into
  // `best`, the plan of the fewest cycles per sample; `sameM` is the program
  // of the same order with M slots (reused where M_B = M), or null.
  auto planBlocks = [&](const EvaluationOrder &blockOrder,
                        ArrayRef<uint32_t> blocks, const KernelProgram *sameM,
                        BlockPlan &best) -> LogicalResult {
    for (uint32_t block : blocks) {
      const uint32_t batchM =
          std::min(options.batchFastMemory ? options.batchFastMemory
                                           : getDefaultBatchFastMemory(block),
                   maxUseful);
      if (llvm::Error error = checkFastMemory(batchM, "blocks"))
        return network.emitOpError() << "cannot be lowered: batch plan: "
                                     << llvm::toString(std::move(error));
      std::optional<KernelProgram> planned;
      if (batchM != m || !sameM) {
        FailureOr<KernelProgram> result =
            planKernel(network, *graph, blockOrder, batchM);
        if (failed(result))
          return failure();
        planned = std::move(*result);
      }
      const IOCounts &counts = planned ? planned->counts : sameM->counts;
      double cost = getBlockCyclesPerSample(counts, graph->getNumConnections(),
                                            block, shape.vectorLanes);
      if (best.program && cost >= best.cyclesPerSample)
        continue;
      best.cyclesPerSample = cost;
      best.block = block;
      best.fastMemory = batchM;
      best.storage = std::move(planned);
      best.program = best.storage ? &*best.storage : sameM;
    }
    return success();
  };
  // NAME_batch runs `plan`'s blocks, and the report gives its figures.
  const KernelProgram *batchProgram = nullptr;
  auto useBatchPlan = [&](const BlockPlan &plan) {
    shape.blockSamples = plan.block;
    shape.remainderSamples = std::min(shape.blockSamples, 8u);
    r.batchBlock = shape.blockSamples;
    r.batchFastMemory = plan.fastMemory;
    batchProgram = plan.program;
    r.batchPlanCounts = batchProgram->counts;
    r.batchPlanEvicts = evicts(*batchProgram);
  };
  BlockPlan planned;
  if (failed(planBlocks(pullOrder, candidates, &*program, planned)))
    return failure();
  useBatchPlan(planned);

  // Instrumentation counters: external i64 globals.
  LLVM::GlobalOp loadGlobal, storeGlobal;
  if (options.instrumentIO) {
    Type i64 = moduleBuilder.getI64Type();
    auto counter = [&](StringRef suffix) {
      return LLVM::GlobalOp::create(
          moduleBuilder, loc, i64,
          /*isConstant=*/false, LLVM::Linkage::External, name + suffix.str(),
          moduleBuilder.getI64IntegerAttr(0));
    };
    loadGlobal = counter("_io_loads");
    storeGlobal = counter("_io_stores");
  }
  auto getCounters = [&](Emitter &e) {
    IOCounters counters;
    if (loadGlobal) {
      counters.loads = LLVM::AddressOfOp::create(e.b, e.loc, loadGlobal);
      counters.stores = LLVM::AddressOfOp::create(e.b, e.loc, storeGlobal);
    }
    return counters;
  };
  // The kernels of one program share its tables (one LoopKernel), unless
  // the single-sample kernel runs groups of rows.
  MLIRContext *context = network.getContext();
  std::optional<LoopKernel> singleLoops, blockLoops;
  if (r.mode != CodegenMode::Straight)
    singleLoops.emplace(context, *program, name + "_plan", shape.vectorLanes,
                        options.rowGroups);
  // Auto runs NAME as layerwise CSR when the plan never evicts and no
  // groups of rows pay off, as NAME_batch below: the plan then moves exactly
  // the words csr moves, and csr's rows cost less than the loops kernel's
  // one row at a time, unless csr's reads of x[N] miss the L1 where the
  // plan's slots do not (getSampleCycles; docs/codegen.md, "Choosing a
  // mode").
  if (options.mode == CodegenMode::Auto && singleLoops &&
      !singleLoops->isGrouped() && !evicts(*program)) {
    const uint64_t lines = getFrameCacheLines(m);
    r.csrFrameMisses = countCsrFrameMisses(*graph, lines);
    r.planFrameMisses = countPlanFrameMisses(*program, lines);
    const uint64_t macs = graph->getNumConnections();
    if (kLoopsSampleRowCost * getSampleCycles(macs, r.planFrameMisses) >=
        getSampleCycles(macs, r.csrFrameMisses)) {
      r.mode = CodegenMode::Csr;
      singleLoops.reset();
    }
  }
  r.groupLanes = singleLoops ? singleLoops->getGroupLanes() : 1;
  r.permuteBlock = singleLoops ? singleLoops->getPermuteBlock() : 0;
  // The batch kernel: tiles of rows when the cost model (or the option)
  // says so; else one row at a time, sharing the single-sample kernel's
  // tables when both run the same program one row at a time.
  TileChoice tiles;
  tiles.rows = options.batchTileRows;
  tiles.vectors = std::max(shape.blockSamples / shape.vectorLanes, 1u);
  tiles.registers = shape.vectorLanes >= 16 ? 32 : 16;
  const bool shareTables =
      singleLoops && !singleLoops->isGrouped() && batchProgram == &*program;
  const LoopKernel *batchLoops = &blockLoops.emplace(
      context, *batchProgram,
      name +
          (singleLoops || batchProgram != &*program ? "_block_plan" : "_plan"),
      0, RowGroups::None, tiles);
  if (shareTables && batchLoops->getTileRows() == 1)
    batchLoops = &*singleLoops;
  r.batchTileRows = batchLoops->getTileRows();
  // Auto runs NAME_batch as layerwise CSR unless tiles pay off, csr's frame
  // does not fit the cache (csrFrameFitsCache), or the batch plan's rows
  // cost fewer cycles than csr's (kLoopsRowCost; docs/codegen.md, "Batch").
  // csr's order is the layerwise order: its plan for the candidates B whose
  // frame fits is what csr's rows move at best, and csr runs at the B of
  // that plan's fewest cycles, with that plan's figures. Where that plan
  // never evicts, csr moves exactly its words (each used input, weight and
  // nonzero bias once, each output once) with less work per row.
  r.batchMode = CodegenMode::Loops;
  r.batchStrategy = r.strategy;
  BlockPlan layerwise;
  if (options.mode == CodegenMode::Auto && r.batchTileRows == 1 &&
      !csrCandidates.empty()) {
    if (failed(planBlocks(getPullOrder(*graph, getLayerwiseOrder(*graph)),
                          csrCandidates, nullptr, layerwise)))
      return failure();
    if (planned.cyclesPerSample * kLoopsRowCost >= layerwise.cyclesPerSample) {
      r.batchMode = CodegenMode::Csr;
      r.batchStrategy = stringifyStrategy(Strategy::Layerwise).str();
      useBatchPlan(layerwise);
      stagedElements = getCsrFrameElements(*graph);
    }
  }
  // Layerwise CSR in place of a plan, counting the words of `plan`: for one
  // sample a plan that never evicts, which moves what csr moves; for blocks
  // the layerwise order's plan (see above).
  auto emitCsrForPlan = [&](Emitter &e, Value in, Value out,
                            const KernelProgram &plan, bool inIsFrame) {
    emitCsrKernel(e, moduleBuilder, *graph, name + "_csr", in, out,
                  getCsrChains(), inIsFrame);
    IOCounters counters = getCounters(e);
    e.count(counters.loads, plan.counts.getLoads());
    e.count(counters.stores, plan.counts.getStores());
  };
  emitFunctions(
      [&](Emitter &e, Value in, Value out) {
        if (singleLoops)
          singleLoops->emit(e, moduleBuilder, in, out, getCounters(e));
        else if (r.mode == CodegenMode::Csr)
          emitCsrForPlan(e, in, out, *program, false);
        else
          emitStraightKernel(e, *program, in, out, getCounters(e));
      },
      [&](Emitter &e, Value in, Value out) {
        if (r.batchMode == CodegenMode::Loops)
          batchLoops->emit(e, moduleBuilder, in, out, getCounters(e));
        else
          emitCsrForPlan(e, in, out, *batchProgram, true);
      });
  network.erase();
  return success();
}

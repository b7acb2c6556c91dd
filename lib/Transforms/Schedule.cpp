//===- Schedule.cpp - --sffnn-schedule ------------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the --sffnn-schedule pass: it runs a scheduling
// strategy on every network, plans the order, attaches the result as its
// #sffnn.schedule attribute and emits a remark with LB, cost and cost/LB.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/NetworkGraph.h"
#include "sffnn/IR/SFFNNOps.h"
#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Support/HostInfo.h"
#include "sffnn/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace sffnn {
#define GEN_PASS_DEF_SCHEDULENETWORKS
#include "sffnn/Transforms/Passes.h.inc"
} // namespace sffnn

using namespace mlir;
using namespace sffnn;

namespace {

struct SchedulePass : public sffnn::impl::ScheduleNetworksBase<SchedulePass> {
  using ScheduleNetworksBase::ScheduleNetworksBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    uint32_t m =
        fastMemory ? uint32_t(fastMemory) : getDefaultFastMemoryWords();
    if (llvm::Error error = checkFastMemory(m)) {
      module.emitError() << llvm::toString(std::move(error));
      return signalPassFailure();
    }
    if (llvm::Error error = checkAnnealTimeLimit(timeLimit)) {
      module.emitError() << llvm::toString(std::move(error));
      return signalPassFailure();
    }
    ScheduleOptions options;
    options.strategy = strategy;
    options.annealStart = getAnnealStart(start);
    options.fastMemory = m;
    options.seed = seed;
    options.iterations = iterations;
    options.timeLimitSeconds = timeLimit;

    bool failedAny = false;
    module.walk([&](NetworkOp network) {
      if (failed(scheduleOne(network, options)))
        failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }

  LogicalResult scheduleOne(NetworkOp network, const ScheduleOptions &options) {
    const auto &analysis = getChildAnalysis<NetworkGraph>(network);
    if (!analysis.isValid())
      return failure();
    const Graph &graph = analysis.getGraph();
    llvm::Expected<ScheduleResult> schedule = scheduleNetwork(graph, options);
    if (!schedule)
      return network.emitOpError()
             << "cannot be scheduled: " << llvm::toString(schedule.takeError());
    llvm::Expected<IOCounts> twoOptimal =
        planNeuronOrder(graph, getTwoOptimalOrder(graph), options.fastMemory);
    if (!twoOptimal)
      return network.emitOpError()
             << "cannot be planned: " << llvm::toString(twoOptimal.takeError());

    GraphCounts counts = graph.getCounts();
    uint64_t lowerBound = getLowerBound(counts);
    uint64_t activationLowerBound = counts.numUsedInputs + counts.numOutputs;
    std::vector<int32_t> order(schedule->order.begin(), schedule->order.end());
    ElementsAttr orderAttr =
        order.size() > size_t(NetworkBuildOptions().inlineLimit)
            ? createResourceArray<int32_t>(
                  &getContext(), (network.getSymName() + "_order").str(), order)
            : createDenseArray<int32_t>(&getContext(), order);
    network->setAttr(ScheduleAttr::getAttrName(),
                     ScheduleAttr::get(&getContext(), options.strategy,
                                       options.seed, options.fastMemory,
                                       orderAttr, schedule->counts.getTotal(),
                                       schedule->counts.getActivationTraffic(),
                                       lowerBound, activationLowerBound,
                                       twoOptimal->getTotal()));
    uint64_t cost = schedule->counts.getTotal();
    std::string ratio;
    llvm::raw_string_ostream(ratio) << llvm::format(
        "%.3f", lowerBound ? double(cost) / double(lowerBound) : 1.0);
    emitRemark(network.getLoc())
        << "schedule " << stringifyStrategy(options.strategy)
        << " with M = " << options.fastMemory << ": LB = " << lowerBound
        << ", cost = " << cost << ", cost/LB = " << ratio;
    return success();
  }
};

} // namespace

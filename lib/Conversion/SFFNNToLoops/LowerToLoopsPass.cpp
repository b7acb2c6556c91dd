//===- LowerToLoopsPass.cpp - --sffnn-lower-to-loops ----------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the --sffnn-lower-to-loops pass, a shell around
// lowerNetworkToLoops, followed by a polynomial approximation of tanh (so
// that it vectorizes and needs no math library).
//
//===----------------------------------------------------------------------===//

#include "sffnn/Conversion/Passes.h"
#include "sffnn/Conversion/SFFNNToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace sffnn {
#define GEN_PASS_DEF_CONVERTSFFNNTOLOOPS
#include "sffnn/Conversion/Passes.h.inc"
} // namespace sffnn

using namespace mlir;
using namespace sffnn;

namespace {

DictionaryAttr getReportAttr(MLIRContext *context,
                             const LoweringReport &report) {
  Builder b(context);
  auto entry = [&](StringRef name, uint64_t value) {
    return b.getNamedAttr(name, b.getI64IntegerAttr(value));
  };
  const IOCounts &c = report.planCounts;
  return b.getDictionaryAttr({
      b.getNamedAttr("name", b.getStringAttr(report.functionName)),
      b.getNamedAttr("codegen",
                     b.getStringAttr(stringifyCodegenMode(report.mode))),
      b.getNamedAttr("strategy", b.getStringAttr(report.strategy)),
      entry("fast_memory", report.fastMemory),
      entry("inputs", report.numInputs),
      entry("outputs", report.numOutputs),
      entry("kernel_ops", report.kernelOps),
      entry("csr_frame_misses", report.csrFrameMisses),
      entry("plan_frame_misses", report.planFrameMisses),
      entry("group_lanes", report.groupLanes),
      entry("permute_block", report.permuteBlock),
      entry("plan_loads", c.getLoads()),
      entry("plan_stores", c.getStores()),
      entry("plan_cost", c.getTotal()),
      entry("plan_activation_cost", c.getActivationTraffic()),
      entry("batch_block", report.batchBlock),
      entry("batch_fast_memory", report.batchFastMemory),
      entry("batch_tile_rows", report.batchTileRows),
      b.getNamedAttr("batch_codegen",
                     b.getStringAttr(stringifyCodegenMode(report.batchMode))),
      b.getNamedAttr("batch_plan_evicts",
                     b.getBoolAttr(report.batchPlanEvicts)),
      b.getNamedAttr("batch_strategy", b.getStringAttr(report.batchStrategy)),
      entry("batch_plan_loads", report.batchPlanCounts.getLoads()),
      entry("batch_plan_stores", report.batchPlanCounts.getStores()),
      entry("batch_plan_cost", report.batchPlanCounts.getTotal()),
      entry("batch_plan_activation_cost",
            report.batchPlanCounts.getActivationTraffic()),
  });
}

struct ConvertSFFNNToLoopsPass
    : public sffnn::impl::ConvertSFFNNToLoopsBase<ConvertSFFNNToLoopsPass> {
  using ConvertSFFNNToLoopsBase::ConvertSFFNNToLoopsBase;
  ConvertSFFNNToLoopsPass(const ConvertSFFNNToLoopsOptions &options,
                          std::vector<LoweringReport> *reports)
      : ConvertSFFNNToLoopsBase(options), reports(reports) {}

  /// Where the typed reports go (null: only the `sffnn.lowered` attribute).
  std::vector<LoweringReport> *reports = nullptr;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    LoweringOptions options;
    options.mode = codegen;
    options.rowGroups = rowGroups;
    options.fastMemory = fastMemory;
    options.straightLimit = straightLimit;
    options.vectorLanes = vectorLanes;
    options.batchBlock = batchBlock;
    options.batchFastMemory = batchFastMemory;
    options.batchTileRows = batchTileRows;
    options.instrumentIO = instrumentIO;
    if (llvm::Error error = checkLoweringOptions(options)) {
      module.emitError() << llvm::toString(std::move(error));
      return signalPassFailure();
    }
    SmallVector<NetworkOp> networks(module.getOps<NetworkOp>());
    SmallVector<Attribute> attributes;
    for (NetworkOp network : networks) {
      LoweringReport report;
      if (failed(lowerNetworkToLoops(network, options, &report)))
        return signalPassFailure();
      attributes.push_back(getReportAttr(&getContext(), report));
      if (reports)
        reports->push_back(std::move(report));
    }
    if (!attributes.empty())
      module->setAttr(kLoweredAttrName,
                      ArrayAttr::get(&getContext(), attributes));

    RewritePatternSet patterns(&getContext());
    populatePolynomialApproximateTanhPattern(patterns);
    if (failed(applyPatternsGreedily(module, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass>
sffnn::createConvertSFFNNToLoops(const ConvertSFFNNToLoopsOptions &options,
                                 std::vector<LoweringReport> *reports) {
  return std::make_unique<ConvertSFFNNToLoopsPass>(options, reports);
}

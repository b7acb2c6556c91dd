//===- Pipelines.cpp - sffnn pass pipelines -------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the sffnn-lower-to-llvm pipeline.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Conversion/Passes.h"
#include "sffnn/Transforms/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace sffnn;

void sffnn::buildLowerToLLVMPipeline(OpPassManager &pm,
                                     const LowerToLLVMOptions &options,
                                     std::vector<LoweringReport> *reports) {
  if (!options.strategy.empty()) {
    ScheduleNetworksOptions schedule;
    schedule.strategy = options.strategy;
    schedule.fastMemory = options.fastMemory;
    schedule.seed = options.seed;
    schedule.iterations = options.iterations;
    schedule.timeLimit = options.timeLimit;
    pm.addPass(createScheduleNetworks(schedule));
  }
  ConvertSFFNNToLoopsOptions lower;
  lower.codegen = options.codegen;
  lower.fastMemory = options.fastMemory;
  lower.straightLimit = options.straightLimit;
  lower.vectorLanes = options.vectorLanes;
  lower.batchBlock = options.batchBlock;
  lower.batchFastMemory = options.batchFastMemory;
  lower.batchTileRows = options.batchTileRows;
  lower.rowGroups = options.rowGroups;
  lower.instrumentIO = options.instrumentIO;
  pm.addPass(createConvertSFFNNToLoops(lower, reports));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void sffnn::registerPipelines() {
  PassPipelineRegistration<LowerToLLVMOptions>(
      "sffnn-lower-to-llvm",
      "Schedule, lower every sffnn.network to loops and convert to the LLVM "
      "dialect",
      [](OpPassManager &pm, const LowerToLLVMOptions &options) {
        buildLowerToLLVMPipeline(pm, options);
      });
}

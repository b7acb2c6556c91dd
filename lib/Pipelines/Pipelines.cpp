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

ScheduleNetworksOptions LowerToLLVMOptions::getScheduleOptions() const {
  ScheduleNetworksOptions schedule;
  schedule.strategy = strategy;
  schedule.fastMemory = fastMemory;
  schedule.seed = seed;
  schedule.iterations = iterations;
  schedule.timeLimit = timeLimit;
  return schedule;
}

ConvertSFFNNToLoopsOptions LowerToLLVMOptions::getLoweringOptions() const {
  ConvertSFFNNToLoopsOptions lower;
  lower.codegen = codegen;
  lower.fastMemory = fastMemory;
  lower.straightLimit = straightLimit;
  lower.vectorLanes = vectorLanes;
  lower.batchBlock = batchBlock;
  lower.batchFastMemory = batchFastMemory;
  lower.batchTileRows = batchTileRows;
  lower.rowGroups = rowGroups;
  lower.instrumentIO = instrumentIO;
  return lower;
}

void sffnn::buildLowerToLLVMPipeline(OpPassManager &pm,
                                     const LowerToLLVMOptions &options,
                                     std::vector<LoweringReport> *reports) {
  if (options.schedules())
    pm.addPass(createScheduleNetworks(options.getScheduleOptions()));
  pm.addPass(createConvertSFFNNToLoops(options.getLoweringOptions(), reports));
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

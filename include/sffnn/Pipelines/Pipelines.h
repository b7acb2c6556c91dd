//===- Pipelines.h - sffnn pass pipelines -----------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the pass pipelines shared by sffnn-opt (as registered
// pipelines), sffnn-compile and sffnn-run, so that every tool runs the same
// code.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_PIPELINES_PIPELINES_H
#define SFFNN_PIPELINES_PIPELINES_H

#include "sffnn/Conversion/Passes.h"
#include "sffnn/Conversion/SFFNNToLoops.h"
#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace sffnn {

/// Options of the sffnn-lower-to-llvm pipeline: the one declaration of the
/// options of the passes it runs, projected into each of them
/// (getScheduleOptions, getLoweringOptions). Their defaults and closed sets
/// are the passes' own (the k* constants and *OptionValues functions).
struct LowerToLLVMOptions
    : public mlir::PassPipelineOptions<LowerToLLVMOptions> {
  PassOptions::Option<Strategy> strategy{
      *this, "strategy",
      llvm::cl::desc("Schedule with this strategy first (layerwise, "
                     "two-optimal, greedy, anneal); not given: keep an "
                     "existing sffnn.schedule, or plan two-optimal"),
      llvm::cl::init(Strategy::TwoOptimal), getStrategyOptionValues()};
  PassOptions::Option<uint32_t> fastMemory{
      *this, "fast-memory",
      llvm::cl::desc("M in words (0: the host's L1 data cache size / 4)"),
      llvm::cl::init(0)};
  PassOptions::Option<uint64_t> seed{*this, "seed",
                                     llvm::cl::desc("Annealing seed"),
                                     llvm::cl::init(kDefaultAnnealSeed)};
  PassOptions::Option<uint64_t> iterations{
      *this, "iterations", llvm::cl::desc("Annealing moves"),
      llvm::cl::init(kDefaultAnnealIterations)};
  PassOptions::Option<double> timeLimit{
      *this, "time-limit",
      llvm::cl::desc("Annealing time limit in seconds (0: none)"),
      llvm::cl::init(kDefaultAnnealTimeLimit)};
  PassOptions::Option<CodegenMode> codegen{
      *this, "codegen", llvm::cl::desc("auto, straight, loops or csr"),
      llvm::cl::init(CodegenMode::Auto), getCodegenModeOptionValues()};
  PassOptions::Option<uint64_t> straightLimit{
      *this, "straight-limit",
      llvm::cl::desc("auto emits straight-line code up to this many kernel "
                     "operations"),
      llvm::cl::init(kDefaultStraightLimit)};
  PassOptions::Option<uint32_t> vectorLanes{
      *this, "vector-lanes",
      llvm::cl::desc("f32 lanes of the target's vector registers (0: the "
                     "host's)"),
      llvm::cl::init(0)};
  PassOptions::Option<uint32_t> batchBlock{
      *this, "batch-block",
      llvm::cl::desc("Samples per NAME_batch block (0: chosen from the I/O "
                     "model among 1, 2 and 4 x vector-lanes)"),
      llvm::cl::init(0)};
  PassOptions::Option<uint32_t> batchFastMemory{
      *this, "batch-fast-memory",
      llvm::cl::desc("M of the batch plan in blocks (0: half the host's L2 "
                     "cache over the bytes of a block)"),
      llvm::cl::init(0)};
  PassOptions::Option<uint32_t> batchTileRows{
      *this, "batch-tile-rows",
      llvm::cl::desc("Rows per tile of the NAME_batch loops kernel (0: from "
                     "the cost model; 1: one row at a time)"),
      llvm::cl::init(0)};
  PassOptions::Option<RowGroups> rowGroups{
      *this, "row-groups",
      llvm::cl::desc("How the single-sample loops kernel runs its rows: "
                     "auto, none, gather or permute"),
      llvm::cl::init(RowGroups::Auto), getRowGroupsOptionValues()};
  PassOptions::Option<bool> instrumentIO{
      *this, "instrument-io",
      llvm::cl::desc("Count loads and stores at run time"),
      llvm::cl::init(false)};

  /// Whether the pipeline schedules first: `strategy` was given.
  bool schedules() const { return strategy.hasValue(); }
  /// The options of --sffnn-schedule.
  ScheduleNetworksOptions getScheduleOptions() const;
  /// The options of --sffnn-lower-to-loops.
  ConvertSFFNNToLoopsOptions getLoweringOptions() const;
};

/// Schedules (if asked), lowers every network to loops and converts the
/// result to the LLVM dialect. With `reports`, the lowering appends each
/// network's LoweringReport to it (module order) when the pipeline runs.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options,
                              std::vector<LoweringReport> *reports = nullptr);

/// Registers the pipelines ("sffnn-lower-to-llvm") with the global registry.
void registerPipelines();

} // namespace sffnn

#endif // SFFNN_PIPELINES_PIPELINES_H

//===- SFFNNToLoops.h - Lower scheduled networks to loops -------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the lowering of an sffnn.network to executable code in
// the func, scf, arith, math, vector and llvm dialects: two functions with a
// bare-pointer C ABI (docs/codegen.md, "ABI"),
//
//   int32_t NAME(const float *in, float *out);
//   int32_t NAME_batch(const float *in, float *out, int64_t n);
//   int32_t NAME_batch_parallel(const float *in, float *out, int64_t n,
//                               int32_t threads);
//
// (row-major samples; NAME_batch_parallel splits the batch in whole blocks
// over POSIX threads), each returning 0 or an errno value. The plan modes
// execute exactly the plan of the network's schedule (docs/codegen.md):
// `straight` emits one instruction per plan step with constant slots (slots
// become SSA values, i.e. registers), `loops` runs the plan's rows (dot
// products over fast-memory slots) and I/O events in uniform segments,
// streaming packed tables in plan order, with fast memory as an array.
// NAME_batch runs the loops kernel of a second plan whose values are blocks of
// B samples and whose M_B counts blocks (getDefaultBatchFastMemory). `csr` is
// the standard layer-by-layer CSR inference of the same network, for
// comparison.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_CONVERSION_SFFNNTOLOOPS_H
#define SFFNN_CONVERSION_SFFNNTOLOOPS_H

#include "sffnn/Analysis/Plan.h"
#include "sffnn/IR/SFFNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/CommandLine.h"

#include <optional>
#include <string>

namespace sffnn {

/// How a network becomes code.
enum class CodegenMode : uint8_t {
  Auto,     ///< straight when the kernel is small, else loops (or csr
            ///< where the plan never evicts, no row groups pay off and
            ///< csr's rows cost no more: getSampleCycles)
  Straight, ///< one instruction per plan step
  Loops,    ///< row loops over packed tables in plan order
  Csr,      ///< layerwise CSR sparse matrix-vector products
};

/// Returns "auto", "straight", "loops" or "csr".
llvm::StringRef stringifyCodegenMode(CodegenMode mode);
std::optional<CodegenMode> symbolizeCodegenMode(llvm::StringRef name);

/// How the single-sample loops kernel runs its rows (docs/codegen.md,
/// "Groups of rows").
enum class RowGroups : uint8_t {
  Auto,    ///< groups when the cost model finds them faster than one row at
           ///< a time, with permute or gather columns block by block
  None,    ///< one row at a time
  Gather,  ///< groups of one row per vector lane, gather columns only
  Permute, ///< groups with permute columns only (AVX-512 targets; others
           ///< run gather columns)
};

/// Returns "auto", "none", "gather" or "permute".
llvm::StringRef stringifyRowGroups(RowGroups groups);
std::optional<RowGroups> symbolizeRowGroups(llvm::StringRef name);

/// The values of a codegen option (`--codegen`, `codegen=`) and of a
/// row-groups option: the names of stringifyCodegenMode and
/// stringifyRowGroups, each with its description. Every tool, pass and
/// pipeline declares those options with these.
llvm::cl::ValuesClass getCodegenModeOptionValues();
llvm::cl::ValuesClass getRowGroupsOptionValues();

/// Auto emits straight-line code up to this many kernel operations: beyond
/// it, the values no longer fit the registers and LLVM's spills make
/// straight-line code slower than the loops kernel, and slower to compile
/// (docs/codegen.md, "Choosing a mode").
constexpr uint64_t kDefaultStraightLimit = 4000;

/// The most vectors of one batch block: B is at most kDefaultBlockVectors x
/// the f32 lanes of a vector register, so that one weight broadcast feeds
/// this many FMAs (on AVX-512: 4 x 16 = 64 samples; 4 accumulator chains of
/// 4 vectors keep 16 of the 32 vector registers busy). The lowering chooses
/// B among 1, 2 and 4 vectors (getBlockCyclesPerSample); csr takes the
/// largest whose frame fits the cache (csrFrameFitsCache).
constexpr uint32_t kDefaultBlockVectors = 4;

/// With `codegen=auto`, NAME_batch runs the plan's rows one at a time only
/// where kLoopsRowCost x their estimated cycles (getBlockCyclesPerSample)
/// are fewer than those of csr's order (layerwise) at its own B: csr's
/// rows ran the same words 1.05x to 1.26x faster than the loops kernel's
/// (docs/codegen.md, "Batch").
constexpr double kLoopsRowCost = 1.25;

/// With `codegen=auto`, NAME runs the plan's rows one at a time (where no
/// groups of rows pay off and the plan never evicts) only where
/// kLoopsSampleRowCost x their estimated cycles (getSampleCycles) are fewer
/// than csr's: measured on Zen 5, csr's rows ran 1.0x to 1.15x faster
/// where neither kernel's frame misses the L1 much (docs/codegen.md, "Choosing
/// a mode").
constexpr double kLoopsSampleRowCost = 1.15;

/// The cycles a frame read that misses the L1 adds to one sample's kernel
/// (getSampleCycles), over those of a mac that hits it.
constexpr double kL1MissCycles = 4.0;

/// The estimated cycles of one sample's row kernel (csr's or the loops
/// kernel's) over `macs` connections whose frame reads miss the L1
/// `frameMisses` times, as the cache model of docs/codegen.md ("Choosing a
/// mode") counts them: a cycle per mac, plus kL1MissCycles per miss.
double getSampleCycles(uint64_t macs, uint64_t frameMisses);

/// The bytes per cycle a core streams from its L2 cache into the L1, the
/// cost of the words a batch plan moves (getBlockCyclesPerSample).
constexpr double kL2BytesPerCycle = 32.0;

/// Whether csr's buffer x of `frameElements` blocks of `blockSamples`
/// samples (4 bytes each) fits half the last-level cache
/// (getHostL3CacheBytes). csr writes every neuron's value to an element of
/// its own, so a frame that does not fit streams to DRAM and back: measured
/// on Zen 5 at batch 1,024, csr runs the 491,520-neuron `gc-4096` network
/// (a 63 MB frame at B = 32) at 0.55x of the plan's rows, which reuse 4,096
/// slots (docs/codegen.md, "Batch").
bool csrFrameFitsCache(uint64_t frameElements, uint32_t blockSamples);

/// The most samples of one batch block (`batch-block`).
constexpr uint32_t kMaxBatchBlock = 1024;
/// The most threads NAME_batch_parallel accepts (more return EINVAL).
constexpr int32_t kMaxBatchThreads = 1024;

/// The words a batch plan of `counts` per block of `blockSamples` samples
/// moves per sample (docs/io-model.md, section 9): its weight and bias
/// words / B, plus its activation values (B words a block each).
double getWordsPerSample(const IOCounts &counts, uint32_t blockSamples);

/// The cycles per sample, on one core, of a batch plan of `counts` per
/// block of `blockSamples` samples over `macs` connections with vectors of
/// `vectorLanes` f32 lanes (docs/codegen.md, "Batch"): each mac of a block
/// loads a source index, a weight and B / lanes frame vectors at two loads
/// a cycle, (B / lanes + 2) / 2 cycles for B samples; each word moved
/// (getWordsPerSample) costs 4 / kL2BytesPerCycle cycles.
double getBlockCyclesPerSample(const IOCounts &counts, uint64_t macs,
                               uint32_t blockSamples, uint32_t vectorLanes);

/// The default fast memory of the batch plan, in blocks of `blockSamples`
/// samples: half the host's L2 cache over the bytes of one block (4 x
/// blockSamples), at least 3. A block is read as whole cache lines, which
/// the L2 streams to the FMAs nearly as fast as the L1; planned for the L1
/// instead, the reloads cost more than they save (docs/codegen.md, "Batch").
uint32_t getDefaultBatchFastMemory(uint32_t blockSamples);

/// The most rows of a NAME_batch tile (LoweringOptions::batchTileRows).
constexpr uint32_t kMaxBatchTileRows = 16;

/// Options of the lowering.
struct LoweringOptions {
  CodegenMode mode = CodegenMode::Auto;
  /// M of the single-sample plan in words; 0 takes the network's
  /// `sffnn.schedule` M, else the host's L1 data cache.
  uint32_t fastMemory = 0;
  /// Auto picks straight for kernels of at most this many operations.
  uint64_t straightLimit = kDefaultStraightLimit;
  /// The f32 lanes of the target's vector registers (16 with AVX-512, 8
  /// with AVX); 0: the host's (getHostVectorLanes).
  uint32_t vectorLanes = 0;
  /// B, the samples of one NAME_batch block (one plan value is a vector of
  /// B samples); 0: the plan modes take the one of 1, 2 and 4 x vectorLanes
  /// whose plan costs the fewest cycles per sample
  /// (getBlockCyclesPerSample), csr the largest of them whose frame fits the
  /// cache (csrFrameFitsCache), else the smallest. Samples left over run in
  /// blocks of min(B, 8), the last one padded.
  uint32_t batchBlock = 0;
  /// M of the batch plan in blocks; 0: getDefaultBatchFastMemory(B).
  uint32_t batchFastMemory = 0;
  /// How the single-sample loops kernel runs its rows.
  RowGroups rowGroups = RowGroups::Auto;
  /// Rows per tile of the NAME_batch loops kernel (rows that share sources
  /// run together, one column read feeding every row): 0 chooses from a
  /// cost model (docs/codegen.md, "Tiles"), 1 runs one row at a time.
  uint32_t batchTileRows = 0;
  /// Count loads and stores at run time in the globals NAME_io_loads and
  /// NAME_io_stores (int64_t; plan modes only).
  bool instrumentIO = false;
  /// The name of the functions; empty: the network's symbol name.
  std::string functionName;
};

/// Checks the sizes of `options`: fastMemory (words) and batchFastMemory
/// (blocks) 0 or at least kMinFastMemory, batchBlock at most
/// kMaxBatchBlock, batchTileRows at most kMaxBatchTileRows. Error: the first
/// violation, named as the option that sets it (e.g. "batch-tile-rows must
/// be at most 16, got 17").
llvm::Error checkLoweringOptions(const LoweringOptions &options);

/// What the lowering did, for reports and headers.
struct LoweringReport {
  std::string functionName;
  CodegenMode mode = CodegenMode::Auto;
  std::string strategy;
  uint32_t fastMemory = 0;
  uint32_t numInputs = 0;
  uint32_t numOutputs = 0;
  /// The function of the output vector run after each kernel; its work
  /// (three passes over the n_out outputs) is not part of the plan's I/O.
  OutputEpilogue epilogue = OutputEpilogue::None;
  /// The single-sample plan's I/O counts per inference, in words (plan
  /// modes).
  IOCounts planCounts;
  /// Where auto weighed csr against the plan's rows for NAME (the plan
  /// never evicts and no groups pay off): the frame misses of each kernel
  /// per sample, as the cache model counts them (getSampleCycles); else 0.
  uint64_t csrFrameMisses = 0;
  uint64_t planFrameMisses = 0;
  /// Kernel operations (plan modes) or rows (csr).
  uint64_t kernelOps = 0;
  /// Rows the single-sample loops kernel runs side by side, one per vector
  /// lane (1: one row at a time, or not a loops kernel), and the frame
  /// elements of its permute blocks (0: gathers only).
  uint32_t groupLanes = 1;
  uint32_t permuteBlock = 0;
  /// B (samples per block) and the batch plan's M (blocks).
  uint32_t batchBlock = 0;
  uint32_t batchFastMemory = 0;
  /// Rows per tile of the NAME_batch loops kernel (1: one row at a time, or
  /// not a loops kernel).
  uint32_t batchTileRows = 1;
  /// NAME_batch's kernel: the batch plan's row loops, or csr (the csr mode,
  /// or auto where no tiles pay off, csr's frame fits the cache and its
  /// order costs no more cycles: kLoopsRowCost).
  CodegenMode batchMode = CodegenMode::Csr;
  /// The order whose plan the batch figures are: the strategy's, or
  /// "layerwise" where auto runs NAME_batch as csr.
  std::string batchStrategy;
  /// Whether the batch plan evicts a value (spills, reloads an output or
  /// loads an input twice).
  bool batchPlanEvicts = false;
  /// The batch plan's I/O counts per block (plan modes): weight and bias
  /// words, and activation values of B words.
  IOCounts batchPlanCounts;
};

/// Replaces `network` by the two functions (see the file comment), inserted
/// before it in its module. The evaluation order is the `order` of the
/// network's `sffnn.schedule` attribute when present (and its M unless
/// `options.fastMemory` is set), else the two-optimal order; the batch plan
/// uses the same order. Emits an error and fails if the network cannot be
/// analysed or planned, or an M is below 3.
mlir::LogicalResult lowerNetworkToLoops(NetworkOp network,
                                        const LoweringOptions &options,
                                        LoweringReport *report = nullptr);

} // namespace sffnn

#endif // SFFNN_CONVERSION_SFFNNTOLOOPS_H

//===- Kernels.h - The kernel kinds and the ABI functions -------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the emitters of the three kernel kinds (straight-line
// plan code, plan row loops, layerwise CSR) and of the C ABI
// functions that run a kernel on one sample or on blocks of samples
// (docs/codegen.md). Private to the SFFNNToLoops conversion.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_KERNELS_H
#define SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_KERNELS_H

#include "Emitter.h"
#include "KernelProgram.h"

#include "sffnn/Conversion/SFFNNToLoops.h"

#include <memory>
#include <string>

namespace sffnn {
namespace detail {

/// Run-time I/O counters of an instrumented kernel (i64 globals; null when
/// not instrumented).
struct IOCounters {
  mlir::Value loads, stores;
};

/// Straight-line code (StraightKernel.cpp): one instruction per plan step,
/// slots are SSA values (registers after LLVM's allocator), weights are
/// constants.
void emitStraightKernel(Emitter &e, const KernelProgram &program,
                        mlir::Value inPtr, mlir::Value outPtr,
                        IOCounters counters);

/// How a kernel on blocks of samples runs its rows: one at a time, or in
/// tiles of rows that share sources (Rows.h, TileTables).
struct TileChoice {
  /// Rows per tile; 0 chooses from the cost model (LoopKernel.cpp) among
  /// the tiles whose accumulators fit the vector registers, and 1 runs one
  /// row at a time.
  unsigned rows = 1;
  /// Machine vectors per element (B / vector lanes): the cost model's and
  /// the register budget's unit.
  unsigned vectors = 1;
  /// The target's vector registers: a tile's accumulators (rows x vectors),
  /// its column and a weight must fit them.
  unsigned registers = 16;
};

/// Row loops (LoopKernel.cpp): the plan's neurons as rows (a dot product
/// of packed weights with frame elements: fast-memory slots, or slow-memory
/// values whose load is fused) preceded by their I/O events, in segments of
/// one activation (Rows.h); one row at a time, in groups of rows side by
/// side in the lanes of a vector (one sample), or in tiles of rows that
/// share sources (blocks of samples). Built once per program (its tables);
/// emitted into every function that runs the program, all reading the same
/// module globals `prefix`_*.
class LoopKernel {
public:
  /// With `groupLanes` > 1, the kernel may run groups of up to
  /// `groupLanes` rows (f32 elements only), as `groups` says; with
  /// RowGroups::Auto, when the cost model finds them faster than one row at
  /// a time. Permute columns need 16 lanes (AVX-512); RowGroups::Permute
  /// with fewer lanes runs gather columns only. Otherwise the kernel runs
  /// tiles of rows as `tiles` says (vector elements only).
  LoopKernel(mlir::MLIRContext *context, const KernelProgram &program,
             llvm::StringRef prefix, unsigned groupLanes = 0,
             RowGroups groups = RowGroups::None, TileChoice tiles = {});
  ~LoopKernel();

  /// Whether the kernel runs groups of rows, their lanes (1 when not) and
  /// the frame elements of a permute block (0 when none).
  bool isGrouped() const;
  unsigned getGroupLanes() const;
  unsigned getPermuteBlock() const;
  /// The rows of a tile (1 when the kernel runs no tiles).
  unsigned getTileRows() const;

  /// Emits the kernel on `e`'s element type, reading `inPtr` and writing
  /// `outPtr`; the tables are created at `moduleBuilder` on first use.
  void emit(Emitter &e, mlir::OpBuilder &moduleBuilder, mlir::Value inPtr,
            mlir::Value outPtr, IOCounters counters) const;

private:
  struct Tables;
  const KernelProgram &program;
  std::string prefix;
  std::unique_ptr<Tables> tables;
};

/// The elements of csr's buffer x: N neuron values and the zero x[N] that
/// padding entries read.
inline uint64_t getCsrFrameElements(const Graph &graph) {
  return uint64_t(graph.getNumNeurons()) + 1;
}

/// Layerwise CSR inference (CsrKernel.cpp): every neuron value lives in a
/// buffer x of getCsrFrameElements elements (x[N] = 0 for the padding); each
/// row reads its sources from x in `chains` partial sums (a power of two at
/// most kPartialSums). Not plan-based. The kernels of one sample and of blocks
/// with the same `chains` give the same bits. With `inIsFrame`, `inPtr` is a
/// writable buffer of at least getCsrFrameElements elements whose first n_in
/// hold the inputs (NAME_batch's staging buffer, emitBatchFunction's
/// `stagedElements`), and serves as x; else x is allocated and the inputs
/// copied into it.
void emitCsrKernel(Emitter &e, mlir::OpBuilder &moduleBuilder,
                   const Graph &graph, llvm::StringRef prefix,
                   mlir::Value inPtr, mlir::Value outPtr, unsigned chains,
                   bool inIsFrame);

/// The bytes of a cache line, the unit of the frame cache model below.
constexpr uint64_t kFrameLineBytes = 64;

/// The lines the frame cache model gives a kernel's frame when the plan has
/// M = `fastMemory` words: half of them (4 bytes each), the other half
/// holding the tables the kernel streams through the L1; at least 1.
inline uint64_t getFrameCacheLines(uint32_t fastMemory) {
  return std::max<uint64_t>(uint64_t(fastMemory) * 4 / 2 / kFrameLineBytes, 1);
}

/// The frame reads and writes of one sample's csr kernel (x[u] for each
/// input, then each row's sources and its own element, in layerwise order)
/// that miss a fully associative LRU cache of `cacheLines` lines of
/// kFrameLineBytes (FrameMisses.cpp), first touches included.
uint64_t countCsrFrameMisses(const Graph &graph, uint64_t cacheLines);

/// The same for one sample's loops kernel of `program`: the slot each
/// operation reads or writes (a mac's source; a load's, store's or
/// activation's slot; a continued accumulator's), in program order.
uint64_t countPlanFrameMisses(const KernelProgram &program,
                              uint64_t cacheLines);

/// The shape of NAME_batch's blocks.
struct BatchShape {
  /// Samples per full block: one plan value is a vector<blockSamples x f32>.
  uint32_t blockSamples = 16;
  /// Samples per block of the remainder (<= blockSamples), the last one
  /// padded with zeros.
  uint32_t remainderSamples = 8;
  /// The f32 lanes of one machine vector: the tile of the transposes
  /// between row-major samples and feature-major blocks (a power of two).
  uint32_t vectorLanes = 16;
};

/// `int32_t name(in, out)`: `kernel` on f32 elements (ABI.cpp); returns 0,
/// or ENOMEM when a heap buffer could not be allocated.
void emitSingleFunction(mlir::OpBuilder &moduleBuilder, mlir::Location loc,
                        llvm::StringRef name, const KernelBody &kernel);

/// `int32_t name(in, out, n)` (ABI.cpp), returning 0, ENOMEM or EINVAL
/// (n < 0): blocks of samples are transposed into
/// feature-major staging buffers, run through `kernel` on vector elements
/// and transposed back; full blocks of `shape.blockSamples` first, then
/// blocks of `shape.remainderSamples`. The input staging buffer `kernel`
/// receives holds `stagedElements` elements (at least numInputs): the
/// block's inputs first, then room the kernel may use as its own.
void emitBatchFunction(mlir::OpBuilder &moduleBuilder, mlir::Location loc,
                       llvm::StringRef name, const BatchShape &shape,
                       uint32_t numInputs, uint32_t numOutputs,
                       uint64_t stagedElements, const KernelBody &kernel);

/// `int32_t name_batch_parallel(in, out, n, threads)` and its worker
/// (BatchParallel.cpp): `name`_batch on contiguous ranges of whole blocks of
/// `blockSamples` samples, one per POSIX thread; returns 0, EINVAL (n < 0,
/// threads < 0 or > kMaxBatchThreads), pthread_create's error or the first
/// error of a range (ENOMEM).
void emitParallelFunction(mlir::OpBuilder &moduleBuilder, mlir::Location loc,
                          llvm::StringRef name, uint32_t blockSamples,
                          uint32_t numInputs, uint32_t numOutputs);

/// Applies `epilogue` to the `numOutputs` elements at `out` (element type
/// of `e`: one sample, or a block of samples lane by lane) after a kernel
/// has written them (Epilogue.cpp). Does nothing for OutputEpilogue::None.
void emitOutputEpilogue(Emitter &e, mlir::Value out, uint32_t numOutputs,
                        OutputEpilogue epilogue);

} // namespace detail
} // namespace sffnn

#endif // SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_KERNELS_H

//===- Emitter.h - Shared code emission for the kernels ---------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the Emitter that every kernel kind (straight, loops,
// csr) and the ABI functions build their code with, and the helpers for the
// read-only tables kernels stream. Private to the SFFNNToLoops conversion.
//
// Memory: arguments are bare `!llvm.ptr`s; tables are internal constant LLVM
// globals; fast memory and scratch buffers are 64-byte aligned stack
// allocations, or aligned_alloc'ed when larger than 64 KiB. The LLVM dialect
// is used for memory because the C ABI passes bare pointers to buffers whose
// sizes only the caller knows (`n` samples): a memref would need a
// descriptor built from a size the kernel cannot check.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_EMITTER_H
#define SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_EMITTER_H

#include "sffnn/Analysis/Graph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/MathExtras.h"

#include <functional>

namespace sffnn {
namespace detail {

/// Buffers up to this many bytes live on the stack; larger ones come from
/// aligned_alloc.
constexpr uint64_t kMaxStackBytes = 64 * 1024;
/// The alignment of every buffer, in bytes.
constexpr uint64_t kBufferAlignment = 64;
/// Independent partial sums per accumulator of one sample: a run of macs into
/// one accumulator is spread round-robin over this many chains so that
/// consecutive FMAs do not wait for each other's latency.
constexpr unsigned kPartialSums = 4;
static_assert(llvm::isPowerOf2_32(kPartialSums),
              "row kernels pad rows to kPartialSums macs, a multiple of "
              "every chain count");
/// Independent FMAs the loop kernels keep in flight: at least the FMA
/// latency (4 cycles) times the FMA units (2) of current x86 cores.
constexpr unsigned kFmasInFlight = 8;

/// Builds code inside one function for one element type: f32 for single
/// samples, vector<B x f32> for blocks of B samples (one value of the plan).
class Emitter {
public:
  /// `function` receives the allocations (at its entry) and their frees
  /// (freeBuffers, before its return); it may be null for emitters that do
  /// not allocate.
  Emitter(mlir::OpBuilder &builder, mlir::Location loc, mlir::Type elementType,
          mlir::func::FuncOp function = {});

  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Type elementType;
  mlir::Type ptrType;

  /// Samples per element: 1, or B for vector<B x f32>.
  unsigned getLanes() const;
  /// Bytes per element (4 x lanes).
  uint64_t getElementBytes() const { return 4 * getLanes(); }
  /// Partial sums per accumulator: kPartialSums for one sample; for blocks,
  /// enough chains of `vectorLanes`-lane FMAs to keep kFmasInFlight in
  /// flight (an element of B lanes is B / vectorLanes independent FMAs), at
  /// most kPartialSums.
  unsigned getPartialSums() const;
  /// The f32 lanes of one machine vector (for getPartialSums).
  unsigned vectorLanes = 16;

  mlir::Value i64(int64_t value);
  /// A constant of the element type (splat for vectors).
  mlir::Value constant(float value);
  /// Broadcasts a scalar f32 to the element type.
  mlir::Value splat(mlir::Value scalar);

  mlir::Value gep(mlir::Value base, mlir::Type type, mlir::Value index);
  /// Loads `type` at `base[index]`, assuming `alignment` bytes (0: the
  /// type's natural alignment is not assumed; 4 for f32 data).
  mlir::Value load(mlir::Type type, mlir::Value base, mlir::Value index,
                   unsigned alignment = 4);
  void store(mlir::Value value, mlir::Value base, mlir::Value index,
             unsigned alignment = 4);
  /// Loads or stores element `index` of a buffer of elements (staging, fast
  /// memory, spill area or x[N]): aligned to the element, at most 64 bytes.
  mlir::Value loadElement(mlir::Value base, mlir::Value index);
  void storeElement(mlir::Value value, mlir::Value base, mlir::Value index);
  /// Prefetches `base[index]` (elements of `type`) for reading into every
  /// cache level. Any index is allowed: a prefetch never faults, and the
  /// address is computed without `inbounds`.
  void prefetch(mlir::Value base, mlir::Type type, mlir::Value index);
  /// Loads entry `index` of an integer table and zero-extends it to i64.
  mlir::Value loadIndex(mlir::Value table, mlir::Type entryType,
                        mlir::Value index);

  /// A buffer of `count` elements (at least one), allocated once at the
  /// entry of the function: a stack allocation, or an aligned_alloc'ed block
  /// (freed by freeBuffers) when larger than kMaxStackBytes. Aligned to
  /// kBufferAlignment.
  mlir::Value allocate(uint64_t count);
  /// Frees the heap buffers; call right before the function returns.
  void freeBuffers();
  /// The heap buffers allocated so far (null where aligned_alloc failed).
  llvm::ArrayRef<mlir::Value> getHeapBuffers() const { return heapBuffers; }

  /// fma(a, x, acc) on the element type.
  mlir::Value fma(mlir::Value a, mlir::Value x, mlir::Value acc);
  /// Applies `activation` to `x`, as Activation::apply does.
  mlir::Value activate(mlir::Value x, const Activation &activation);
  /// `activate` for the kinds built from exp, erf and tanh (GELU, SiLU, ELU)
  /// and the hard sigmoid and swish.
  mlir::Value activateSmooth(mlir::Value x, const Activation &activation);
  /// x < bound ? bound : x (NaN x stays NaN).
  mlir::Value selectBelow(mlir::Value x, mlir::Value bound);
  /// erf(x) in f32 (Abramowitz and Stegun 7.1.26, absolute error below
  /// 1.5e-7).
  mlir::Value erf(mlir::Value x);

  /// Adds `amount` to the i64 global at `counter` atomically
  /// (instrumentation); does nothing when `counter` is null.
  void count(mlir::Value counter, int64_t amount);
  void count(mlir::Value counter, mlir::Value amount);

  /// An scf.for from `lo` to `hi` (i64) by `step` whose body `body` gets the
  /// induction variable and the iteration arguments and returns the values
  /// to yield (none when `init` is empty).
  mlir::scf::ForOp
  forLoop(mlir::Value lo, mlir::Value hi, mlir::Value step,
          mlir::ValueRange init,
          llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value,
                                                            mlir::ValueRange)>
              body);

private:
  mlir::func::FuncOp function;
  llvm::SmallVector<mlir::Value> heapBuffers;
};

/// Adds `values` pairwise: ((v0 + v1) + (v2 + v3)).
mlir::Value sumPairwise(Emitter &e, llvm::SmallVector<mlir::Value> values);

/// A loop over [begin, end) (a multiple of `unroll` long; `unroll` is raised
/// to `chains` and must be a multiple of it) that keeps `chains` partial
/// sums, the first starting at `acc` and the others at 0: `step(k, sum)`
/// returns sum plus the term of index k, and term k goes to sum k mod
/// `chains`. Returns the sums added pairwise.
mlir::Value
sumInChains(Emitter &e, mlir::Value begin, mlir::Value end, mlir::Value acc,
            unsigned chains,
            llvm::function_ref<mlir::Value(mlir::Value, mlir::Value)> step,
            unsigned unroll = 1);

/// One sample's rows get one partial sum per this many macs of a row, on
/// average (getSampleChains).
constexpr uint64_t kMacsPerChain = 2;
/// The partial sums of one sample's rows with `macs` macs over `rows` rows:
/// one per kMacsPerChain macs of a row on average (short rows overlap each
/// other's latency instead), at least 1 and at most kPartialSums, rounded
/// down to a power of two so that it divides the rows' padding.
unsigned getSampleChains(uint64_t macs, uint64_t rows);

/// The address, in `e`'s function, of the internal constant global array
/// `name` holding `values` (at least one element); it is created at
/// `moduleBuilder` unless the module has it already (the single and the
/// batch kernels of one program read the same tables).
mlir::Value getTableAddress(Emitter &e, mlir::OpBuilder &moduleBuilder,
                            llvm::StringRef name,
                            mlir::DenseElementsAttr values);

/// The narrowest of i8, i16, i32 and i64 that holds `maxValue`.
mlir::Type getIndexType(mlir::MLIRContext *context, uint64_t maxValue);

/// A dense integer attribute of `values` (at least one element: a 0 when
/// `values` is empty) with `type` elements.
mlir::DenseElementsAttr getIntTable(mlir::Type type,
                                    llvm::ArrayRef<uint64_t> values);
/// A dense f32 attribute of `values` (a 0 when empty).
mlir::DenseElementsAttr getFloatTable(mlir::MLIRContext *context,
                                      llvm::ArrayRef<float> values);

/// Emits a kernel reading `inPtr` and writing `outPtr`, both buffers of
/// `e`'s element type (feature-major for blocks of samples).
using KernelBody =
    std::function<void(Emitter &e, mlir::Value inPtr, mlir::Value outPtr)>;

} // namespace detail
} // namespace sffnn

#endif // SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_EMITTER_H

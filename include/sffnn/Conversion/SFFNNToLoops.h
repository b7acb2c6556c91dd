//===- SFFNNToLoops.h - Lower scheduled networks to loops -------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the lowering of an sffnn.network to executable code in
// the func, scf, arith, math, vector and llvm dialects: two functions with a
// bare-pointer C ABI (DESIGN.md section 2),
//
//   void NAME(const float *in, float *out);
//   void NAME_batch(const float *in, float *out, int64_t n);
//
// (row-major samples). The plan modes execute exactly the plan of the
// network's schedule (docs/codegen.md): `straight` emits one instruction per
// plan step with constant slots (slots become SSA values, i.e. registers),
// `loops` streams packed per-step tables in plan order through a small loop
// whose fast memory is a stack array. `csr` is the standard layer-by-layer
// CSR inference of the same network, for comparison.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_CONVERSION_SFFNNTOLOOPS_H
#define SFFNN_CONVERSION_SFFNNTOLOOPS_H

#include "sffnn/Analysis/Plan.h"
#include "sffnn/IR/SFFNNOps.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace sffnn {

/// How a network becomes code.
enum class CodegenMode : uint8_t {
  Auto,     ///< straight when the kernel is small, else loops
  Straight, ///< one instruction per plan step
  Loops,    ///< a loop over per-step tables in plan order
  Csr,      ///< layerwise CSR sparse matrix-vector products
};

/// Returns "auto", "straight", "loops" or "csr".
llvm::StringRef stringifyCodegenMode(CodegenMode mode);
std::optional<CodegenMode> symbolizeCodegenMode(llvm::StringRef name);

/// Options of the lowering.
struct LoweringOptions {
  CodegenMode mode = CodegenMode::Auto;
  /// M in words; 0 takes the network's `sffnn.schedule` M, else the host's
  /// L1 data cache.
  uint32_t fastMemory = 0;
  /// Auto picks straight for kernels of at most this many operations.
  uint64_t straightLimit = 20'000;
  /// Samples per vector in NAME_batch's full blocks (the SIMD width in f32
  /// lanes); 0: the host's vector width (getHostVectorLanes), at least 8.
  /// Samples left over run in blocks of min(batchLanes, 8), padded.
  uint32_t batchLanes = 0;
  /// Count loads and stores at run time in the globals NAME_io_loads and
  /// NAME_io_stores (int64_t; plan modes only).
  bool instrumentIO = false;
  /// The name of the functions; empty: the network's symbol name.
  std::string functionName;
};

/// What the lowering did, for reports and headers.
struct LoweringReport {
  std::string functionName;
  CodegenMode mode = CodegenMode::Auto;
  std::string strategy;
  uint32_t fastMemory = 0;
  uint32_t numInputs = 0;
  uint32_t numOutputs = 0;
  /// The plan's I/O counts per inference (plan modes).
  IOCounts planCounts;
  /// Kernel operations (plan modes) or rows (csr).
  uint64_t kernelOps = 0;
};

/// Replaces `network` by the two functions (see the file comment), inserted
/// before it in its module. The evaluation order is the `order` of the
/// network's `sffnn.schedule` attribute when present (and its M unless
/// `options.fastMemory` is set), else the two-opt order. Emits an error and
/// fails if the network cannot be analysed or planned.
mlir::LogicalResult lowerNetworkToLoops(NetworkOp network,
                                        const LoweringOptions &options,
                                        LoweringReport *report = nullptr);

} // namespace sffnn

#endif // SFFNN_CONVERSION_SFFNNTOLOOPS_H

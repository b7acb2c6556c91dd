//===- Baselines.h - Inference implementations users would pick -*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the common interface of every implementation that
// bench/BaselineBench.cpp times, and the factories of the library baselines:
// Eigen (sparse and dense) and SuiteSparse:GraphBLAS, each running the
// standard layer-by-layer inference of a `LayeredView`.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_BENCH_BASELINES_H
#define SFFNN_BENCH_BASELINES_H

#include "LayeredView.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>

namespace sffnn {
namespace bench {

/// One way of running a network.
class Inference {
public:
  virtual ~Inference();
  /// Runs `batch` samples: `in` holds batch x n_in floats and `out` receives
  /// batch x n_out floats, both sample-major (in[s * n_in + i]). Buffers may
  /// be reallocated internally when `batch` changes; the timed calls all use
  /// one batch size.
  virtual void run(const float *in, float *out, int64_t batch) = 0;
  /// The kernel that runs batches of more than one sample, where the
  /// implementation chooses one (sffnn: the lowering's `batch_codegen`,
  /// e.g. "loops" or "csr"); "" otherwise.
  virtual std::string getBatchKernel() const { return ""; }
  /// The kernel that runs one sample, where the implementation chooses one
  /// (sffnn: the lowering's `codegen`, e.g. "loops" or "csr"); "" otherwise.
  virtual std::string getSingleKernel() const { return ""; }
};

/// Eigen 3: one row-major `SparseMatrix<float>` per layer; each layer is one
/// sparse x dense product into a preallocated state (a vector of N values
/// for one sample, an N x batch row-major matrix for batches), then bias
/// and activation.
std::unique_ptr<Inference> createEigenSparse(const LayeredView &view);

/// Eigen 3 with dense row-major weight matrices, for scale. Errors: the
/// dense weights would take more than `maxBytes` bytes.
llvm::Expected<std::unique_ptr<Inference>>
createEigenDense(const LayeredView &view, uint64_t maxBytes);

/// SuiteSparse:GraphBLAS on one thread, as Graph Challenge entries run:
/// Y_l = W_l * Y_{l-1} with the PLUS_TIMES semiring on FP32 (one GrB_mxm
/// per layer, W_l stored by row, Y_l full and held by column, i.e. sample
/// by sample), then the bias (GrB_eWiseAdd) and the activation (GrB_apply).
/// Errors: GraphBLAS failures, a view that is not a chain of layers (a
/// layer reads earlier positions than the previous layer's), outputs that
/// are not all in the last layer, a layer whose rows mix activations, and
/// sigmoid, tanh and leaky ReLU, which have no built-in operator.
llvm::Expected<std::unique_ptr<Inference>>
createGraphBLAS(const LayeredView &view);

} // namespace bench
} // namespace sffnn

#endif // SFFNN_BENCH_BASELINES_H

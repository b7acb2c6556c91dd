//===- SparsifierBaseline.h - MLIR's sparse compiler as a baseline -*- C++ -*-//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares `SparsifierBaseline`, the benchmark baseline that runs a
// `LayeredView` the way an MLIR user would with MLIR's own sparse compiler:
// every layer's weight matrix is a tensor with the #sparse_tensor CSR
// encoding, multiplied by linalg.matvec (one sample) or by a matmul-shaped
// linalg.generic (a batch), the module is lowered by the sparsifier pipeline
// (what `mlir-opt --sparsifier="enable-runtime-library=false"` runs) and
// JIT-compiled with `sffnn::JitModule`.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_BENCH_SPARSIFIERBASELINE_H
#define SFFNN_BENCH_SPARSIFIERBASELINE_H

#include "Baselines.h"
#include "LayeredView.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace sffnn {
class JitModule;

namespace bench {

/// A network compiled by MLIR's sparsifier. The weights, biases and
/// activations are compiled in as constants (the CSR arrays of each layer
/// become a `sparse_tensor.assemble` of constant tensors, so no conversion
/// happens at run time and no sparse runtime library is needed). The
/// generated functions take every buffer as an argument: a call allocates
/// nothing, except that `run` grows its scratch buffer the first time it sees
/// a larger batch. Not thread-safe: calls share the scratch buffer.
class SparsifierBaseline : public Inference {
public:
  ~SparsifierBaseline() override;

  /// Builds, sparsifies and JIT-compiles `view` (any activation kind, any
  /// layered view, chains or not). Compiling is O(W) in time and memory.
  /// Errors: the sparsifier pipeline or the JIT fails (with its
  /// diagnostics).
  static llvm::Expected<std::unique_ptr<SparsifierBaseline>>
  create(const LayeredView &view);

  /// Runs `batch` samples (batch >= 0; 0 does nothing). `in` holds batch x
  /// numInputs floats and `out` receives batch x numOutputs floats, both
  /// sample-major (in[s * numInputs + i], out[s * numOutputs + k], output k
  /// being the position view.outputPositions[k]). A batch of 1 runs the
  /// linalg.matvec function, larger batches the batched one.
  void run(const float *in, float *out, int64_t batch) override;

private:
  SparsifierBaseline() = default;

  std::unique_ptr<JitModule> jit;
  /// `_mlir_ciface_` entry points of the single-sample and batched functions.
  void *singleFunction = nullptr;
  void *batchFunction = nullptr;
  uint32_t numInputs = 0, numOutputs = 0;
  /// Floats of scratch per sample (layer results and gathered inputs).
  uint64_t scratchPerSample = 0;
  std::vector<float> scratch;
};

} // namespace bench
} // namespace sffnn

#endif // SFFNN_BENCH_SPARSIFIERBASELINE_H

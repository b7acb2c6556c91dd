//===- BenchSupport.h - What the benchmarks share ---------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the helpers the benchmarks share: compiling a graph
// with sffnn's pipeline into JIT-compiled functions, loading a network file
// into a graph, deterministic inputs and the normwise output check.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_BENCH_BENCHSUPPORT_H
#define SFFNN_BENCH_BENCHSUPPORT_H

#include "Baselines.h"

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Target/Jit.h"

#include "mlir/IR/MLIRContext.h"

#include <benchmark/benchmark.h>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace sffnn {
namespace bench {

/// How sffnn compiles a network: a scheduler (`strategy`: anneal, two-optimal,
/// greedy, layerwise) and a code generation mode (`codegen`: auto,
/// straight, loops, csr), as `sffnn-compile` takes them.
struct SffnnVariant {
  std::string strategy;
  std::string codegen;
  uint64_t iterations = 20000; ///< Annealing moves.
  uint32_t batchBlock = 0;     ///< Samples per batch block (0: the default).
  uint32_t fastMemory = 0;     ///< M in words (0: the host's default).
};

/// A network compiled by sffnn into native code in memory (JIT, -O3, host
/// CPU), usable as an `Inference`.
class SffnnInference : public Inference {
public:
  /// Lowers and compiles `graph` with `variant` at the host's default M.
  /// Errors: lowering or JIT failures.
  static llvm::Expected<std::unique_ptr<SffnnInference>>
  create(const Graph &graph, const SffnnVariant &variant);
  /// Loads `name` and `name_batch` from the shared library `path`, linked
  /// from an object file `sffnn-compile` wrote (for runs under valgrind,
  /// where compiling in process would dominate). Errors: the library or a
  /// symbol cannot be loaded.
  static llvm::Expected<std::unique_ptr<SffnnInference>>
  load(llvm::StringRef path, llvm::StringRef name);
  ~SffnnInference() override;

  void run(const float *in, float *out, int64_t batch) override;
  /// Batches of more than one sample run on `threads` threads through
  /// NAME_batch_parallel (0: the online cores); 1, the default, calls
  /// NAME_batch. A failed call (ENOMEM, a thread not started) aborts the
  /// process.
  void setThreads(int32_t threads) { this->threads = threads; }
  /// The lowering's `batch_codegen` (created builds; "" for loaded ones).
  std::string getBatchKernel() const override { return batchKernel; }
  /// The lowering's `codegen` (created builds; "" for loaded ones).
  std::string getSingleKernel() const override { return singleKernel; }

private:
  SffnnInference();
  std::unique_ptr<mlir::MLIRContext> context;
  std::unique_ptr<JitModule> jit;
  SingleFunction single = nullptr;
  BatchFunction batch = nullptr;
  ParallelBatchFunction parallel = nullptr;
  int32_t threads = 1;
  std::string batchKernel, singleKernel;
};

/// The timed loop of an inference benchmark: `inference` on `batch` inputs
/// of `graph` (makeInputs) per iteration, with the counters
/// samples_per_second and connections_per_second.
void runBatches(benchmark::State &state, Inference &inference,
                const Graph &graph, int64_t batch);

/// True if straight-line code for `graph` stays within the pipeline's
/// default straight-line limit (it grows with the network).
bool fitsStraightLine(const Graph &graph);

/// Loads the single network of `path` (.mlir, .mlirbc or .onnx) as a
/// finalized graph. Errors: the file's diagnostics, as one message.
llvm::Expected<Graph> loadGraph(llvm::StringRef path);

/// `samples` x `numInputs` inputs, uniform in [-1, 1), from a fixed seed.
std::vector<float> makeInputs(uint32_t numInputs, int64_t samples);

/// The outputs of `graph` for `samples` sample-major inputs, computed by
/// the double-precision reference evaluator (Graph::evaluate) and rounded.
std::vector<float> evaluateReference(const Graph &graph,
                                     llvm::ArrayRef<float> inputs,
                                     int64_t samples);

/// Checks `actual` against `expected` normwise: |a - e| <= tolerance *
/// max(1, max |e|) for every element. Errors name `what` and the first
/// offending element.
llvm::Error checkOutputs(llvm::ArrayRef<float> expected,
                         llvm::ArrayRef<float> actual, double tolerance,
                         llvm::StringRef what);

} // namespace bench
} // namespace sffnn

#endif // SFFNN_BENCH_BENCHSUPPORT_H

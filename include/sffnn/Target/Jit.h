//===- Jit.h - Run lowered networks in memory -------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares JitModule, which compiles a module in the LLVM dialect
// (the output of the sffnn-lower-to-llvm pipeline) in memory with MLIR's
// ExecutionEngine (ORC JIT, -O3, host CPU) and hands out the generated
// functions with their C ABI (docs/codegen.md, "ABI"). sffnn-run and the tests
// use it.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_JIT_H
#define SFFNN_TARGET_JIT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>

namespace mlir {
class ExecutionEngine;
class DialectRegistry;
} // namespace mlir

namespace sffnn {

/// `int32_t NAME(const float *in, float *out)`: 0, or an errno value
/// (docs/codegen.md, "ABI").
using SingleFunction = int32_t (*)(const float *, float *);
/// `int32_t NAME_batch(const float *in, float *out, int64_t n)`.
using BatchFunction = int32_t (*)(const float *, float *, int64_t);
/// `int32_t NAME_batch_parallel(const float *in, float *out, int64_t n,
/// int32_t threads)`: 0, or an errno value (docs/codegen.md, "Threads").
using ParallelBatchFunction = int32_t (*)(const float *, float *, int64_t,
                                          int32_t);

/// Registers what translating the LLVM dialect to LLVM IR needs.
void registerLLVMTranslations(mlir::DialectRegistry &registry);

/// A module compiled in memory.
class JitModule {
public:
  ~JitModule();

  /// Compiles `module` (in the LLVM dialect; its context must have the LLVM
  /// translations registered). Errors: translation or JIT failures.
  static llvm::Expected<std::unique_ptr<JitModule>>
  create(mlir::ModuleOp module);

  /// The functions and counters generated for network NAME. Errors: no such
  /// symbol.
  llvm::Expected<SingleFunction> getSingle(llvm::StringRef name) const;
  llvm::Expected<BatchFunction> getBatch(llvm::StringRef name) const;
  llvm::Expected<ParallelBatchFunction>
  getParallelBatch(llvm::StringRef name) const;
  /// The i64 global NAME_io_loads or NAME_io_stores of an instrumented build.
  llvm::Expected<int64_t *> getCounter(llvm::StringRef name,
                                       llvm::StringRef which) const;
  /// The address of any symbol of the module. Errors: no such symbol.
  llvm::Expected<void *> lookup(llvm::StringRef symbol) const;

private:
  explicit JitModule(std::unique_ptr<mlir::ExecutionEngine> engine);

  std::unique_ptr<mlir::ExecutionEngine> engine;
};

} // namespace sffnn

#endif // SFFNN_TARGET_JIT_H

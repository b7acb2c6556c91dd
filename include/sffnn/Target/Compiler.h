//===- Compiler.h - Networks to object files and C headers ------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the back end of sffnn-compile: translating a module in
// the LLVM dialect to LLVM IR, optimizing it (-O3) and emitting assembly or
// an object file with LLVM's TargetMachine for the host CPU (or generic
// x86-64), and writing the C header and the I/O report of each network.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_COMPILER_H
#define SFFNN_TARGET_COMPILER_H

#include "sffnn/Analysis/Graph.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sffnn {

/// What the back end emits: a shared library is the object file linked by
/// the system C compiler driver (linkSharedLibrary).
enum class EmitKind { Mlir, Llvm, Asm, Obj, Shared };

/// Creates the target machine for `triple` (empty: the host's; any triple
/// LLVM has a target for, e.g. aarch64-linux-gnu, for cross compilation)
/// and `cpu`: "host" (the host CPU and its features; the host's triple
/// only), "generic" (x86-64 without extensions beyond the baseline, or the
/// triple's generic CPU elsewhere) or any CPU name LLVM knows for the
/// triple (e.g. x86-64-v3, znver4, neoverse-v1), as clang's -mcpu takes.
/// Position-independent code, -O3. Errors: no registered target, "host"
/// for another triple, or a CPU name the target does not know.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(llvm::StringRef cpu, llvm::StringRef triple = "");

/// The f32 lanes of `machine`'s widest vector registers: on x86, 16 with
/// AVX-512F, 8 with AVX, else 4; 4 on other targets.
uint32_t getVectorLanes(const llvm::TargetMachine &machine);

/// Whether LLVM's SLP vectorizer runs on the LLVM IR of `module`: where a
/// network was lowered to straight-line code (its `sffnn.lowered` report
/// says `codegen = "straight"`), and on modules sffnn did not lower. The
/// other kernels are vector code where they want vectors; in the scalar
/// rows of the loops kernel the vectorizer turns the independent partial
/// sums into 4-lane gathers, measured 1.2x slower (docs/codegen.md, "FMA
/// latency").
bool shouldVectorizeSLP(mlir::ModuleOp module);

/// Returns a function that runs LLVM's -O3 pipeline for `machine` (not
/// null; it must outlive the function) on a module, with the SLP
/// vectorizer only where `vectorizeSLP` says: mlir::makeOptimizingTransformer
/// with that one tuning option. Never fails.
std::function<llvm::Error(llvm::Module *)>
makeOptimizer(llvm::TargetMachine *machine, bool vectorizeSLP);

/// Translates `module` (LLVM dialect) to LLVM IR for `machine` and runs the
/// -O3 pipeline on it (makeOptimizer, shouldVectorizeSLP). Errors:
/// translation failures.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &machine);

/// Writes `module` as assembly or as an object file. Errors: the target
/// cannot emit that file type.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            llvm::raw_pwrite_stream &os, bool assembly);

/// Links the object file `objectPath` into the shared library `outputPath`
/// with the C compiler driver `cc` found on PATH (`cc -shared`, with libm
/// and POSIX threads). The object defines no global symbol but the
/// network's functions and counters, so those are all the library exports.
/// Errors: no `cc`, or the link fails (its exit status).
llvm::Error linkSharedLibrary(llvm::StringRef objectPath,
                              llvm::StringRef outputPath);

/// The figures of one compiled network, for the header and the reports.
/// Units: words per inference.
struct NetworkReport {
  std::string name;
  std::string source;
  std::string strategy;
  std::string codegen;
  std::string cpu;
  /// The output epilogue ("none", "softmax", "log_softmax"): run after the
  /// plan on the n_out stored outputs, not counted in the plan's I/O.
  std::string epilogue = "none";
  uint64_t fastMemory = 0;
  uint64_t numNeurons = 0, numInputs = 0, numUsedInputs = 0, numComputed = 0,
           numOutputs = 0, numConnections = 0, numNonZeroBiases = 0;
  uint64_t lowerBound = 0, activationLowerBound = 0;
  uint64_t twoOptimalCost = 0, closedFormUpperBound = 0;
  /// The plan's cost, loads and stores (0 for --codegen csr, which runs no
  /// plan; auto's csr kernels run in place of a plan and move its words).
  uint64_t planCost = 0, planActivationCost = 0, planLoads = 0, planStores = 0;
  /// Whether the network was planned: every mode but --codegen csr. A plan
  /// stores at least its n_out >= 1 outputs, so its cost is never 0.
  bool hasPlan() const { return planCost != 0; }
  uint64_t kernelOps = 0;
  /// Where auto weighed csr against the plan's rows for NAME: each kernel's
  /// frame misses per sample in the L1 cache model (docs/codegen.md,
  /// "Choosing a mode"); else 0.
  uint64_t csrFrameMisses = 0, planFrameMisses = 0;
  /// The single-sample loops kernel's rows side by side (1: one at a time)
  /// and its permute block (0: none; docs/codegen.md, "Groups of rows").
  uint64_t groupLanes = 1, permuteBlock = 0;
  /// NAME_batch: samples per block B, the batch plan's M in blocks, and its
  /// loads and stores per block: weight and bias words, and activation
  /// values of B words (docs/io-model.md, section 9).
  uint64_t batchBlock = 0, batchFastMemory = 0, batchPlanCost = 0,
           batchPlanActivationCost = 0;
  /// NAME_batch's rows per tile (1: one row at a time; docs/codegen.md,
  /// "Tiles").
  uint64_t batchTileRows = 1;
  /// NAME_batch's kernel: "loops" or "csr" (docs/codegen.md, "Batch").
  std::string batchCodegen = "csr";
  /// The order of the batch figures: the strategy's, or "layerwise" where
  /// auto runs NAME_batch as csr.
  std::string batchStrategy;
  /// Whether the batch plan evicts a value.
  bool batchPlanEvicts = false;
  bool instrumented = false;
  /// The sizes of the network's tensor arguments and results (they add up
  /// to the inputs and outputs), in order.
  std::vector<uint32_t> argumentSizes, resultSizes;
  /// The type weights are stored in ("f32").
  std::string weightType = "f32";
  /// The names and shapes of the model's input and output tensors: the
  /// network's signature, else "input" and "output" of shapes [n_in] and
  /// [n_out].
  ModelSignature signature;
};

/// The version of the generated functions' ABI and of `struct NAME_info`
/// (NAME_ABI_VERSION in the header; NAME_get_info()->abi_version). Version 2
/// appended the input and output names and shapes to `struct NAME_info`;
/// the fields of version 1 keep their offsets.
constexpr int32_t kModelAbiVersion = 2;

/// Adds to `module` (in the LLVM dialect, after lowering) the constant
/// `struct NAME_info` described by `report` and the function
/// `const struct NAME_info *NAME_get_info(void)` (ModelInfo.cpp); the
/// header of writeCHeader declares both.
void addModelInfo(mlir::ModuleOp module, const NetworkReport &report);

/// Writes the C header declaring NAME, NAME_batch, NAME_batch_parallel and
/// NAME_get_info, the sizes, the input and output names and shapes, the ABI
/// version, the target CPU, the weight type, the instrumentation counters
/// when present, and the report as comments.
void writeCHeader(llvm::raw_ostream &os, const NetworkReport &report);

/// Writes the report as a table.
void writeReportTable(llvm::raw_ostream &os, const NetworkReport &report);

/// Writes the report as one JSON object (keys documented in
/// docs/codegen.md).
void writeReportJson(llvm::raw_ostream &os, const NetworkReport &report);

} // namespace sffnn

#endif // SFFNN_TARGET_COMPILER_H

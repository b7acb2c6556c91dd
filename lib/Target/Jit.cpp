//===- Jit.cpp - Run lowered networks in memory ---------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements JitModule on MLIR's ExecutionEngine.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/Jit.h"
#include "sffnn/Target/Compiler.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace sffnn;

void sffnn::registerLLVMTranslations(mlir::DialectRegistry &registry) {
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
}

JitModule::JitModule(std::unique_ptr<mlir::ExecutionEngine> engine)
    : engine(std::move(engine)) {}

JitModule::~JitModule() = default;

llvm::Expected<std::unique_ptr<JitModule>>
JitModule::create(mlir::ModuleOp module) {
  static const bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  mlir::ExecutionEngineOptions options;
  // The host's target machine, as sffnn-compile --target-cpu=host uses:
  // without it, LLVM's IR optimizations see a generic target (no AVX, no
  // gathers) and make other choices than for the object file.
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine("host");
  if (!machine)
    return machine.takeError();
  auto transformer = makeOptimizer(machine->get(), shouldVectorizeSLP(module));
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = mlir::ExecutionEngine::create(module, options);
  if (!engine)
    return engine.takeError();
  return std::unique_ptr<JitModule>(new JitModule(std::move(*engine)));
}

llvm::Expected<void *> JitModule::lookup(llvm::StringRef symbol) const {
  return engine->lookup(symbol);
}

llvm::Expected<SingleFunction>
JitModule::getSingle(llvm::StringRef name) const {
  llvm::Expected<void *> address = lookup(name);
  if (!address)
    return address.takeError();
  return reinterpret_cast<SingleFunction>(*address);
}

llvm::Expected<BatchFunction> JitModule::getBatch(llvm::StringRef name) const {
  llvm::Expected<void *> address = lookup((name + "_batch").str());
  if (!address)
    return address.takeError();
  return reinterpret_cast<BatchFunction>(*address);
}

llvm::Expected<ParallelBatchFunction>
JitModule::getParallelBatch(llvm::StringRef name) const {
  llvm::Expected<void *> address = lookup((name + "_batch_parallel").str());
  if (!address)
    return address.takeError();
  return reinterpret_cast<ParallelBatchFunction>(*address);
}

llvm::Expected<int64_t *> JitModule::getCounter(llvm::StringRef name,
                                                llvm::StringRef which) const {
  llvm::Expected<void *> address = lookup((name + "_io_" + which).str());
  if (!address)
    return address.takeError();
  return static_cast<int64_t *>(*address);
}

//===- Compiler.cpp - Networks to object files and C headers --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the back end of sffnn-compile on LLVM's
// TargetMachine, and the C header and report writers.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/Compiler.h"
#include "sffnn/Conversion/Passes.h"
#include "sffnn/Conversion/SFFNNToLoops.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/PassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace sffnn;

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
sffnn::createTargetMachine(llvm::StringRef cpuName,
                           llvm::StringRef tripleName) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  const std::string hostTriple = llvm::sys::getDefaultTargetTriple();
  llvm::Triple triple(llvm::Triple::normalize(
      tripleName.empty() ? llvm::StringRef(hostTriple) : tripleName));
  const bool cross = triple != llvm::Triple(hostTriple);
  if (cross) {
    // Cross compilation: every target LLVM was built with.
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
  }
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no target for " + triple.str() + ": " +
                                       error);
  if (cross && cpuName == "host")
    return llvm::createStringError("--target-cpu host is the host's CPU; for " +
                                   triple.str() +
                                   " give generic or a CPU of that target");
  const bool host = cpuName == "host";
  std::string cpu = host ? llvm::sys::getHostCPUName().str()
                    : cpuName == "generic"
                        ? (triple.isX86() ? "x86-64" : "generic")
                        : cpuName.str();
  // Asked of the default subtarget: one for an unknown CPU would print
  // LLVM's own warning first.
  std::unique_ptr<llvm::MCSubtargetInfo> subtargetInfo(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!subtargetInfo || !subtargetInfo->isCPUStringValid(cpu))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "unknown CPU '" + cpu + "' for " +
                                       triple.str());
  std::string features;
  if (host) {
    llvm::SubtargetFeatures subtarget;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      subtarget.AddFeature(feature.getKey(), feature.getValue());
    features = subtarget.getString();
  } else if (triple.getArch() == llvm::Triple::x86_64) {
    // Some CPU names (x86-64-v3) do not imply 64-bit mode by themselves.
    features = "+64bit";
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot create a target machine for " +
                                       triple.str() + " (" + cpu + ")");
  return machine;
}

uint32_t sffnn::getVectorLanes(const llvm::TargetMachine &machine) {
  // Other targets: 128-bit vectors (NEON, SSE-like), the kernels' minimum.
  if (!machine.getTargetTriple().isX86())
    return 4;
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (info->checkFeatures("+avx512f"))
    return 16;
  if (info->checkFeatures("+avx"))
    return 8;
  return 4;
}

bool sffnn::shouldVectorizeSLP(mlir::ModuleOp module) {
  auto lowered = module->getAttrOfType<mlir::ArrayAttr>(kLoweredAttrName);
  if (!lowered)
    return true;
  return llvm::any_of(lowered, [](mlir::Attribute entry) {
    auto report = llvm::dyn_cast<mlir::DictionaryAttr>(entry);
    auto codegen = report ? report.getAs<mlir::StringAttr>("codegen") : nullptr;
    return codegen && codegen.getValue() == "straight";
  });
}

std::function<llvm::Error(llvm::Module *)>
sffnn::makeOptimizer(llvm::TargetMachine *machine, bool vectorizeSLP) {
  return [machine, vectorizeSLP](llvm::Module *module) -> llvm::Error {
    llvm::LoopAnalysisManager loops;
    llvm::FunctionAnalysisManager functions;
    llvm::CGSCCAnalysisManager sccs;
    llvm::ModuleAnalysisManager modules;
    llvm::PipelineTuningOptions tuning;
    tuning.LoopUnrolling = true;
    tuning.LoopInterleaving = true;
    tuning.LoopVectorization = true;
    tuning.SLPVectorization = vectorizeSLP;
    llvm::PassBuilder builder(machine, tuning);
    builder.registerModuleAnalyses(modules);
    builder.registerCGSCCAnalyses(sccs);
    builder.registerFunctionAnalyses(functions);
    builder.registerLoopAnalyses(loops);
    builder.crossRegisterProxies(loops, functions, sccs, modules);
    llvm::ModulePassManager passes =
        builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
    passes.run(*module, modules);
    return llvm::Error::success();
  };
}

llvm::Expected<std::unique_ptr<llvm::Module>>
sffnn::translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                            llvm::TargetMachine &machine) {
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot translate the module to LLVM IR");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  auto optimize = makeOptimizer(&machine, shouldVectorizeSLP(module));
  if (llvm::Error error = optimize(llvmModule.get()))
    return std::move(error);
  return llvmModule;
}

llvm::Error sffnn::emitMachineCode(llvm::Module &module,
                                   llvm::TargetMachine &machine,
                                   llvm::raw_pwrite_stream &os, bool assembly) {
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr,
                                  assembly ? llvm::CodeGenFileType::AssemblyFile
                                           : llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the target cannot emit this file type");
  pm.run(module);
  return llvm::Error::success();
}

static std::string ratio(uint64_t value, uint64_t base) {
  std::string text;
  llvm::raw_string_ostream(text)
      << llvm::format("%.3f", base ? double(value) / double(base) : 1.0);
  return text;
}

/// `text` made safe inside a C comment: no "*/", no line breaks.
static std::string getCommentText(llvm::StringRef text) {
  std::string safe;
  for (char c : text) {
    if (c == '\n' || c == '\r')
      c = ' ';
    if (c == '/' && !safe.empty() && safe.back() == '*')
      safe += ' ';
    safe += c;
  }
  return safe;
}

/// `text` as a C string literal: printable ASCII as is but for the quote,
/// the backslash and the question mark (no trigraphs), which are escaped,
/// and every other byte as a three-digit octal escape.
static std::string getCStringLiteral(llvm::StringRef text) {
  std::string literal = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\' || c == '?') {
      literal += '\\';
      literal += char(c);
    } else if (c >= 0x20 && c < 0x7f) {
      literal += char(c);
    } else {
      literal += '\\';
      for (int shift : {6, 3, 0})
        literal += char('0' + ((c >> shift) & 7));
    }
  }
  return literal + "\"";
}

/// `values` separated by ", ".
template <typename T> static std::string join(const std::vector<T> &values) {
  std::string text;
  for (T value : values)
    text += (text.empty() ? "" : ", ") + std::to_string(value);
  return text;
}

llvm::Error sffnn::linkSharedLibrary(llvm::StringRef objectPath,
                                     llvm::StringRef outputPath) {
  llvm::ErrorOr<std::string> cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    return llvm::createStringError(
        "cannot link a shared library: no C compiler driver 'cc' on PATH");
  llvm::SmallVector<llvm::StringRef> args = {
      *cc, "-shared", "-o", outputPath, objectPath, "-lm", "-pthread"};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*cc, args, /*Env=*/std::nullopt,
                                         /*Redirects=*/{}, /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &message);
  if (status != 0)
    return llvm::createStringError(
        "cannot link '" + outputPath + "' with " + *cc + ": " +
        (message.empty() ? "exit status " + std::to_string(status) : message));
  return llvm::Error::success();
}

void sffnn::writeCHeader(llvm::raw_ostream &os, const NetworkReport &r) {
  std::string guard = "SFFNN_" + llvm::StringRef(r.name).upper() + "_H";
  os << "/* " << r.name << ".h: generated by sffnn-compile from "
     << getCommentText(r.source) << ". */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* I/O report, in words (4-byte floats) per inference:\n"
     << " *   fast memory M           " << r.fastMemory << "\n"
     << " *   lower bound LB          " << r.lowerBound << " (activation "
     << r.activationLowerBound << ")\n";
  if (r.hasPlan())
    os << " *   plan cost               " << r.planCost << " (activation "
       << r.planActivationCost << "), " << ratio(r.planCost, r.lowerBound)
       << " x LB\n"
       << " *   batch: blocks of " << r.batchBlock
       << " samples, M_B = " << r.batchFastMemory << " blocks, plan cost "
       << r.batchPlanCost << " moves per block (activation "
       << r.batchPlanActivationCost << " of " << r.batchBlock << " words)\n";
  os << " *   two-optimal plan cost   " << r.twoOptimalCost << "\n"
     << " *   closed-form bound       " << r.closedFormUpperBound << "\n"
     << " *   strategy " << r.strategy << ", codegen " << r.codegen << ", cpu "
     << r.cpu << "\n"
     << " *   N = " << r.numNeurons << ", W = " << r.numConnections
     << ", B = " << r.numNonZeroBiases << ", n_in' = " << r.numUsedInputs
     << "\n */\n\n"
     << "#define " << llvm::StringRef(r.name).upper() << "_NUM_INPUTS "
     << r.numInputs << "\n"
     << "#define " << llvm::StringRef(r.name).upper() << "_NUM_OUTPUTS "
     << r.numOutputs << "\n";
  // The report's figures as macros, for programs that print them.
  std::string prefix = llvm::StringRef(r.name).upper();
  auto figure = [&](llvm::StringRef suffix, uint64_t value) {
    os << "#define " << prefix << "_" << suffix << " " << value << "\n";
  };
  figure("FAST_MEMORY", r.fastMemory);
  figure("LOWER_BOUND", r.lowerBound);
  figure("ACTIVATION_LOWER_BOUND", r.activationLowerBound);
  figure("PLAN_COST", r.planCost);
  figure("PLAN_ACTIVATION_COST", r.planActivationCost);
  figure("BATCH_BLOCK", r.batchBlock);
  figure("ABI_VERSION", kModelAbiVersion);
  os << "#define " << prefix << "_TARGET_CPU " << getCStringLiteral(r.cpu)
     << "\n"
     << "#define " << prefix << "_WEIGHT_TYPE "
     << getCStringLiteral(r.weightType) << "\n";
  // The model's input and output tensors.
  os << "\n/* The model's input and output: in holds one sample of the input\n"
     << " * per row, out one sample of the output. Dimension 0 of a shape of\n"
     << " * rank 2 or more is the batch (-1: dynamic). */\n";
  for (auto [role, tensor] : {std::pair("INPUT", &r.signature.input),
                              std::pair("OUTPUT", &r.signature.output)}) {
    std::string macro = prefix + "_" + role;
    os << "#define " << macro << "_NAME " << getCStringLiteral(tensor->name)
       << "\n"
       << "#define " << macro << "_RANK " << tensor->shape.size() << "\n"
       << "#define " << macro << "_SHAPE {" << join(tensor->shape) << "}\n";
  }
  os << "\n"
     << "/* Every function returns 0, or an errno value: ENOMEM when memory\n"
     << " * for the fast memory, spill or staging buffers could not be\n"
     << " * allocated (nothing is computed), EINVAL for bad arguments. */\n\n"
     << "/* One sample: in[" << r.numInputs << "] -> out[" << r.numOutputs
     << "]" << (r.epilogue == "none" ? "" : ", then " + r.epilogue + " of out")
     << ". */\n"
     << "int32_t " << r.name << "(const float *in, float *out);\n\n"
     << "/* n samples, row-major: in[n][" << r.numInputs << "] -> out[n]["
     << r.numOutputs << "]; EINVAL when n < 0. Safe to call\n"
     << " * concurrently on disjoint ranges, e.g. from an application's own\n"
     << " * thread pool. */\n"
     << "int32_t " << r.name
     << "_batch(const float *in, float *out, int64_t n);\n\n"
     << "/* " << r.name
     << "_batch on `threads` POSIX threads (0: every online\n"
     << " * core, at most " << kMaxBatchThreads
     << "), each taking whole blocks of " << r.batchBlock << " samples;\n"
     << " * the same results as " << r.name
     << "_batch. EINVAL when n < 0 or threads is out of\n"
     << " * range; pthread_create's error when a thread cannot be started;\n"
     << " * nothing is written past out. */\n"
     << "int32_t " << r.name
     << "_batch_parallel(const float *in, float *out, int64_t n,\n"
     << "                int32_t threads);\n";
  // struct NAME_info: the layout addModelInfo emits.
  os << "\n/* The model, for programs that load the library dynamically:\n"
     << " * arguments of " << join(r.argumentSizes) << " floats, results of "
     << join(r.resultSizes) << " floats. Fields are only ever appended:\n"
     << " * those of ABI version 1 end at codegen. */\n"
     << "struct " << r.name << "_info {\n"
     << "  int32_t abi_version;  /* " << prefix << "_ABI_VERSION */\n"
     << "  int32_t num_inputs;   /* floats per sample in and out */\n"
     << "  int32_t num_outputs;\n"
     << "  int32_t batch_block;  /* samples per block of " << r.name
     << "_batch */\n"
     << "  int32_t num_arguments, num_results;\n"
     << "  const int32_t *argument_sizes, *result_sizes; /* floats each */\n"
     << "  int64_t fast_memory;  /* M, words */\n"
     << "  int64_t lower_bound, plan_cost; /* I/O words per inference */\n"
     << "  const char *name, *target_cpu, *weight_type, *strategy, "
        "*codegen;\n"
     << "  /* ABI version 2: " << prefix << "_INPUT_NAME, _RANK, _SHAPE and "
     << "the same for\n   * the output. */\n"
     << "  const char *input_name, *output_name;\n"
     << "  int32_t input_rank, output_rank;\n"
     << "  const int64_t *input_shape, *output_shape;\n"
     << "};\n"
     << "const struct " << r.name << "_info *" << r.name
     << "_get_info(void);\n";
  if (r.instrumented)
    os << "\n/* Loads and stores counted at run time (--instrument-io). */\n"
       << "extern int64_t " << r.name << "_io_loads;\n"
       << "extern int64_t " << r.name << "_io_stores;\n";
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}

void sffnn::writeReportTable(llvm::raw_ostream &os, const NetworkReport &r) {
  os << "network " << r.name << " (" << r.source << ")\n";
  auto row = [&](llvm::StringRef label, const llvm::Twine &value) {
    os << llvm::format("  %-24s ", label.str().c_str()) << value << "\n";
  };
  row("neurons N", llvm::Twine(r.numNeurons));
  row("inputs n_in (used)",
      llvm::Twine(r.numInputs) + " (" + llvm::Twine(r.numUsedInputs) + ")");
  row("outputs n_out", llvm::Twine(r.numOutputs));
  row("connections W", llvm::Twine(r.numConnections));
  row("non-zero biases B", llvm::Twine(r.numNonZeroBiases));
  row("fast memory M (words)", llvm::Twine(r.fastMemory));
  row("lower bound LB", llvm::Twine(r.lowerBound) + " (activation " +
                            llvm::Twine(r.activationLowerBound) + ")");
  row("two-optimal plan UB(M)", llvm::Twine(r.twoOptimalCost));
  row("closed form 2W+B+|C|", llvm::Twine(r.closedFormUpperBound));
  if (r.hasPlan()) {
    row("plan cost", llvm::Twine(r.planCost) + " = " +
                         llvm::Twine(r.planLoads) + " loads + " +
                         llvm::Twine(r.planStores) + " stores, " +
                         ratio(r.planCost, r.lowerBound) + " x LB");
    row("plan activation cost",
        llvm::Twine(r.planActivationCost) + ", " +
            ratio(r.planActivationCost, r.activationLowerBound) + " x its LB");
  }
  if (r.csrFrameMisses)
    row("frame misses (L1 model)",
        llvm::Twine(r.planFrameMisses) + " plan rows, " +
            llvm::Twine(r.csrFrameMisses) + " csr, per sample");
  if (r.hasPlan()) {
    row("batch block B (samples)", llvm::Twine(r.batchBlock));
    row("batch fast memory M_B", llvm::Twine(r.batchFastMemory) +
                                     " blocks of " +
                                     llvm::Twine(4 * r.batchBlock) + " bytes");
    row("batch plan cost", llvm::Twine(r.batchPlanCost) +
                               " moves per block (activation " +
                               llvm::Twine(r.batchPlanActivationCost) + " of " +
                               llvm::Twine(r.batchBlock) + " words)");
    llvm::StringRef batchCodegen = r.batchCodegen;
    if (r.batchCodegen == "csr")
      batchCodegen = r.batchPlanEvicts
                         ? "csr (its layerwise order's plan costs fewer "
                           "cycles than the plan's rows: its figures)"
                         : "csr (its layerwise order never evicts at M_B: "
                           "its figures)";
    row("batch codegen", batchCodegen);
    if (r.batchTileRows > 1)
      row("batch tiles", llvm::Twine(r.batchTileRows) +
                             " rows that share sources run together");
  }
  if (r.epilogue != "none")
    row("output epilogue", r.epilogue + " (after the plan: 3 passes over the " +
                               llvm::Twine(r.numOutputs) +
                               " outputs, not in the plan cost)");
  row("strategy", r.strategy);
  if (r.codegen == "csr" && r.hasPlan())
    row("codegen", "csr (every value fits M: the plan's moves, less work)");
  else if (r.codegen == "loops" && r.csrFrameMisses)
    row("codegen", "loops (" + llvm::Twine(r.kernelOps) +
                       " kernel ops; every value fits M, and csr's x[N] "
                       "misses the L1 more)");
  else
    row("codegen", llvm::Twine(r.codegen) + " (" + llvm::Twine(r.kernelOps) +
                       (r.codegen == "csr" ? " rows)" : " kernel ops)"));
  if (r.groupLanes > 1)
    row("row groups",
        llvm::Twine(r.groupLanes) + " rows side by side, " +
            (r.permuteBlock ? "permute blocks of " + llvm::Twine(r.permuteBlock)
                            : llvm::Twine("gathers only")));
  row("cpu", r.cpu);
}

void sffnn::writeReportJson(llvm::raw_ostream &os, const NetworkReport &r) {
  // Model names may be any bytes; JSON strings are UTF-8.
  auto text = [](const std::string &value) {
    return llvm::json::isUTF8(value) ? value : llvm::json::fixUTF8(value);
  };
  llvm::json::Object object{
      {"name", r.name},
      {"source", r.source},
      {"strategy", r.strategy},
      {"codegen", r.codegen},
      {"cpu", r.cpu},
      {"epilogue", r.epilogue},
      {"input_name", text(r.signature.input.name)},
      {"input_shape", llvm::json::Array(r.signature.input.shape)},
      {"output_name", text(r.signature.output.name)},
      {"output_shape", llvm::json::Array(r.signature.output.shape)},
      {"fast_memory", int64_t(r.fastMemory)},
      {"neurons", int64_t(r.numNeurons)},
      {"inputs", int64_t(r.numInputs)},
      {"used_inputs", int64_t(r.numUsedInputs)},
      {"computed", int64_t(r.numComputed)},
      {"outputs", int64_t(r.numOutputs)},
      {"connections", int64_t(r.numConnections)},
      {"nonzero_biases", int64_t(r.numNonZeroBiases)},
      {"lower_bound", int64_t(r.lowerBound)},
      {"activation_lower_bound", int64_t(r.activationLowerBound)},
      {"two_optimal_cost", int64_t(r.twoOptimalCost)},
      {"closed_form_upper_bound", int64_t(r.closedFormUpperBound)},
      {"plan_cost", int64_t(r.planCost)},
      {"plan_activation_cost", int64_t(r.planActivationCost)},
      {"plan_loads", int64_t(r.planLoads)},
      {"plan_stores", int64_t(r.planStores)},
      {"kernel_ops", int64_t(r.kernelOps)},
      {"csr_frame_misses", int64_t(r.csrFrameMisses)},
      {"plan_frame_misses", int64_t(r.planFrameMisses)},
      {"group_lanes", int64_t(r.groupLanes)},
      {"permute_block", int64_t(r.permuteBlock)},
      {"batch_block", int64_t(r.batchBlock)},
      {"batch_fast_memory", int64_t(r.batchFastMemory)},
      {"batch_tile_rows", int64_t(r.batchTileRows)},
      {"batch_codegen", r.batchCodegen},
      {"batch_strategy", r.batchStrategy},
      {"batch_plan_evicts", r.batchPlanEvicts},
      {"batch_plan_cost", int64_t(r.batchPlanCost)},
      {"batch_plan_activation_cost", int64_t(r.batchPlanActivationCost)},
      {"instrumented", r.instrumented},
  };
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(object))) << "\n";
}

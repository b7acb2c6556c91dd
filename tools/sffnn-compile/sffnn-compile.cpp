//===- sffnn-compile.cpp - A network to an object file and a C header ----===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-compile:
//
//   sffnn-compile NET -o net.o --header net.h --name NAME --fast-memory M
//       --strategy S --codegen auto|straight|loops|csr
//       [--emit mlir|llvm|asm|obj|shared] [--report] [--report-json FILE]
//
// It schedules, plans and lowers the network (the sffnn-lower-to-llvm
// pipeline, the same code as sffnn-opt), translates to LLVM IR, optimizes
// (-O3) and emits code for the host CPU (or --target-cpu=generic, or any CPU
// LLVM knows, e.g. x86-64-v3).
//
//===----------------------------------------------------------------------===//

#include "sffnn/Support/ToolSupport.h"
#include "sffnn/Target/Compiler.h"
#include "sffnn/Target/Driver.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace sffnn;
namespace cl = llvm::cl;

static cl::OptionCategory category("sffnn-compile options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<network .mlir/.mlirbc>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::opt<std::string> headerFile("header",
                                       cl::desc("Write the C header here"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("Output kind"),
    cl::values(clEnumValN(EmitKind::Mlir, "mlir", "MLIR in the LLVM dialect"),
               clEnumValN(EmitKind::Llvm, "llvm", "LLVM IR (optimized)"),
               clEnumValN(EmitKind::Asm, "asm", "Assembly"),
               clEnumValN(EmitKind::Obj, "obj", "Object file (default)"),
               clEnumValN(EmitKind::Shared, "shared",
                          "Shared library (the default for -o *.so)")),
    cl::init(EmitKind::Obj), cl::cat(category));
static cl::opt<std::string>
    targetCpu("target-cpu",
              cl::desc("host (default), generic (x86-64) or an LLVM CPU name "
                       "(e.g. x86-64-v3)"),
              cl::init("host"), cl::cat(category));
static cl::opt<std::string> targetTriple(
    "target-triple",
    cl::desc("Target triple (default: the host's; e.g. aarch64-linux-gnu to "
             "cross compile, with --target-cpu generic or a CPU of it)"),
    cl::cat(category));
static cl::opt<bool> report("report", cl::desc("Print the I/O report"),
                            cl::cat(category));
static cl::opt<std::string>
    reportJson("report-json", cl::desc("Write the report as JSON here"),
               cl::value_desc("file"), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "sffnn-compile") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  installFatalErrorHandler("sffnn-compile");
  DriverFlags flags(category);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sffnn compiler: a network to an object file "
                              "and a C header\n");
  // An unknown CPU is an error before any work is done.
  auto machine = createTargetMachine(targetCpu, targetTriple);
  if (!machine)
    return fail(llvm::toString(machine.takeError()));

  MLIRContext context;
  prepareContext(context);
  ToolDiagnostics diagnostics(context);
  DriverOptions options = flags.getOptions();
  // Batch blocks follow the target's vectors, not the host's.
  options.vectorLanes = getVectorLanes(**machine);
  OwningOpRef<ModuleOp> module = loadNetwork(context, inputFile, options);
  if (!module)
    return 1;
  NetworkReport networkReport;
  networkReport.source = inputFile;
  if (failed(lowerNetwork(*module, options, networkReport)))
    return 1;

  networkReport.cpu = (*machine)->getTargetCPU().str();
  addModelInfo(*module, networkReport);

  // -o NAME.so: a shared library, unless --emit says otherwise.
  EmitKind kind = emitKind;
  if (emitKind.getNumOccurrences() == 0 &&
      llvm::StringRef(outputFile).ends_with(".so"))
    kind = EmitKind::Shared;
  if (kind == EmitKind::Shared && outputFile == "-")
    return fail("a shared library cannot be written to stdout; give -o");
  if (kind == EmitKind::Shared &&
      (*machine)->getTargetTriple() !=
          llvm::Triple(llvm::sys::getDefaultTargetTriple()))
    return fail("shared libraries are linked for the host only; for " +
                (*machine)->getTargetTriple().str() +
                " emit an object file and link it with that target's tools");

  std::string error;
  // A shared library: the object goes to a temporary file first.
  llvm::SmallString<128> objectPath(outputFile);
  std::optional<llvm::FileRemover> removeObject;
  if (kind == EmitKind::Shared) {
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "sffnn-compile", "o", objectPath))
      return fail("cannot create a temporary object file: " + ec.message());
    removeObject.emplace(objectPath);
  }
  auto output = openOutputFile(objectPath, &error);
  if (!output)
    return fail(error);
  if (kind == EmitKind::Mlir) {
    module->print(output->os());
  } else {
    llvm::LLVMContext llvmContext;
    auto llvmModule = translateAndOptimize(*module, llvmContext, **machine);
    if (!llvmModule)
      return fail(llvm::toString(llvmModule.takeError()));
    if (kind == EmitKind::Llvm) {
      (*llvmModule)->print(output->os(), nullptr);
    } else if (llvm::Error err =
                   emitMachineCode(**llvmModule, **machine, output->os(),
                                   kind == EmitKind::Asm)) {
      return fail(llvm::toString(std::move(err)));
    }
  }
  if (llvm::Error err = keepOutputFile(*output, objectPath))
    return fail(llvm::toString(std::move(err)));
  if (kind == EmitKind::Shared)
    if (llvm::Error err = linkSharedLibrary(objectPath, outputFile))
      return fail(llvm::toString(std::move(err)));

  if (!headerFile.empty()) {
    auto header = openOutputFile(headerFile, &error);
    if (!header)
      return fail(error);
    writeCHeader(header->os(), networkReport);
    if (llvm::Error err = keepOutputFile(*header, headerFile))
      return fail(llvm::toString(std::move(err)));
  }
  if (report)
    writeReportTable(llvm::outs(), networkReport);
  if (!reportJson.empty()) {
    auto json = openOutputFile(reportJson, &error);
    if (!json)
      return fail(error);
    writeReportJson(json->os(), networkReport);
    if (llvm::Error err = keepOutputFile(*json, reportJson))
      return fail(llvm::toString(std::move(err)));
  }
  if (llvm::Error err = flushStandardOutput())
    return fail(llvm::toString(std::move(err)));
  return 0;
}

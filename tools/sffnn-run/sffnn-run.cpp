//===- sffnn-run.cpp - Compile in memory and run a network ---------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-run:
//
//   sffnn-run NET --input x.f32 --output y.f32 --batch N
//       [--fast-memory M --strategy S --codegen C --instrument-io ...]
//
// It lowers the network like sffnn-compile, compiles it in memory (MLIR's
// ExecutionEngine) and runs it on raw little-endian f32 input, N samples of
// n_in values, row-major, writing N x n_out values. Size mismatches are
// errors, not truncations.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/Driver.h"
#include "sffnn/Target/Jit.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace sffnn;
namespace cl = llvm::cl;

static cl::OptionCategory category("sffnn-run options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<network .mlir/.mlirbc>"),
                                      cl::cat(category));
static cl::opt<std::string> dataFile("input", cl::Required,
                                     cl::desc("Raw little-endian f32 input"),
                                     cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> resultFile("output", cl::Required,
                                       cl::desc("Raw f32 output file"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<int64_t> batch("batch", cl::desc("Samples in the input"),
                              cl::init(1), cl::cat(category));
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "sffnn-run") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  DriverFlags flags(category);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sffnn runner: compile a network in memory and "
                              "run it on raw f32 data\n");
  if (batch < 1)
    return fail("--batch must be at least 1, got " + llvm::Twine(batch));

  MLIRContext context;
  prepareContext(context);
  ToolDiagnostics diagnostics(context);
  DriverOptions options = flags.getOptions();
  OwningOpRef<ModuleOp> module = loadNetwork(context, inputFile, options);
  if (!module)
    return 1;
  NetworkReport report;
  if (failed(lowerNetwork(*module, options, report)))
    return 1;

  auto buffer = llvm::MemoryBuffer::getFile(dataFile, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot read '" + dataFile +
                "': " + buffer.getError().message());
  uint64_t expected = uint64_t(batch) * report.numInputs * sizeof(float);
  if ((*buffer)->getBufferSize() != expected)
    return fail(
        "'" + dataFile + "' holds " + llvm::Twine((*buffer)->getBufferSize()) +
        " bytes; expected 4 x batch (" + llvm::Twine(batch) + ") x inputs (" +
        llvm::Twine(report.numInputs) + ") = " + llvm::Twine(expected));
  std::vector<float> in(uint64_t(batch) * report.numInputs);
  std::memcpy(in.data(), (*buffer)->getBufferStart(), expected);
  std::vector<float> out(uint64_t(batch) * report.numOutputs);

  auto jit = JitModule::create(*module);
  if (!jit)
    return fail(llvm::toString(jit.takeError()));
  if (batch == 1) {
    auto single = (*jit)->getSingle(report.name);
    if (!single)
      return fail(llvm::toString(single.takeError()));
    (*single)(in.data(), out.data());
  } else {
    auto batched = (*jit)->getBatch(report.name);
    if (!batched)
      return fail(llvm::toString(batched.takeError()));
    (*batched)(in.data(), out.data(), batch);
  }

  std::error_code ec;
  llvm::raw_fd_ostream os(resultFile, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail("cannot write '" + resultFile + "': " + ec.message());
  os.write(reinterpret_cast<const char *>(out.data()),
           out.size() * sizeof(float));

  if (report.instrumented) {
    // Per inference with --batch=1, per block of samples otherwise.
    auto loads = (*jit)->getCounter(report.name, "loads");
    auto stores = (*jit)->getCounter(report.name, "stores");
    if (!loads || !stores)
      return fail("the instrumentation counters are missing");
    llvm::outs() << "io: loads = " << **loads << ", stores = " << **stores
                 << (batch == 1 ? " per inference" : " in all blocks")
                 << "; plan: loads = " << report.planLoads
                 << ", stores = " << report.planStores << " per inference\n";
  }
  return 0;
}

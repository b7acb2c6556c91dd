//===- sffnn-run.cpp - Compile in memory and run a network ---------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-run:
//
//   sffnn-run NET --input x.f32 --output y.f32 --batch N
//       [--threads T --fast-memory M --strategy S --codegen C
//        --instrument-io ...]
//
// It lowers the network like sffnn-compile, compiles it in memory (MLIR's
// ExecutionEngine) and runs it on raw little-endian f32 input, N samples of
// n_in values, row-major, writing N x n_out values. Size mismatches are
// errors, not truncations. With --threads other than 1, the batch runs
// through NAME_batch_parallel.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Conversion/SFFNNToLoops.h"
#include "sffnn/Support/ToolSupport.h"
#include "sffnn/Target/Driver.h"
#include "sffnn/Target/Jit.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <optional>

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
/// --threads. LLVM's shared library registers an undocumented internal
/// option of that name, which sffnn-run has no use for: it is replaced, so
/// this option is made at run time, not at static initialization.
static cl::opt<int32_t> &registerThreadsOption() {
  if (cl::Option *internal = cl::getRegisteredOptions().lookup("threads"))
    internal->removeArgument();
  static cl::opt<int32_t> threads(
      "threads",
      cl::desc("Threads of NAME_batch_parallel for --batch > 1 (0: every "
               "online core; default 1: NAME_batch on this thread)"),
      cl::init(1), cl::cat(category));
  return threads;
}
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "sffnn-run") << message << "\n";
  return 1;
}

/// The most f32 values of input or output held in memory at once (64 MiB).
static constexpr uint64_t kChunkValues = uint64_t(1) << 24;

/// Reads until `bytes` is full or the file ends; returns the bytes read.
static llvm::Expected<size_t> readFully(llvm::sys::fs::file_t file,
                                        llvm::MutableArrayRef<char> bytes) {
  size_t total = 0;
  while (total < bytes.size()) {
    llvm::Expected<size_t> got =
        llvm::sys::fs::readNativeFile(file, bytes.drop_front(total));
    if (!got)
      return got.takeError();
    if (*got == 0)
      break;
    total += *got;
  }
  return total;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  installFatalErrorHandler("sffnn-run");
  DriverFlags flags(category);
  cl::opt<int32_t> &threads = registerThreadsOption();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sffnn runner: compile a network in memory and "
                              "run it on raw f32 data\n");
  if (batch < 1)
    return fail("--batch must be at least 1, got " + llvm::Twine(batch));
  if (threads < 0 || threads > kMaxBatchThreads)
    return fail("--threads must be between 0 and " +
                llvm::Twine(kMaxBatchThreads) + ", got " +
                llvm::Twine(threads));

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

  // The input holds batch x inputs f32 values: checked arithmetic, as
  // --batch may be any 64-bit number.
  std::optional<uint64_t> expected = llvm::checkedMulUnsigned<uint64_t>(
      uint64_t(batch), uint64_t(report.numInputs) * sizeof(float));
  auto sizeError = [&](const llvm::Twine &holds) {
    return fail(
        "'" + dataFile + "' holds " + holds + " bytes; expected 4 x batch (" +
        llvm::Twine(batch) + ") x inputs (" + llvm::Twine(report.numInputs) +
        ") = " +
        (expected ? std::to_string(*expected) : std::string("more than 2^64")));
  };
  llvm::Expected<llvm::sys::fs::file_t> input =
      llvm::sys::fs::openNativeFileForRead(dataFile);
  if (!input)
    return fail("cannot read '" + dataFile +
                "': " + llvm::toString(input.takeError()));
  auto closeInput = llvm::scope_exit([&] { llvm::sys::fs::closeFile(*input); });
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(*input, status))
    return fail("cannot read '" + dataFile + "': " + ec.message());
  // The size of a regular file is checked before anything runs; a pipe's
  // as it is read.
  bool isRegular = status.type() == llvm::sys::fs::file_type::regular_file;
  if (!expected || (isRegular && status.getSize() != *expected))
    return sizeError(llvm::Twine(status.getSize()));

  auto jit = JitModule::create(*module);
  if (!jit)
    return fail(llvm::toString(jit.takeError()));
  SingleFunction single = nullptr;
  BatchFunction batched = nullptr;
  ParallelBatchFunction parallel = nullptr;
  if (batch == 1) {
    auto function = (*jit)->getSingle(report.name);
    if (!function)
      return fail(llvm::toString(function.takeError()));
    single = *function;
  } else if (threads != 1) {
    auto function = (*jit)->getParallelBatch(report.name);
    if (!function)
      return fail(llvm::toString(function.takeError()));
    parallel = *function;
  } else {
    auto function = (*jit)->getBatch(report.name);
    if (!function)
      return fail(llvm::toString(function.takeError()));
    batched = *function;
  }

  std::error_code ec;
  llvm::ToolOutputFile output(resultFile, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail("cannot write '" + resultFile + "': " + ec.message());

  // The samples run in chunks of whole blocks of NAME_batch (the same blocks
  // as one call, so the same results), which bounds the memory used
  // whatever the batch.
  uint64_t width = std::max<uint64_t>({report.numInputs, report.numOutputs, 1});
  uint64_t block = std::max<uint64_t>(report.batchBlock, 1);
  uint64_t chunk =
      std::max<uint64_t>(block, (kChunkValues / width) / block * block);
  chunk = std::min<uint64_t>(chunk, uint64_t(batch));
  std::vector<float> in(chunk * report.numInputs),
      out(chunk * report.numOutputs);
  uint64_t read = 0;
  for (uint64_t done = 0; done < uint64_t(batch); done += chunk) {
    uint64_t samples = std::min<uint64_t>(chunk, uint64_t(batch) - done);
    llvm::MutableArrayRef<char> bytes(reinterpret_cast<char *>(in.data()),
                                      samples * report.numInputs *
                                          sizeof(float));
    llvm::Expected<size_t> got = readFully(*input, bytes);
    if (!got)
      return fail("cannot read '" + dataFile +
                  "': " + llvm::toString(got.takeError()));
    read += *got;
    if (*got != bytes.size())
      return sizeError(llvm::Twine(read));
    int32_t rc =
        single     ? single(in.data(), out.data())
        : parallel ? parallel(in.data(), out.data(), int64_t(samples), threads)
                   : batched(in.data(), out.data(), int64_t(samples));
    if (rc)
      return fail(
          report.name +
          (single     ? ""
           : parallel ? "_batch_parallel"
                      : "_batch") +
          " failed: " + std::error_code(rc, std::generic_category()).message());
    output.os().write(reinterpret_cast<const char *>(out.data()),
                      samples * report.numOutputs * sizeof(float));
  }
  // Nothing may follow the expected bytes.
  char extra;
  llvm::Expected<size_t> more =
      readFully(*input, llvm::MutableArrayRef<char>(&extra, 1));
  if (!more)
    return fail("cannot read '" + dataFile +
                "': " + llvm::toString(more.takeError()));
  if (*more)
    return sizeError("more than " + llvm::Twine(*expected));
  if (llvm::Error error = keepOutputFile(output, resultFile))
    return fail(llvm::toString(std::move(error)));

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
  if (llvm::Error error = flushStandardOutput())
    return fail(llvm::toString(std::move(error)));
  return 0;
}

//===- IRFuzzer.cpp - libFuzzer targets for parsing sffnn IR --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-fuzz-ir (text) and sffnn-fuzz-ir-bytecode
// (SFFNN_FUZZ_BYTECODE): each input is parsed and verified as a module with
// the sffnn dialect, as the tools read .mlir and .mlirbc files. A module that
// verifies is then printed (through the attribute printers) and converted to
// a Graph and back, as the tools do next. Errors are expected; crashes are
// not.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/ReadCheck.h"
#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/IR/SFFNNOps.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>

using namespace mlir;
using namespace sffnn;
using namespace sffnn::fuzz;

#ifndef SFFNN_FUZZ_BYTECODE
/// True if a resource blob of the text `input` declares an alignment that is
/// not a power of two. MLIR 22's text parser aborts on those (the tools read
/// such files in a child process first: ReadCheck.h), so they are skipped.
static bool hasBadBlobAlignment(llvm::StringRef input) {
  size_t metadata = input.find("{-#");
  if (metadata == llvm::StringRef::npos)
    return false;
  llvm::StringRef rest = input.drop_front(metadata);
  for (size_t at = rest.find("\"0x"); at != llvm::StringRef::npos;
       at = rest.find("\"0x", at + 1)) {
    llvm::StringRef hex = rest.substr(at + 3, 8);
    uint32_t alignment = 0;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
      unsigned byte = 0;
      if (hex.substr(i, 2).getAsInteger(16, byte))
        break;
      alignment |= uint32_t(byte) << (4 * i);
    }
    if (!llvm::isPowerOf2_32(alignment))
      return true;
  }
  return false;
}
#endif

#ifdef SFFNN_FUZZ_BYTECODE
/// AddressSanitizer's options for the bytecode target: an allocation of more
/// than 2 GiB fails (LLVM then reports it as a fatal error) instead of
/// reaching libFuzzer's -malloc_limit_mb, whose report the child process of
/// the read check would write as a crash of its own.
extern "C" const char *__asan_default_options() {
  return "max_allocation_size_mb=2048:allocator_may_return_null=1";
}

/// The most seconds the bytecode target's child process may read an input:
/// a quarter of utils/fuzz.sh's -timeout, which the parent's own reading of
/// the child's text must also fit.
constexpr unsigned kFuzzReadSeconds = 5;
#endif

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz::initialize(*argc, *argv);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // MLIR's lexer needs the NUL after the text, as files read by the tools
  // have.
  std::string input(reinterpret_cast<const char *>(data), size);
  auto buffer = llvm::MemoryBuffer::getMemBuffer(input, "fuzz");
#ifdef SFFNN_FUZZ_BYTECODE
  if (!isBytecode(*buffer))
    return 0;
  // As the tools do, MLIR's bytecode reader reads the input only in a child
  // process (ReadCheck.h), which hands back its text: that text is what is
  // parsed here. The child gets less time than the tools give it, so that
  // a slow read ends before the fuzzer's -timeout.
  {
    static const std::string path =
        (getWorkDirectory() + "/input.mlirbc").str();
    writeFile(path, input);
    DialectRegistry registry;
    registry.insert<SFFNNDialect>();
    auto text = checkMLIRFile(path, registry, kFuzzReadSeconds);
    if (!text) {
      llvm::consumeError(text.takeError());
      return 0;
    }
    if (!*text)
      return 0;
    input = std::move(**text);
  }
#else
  if (isBytecode(*buffer) || hasBadBlobAlignment(input))
    return 0;
  // As the tools do (ReadCheck.h): MLIR's parser recurses once per bracket
  // and makes room for every result number up to the one used.
  if (llvm::Error error = checkMLIRTextLimits("fuzz", input)) {
    llvm::consumeError(std::move(error));
    return 0;
  }
#endif
  MLIRContext context(MLIRContext::Threading::DISABLED);
  context.loadDialect<SFFNNDialect>();
  // Diagnostics are built (with the notes that print the failing op) and
  // then dropped.
  ScopedDiagnosticHandler silence(&context,
                                  [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(input, ParserConfig(&context));
  if (!module)
    return 0;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  OpBuilder builder(&context);
  SmallVector<NetworkOp> networks(module->getOps<NetworkOp>());
  for (NetworkOp network : networks) {
    FailureOr<Graph> graph = buildGraph(network);
    if (failed(graph))
      continue;
    builder.setInsertionPointToEnd(module->getBody());
    if (NetworkOp copy =
            buildNetwork(builder, network.getLoc(), "copy", *graph))
      (void)verify(copy);
  }
  return 0;
}

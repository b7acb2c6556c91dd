//===- ReadCheck.cpp - Reading untrusted MLIR files -----------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements checkMLIRFile with fork (POSIX): the child reads
// the file with its output sent to /dev/null and reports through its exit
// status, and for bytecode through a pipe (the text of what it read, or the
// reader's error).
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/ReadCheck.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/Block.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) ||                                        \
    __has_feature(undefined_behavior_sanitizer)
#include <sanitizer/common_interface_defs.h>
#define SFFNN_HAS_SANITIZER 1
#endif
#endif

using namespace mlir;
using namespace sffnn;

namespace {

/// Exit statuses of the child: read; rejected with an error; rejected
/// without any error (which the tool would then report as nothing at all);
/// stopped by a fatal error; read, but holding a type or an array MLIR's
/// reader should have refused (see isMalformed).
enum ChildStatus : int {
  kRead = 0,
  kRejected = 1,
  kRejectedSilently = 2,
  kFatal = 3,
  kMalformed = 4
};

/// Whether what was read holds a shaped type with a negative size, a
/// `dense` array whose data does not match its type, or a resource blob
/// whose alignment is not a power of two. MLIR's bytecode reader accepts
/// all three; printing such an array (as every verifier's note does) reads
/// past its data.
bool isMalformed(Block &block) {
  bool malformed = false;
  AttrTypeWalker walker;
  walker.addWalk([&](Type type) {
    if (auto shaped = dyn_cast<ShapedType>(type); shaped && shaped.hasRank())
      for (int64_t size : shaped.getShape())
        if (size < 0 && !ShapedType::isDynamic(size))
          malformed = true;
  });
  walker.addWalk([&](Attribute attr) {
    // The text parser aborts on a blob whose alignment is not a power of two
    // (the child's text is parsed next).
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
      if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
        if (!llvm::isPowerOf2_64(blob->getDataAlignment()))
          malformed = true;
    auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr);
    if (!dense || malformed || !dense.getType().hasStaticShape())
      return;
    bool splat = false;
    if (!DenseElementsAttr::isValidRawBuffer(dense.getType(),
                                             dense.getRawData(), splat))
      malformed = true;
  });
  block.walk([&](Operation *op) {
    walker.walk(op->getAttrDictionary());
    if (Attribute properties = op->getPropertiesAsAttribute())
      walker.walk(properties);
    for (Type type : op->getResultTypes())
      walker.walk(type);
    for (Region &region : op->getRegions())
      for (Block &inner : region)
        for (BlockArgument argument : inner.getArguments())
          walker.walk(argument.getType());
  });
  return malformed;
}

[[noreturn]] void exitFatal(void *, const char *, bool) { _exit(kFatal); }
#ifdef SFFNN_HAS_SANITIZER
[[noreturn]] void exitOnSanitizerError() { _exit(kFatal); }
#endif

/// Writes all of `text` to `fd`; false on an error.
bool writeAll(int fd, llvm::StringRef text) {
  while (!text.empty()) {
    ssize_t written = write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return false;
    text = text.drop_front(written);
  }
  return true;
}

/// The child: reads `path` and exits with a ChildStatus. With `out` >= 0, it
/// writes there the text of what it read (kRead), or the first error's
/// message (kRejected).
[[noreturn]] void readInChild(llvm::StringRef path,
                              const DialectRegistry &registry, unsigned seconds,
                              int out) {
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
  }
  // The alarm ends the child, whatever handler the parent had (libFuzzer
  // installs one that only reports).
  signal(SIGALRM, SIG_DFL);
  alarm(std::max(seconds, 1u));
  llvm::remove_fatal_error_handler();
  llvm::install_fatal_error_handler(exitFatal);
  llvm::remove_bad_alloc_error_handler();
  llvm::install_bad_alloc_error_handler(exitFatal);
#ifdef SFFNN_HAS_SANITIZER
  // A sanitizer's report would otherwise exit with the status of a rejection.
  __sanitizer_set_death_callback(exitOnSanitizerError);
#endif
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  std::optional<std::string> firstError;
  ScopedDiagnosticHandler drop(&context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && !firstError)
      firstError = diag.str();
    return success();
  });
  Block block;
  bool read = succeeded(parseSourceFile(
      path, &block, ParserConfig(&context, /*verifyAfterParse=*/false)));
  if (!read) {
    if (!firstError)
      _exit(kRejectedSilently);
    if (out >= 0 && !writeAll(out, *firstError))
      _exit(kFatal);
    _exit(kRejected);
  }
  if (isMalformed(block))
    _exit(kMalformed);
  if (out < 0)
    _exit(kRead);
  // The text of what was read, as one top-level operation (so that its
  // resources are printed too): a module of its own, or the ops wrapped in
  // one, as the caller's parser would wrap them. Generic form: the ops were
  // not verified, and their custom printers may assume they were.
  Operation *top;
  if (llvm::hasSingleElement(block) && isa<ModuleOp>(block.front())) {
    top = &block.front();
    top->remove();
  } else {
    top = ModuleOp::create(UnknownLoc::get(&context));
    Block &body = cast<ModuleOp>(top).getBodyRegion().front();
    body.getOperations().splice(body.end(), block.getOperations());
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  top->print(os, OpPrintingFlags()
                     .enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
                     .printGenericOpForm());
  _exit(writeAll(out, text) ? kRead : kFatal);
}

llvm::Error invalid(llvm::StringRef path, const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + path + "' is not valid MLIR: " + why);
}

} // namespace

llvm::Error sffnn::checkMLIRTextLimits(llvm::StringRef name,
                                       llvm::StringRef text) {
  // The open brackets, innermost last; a closer pops only its own opener
  // (`>` of `->` closes nothing).
  llvm::SmallVector<char, 64> open;
  unsigned line = 1;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    switch (c) {
    case '\n':
      ++line;
      break;
    case '"':
      // A string literal, with backslash escapes; it ends at its line's end
      // at the latest, as the lexer's does.
      for (++i; i < e && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      if (i < e && text[i] == '\n')
        ++line;
      break;
    case '/':
      if (i + 1 < e && text[i + 1] == '/') {
        i = text.find('\n', i);
        if (i == llvm::StringRef::npos)
          return llvm::Error::success();
        ++line;
      }
      break;
    case '#': {
      // A result number (`%v#N`: a hash identifier of digits).
      size_t end = i + 1;
      uint64_t number = 0;
      for (; end < e && llvm::isDigit(text[end]); ++end)
        number =
            std::min(number * 10 + (text[end] - '0'), kMaxResultNumber + 1);
      if (number > kMaxResultNumber)
        return invalid(
            name, "result number " +
                      text.substr(i + 1, std::min<size_t>(end - i - 1, 24)) +
                      " at line " + llvm::Twine(line) + " is larger than " +
                      llvm::Twine(kMaxResultNumber));
      i = end - 1;
      break;
    }
    case '(':
    case '[':
    case '{':
    case '<':
      if (open.size() == kMaxTextNesting)
        return invalid(name, "brackets nest deeper than " +
                                 llvm::Twine(kMaxTextNesting) +
                                 " levels at line " + llvm::Twine(line));
      open.push_back(c);
      break;
    case ')':
    case ']':
    case '}':
    case '>': {
      char opener = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : '<';
      if (!open.empty() && open.back() == opener &&
          !(c == '>' && i > 0 && text[i - 1] == '-'))
        open.pop_back();
      break;
    }
    default:
      break;
    }
  }
  return llvm::Error::success();
}

llvm::Expected<std::optional<std::string>>
sffnn::checkMLIRFile(llvm::StringRef path, const DialectRegistry &registry,
                     unsigned seconds) {
  if (path == "-")
    return std::nullopt;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return std::nullopt;
  bool bytecode = isBytecode((*buffer)->getMemBufferRef());
  if (!bytecode) {
    if (llvm::Error error = checkMLIRTextLimits(path, (*buffer)->getBuffer()))
      return std::move(error);
    if (!(*buffer)->getBuffer().contains("{-#"))
      return std::nullopt;
  }
  llvm::StringRef reader = bytecode ? "bytecode reader" : "parser";

  // Bytecode comes back as text through a pipe.
  int pipeFds[2] = {-1, -1};
  if (bytecode && pipe(pipeFds) != 0)
    return std::nullopt;
  // A SIGCHLD ignored (which exec inherits) would reap the child before
  // waitpid could see its status: the default action, until it is seen.
  struct sigaction defaultAction = {}, saved = {};
  defaultAction.sa_handler = SIG_DFL;
  sigemptyset(&defaultAction.sa_mask);
  sigaction(SIGCHLD, &defaultAction, &saved);
  llvm::scope_exit restore([&] { sigaction(SIGCHLD, &saved, nullptr); });
  pid_t child = fork();
  if (child < 0) {
    if (bytecode) {
      close(pipeFds[0]);
      close(pipeFds[1]);
    }
    return std::nullopt;
  }
  if (child == 0) {
    if (bytecode)
      close(pipeFds[0]);
    readInChild(path, registry, seconds, bytecode ? pipeFds[1] : -1);
  }
  std::string output;
  if (bytecode) {
    close(pipeFds[1]);
    char chunk[1 << 16];
    for (;;) {
      ssize_t got = read(pipeFds[0], chunk, sizeof(chunk));
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      output.append(chunk, size_t(got));
    }
    close(pipeFds[0]);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR)
      return invalid(path, "its reading process could not be waited for");
  if (WIFEXITED(status) && WEXITSTATUS(status) == kRead)
    return bytecode ? std::optional<std::string>(std::move(output))
                    : std::nullopt;
  if (WIFEXITED(status) && WEXITSTATUS(status) == kRejected) {
    if (!bytecode)
      return std::nullopt;
    return llvm::createStringError(llvm::inconvertibleErrorCode(), output);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kMalformed)
    return invalid(path, "MLIR's " + reader +
                             " accepted a negative size, a dense array "
                             "whose data does not match its type or a "
                             "resource blob whose alignment is not a power "
                             "of two");
  if (WIFEXITED(status) && WEXITSTATUS(status) == kRejectedSilently)
    return invalid(path, "MLIR's " + reader + " rejected it without a reason");
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    return invalid(path, "reading it took more than " +
                             llvm::Twine(std::max(seconds, 1u)) + " s");
  if (WIFSIGNALED(status))
    return invalid(path, "MLIR's " + reader + " stopped (" +
                             strsignal(WTERMSIG(status)) + ")");
  return invalid(path, "MLIR's " + reader +
                           " ran out of memory or hit an internal limit");
}

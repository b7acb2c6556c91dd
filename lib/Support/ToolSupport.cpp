//===- ToolSupport.cpp - Output files and fatal errors of the tools -------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the write checks and the fatal error handler the
// tools share.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Support/ToolSupport.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/WithColor.h"

using namespace sffnn;

llvm::Error sffnn::checkWrite(llvm::raw_fd_ostream &os,
                              const llvm::Twine &what) {
  os.flush();
  if (!os.has_error())
    return llvm::Error::success();
  std::string reason = os.error().message();
  os.clear_error();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot write " + what + ": " + reason);
}

llvm::Error sffnn::keepOutputFile(llvm::ToolOutputFile &file,
                                  llvm::StringRef path) {
  if (llvm::Error error = checkWrite(file.os(), "'" + path + "'"))
    return error;
  file.keep();
  return llvm::Error::success();
}

llvm::Error sffnn::flushStandardOutput() {
  return checkWrite(llvm::outs(), "the standard output");
}

void sffnn::installFatalErrorHandler(const char *toolName) {
  llvm::install_fatal_error_handler(
      [](void *name, const char *reason, bool) {
        // The standard output may be what failed: report on stderr only.
        llvm::WithColor::error(llvm::errs(), static_cast<const char *>(name))
            << reason << "\n";
      },
      const_cast<char *>(toolName));
}

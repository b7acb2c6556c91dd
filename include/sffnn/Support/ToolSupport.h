//===- ToolSupport.h - Output files and fatal errors of the tools -*- C++
//-*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares what the tools share to end in one diagnostic and a
// non-zero exit rather than in "LLVM ERROR": write failures (a full disk,
// say) checked and reported, and a handler for LLVM's fatal errors.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_SUPPORT_TOOLSUPPORT_H
#define SFFNN_SUPPORT_TOOLSUPPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace sffnn {

/// Flushes `os` and returns its write error, if any, as "cannot write WHAT:
/// REASON", clearing it: a stream destroyed with an error would end the
/// program with "LLVM ERROR".
llvm::Error checkWrite(llvm::raw_fd_ostream &os, const llvm::Twine &what);

/// Flushes `file` and keeps it. Errors: a failed write, as "cannot write
/// 'PATH': REASON" (see checkWrite); the file is then removed when `file`
/// is destroyed, unless it is the standard output.
llvm::Error keepOutputFile(llvm::ToolOutputFile &file, llvm::StringRef path);

/// Flushes the standard output (llvm::outs()). Errors: a failed write, as
/// "cannot write the standard output: REASON".
llvm::Error flushStandardOutput();

/// Makes LLVM's fatal errors (llvm::report_fatal_error, which MLIR's tool
/// mains reach when their output cannot be written) print "TOOL: error:
/// REASON" and exit with status 1 instead of printing "LLVM ERROR: REASON".
/// `toolName` must outlive the program (a string literal).
void installFatalErrorHandler(const char *toolName);

} // namespace sffnn

#endif // SFFNN_SUPPORT_TOOLSUPPORT_H

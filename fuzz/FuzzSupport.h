//===- FuzzSupport.h - What the fuzz targets share --------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the set-up the libFuzzer targets share: size limits
// small enough for the fuzzer's memory limit, and a private work folder for
// the files an input is written to.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_FUZZ_FUZZSUPPORT_H
#define SFFNN_FUZZ_FUZZSUPPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

namespace sffnn::fuzz {

/// Called from LLVMFuzzerInitialize: lowers the size limits to 2^16 neurons
/// and 2^20 connections (so that every accepted input stays far below the
/// fuzzer's memory limit; options after libFuzzer's -ignore_remaining_args=1,
/// such as --sffnn-max-neurons=N, override them) and creates the work folder,
/// removed at exit.
void initialize(int argc, char **argv);

/// The work folder of this process.
llvm::StringRef getWorkDirectory();

/// Writes `contents` to `path`; a failure ends the process (the fuzzer
/// cannot go on without its files).
void writeFile(llvm::StringRef path, llvm::StringRef contents);

} // namespace sffnn::fuzz

#endif // SFFNN_FUZZ_FUZZSUPPORT_H

//===- ReadCheck.h - Reading untrusted MLIR files ---------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the check the tools run on an MLIR file before they
// read it. MLIR 22's generic bytecode reader trusts the counts and sizes a
// file declares, and its text parser trusts the alignment a resource blob
// declares: a corrupt file can make them read out of bounds or allocate
// without bound before any sffnn code runs. Such files are therefore read
// once in a child process; a crash there becomes one diagnostic.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_READCHECK_H
#define SFFNN_IR_READCHECK_H

#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace sffnn {

/// The most seconds the child process may take to read a file.
constexpr unsigned kReadCheckSeconds = 120;

/// The deepest nesting of brackets (`(`, `[`, `{`, `<`) that MLIR text may
/// have: MLIR 22's text parser recurses once per level without a limit, and
/// overflows the stack at a few thousand levels. sffnn's own files nest a
/// few levels deep.
constexpr unsigned kMaxTextNesting = 512;

/// The largest result number a value use (`%v#N`) may name: MLIR 22's text
/// parser makes room for every result number up to the one used before it
/// checks it (16 bytes each: 2^32 of them abort the process). sffnn's ops
/// have a few results each.
constexpr uint64_t kMaxResultNumber = uint64_t(1) << 20;

/// Fails if `text`, MLIR text named `name`, nests brackets deeper than
/// kMaxTextNesting ("'NAME' is not valid MLIR: brackets nest deeper than
/// 512 levels at line L") or uses a result number larger than
/// kMaxResultNumber ("... result number N at line L is larger than
/// 1048576"), outside string literals and comments. One pass over the
/// text, in constant memory.
llvm::Error checkMLIRTextLimits(llvm::StringRef name, llvm::StringRef text);

/// If the file at `path` holds MLIR bytecode, or MLIR text with a metadata
/// section (`{-# ... #-}`, where resource blobs live), reads it (without
/// verifying) with the dialects of `registry` in a child process. Bytecode
/// is read only there: the child prints what it read as MLIR text (generic
/// form, with locations and resources), which is returned for the caller
/// to parse instead of the file, so that MLIR's bytecode reader never runs
/// in the caller's process. Returns nullopt where the caller reads the file
/// itself: text that passed, other text (checked by checkMLIRTextLimits
/// only), "-" (the standard input cannot be read twice), and where no child
/// process can be started (then bytecode is read by the caller too).
/// Errors ("'PATH' is not valid MLIR: ..."): the reader stopped on a signal,
/// on a fatal LLVM error or out of memory, or took more than `seconds` (at
/// least 1), or rejected the file without any diagnostic, or read a shaped
/// type with a negative size, a `dense` array whose data does not match its
/// type or a resource blob whose alignment is not a power of two; text
/// nested too deep. Bytecode the reader rejects with an error gives that
/// error's message, as MLIR's reader words it; text it rejects passes, so
/// that the caller's own reading reports it where it is.
llvm::Expected<std::optional<std::string>>
checkMLIRFile(llvm::StringRef path, const mlir::DialectRegistry &registry,
              unsigned seconds = kReadCheckSeconds);

} // namespace sffnn

#endif // SFFNN_IR_READCHECK_H

//===- TextFiles.h - Readers of sparse matrix text files --------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the line readers the text importers share: sparse
// matrix entries ("row col value", TSV or MatrixMarket) and bias lines
// ("col value"), and the layer they describe. Private to the ImportText
// library.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_TARGET_IMPORTTEXT_TEXTFILES_H
#define SFFNN_LIB_TARGET_IMPORTTEXT_TEXTFILES_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sffnn {
namespace detail {

/// An error holding `message`.
llvm::Error textError(const llvm::Twine &message);

/// The contents of the text file `path`. Errors: "cannot read 'PATH':
/// REASON".
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readTextFile(llvm::StringRef path);

/// Called with the words of one line and "PATH:LINE: " for its errors.
using LineVisitor = llvm::function_ref<llvm::Error(
    llvm::ArrayRef<llvm::StringRef> words, const std::string &where)>;

/// Calls `visit` on the words (split at spaces and tabs) of every line of
/// `path` that is neither empty nor a `#` comment, until it fails. Errors:
/// an unreadable file, and the first error of `visit`.
llvm::Error forEachLine(llvm::StringRef path, LineVisitor visit);

/// One nonzero of a layer matrix (0-based).
struct Entry {
  uint32_t row, col;
  float value;
};

/// The size line of a MatrixMarket file: rows, columns, nonzeros.
struct MatrixSize {
  uint64_t rows = 0, cols = 0, nonzeros = 0;
};

/// Reads the "row col value" lines of `path` (1-based indices, tab or space
/// separated; `#` and `%` lines are comments) into `entries` (0-based), after
/// a MatrixMarket header and size line when `matrixMarket`, whose size it
/// stores in `size`. Every index is checked against the neuron limit
/// (Limits.h) as it is read. Errors, naming the file and line: an unreadable
/// file, a malformed line or header, an index below 1 or above the limit, an
/// entry outside the declared matrix, a value not finite as f32, a
/// MatrixMarket file with more or fewer entries than its size line declares.
llvm::Error readEntries(llvm::StringRef path, bool matrixMarket,
                        std::vector<Entry> &entries, MatrixSize &size);

/// Reads the "col value" lines of `path` (1-based) into `biases`, whose size
/// bounds the columns. Errors, naming the file and line: an unreadable file,
/// a malformed line, a column out of range, a value not finite as f32.
llvm::Error readBiases(llvm::StringRef path, std::vector<float> &biases);

/// Appends a layer of `width` neurons to `graph`: neuron c gets the bias
/// `biases[c]`, `activation`, and the fan-in of column c of `entries`, whose
/// rows are the `rows` neurons from `previous` on, in row order; zero
/// entries are skipped. Errors, naming `path`: an entry beyond `rows` or
/// `width`, a duplicate entry.
llvm::Error addLayer(Graph &graph, llvm::ArrayRef<Entry> entries,
                     NeuronId previous, uint32_t rows, uint32_t width,
                     llvm::ArrayRef<float> biases, const Activation &activation,
                     llvm::StringRef path);

} // namespace detail
} // namespace sffnn

#endif // SFFNN_LIB_TARGET_IMPORTTEXT_TEXTFILES_H

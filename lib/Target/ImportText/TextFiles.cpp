//===- TextFiles.cpp - Readers of sparse matrix text files ----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the line readers of TextFiles.h.
//
//===----------------------------------------------------------------------===//

#include "TextFiles.h"

#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>
#include <tuple>

using namespace sffnn;
using namespace sffnn::detail;

llvm::Error sffnn::detail::textError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
sffnn::detail::readTextFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return textError("cannot read '" + path +
                     "': " + buffer.getError().message());
  return std::move(*buffer);
}

llvm::Error sffnn::detail::forEachLine(llvm::StringRef path,
                                       LineVisitor visit) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readTextFile(path);
  if (!buffer)
    return buffer.takeError();
  llvm::StringRef rest = (*buffer)->getBuffer();
  llvm::SmallVector<llvm::StringRef, 8> words;
  for (uint64_t number = 1; !rest.empty(); ++number) {
    llvm::StringRef line;
    std::tie(line, rest) = rest.split('\n');
    line = line.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    words.clear();
    llvm::SplitString(line, words, " \t");
    std::string where = (path + ":" + llvm::Twine(number) + ": ").str();
    if (llvm::Error error = visit(words, where))
      return error;
  }
  return llvm::Error::success();
}

/// Reads "row col value" lines (after a MatrixMarket header and size line
/// when `matrixMarket`, whose size it stores in `size`).
llvm::Error sffnn::detail::readEntries(llvm::StringRef path, bool matrixMarket,
                                       std::vector<Entry> &entries,
                                       MatrixSize &size) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readTextFile(path);
  if (!buffer)
    return buffer.takeError();
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  bool sawSize = !matrixMarket;
  for (auto [number, raw] : llvm::enumerate(lines)) {
    llvm::StringRef line = raw.trim();
    // A string, not a Twine: a Twine must not outlive its expression.
    auto where = [&] {
      return (path + ":" + llvm::Twine(number + 1) + ": ").str();
    };
    if (matrixMarket && number == 0) {
      llvm::SmallVector<llvm::StringRef, 5> words;
      line.split(words, ' ', -1, false);
      if (words.size() != 5 || words[0] != "%%MatrixMarket" ||
          !words[1].equals_insensitive("matrix") ||
          !words[2].equals_insensitive("coordinate") ||
          !words[3].equals_insensitive("real") ||
          !words[4].equals_insensitive("general"))
        return textError(where() + "expected the header '%%MatrixMarket "
                                   "matrix coordinate real general'");
      continue;
    }
    if (line.empty() || line.starts_with("%") || line.starts_with("#"))
      continue;
    llvm::SmallVector<llvm::StringRef, 3> fields;
    line.split(fields, ' ', -1, false);
    if (fields.size() == 1)
      line.split(fields, '\t', -1, false);
    if (fields.size() != 3) {
      // Mixed tabs and spaces.
      fields.clear();
      for (llvm::StringRef piece : llvm::split(line, '\t'))
        piece.split(fields, ' ', -1, false);
    }
    if (fields.size() != 3)
      return textError(where() + "expected three fields 'row col value'");
    if (!sawSize) { // MatrixMarket: rows cols nnz
      if (fields[0].getAsInteger(10, size.rows) ||
          fields[1].getAsInteger(10, size.cols) ||
          fields[2].getAsInteger(10, size.nonzeros))
        return textError(where() + "malformed size line '" + line +
                         "'; expected 'rows cols nonzeros'");
      if (llvm::Error error = checkNeuronCount(size.rows, where() + "rows"))
        return error;
      if (llvm::Error error = checkNeuronCount(size.cols, where() + "columns"))
        return error;
      if (size.nonzeros > size.rows * size.cols)
        return textError(where() + "declares " + llvm::Twine(size.nonzeros) +
                         " nonzeros in a " + llvm::Twine(size.rows) + "x" +
                         llvm::Twine(size.cols) + " matrix");
      sawSize = true;
      continue;
    }
    uint64_t row, col;
    double value;
    if (fields[0].getAsInteger(10, row) || fields[1].getAsInteger(10, col) ||
        fields[2].getAsDouble(value))
      return textError(where() + "malformed entry '" + line + "'");
    if (row < 1 || col < 1)
      return textError(where() + "indices are 1-based and must be positive");
    // An index sets the width of the layers: it is checked before the
    // layers are allocated.
    if (llvm::Error error =
            checkNeuronCount(std::max(row, col), where() + "index"))
      return error;
    if (matrixMarket && (row > size.rows || col > size.cols))
      return textError(where() + "entry (" + llvm::Twine(row) + ", " +
                       llvm::Twine(col) + ") is outside the declared " +
                       llvm::Twine(size.rows) + "x" + llvm::Twine(size.cols) +
                       " matrix");
    // Finite as an f32 too: 1e300 is not a weight.
    if (!std::isfinite(float(value)))
      return textError(where() + "the value is not finite");
    entries.push_back({uint32_t(row - 1), uint32_t(col - 1), float(value)});
  }
  if (matrixMarket && !sawSize)
    return textError(path + ": the size line 'rows cols nonzeros' is missing");
  if (matrixMarket && entries.size() != size.nonzeros)
    return textError(path + ": the size line declares " +
                     llvm::Twine(size.nonzeros) + " nonzeros, but " +
                     llvm::Twine(entries.size()) + " entries follow");
  return llvm::Error::success();
}

/// Reads "col value" bias lines.
llvm::Error sffnn::detail::readBiases(llvm::StringRef path,
                                      std::vector<float> &biases) {
  return forEachLine(
      path,
      [&](llvm::ArrayRef<llvm::StringRef> words,
          const std::string &where) -> llvm::Error {
        uint64_t col;
        double value;
        if (words.size() != 2 || words[0].getAsInteger(10, col) ||
            words[1].getAsDouble(value) || col < 1 || col > biases.size() ||
            !std::isfinite(float(value)))
          return textError(where + "expected 'col value' with 1 <= col <= " +
                           llvm::Twine(biases.size()) + " and a finite value");
        biases[col - 1] = float(value);
        return llvm::Error::success();
      });
}

llvm::Error sffnn::detail::addLayer(Graph &graph, llvm::ArrayRef<Entry> entries,
                                    NeuronId previous, uint32_t rows,
                                    uint32_t width,
                                    llvm::ArrayRef<float> biases,
                                    const Activation &activation,
                                    llvm::StringRef path) {
  // Transpose to fan-in lists, checking ranges and duplicates.
  std::vector<std::vector<std::pair<uint32_t, float>>> fanIn(width);
  for (const Entry &entry : entries) {
    if (entry.row >= rows || entry.col >= width) {
      if (rows == width)
        return textError(path + ": entry (" + llvm::Twine(entry.row + 1) +
                         ", " + llvm::Twine(entry.col + 1) +
                         ") is beyond the " + llvm::Twine(width) +
                         " neurons of a layer");
      return textError(path + ": entry (" + llvm::Twine(entry.row + 1) + ", " +
                       llvm::Twine(entry.col + 1) + ") is beyond the " +
                       llvm::Twine(rows) + "x" + llvm::Twine(width) +
                       " matrix of the layer");
    }
    if (entry.value != 0.0f)
      fanIn[entry.col].emplace_back(entry.row, entry.value);
  }
  for (uint32_t c = 0; c < width; ++c) {
    graph.addNeuron(biases[c], activation);
    llvm::sort(fanIn[c], llvm::less_first());
    for (size_t k = 0; k < fanIn[c].size(); ++k) {
      if (k > 0 && fanIn[c][k].first == fanIn[c][k - 1].first)
        return textError(path + ": duplicate entry (" +
                         llvm::Twine(fanIn[c][k].first + 1) + ", " +
                         llvm::Twine(c + 1) + ")");
      graph.addFanIn(previous + fanIn[c][k].first, fanIn[c][k].second);
    }
  }
  return llvm::Error::success();
}

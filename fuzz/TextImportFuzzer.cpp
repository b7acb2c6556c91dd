//===- TextImportFuzzer.cpp - libFuzzer targets for TSV and MatrixMarket --===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-fuzz-tsv and sffnn-fuzz-mtx (the extension is
// SFFNN_FUZZ_EXTENSION): each input describes a chain of layer files that
// importLayerFiles must accept or reject with an error, never crash on.
//
// Input format: the first byte picks the import options; the rest is split
// at lines "----" into segments written as layer-1, bias-1.tsv, layer-2,
// bias-2.tsv, ... (an empty bias segment writes no bias file).
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "sffnn/Target/ImportText.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstddef>
#include <cstdint>

using namespace sffnn;

#ifndef SFFNN_FUZZ_EXTENSION
#error "SFFNN_FUZZ_EXTENSION must be \".tsv\" or \".mtx\""
#endif

/// The most segments an input may describe (four layers and their biases).
static constexpr size_t kMaxSegments = 8;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz::initialize(*argc, *argv);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  llvm::StringRef directory = fuzz::getWorkDirectory();
  // Start from an empty folder: no file of the previous input may remain.
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(directory, ec), end;
       !ec && it != end; it.increment(ec))
    llvm::sys::fs::remove(it->path());

  TextImportOptions options;
  uint8_t flags = data[0];
  static const uint32_t widths[] = {0, 1, 2, 3, 4, 8, 64, 1024};
  options.neuronsPerLayer = widths[flags & 7];
  if (flags & 8)
    options.bias = (flags & 16) ? -0.3f : 0.5f;
  if (flags & 32)
    options.ymax = 6.0f;
  llvm::StringRef text(reinterpret_cast<const char *>(data + 1), size - 1);

  llvm::SmallVector<llvm::StringRef, kMaxSegments> segments;
  text.split(segments, "\n----\n", kMaxSegments - 1);
  llvm::SmallString<256> firstLayer;
  for (auto [i, segment] : llvm::enumerate(segments)) {
    size_t layer = i / 2 + 1;
    bool isBias = i % 2 == 1;
    if (isBias && segment.empty())
      continue;
    llvm::SmallString<256> file(directory);
    llvm::sys::path::append(file, (isBias ? "bias-" : "layer-") +
                                      llvm::Twine(layer) +
                                      (isBias ? ".tsv" : SFFNN_FUZZ_EXTENSION));
    fuzz::writeFile(file, segment);
    if (i == 0)
      firstLayer = file;
  }
  llvm::Expected<Graph> graph = importLayerFiles(firstLayer, options);
  if (!graph)
    llvm::consumeError(graph.takeError());
  return 0;
}

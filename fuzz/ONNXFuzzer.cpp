//===- ONNXFuzzer.cpp - libFuzzer target for the ONNX importer ------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-fuzz-onnx: each input is an ONNX model that
// importONNX must accept or reject with an error, never crash on. The model
// sits in a folder of its own that holds one external data file,
// weights.data, so that external data is exercised too.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "sffnn/Target/ImportONNX.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <cstddef>
#include <cstdint>

using namespace sffnn;

/// The model's path, in a folder holding weights.data.
static llvm::SmallString<256> modelPath;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz::initialize(*argc, *argv);
  modelPath = fuzz::getWorkDirectory();
  llvm::sys::path::append(modelPath, "weights.data");
  // 16 f32 values: 1, 2, ..., 16.
  std::string weights;
  for (int i = 1; i <= 16; ++i) {
    float value = float(i);
    weights.append(reinterpret_cast<const char *>(&value), sizeof(value));
  }
  fuzz::writeFile(modelPath, weights);
  modelPath = fuzz::getWorkDirectory();
  llvm::sys::path::append(modelPath, "model.onnx");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<Graph> graph = importONNX(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), modelPath);
  if (!graph)
    llvm::consumeError(graph.takeError());
  return 0;
}

//===- ImportONNX.h - ONNX multilayer perceptrons to Graph ------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the ONNX importer: a feed-forward network as PyTorch
// and Keras export it becomes a Graph (docs/architecture.md, "Importers",
// lists what is accepted).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_IMPORTONNX_H
#define SFFNN_TARGET_IMPORTONNX_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace sffnn {

/// Reads the ONNX model at `path` and returns its network: one input, one
/// output, and the layers, activations, DAG structure and output epilogue
/// that constant folding and pattern matching find in the nodes
/// (docs/architecture.md, "Importers", lists what is accepted). Zero
/// weights are pruned; the layout describes the layered form.
///
/// Errors, one message each: an unreadable, truncated or corrupt file; an
/// initializer that does not hold its shape's values, is too large or holds
/// a non-finite value; external data outside the model's folder. Otherwise
/// every node that cannot be imported is listed, each with its name, op
/// and reason, in one message.
llvm::Expected<Graph> importONNX(llvm::StringRef path);

/// Imports the serialized model `data`; external data files are looked up
/// next to `path`.
llvm::Expected<Graph> importONNX(llvm::StringRef data, llvm::StringRef path);

} // namespace sffnn

#endif // SFFNN_TARGET_IMPORTONNX_H

//===- ImportONNX.h - ONNX multilayer perceptrons to Graph ------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the ONNX importer: an MLP as PyTorch and Keras export
// it becomes a layered Graph (docs/importers.md lists what is accepted).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_IMPORTONNX_H
#define SFFNN_TARGET_IMPORTONNX_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace sffnn {

/// Reads the ONNX model at `path` and returns its network: one input vector
/// (Flatten or Reshape of the input are accepted and ignored), a chain of
/// affine layers — Gemm (alpha, beta, transA = 0, transB) or MatMul with an
/// optional Add of a bias — each followed by at most one activation (Relu,
/// Sigmoid, Tanh, LeakyRelu, Clip; Identity is skipped), and the last
/// layer's values as the outputs. Initializers may be f32, f16 or f64, in
/// typed fields or raw data, or in external data files next to the model.
/// Zero weights are pruned; the layout describes the layered form.
///
/// Errors, one message each: an unreadable, truncated or corrupt file; an
/// unsupported op (naming the op and the node; a final Softmax is refused:
/// export the logits, whose argmax is the same); shapes that do not chain;
/// a weight that is not an initializer; a non-finite weight or bias; an
/// unsupported data type.
llvm::Expected<Graph> importONNX(llvm::StringRef path);

/// Imports the serialized model `data`; external data files are looked up
/// next to `path`.
llvm::Expected<Graph> importONNX(llvm::StringRef data, llvm::StringRef path);

} // namespace sffnn

#endif // SFFNN_TARGET_IMPORTONNX_H

//===- ImportText.h - TSV and MatrixMarket networks -------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the importers of layered networks stored as one sparse
// matrix file per layer, as the Sparse DNN Graph Challenge distributes them:
// TSV ("row col value", tab or space separated, 1-based) or MatrixMarket
// coordinate files. Row r, column c of layer l's matrix is the weight from
// neuron r of layer l - 1 to neuron c of layer l (Y_l = h(Y_{l-1} W_l + b)).
// It also declares the reader of sffnn's own TSV network directories, layered
// or neuron-level, written by `exportTSV` (ExportText.h).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_IMPORTTEXT_H
#define SFFNN_TARGET_IMPORTTEXT_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>

namespace sffnn {

/// How to complete what the files do not say.
struct TextImportOptions {
  /// Neurons per layer, inputs included; 0: the largest index in the files.
  uint32_t neuronsPerLayer = 0;
  /// The bias of every neuron when no bias-<l>.tsv file sits next to the
  /// layers; default: the Graph Challenge's value for 1024, 4096, 16384 or
  /// 65536 neurons (-0.3, -0.35, -0.4, -0.45).
  std::optional<float> bias;
  /// The activation is ReLU clamped at this value (the Challenge's YMAX).
  float ymax = 32.0f;
};

/// Imports the layers starting at `firstLayer`, a file whose stem ends in a
/// number (`n1024-l1.tsv`, `layer-1.mtx`): the following layers are the
/// files with the next numbers, up to the first missing one. A file
/// `bias-<l>.tsv` ("col value" lines) next to layer l gives its biases.
/// `.tsv` files are TSV, `.mtx` files MatrixMarket (coordinate real general).
///
/// Errors, one message each naming the file and line: unreadable files, a
/// malformed line or header, an index below 1 or beyond the layer, a
/// duplicate entry, a non-finite value, no bias when the size is not one of
/// the Challenge's.
llvm::Expected<Graph> importLayerFiles(llvm::StringRef firstLayer,
                                       const TextImportOptions &options);

/// Imports the TSV network directory whose header is `header` (the
/// `network.txt` that `exportTSV` writes, ExportText.h): the data files are
/// read from the header's directory. The result equals the exported graph:
/// neurons, weights, biases, activations and outputs, and for the layered
/// format the chain of layers.
///
/// Every count the header declares (inputs, neurons, layers, widths) is
/// checked against the size limits (Limits.h) before anything is allocated.
/// Errors, one message each naming the file and line: unreadable files, a
/// malformed line, a missing or repeated header key, an unknown format or
/// activation, an index out of range, a zero weight, a connection given
/// twice, a computed neuron without an activation, a non-finite value; and
/// the errors of Graph::finalize (a cycle, an output listed twice), which
/// name 0-based neuron ids.
llvm::Expected<Graph> importTSVNetwork(llvm::StringRef header);

} // namespace sffnn

#endif // SFFNN_TARGET_IMPORTTEXT_H

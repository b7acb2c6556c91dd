//===- ExportText.h - sffnn TSV networks ------------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the writer of sffnn's TSV network directories
// (docs/generators.md, "TSV"), which `importTSVNetwork` (ImportText.h)
// reads back. A directory holds a header `network.txt` and tab-separated
// data files with 1-based indices:
//
//   - a chain of layers uses the Graph Challenge convention, `layer-<l>.tsv`
//     ("row col value") and `bias-<l>.tsv` ("col value") per layer;
//   - any other network uses the neuron-level format: `graph.tsv` ("source
//     target weight" by target, then in fan-in order), `bias.tsv` ("neuron
//     value") and `outputs.tsv` (one output id per line).
//
// Numbers are printed in the shortest printf %.Pg form, P <= 9, that reads
// back as the same float, so a network round-trips exactly.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_EXPORTTEXT_H
#define SFFNN_TARGET_EXPORTTEXT_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace sffnn {

/// True if `graph` (finalized) is written in the layered format: its layout
/// is a chain of layers (one argument, layer l reads only value l, the
/// layers cover the computed neurons in order, each with one activation,
/// and the last layer is the only result, in order).
bool isLayerChain(const Graph &graph);

/// Writes the header of `graph` (finalized): "format layered|graph",
/// "inputs n_in" and then, layered, "layers L" and "layer l neurons w
/// activation KIND [PARAMS]" per layer; neuron-level, "neurons N" and
/// "activation FIRST LAST KIND [PARAMS]" per run of consecutive computed
/// neurons with the same activation. Both end with "epilogue KIND" when
/// the network has an output epilogue (softmax, log_softmax).
void writeTSVHeader(const Graph &graph, llvm::raw_ostream &os);

/// Writes the data files of `graph` (finalized) into `directory`, which must
/// exist, in the format `writeTSVHeader` names. Errors: a file that cannot
/// be opened or written, named with the system's reason.
llvm::Error writeTSVDataFiles(const Graph &graph, llvm::StringRef directory);

/// Writes `graph` (finalized) as a TSV network directory: creates
/// `directory` if needed, then writes `network.txt` and the data files.
/// Errors: as writeTSVDataFiles, and a directory that cannot be created.
llvm::Error exportTSV(const Graph &graph, llvm::StringRef directory);

} // namespace sffnn

#endif // SFFNN_TARGET_EXPORTTEXT_H

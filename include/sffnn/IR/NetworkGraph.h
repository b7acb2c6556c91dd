//===- NetworkGraph.h - The Graph of an sffnn.network -----------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares NetworkGraph, the analysis that passes fetch with
// `getAnalysis<NetworkGraph>()` (or `getChildAnalysis`) on an sffnn.network
// to work on its Graph.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_NETWORKGRAPH_H
#define SFFNN_IR_NETWORKGRAPH_H

#include "sffnn/Analysis/Graph.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace sffnn {

/// The Graph of one sffnn.network (see sffnn::buildGraph). Building it is
/// O(N + W) time and memory; it fails, with a diagnostic on the network, when
/// the op is not a network or its weights are not available.
class NetworkGraph {
public:
  explicit NetworkGraph(mlir::Operation *op);

  /// True if the graph was built.
  bool isValid() const { return graph.has_value(); }
  /// The graph; requires `isValid()`.
  const Graph &getGraph() const { return *graph; }

private:
  std::optional<Graph> graph;
};

} // namespace sffnn

#endif // SFFNN_IR_NETWORKGRAPH_H

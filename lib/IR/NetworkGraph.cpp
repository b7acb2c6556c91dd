//===- NetworkGraph.cpp - The Graph of an sffnn.network -------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the NetworkGraph analysis.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/NetworkGraph.h"
#include "sffnn/IR/GraphConversion.h"

using namespace mlir;
using namespace sffnn;

NetworkGraph::NetworkGraph(Operation *op) {
  auto network = dyn_cast<NetworkOp>(op);
  if (!network) {
    op->emitOpError() << "is not an 'sffnn.network'";
    return;
  }
  FailureOr<Graph> result = buildGraph(network);
  if (succeeded(result))
    graph = std::move(*result);
}

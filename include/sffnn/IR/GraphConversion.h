//===- GraphConversion.h - Between sffnn IR and Graph -----------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the conversions between an `sffnn.network` and the core
// library's `Graph` (include/sffnn/Analysis/Graph.h).
//
// IR -> Graph numbers the neurons as the I/O model does: the elements of the
// network's arguments, in order, are the inputs; then the computed neurons of
// each op of the body in program order (a layer's rows in order; a graph op's
// computed neurons in its own order). The outputs are the elements of the
// returned vectors, in order.
//
// Graph -> IR is the inverse: a network whose body consists of layers only,
// or of a single sffnn.graph op over all arguments whose results are returned
// in order, converts back to the same IR (the same ops, attributes and
// arrays; value names and locations aside). Any other body (layers mixed with
// graph ops, say) converts back to the neuron-level form of the same network:
// the same function, neuron for neuron.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_GRAPHCONVERSION_H
#define SFFNN_IR_GRAPHCONVERSION_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/IR/SFFNNOps.h"

#include "mlir/IR/Builders.h"

namespace sffnn {

/// Builds the Graph of a verified network, with the layout that lets
/// `buildNetwork` restore its form. Fails, with a diagnostic on the network,
/// if a weight array is not available (an elided resource blob) or the graph
/// has more than 2^32 - 1 neurons.
mlir::FailureOr<Graph> buildGraph(NetworkOp network);

/// Options for `buildNetwork`.
struct NetworkBuildOptions {
  /// Arrays with more than this many elements are stored as `dense_resource`
  /// blobs, smaller ones inline (readable) as `dense`.
  int64_t inlineLimit = 4096;
};

/// Creates an `sffnn.network` named `name` computing `graph` (a finalized
/// graph) at the builder's insertion point. Uses the layered form when the
/// graph's layout describes layers consistent with its edges, else the
/// neuron-level form (one sffnn.graph op). Returns null, after emitting an
/// error at `loc`, if the neuron-level form cannot hold the graph (more than
/// 128 distinct activations).
NetworkOp buildNetwork(mlir::OpBuilder &builder, mlir::Location loc,
                       llvm::StringRef name, const Graph &graph,
                       const NetworkBuildOptions &options = {});

} // namespace sffnn

#endif // SFFNN_IR_GRAPHCONVERSION_H

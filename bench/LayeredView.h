//===- LayeredView.h - A network as a chain of sparse layers ----*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares `LayeredView`, the form in which the baselines of
// bench/ (Eigen, GraphBLAS, MLIR's sparse compiler) run a network: the
// standard layer-by-layer inference, one sparse matrix-vector (or, for a
// batch, matrix-matrix) product per layer.
//
// Layers are the levels of the DAG: inputs are level 0 and a computed neuron
// is one level above its highest source (level 1 without sources). Neurons are
// renumbered level by level ("positions"; the inputs keep their ids), so every
// layer reads a contiguous range of earlier positions and writes the next
// range. For a chain of layers (every generator but io-optimal, and every
// imported model) layer l reads exactly layer l - 1.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_BENCH_LAYEREDVIEW_H
#define SFFNN_BENCH_LAYEREDVIEW_H

#include "sffnn/Analysis/Graph.h"

#include <cstdint>
#include <vector>

namespace sffnn {
namespace bench {

/// One layer: rows = the neurons at positions [rowBegin, rowEnd); columns =
/// the positions [colBegin, rowBegin) it reads. The matrix is CSR with
/// column indices relative to colBegin.
struct SparseLayer {
  uint32_t rowBegin = 0, rowEnd = 0, colBegin = 0;
  std::vector<int64_t> rowStarts; ///< numRows() + 1 offsets into columns.
  std::vector<int64_t> columns;   ///< Relative to colBegin, sorted per row.
  std::vector<float> values;      ///< Parallel to columns.
  std::vector<float> biases;      ///< One per row.
  std::vector<Activation> activations; ///< One per row.

  uint32_t numRows() const { return rowEnd - rowBegin; }
  uint32_t numCols() const { return rowBegin - colBegin; }
  /// True if every row has the same activation (the common case).
  bool hasUniformActivation() const;
};

/// A network as a chain of sparse layers over a state vector of N positions.
struct LayeredView {
  uint32_t numInputs = 0;
  uint32_t numNeurons = 0;
  std::vector<SparseLayer> layers;
  std::vector<uint32_t> outputPositions; ///< Position of each output.
};

/// Builds the layered view of a finalized graph. O(N + W log W).
LayeredView buildLayeredView(const Graph &graph);

/// Applies `activation` in single precision, as the generated code does.
float applyActivation(const Activation &activation, float x);

} // namespace bench
} // namespace sffnn

#endif // SFFNN_BENCH_LAYEREDVIEW_H

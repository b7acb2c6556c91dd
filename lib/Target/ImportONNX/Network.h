//===- Network.h - Affine maps and layers of the ONNX importer --*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the importer's model of a network under construction:
// numbered values (the input, then one per layer) and, for every value an
// ONNX node computes without an activation, an AffineMap of earlier values.
// Elementwise affine ops (a bias, a batch normalization, an input
// normalization), MatMul and Gemm, Add of two values (skip connections) and
// Concat compose affine maps; an activation turns one into a layer. A layer
// may read several values, so a network is any DAG of layers. Private to the
// importer.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_TARGET_IMPORTONNX_NETWORK_H
#define SFFNN_LIB_TARGET_IMPORTONNX_NETWORK_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <vector>

namespace sffnn {
namespace onnx_import {

/// y = bias + sum over terms t of M_t x_{value_t}, placed at rows
/// [rowOffset_t, rowOffset_t + rows_t) of y: an affine function of network
/// values, one sample at a time.
struct AffineMap {
  struct Term {
    uint32_t value = 0;
    uint32_t rowOffset = 0;
    uint32_t rows = 0;
    /// True if M is diagonal (rows equals the value's width) and `matrix`
    /// holds its diagonal; otherwise `matrix` is dense, rows x width,
    /// row-major.
    bool diagonal = true;
    std::vector<float> matrix;
  };
  uint32_t width = 0;
  std::vector<Term> terms;
  /// One value per row of y.
  std::vector<float> bias;

  /// True if every term is diagonal.
  bool isDiagonal() const;
  /// Multiplies row i by scale[i] (a single value: every row), bias
  /// included.
  void scaleRows(llvm::ArrayRef<double> scale);
  /// Adds c[i] (a single value: to every row) to the bias.
  void addToBias(llvm::ArrayRef<double> c);
};

/// a + b; both have the same width.
AffineMap addMaps(AffineMap a, const AffineMap &b);

/// The maps stacked: the rows of the first, then those of the next, ...
AffineMap concatMaps(llvm::ArrayRef<AffineMap> maps);

/// The values and layers of a network under construction.
class NetworkBuilder {
public:
  /// Value 0 is the network's input of `numInputs` values.
  explicit NetworkBuilder(uint32_t numInputs);

  /// The number of elements of `value`.
  uint32_t getWidth(uint32_t value) const { return widths[value]; }

  /// x_value itself.
  AffineMap identity(uint32_t value) const;

  /// The value x itself when `map` is x_value exactly (identity, no bias).
  std::optional<uint32_t> getPlainValue(const AffineMap &map) const;

  /// y = x W + b for a diagonal `map` x: W is `in` x `out` (`out` x `in`
  /// when `transposed`), row-major, `in` == map.width. The product keeps
  /// W's zeros.
  AffineMap multiply(const AffineMap &map, llvm::ArrayRef<float> weights,
                     uint32_t in, uint32_t out, bool transposed) const;

  /// Adds a layer computing activation(map), one activation per row or a
  /// single one for all, and returns its value. An identity activation of a
  /// plain value returns that value. Errors: too many neurons.
  llvm::Expected<uint32_t> addLayer(const AffineMap &map,
                                    std::vector<Activation> activations);

  /// The network: the layers in order and `results` (layer values, in
  /// order) as its outputs, with `epilogue`. Zero weights are pruned.
  /// Errors: an unused-input network (no layers), Graph's own checks.
  llvm::Expected<Graph> build(llvm::ArrayRef<uint32_t> results,
                              OutputEpilogue epilogue) const;

private:
  struct Layer {
    AffineMap map;
    std::vector<Activation> activations;
  };
  std::vector<uint32_t> widths;
  std::vector<Layer> layers;
  uint64_t numNeurons;
};

} // namespace onnx_import
} // namespace sffnn

#endif // SFFNN_LIB_TARGET_IMPORTONNX_NETWORK_H

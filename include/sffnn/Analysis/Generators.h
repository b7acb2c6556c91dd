//===- Generators.h - Generated sparse networks -----------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the network generators behind sffnn-gen, the benchmarks
// and the tests. Every generator is deterministic: the same options and seed
// give the same graph on every platform (std::mt19937_64 raw output only, no
// standard-library distributions).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_ANALYSIS_GENERATORS_H
#define SFFNN_ANALYSIS_GENERATORS_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace sffnn {

/// Options of the random layered generator.
struct LayeredOptions {
  /// Layer widths, inputs first, outputs last (at least two, all positive).
  std::vector<uint32_t> widths;
  /// Distinct sources per computed neuron, drawn uniformly from the previous
  /// layer (capped at its width).
  uint32_t fanIn = 8;
  /// Activation of hidden layers (identity, relu, sigmoid or tanh); the
  /// output layer is identity.
  ActivationKind hiddenActivation = ActivationKind::Relu;
  /// Biases are uniform in [-biasScale, biasScale].
  float biasScale = 0.1f;
  uint64_t seed = 1;
};

/// A random layered network: weights uniform in [-1, 1] with |w| >= 1e-3,
/// the layout filled in (one argument, one layer per width after the first,
/// the last layer returned). Errors: invalid options.
llvm::Expected<Graph> generateLayered(const LayeredOptions &options);

} // namespace sffnn

#endif // SFFNN_ANALYSIS_GENERATORS_H

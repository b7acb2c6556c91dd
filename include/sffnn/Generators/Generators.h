//===- Generators.h - Generated sparse networks -----------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the network generators behind sffnn-gen, the benchmarks
// and the tests. Every generator is deterministic: the same options and seed
// give the same graph on every platform (std::mt19937_64 raw output only, no
// standard-library distributions). docs/generators.md describes the
// generators, the file formats of sffnn-gen and the proofs of the I/O-optimal
// construction.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_GENERATORS_GENERATORS_H
#define SFFNN_GENERATORS_GENERATORS_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
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

//===----------------------------------------------------------------------===//
// Graph Challenge
//===----------------------------------------------------------------------===//

/// Options of the Sparse DNN Graph Challenge style generator
/// (docs/generators.md, "graph-challenge").
struct GraphChallengeOptions {
  /// n: neurons per layer, inputs included (at least `connections`).
  uint32_t neuronsPerLayer = 1024;
  /// L: computed layers (at least one).
  uint32_t layers = 120;
  /// Connections per computed neuron, also the radix of the strides
  /// (1 <= connections <= neuronsPerLayer). The Challenge uses 32.
  uint32_t connections = 32;
  /// The bias of every computed neuron. Unset: the Challenge's value for
  /// n = 1024, 4096, 16384, 65536 (-0.3, -0.35, -0.4, -0.45); for other n
  /// it must be set.
  std::optional<float> bias;
  /// False: every weight is 1/16, as in the Challenge. True: weights uniform
  /// in [-1/8, 1/8] with |w| >= 1/8000.
  bool randomWeights = false;
  /// True: the neurons of every layer (inputs and outputs included) are
  /// relabeled by a random permutation. The network is isomorphic to the
  /// unpermuted one, but neuron ids no longer reveal its locality.
  bool permute = false;
  uint64_t seed = 1;
};

/// The strides s_0, s_1, ... that the layers of a Graph Challenge network
/// cycle through, for n = `neuronsPerLayer` and radix c = `connections`:
/// the powers c^t with c^(t+1) <= n, followed by floor(n / c) if that is
/// larger than the last power (so c^t < n is not a multiple of c^(t+1)).
/// Every stride s has (c - 1) * s < n, so the c sources of a neuron are
/// distinct. For c = 1 the list is {1}. Requires 1 <= c <= n.
std::vector<uint32_t> getGraphChallengeStrides(uint32_t neuronsPerLayer,
                                               uint32_t connections);

/// The bias the Sparse DNN Graph Challenge uses for n neurons per layer
/// (-0.3, -0.35, -0.4, -0.45 for n = 1024, 4096, 16384, 65536), or
/// std::nullopt for other n.
std::optional<float> getGraphChallengeBias(uint32_t neuronsPerLayer);

/// A Sparse DNN Graph Challenge style network: n inputs and L layers of n
/// computed neurons. With layer l (0-based) using stride s = strides[l mod
/// |strides|] (`getGraphChallengeStrides`) and a random rotation o_l in
/// [0, n), neuron j of layer l + 1 reads neurons (j + o_l + k * s) mod n,
/// k = 0 .. c - 1, of layer l (before the optional permutation). Every
/// computed neuron has the same bias and the activation clamp(0, 32) (ReLU
/// clamped at 32), the last layer included; the last layer is the output.
/// Layout: one argument, one layer per layer, the last returned.
/// Errors: n < c, c = 0, L = 0, more than 2^32 - 2 neurons, no default bias
/// for n, a non-finite bias.
llvm::Expected<Graph>
generateGraphChallenge(const GraphChallengeOptions &options);

//===----------------------------------------------------------------------===//
// Banded
//===----------------------------------------------------------------------===//

/// Options of the banded layered generator (docs/generators.md, "banded").
struct BandedOptions {
  /// Layer widths, inputs first, outputs last (at least two, all positive).
  std::vector<uint32_t> widths;
  /// Distinct sources per computed neuron (1 <= fanIn <= bandwidth; capped
  /// at the width of narrower layers).
  uint32_t fanIn = 8;
  /// Consecutive neurons of the previous layer a neuron may read (positive).
  uint32_t bandwidth = 32;
  /// Activation of hidden layers (identity, relu, sigmoid or tanh); the
  /// output layer is identity.
  ActivationKind hiddenActivation = ActivationKind::Relu;
  /// Biases are uniform in [-biasScale, biasScale].
  float biasScale = 0.1f;
  uint64_t seed = 1;
};

/// The band of neuron j (0-based, in its layer) of a layer of width
/// `width` fed by a layer of width `previousWidth`: the first of the
/// min(bandwidth, previousWidth) consecutive neurons of the previous layer,
/// centred at floor(j * previousWidth / width) and shifted to lie inside it.
uint32_t getBandBegin(uint32_t j, uint32_t width, uint32_t previousWidth,
                      uint32_t bandwidth);

/// A banded layered network: neuron j of every computed layer draws its
/// fan-in distinct sources uniformly from its band (`getBandBegin`) of the
/// previous layer; weights uniform in [-1, 1] with |w| >= 1e-3, biases
/// uniform in [-biasScale, biasScale]. Layout as `generateLayered`.
/// Errors: invalid options (each with its own message).
llvm::Expected<Graph> generateBanded(const BandedOptions &options);

//===----------------------------------------------------------------------===//
// I/O-optimal networks
//===----------------------------------------------------------------------===//

/// Options of the constructive generator of networks whose optimal plan
/// costs exactly the lower bound (docs/generators.md, "io-optimal").
struct IOOptimalOptions {
  uint32_t numNeurons = 0;     ///< N = |V|, inputs included
  uint64_t numConnections = 0; ///< W = |E|
  uint32_t numInputs = 0;      ///< n_in (at least 1); all of them are used
  uint32_t numOutputs = 0;     ///< n_out (1 <= n_out <= N - n_in)
  uint32_t fastMemory = 0;     ///< M, in words (at least 3)
  /// The probability that a computed neuron's bias is zero; the others are
  /// uniform in [-1, 1] with |b| >= 1e-3.
  double zeroBiasFraction = 0.5;
  /// s: weights are uniform in [-s, s] with |w| >= s * 1e-3 (finite, > 0).
  /// Deep io-optimal networks are chains; with fan-in c and s well below
  /// 1 / sqrt(c) their values neither explode nor become chaotic.
  float weightScale = 1.0f;
  /// Activation of the computed neurons that are not outputs (identity,
  /// relu, sigmoid or tanh); outputs are identity.
  ActivationKind hiddenActivation = ActivationKind::Relu;
  uint64_t seed = 1;
};

/// The connection counts the construction can reach for the given N, n_in,
/// n_out and M (independent of the seed).
struct IOOptimalRange {
  /// W_min = n_in + (N - n_in) - n_out: every input and every computed
  /// neuron that is not an output has one out-edge.
  uint64_t minConnections = 0;
  /// W_max = sum over computed neurons i of min(M - 2, A_i + i), where A_i
  /// is the number of inputs loaded up to neuron i when they are loaded as
  /// early as possible.
  uint64_t maxConnections = 0;
};

/// Checks N, n_in, n_out and M (not W) and returns the range of W.
/// Errors, one message each: M < 3; n_in = 0; N <= n_in (no computed
/// neuron); n_out = 0 or n_out > N - n_in; more inputs than the
/// construction can load, n_in > (N - n_in) * (M - 3) + n_out.
llvm::Expected<IOOptimalRange> getIOOptimalRange(uint32_t numNeurons,
                                                 uint32_t numInputs,
                                                 uint32_t numOutputs,
                                                 uint32_t fastMemory);

/// A generated I/O-optimal network and its construction order.
struct IOOptimalNetwork {
  /// The neuron-level network (no layout layers): inputs [0, n_in), then
  /// the computed neurons in construction order; the last n_out are the
  /// outputs, in id order.
  Graph graph;
  /// The computed neurons in construction order (n_in, ..., N - 1): a
  /// topological order, equal to `getTwoOptimalOrder(graph)`.
  std::vector<NeuronId> order;
};

/// Generates a random network with the counts N, W, n_in, n_out of
/// `options` whose optimal plan for M = `fastMemory` words costs exactly
/// LB = W + B + n_in + n_out (n_in' = n_in). The planner on the pull order
/// of `order` meets LB for every M' >= M (docs/generators.md has the
/// construction and both proofs). Errors: those of `getIOOptimalRange`, W
/// outside [W_min, W_max] (naming the range and the parameters), W >= 2^32,
/// a zero-bias fraction outside [0, 1], an unsupported activation.
/// Time O((N + W) log M + N log n_in), memory O(N + W).
llvm::Expected<IOOptimalNetwork>
generateIOOptimal(const IOOptimalOptions &options);

} // namespace sffnn

#endif // SFFNN_GENERATORS_GENERATORS_H

//===- Graph.h - A sparse FFNN as a neuron-level DAG ------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares `Graph`, the plain C++ view of a sparse feed-forward
// neural network that every analysis, scheduler and planner works on. It uses
// LLVM's ADT and Support libraries but no MLIR types, so it can be unit tested
// and reused on its own.
//
// The model is the one of docs/io-model.md (section 1): a DAG
// G = (V, E) whose neurons V are the inputs I followed by the computed neurons
// C; every edge (u, v) carries a non-zero weight w_uv; every computed neuron v
// has a bias b_v and an activation sigma_v and computes
//
//     x_v = sigma_v(b_v + sum_{(u, v) in E} w_uv * x_u).
//
// Neuron ids are dense: [0, n_in) are the inputs, [n_in, N) the computed
// neurons. Ids need not be a topological order; `finalize` rejects cycles.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_ANALYSIS_GRAPH_H
#define SFFNN_ANALYSIS_GRAPH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sffnn {

/// Dense id of a neuron: inputs first, then computed neurons.
using NeuronId = uint32_t;

//===----------------------------------------------------------------------===//
// Activation
//===----------------------------------------------------------------------===//

/// The activation functions a computed neuron may apply to its accumulator.
/// The numbering is stable: it is shared with the dialect's ActivationKind.
enum class ActivationKind : uint8_t {
  Identity = 0,  ///< sigma(x) = x
  Relu = 1,      ///< sigma(x) = max(x, 0)
  Clamp = 2,     ///< sigma(x) = min(max(x, lo), hi)
  Sigmoid = 3,   ///< sigma(x) = 1 / (1 + exp(-x))
  Tanh = 4,      ///< sigma(x) = tanh(x)
  LeakyRelu = 5, ///< sigma(x) = x >= 0 ? x : alpha * x
  /// sigma(x) = x / 2 * (1 + erf(x / sqrt(2))) (Hendrycks and Gimpel, 2016).
  Gelu = 6,
  /// sigma(x) = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))), the
  /// tanh approximation of GELU (Hendrycks and Gimpel, 2016, section 2).
  GeluTanh = 7,
  Silu = 8, ///< sigma(x) = x / (1 + exp(-x)) (also called swish)
  Elu = 9,  ///< sigma(x) = x > 0 ? x : alpha * (exp(x) - 1)
  /// sigma(x) = min(max(alpha * x + beta, 0), 1) (ONNX HardSigmoid).
  HardSigmoid = 10,
  /// sigma(x) = x * min(max(x / 6 + 1 / 2, 0), 1) (ONNX HardSwish).
  HardSwish = 11,
};

/// The last activation kind (for range checks of decoded kinds).
constexpr ActivationKind kLastActivationKind = ActivationKind::HardSwish;

/// Returns the lower-case keyword of `kind` ("identity", "relu", "clamp",
/// "sigmoid", "tanh", "leaky_relu", "gelu", "gelu_tanh", "silu", "elu",
/// "hard_sigmoid", "hard_swish"), as spelled in the IR.
llvm::StringRef stringifyActivationKind(ActivationKind kind);

/// Parses a keyword produced by `stringifyActivationKind`.
std::optional<ActivationKind> symbolizeActivationKind(llvm::StringRef keyword);

/// An activation function with its parameters. Parameters not used by the
/// kind are zero, so that equality is plain member-wise equality.
struct Activation {
  ActivationKind kind = ActivationKind::Identity;
  /// Clamp: the lower bound `lo`. LeakyRelu: the slope `alpha` applied to
  /// negative inputs. Elu: `alpha`. HardSigmoid: the slope `alpha`.
  /// Otherwise 0.
  float param0 = 0.0f;
  /// Clamp: the upper bound `hi`. HardSigmoid: the offset `beta`.
  /// Otherwise 0.
  float param1 = 0.0f;

  static Activation identity() { return {ActivationKind::Identity}; }
  static Activation relu() { return {ActivationKind::Relu}; }
  static Activation clamp(float lo, float hi) {
    return {ActivationKind::Clamp, lo, hi};
  }
  static Activation sigmoid() { return {ActivationKind::Sigmoid}; }
  static Activation tanh() { return {ActivationKind::Tanh}; }
  static Activation leakyRelu(float alpha) {
    return {ActivationKind::LeakyRelu, alpha};
  }
  static Activation gelu() { return {ActivationKind::Gelu}; }
  static Activation geluTanh() { return {ActivationKind::GeluTanh}; }
  static Activation silu() { return {ActivationKind::Silu}; }
  static Activation elu(float alpha) { return {ActivationKind::Elu, alpha}; }
  static Activation hardSigmoid(float alpha, float beta) {
    return {ActivationKind::HardSigmoid, alpha, beta};
  }
  static Activation hardSwish() { return {ActivationKind::HardSwish}; }

  /// Applies the activation in double precision (the reference semantics).
  double apply(double x) const;

  /// Checks the parameters: finite, lo <= hi for Clamp, and zero where the
  /// kind takes none. Returns a message naming the problem, or "" if valid.
  std::string validate() const;

  bool operator==(const Activation &other) const {
    return kind == other.kind && param0 == other.param0 &&
           param1 == other.param1;
  }
  bool operator!=(const Activation &other) const { return !(*this == other); }
};

//===----------------------------------------------------------------------===//
// OutputEpilogue
//===----------------------------------------------------------------------===//

/// A function applied to the whole output vector y (all n_out outputs, in
/// order) after the network has computed it. It is not part of the I/O
/// model's neurons: the plan computes and stores the outputs, then the
/// epilogue reads and rewrites them in place (docs/io-model.md, "Output
/// epilogue").
enum class OutputEpilogue : uint8_t {
  None = 0,       ///< y
  Softmax = 1,    ///< exp(y_i - max y) / sum_j exp(y_j - max y)
  LogSoftmax = 2, ///< y_i - max y - log(sum_j exp(y_j - max y))
};

/// "none", "softmax" or "log_softmax".
llvm::StringRef stringifyOutputEpilogue(OutputEpilogue epilogue);

/// Parses a keyword produced by `stringifyOutputEpilogue`.
std::optional<OutputEpilogue> symbolizeOutputEpilogue(llvm::StringRef keyword);

/// Applies `epilogue` to `values` in place, in double precision.
void applyOutputEpilogue(OutputEpilogue epilogue,
                         llvm::MutableArrayRef<double> values);

//===----------------------------------------------------------------------===//
// GraphCounts
//===----------------------------------------------------------------------===//

/// The counts of docs/io-model.md section 1 that the I/O bounds are built from.
struct GraphCounts {
  uint64_t numNeurons = 0;       ///< N = |V|
  uint64_t numInputs = 0;        ///< n_in = |I|
  uint64_t numUsedInputs = 0;    ///< n_in' = inputs with at least one out-edge
  uint64_t numComputed = 0;      ///< |C| = N - n_in
  uint64_t numOutputs = 0;       ///< n_out = |O|
  uint64_t numConnections = 0;   ///< W = |E|
  uint64_t numNonZeroBiases = 0; ///< B = computed neurons with b_v != 0

  bool operator==(const GraphCounts &other) const;
};

//===----------------------------------------------------------------------===//
// GraphLayout
//===----------------------------------------------------------------------===//

/// The name and shape of a model's input or output tensor, as the model
/// declares them. Dimension 0 of a shape of rank 2 or more is the batch: a
/// fixed size, or kDynamicDim when the model leaves it open; the other
/// dimensions (all of them for rank 1) describe one sample.
struct TensorSignature {
  /// A batch dimension the model leaves open (symbolic or unknown).
  static constexpr int64_t kDynamicDim = -1;

  std::string name;
  std::vector<int64_t> shape;

  /// The elements of one sample: the product of the dimensions after the
  /// batch (of all of them for rank 1), saturating at UINT64_MAX.
  uint64_t getSampleSize() const;
  /// Why this is not a valid signature (an empty name, rank 0, a dimension
  /// below 1 other than a dynamic batch), or "" if it is one.
  std::string validate() const;

  bool operator==(const TensorSignature &other) const {
    return name == other.name && shape == other.shape;
  }
};

/// The input and output tensors of the model a network was imported from:
/// the network's arguments concatenated are one sample of `input`, its
/// results concatenated one sample of `output`.
struct ModelSignature {
  TensorSignature input, output;
};

/// How the neurons of a graph group into the tensors of the IR it came from.
/// It is descriptive only (no analysis reads it) and lets the conversion back
/// to IR reproduce the layered form exactly.
///
/// Values are numbered: the network's arguments are values
/// [0, argumentSizes.size()), layer i is value argumentSizes.size() + i.
struct GraphLayout {
  /// One `sffnn.layer`: it computes the neurons [begin, end) from the
  /// concatenation of its operand values.
  struct Layer {
    NeuronId begin = 0;
    NeuronId end = 0;
    std::vector<uint32_t> operands;
  };

  /// Sizes of the network's tensor arguments; they add up to n_in.
  std::vector<uint32_t> argumentSizes;
  /// Sizes of the network's tensor results; they add up to n_out.
  std::vector<uint32_t> resultSizes;
  /// The layers in program order. Empty for the neuron-level form.
  std::vector<Layer> layers;
  /// Layered form only: the values the network returns, in order.
  std::vector<uint32_t> results;
  /// The names and shapes of the input and output tensors of the model the
  /// network was imported from, when it says (ONNX).
  std::optional<ModelSignature> signature;
};

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

/// A sparse FFNN as a DAG with CSR fan-in and fan-out adjacency.
///
/// Build it with `addNeuron` / `addFanIn` / `addOutput`, then call `finalize`,
/// which validates the graph and builds the fan-out adjacency. The queries
/// below the "Finalized graph" banner require a successfully finalized graph.
///
/// Memory: O(N + W) words; about 20 bytes per connection.
class Graph {
public:
  /// Creates a graph whose neurons [0, numInputs) are inputs.
  explicit Graph(uint32_t numInputs = 0);

  //===--------------------------------------------------------------------===//
  // Construction
  //===--------------------------------------------------------------------===//

  /// Appends a computed neuron with bias `bias` and activation `activation`
  /// and returns its id. Its fan-in is added with `addFanIn` before the next
  /// neuron is added.
  NeuronId addNeuron(float bias, Activation activation);

  /// Adds the edge (source, v) with weight `weight` to the fan-in of the most
  /// recently added neuron v. Edges keep the order they are added in.
  /// `source` may be any neuron id, also one added later (checked by
  /// `finalize`).
  void addFanIn(NeuronId source, float weight);

  /// Appends `neuron` to the ordered list of outputs.
  void addOutput(NeuronId neuron);

  /// Reserves room for `numComputed` more neurons and `numConnections` more
  /// edges.
  void reserve(uint64_t numComputed, uint64_t numConnections);

  /// The function applied to the output vector after the network (none by
  /// default).
  OutputEpilogue getOutputEpilogue() const { return epilogue; }
  void setOutputEpilogue(OutputEpilogue value) { epilogue = value; }

  /// The IR structure to restore on conversion back to IR; may be left empty.
  GraphLayout &getLayout() { return layout; }
  const GraphLayout &getLayout() const { return layout; }

  /// Validates the graph and builds the fan-out adjacency. Errors, each a
  /// single message naming the offending neurons: an edge source out of
  /// range, a self-loop, two edges (u, v) with the same u and v, a zero or
  /// non-finite weight, a non-finite bias, invalid activation parameters, an
  /// output that is an input, out of range or listed twice, no outputs, and a
  /// cycle (named as "a -> b -> ... -> a").
  llvm::Error finalize();

  //===--------------------------------------------------------------------===//
  // Finalized graph
  //===--------------------------------------------------------------------===//

  /// N = |V|.
  uint32_t getNumNeurons() const { return numInputs + getNumComputed(); }
  /// n_in = |I|.
  uint32_t getNumInputs() const { return numInputs; }
  /// |C| = N - n_in.
  uint32_t getNumComputed() const { return biases.size(); }
  /// W = |E|.
  uint64_t getNumConnections() const { return fanInSources.size(); }
  /// n_out = |O|.
  uint32_t getNumOutputs() const { return outputs.size(); }

  /// All counts of docs/io-model.md section 1: N, n_in, n_in', |C|, n_out,
  /// W and B.
  GraphCounts getCounts() const;

  bool isInput(NeuronId v) const { return v < numInputs; }

  /// The sources u of the edges (u, v), in insertion order; empty for inputs.
  llvm::ArrayRef<NeuronId> getFanIn(NeuronId v) const;
  /// The weights w_uv, parallel to `getFanIn(v)`.
  llvm::ArrayRef<float> getFanInWeights(NeuronId v) const;
  /// Index in [0, W) of the first edge of v's fan-in (0 for an input); edge
  /// ids number the fan-in lists of computed neurons in id order.
  uint64_t getFanInBegin(NeuronId v) const;

  /// The targets v of the edges (u, v), in increasing id order.
  llvm::ArrayRef<NeuronId> getFanOut(NeuronId u) const;
  /// The edge ids of `getFanOut(u)`, parallel to it.
  llvm::ArrayRef<uint64_t> getFanOutEdges(NeuronId u) const;

  /// b_v of a computed neuron v.
  float getBias(NeuronId v) const { return biases[v - numInputs]; }
  /// sigma_v of a computed neuron v.
  const Activation &getActivation(NeuronId v) const {
    return activations[v - numInputs];
  }

  /// The ordered outputs O (computed neurons, pairwise distinct).
  llvm::ArrayRef<NeuronId> getOutputs() const { return outputs; }

  /// True if every edge (u, v) has u < v.
  bool isTopologicallyOrdered() const;

  /// A topological order of all neurons: Kahn's algorithm that always takes
  /// the smallest ready id, so it is deterministic and equals the identity
  /// when `isTopologicallyOrdered()`.
  std::vector<NeuronId> getTopologicalOrder() const;

  /// The level of every neuron, indexed by id (N entries): the length of the
  /// longest path from the inputs. Inputs are level 0; a computed neuron is
  /// one above its highest source, and level 1 without sources. O(N + W).
  std::vector<uint32_t> getLevels() const;

  /// Evaluates the network in double precision (the reference semantics of
  /// docs/io-model.md section 1). `inputs` has n_in values; returns the n_out
  /// output values in output order, after the output epilogue.
  std::vector<double> evaluate(llvm::ArrayRef<double> inputs) const;

  /// Finds a directed cycle in a graph whose edges are in range (it need not
  /// be finalized). Returns its neurons in edge order, starting with its
  /// smallest id, which is not repeated at the end, or std::nullopt if the
  /// graph is acyclic. Deterministic. O(N + W).
  std::optional<std::vector<NeuronId>> findCycle() const;

private:
  uint32_t numInputs;
  /// Fan-in CSR over computed neurons: neuron numInputs + i owns the edges
  /// [fanInOffsets[i], fanInOffsets[i + 1]).
  std::vector<uint64_t> fanInOffsets;
  std::vector<NeuronId> fanInSources;
  std::vector<float> fanInWeights;
  /// Fan-out CSR over all neurons, built by `finalize`.
  std::vector<uint64_t> fanOutOffsets;
  std::vector<NeuronId> fanOutTargets;
  std::vector<uint64_t> fanOutEdges;
  std::vector<float> biases;
  std::vector<Activation> activations;
  std::vector<NeuronId> outputs;
  OutputEpilogue epilogue = OutputEpilogue::None;
  GraphLayout layout;
};

} // namespace sffnn

#endif // SFFNN_ANALYSIS_GRAPH_H

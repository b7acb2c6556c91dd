//===- Graph.cpp - A sparse FFNN as a neuron-level DAG --------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements `Graph`, the plain C++ view of a sparse feed-forward
// neural network: its construction, its validation (`finalize`), the fan-out
// CSR, cycle detection, the topological order and the double-precision
// reference evaluation of docs/io-model.md section 1.
//
// Every pass over the graph is O(N + W) (the topological order adds a log N
// factor only for neurons whose ids are out of topological order) and none
// recurses, so graphs of 10^7 edges and chains of 10^6 neurons are fine.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Graph.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <queue>

using namespace sffnn;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Marks a neuron that no computed neuron has visited yet; never a valid id
/// because `addNeuron` keeps N below it.
static constexpr NeuronId kNoNeuron = std::numeric_limits<NeuronId>::max();

/// Formats `value` for a diagnostic: the shortest of "%g" and "%.9g" that
/// reads back as the same float, and "nan", "inf" or "-inf" otherwise.
static std::string formatFloat(float value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", static_cast<double>(value));
  if (static_cast<float>(std::strtod(buffer, nullptr)) != value)
    std::snprintf(buffer, sizeof(buffer), "%.9g", static_cast<double>(value));
  return buffer;
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// Activation
//===----------------------------------------------------------------------===//

llvm::StringRef sffnn::stringifyActivationKind(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Identity:
    return "identity";
  case ActivationKind::Relu:
    return "relu";
  case ActivationKind::Clamp:
    return "clamp";
  case ActivationKind::Sigmoid:
    return "sigmoid";
  case ActivationKind::Tanh:
    return "tanh";
  case ActivationKind::LeakyRelu:
    return "leaky_relu";
  case ActivationKind::Gelu:
    return "gelu";
  case ActivationKind::GeluTanh:
    return "gelu_tanh";
  case ActivationKind::Silu:
    return "silu";
  case ActivationKind::Elu:
    return "elu";
  case ActivationKind::HardSigmoid:
    return "hard_sigmoid";
  case ActivationKind::HardSwish:
    return "hard_swish";
  }
  return "";
}

std::optional<ActivationKind>
sffnn::symbolizeActivationKind(llvm::StringRef keyword) {
  return llvm::StringSwitch<std::optional<ActivationKind>>(keyword)
      .Case("identity", ActivationKind::Identity)
      .Case("relu", ActivationKind::Relu)
      .Case("clamp", ActivationKind::Clamp)
      .Case("sigmoid", ActivationKind::Sigmoid)
      .Case("tanh", ActivationKind::Tanh)
      .Case("leaky_relu", ActivationKind::LeakyRelu)
      .Case("gelu", ActivationKind::Gelu)
      .Case("gelu_tanh", ActivationKind::GeluTanh)
      .Case("silu", ActivationKind::Silu)
      .Case("elu", ActivationKind::Elu)
      .Case("hard_sigmoid", ActivationKind::HardSigmoid)
      .Case("hard_swish", ActivationKind::HardSwish)
      .Default(std::nullopt);
}

double Activation::apply(double x) const {
  switch (kind) {
  case ActivationKind::Identity:
    return x;
  case ActivationKind::Relu:
    // Written so that NaN propagates.
    return x < 0.0 ? 0.0 : x;
  case ActivationKind::Clamp:
    return std::min(std::max(x, static_cast<double>(param0)),
                    static_cast<double>(param1));
  case ActivationKind::Sigmoid:
    return 1.0 / (1.0 + std::exp(-x));
  case ActivationKind::Tanh:
    return std::tanh(x);
  case ActivationKind::LeakyRelu:
    return x >= 0.0 ? x : static_cast<double>(param0) * x;
  case ActivationKind::Gelu:
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  case ActivationKind::GeluTanh: {
    const double beta = std::sqrt(2.0 / llvm::numbers::pi), kappa = 0.044715;
    return 0.5 * x * (1.0 + std::tanh(beta * (x + kappa * x * x * x)));
  }
  case ActivationKind::Silu:
    return x / (1.0 + std::exp(-x));
  case ActivationKind::Elu:
    return x > 0.0 ? x : static_cast<double>(param0) * std::expm1(x);
  case ActivationKind::HardSigmoid:
    return std::min(
        std::max(static_cast<double>(param0) * x + static_cast<double>(param1),
                 0.0),
        1.0);
  case ActivationKind::HardSwish:
    return x * std::min(std::max(x / 6.0 + 0.5, 0.0), 1.0);
  }
  llvm_unreachable("invalid activation kind");
}

std::string Activation::validate() const {
  // The kind may come from a cast of an unchecked integer.
  if (static_cast<unsigned>(kind) > static_cast<unsigned>(kLastActivationKind))
    return "unknown activation kind " +
           std::to_string(static_cast<unsigned>(kind));

  // The names of the parameters `kind` uses; null where it takes none.
  const char *paramNames[2] = {nullptr, nullptr};
  switch (kind) {
  case ActivationKind::Identity:
  case ActivationKind::Relu:
  case ActivationKind::Sigmoid:
  case ActivationKind::Tanh:
  case ActivationKind::Gelu:
  case ActivationKind::GeluTanh:
  case ActivationKind::Silu:
  case ActivationKind::HardSwish:
    break;
  case ActivationKind::Elu:
    paramNames[0] = "alpha";
    break;
  case ActivationKind::HardSigmoid:
    paramNames[0] = "slope";
    paramNames[1] = "offset";
    break;
  case ActivationKind::Clamp:
    paramNames[0] = "lower bound";
    paramNames[1] = "upper bound";
    break;
  case ActivationKind::LeakyRelu:
    paramNames[0] = "slope";
    break;
  }

  llvm::StringRef name = stringifyActivationKind(kind);
  const float params[2] = {param0, param1};
  for (unsigned i = 0; i < 2; ++i) {
    if (!paramNames[i]) {
      if (params[i] != 0.0f)
        return (name + " takes no param" + llvm::Twine(i) + ", but it is " +
                formatFloat(params[i]) + " (must be 0)")
            .str();
      continue;
    }
    if (!std::isfinite(params[i]))
      return (name + " " + paramNames[i] + " is not finite (" +
              formatFloat(params[i]) + ")")
          .str();
  }

  if (kind == ActivationKind::Clamp && param0 > param1)
    return "clamp lower bound " + formatFloat(param0) +
           " exceeds upper bound " + formatFloat(param1);
  return "";
}

//===----------------------------------------------------------------------===//
// OutputEpilogue
//===----------------------------------------------------------------------===//

llvm::StringRef sffnn::stringifyOutputEpilogue(OutputEpilogue epilogue) {
  switch (epilogue) {
  case OutputEpilogue::None:
    return "none";
  case OutputEpilogue::Softmax:
    return "softmax";
  case OutputEpilogue::LogSoftmax:
    return "log_softmax";
  }
  return "";
}

std::optional<OutputEpilogue>
sffnn::symbolizeOutputEpilogue(llvm::StringRef keyword) {
  return llvm::StringSwitch<std::optional<OutputEpilogue>>(keyword)
      .Case("none", OutputEpilogue::None)
      .Case("softmax", OutputEpilogue::Softmax)
      .Case("log_softmax", OutputEpilogue::LogSoftmax)
      .Default(std::nullopt);
}

void sffnn::applyOutputEpilogue(OutputEpilogue epilogue,
                                llvm::MutableArrayRef<double> values) {
  if (epilogue == OutputEpilogue::None || values.empty())
    return;
  double largest = values[0];
  for (double y : values)
    largest = std::max(largest, y);
  double sum = 0.0;
  for (double y : values)
    sum += std::exp(y - largest);
  for (double &y : values)
    y = epilogue == OutputEpilogue::Softmax ? std::exp(y - largest) / sum
                                            : y - largest - std::log(sum);
}

//===----------------------------------------------------------------------===//
// GraphCounts
//===----------------------------------------------------------------------===//

bool GraphCounts::operator==(const GraphCounts &other) const {
  return numNeurons == other.numNeurons && numInputs == other.numInputs &&
         numUsedInputs == other.numUsedInputs &&
         numComputed == other.numComputed && numOutputs == other.numOutputs &&
         numConnections == other.numConnections &&
         numNonZeroBiases == other.numNonZeroBiases;
}

//===----------------------------------------------------------------------===//
// TensorSignature
//===----------------------------------------------------------------------===//

uint64_t TensorSignature::getSampleSize() const {
  llvm::ArrayRef<int64_t> dims(shape);
  if (dims.size() > 1)
    dims = dims.drop_front();
  uint64_t size = 1;
  for (int64_t dim : dims) {
    if (dim < 0)
      return 0;
    size = llvm::SaturatingMultiply(size, uint64_t(dim));
  }
  return size;
}

std::string TensorSignature::validate() const {
  if (name.empty())
    return "the name is empty";
  if (shape.empty())
    return "the shape of '" + name + "' has rank 0";
  for (auto [i, dim] : llvm::enumerate(shape)) {
    bool batch = i == 0 && shape.size() > 1;
    if (dim < 1 && !(batch && dim == kDynamicDim))
      return "dimension " + std::to_string(i) + " of '" + name + "' is " +
             std::to_string(dim) +
             (batch ? "; expected a size of at least 1, or -1 (dynamic)"
                    : "; expected a size of at least 1");
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Graph: construction
//===----------------------------------------------------------------------===//

Graph::Graph(uint32_t numInputs) : numInputs(numInputs), fanInOffsets{0} {
  assert(numInputs < kNoNeuron && "too many inputs");
}

NeuronId Graph::addNeuron(float bias, Activation activation) {
  assert(uint64_t(getNumNeurons()) + 1 < kNoNeuron && "too many neurons");
  NeuronId id = getNumNeurons();
  biases.push_back(bias);
  activations.push_back(activation);
  fanInOffsets.push_back(fanInOffsets.back());
  return id;
}

void Graph::addFanIn(NeuronId source, float weight) {
  assert(!biases.empty() && "addFanIn before any addNeuron");
  fanInSources.push_back(source);
  fanInWeights.push_back(weight);
  ++fanInOffsets.back();
}

void Graph::addOutput(NeuronId neuron) { outputs.push_back(neuron); }

void Graph::reserve(uint64_t numComputed, uint64_t numConnections) {
  biases.reserve(biases.size() + numComputed);
  activations.reserve(activations.size() + numComputed);
  fanInOffsets.reserve(fanInOffsets.size() + numComputed);
  fanInSources.reserve(fanInSources.size() + numConnections);
  fanInWeights.reserve(fanInWeights.size() + numConnections);
}

//===----------------------------------------------------------------------===//
// Graph: validation
//===----------------------------------------------------------------------===//

llvm::Error Graph::finalize() {
  const NeuronId numNeurons = getNumNeurons();
  fanOutOffsets.clear();
  fanOutTargets.clear();
  fanOutEdges.clear();

  // Per-edge checks. `lastSeen[u]` is the last computed neuron with an edge
  // from u, which finds duplicate edges in O(fan-in) per neuron.
  std::vector<NeuronId> lastSeen(numNeurons, kNoNeuron);
  for (NeuronId v = numInputs; v < numNeurons; ++v) {
    for (uint64_t e = fanInOffsets[v - numInputs],
                  end = fanInOffsets[v - numInputs + 1];
         e < end; ++e) {
      NeuronId u = fanInSources[e];
      if (u >= numNeurons)
        return makeError("neuron " + llvm::Twine(v) + ": edge source " +
                         llvm::Twine(u) + " is out of range [0, " +
                         llvm::Twine(numNeurons) + ")");
      if (u == v)
        return makeError("neuron " + llvm::Twine(v) + ": self-loop");
      if (lastSeen[u] == v)
        return makeError("neuron " + llvm::Twine(v) +
                         ": duplicate edge from neuron " + llvm::Twine(u));
      lastSeen[u] = v;
      float weight = fanInWeights[e];
      if (weight == 0.0f)
        return makeError("neuron " + llvm::Twine(v) +
                         ": weight of the edge from neuron " + llvm::Twine(u) +
                         " is zero");
      if (!std::isfinite(weight))
        return makeError("neuron " + llvm::Twine(v) +
                         ": weight of the edge from neuron " + llvm::Twine(u) +
                         " is not finite (" + formatFloat(weight) + ")");
    }
  }

  // Biases and activations.
  for (NeuronId v = numInputs; v < numNeurons; ++v) {
    float bias = getBias(v);
    if (!std::isfinite(bias))
      return makeError("neuron " + llvm::Twine(v) + ": bias is not finite (" +
                       formatFloat(bias) + ")");
    std::string message = getActivation(v).validate();
    if (!message.empty())
      return makeError("neuron " + llvm::Twine(v) + ": " + message);
  }

  // Outputs. `outputIndex[v]` is the index in `outputs` of the first output
  // naming v.
  if (outputs.empty())
    return makeError("the network has no outputs");
  std::vector<uint32_t> outputIndex(numNeurons, kNoNeuron);
  for (uint32_t i = 0, e = outputs.size(); i < e; ++i) {
    NeuronId v = outputs[i];
    if (v >= numNeurons)
      return makeError("output " + llvm::Twine(i) + " (neuron " +
                       llvm::Twine(v) + ") is out of range [0, " +
                       llvm::Twine(numNeurons) + ")");
    if (isInput(v))
      return makeError("output " + llvm::Twine(i) + " (neuron " +
                       llvm::Twine(v) + ") is an input");
    if (outputIndex[v] != kNoNeuron)
      return makeError("neuron " + llvm::Twine(v) +
                       " is listed twice as an output (outputs " +
                       llvm::Twine(outputIndex[v]) + " and " + llvm::Twine(i) +
                       ")");
    outputIndex[v] = i;
  }

  // Cycles.
  if (std::optional<std::vector<NeuronId>> cycle = findCycle()) {
    std::string message = "cycle through neurons ";
    for (NeuronId v : *cycle)
      message += std::to_string(v) + " -> ";
    message += std::to_string(cycle->front());
    return makeError(message);
  }

  // Fan-out CSR by a counting sort of the edges on their source. Visiting the
  // targets in increasing id order keeps each fan-out list sorted.
  fanOutOffsets.assign(uint64_t(numNeurons) + 1, 0);
  for (NeuronId u : fanInSources)
    ++fanOutOffsets[u + 1];
  for (NeuronId u = 0; u < numNeurons; ++u)
    fanOutOffsets[u + 1] += fanOutOffsets[u];
  const uint64_t numConnections = fanInSources.size();
  fanOutTargets.resize(numConnections);
  fanOutEdges.resize(numConnections);
  std::vector<uint64_t> cursor(fanOutOffsets.begin(), fanOutOffsets.end() - 1);
  for (NeuronId v = numInputs; v < numNeurons; ++v) {
    for (uint64_t e = fanInOffsets[v - numInputs],
                  end = fanInOffsets[v - numInputs + 1];
         e < end; ++e) {
      uint64_t slot = cursor[fanInSources[e]]++;
      fanOutTargets[slot] = v;
      fanOutEdges[slot] = e;
    }
  }
  return llvm::Error::success();
}

std::optional<std::vector<NeuronId>> Graph::findCycle() const {
  // Iterative depth-first search along the fan-in edges, that is, against the
  // direction of the edges. A cycle of the reversed graph is a cycle of the
  // graph read backwards. Inputs have no fan-in and are never pushed.
  enum : uint8_t { kUnvisited, kOnPath, kDone };
  const NeuronId numNeurons = getNumNeurons();
  std::vector<uint8_t> state(numNeurons, kUnvisited);

  /// A neuron on the DFS path and its next fan-in edge to follow.
  struct Frame {
    NeuronId neuron;
    uint64_t nextEdge;
  };
  std::vector<Frame> path;

  for (NeuronId root = numInputs; root < numNeurons; ++root) {
    if (state[root] != kUnvisited)
      continue;
    state[root] = kOnPath;
    path.push_back({root, fanInOffsets[root - numInputs]});
    while (!path.empty()) {
      Frame &frame = path.back();
      uint64_t end = fanInOffsets[frame.neuron - numInputs + 1];
      if (frame.nextEdge == end) {
        state[frame.neuron] = kDone;
        path.pop_back();
        continue;
      }
      NeuronId u = fanInSources[frame.nextEdge++];
      // Out-of-range sources are outside this function's contract; skip them
      // rather than read out of bounds.
      if (u >= numNeurons || isInput(u) || state[u] == kDone)
        continue;
      if (state[u] == kUnvisited) {
        state[u] = kOnPath;
        path.push_back({u, fanInOffsets[u - numInputs]});
        continue;
      }

      // u is on the path: path[j] = u, ..., path[k] = frame.neuron, with an
      // edge path[i + 1] -> path[i] for j <= i < k and the edge
      // u -> frame.neuron. The cycle in edge order is therefore
      // u -> path[k] -> path[k - 1] -> ... -> path[j + 1] -> u.
      std::vector<NeuronId> cycle{u};
      for (size_t i = path.size(); path[i - 1].neuron != u; --i)
        cycle.push_back(path[i - 1].neuron);
      // Start at the smallest id so that the answer does not depend on where
      // the search entered the cycle.
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()),
                  cycle.end());
      return cycle;
    }
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Graph: queries on the finalized graph
//===----------------------------------------------------------------------===//

GraphCounts Graph::getCounts() const {
  assert(fanOutOffsets.size() == uint64_t(getNumNeurons()) + 1 &&
         "graph is not finalized");
  GraphCounts counts;
  counts.numNeurons = getNumNeurons();
  counts.numInputs = numInputs;
  for (NeuronId u = 0; u < numInputs; ++u)
    if (fanOutOffsets[u + 1] != fanOutOffsets[u])
      ++counts.numUsedInputs;
  counts.numComputed = getNumComputed();
  counts.numOutputs = getNumOutputs();
  counts.numConnections = getNumConnections();
  counts.numNonZeroBiases = std::count_if(
      biases.begin(), biases.end(), [](float bias) { return bias != 0.0f; });
  return counts;
}

llvm::ArrayRef<NeuronId> Graph::getFanIn(NeuronId v) const {
  assert(v < getNumNeurons() && "neuron out of range");
  if (isInput(v))
    return {};
  uint64_t begin = fanInOffsets[v - numInputs];
  uint64_t end = fanInOffsets[v - numInputs + 1];
  return llvm::ArrayRef<NeuronId>(fanInSources).slice(begin, end - begin);
}

llvm::ArrayRef<float> Graph::getFanInWeights(NeuronId v) const {
  assert(v < getNumNeurons() && "neuron out of range");
  if (isInput(v))
    return {};
  uint64_t begin = fanInOffsets[v - numInputs];
  uint64_t end = fanInOffsets[v - numInputs + 1];
  return llvm::ArrayRef<float>(fanInWeights).slice(begin, end - begin);
}

uint64_t Graph::getFanInBegin(NeuronId v) const {
  assert(v < getNumNeurons() && "neuron out of range");
  return isInput(v) ? 0 : fanInOffsets[v - numInputs];
}

llvm::ArrayRef<NeuronId> Graph::getFanOut(NeuronId u) const {
  assert(fanOutOffsets.size() == uint64_t(getNumNeurons()) + 1 &&
         "graph is not finalized");
  assert(u < getNumNeurons() && "neuron out of range");
  return llvm::ArrayRef<NeuronId>(fanOutTargets)
      .slice(fanOutOffsets[u], fanOutOffsets[u + 1] - fanOutOffsets[u]);
}

llvm::ArrayRef<uint64_t> Graph::getFanOutEdges(NeuronId u) const {
  assert(fanOutOffsets.size() == uint64_t(getNumNeurons()) + 1 &&
         "graph is not finalized");
  assert(u < getNumNeurons() && "neuron out of range");
  return llvm::ArrayRef<uint64_t>(fanOutEdges)
      .slice(fanOutOffsets[u], fanOutOffsets[u + 1] - fanOutOffsets[u]);
}

bool Graph::isTopologicallyOrdered() const {
  for (NeuronId v = numInputs, e = getNumNeurons(); v < e; ++v)
    for (NeuronId u : getFanIn(v))
      if (u >= v)
        return false;
  return true;
}

std::vector<NeuronId> Graph::getTopologicalOrder() const {
  assert(fanOutOffsets.size() == uint64_t(getNumNeurons()) + 1 &&
         "graph is not finalized");
  // Kahn's algorithm taking the smallest ready id first, without paying for a
  // heap on neurons whose ids are already in order. A cursor scans the ids in
  // increasing order; the ready neurons at or after the cursor are found by
  // the scan, and only those that become ready behind the cursor go to a
  // min-heap. The smallest ready id is the smaller of the heap's top and the
  // first ready id at or after the cursor, so the order is the same as with a
  // single heap, and equals the identity (with an empty heap) when every edge
  // goes from a smaller to a larger id.
  const NeuronId numNeurons = getNumNeurons();
  std::vector<uint64_t> pendingFanIn(numNeurons, 0);
  for (NeuronId v = numInputs; v < numNeurons; ++v)
    pendingFanIn[v] =
        fanInOffsets[v - numInputs + 1] - fanInOffsets[v - numInputs];

  std::priority_queue<NeuronId, std::vector<NeuronId>, std::greater<NeuronId>>
      behindCursor;
  std::vector<NeuronId> order;
  order.reserve(numNeurons);
  NeuronId cursor = 0;
  while (order.size() < numNeurons) {
    while (cursor < numNeurons && pendingFanIn[cursor] != 0)
      ++cursor;
    NeuronId next;
    if (!behindCursor.empty() &&
        (cursor == numNeurons || behindCursor.top() < cursor)) {
      next = behindCursor.top();
      behindCursor.pop();
    } else {
      // finalize rejected cycles, so some neuron is ready.
      assert(cursor < numNeurons && "cycle in a finalized graph");
      next = cursor++;
    }
    order.push_back(next);
    for (NeuronId v : getFanOut(next))
      if (--pendingFanIn[v] == 0 && v < cursor)
        behindCursor.push(v);
  }
  return order;
}

std::vector<uint32_t> Graph::getLevels() const {
  std::vector<uint32_t> level(getNumNeurons(), 0);
  for (NeuronId v : getTopologicalOrder()) {
    if (isInput(v))
      continue;
    uint32_t l = 1;
    for (NeuronId u : getFanIn(v))
      l = std::max(l, level[u] + 1);
    level[v] = l;
  }
  return level;
}

std::vector<double> Graph::evaluate(llvm::ArrayRef<double> inputs) const {
  assert(inputs.size() == numInputs && "expected one value per input");
  std::vector<double> values(getNumNeurons(), 0.0);
  std::copy(inputs.begin(), inputs.end(), values.begin());

  auto evaluateNeuron = [&](NeuronId v) {
    if (isInput(v))
      return;
    double accumulator = getBias(v);
    llvm::ArrayRef<NeuronId> sources = getFanIn(v);
    llvm::ArrayRef<float> weights = getFanInWeights(v);
    for (size_t i = 0, e = sources.size(); i < e; ++i)
      accumulator += static_cast<double>(weights[i]) * values[sources[i]];
    values[v] = getActivation(v).apply(accumulator);
  };
  if (isTopologicallyOrdered()) {
    for (NeuronId v = numInputs, e = getNumNeurons(); v < e; ++v)
      evaluateNeuron(v);
  } else {
    for (NeuronId v : getTopologicalOrder())
      evaluateNeuron(v);
  }

  std::vector<double> results;
  results.reserve(outputs.size());
  for (NeuronId v : outputs)
    results.push_back(values[v]);
  applyOutputEpilogue(epilogue, results);
  return results;
}

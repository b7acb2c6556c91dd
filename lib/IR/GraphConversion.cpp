//===- GraphConversion.cpp - Between sffnn IR and Graph -------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the conversions between sffnn.network ops and the
// core library's Graph, in both directions.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/GraphConversion.h"
#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/bit.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace sffnn;

//===----------------------------------------------------------------------===//
// IR -> Graph
//===----------------------------------------------------------------------===//

namespace {

/// Builds a Graph from the ops of a network body, one op at a time.
class GraphBuilder {
public:
  GraphBuilder(NetworkOp network, Graph &graph)
      : network(network), graph(graph) {}

  LogicalResult addArguments();
  LogicalResult addLayer(LayerOp layer);
  LogicalResult addGraph(GraphOp op);
  void addOutputs(ReturnOp returnOp);

private:
  /// The neuron ids of the elements of `inputs`, concatenated.
  std::vector<NeuronId> getInputNeurons(ValueRange inputs) const;
  LogicalResult readMatrix(Operation *op, SparseMatrixAttr matrix,
                           SparseMatrixArrays &arrays) const;
  LogicalResult readBias(Operation *op, ElementsAttr bias, int64_t size,
                         SmallVectorImpl<float> &storage,
                         ArrayRef<float> &values) const;

  NetworkOp network;
  Graph &graph;
  /// The neuron ids of the elements of each vector value.
  DenseMap<Value, std::vector<NeuronId>> neuronsOf;
  /// The layout value id of each vector value (see GraphLayout).
  DenseMap<Value, uint32_t> valueIds;
};

} // namespace

std::vector<NeuronId> GraphBuilder::getInputNeurons(ValueRange inputs) const {
  std::vector<NeuronId> neurons;
  for (Value input : inputs) {
    const std::vector<NeuronId> &elements = neuronsOf.find(input)->second;
    neurons.insert(neurons.end(), elements.begin(), elements.end());
  }
  return neurons;
}

LogicalResult GraphBuilder::readMatrix(Operation *op, SparseMatrixAttr matrix,
                                       SparseMatrixArrays &arrays) const {
  return matrix.readArrays(arrays, [op] { return op->emitOpError(); });
}

LogicalResult GraphBuilder::readBias(Operation *op, ElementsAttr bias,
                                     int64_t size,
                                     SmallVectorImpl<float> &storage,
                                     ArrayRef<float> &values) const {
  if (!bias) {
    storage.assign(size, 0.0f);
    values = storage;
    return success();
  }
  std::optional<ArrayRef<float>> array = getElementArray(bias, storage);
  if (!array)
    return op->emitOpError() << "bias is not available";
  values = *array;
  return success();
}

LogicalResult GraphBuilder::addArguments() {
  Block &body = network.getBody().front();
  NeuronId next = 0;
  for (BlockArgument arg : body.getArguments()) {
    int64_t size = cast<RankedTensorType>(arg.getType()).getDimSize(0);
    std::vector<NeuronId> &neurons = neuronsOf[arg];
    for (int64_t i = 0; i < size; ++i)
      neurons.push_back(next++);
    valueIds[arg] = arg.getArgNumber();
    graph.getLayout().argumentSizes.push_back(size);
  }
  return success();
}

LogicalResult GraphBuilder::addLayer(LayerOp layer) {
  SparseMatrixArrays arrays;
  SmallVector<float, 0> biasStorage;
  ArrayRef<float> biases;
  SparseMatrixAttr weights = layer.getWeights();
  if (failed(readMatrix(layer, weights, arrays)) ||
      failed(readBias(layer, layer.getBiasAttr(), weights.getRows(),
                      biasStorage, biases)))
    return failure();
  std::vector<NeuronId> columns = getInputNeurons(layer.getInputs());
  Activation activation = layer.getActivation().getValue();

  GraphLayout::Layer record;
  record.begin = graph.getNumNeurons();
  for (Value input : layer.getInputs())
    record.operands.push_back(valueIds.lookup(input));
  std::vector<NeuronId> &neurons = neuronsOf[layer.getResult()];
  for (int64_t r = 0, rows = weights.getRows(); r < rows; ++r) {
    neurons.push_back(graph.addNeuron(biases[r], activation));
    for (int64_t k = arrays.offsets[r]; k < arrays.offsets[r + 1]; ++k)
      graph.addFanIn(columns[arrays.indices[k]], arrays.values[k]);
  }
  record.end = graph.getNumNeurons();
  GraphLayout &layout = graph.getLayout();
  valueIds[layer.getResult()] =
      layout.argumentSizes.size() + layout.layers.size();
  layout.layers.push_back(std::move(record));
  return success();
}

LogicalResult GraphBuilder::addGraph(GraphOp op) {
  SparseMatrixAttr fanIn = op.getFanIn();
  SparseMatrixArrays arrays;
  SmallVector<float, 0> biasStorage;
  ArrayRef<float> biases;
  if (failed(readMatrix(op, fanIn, arrays)) ||
      failed(
          readBias(op, op.getBiasAttr(), fanIn.getRows(), biasStorage, biases)))
    return failure();
  SmallVector<int8_t, 0> idStorage;
  ArrayRef<int8_t> activationIds;
  if (ElementsAttr ids = op.getActivationIdsAttr()) {
    std::optional<ArrayRef<int8_t>> array = getElementArray(ids, idStorage);
    if (!array)
      return op.emitOpError() << "activation_ids are not available";
    activationIds = *array;
  }
  SmallVector<Activation> table;
  for (Attribute attr : op.getActivations())
    table.push_back(cast<ActivationAttr>(attr).getValue());

  // Local neuron i of the op is columns[i].
  std::vector<NeuronId> columns = getInputNeurons(op.getInputs());
  NeuronId base = graph.getNumNeurons();
  for (int64_t r = 0, rows = fanIn.getRows(); r < rows; ++r)
    columns.push_back(base + r);
  for (int64_t r = 0, rows = fanIn.getRows(); r < rows; ++r) {
    graph.addNeuron(biases[r],
                    table[activationIds.empty() ? 0 : activationIds[r]]);
    for (int64_t k = arrays.offsets[r]; k < arrays.offsets[r + 1]; ++k)
      graph.addFanIn(columns[arrays.indices[k]], arrays.values[k]);
  }
  ArrayRef<int32_t> outputs = op.getOutputs();
  for (OpResult result : op.getResults()) {
    int64_t size = cast<RankedTensorType>(result.getType()).getDimSize(0);
    std::vector<NeuronId> &neurons = neuronsOf[result];
    for (int64_t i = 0; i < size; ++i)
      neurons.push_back(columns[outputs[i]]);
    outputs = outputs.drop_front(size);
  }
  return success();
}

void GraphBuilder::addOutputs(ReturnOp returnOp) {
  GraphLayout &layout = graph.getLayout();
  for (Value value : returnOp.getOperands()) {
    for (NeuronId neuron : neuronsOf.find(value)->second)
      graph.addOutput(neuron);
    layout.resultSizes.push_back(neuronsOf.find(value)->second.size());
    layout.results.push_back(valueIds.lookup(value));
  }
}

FailureOr<Graph> sffnn::buildGraph(NetworkOp network) {
  int64_t numNeurons = network.getNumInputNeurons();
  for (Operation &op : network.getBody().front()) {
    if (auto layer = dyn_cast<LayerOp>(op))
      numNeurons += layer.getWeights().getRows();
    else if (auto graphOp = dyn_cast<GraphOp>(op))
      numNeurons += graphOp.getFanIn().getRows();
  }
  if (llvm::Error error = checkNeuronCount(numNeurons, "the network"))
    return network.emitOpError() << llvm::toString(std::move(error));

  Graph graph(network.getNumInputNeurons());
  GraphBuilder builder(network, graph);
  if (failed(builder.addArguments()))
    return failure();
  if (EpilogueAttr epilogue = network.getEpilogueAttr())
    graph.setOutputEpilogue(epilogue.getKind());
  if (SignatureAttr signature = network.getSignatureAttr())
    graph.getLayout().signature = signature.getValue();
  bool layered = true;
  for (Operation &op : network.getBody().front()) {
    LogicalResult result = success();
    if (auto layer = dyn_cast<LayerOp>(op)) {
      result = builder.addLayer(layer);
    } else if (auto graphOp = dyn_cast<GraphOp>(op)) {
      layered = false;
      result = builder.addGraph(graphOp);
    } else if (auto returnOp = dyn_cast<ReturnOp>(op)) {
      builder.addOutputs(returnOp);
    }
    if (failed(result))
      return failure();
  }
  if (!layered) {
    graph.getLayout().layers.clear();
    graph.getLayout().results.clear();
  }
  if (llvm::Error error = graph.finalize())
    return network.emitOpError() << "does not describe a valid graph: "
                                 << llvm::toString(std::move(error));
  return graph;
}

//===----------------------------------------------------------------------===//
// Graph -> IR
//===----------------------------------------------------------------------===//

namespace {

/// Creates the ops of a network body from a finalized Graph.
class NetworkEmitter {
public:
  NetworkEmitter(OpBuilder &builder, Location loc, StringRef name,
                 const Graph &graph, const NetworkBuildOptions &options)
      : builder(builder), loc(loc), name(name), graph(graph), options(options),
        context(builder.getContext()) {
    NeuronId begin = 0;
    for (uint32_t size : graph.getLayout().argumentSizes) {
      argumentBegins.push_back(begin);
      begin += size;
    }
  }

  /// True if the graph's layout describes layers that match its edges,
  /// activations and outputs.
  bool hasValidLayers() const;
  /// Emits the layered form: one sffnn.layer per layout layer.
  SmallVector<Value> emitLayers(ValueRange arguments);
  /// Emits the neuron-level form: one sffnn.graph over all arguments.
  FailureOr<SmallVector<Value>> emitGraph(ValueRange arguments,
                                          ArrayRef<Type> resultTypes);

private:
  /// The neuron range [begin, end) of layout value `value`.
  std::pair<NeuronId, NeuronId> getValueRange(uint32_t value) const;
  /// An array attribute: inline `dense` when small, else a resource blob.
  template <typename T>
  ElementsAttr createArray(const Twine &blobName, ArrayRef<T> data,
                           bool inlineArray) const;
  /// The CSR attribute of `rows` gathered as (column, weight) lists.
  SparseMatrixAttr createMatrix(const Twine &blobName, int64_t cols,
                                ArrayRef<int64_t> offsets,
                                ArrayRef<int32_t> indices,
                                ArrayRef<float> values) const;
  /// The bias vector of neurons [begin, end), or null if all are zero.
  ElementsAttr createBias(const Twine &blobName, NeuronId begin,
                          NeuronId end) const;
  /// Appends the fan-in of `v` as (column, weight) entries sorted by column.
  void appendRow(NeuronId v, ArrayRef<int32_t> columnOf,
                 std::vector<int32_t> &indices,
                 std::vector<float> &values) const;

  OpBuilder &builder;
  Location loc;
  StringRef name;
  const Graph &graph;
  const NetworkBuildOptions &options;
  MLIRContext *context;
  /// Layout value id -> first neuron, per argument.
  std::vector<NeuronId> argumentBegins;
};

} // namespace

std::pair<NeuronId, NeuronId>
NetworkEmitter::getValueRange(uint32_t value) const {
  const GraphLayout &layout = graph.getLayout();
  size_t numArgs = layout.argumentSizes.size();
  if (value < numArgs)
    return {argumentBegins[value],
            argumentBegins[value] + layout.argumentSizes[value]};
  const GraphLayout::Layer &layer = layout.layers[value - numArgs];
  return {layer.begin, layer.end};
}

bool NetworkEmitter::hasValidLayers() const {
  const GraphLayout &layout = graph.getLayout();
  if (layout.layers.empty() ||
      layout.results.size() != layout.resultSizes.size())
    return false;
  size_t numArgs = layout.argumentSizes.size();
  NeuronId next = graph.getNumInputs();
  std::vector<int32_t> operandOf(graph.getNumNeurons(), -1);
  for (auto [index, layer] : llvm::enumerate(layout.layers)) {
    if (layer.begin != next || layer.end <= layer.begin ||
        layer.end > graph.getNumNeurons() || layer.operands.empty())
      return false;
    next = layer.end;
    // Mark the neurons of the operands; each must be defined earlier and
    // appear once.
    for (uint32_t operand : layer.operands) {
      if (operand >= numArgs + index)
        return false;
      auto [begin, end] = getValueRange(operand);
      for (NeuronId u = begin; u < end; ++u) {
        if (operandOf[u] == static_cast<int32_t>(index))
          return false;
        operandOf[u] = index;
      }
    }
    const Activation &activation = graph.getActivation(layer.begin);
    for (NeuronId v = layer.begin; v < layer.end; ++v) {
      if (graph.getActivation(v) != activation)
        return false;
      for (NeuronId u : graph.getFanIn(v))
        if (operandOf[u] != static_cast<int32_t>(index))
          return false;
    }
  }
  if (next != graph.getNumNeurons())
    return false;
  // The results are layers whose concatenation is the output list.
  ArrayRef<NeuronId> outputs = graph.getOutputs();
  for (auto [value, size] : llvm::zip(layout.results, layout.resultSizes)) {
    if (value < numArgs || value >= numArgs + layout.layers.size())
      return false;
    auto [begin, end] = getValueRange(value);
    if (end - begin != size || outputs.size() < size)
      return false;
    for (NeuronId v = begin; v < end; ++v)
      if (outputs[v - begin] != v)
        return false;
    outputs = outputs.drop_front(size);
  }
  return outputs.empty();
}

template <typename T>
ElementsAttr NetworkEmitter::createArray(const Twine &blobName,
                                         ArrayRef<T> data,
                                         bool inlineArray) const {
  if (inlineArray)
    return createDenseArray<T>(context, data);
  return createResourceArray<T>(context, blobName.str(), data);
}

SparseMatrixAttr NetworkEmitter::createMatrix(const Twine &blobName,
                                              int64_t cols,
                                              ArrayRef<int64_t> offsets,
                                              ArrayRef<int32_t> indices,
                                              ArrayRef<float> values) const {
  bool inlineArrays =
      static_cast<int64_t>(std::max(offsets.size(), indices.size())) <=
      options.inlineLimit;
  ElementsAttr offsetsAttr;
  if (indices.size() <=
      static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    std::vector<int32_t> narrow(offsets.begin(), offsets.end());
    offsetsAttr =
        createArray<int32_t>(blobName + "_offsets", narrow, inlineArrays);
  } else {
    offsetsAttr =
        createArray<int64_t>(blobName + "_offsets", offsets, inlineArrays);
  }
  return SparseMatrixAttr::get(
      context, offsets.size() - 1, cols, offsetsAttr,
      createArray<int32_t>(blobName + "_indices", indices, inlineArrays),
      createArray<float>(blobName + "_values", values, inlineArrays));
}

ElementsAttr NetworkEmitter::createBias(const Twine &blobName, NeuronId begin,
                                        NeuronId end) const {
  std::vector<float> biases;
  biases.reserve(end - begin);
  bool allZero = true;
  for (NeuronId v = begin; v < end; ++v) {
    biases.push_back(graph.getBias(v));
    allZero &= biases.back() == 0.0f;
  }
  if (allZero)
    return {};
  return createArray<float>(blobName, biases,
                            static_cast<int64_t>(biases.size()) <=
                                options.inlineLimit);
}

void NetworkEmitter::appendRow(NeuronId v, ArrayRef<int32_t> columnOf,
                               std::vector<int32_t> &indices,
                               std::vector<float> &values) const {
  size_t first = indices.size();
  ArrayRef<NeuronId> sources = graph.getFanIn(v);
  ArrayRef<float> weights = graph.getFanInWeights(v);
  bool sorted = true;
  for (auto [u, w] : llvm::zip(sources, weights)) {
    int32_t column = columnOf.empty() ? static_cast<int32_t>(u) : columnOf[u];
    sorted &= indices.size() == first || indices.back() < column;
    indices.push_back(column);
    values.push_back(w);
  }
  if (sorted)
    return;
  std::vector<std::pair<int32_t, float>> entries;
  for (size_t k = first; k < indices.size(); ++k)
    entries.emplace_back(indices[k], values[k]);
  llvm::sort(entries, llvm::less_first());
  for (auto [k, entry] : llvm::enumerate(entries)) {
    indices[first + k] = entry.first;
    values[first + k] = entry.second;
  }
}

SmallVector<Value> NetworkEmitter::emitLayers(ValueRange arguments) {
  const GraphLayout &layout = graph.getLayout();
  SmallVector<Value> values(arguments.begin(), arguments.end());
  std::vector<int32_t> columnOf(graph.getNumNeurons(), -1);
  for (auto [index, layer] : llvm::enumerate(layout.layers)) {
    SmallVector<Value> inputs;
    int32_t column = 0;
    for (uint32_t operand : layer.operands) {
      inputs.push_back(values[operand]);
      auto [first, last] = getValueRange(operand);
      for (NeuronId u = first; u < last; ++u)
        columnOf[u] = column++;
    }
    std::vector<int64_t> offsets = {0};
    std::vector<int32_t> indices;
    std::vector<float> weights;
    for (NeuronId v = layer.begin; v < layer.end; ++v) {
      appendRow(v, columnOf, indices, weights);
      offsets.push_back(indices.size());
    }
    std::string blobName = (name + "_layer" + Twine(index)).str();
    auto type =
        RankedTensorType::get({layer.end - layer.begin}, builder.getF32Type());
    auto op = LayerOp::create(
        builder, loc, type, inputs,
        createMatrix(blobName, column, offsets, indices, weights),
        createBias(blobName + "_bias", layer.begin, layer.end),
        ActivationAttr::get(context, graph.getActivation(layer.begin)));
    values.push_back(op.getResult());
  }
  SmallVector<Value> results;
  for (uint32_t value : layout.results)
    results.push_back(values[value]);
  return results;
}

FailureOr<SmallVector<Value>>
NetworkEmitter::emitGraph(ValueRange arguments, ArrayRef<Type> resultTypes) {
  // Distinct activations in order of first use, and each neuron's index.
  llvm::MapVector<std::tuple<uint8_t, uint32_t, uint32_t>, int8_t> table;
  std::vector<int8_t> activationIds;
  SmallVector<Attribute> tableAttrs;
  for (NeuronId v = graph.getNumInputs(); v < graph.getNumNeurons(); ++v) {
    const Activation &activation = graph.getActivation(v);
    auto key = std::make_tuple(static_cast<uint8_t>(activation.kind),
                               llvm::bit_cast<uint32_t>(activation.param0),
                               llvm::bit_cast<uint32_t>(activation.param1));
    auto [it, inserted] = table.try_emplace(key, table.size());
    if (inserted) {
      if (table.size() > 128)
        return emitError(loc) << "the graph has more than 128 distinct "
                                 "activations; the neuron-level form holds "
                                 "at most 128";
      tableAttrs.push_back(ActivationAttr::get(context, activation));
    }
    activationIds.push_back(it->second);
  }
  if (tableAttrs.empty())
    tableAttrs.push_back(ActivationAttr::get(context, Activation::identity()));

  std::vector<int64_t> offsets = {0};
  std::vector<int32_t> indices;
  std::vector<float> weights;
  for (NeuronId v = graph.getNumInputs(); v < graph.getNumNeurons(); ++v) {
    appendRow(v, /*columnOf=*/{}, indices, weights);
    offsets.push_back(indices.size());
  }
  std::string blobName = (name + "_graph").str();
  ElementsAttr ids;
  if (tableAttrs.size() > 1)
    ids = createArray<int8_t>(blobName + "_activation_ids", activationIds,
                              static_cast<int64_t>(activationIds.size()) <=
                                  options.inlineLimit);
  SmallVector<int32_t> outputs(graph.getOutputs().begin(),
                               graph.getOutputs().end());
  auto op =
      GraphOp::create(builder, loc, resultTypes, arguments,
                      createMatrix(blobName + "_fan_in", graph.getNumNeurons(),
                                   offsets, indices, weights),
                      createBias(blobName + "_bias", graph.getNumInputs(),
                                 graph.getNumNeurons()),
                      ArrayAttr::get(context, tableAttrs), ids,
                      DenseI32ArrayAttr::get(context, outputs));
  return SmallVector<Value>(op.getResults());
}

NetworkOp sffnn::buildNetwork(OpBuilder &builder, Location loc, StringRef name,
                              const Graph &graph,
                              const NetworkBuildOptions &options) {
  const GraphLayout &layout = graph.getLayout();
  std::vector<uint32_t> argumentSizes = layout.argumentSizes;
  std::vector<uint32_t> resultSizes = layout.resultSizes;
  if (argumentSizes.empty() && graph.getNumInputs() > 0)
    argumentSizes = {graph.getNumInputs()};
  if (resultSizes.empty())
    resultSizes = {graph.getNumOutputs()};
  auto vectorTypes = [&](ArrayRef<uint32_t> sizes) {
    SmallVector<Type> types;
    for (uint32_t size : sizes)
      types.push_back(RankedTensorType::get({size}, builder.getF32Type()));
    return types;
  };
  SmallVector<Type> argumentTypes = vectorTypes(argumentSizes);
  SmallVector<Type> resultTypes = vectorTypes(resultSizes);

  auto network = NetworkOp::create(
      builder, loc, name, builder.getFunctionType(argumentTypes, resultTypes));
  OpBuilder::InsertionGuard guard(builder);
  Block &body = network.getBody().front();
  builder.setInsertionPointToEnd(&body);

  NetworkEmitter emitter(builder, loc, name, graph, options);
  SmallVector<Value> results;
  bool layered = argumentSizes == layout.argumentSizes &&
                 resultSizes == layout.resultSizes && emitter.hasValidLayers();
  if (layered) {
    results = emitter.emitLayers(body.getArguments());
  } else {
    FailureOr<SmallVector<Value>> graphResults =
        emitter.emitGraph(body.getArguments(), resultTypes);
    if (failed(graphResults)) {
      network.erase();
      return {};
    }
    results = std::move(*graphResults);
  }
  ReturnOp::create(builder, loc, results);
  if (graph.getOutputEpilogue() != OutputEpilogue::None)
    network.setEpilogueAttr(
        EpilogueAttr::get(builder.getContext(), graph.getOutputEpilogue()));
  if (layout.signature)
    network.setSignatureAttr(
        SignatureAttr::get(builder.getContext(), *layout.signature));
  return network;
}

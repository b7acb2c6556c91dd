//===- SFFNNOps.cpp - sffnn operations ------------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the sffnn operations: sffnn.network (a function-like
// symbol), sffnn.return, sffnn.layer and sffnn.graph, their custom syntax and
// their verifiers.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/SFFNNOps.h"
#include "sffnn/Analysis/Limits.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace sffnn;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The number of elements of a verified 1-D vector type.
static int64_t getVectorSize(Type type) {
  return cast<RankedTensorType>(type).getDimSize(0);
}

/// The total number of elements of `types` (verified 1-D vectors).
static int64_t getTotalSize(TypeRange types) {
  int64_t total = 0;
  for (Type type : types)
    total += getVectorSize(type);
  return total;
}

/// True if `type` is a statically shaped 1-D f32 tensor.
static bool isVectorType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getRank() == 1 && tensor.hasStaticShape() &&
         tensor.getElementType().isF32();
}

/// Checks that every type of `types` (verified 1-D vectors) is within the
/// neuron limit; `what` names them ("argument", "result").
static LogicalResult verifyVectorSizes(Operation *op, TypeRange types,
                                       StringRef what) {
  for (auto [i, type] : llvm::enumerate(types))
    if (llvm::Error error = checkNeuronCount(
            getVectorSize(type), what + " #" + llvm::Twine(i) + " size"))
      return op->emitOpError() << llvm::toString(std::move(error));
  return success();
}

/// Checks that no value appears twice among `inputs`.
static LogicalResult verifyDistinctInputs(Operation *op, ValueRange inputs) {
  llvm::SmallDenseMap<Value, unsigned> seen;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    auto [it, inserted] = seen.try_emplace(input, i);
    if (!inserted)
      return op->emitOpError() << "input #" << i << " repeats input #"
                               << it->second << "; pass each vector once";
  }
  return success();
}

/// Checks an optional bias vector: 1-D f32 with `size` finite elements.
static LogicalResult verifyBias(Operation *op, ElementsAttr bias,
                                int64_t size) {
  if (!bias)
    return success();
  ShapedType type = bias.getShapedType();
  if (type.getRank() != 1 || !type.getElementType().isF32() ||
      type.getNumElements() != size)
    return op->emitOpError() << "bias must be a 1-D f32 vector of " << size
                             << " elements, got " << type;
  SmallVector<float, 0> storage;
  std::optional<ArrayRef<float>> values = getElementArray(bias, storage);
  if (!values)
    return op->emitOpError()
           << "bias is not available (an elided or missing resource blob?)";
  for (auto [i, value] : llvm::enumerate(*values))
    if (!std::isfinite(value))
      return op->emitOpError()
             << "bias of neuron " << i << " is not finite: " << value;
  return success();
}

/// Checks the contents of a weight matrix, prefixing diagnostics with `what`.
static LogicalResult verifyMatrix(Operation *op, SparseMatrixAttr matrix,
                                  StringRef what) {
  return matrix.verifyContents(
      [&] { return op->emitOpError() << what << ": "; });
}

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// activation-body ::= keyword | keyword `(` float (`,` float)* `)`
static ParseResult parseActivationBody(OpAsmParser &parser,
                                       ActivationAttr &activation) {
  activation =
      dyn_cast_or_null<ActivationAttr>(ActivationAttr::parseBody(parser));
  return success(static_cast<bool>(activation));
}

static void printActivationBody(OpAsmPrinter &printer, Operation *,
                                ActivationAttr activation) {
  activation.printBody(printer);
}

/// activation-table ::= `[` activation-body (`,` activation-body)* `]`
static ParseResult parseActivationTable(OpAsmParser &parser, ArrayAttr &table) {
  SmallVector<Attribute> activations;
  if (parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Square, [&]() -> ParseResult {
            ActivationAttr activation;
            if (parseActivationBody(parser, activation))
              return failure();
            activations.push_back(activation);
            return success();
          }))
    return failure();
  table = parser.getBuilder().getArrayAttr(activations);
  return success();
}

static void printActivationTable(OpAsmPrinter &printer, Operation *op,
                                 ArrayAttr table) {
  printer << '[';
  llvm::interleaveComma(table, printer, [&](Attribute attr) {
    printActivationBody(printer, op, cast<ActivationAttr>(attr));
  });
  printer << ']';
}

//===----------------------------------------------------------------------===//
// NetworkOp
//===----------------------------------------------------------------------===//

void NetworkOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                      FunctionType type) {
  state.addAttribute(SymbolTable::getSymbolAttrName(),
                     builder.getStringAttr(name));
  state.addAttribute(getFunctionTypeAttrName(state.name), TypeAttr::get(type));
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Type input : type.getInputs())
    block->addArgument(input, state.location);
}

ParseResult NetworkOp::parse(OpAsmParser &parser, OperationState &result) {
  auto buildFunctionType =
      [](Builder &builder, ArrayRef<Type> argTypes, ArrayRef<Type> results,
         function_interface_impl::VariadicFlag,
         std::string &) { return builder.getFunctionType(argTypes, results); };
  return function_interface_impl::parseFunctionOp(
      parser, result, /*allowVariadic=*/false,
      getFunctionTypeAttrName(result.name), buildFunctionType,
      getArgAttrsAttrName(result.name), getResAttrsAttrName(result.name));
}

void NetworkOp::print(OpAsmPrinter &printer) {
  function_interface_impl::printFunctionOp(
      printer, *this, /*isVariadic=*/false, getFunctionTypeAttrName(),
      getArgAttrsAttrName(), getResAttrsAttrName());
}

ReturnOp NetworkOp::getReturnOp() {
  return cast<ReturnOp>(getBody().front().getTerminator());
}

int64_t NetworkOp::getNumInputNeurons() {
  return getTotalSize(getArgumentTypes());
}

int64_t NetworkOp::getNumOutputNeurons() {
  return getTotalSize(getResultTypes());
}

LogicalResult NetworkOp::verify() {
  for (auto [i, type] : llvm::enumerate(getArgumentTypes()))
    if (!isVectorType(type))
      return emitOpError() << "argument #" << i
                           << " must be a statically shaped 1-D f32 tensor, "
                              "got "
                           << type;
  for (auto [i, type] : llvm::enumerate(getResultTypes()))
    if (!isVectorType(type))
      return emitOpError() << "result #" << i
                           << " must be a statically shaped 1-D f32 tensor, "
                              "got "
                           << type;
  if (getResultTypes().empty())
    return emitOpError() << "must have at least one result (the outputs)";
  if (failed(verifyVectorSizes(*this, getArgumentTypes(), "argument")) ||
      failed(verifyVectorSizes(*this, getResultTypes(), "result")))
    return failure();
  if (SignatureAttr signature = getSignatureAttr()) {
    ModelSignature value = signature.getValue();
    for (auto [tensor, role, operands, size] :
         {std::tuple(&value.input, "input", "arguments", getNumInputNeurons()),
          std::tuple(&value.output, "output", "results",
                     getNumOutputNeurons())})
      if (tensor->getSampleSize() != uint64_t(size))
        return emitOpError()
               << "signature: one sample of " << role << " '" << tensor->name
               << "' has " << tensor->getSampleSize() << " elements, but the "
               << operands << " have " << size;
  }
  return success();
}

LogicalResult NetworkOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.empty() || !isa<ReturnOp>(body.back()))
    return emitOpError() << "body must end with 'sffnn.return'";
  for (Operation &op : body)
    if (!isa<LayerOp, GraphOp, ReturnOp>(op))
      return op.emitOpError()
             << "is not allowed in a network body; expected 'sffnn.layer', "
                "'sffnn.graph' or 'sffnn.return'";
  ReturnOp returnOp = getReturnOp();
  llvm::SmallDenseMap<Value, unsigned> seen;
  for (auto [i, value] : llvm::enumerate(returnOp.getOperands())) {
    if (auto arg = dyn_cast<BlockArgument>(value))
      return returnOp.emitOpError()
             << "returns argument #" << arg.getArgNumber() << " as output #"
             << i << "; outputs must be computed neurons";
    auto [it, inserted] = seen.try_emplace(value, i);
    if (!inserted)
      return returnOp.emitOpError()
             << "returns the same vector as outputs #" << it->second << " and #"
             << i << "; outputs must be distinct";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ReturnOp
//===----------------------------------------------------------------------===//

LogicalResult ReturnOp::verify() {
  auto network = cast<NetworkOp>((*this)->getParentOp());
  ArrayRef<Type> results = network.getResultTypes();
  if (getNumOperands() != results.size())
    return emitOpError() << "returns " << getNumOperands()
                         << " values, but the network has " << results.size()
                         << " results";
  for (auto [i, value] : llvm::enumerate(getOperands()))
    if (value.getType() != results[i])
      return emitOpError() << "operand #" << i << " has type "
                           << value.getType() << ", but result #" << i
                           << " of the network is " << results[i];
  return success();
}

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

int64_t LayerOp::getNumInputNeurons() {
  return getTotalSize(getInputs().getTypes());
}

LogicalResult LayerOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input vector";
  if (failed(verifyDistinctInputs(*this, getInputs())))
    return failure();
  SparseMatrixAttr weights = getWeights();
  int64_t numInputs = getNumInputNeurons();
  int64_t numOutputs = getVectorSize(getResult().getType());
  if (weights.getCols() != numInputs)
    return emitOpError() << "weights have " << weights.getCols()
                         << " columns, but the inputs have " << numInputs
                         << " elements";
  if (weights.getRows() != numOutputs)
    return emitOpError() << "weights have " << weights.getRows()
                         << " rows, but the result has " << numOutputs
                         << " elements";
  if (failed(verifyBias(*this, getBiasAttr(), numOutputs)))
    return failure();
  return verifyMatrix(*this, weights, "weights");
}

//===----------------------------------------------------------------------===//
// GraphOp
//===----------------------------------------------------------------------===//

int64_t GraphOp::getNumInputNeurons() {
  return getTotalSize(getInputs().getTypes());
}

LogicalResult GraphOp::verify() {
  if (failed(verifyDistinctInputs(*this, getInputs())))
    return failure();
  SparseMatrixAttr fanIn = getFanIn();
  int64_t numInputs = getNumInputNeurons();
  int64_t numComputed = fanIn.getRows();
  int64_t numNeurons = numInputs + numComputed;
  if (fanIn.getCols() != numNeurons)
    return emitOpError() << "fan_in has " << fanIn.getCols()
                         << " columns, but the graph has " << numNeurons
                         << " neurons (" << numInputs << " inputs and "
                         << numComputed << " computed)";
  // The limit is at most 2^31 - 1: neurons are numbered with i32.
  if (llvm::Error error = checkNeuronCount(numNeurons, "the graph"))
    return emitOpError() << llvm::toString(std::move(error));
  if (failed(verifyBias(*this, getBiasAttr(), numComputed)))
    return failure();

  // Activations.
  ArrayAttr table = getActivations();
  if (table.empty())
    return emitOpError() << "activation table must not be empty";
  if (table.size() > 128)
    return emitOpError() << "activation table has " << table.size()
                         << " entries; at most 128 fit the i8 activation_ids";
  if (ElementsAttr ids = getActivationIdsAttr()) {
    ShapedType type = ids.getShapedType();
    if (type.getRank() != 1 || !type.getElementType().isSignlessInteger(8) ||
        type.getNumElements() != numComputed)
      return emitOpError() << "activation_ids must be a 1-D i8 vector of "
                           << numComputed << " elements, got " << type;
    SmallVector<int8_t, 0> storage;
    std::optional<ArrayRef<int8_t>> values = getElementArray(ids, storage);
    if (!values)
      return emitOpError() << "activation_ids are not available (an elided "
                              "or missing resource blob?)";
    for (auto [i, id] : llvm::enumerate(*values))
      if (id < 0 || static_cast<size_t>(id) >= table.size())
        return emitOpError() << "activation id " << static_cast<int>(id)
                             << " of neuron " << numInputs + i
                             << " is out of range [0, " << table.size() << ")";
  } else if (table.size() != 1) {
    return emitOpError() << "activation_ids are required when the activation "
                            "table has more than one entry";
  }

  // Outputs.
  if (failed(verifyVectorSizes(*this, getResults().getTypes(), "result")))
    return failure();
  ArrayRef<int32_t> outputs = getOutputs();
  int64_t numResultNeurons = getTotalSize(getResults().getTypes());
  if (getResults().empty())
    return emitOpError() << "must have at least one result";
  if (static_cast<int64_t>(outputs.size()) != numResultNeurons)
    return emitOpError() << "lists " << outputs.size()
                         << " outputs, but the results have "
                         << numResultNeurons << " elements";
  llvm::DenseMap<int32_t, unsigned> seen;
  for (auto [i, neuron] : llvm::enumerate(outputs)) {
    if (neuron < numInputs || neuron >= numNeurons)
      return emitOpError() << "output #" << i << " is neuron " << neuron
                           << ", which is not a computed neuron [" << numInputs
                           << ", " << numNeurons << ")";
    auto [it, inserted] = seen.try_emplace(neuron, i);
    if (!inserted)
      return emitOpError() << "neuron " << neuron << " is listed as output #"
                           << it->second << " and #" << i;
  }

  if (failed(verifyMatrix(*this, fanIn, "fan_in")))
    return failure();

  // Acyclicity.
  SparseMatrixArrays arrays;
  if (failed(fanIn.readArrays(arrays, [&] { return emitOpError(); })))
    return failure();
  Graph graph(numInputs);
  graph.reserve(numComputed, arrays.indices.size());
  for (int64_t r = 0; r < numComputed; ++r) {
    graph.addNeuron(0.0f, Activation::identity());
    for (int64_t k = arrays.offsets[r]; k < arrays.offsets[r + 1]; ++k)
      graph.addFanIn(arrays.indices[k], arrays.values[k]);
  }
  if (std::optional<std::vector<NeuronId>> cycle = graph.findCycle()) {
    InFlightDiagnostic diag = emitOpError() << "has a cycle through neurons ";
    for (NeuronId neuron : *cycle)
      diag << neuron << " -> ";
    diag << cycle->front();
    return diag;
  }
  return success();
}

#define GET_OP_CLASSES
#include "sffnn/IR/SFFNNOps.cpp.inc"

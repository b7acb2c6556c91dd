//===- ImportONNX.cpp - ONNX feed-forward networks to Graph ---------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements importONNX with the ONNX protobuf classes
// (libonnx-dev). Every value a node computes is one of: a constant (folded
// from initializers and Constant nodes, see Tensor.h), an affine map of the
// network's values (Network.h), an elementwise expression of one affine map
// on its way to an activation (Expression.h), or the model's output epilogue
// (Softmax, LogSoftmax). Nodes are walked once, in the graph's order; a node
// that cannot be imported is recorded with its reason and its outputs are
// skipped by later nodes, so one run reports every such node.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/ImportONNX.h"
#include "Expression.h"
#include "Network.h"
#include "Tensor.h"

#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"

#include <onnx/onnx_pb.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>

using namespace sffnn;
using namespace sffnn::onnx_import;

namespace {

llvm::Error importError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// What an ONNX value name stands for.
struct Value {
  enum class Kind {
    /// Computed from constants alone.
    Constant,
    /// An affine map of network values: `id` indexes the importer's maps.
    Affine,
    /// An elementwise expression of one affine map: `id` indexes the
    /// importer's expressions.
    Expression,
    /// Softmax or LogSoftmax (`epilogue`) of the value named `inner`.
    Epilogue,
    /// A node that could not be imported (already reported).
    Failed,
  };
  Kind kind = Kind::Failed;
  std::shared_ptr<const Tensor> constant;
  uint32_t id = 0;
  /// Affine and Expression: the ONNX shape; dims[0] is the batch (kBatchDim
  /// when dynamic).
  std::vector<int64_t> dims;
  OutputEpilogue epilogue = OutputEpilogue::None;
  std::string inner;

  bool isDynamic() const {
    return kind == Kind::Affine || kind == Kind::Expression;
  }
};

/// An affine map that is scale * base + shift elementwise (a scalar Mul,
/// Div, Add, Sub or Neg of another): expressions see through it to `base`.
struct Derivation {
  uint32_t base;
  double scale, shift;
};

/// An elementwise expression of affine map `source`.
struct PendingExpression {
  uint32_t source;
  Expression expression;
  /// The node that computed it, for diagnostics.
  std::string node;
  /// The affine map of its activation layer, once added.
  std::optional<uint32_t> resolved;
};

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node,
                                          llvm::StringRef name) {
  for (const onnx::AttributeProto &attribute : node.attribute())
    if (attribute.name() == name)
      return &attribute;
  return nullptr;
}

float getFloatAttribute(const onnx::NodeProto &node, llvm::StringRef name,
                        float fallback) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  return attribute ? attribute->f() : fallback;
}

int64_t getIntAttribute(const onnx::NodeProto &node, llvm::StringRef name,
                        int64_t fallback) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  return attribute ? attribute->i() : fallback;
}

std::vector<int64_t> getIntsAttribute(const onnx::NodeProto &node,
                                      llvm::StringRef name) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  if (!attribute)
    return {};
  return {attribute->ints().begin(), attribute->ints().end()};
}

std::string getStringAttribute(const onnx::NodeProto &node,
                               llvm::StringRef name, llvm::StringRef fallback) {
  const onnx::AttributeProto *attribute = findAttribute(node, name);
  return attribute ? attribute->s() : fallback.str();
}

/// The hint for an op the importer does not support, or "".
llvm::StringRef getHint(llvm::StringRef op) {
  return llvm::StringSwitch<llvm::StringRef>(op)
      .Cases({"LayerNormalization", "ReduceMean", "ReduceSum",
              "InstanceNormalization", "GroupNormalization"},
             "normalizing over a sample's own values is not an affine layer")
      .Cases({"Conv", "ConvTranspose", "MaxPool", "AveragePool",
              "GlobalAveragePool"},
             "only fully connected layers are supported")
      .Default("");
}

static bool isConstantOnly(llvm::StringRef op);
static std::string describeComputedOp(llvm::StringRef op);

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

class Importer {
public:
  explicit Importer(llvm::StringRef path) : path(path), reader(path) {}
  /// Imports the model in `data`; `path` locates its external data.
  llvm::Expected<Graph> run(llvm::StringRef data);

private:
  /// Reads the graph's input and creates the network.
  llvm::Error addInput();
  /// Imports one node; an error is the reason the node cannot be imported.
  using Handler = llvm::Error (Importer::*)(const onnx::NodeProto &);
  /// The handler of op `op` of domain `domain`, or null for an op the
  /// importer does not know.
  static Handler getHandler(llvm::StringRef domain, llvm::StringRef op);
  /// The network's results from the graph's output value.
  llvm::Expected<Graph> finish();

  std::string describe(const onnx::NodeProto &node) const {
    return "node '" + node.name() + "' (" + node.op_type() + ")";
  }

  //===--------------------------------------------------------------------===//
  // Operands
  //===--------------------------------------------------------------------===//

  /// The value of input `i` of `node`. Errors: a missing input, a name
  /// nothing defines, an initializer that cannot be read (`fatal` is set).
  llvm::Expected<const Value *> getInput(const onnx::NodeProto &node, int i);
  /// Input `i`, which must be a constant.
  llvm::Expected<const Tensor *> getConstant(const onnx::NodeProto &node,
                                             int i);
  /// Input `i` if the node has it (a non-empty name), else null.
  llvm::Expected<const Tensor *>
  getOptionalConstant(const onnx::NodeProto &node, int i);
  /// Integer constant input `i` as a list.
  llvm::Expected<std::vector<int64_t>> getInts(const onnx::NodeProto &node,
                                               int i);
  /// The affine map of a dynamic `value` (an expression becomes its
  /// activation's layer).
  llvm::Expected<uint32_t> toAffine(const Value &value);
  /// The affine map of `value`, with a layer in between if it is not
  /// diagonal (MatMul composes diagonal maps only).
  llvm::Expected<uint32_t> toDiagonalAffine(const Value &value);
  /// A scalar constant, or `value` as an expression of its source.
  llvm::Expected<std::pair<std::optional<uint32_t>, Expression>>
  toExpression(const Value &value);
  /// `constant` as one value per feature of a dynamic value of shape `dims`
  /// (one value if it is a scalar). Errors: a shape that does not broadcast
  /// to `dims` without growing it, or varies along the batch.
  llvm::Expected<std::vector<double>> perFeature(const Tensor &constant,
                                                 llvm::ArrayRef<int64_t> dims);

  //===--------------------------------------------------------------------===//
  // Results
  //===--------------------------------------------------------------------===//

  void setConstant(const onnx::NodeProto &node, Tensor tensor) {
    Value value;
    value.kind = Value::Kind::Constant;
    value.constant = std::make_shared<const Tensor>(std::move(tensor));
    values[node.output(0)] = std::move(value);
  }
  void setAffine(const onnx::NodeProto &node, AffineMap map,
                 std::vector<int64_t> dims) {
    affines.push_back(std::move(map));
    setAffineId(node, affines.size() - 1, std::move(dims));
  }
  void setAffineId(const onnx::NodeProto &node, uint32_t id,
                   std::vector<int64_t> dims) {
    Value value;
    value.kind = Value::Kind::Affine;
    value.id = id;
    value.dims = std::move(dims);
    values[node.output(0)] = std::move(value);
  }
  void setExpression(const onnx::NodeProto &node, uint32_t source,
                     Expression expression, std::vector<int64_t> dims);
  /// How affine map `id` derives from a base map (itself if it does not).
  Derivation getDerivation(uint32_t id) const {
    auto it = derivations.find(id);
    return it != derivations.end() ? it->second : Derivation{id, 1.0, 0.0};
  }
  /// Records that the last affine map is scale * map `id` + shift.
  void derive(uint32_t id, double scale, double shift) {
    Derivation base = getDerivation(id);
    derivations[affines.size() - 1] = {base.base, base.scale * scale,
                                       base.shift * scale + shift};
  }
  /// Adds the layer `activations`(affine map `id`), reusing an equal one.
  llvm::Expected<uint32_t> activate(uint32_t id,
                                    std::vector<Activation> activations);

  //===--------------------------------------------------------------------===//
  // Ops
  //===--------------------------------------------------------------------===//

  llvm::Error importConstant(const onnx::NodeProto &node);
  llvm::Error importShapeOp(const onnx::NodeProto &node);
  llvm::Error importElementwise(const onnx::NodeProto &node);
  llvm::Error importUnary(const onnx::NodeProto &node);
  /// The unary op of `node` on its constant input `x`.
  llvm::Error foldUnaryConstant(const onnx::NodeProto &node, const Value &x);
  llvm::Error importActivation(const onnx::NodeProto &node);
  llvm::Error importMatMul(const onnx::NodeProto &node);
  llvm::Error importGemm(const onnx::NodeProto &node);
  llvm::Error importBatchNorm(const onnx::NodeProto &node);
  llvm::Error importConcat(const onnx::NodeProto &node);
  llvm::Error importEpilogue(const onnx::NodeProto &node);
  /// y = x W + b on dynamic `x` for MatMul and Gemm.
  llvm::Error importAffine(const onnx::NodeProto &node, const Value &x,
                           llvm::ArrayRef<float> weights, uint32_t in,
                           uint32_t out, bool transposed,
                           llvm::ArrayRef<double> bias);

  std::string path;
  TensorReader reader;
  onnx::ModelProto model;
  int64_t opset = 21;
  llvm::StringMap<const onnx::TensorProto *> initializerProtos;
  llvm::StringMap<Value> values;
  std::vector<AffineMap> affines;
  std::vector<PendingExpression> expressions;
  std::map<uint32_t, Derivation> derivations;
  std::optional<NetworkBuilder> network;
  /// Layers already added: (affine map, activation) -> affine map of the
  /// layer's value.
  std::map<std::tuple<uint32_t, uint8_t, float, float>, uint32_t> layerCache;
  /// The nodes that cannot be imported, with their reasons.
  std::vector<std::string> problems;
  /// An error that ends the import at once (a corrupt initializer).
  std::optional<std::string> fatal;
  /// The graph's input, as declared.
  TensorSignature inputSignature;
};

//===----------------------------------------------------------------------===//
// Operands
//===----------------------------------------------------------------------===//

llvm::Expected<const Value *> Importer::getInput(const onnx::NodeProto &node,
                                                 int i) {
  if (i >= node.input_size() || node.input(i).empty())
    return importError("expected an input #" + llvm::Twine(i));
  const std::string &name = node.input(i);
  auto it = values.find(name);
  if (it != values.end())
    return &it->second;
  auto proto = initializerProtos.find(name);
  if (proto == initializerProtos.end())
    return importError("input '" + name +
                       "' is not the model's input, an initializer or the "
                       "output of an earlier node");
  Tensor tensor;
  if (llvm::Error error = reader.read(*proto->second, tensor)) {
    fatal = llvm::toString(std::move(error));
    return importError(*fatal);
  }
  Value value;
  value.kind = Value::Kind::Constant;
  value.constant = std::make_shared<const Tensor>(std::move(tensor));
  return &(values[name] = std::move(value));
}

llvm::Expected<const Tensor *>
Importer::getConstant(const onnx::NodeProto &node, int i) {
  llvm::Expected<const Value *> value = getInput(node, i);
  if (!value)
    return value.takeError();
  if ((*value)->kind != Value::Kind::Constant)
    return importError("input '" + node.input(i) +
                       "' is computed from the model's input; only constant "
                       "weights, biases and parameters are supported");
  return (*value)->constant.get();
}

llvm::Expected<const Tensor *>
Importer::getOptionalConstant(const onnx::NodeProto &node, int i) {
  if (i >= node.input_size() || node.input(i).empty())
    return nullptr;
  return getConstant(node, i);
}

llvm::Expected<std::vector<int64_t>>
Importer::getInts(const onnx::NodeProto &node, int i) {
  llvm::Expected<const Tensor *> tensor = getConstant(node, i);
  if (!tensor)
    return tensor.takeError();
  if (!(*tensor)->isInteger)
    return importError("input '" + node.input(i) + "' must hold integers");
  return (*tensor)->ints;
}

llvm::Expected<uint32_t>
Importer::activate(uint32_t id, std::vector<Activation> activations) {
  std::optional<std::tuple<uint32_t, uint8_t, float, float>> key;
  if (activations.size() == 1) {
    key = {id, uint8_t(activations[0].kind), activations[0].param0,
           activations[0].param1};
    auto it = layerCache.find(*key);
    if (it != layerCache.end())
      return it->second;
  }
  llvm::Expected<uint32_t> value =
      network->addLayer(affines[id], std::move(activations));
  if (!value)
    return value.takeError();
  affines.push_back(network->identity(*value));
  uint32_t result = affines.size() - 1;
  if (key)
    layerCache[*key] = result;
  return result;
}

llvm::Expected<uint32_t> Importer::toAffine(const Value &value) {
  if (value.kind == Value::Kind::Affine)
    return value.id;
  if (value.kind == Value::Kind::Epilogue)
    return importError("reads the output of a Softmax or LogSoftmax, which "
                       "is supported as the model's last op only");
  if (value.kind != Value::Kind::Expression)
    return importError("expected a value computed from the model's input");
  PendingExpression &pending = expressions[value.id];
  if (pending.resolved)
    return *pending.resolved;
  std::optional<Activation> activation = pending.expression.match();
  if (!activation)
    return importError("the elementwise function ending at node '" +
                       pending.node +
                       "' is not an activation sffnn supports (tanh, "
                       "sigmoid, hard_sigmoid, silu, hard_swish, gelu, "
                       "gelu_tanh)");
  llvm::Expected<uint32_t> id = activate(pending.source, {*activation});
  if (!id)
    return id.takeError();
  expressions[value.id].resolved = *id;
  return *id;
}

llvm::Expected<uint32_t> Importer::toDiagonalAffine(const Value &value) {
  llvm::Expected<uint32_t> id = toAffine(value);
  if (!id || affines[*id].isDiagonal())
    return id;
  return activate(*id, {Activation::identity()});
}

llvm::Expected<std::pair<std::optional<uint32_t>, Expression>>
Importer::toExpression(const Value &value) {
  using Result = std::pair<std::optional<uint32_t>, Expression>;
  switch (value.kind) {
  case Value::Kind::Constant:
    if (value.constant->size() != 1)
      return importError("combines a computed value with a constant that is "
                         "not a scalar in an elementwise function");
    return Result{std::nullopt, Expression::constant(value.constant->get(0))};
  case Value::Kind::Affine: {
    Derivation d = getDerivation(value.id);
    return Result{d.base, Expression::source().scaled(d.scale) +
                              Expression::constant(d.shift)};
  }
  case Value::Kind::Expression:
    return Result{expressions[value.id].source,
                  expressions[value.id].expression};
  default:
    return importError("reads the output of a Softmax or LogSoftmax, which "
                       "is supported as the model's last op only");
  }
}

void Importer::setExpression(const onnx::NodeProto &node, uint32_t source,
                             Expression expression, std::vector<int64_t> dims) {
  expressions.push_back({source, std::move(expression), node.name(), {}});
  Value value;
  value.kind = Value::Kind::Expression;
  value.id = expressions.size() - 1;
  value.dims = std::move(dims);
  values[node.output(0)] = std::move(value);
}

llvm::Expected<std::vector<double>>
Importer::perFeature(const Tensor &constant, llvm::ArrayRef<int64_t> dims) {
  if (constant.size() == 1)
    return std::vector<double>{constant.get(0)};
  const size_t rank = dims.size();
  if (constant.shape.size() > rank)
    return importError(
        "a constant of rank " + llvm::Twine(constant.shape.size()) +
        " broadcasts each sample of rank " + llvm::Twine(rank) + " to several");
  const size_t offset = rank - constant.shape.size();
  for (size_t k = 0; k < constant.shape.size(); ++k) {
    int64_t dim = constant.shape[k], target = dims[offset + k];
    if (dim == 1)
      continue;
    if (offset + k == 0)
      return importError("a constant varies along the batch dimension");
    if (dim != target)
      return importError("a constant of dimension " + llvm::Twine(dim) +
                         " does not broadcast to dimension " +
                         llvm::Twine(target) + " of the computed value");
  }
  // Feature f has coordinates over dims[1:]; the constant's index drops
  // the coordinates of its dimensions of size 1.
  uint64_t features = getNumElements(dims.drop_front());
  std::vector<double> result(features);
  for (uint64_t f = 0; f < features; ++f) {
    uint64_t rest = f, index = 0, stride = 1;
    for (size_t axis = rank; axis-- > 1;) {
      uint64_t coordinate = rest % uint64_t(dims[axis]);
      rest /= uint64_t(dims[axis]);
      if (axis < offset)
        continue;
      int64_t dim = constant.shape[axis - offset];
      if (dim != 1)
        index += coordinate * stride;
      stride *= uint64_t(dim);
    }
    result[f] = constant.get(index);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Constants and shapes
//===----------------------------------------------------------------------===//

llvm::Error Importer::importConstant(const onnx::NodeProto &node) {
  if (node.attribute_size() != 1)
    return importError("expected one value attribute");
  const onnx::AttributeProto &attribute = node.attribute(0);
  const std::string &name = attribute.name();
  if (name == "value") {
    onnx::TensorProto proto = attribute.t();
    proto.set_name(node.output(0));
    Tensor tensor;
    if (llvm::Error error = reader.read(proto, tensor))
      return error;
    setConstant(node, std::move(tensor));
  } else if (name == "value_float") {
    setConstant(node, Tensor::scalar(attribute.f()));
  } else if (name == "value_floats") {
    Tensor tensor;
    tensor.values.assign(attribute.floats().begin(), attribute.floats().end());
    tensor.shape = {int64_t(tensor.values.size())};
    setConstant(node, std::move(tensor));
  } else if (name == "value_int") {
    Tensor tensor = Tensor::integers({attribute.i()});
    tensor.shape.clear();
    setConstant(node, std::move(tensor));
  } else if (name == "value_ints") {
    setConstant(node, Tensor::integers(
                          {attribute.ints().begin(), attribute.ints().end()}));
  } else {
    return importError("the value attribute '" + name + "' is not supported");
  }
  return llvm::Error::success();
}

/// Shape ops on constants and computed values: Identity, Dropout, Cast,
/// Shape, Gather, Slice, Squeeze, Unsqueeze, Reshape, Flatten, Transpose.
llvm::Error Importer::importShapeOp(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  llvm::Expected<const Value *> input = getInput(node, 0);
  if (!input)
    return input.takeError();
  const Value &x = **input;
  if (x.kind == Value::Kind::Epilogue)
    return toAffine(x).takeError();
  const bool dynamic = x.isDynamic();
  // The shape of x (for a computed value, dims[0] is the batch).
  std::vector<int64_t> shape = dynamic ? x.dims : x.constant->shape;
  auto setShaped = [&](std::vector<int64_t> dims) -> llvm::Error {
    if (dynamic) {
      if (dims.empty() || dims[0] != x.dims[0])
        return importError("moves the batch dimension; only the features of "
                           "a sample may be reshaped");
      Value value = x;
      value.dims = std::move(dims);
      values[node.output(0)] = std::move(value);
      return llvm::Error::success();
    }
    Tensor tensor = *x.constant;
    tensor.shape = std::move(dims);
    setConstant(node, std::move(tensor));
    return llvm::Error::success();
  };
  auto ints = [&](int i) { return getInts(node, i); };

  if (op == "Identity" || op == "Dropout") {
    // Dropout is the identity in inference mode (training_mode absent or
    // false, from opset 12 on an input).
    if (op == "Dropout") {
      llvm::Expected<const Tensor *> training = getOptionalConstant(node, 2);
      if (!training)
        return training.takeError();
      if (*training && (*training)->size() == 1 && (*training)->get(0) != 0)
        return importError("training mode is not supported; export the "
                           "model in eval() mode");
    }
    values[node.output(0)] = x;
    return llvm::Error::success();
  }
  if (op == "Cast") {
    int64_t to = getIntAttribute(node, "to", onnx::TensorProto::FLOAT);
    if (dynamic) {
      if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::DOUBLE &&
          to != onnx::TensorProto::FLOAT16)
        return importError("casts a computed value to data type " +
                           llvm::Twine(to) +
                           "; only float types are "
                           "supported");
      values[node.output(0)] = x;
      return llvm::Error::success();
    }
    llvm::Expected<Tensor> cast = foldCast(*x.constant, to);
    if (!cast)
      return cast.takeError();
    setConstant(node, std::move(*cast));
    return llvm::Error::success();
  }
  if (op == "Shape") {
    int64_t rank = shape.size();
    int64_t start = getIntAttribute(node, "start", 0);
    int64_t end = getIntAttribute(node, "end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    setConstant(node, Tensor::integers(std::vector<int64_t>(
                          shape.begin() + start,
                          shape.begin() + std::max(start, end))));
    return llvm::Error::success();
  }
  if (op == "Gather" || op == "Slice") {
    if (dynamic)
      return importError("selects part of a computed value; not supported");
    llvm::Expected<Tensor> result = [&]() -> llvm::Expected<Tensor> {
      if (op == "Gather") {
        llvm::Expected<const Tensor *> indices = getConstant(node, 1);
        if (!indices)
          return indices.takeError();
        return foldGather(*x.constant, **indices,
                          getIntAttribute(node, "axis", 0));
      }
      if (opset < 10)
        return foldSlice(*x.constant, getIntsAttribute(node, "starts"),
                         getIntsAttribute(node, "ends"),
                         getIntsAttribute(node, "axes"), {});
      std::vector<int64_t> lists[4];
      for (int i = 1; i < 5; ++i) {
        if (i >= node.input_size() || node.input(i).empty())
          continue;
        llvm::Expected<std::vector<int64_t>> list = ints(i);
        if (!list)
          return list.takeError();
        lists[i - 1] = std::move(*list);
      }
      return foldSlice(*x.constant, lists[0], lists[1], lists[2], lists[3]);
    }();
    if (!result)
      return result.takeError();
    setConstant(node, std::move(*result));
    return llvm::Error::success();
  }
  if (op == "Squeeze" || op == "Unsqueeze") {
    // The axes: an attribute before opset 13, an input from 13 on.
    llvm::Expected<std::vector<int64_t>> axes =
        opset < 13 || node.input_size() < 2 || node.input(1).empty()
            ? llvm::Expected<std::vector<int64_t>>(
                  getIntsAttribute(node, "axes"))
            : ints(1);
    if (!axes)
      return axes.takeError();
    const int64_t rank =
        shape.size() + (op == "Unsqueeze" ? int64_t(axes->size()) : 0);
    std::vector<bool> selected(rank, false);
    for (int64_t axis : *axes) {
      llvm::Expected<int64_t> a = normalizeAxis(axis, rank, "axis");
      if (!a)
        return a.takeError();
      if (selected[*a])
        return importError("axis " + llvm::Twine(axis) + " appears twice");
      selected[*a] = true;
    }
    std::vector<int64_t> dims;
    if (op == "Unsqueeze") {
      for (int64_t i = 0, next = 0; i < rank; ++i)
        dims.push_back(selected[i] ? 1 : shape[next++]);
    } else {
      for (int64_t i = 0; i < rank; ++i) {
        bool squeeze = axes->empty() ? shape[i] == 1 && !(dynamic && i == 0)
                                     : bool(selected[i]);
        if (squeeze && shape[i] != 1)
          return importError("squeezes dimension " + llvm::Twine(i) +
                             ", which is not 1");
        if (!squeeze)
          dims.push_back(shape[i]);
      }
    }
    return setShaped(std::move(dims));
  }
  if (op == "Reshape") {
    llvm::Expected<std::vector<int64_t>> target = ints(1);
    if (!target)
      return target.takeError();
    llvm::Expected<std::vector<int64_t>> dims = resolveReshape(
        shape, *target, getIntAttribute(node, "allowzero", 0) != 0);
    if (!dims)
      return dims.takeError();
    return setShaped(std::move(*dims));
  }
  if (op == "Flatten") {
    llvm::Expected<int64_t> axis = normalizeAxis(
        getIntAttribute(node, "axis", 1), shape.size() + 1, "the Flatten axis");
    if (!axis)
      return axis.takeError();
    llvm::ArrayRef<int64_t> all(shape);
    auto product = [](llvm::ArrayRef<int64_t> dims) {
      return llvm::is_contained(dims, kBatchDim)
                 ? kBatchDim
                 : int64_t(getNumElements(dims));
    };
    return setShaped(
        {product(all.take_front(*axis)), product(all.drop_front(*axis))});
  }
  // Transpose.
  std::vector<int64_t> perm = getIntsAttribute(node, "perm");
  if (!dynamic) {
    llvm::Expected<Tensor> result = foldTranspose(*x.constant, perm);
    if (!result)
      return result.takeError();
    setConstant(node, std::move(*result));
    return llvm::Error::success();
  }
  // On a computed value, only a permutation that keeps the batch first and
  // the order of the dimensions other than 1 is a reshape.
  if (perm.empty())
    for (size_t i = shape.size(); i-- > 0;)
      perm.push_back(i);
  if (perm.size() != shape.size() || perm[0] != 0)
    return importError("transposes the batch with the features of a sample");
  std::vector<int64_t> dims;
  std::vector<bool> seen(shape.size(), false);
  int64_t last = -1;
  for (int64_t axis : perm) {
    if (axis < 0 || axis >= int64_t(shape.size()) || seen[axis])
      return importError("invalid permutation");
    seen[axis] = true;
    dims.push_back(shape[axis]);
    if (shape[axis] == 1 && axis != 0)
      continue;
    if (axis < last)
      return importError("transposes the features of a sample; only "
                         "weights may be transposed");
    last = axis;
  }
  return setShaped(std::move(dims));
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

/// The elementwise binary op named `op`.
static std::optional<BinaryOp> getBinaryOp(llvm::StringRef op) {
  return llvm::StringSwitch<std::optional<BinaryOp>>(op)
      .Case("Add", BinaryOp::Add)
      .Case("Sub", BinaryOp::Sub)
      .Case("Mul", BinaryOp::Mul)
      .Case("Div", BinaryOp::Div)
      .Case("Pow", BinaryOp::Pow)
      .Default(std::nullopt);
}

llvm::Error Importer::importElementwise(const onnx::NodeProto &node) {
  if (node.input_size() != 2)
    return importError("expected two inputs");
  BinaryOp op = *getBinaryOp(node.op_type());
  llvm::Expected<const Value *> lhsOr = getInput(node, 0);
  if (!lhsOr)
    return lhsOr.takeError();
  llvm::Expected<const Value *> rhsOr = getInput(node, 1);
  if (!rhsOr)
    return rhsOr.takeError();
  const Value &lhs = **lhsOr, &rhs = **rhsOr;
  const bool lhsConstant = lhs.kind == Value::Kind::Constant;
  const bool rhsConstant = rhs.kind == Value::Kind::Constant;
  if (lhsConstant && rhsConstant) {
    llvm::Expected<Tensor> result =
        foldBinary(op, *lhs.constant, *rhs.constant);
    if (!result)
      return importError(
          llvm::toString(result.takeError()) +
          (llvm::is_contained(lhs.constant->ints, kBatchDim) ||
                   llvm::is_contained(rhs.constant->ints, kBatchDim)
               ? "; compute shapes without the batch size "
                 "(use nn.Flatten or x.view(-1, features))"
               : ""));
    setConstant(node, std::move(*result));
    return llvm::Error::success();
  }
  // The shape of the result: that of the computed operand(s).
  const Value &dynamic = lhsConstant ? rhs : lhs;
  std::vector<int64_t> dims = dynamic.dims;
  if (!lhsConstant && !rhsConstant && lhs.dims != rhs.dims)
    return importError("combines computed values of different shapes");

  // An elementwise function of one affine map, on its way to an activation:
  // Pow, Mul of two computed values, and any op on an expression with a
  // scalar.
  const Value *constant = lhsConstant ? &lhs : rhsConstant ? &rhs : nullptr;
  bool scalar = constant && constant->constant->size() == 1;
  bool asExpression = op == BinaryOp::Pow ||
                      (!constant && op == BinaryOp::Mul) ||
                      (scalar && dynamic.kind == Value::Kind::Expression);
  if (!constant && (lhs.kind == Value::Kind::Expression ||
                    rhs.kind == Value::Kind::Expression)) {
    auto a = toExpression(lhs), b = toExpression(rhs);
    if (!a)
      return a.takeError();
    if (!b)
      return b.takeError();
    asExpression = a->first == b->first || op == BinaryOp::Mul;
  }
  if (asExpression) {
    auto a = toExpression(lhs);
    if (!a)
      return a.takeError();
    auto b = toExpression(rhs);
    if (!b)
      return b.takeError();
    if (a->first && b->first && *a->first != *b->first)
      return importError(
          "multiplies two different computed values; only elementwise "
          "functions of one value (activations) are supported");
    uint32_t source = a->first ? *a->first : *b->first;
    Expression result = Expression::constant(0.0);
    switch (op) {
    case BinaryOp::Add:
      result = a->second + b->second;
      break;
    case BinaryOp::Sub:
      result = a->second + b->second.scaled(-1.0);
      break;
    case BinaryOp::Mul:
      result = a->second * b->second;
      break;
    case BinaryOp::Div:
      if (!rhsConstant || rhs.constant->get(0) == 0.0)
        return importError("divides by a computed value or by zero");
      result = a->second.scaled(1.0 / rhs.constant->get(0));
      break;
    case BinaryOp::Pow: {
      if (!rhsConstant)
        return importError("raises to a computed power");
      llvm::Expected<Expression> power = a->second.power(rhs.constant->get(0));
      if (!power)
        return power.takeError();
      result = std::move(*power);
      break;
    }
    }
    if (result.isTooLarge())
      return importError("the elementwise function grows too large to be an "
                         "activation");
    setExpression(node, source, std::move(result), std::move(dims));
    return llvm::Error::success();
  }

  // Affine arithmetic.
  if (!constant) {
    if (op != BinaryOp::Add && op != BinaryOp::Sub)
      return importError("divides by a computed value; only affine maps and "
                         "activations are supported");
    llvm::Expected<uint32_t> a = toAffine(lhs);
    if (!a)
      return a.takeError();
    llvm::Expected<uint32_t> b = toAffine(rhs);
    if (!b)
      return b.takeError();
    AffineMap other = affines[*b];
    if (op == BinaryOp::Sub)
      other.scaleRows({-1.0});
    setAffine(node, addMaps(affines[*a], other), std::move(dims));
    return llvm::Error::success();
  }
  llvm::Expected<uint32_t> id = toAffine(dynamic);
  if (!id)
    return id.takeError();
  llvm::Expected<std::vector<double>> c = perFeature(*constant->constant, dims);
  if (!c)
    return c.takeError();
  AffineMap map = affines[*id];
  switch (op) {
  case BinaryOp::Add:
    map.addToBias(*c);
    break;
  case BinaryOp::Sub:
    if (lhsConstant) {
      map.scaleRows({-1.0});
      map.addToBias(*c);
    } else {
      for (double &value : *c)
        value = -value;
      map.addToBias(*c);
    }
    break;
  case BinaryOp::Mul:
    map.scaleRows(*c);
    break;
  case BinaryOp::Div:
    if (lhsConstant)
      return importError("divides by a computed value; only affine maps and "
                         "activations are supported");
    for (double &value : *c) {
      if (value == 0.0)
        return importError("divides by zero");
      value = 1.0 / value;
    }
    map.scaleRows(*c);
    break;
  case BinaryOp::Pow:
    llvm_unreachable("Pow is an expression");
  }
  setAffine(node, std::move(map), std::move(dims));
  // A scalar keeps the map a function of the same pre-activation.
  if (c->size() == 1) {
    double k = (*c)[0];
    switch (op) {
    case BinaryOp::Add:
      derive(*id, 1.0, k);
      break;
    case BinaryOp::Sub:
      // c - x, or x - c (k is already -c).
      lhsConstant ? derive(*id, -1.0, k) : derive(*id, 1.0, k);
      break;
    case BinaryOp::Mul:
    case BinaryOp::Div: // k is already 1 / c
      derive(*id, k, 0.0);
      break;
    case BinaryOp::Pow:
      break;
    }
  }
  return llvm::Error::success();
}

llvm::Error Importer::foldUnaryConstant(const onnx::NodeProto &node,
                                        const Value &x) {
  llvm::Expected<Tensor> result = foldUnary(node.op_type(), *x.constant);
  if (!result)
    return result.takeError();
  setConstant(node, std::move(*result));
  return llvm::Error::success();
}

/// Unary ops: Neg of an affine map, Erf, Tanh, Sigmoid and HardSigmoid as
/// expressions, the rest on constants only.
llvm::Error Importer::importUnary(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  llvm::Expected<const Value *> input = getInput(node, 0);
  if (!input)
    return input.takeError();
  const Value &x = **input;
  if (x.kind == Value::Kind::Constant)
    return foldUnaryConstant(node, x);
  if (op == "Neg" && x.kind == Value::Kind::Affine) {
    AffineMap map = affines[x.id];
    map.scaleRows({-1.0});
    setAffine(node, std::move(map), x.dims);
    derive(x.id, -1.0, 0.0);
    return llvm::Error::success();
  }
  auto argument = toExpression(x);
  if (!argument)
    return argument.takeError();
  std::optional<Expression::Function> function =
      llvm::StringSwitch<std::optional<Expression::Function>>(op)
          .Case("Erf", Expression::Function::Erf)
          .Case("Tanh", Expression::Function::Tanh)
          .Case("Sigmoid", Expression::Function::Sigmoid)
          .Case("HardSigmoid", Expression::Function::HardSigmoid)
          .Default(std::nullopt);
  if (op == "Neg") {
    setExpression(node, *argument->first, argument->second.scaled(-1.0),
                  x.dims);
    return llvm::Error::success();
  }
  if (!function)
    return importError(describeComputedOp(op));
  const bool hard = *function == Expression::Function::HardSigmoid;
  llvm::Expected<Expression> result =
      Expression::apply(*function, argument->second,
                        hard ? getFloatAttribute(node, "alpha", 0.2f) : 0.0,
                        hard ? getFloatAttribute(node, "beta", 0.5f) : 0.0);
  if (!result)
    return result.takeError();
  setExpression(node, *argument->first, std::move(*result), x.dims);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// Relu, LeakyRelu, Elu, Clip, PRelu, Gelu and HardSwish: a layer.
llvm::Error Importer::importActivation(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  llvm::Expected<const Value *> input = getInput(node, 0);
  if (!input)
    return input.takeError();
  const Value &x = **input;
  if (x.kind == Value::Kind::Constant)
    return foldUnaryConstant(node, x);
  std::vector<Activation> activations;
  if (op == "Relu") {
    activations = {Activation::relu()};
  } else if (op == "LeakyRelu") {
    activations = {
        Activation::leakyRelu(getFloatAttribute(node, "alpha", 0.01f))};
  } else if (op == "Elu") {
    activations = {Activation::elu(getFloatAttribute(node, "alpha", 1.0f))};
  } else if (op == "HardSwish") {
    activations = {Activation::hardSwish()};
  } else if (op == "Gelu") {
    std::string approximate = getStringAttribute(node, "approximate", "none");
    if (approximate != "none" && approximate != "tanh")
      return importError("approximate = '" + approximate +
                         "' is not supported");
    activations = {approximate == "tanh" ? Activation::geluTanh()
                                         : Activation::gelu()};
  } else if (op == "PRelu") {
    llvm::Expected<const Tensor *> slope = getConstant(node, 1);
    if (!slope)
      return slope.takeError();
    llvm::Expected<std::vector<double>> slopes = perFeature(**slope, x.dims);
    if (!slopes)
      return slopes.takeError();
    for (double alpha : *slopes)
      activations.push_back(Activation::leakyRelu(alpha));
  } else { // Clip
    float lo = getFloatAttribute(node, "min", -FLT_MAX);
    float hi = getFloatAttribute(node, "max", FLT_MAX);
    // From opset 11 on, min and max are inputs.
    for (int i = 1; i < 3; ++i) {
      llvm::Expected<const Tensor *> bound = getOptionalConstant(node, i);
      if (!bound)
        return bound.takeError();
      if (!*bound)
        continue;
      if ((*bound)->size() != 1)
        return importError("bounds must be scalars");
      (i == 1 ? lo : hi) = (*bound)->get(0);
    }
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
      return importError("only finite bounds with min <= max are supported");
    activations = {lo == 0.0f && hi == FLT_MAX ? Activation::relu()
                                               : Activation::clamp(lo, hi)};
  }
  llvm::Expected<uint32_t> id = toAffine(x);
  if (!id)
    return id.takeError();
  llvm::Expected<uint32_t> layer = activate(*id, std::move(activations));
  if (!layer)
    return layer.takeError();
  setAffineId(node, *layer, x.dims);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

llvm::Error Importer::importAffine(const onnx::NodeProto &node, const Value &x,
                                   llvm::ArrayRef<float> weights, uint32_t in,
                                   uint32_t out, bool transposed,
                                   llvm::ArrayRef<double> bias) {
  if (!x.isDynamic())
    return importError(x.kind == Value::Kind::Constant
                           ? "the left operand is a constant; expected x W "
                             "with the weight W on the right"
                           : "reads the output of a Softmax or LogSoftmax, "
                             "which is supported as the model's last op only");
  if (x.dims.size() < 2 || x.dims.back() != int64_t(in))
    return importError("takes " + llvm::Twine(in) +
                       " values per row, but its input has shape [" +
                       [&] {
                         std::string text;
                         for (int64_t dim : x.dims)
                           text += (text.empty() ? "" : ", ") +
                                   (dim == kBatchDim ? std::string("N")
                                                     : std::to_string(dim));
                         return text;
                       }() +
                       "]");
  if (getNumElements(llvm::ArrayRef(x.dims).drop_front().drop_back()) != 1)
    return importError("applies its weight to several rows of each sample");
  if (out == 0)
    return importError("computes no values");
  if (llvm::Error error = checkNeuronCount(out, describe(node)))
    return error;
  llvm::Expected<uint32_t> id = toDiagonalAffine(x);
  if (!id)
    return id.takeError();
  AffineMap map = network->multiply(affines[*id], weights, in, out, transposed);
  if (!bias.empty())
    map.addToBias(bias);
  std::vector<int64_t> dims = x.dims;
  dims.back() = out;
  setAffine(node, std::move(map), std::move(dims));
  return llvm::Error::success();
}

/// Checks that `weights` is a float matrix whose dimensions are neuron
/// counts.
static llvm::Error checkWeightShape(const onnx::NodeProto &node,
                                    const Tensor &weights) {
  if (weights.shape.size() != 2 || weights.isInteger)
    return importError("the weight must be a float matrix");
  for (int64_t dim : weights.shape)
    if (llvm::Error error =
            checkNeuronCount(dim, "the weight of node '" + node.name() + "'"))
      return error;
  return llvm::Error::success();
}

llvm::Error Importer::importMatMul(const onnx::NodeProto &node) {
  if (node.input_size() != 2)
    return importError("expected two inputs");
  llvm::Expected<const Value *> x = getInput(node, 0);
  if (!x)
    return x.takeError();
  llvm::Expected<const Value *> w = getInput(node, 1);
  if (!w)
    return w.takeError();
  if ((*x)->kind == Value::Kind::Constant &&
      (*w)->kind == Value::Kind::Constant) {
    return importError("multiplies two constants; not supported");
  }
  if ((*w)->kind != Value::Kind::Constant)
    return importError("input '" + node.input(1) +
                       "' is computed from the model's input; only constant "
                       "weights are supported (x W with W on the right)");
  const Tensor &weights = *(*w)->constant;
  if (llvm::Error error = checkWeightShape(node, weights))
    return error;
  return importAffine(node, **x, weights.values, weights.shape[0],
                      weights.shape[1], /*transposed=*/false, {});
}

llvm::Error Importer::importGemm(const onnx::NodeProto &node) {
  if (getIntAttribute(node, "transA", 0) != 0)
    return importError("transA = 1 is not supported");
  llvm::Expected<const Value *> x = getInput(node, 0);
  if (!x)
    return x.takeError();
  if (node.input_size() < 2)
    return importError("needs a weight matrix");
  llvm::Expected<const Tensor *> w = getConstant(node, 1);
  if (!w)
    return w.takeError();
  if (llvm::Error error = checkWeightShape(node, **w))
    return error;
  bool transB = getIntAttribute(node, "transB", 0) != 0;
  float alpha = getFloatAttribute(node, "alpha", 1.0f);
  float beta = getFloatAttribute(node, "beta", 1.0f);
  std::vector<float> scaled = (*w)->values;
  for (float &value : scaled)
    value *= alpha;
  uint32_t out = transB ? (*w)->shape[0] : (*w)->shape[1];
  std::vector<double> bias;
  llvm::Expected<const Tensor *> c = getOptionalConstant(node, 2);
  if (!c)
    return c.takeError();
  if (*c) {
    if ((*c)->size() != 1 && (*c)->size() != out)
      return importError("the bias has " + llvm::Twine((*c)->size()) +
                         " values; expected " + llvm::Twine(out));
    for (uint64_t i = 0; i < (*c)->size(); ++i)
      bias.push_back(beta * (*c)->get(i));
  }
  if ((*x)->dims.size() != 2 && (*x)->isDynamic())
    return importError("expects a matrix (batch x features) input");
  return importAffine(node, **x, scaled,
                      transB ? (*w)->shape[1] : (*w)->shape[0], out, transB,
                      bias);
}

llvm::Error Importer::importBatchNorm(const onnx::NodeProto &node) {
  if (getIntAttribute(node, "training_mode", 0) != 0)
    return importError("training mode is not supported; export the model in "
                       "eval() mode");
  llvm::Expected<const Value *> input = getInput(node, 0);
  if (!input)
    return input.takeError();
  const Value &x = **input;
  if (!x.isDynamic())
    return importError("expected a computed value to normalize");
  if (x.dims.size() < 2)
    return importError("expects a channel dimension");
  const int64_t channels = x.dims[1];
  const uint64_t inner = getNumElements(llvm::ArrayRef(x.dims).drop_front(2));
  const double epsilon = getFloatAttribute(node, "epsilon", 1e-5f);
  const Tensor *params[4];
  for (int i = 0; i < 4; ++i) {
    llvm::Expected<const Tensor *> param = getConstant(node, i + 1);
    if (!param)
      return param.takeError();
    if ((*param)->size() != uint64_t(channels) || (*param)->isInteger)
      return importError("input '" + node.input(i + 1) + "' has " +
                         llvm::Twine((*param)->size()) + " values; expected " +
                         llvm::Twine(channels) + " (one per channel)");
    params[i] = *param;
  }
  // y = scale (x - mean) / sqrt(var + epsilon) + B = a x + c, per channel.
  uint64_t features = getNumElements(llvm::ArrayRef(x.dims).drop_front());
  std::vector<double> a(features), c(features);
  for (uint64_t f = 0; f < features; ++f) {
    uint64_t k = f / inner % uint64_t(channels);
    double variance = params[3]->get(k) + epsilon;
    if (!(variance > 0.0))
      return importError("the variance plus epsilon is not positive");
    a[f] = params[0]->get(k) / std::sqrt(variance);
    c[f] = params[1]->get(k) - params[2]->get(k) * a[f];
  }
  llvm::Expected<uint32_t> id = toAffine(x);
  if (!id)
    return id.takeError();
  AffineMap map = affines[*id];
  map.scaleRows(a);
  map.addToBias(c);
  setAffine(node, std::move(map), x.dims);
  return llvm::Error::success();
}

llvm::Error Importer::importConcat(const onnx::NodeProto &node) {
  std::vector<const Value *> inputs;
  bool allConstant = true;
  for (int i = 0; i < node.input_size(); ++i) {
    llvm::Expected<const Value *> input = getInput(node, i);
    if (!input)
      return input.takeError();
    inputs.push_back(*input);
    allConstant &= (*input)->kind == Value::Kind::Constant;
  }
  if (inputs.empty())
    return importError("expected inputs");
  int64_t axisAttribute = getIntAttribute(node, "axis", 0);
  if (allConstant) {
    std::vector<const Tensor *> tensors;
    for (const Value *input : inputs)
      tensors.push_back(input->constant.get());
    llvm::Expected<Tensor> result = foldConcat(tensors, axisAttribute);
    if (!result)
      return result.takeError();
    setConstant(node, std::move(*result));
    return llvm::Error::success();
  }
  // Along a feature axis with only dimensions of 1 before it, a Concat of
  // samples is the concatenation of their features.
  std::vector<int64_t> dims;
  std::vector<AffineMap> maps;
  for (const Value *input : inputs) {
    if (!input->isDynamic())
      return importError("concatenates a constant with computed values");
    llvm::Expected<int64_t> axis =
        normalizeAxis(axisAttribute, input->dims.size(), "the Concat axis");
    if (!axis)
      return axis.takeError();
    if (*axis == 0)
      return importError("concatenates along the batch dimension");
    if (getNumElements(llvm::ArrayRef(input->dims).slice(1, *axis - 1)) != 1)
      return importError("concatenates along an axis after dimensions "
                         "other than 1");
    if (dims.empty()) {
      dims = input->dims;
    } else {
      if (input->dims.size() != dims.size())
        return importError("concatenates values of different ranks");
      for (size_t i = 0; i < dims.size(); ++i)
        if (int64_t(i) != *axis && input->dims[i] != dims[i])
          return importError("concatenates values whose other dimensions "
                             "differ");
      dims[*axis] += input->dims[*axis];
    }
    llvm::Expected<uint32_t> id = toAffine(*input);
    if (!id)
      return id.takeError();
    maps.push_back(affines[*id]);
  }
  setAffine(node, concatMaps(maps), std::move(dims));
  return llvm::Error::success();
}

llvm::Error Importer::importEpilogue(const onnx::NodeProto &node) {
  llvm::Expected<const Value *> input = getInput(node, 0);
  if (!input)
    return input.takeError();
  const Value &x = **input;
  if (!x.isDynamic())
    return importError("expected a computed value");
  // The function must cover every feature of a sample: before opset 13
  // the input is flattened to 2-D at `axis`, from 13 on it runs along
  // `axis` alone.
  const int64_t rank = x.dims.size();
  llvm::Expected<int64_t> axis = normalizeAxis(
      getIntAttribute(node, "axis", opset < 13 ? 1 : -1), rank, "axis");
  if (!axis)
    return axis.takeError();
  llvm::ArrayRef<int64_t> dims(x.dims);
  uint64_t before =
      getNumElements(dims.slice(1, std::max<int64_t>(*axis, 1) - 1));
  uint64_t after = getNumElements(dims.drop_front(*axis + 1));
  if (*axis == 0 || before != 1 || (opset >= 13 && after != 1))
    return importError("runs along axis " + llvm::Twine(*axis) +
                       ", not over all the features of a sample");
  Value value;
  value.kind = Value::Kind::Epilogue;
  value.epilogue = node.op_type() == "Softmax" ? OutputEpilogue::Softmax
                                               : OutputEpilogue::LogSoftmax;
  value.inner = node.input(0);
  value.dims = x.dims;
  values[node.output(0)] = std::move(value);
  return llvm::Error::success();
}

Importer::Handler Importer::getHandler(llvm::StringRef domain,
                                       llvm::StringRef op) {
  if (!domain.empty() && domain != "ai.onnx")
    return nullptr;
  return llvm::StringSwitch<Handler>(op)
      .Case("Constant", &Importer::importConstant)
      .Cases({"Identity", "Dropout", "Cast", "Shape", "Gather", "Slice",
              "Squeeze", "Unsqueeze", "Reshape", "Flatten", "Transpose"},
             &Importer::importShapeOp)
      .Cases({"Add", "Sub", "Mul", "Div", "Pow"}, &Importer::importElementwise)
      .Cases({"Neg", "Sqrt", "Reciprocal", "Abs", "Exp", "Log", "Erf", "Tanh",
              "Sigmoid", "HardSigmoid"},
             &Importer::importUnary)
      .Cases({"Relu", "LeakyRelu", "Elu", "Clip", "PRelu", "Gelu", "HardSwish"},
             &Importer::importActivation)
      .Case("MatMul", &Importer::importMatMul)
      .Case("Gemm", &Importer::importGemm)
      .Case("BatchNormalization", &Importer::importBatchNorm)
      .Case("Concat", &Importer::importConcat)
      .Cases({"Softmax", "LogSoftmax"}, &Importer::importEpilogue)
      .Default(nullptr);
}

/// Whether the importer supports op `op` on constants only.
static bool isConstantOnly(llvm::StringRef op) {
  return llvm::is_contained({"Sqrt", "Reciprocal", "Abs", "Exp", "Log"}, op);
}

/// The message for an op on a computed value that only constants may have.
static std::string describeComputedOp(llvm::StringRef op) {
  return ("unsupported op '" + op + "' on a computed value").str();
}

/// The message for an op the importer does not know.
static std::string describeUnknownOp(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return "unsupported op '" + op + "' of domain '" + node.domain() + "'";
  llvm::StringRef hint = getHint(op);
  return "unsupported op '" + op + "'" +
         (hint.empty() ? "" : "; " + hint.str());
}

//===----------------------------------------------------------------------===//
// The model
//===----------------------------------------------------------------------===//

/// The shape `value` declares, a dimension without a positive size (symbolic
/// or unknown) as TensorSignature::kDynamicDim; empty without a shape.
static std::vector<int64_t>
getDeclaredShape(const onnx::ValueInfoProto &value) {
  std::vector<int64_t> shape;
  if (!value.type().has_tensor_type() ||
      !value.type().tensor_type().has_shape())
    return shape;
  for (const auto &dim : value.type().tensor_type().shape().dim())
    shape.push_back(dim.has_dim_value() && dim.dim_value() > 0
                        ? dim.dim_value()
                        : TensorSignature::kDynamicDim);
  return shape;
}

llvm::Error Importer::addInput() {
  const onnx::GraphProto &graph = model.graph();
  const onnx::ValueInfoProto *input = nullptr;
  for (const onnx::ValueInfoProto &value : graph.input()) {
    if (initializerProtos.count(value.name()))
      continue;
    if (input)
      return importError("the model has several inputs ('" + input->name() +
                         "', '" + value.name() + "'); expected one");
    input = &value;
  }
  if (!input)
    return importError("the model has no input");
  if (graph.output_size() != 1)
    return importError("the model has " + llvm::Twine(graph.output_size()) +
                       " outputs; expected one");
  // Its size: the product of the dimensions after the first (batch) one; a
  // vector is one sample.
  auto dynamicInput = [&] {
    return importError("input '" + input->name() +
                       "' needs static feature dimensions");
  };
  if (!input->type().has_tensor_type() ||
      !input->type().tensor_type().has_shape())
    return dynamicInput();
  const auto &shape = input->type().tensor_type().shape().dim();
  if (shape.empty())
    return dynamicInput();
  std::vector<int64_t> dims;
  if (shape.size() == 1)
    dims.push_back(1);
  for (int i = 0; i < shape.size(); ++i) {
    bool batch = i == 0 && shape.size() > 1;
    if (batch && (!shape[i].has_dim_value() || shape[i].dim_value() <= 0)) {
      dims.push_back(kBatchDim);
      continue;
    }
    if (!shape[i].has_dim_value() || shape[i].dim_value() <= 0)
      return dynamicInput();
    dims.push_back(shape[i].dim_value());
  }
  uint64_t size = getNumElements(llvm::ArrayRef(dims).drop_front());
  if (llvm::Error error =
          checkNeuronCount(size, "input '" + input->name() + "'"))
    return error;
  inputSignature = {input->name(), getDeclaredShape(*input)};
  network.emplace(size);
  affines.push_back(network->identity(0));
  Value value;
  value.kind = Value::Kind::Affine;
  value.id = 0;
  value.dims = std::move(dims);
  values[input->name()] = std::move(value);
  return llvm::Error::success();
}

llvm::Expected<Graph> Importer::finish() {
  const std::string &name = model.graph().output(0).name();
  auto it = values.find(name);
  if (it == values.end())
    return importError("no node computes the model's output '" + name + "'");
  Value output = it->second;
  OutputEpilogue epilogue = OutputEpilogue::None;
  if (output.kind == Value::Kind::Epilogue) {
    epilogue = output.epilogue;
    output = values[output.inner];
  }
  if (output.kind == Value::Kind::Constant)
    return importError("the model's output does not depend on its input");
  llvm::Expected<uint32_t> id = toAffine(output);
  if (!id)
    return id.takeError();
  // The results: the values the output concatenates when it is made of
  // whole layer values, else one more layer computing it.
  const AffineMap &map = affines[*id];
  std::vector<uint32_t> results;
  uint32_t row = 0;
  for (const AffineMap::Term &term : map.terms) {
    std::optional<uint32_t> plain = network->getPlainValue([&] {
      AffineMap part;
      part.width = term.rows;
      part.bias.assign(term.rows, 0.0f);
      part.terms = {term};
      part.terms[0].rowOffset = 0;
      return part;
    }());
    if (!plain || term.rowOffset != row || *plain == 0 ||
        llvm::is_contained(results, *plain)) {
      results.clear();
      break;
    }
    results.push_back(*plain);
    row += term.rows;
  }
  if (row != map.width ||
      llvm::any_of(map.bias, [](float b) { return b != 0.0f; }))
    results.clear();
  if (results.empty()) {
    llvm::Expected<uint32_t> layer =
        network->addLayer(map, {Activation::identity()});
    if (!layer)
      return layer.takeError();
    if (*layer == 0)
      return importError("the model has no MatMul or Gemm layer");
    results = {*layer};
  }
  llvm::Expected<Graph> graph = network->build(results, epilogue);
  if (!graph)
    return graph.takeError();
  // The output's shape as declared when it describes the outputs, else as
  // the importer computed it, else flat.
  TensorSignature result{name, getDeclaredShape(model.graph().output(0))};
  uint64_t numOutputs = graph->getNumOutputs();
  auto describes = [&](const TensorSignature &tensor) {
    return tensor.validate().empty() && tensor.getSampleSize() == numOutputs;
  };
  if (!describes(result)) {
    result.shape = output.dims;
    for (int64_t &dim : result.shape)
      if (dim == kBatchDim)
        dim = TensorSignature::kDynamicDim;
  }
  if (!describes(result))
    result.shape = {int64_t(numOutputs)};
  // ONNX requires names; a model without one gets no signature.
  if (inputSignature.validate().empty() && describes(result))
    graph->getLayout().signature =
        ModelSignature{inputSignature, std::move(result)};
  return graph;
}

llvm::Expected<Graph> Importer::run(llvm::StringRef data) {
  if (data.size() > size_t(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(data.data(), int(data.size())))
    return importError("'" + path +
                       "' is not a valid ONNX model (truncated "
                       "or corrupt protobuf)");
  const onnx::GraphProto &graph = model.graph();
  for (const onnx::OperatorSetIdProto &set : model.opset_import())
    if (set.domain().empty() || set.domain() == "ai.onnx")
      opset = set.version();
  // Initializers are decoded when a node uses them.
  for (const onnx::TensorProto &proto : graph.initializer())
    initializerProtos[proto.name()] = &proto;
  if (llvm::Error error = addInput())
    return std::move(error);

  // Every name is assigned once: by the graph's inputs, its initializers or
  // one node's output.
  llvm::StringSet<> defined;
  for (const onnx::ValueInfoProto &value : graph.input())
    defined.insert(value.name());
  for (const onnx::TensorProto &proto : graph.initializer())
    defined.insert(proto.name());

  for (const onnx::NodeProto &node : graph.node()) {
    const std::string &op = node.op_type();
    // Dropout's mask and BatchNormalization's training statistics are
    // extra outputs nothing may read.
    bool extraOutputs = op == "Dropout" || op == "BatchNormalization";
    if (node.output_size() < 1 || (node.output_size() > 1 && !extraOutputs))
      return importError(describe(node) + ": expected one output");
    for (const std::string &output : node.output())
      if (!output.empty() && !defined.insert(output).second)
        return importError(describe(node) + ": output '" + output +
                           "' is already defined; each name must be "
                           "assigned once");
    if (node.output(0).empty())
      return importError(describe(node) + ": expected one output");
    // A node reading a value that could not be imported is skipped: its
    // producer is already reported.
    bool skipped = false;
    for (const std::string &input : node.input()) {
      auto it = values.find(input);
      skipped |= it != values.end() && it->second.kind == Value::Kind::Failed;
    }
    // Ops the importer does not know, or knows on constants only, are
    // reported all the same.
    Handler handler = getHandler(node.domain(), op);
    if (skipped || !handler) {
      if (!handler)
        problems.push_back(describe(node) + ": " + describeUnknownOp(node));
      else if (isConstantOnly(op))
        problems.push_back(describe(node) + ": " + describeComputedOp(op));
      values[node.output(0)] = Value();
      continue;
    }
    llvm::Error error = (this->*handler)(node);
    if (fatal)
      return importError(*fatal);
    if (error) {
      problems.push_back(describe(node) + ": " +
                         llvm::toString(std::move(error)));
      values[node.output(0)] = Value();
    }
  }
  if (problems.empty()) {
    llvm::Expected<Graph> result = finish();
    if (result || fatal)
      return result;
    problems.push_back(llvm::toString(result.takeError()));
  }
  if (problems.size() == 1)
    return importError(problems[0]);
  std::string message = llvm::Twine(problems.size()).str() +
                        " nodes of the model cannot be imported:";
  for (const std::string &problem : problems)
    message += "\n  " + problem;
  return importError(message);
}

} // namespace

llvm::Expected<Graph> sffnn::importONNX(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return importError("cannot read '" + path +
                       "': " + buffer.getError().message());
  return importONNX((*buffer)->getBuffer(), path);
}

llvm::Expected<Graph> sffnn::importONNX(llvm::StringRef data,
                                        llvm::StringRef path) {
  return Importer(path).run(data);
}

//===- ImportONNX.cpp - ONNX multilayer perceptrons to Graph --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements importONNX with the ONNX protobuf classes
// (libonnx-dev). The graph's nodes must form a chain from the input to the
// output; each affine op starts a layer, an activation closes it.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/ImportONNX.h"
#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

using namespace sffnn;

namespace {

llvm::Error importError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// IEEE half to float.
float halfToFloat(uint16_t half) {
  uint32_t sign = uint32_t(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1f;
  uint32_t mantissa = half & 0x3ff;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else { // subnormal: normalize
      exponent = 127 - 15 + 1;
      while (!(mantissa & 0x400)) {
        mantissa <<= 1;
        --exponent;
      }
      mantissa &= 0x3ff;
      bits = sign | (exponent << 23) | (mantissa << 13);
    }
  } else if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13);
  } else {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// A dense tensor read from an initializer.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> values;
};

class Importer {
public:
  explicit Importer(llvm::StringRef path) : path(path) {}
  /// Imports the model in `data`; `path` locates its external data.
  llvm::Expected<Graph> run(llvm::StringRef data);

private:
  llvm::Error readTensor(const onnx::TensorProto &proto, Tensor &tensor);
  llvm::Expected<std::string> readExternal(const onnx::TensorProto &proto);
  /// The initializer named `name`, or an error for `node`.
  llvm::Expected<const Tensor *> getInitializer(const std::string &name,
                                                const onnx::NodeProto &node);
  std::string describe(const onnx::NodeProto &node) const {
    return "node '" + node.name() + "' (" + node.op_type() + ")";
  }
  /// Finishes the open layer (if any) with `activation`.
  llvm::Error closeLayer(Activation activation);
  /// Starts a layer y = x W + b from a [in, out] matrix.
  llvm::Error openLayer(const onnx::NodeProto &node,
                        const std::vector<float> &weights, int64_t rows,
                        int64_t cols, bool transposed);

  std::string path;
  onnx::ModelProto model;
  llvm::StringMap<const onnx::TensorProto *> initializerProtos;
  /// The decoded initializers, by name.
  llvm::StringMap<Tensor> initializers;

  // The network under construction.
  std::vector<uint32_t> widths;
  /// The pending layer: weights [in][out] (row-major), bias [out].
  bool layerOpen = false;
  int64_t pendingIn = 0, pendingOut = 0;
  std::vector<float> pendingWeights, pendingBias;
  std::vector<std::vector<float>> layerWeights, layerBiases;
  std::vector<Activation> layerActivations;
};

/// Reads the non-negative decimal integer `text` of external data key `key`.
static llvm::Error parseExternalInteger(const onnx::TensorProto &proto,
                                        llvm::StringRef key,
                                        llvm::StringRef text, uint64_t &value) {
  if (text.getAsInteger(10, value))
    return importError("initializer '" + proto.name() + "' has external " +
                       key + " '" + text +
                       "'; expected a non-negative integer");
  return llvm::Error::success();
}

llvm::Expected<std::string>
Importer::readExternal(const onnx::TensorProto &proto) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : proto.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset") {
      if (llvm::Error error =
              parseExternalInteger(proto, "offset", entry.value(), offset))
        return std::move(error);
    } else if (entry.key() == "length") {
      length.emplace();
      if (llvm::Error error =
              parseExternalInteger(proto, "length", entry.value(), *length))
        return std::move(error);
    }
  }
  if (location.empty())
    return importError("initializer '" + proto.name() +
                       "' has external data without a location");
  // The data must lie in a regular file inside the model's folder: a model
  // must not make the importer read any other file.
  namespace fspath = llvm::sys::path;
  auto outside = [&](const llvm::Twine &why) {
    return importError("the external data '" + location + "' of initializer '" +
                       proto.name() +
                       "' is not a file in the model's folder: " + why);
  };
  if (fspath::is_absolute(location, fspath::Style::posix) ||
      fspath::is_absolute(location, fspath::Style::windows) ||
      fspath::has_root_name(location) || fspath::has_root_directory(location))
    return outside("the location is absolute");
  for (llvm::StringRef component :
       llvm::make_range(fspath::begin(location, fspath::Style::posix),
                        fspath::end(location)))
    if (component == "..")
      return outside("the location leaves the folder ('..')");
  if (llvm::StringRef(location).contains('\0'))
    return outside("the location holds a NUL character");
  llvm::SmallString<256> folder(fspath::parent_path(path));
  if (folder.empty())
    folder = ".";
  llvm::SmallString<256> file(folder);
  fspath::append(file, location);
  // Symbolic links must not lead out of the folder either.
  llvm::SmallString<256> realFolder, realFile;
  if (std::error_code ec = llvm::sys::fs::real_path(folder, realFolder))
    return importError("cannot read the folder of '" + path +
                       "': " + ec.message());
  if (std::error_code ec = llvm::sys::fs::real_path(file, realFile))
    return importError("cannot read the external data '" + file.str() +
                       "' of initializer '" + proto.name() +
                       "': " + ec.message());
  if (!fspath::is_separator(realFolder.back()))
    realFolder.push_back('/');
  if (!llvm::StringRef(realFile).starts_with(realFolder))
    return outside("a link leads out of the folder");
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(realFile, status))
    return importError("cannot read the external data '" + file.str() +
                       "' of initializer '" + proto.name() +
                       "': " + ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return outside("not a regular file");
  uint64_t size = status.getSize();
  if (offset > size || (length && *length > size - offset))
    return importError("the external data of initializer '" + proto.name() +
                       "' (offset " + llvm::Twine(offset) + ", length " +
                       (length ? std::to_string(*length) : "all") +
                       ") lies outside '" + file.str() + "' (" +
                       llvm::Twine(size) + " bytes)");
  uint64_t count = length ? *length : size - offset;
  if (count == 0)
    return std::string();
  auto buffer = llvm::MemoryBuffer::getFileSlice(realFile, count, offset,
                                                 /*IsVolatile=*/false);
  if (!buffer)
    return importError("cannot read the external data '" + file.str() +
                       "' of initializer '" + proto.name() +
                       "': " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

llvm::Error Importer::readTensor(const onnx::TensorProto &proto,
                                 Tensor &tensor) {
  uint64_t count = 1;
  for (int64_t dim : proto.dims()) {
    if (dim < 0)
      return importError("initializer '" + proto.name() +
                         "' has an invalid shape");
    tensor.shape.push_back(dim);
    count = llvm::SaturatingMultiply(count, uint64_t(dim));
  }
  if (llvm::Error error =
          checkConnectionCount(count, "initializer '" + proto.name() + "'"))
    return error;
  // The bytes of one value in raw data, and the number of typed values.
  size_t valueBytes;
  int64_t numTyped;
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    valueBytes = 4;
    numTyped = proto.float_data_size();
    break;
  case onnx::TensorProto::DOUBLE:
    valueBytes = 8;
    numTyped = proto.double_data_size();
    break;
  case onnx::TensorProto::FLOAT16:
    // Typed FLOAT16 data lives in int32_data, one value per entry.
    valueBytes = 2;
    numTyped = proto.int32_data_size();
    break;
  default:
    return importError("initializer '" + proto.name() + "' has data type " +
                       llvm::Twine(int(proto.data_type())) +
                       "; expected float, double or float16");
  }
  std::string raw;
  bool isRaw = proto.has_raw_data();
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    llvm::Expected<std::string> external = readExternal(proto);
    if (!external)
      return external.takeError();
    raw = std::move(*external);
    isRaw = true;
  } else if (isRaw) {
    raw = proto.raw_data();
  }
  isRaw = isRaw && (!raw.empty() || numTyped == 0);
  // The data must hold `count` values before they are allocated: the shape
  // alone may declare any number.
  if (isRaw
          ? raw.size() != llvm::SaturatingMultiply(count, uint64_t(valueBytes))
          : uint64_t(numTyped) != count)
    return importError("initializer '" + proto.name() +
                       "' holds the wrong number of values for its shape");
  tensor.values.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    float &value = tensor.values[i];
    const char *bytes = raw.data() + valueBytes * i;
    switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (isRaw)
        std::memcpy(&value, bytes, 4);
      else
        value = proto.float_data(i);
      break;
    case onnx::TensorProto::DOUBLE:
      if (isRaw) {
        double wide;
        std::memcpy(&wide, bytes, 8);
        value = float(wide);
      } else {
        value = float(proto.double_data(i));
      }
      break;
    default: {
      uint16_t half;
      if (isRaw)
        std::memcpy(&half, bytes, 2);
      else
        half = uint16_t(proto.int32_data(i));
      value = halfToFloat(half);
      break;
    }
    }
    if (!std::isfinite(value))
      return importError("initializer '" + proto.name() +
                         "' holds a non-finite value");
  }
  return llvm::Error::success();
}

llvm::Expected<const Tensor *>
Importer::getInitializer(const std::string &name, const onnx::NodeProto &node) {
  auto it = initializers.find(name);
  if (it != initializers.end())
    return &it->second;
  auto proto = initializerProtos.find(name);
  if (proto == initializerProtos.end())
    return importError(describe(node) + ": input '" + name +
                       "' is not an initializer; only constant weights are "
                       "supported");
  Tensor tensor;
  if (llvm::Error error = readTensor(*proto->second, tensor))
    return std::move(error);
  return &(initializers[name] = std::move(tensor));
}

llvm::Error Importer::openLayer(const onnx::NodeProto &node,
                                const std::vector<float> &weights, int64_t rows,
                                int64_t cols, bool transposed) {
  if (llvm::Error error = closeLayer(Activation::identity()))
    return error;
  int64_t in = transposed ? cols : rows, out = transposed ? rows : cols;
  if (out == 0)
    return importError(describe(node) + ": computes no values");
  if (llvm::Error error = checkNeuronCount(out, describe(node)))
    return error;
  if (in != widths.back())
    return importError(describe(node) + ": takes " + llvm::Twine(in) +
                       " values, but the previous layer has " +
                       llvm::Twine(widths.back()));
  pendingIn = in;
  pendingOut = out;
  pendingWeights.assign(in * out, 0.0f);
  for (int64_t i = 0; i < in; ++i)
    for (int64_t j = 0; j < out; ++j)
      pendingWeights[i * out + j] =
          transposed ? weights[j * in + i] : weights[i * out + j];
  pendingBias.assign(out, 0.0f);
  layerOpen = true;
  return llvm::Error::success();
}

llvm::Error Importer::closeLayer(Activation activation) {
  if (!layerOpen)
    return llvm::Error::success();
  layerWeights.push_back(std::move(pendingWeights));
  layerBiases.push_back(std::move(pendingBias));
  layerActivations.push_back(activation);
  widths.push_back(pendingOut);
  layerOpen = false;
  return llvm::Error::success();
}

/// The value of float attribute `name` of `node`, or `fallback`.
float getFloatAttribute(const onnx::NodeProto &node, llvm::StringRef name,
                        float fallback) {
  for (const onnx::AttributeProto &attribute : node.attribute())
    if (attribute.name() == name)
      return attribute.f();
  return fallback;
}

int64_t getIntAttribute(const onnx::NodeProto &node, llvm::StringRef name,
                        int64_t fallback) {
  for (const onnx::AttributeProto &attribute : node.attribute())
    if (attribute.name() == name)
      return attribute.i();
  return fallback;
}

llvm::Expected<Graph> Importer::run(llvm::StringRef data) {
  if (data.size() > size_t(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(data.data(), int(data.size())))
    return importError("'" + path +
                       "' is not a valid ONNX model (truncated "
                       "or corrupt protobuf)");
  const onnx::GraphProto &graph = model.graph();
  // Initializers are decoded when a layer uses them: others (a Reshape's
  // shape, say) may have any type.
  for (const onnx::TensorProto &proto : graph.initializer())
    initializerProtos[proto.name()] = &proto;

  // The input: the one graph input that is not an initializer.
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
  // Its size: the product of the dimensions after the first (batch) one.
  auto dynamicInput = [&] {
    return importError("input '" + input->name() +
                       "' needs static feature dimensions");
  };
  if (!input->type().has_tensor_type() ||
      !input->type().tensor_type().has_shape())
    return dynamicInput();
  uint64_t inputSize = 1;
  const auto &dims = input->type().tensor_type().shape().dim();
  for (int i = dims.size() > 1 ? 1 : 0; i < dims.size(); ++i) {
    if (!dims[i].has_dim_value() || dims[i].dim_value() <= 0)
      return dynamicInput();
    inputSize =
        llvm::SaturatingMultiply(inputSize, uint64_t(dims[i].dim_value()));
  }
  if (llvm::Error error =
          checkNeuronCount(inputSize, "input '" + input->name() + "'"))
    return error;
  widths.push_back(inputSize);

  // Every name is assigned once: by the graph's inputs, its initializers or
  // one node's output.
  llvm::StringSet<> defined;
  for (const onnx::ValueInfoProto &value : graph.input())
    defined.insert(value.name());
  for (const onnx::TensorProto &proto : graph.initializer())
    defined.insert(proto.name());

  // Walk the chain.
  std::string current = input->name();
  bool seenAffine = false;
  for (const onnx::NodeProto &node : graph.node()) {
    const std::string &op = node.op_type();
    if (node.input_size() == 0 || node.input(0) != current)
      return importError(describe(node) +
                         ": does not continue the chain "
                         "from '" +
                         current +
                         "'; only multilayer "
                         "perceptrons (one chain of ops) are supported");
    if (node.output_size() != 1)
      return importError(describe(node) + ": expected one output");
    if (node.output(0).empty() || !defined.insert(node.output(0)).second)
      return importError(describe(node) + ": output '" + node.output(0) +
                         "' is already defined; each name must be assigned "
                         "once");
    if (op == "Flatten" || op == "Reshape") {
      if (seenAffine)
        return importError(describe(node) + ": only the input may be "
                                            "flattened or reshaped");
    } else if (op == "Gemm") {
      if (getIntAttribute(node, "transA", 0) != 0)
        return importError(describe(node) + ": transA = 1 is not supported");
      if (node.input_size() < 2)
        return importError(describe(node) + ": needs a weight matrix");
      auto weights = getInitializer(node.input(1), node);
      if (!weights)
        return weights.takeError();
      if ((*weights)->shape.size() != 2)
        return importError(describe(node) + ": the weight must be a matrix");
      bool transB = getIntAttribute(node, "transB", 0) != 0;
      float alpha = getFloatAttribute(node, "alpha", 1.0f);
      float beta = getFloatAttribute(node, "beta", 1.0f);
      std::vector<float> scaled = (*weights)->values;
      for (float &w : scaled)
        w *= alpha;
      if (llvm::Error error = openLayer(node, scaled, (*weights)->shape[0],
                                        (*weights)->shape[1], transB))
        return error;
      if (node.input_size() > 2 && !node.input(2).empty()) {
        auto bias = getInitializer(node.input(2), node);
        if (!bias)
          return bias.takeError();
        const std::vector<float> &b = (*bias)->values;
        if (b.size() == 1) {
          for (float &x : pendingBias)
            x = beta * b[0];
        } else if (int64_t(b.size()) == pendingOut) {
          for (int64_t j = 0; j < pendingOut; ++j)
            pendingBias[j] = beta * b[j];
        } else {
          return importError(describe(node) + ": the bias has " +
                             llvm::Twine(b.size()) + " values; expected " +
                             llvm::Twine(pendingOut));
        }
      }
      seenAffine = true;
    } else if (op == "MatMul") {
      if (node.input_size() != 2)
        return importError(describe(node) + ": expected two inputs");
      auto weights = getInitializer(node.input(1), node);
      if (!weights)
        return weights.takeError();
      if ((*weights)->shape.size() != 2)
        return importError(describe(node) + ": the weight must be a matrix");
      if (llvm::Error error =
              openLayer(node, (*weights)->values, (*weights)->shape[0],
                        (*weights)->shape[1], /*transposed=*/false))
        return error;
      seenAffine = true;
    } else if (op == "Add") {
      if (!layerOpen)
        return importError(describe(node) + ": an Add must follow a MatMul "
                                            "or Gemm");
      if (node.input_size() != 2)
        return importError(describe(node) + ": expected two inputs");
      auto bias = getInitializer(node.input(1), node);
      if (!bias)
        return bias.takeError();
      const std::vector<float> &b = (*bias)->values;
      if (int64_t(b.size()) != pendingOut && b.size() != 1)
        return importError(describe(node) + ": the bias has " +
                           llvm::Twine(b.size()) + " values; expected " +
                           llvm::Twine(pendingOut));
      for (int64_t j = 0; j < pendingOut; ++j)
        pendingBias[j] += b.size() == 1 ? b[0] : b[j];
    } else if (op == "Identity") {
      // Nothing to do.
    } else if (op == "Relu" || op == "Sigmoid" || op == "Tanh" ||
               op == "LeakyRelu" || op == "Clip") {
      if (!layerOpen)
        return importError(describe(node) +
                           ": an activation must follow a "
                           "MatMul or Gemm (one activation per layer)");
      Activation activation = Activation::relu();
      if (op == "Sigmoid")
        activation = Activation::sigmoid();
      else if (op == "Tanh")
        activation = Activation::tanh();
      else if (op == "LeakyRelu")
        activation =
            Activation::leakyRelu(getFloatAttribute(node, "alpha", 0.01f));
      else if (op == "Clip") {
        float lo = getFloatAttribute(node, "min", -INFINITY);
        float hi = getFloatAttribute(node, "max", INFINITY);
        // Opset 11+: min and max are inputs.
        for (int i = 1; i < node.input_size() && i < 3; ++i) {
          if (node.input(i).empty())
            continue;
          auto bound = getInitializer(node.input(i), node);
          if (!bound)
            return bound.takeError();
          if ((*bound)->values.size() != 1)
            return importError(describe(node) + ": bounds must be scalars");
          (i == 1 ? lo : hi) = (*bound)->values[0];
        }
        if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
          return importError(describe(node) + ": only finite bounds with "
                                              "min <= max are supported");
        activation = Activation::clamp(lo, hi);
      }
      if (llvm::Error error = closeLayer(activation))
        return error;
    } else if (op == "Softmax" || op == "LogSoftmax") {
      return importError(describe(node) +
                         ": not supported; export the "
                         "logits instead (their argmax is the same)");
    } else {
      return importError(describe(node) + ": unsupported op '" + op + "'");
    }
    current = node.output(0);
  }
  if (llvm::Error error = closeLayer(Activation::identity()))
    return std::move(error);
  if (current != graph.output(0).name())
    return importError("the chain ends at '" + current +
                       "', not at the model's output '" +
                       graph.output(0).name() + "'");
  if (layerWeights.empty())
    return importError("the model has no MatMul or Gemm layer");

  uint64_t numNeurons = 0;
  for (uint32_t width : widths)
    numNeurons += width;
  if (llvm::Error error = checkNeuronCount(numNeurons, "the model"))
    return std::move(error);

  // Build the graph, pruning zeros.
  Graph result(widths[0]);
  GraphLayout &layout = result.getLayout();
  layout.argumentSizes = {widths[0]};
  NeuronId previous = 0;
  for (size_t l = 0; l < layerWeights.size(); ++l) {
    uint32_t in = widths[l], out = widths[l + 1];
    GraphLayout::Layer layer;
    layer.begin = result.getNumNeurons();
    layer.operands = {uint32_t(l)};
    for (uint32_t j = 0; j < out; ++j) {
      result.addNeuron(layerBiases[l][j], layerActivations[l]);
      for (uint32_t i = 0; i < in; ++i)
        if (float w = layerWeights[l][uint64_t(i) * out + j]; w != 0.0f)
          result.addFanIn(previous + i, w);
    }
    layer.end = result.getNumNeurons();
    previous = layer.begin;
    layout.layers.push_back(std::move(layer));
  }
  for (NeuronId v = previous; v < result.getNumNeurons(); ++v)
    result.addOutput(v);
  layout.resultSizes = {widths.back()};
  layout.results = {uint32_t(layerWeights.size())};
  if (llvm::Error error = result.finalize())
    return std::move(error);
  return result;
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

//===- Tensor.cpp - Constant folding for the ONNX importer ----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the constant folding of Tensor.h: the ONNX operators
// on constant tensors, as the ONNX operator specification defines them.
//
//===----------------------------------------------------------------------===//

#include "Tensor.h"

#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MathExtras.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>

using namespace sffnn;
using namespace sffnn::onnx_import;

static llvm::Error foldError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

Tensor Tensor::scalar(float value) {
  Tensor tensor;
  tensor.values = {value};
  return tensor;
}

Tensor Tensor::integers(std::vector<int64_t> values) {
  Tensor tensor;
  tensor.isInteger = true;
  tensor.shape = {int64_t(values.size())};
  tensor.ints = std::move(values);
  return tensor;
}

uint64_t sffnn::onnx_import::getNumElements(llvm::ArrayRef<int64_t> dims) {
  uint64_t count = 1;
  for (int64_t dim : dims)
    if (dim != kBatchDim)
      count =
          llvm::SaturatingMultiply(count, uint64_t(std::max<int64_t>(dim, 0)));
  return count;
}

llvm::Expected<int64_t>
sffnn::onnx_import::normalizeAxis(int64_t axis, int64_t rank,
                                  const llvm::Twine &what) {
  if (axis < -rank || axis >= rank)
    return foldError(what + " " + llvm::Twine(axis) +
                     " is out of range for rank " + llvm::Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

/// Row-major strides of `shape`.
static std::vector<uint64_t> getStrides(llvm::ArrayRef<int64_t> shape) {
  std::vector<uint64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * uint64_t(shape[i]);
  return strides;
}

/// A tensor of zeros of `shape`, integers or f32 values; checks the size
/// against the connection limit first.
static llvm::Expected<Tensor> makeTensor(std::vector<int64_t> shape,
                                         bool isInteger) {
  uint64_t count = getNumElements(shape);
  if (llvm::Error error = checkConnectionCount(count, "a folded constant"))
    return std::move(error);
  Tensor result;
  result.shape = std::move(shape);
  result.isInteger = isInteger;
  if (isInteger)
    result.ints.resize(count);
  else
    result.values.resize(count);
  return result;
}

/// Checks that every f32 value of `tensor` is finite.
static llvm::Error checkFinite(const Tensor &tensor, llvm::StringRef op) {
  for (float value : tensor.values)
    if (!std::isfinite(value))
      return foldError("folding " + op + " gives a non-finite value");
  return llvm::Error::success();
}

static bool holdsBatch(const Tensor &tensor) {
  return tensor.isInteger && llvm::is_contained(tensor.ints, kBatchDim);
}

llvm::Expected<Tensor> sffnn::onnx_import::foldBinary(BinaryOp op,
                                                      const Tensor &lhs,
                                                      const Tensor &rhs) {
  if (holdsBatch(lhs) || holdsBatch(rhs))
    return foldError("the value depends on the batch size");
  size_t rank = std::max(lhs.shape.size(), rhs.shape.size());
  std::vector<int64_t> shape(rank, 1);
  auto dimOf = [&](const Tensor &t, size_t i) -> int64_t {
    size_t offset = rank - t.shape.size();
    return i < offset ? 1 : t.shape[i - offset];
  };
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = dimOf(lhs, i), b = dimOf(rhs, i);
    if (a != b && a != 1 && b != 1)
      return foldError("shapes do not broadcast (dimension " + llvm::Twine(i) +
                       ": " + llvm::Twine(a) + " and " + llvm::Twine(b) + ")");
    shape[i] = a == 1 ? b : a;
  }
  bool isInteger = lhs.isInteger && rhs.isInteger;
  llvm::Expected<Tensor> result = makeTensor(shape, isInteger);
  if (!result)
    return result.takeError();
  std::vector<uint64_t> strides = getStrides(shape);
  auto sourceIndex = [&](const Tensor &t, uint64_t flat) {
    uint64_t index = 0, stride = 1;
    for (size_t i = rank; i-- > 0;) {
      uint64_t coordinate = flat / strides[i] % uint64_t(shape[i]);
      int64_t dim = dimOf(t, i);
      if (dim != 1)
        index += coordinate * stride;
      stride *= uint64_t(dim);
    }
    return index;
  };
  // The op on f32 operands, in double precision.
  auto compute = [op](double a, double b) {
    switch (op) {
    case BinaryOp::Add:
      return a + b;
    case BinaryOp::Sub:
      return a - b;
    case BinaryOp::Mul:
      return a * b;
    case BinaryOp::Div:
      return a / b;
    case BinaryOp::Pow:
      return std::pow(a, b);
    }
    return a;
  };
  for (uint64_t i = 0, e = result->size(); i < e; ++i) {
    uint64_t l = sourceIndex(lhs, i), r = sourceIndex(rhs, i);
    if (!isInteger) {
      result->values[i] = float(compute(lhs.get(l), rhs.get(r)));
      continue;
    }
    int64_t a = lhs.ints[l], b = rhs.ints[r], &value = result->ints[i];
    bool overflow = false;
    switch (op) {
    case BinaryOp::Add:
      overflow = llvm::AddOverflow(a, b, value);
      break;
    case BinaryOp::Sub:
      overflow = llvm::SubOverflow(a, b, value);
      break;
    case BinaryOp::Mul:
      overflow = llvm::MulOverflow(a, b, value);
      break;
    case BinaryOp::Div:
      if (b == 0)
        return foldError("integer division by zero");
      overflow = a == std::numeric_limits<int64_t>::min() && b == -1;
      value = overflow ? 0 : a / b;
      break;
    case BinaryOp::Pow: {
      double power = std::pow(double(a), double(b));
      overflow = !(std::fabs(power) < 0x1p62);
      value = overflow ? 0 : int64_t(power);
      break;
    }
    }
    if (overflow)
      return foldError("integer overflow");
  }
  if (llvm::Error error = checkFinite(*result, "an elementwise op"))
    return std::move(error);
  return result;
}

llvm::Expected<Tensor> sffnn::onnx_import::foldUnary(llvm::StringRef op,
                                                     const Tensor &input) {
  if (holdsBatch(input))
    return foldError("the value depends on the batch size");
  Tensor result = input;
  if (input.isInteger) {
    if (op != "Neg" && op != "Abs")
      return foldError(op + " of integers is not supported");
    for (int64_t &value : result.ints) {
      if (value == std::numeric_limits<int64_t>::min())
        return foldError("integer overflow");
      value = op == "Neg" ? -value : std::abs(value);
    }
    return result;
  }
  using Fn = double (*)(double);
  Fn fn =
      llvm::StringSwitch<Fn>(op)
          .Case("Neg", [](double x) { return -x; })
          .Case("Sqrt", [](double x) { return std::sqrt(x); })
          .Case("Reciprocal", [](double x) { return 1.0 / x; })
          .Case("Abs", [](double x) { return std::fabs(x); })
          .Case("Exp", [](double x) { return std::exp(x); })
          .Case("Log", [](double x) { return std::log(x); })
          .Case("Erf", [](double x) { return std::erf(x); })
          .Case("Relu", [](double x) { return x < 0.0 ? 0.0 : x; })
          .Case("Sigmoid", [](double x) { return 1.0 / (1.0 + std::exp(-x)); })
          .Case("Tanh", [](double x) { return std::tanh(x); })
          .Default(nullptr);
  if (!fn)
    return foldError(op + " of constants is not supported");
  for (float &value : result.values)
    value = float(fn(value));
  if (llvm::Error error = checkFinite(result, op))
    return std::move(error);
  return result;
}

llvm::Expected<Tensor> sffnn::onnx_import::foldCast(const Tensor &input,
                                                    int64_t to) {
  switch (to) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::FLOAT16: {
    if (holdsBatch(input))
      return foldError("the value depends on the batch size");
    if (!input.isInteger)
      return input;
    Tensor result;
    result.shape = input.shape;
    for (int64_t value : input.ints)
      result.values.push_back(float(value));
    return result;
  }
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL: {
    if (input.isInteger) {
      Tensor result = input;
      if (to == onnx::TensorProto::BOOL)
        for (int64_t &value : result.ints)
          value = value != 0;
      return result;
    }
    Tensor result;
    result.shape = input.shape;
    result.isInteger = true;
    for (float value : input.values) {
      if (!(std::fabs(value) < 0x1p62f))
        return foldError("a Cast to integers overflows");
      result.ints.push_back(to == onnx::TensorProto::BOOL ? value != 0.0f
                                                          : int64_t(value));
    }
    return result;
  }
  default:
    return foldError("a Cast to data type " + llvm::Twine(to) +
                     " is not supported");
  }
}

llvm::Expected<Tensor>
sffnn::onnx_import::foldTranspose(const Tensor &input,
                                  llvm::ArrayRef<int64_t> perm) {
  const size_t rank = input.shape.size();
  std::vector<int64_t> order(perm.begin(), perm.end());
  if (order.empty())
    for (size_t i = rank; i-- > 0;)
      order.push_back(i);
  std::vector<bool> seen(rank, false);
  if (order.size() != rank)
    return foldError("the permutation has " + llvm::Twine(order.size()) +
                     " axes; expected " + llvm::Twine(rank));
  for (int64_t axis : order) {
    if (axis < 0 || size_t(axis) >= rank || seen[axis])
      return foldError("invalid permutation");
    seen[axis] = true;
  }
  std::vector<int64_t> shape;
  for (int64_t axis : order)
    shape.push_back(input.shape[axis]);
  llvm::Expected<Tensor> result = makeTensor(shape, input.isInteger);
  if (!result)
    return result.takeError();
  std::vector<uint64_t> inStrides = getStrides(input.shape);
  std::vector<uint64_t> outStrides = getStrides(shape);
  for (uint64_t i = 0, e = result->size(); i < e; ++i) {
    uint64_t source = 0;
    for (size_t k = 0; k < rank; ++k)
      source += i / outStrides[k] % uint64_t(shape[k]) * inStrides[order[k]];
    if (input.isInteger)
      result->ints[i] = input.ints[source];
    else
      result->values[i] = input.values[source];
  }
  return result;
}

llvm::Expected<Tensor> sffnn::onnx_import::foldGather(const Tensor &data,
                                                      const Tensor &indices,
                                                      int64_t axis) {
  if (!indices.isInteger)
    return foldError("Gather indices must be integers");
  llvm::Expected<int64_t> a =
      normalizeAxis(axis, data.shape.size(), "the Gather axis");
  if (!a)
    return a.takeError();
  int64_t dim = data.shape[*a];
  std::vector<int64_t> shape(data.shape.begin(), data.shape.begin() + *a);
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), data.shape.begin() + *a + 1, data.shape.end());
  llvm::Expected<Tensor> result = makeTensor(shape, data.isInteger);
  if (!result)
    return result.takeError();
  uint64_t outer = getNumElements(llvm::ArrayRef(data.shape).take_front(*a));
  uint64_t inner =
      getNumElements(llvm::ArrayRef(data.shape).drop_front(*a + 1));
  uint64_t out = 0;
  for (uint64_t o = 0; o < outer; ++o)
    for (int64_t index : indices.ints) {
      if (index < -dim || index >= dim)
        return foldError("Gather index " + llvm::Twine(index) +
                         " is out of range");
      uint64_t row = uint64_t(index < 0 ? index + dim : index);
      for (uint64_t i = 0; i < inner; ++i, ++out) {
        uint64_t source = (o * uint64_t(dim) + row) * inner + i;
        if (data.isInteger)
          result->ints[out] = data.ints[source];
        else
          result->values[out] = data.values[source];
      }
    }
  return result;
}

llvm::Expected<Tensor>
sffnn::onnx_import::foldConcat(llvm::ArrayRef<const Tensor *> inputs,
                               int64_t axis) {
  if (inputs.empty())
    return foldError("Concat needs inputs");
  const Tensor &first = *inputs.front();
  llvm::Expected<int64_t> a =
      normalizeAxis(axis, first.shape.size(), "the Concat axis");
  if (!a)
    return a.takeError();
  std::vector<int64_t> shape = first.shape;
  shape[*a] = 0;
  for (const Tensor *input : inputs) {
    if (input->isInteger != first.isInteger ||
        input->shape.size() != first.shape.size())
      return foldError("Concat inputs differ in type or rank");
    for (size_t i = 0; i < shape.size(); ++i)
      if (int64_t(i) != *a && input->shape[i] != first.shape[i])
        return foldError("Concat inputs differ in shape");
    shape[*a] += input->shape[*a];
  }
  llvm::Expected<Tensor> result = makeTensor(shape, first.isInteger);
  if (!result)
    return result.takeError();
  uint64_t outer = getNumElements(llvm::ArrayRef(shape).take_front(*a));
  uint64_t out = 0;
  for (uint64_t o = 0; o < outer; ++o)
    for (const Tensor *input : inputs) {
      uint64_t chunk =
          getNumElements(llvm::ArrayRef(input->shape).drop_front(*a));
      for (uint64_t i = 0; i < chunk; ++i, ++out) {
        if (first.isInteger)
          result->ints[out] = input->ints[o * chunk + i];
        else
          result->values[out] = input->values[o * chunk + i];
      }
    }
  return result;
}

llvm::Expected<Tensor> sffnn::onnx_import::foldSlice(
    const Tensor &input, llvm::ArrayRef<int64_t> starts,
    llvm::ArrayRef<int64_t> ends, llvm::ArrayRef<int64_t> axes,
    llvm::ArrayRef<int64_t> steps) {
  const int64_t rank = input.shape.size();
  if (starts.size() != ends.size() ||
      (!axes.empty() && axes.size() != starts.size()) ||
      (!steps.empty() && steps.size() != starts.size()))
    return foldError("Slice starts, ends, axes and steps differ in length");
  // Per axis: first index, step and count.
  std::vector<int64_t> first(rank, 0), step(rank, 1), shape = input.shape;
  for (size_t k = 0; k < starts.size(); ++k) {
    llvm::Expected<int64_t> axis =
        normalizeAxis(axes.empty() ? int64_t(k) : axes[k], rank, "the axis");
    if (!axis)
      return axis.takeError();
    int64_t dim = input.shape[*axis], s = steps.empty() ? 1 : steps[k];
    if (s == 0)
      return foldError("Slice step 0");
    // A step beyond the dimension takes one element at most, as one of the
    // dimension's size does (and keeps the arithmetic below in range).
    s = std::clamp<int64_t>(s, -std::max<int64_t>(dim, 1),
                            std::max<int64_t>(dim, 1));
    auto clampIndex = [&](int64_t index, int64_t low, int64_t high) {
      if (index < 0)
        index = index < -dim ? -1 : index + dim;
      return std::clamp(index, low, high);
    };
    int64_t begin = s > 0 ? clampIndex(starts[k], 0, dim)
                          : clampIndex(starts[k], -1, dim - 1);
    int64_t end =
        s > 0 ? clampIndex(ends[k], 0, dim) : clampIndex(ends[k], -1, dim - 1);
    int64_t count = s > 0 ? std::max<int64_t>(0, (end - begin + s - 1) / s)
                          : std::max<int64_t>(0, (begin - end - s - 1) / -s);
    first[*axis] = begin;
    step[*axis] = s;
    shape[*axis] = count;
  }
  llvm::Expected<Tensor> result = makeTensor(shape, input.isInteger);
  if (!result)
    return result.takeError();
  std::vector<uint64_t> inStrides = getStrides(input.shape);
  std::vector<uint64_t> outStrides = getStrides(shape);
  for (uint64_t i = 0, e = result->size(); i < e; ++i) {
    uint64_t source = 0;
    for (int64_t k = 0; k < rank; ++k) {
      int64_t coordinate = int64_t(i / outStrides[k] % uint64_t(shape[k]));
      source += uint64_t(first[k] + coordinate * step[k]) * inStrides[k];
    }
    if (input.isInteger)
      result->ints[i] = input.ints[source];
    else
      result->values[i] = input.values[source];
  }
  return result;
}

llvm::Expected<std::vector<int64_t>>
sffnn::onnx_import::resolveReshape(llvm::ArrayRef<int64_t> shape,
                                   llvm::ArrayRef<int64_t> target,
                                   bool allowZero) {
  std::vector<int64_t> dims;
  int inferred = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t dim = target[i];
    if (dim == 0 && !allowZero) {
      if (i >= shape.size())
        return foldError("Reshape copies dimension " + llvm::Twine(i) +
                         ", which the input does not have");
      dim = shape[i];
    } else if (dim == -1) {
      if (inferred >= 0)
        return foldError("Reshape infers more than one dimension");
      inferred = i;
    } else if (dim < 0 && dim != kBatchDim) {
      return foldError("Reshape to a negative dimension");
    }
    dims.push_back(dim);
  }
  // The batch dimension matches only itself; the other dimensions must
  // hold the same number of elements.
  bool inBatch = llvm::is_contained(shape, kBatchDim);
  bool outBatch = llvm::is_contained(dims, kBatchDim);
  uint64_t have = getNumElements(shape);
  uint64_t known = 1;
  for (size_t i = 0; i < dims.size(); ++i)
    if (int(i) != inferred && dims[i] != kBatchDim)
      known = llvm::SaturatingMultiply(known, uint64_t(dims[i]));
  if (inferred >= 0) {
    if (inBatch && !outBatch) {
      // -1 stands for the batch (times the remaining elements).
      if (known == 0 || have % known != 0 || have / known != 1)
        return foldError("Reshape mixes the batch with the features");
      dims[inferred] = kBatchDim;
      return dims;
    }
    if (known == 0 || have % known != 0)
      return foldError("Reshape cannot infer a dimension");
    dims[inferred] = have / known;
    known = have;
  }
  if (inBatch != outBatch || known != have)
    return foldError("Reshape changes the number of elements per sample (" +
                     llvm::Twine(have) + " to " + llvm::Twine(known) + ")");
  return dims;
}

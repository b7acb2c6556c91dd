//===- Tensor.h - Constant tensors of the ONNX importer ---------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the constant tensors the ONNX importer folds: the
// initializers and Constant nodes of a model and everything computed from
// them alone (weight transposes and masks, casts, shape computations). Each
// function implements the ONNX operator of its name (onnx.ai/onnx/operators)
// on constants, with numpy broadcasting. Private to the importer.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_TARGET_IMPORTONNX_TENSOR_H
#define SFFNN_LIB_TARGET_IMPORTONNX_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace sffnn {
namespace onnx_import {

/// The batch size in integer tensors computed from a shape (Shape of a
/// value whose first dimension is the batch): a placeholder any arithmetic
/// on it refuses.
constexpr int64_t kBatchDim = std::numeric_limits<int64_t>::min();

/// A dense constant tensor, row-major: f32 values, or integers (shapes,
/// indices, axes; ONNX int64, int32, int8 and bool).
struct Tensor {
  std::vector<int64_t> shape;
  bool isInteger = false;
  std::vector<float> values;
  std::vector<int64_t> ints;

  /// The number of elements.
  uint64_t size() const { return isInteger ? ints.size() : values.size(); }
  /// Element `i` as a double.
  double get(uint64_t i) const {
    return isInteger ? double(ints[i]) : double(values[i]);
  }
  /// A scalar (rank 0 or one element) f32 or integer tensor.
  static Tensor scalar(float value);
  static Tensor integers(std::vector<int64_t> values);
};

/// Reads TensorProtos: typed fields, raw data or external data files next to
/// the model at `modelPath`, which must lie inside the model's folder.
class TensorReader {
public:
  explicit TensorReader(llvm::StringRef modelPath) : path(modelPath) {}
  /// Decodes `proto`. Errors: an invalid or oversized shape (checked before
  /// allocation), data that does not hold the shape's values, an
  /// unsupported data type, a non-finite f32 value, external data outside
  /// the folder.
  llvm::Error read(const onnx::TensorProto &proto, Tensor &tensor) const;

private:
  llvm::Expected<std::string>
  readExternal(const onnx::TensorProto &proto) const;
  std::string path;
};

/// The elementwise binary operators folded on constants.
enum class BinaryOp { Add, Sub, Mul, Div, Pow };

/// `lhs op rhs` with numpy broadcasting; integers stay integers (Div
/// truncates). Errors: incompatible shapes, a batch placeholder operand, an
/// integer division by zero, a non-finite f32 result.
llvm::Expected<Tensor> foldBinary(BinaryOp op, const Tensor &lhs,
                                  const Tensor &rhs);

/// Neg, Sqrt, Reciprocal, Abs, Exp, Log, Erf, Relu, Sigmoid and Tanh of f32
/// values (`op` is the ONNX name); integers for Neg and Abs. Errors: another
/// op, a non-finite result.
llvm::Expected<Tensor> foldUnary(llvm::StringRef op, const Tensor &input);

/// Cast to ONNX data type `to` (float types: f32 values; integer and bool
/// types: integers, truncated toward zero). Errors: another type.
llvm::Expected<Tensor> foldCast(const Tensor &input, int64_t to);

/// Transpose by `perm` (empty: reverse the axes). Errors: an invalid perm.
llvm::Expected<Tensor> foldTranspose(const Tensor &input,
                                     llvm::ArrayRef<int64_t> perm);

/// Gather of integer `indices` along `axis`. Errors: bad axis or index.
llvm::Expected<Tensor> foldGather(const Tensor &data, const Tensor &indices,
                                  int64_t axis);

/// Concat along `axis`. Errors: mixed element types or mismatched shapes.
llvm::Expected<Tensor> foldConcat(llvm::ArrayRef<const Tensor *> inputs,
                                  int64_t axis);

/// Slice along `axes` (empty: 0, 1, ...) from `starts` to `ends` by `steps`
/// (empty: 1), clamped as ONNX says.
llvm::Expected<Tensor> foldSlice(const Tensor &input,
                                 llvm::ArrayRef<int64_t> starts,
                                 llvm::ArrayRef<int64_t> ends,
                                 llvm::ArrayRef<int64_t> axes,
                                 llvm::ArrayRef<int64_t> steps);

/// The shape `target` of a Reshape of a tensor of shape `shape` into
/// concrete dimensions: 0 copies the input's dimension (unless
/// `allowZero`), one -1 is inferred. Dimensions may be kBatchDim, which
/// only 0, -1 or kBatchDim itself match. Errors: element counts that differ,
/// several -1, a negative dimension.
llvm::Expected<std::vector<int64_t>>
resolveReshape(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> target,
               bool allowZero);

/// The product of `dims` (saturating at UINT64_MAX; kBatchDim counts as 1).
uint64_t getNumElements(llvm::ArrayRef<int64_t> dims);

/// `axis` in [-rank, rank) made non-negative, or an error naming `what`.
llvm::Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                      const llvm::Twine &what);

} // namespace onnx_import
} // namespace sffnn

#endif // SFFNN_LIB_TARGET_IMPORTONNX_TENSOR_H

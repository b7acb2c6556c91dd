//===- SFFNNAttrs.h - sffnn attributes --------------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the sffnn attributes (#sffnn.activation,
// #sffnn.epilogue, #sffnn.signature, #sffnn.csr, #sffnn.schedule)
// and helpers to read the arrays of an ElementsAttr whether it is a `dense`
// or a `dense_resource` attribute.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_SFFNNATTRS_H
#define SFFNN_IR_SFFNNATTRS_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Scheduling/Schedulers.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/APFloat.h"

namespace sffnn {

/// The arrays of a #sffnn.csr attribute: `offsets` widened to i64 (rows + 1
/// values), `indices` and `values` (one per entry) pointing into the
/// attribute's storage, or into the storage members when a copy was needed.
struct SparseMatrixArrays {
  std::vector<int64_t> offsets;
  llvm::ArrayRef<int32_t> indices;
  llvm::ArrayRef<float> values;
  llvm::SmallVector<int32_t, 0> indexStorage;
  llvm::SmallVector<float, 0> valueStorage;
};

/// Parses a strategy name in quotes (a #sffnn.schedule parameter): one of
/// stringifyStrategy's names, or "two-opt". Emits an error and fails
/// otherwise.
mlir::FailureOr<Strategy> parseStrategy(mlir::AsmParser &parser);

} // namespace sffnn

#define GET_ATTRDEF_CLASSES
#include "sffnn/IR/SFFNNAttrDefs.h.inc"

namespace sffnn {

/// Reads the elements of a 1-D `attr` whose element type is T's (i8, i32,
/// i64 or f32) without copying when they are stored contiguously (a
/// non-splat `dense` attribute or an available `dense_resource` blob);
/// otherwise copies them into `storage`. Returns std::nullopt when the
/// element type does not match T or a resource blob is not available (for
/// example `dense_resource<__elided__>`).
template <typename T>
std::optional<llvm::ArrayRef<T>>
getElementArray(mlir::ElementsAttr attr, llvm::SmallVectorImpl<T> &storage);

/// Creates a 1-D `dense_resource` attribute named after `blobName` (made
/// unique by the context) holding a copy of `data`. Element type: i8, i32,
/// i64 or f32 after T.
template <typename T>
mlir::ElementsAttr createResourceArray(mlir::MLIRContext *context,
                                       llvm::StringRef blobName,
                                       llvm::ArrayRef<T> data);

/// Creates a 1-D `dense` attribute holding a copy of `data` (element type
/// after T as for createResourceArray).
template <typename T>
mlir::ElementsAttr createDenseArray(mlir::MLIRContext *context,
                                    llvm::ArrayRef<T> data);

} // namespace sffnn

#endif // SFFNN_IR_SFFNNATTRS_H

//===- InitAllDialects.h - Register the dialects sffnn uses -----*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the registration of the sffnn dialect and of the
// upstream dialects it lowers to, for the tools.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_INITALLDIALECTS_H
#define SFFNN_INITALLDIALECTS_H

#include "sffnn/IR/SFFNNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace sffnn {

/// Adds the sffnn dialect and the func, arith, math, scf, memref, tensor,
/// vector and llvm dialects to `registry`.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry
      .insert<SFFNNDialect, mlir::arith::ArithDialect, mlir::func::FuncDialect,
              mlir::LLVM::LLVMDialect, mlir::math::MathDialect,
              mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
              mlir::tensor::TensorDialect, mlir::vector::VectorDialect>();
}

} // namespace sffnn

#endif // SFFNN_INITALLDIALECTS_H

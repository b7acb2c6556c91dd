//===- Passes.h - sffnn conversion passes -----------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the sffnn conversion passes (Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_CONVERSION_PASSES_H
#define SFFNN_CONVERSION_PASSES_H

#include "sffnn/Conversion/SFFNNToLoops.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <vector>

namespace sffnn {

#define GEN_PASS_DECL
#include "sffnn/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "sffnn/Conversion/Passes.h.inc"

/// The module attribute in which --sffnn-lower-to-loops lists what it
/// lowered: an array with one dictionary per network (`name`, `codegen`,
/// the plan's figures; docs/conversion-passes.md).
constexpr llvm::StringLiteral kLoweredAttrName = "sffnn.lowered";

/// --sffnn-lower-to-loops with `options` that also appends the report of
/// every network it lowers, in module order, to `*reports` (the same
/// figures as the `sffnn.lowered` attribute, typed), for drivers.
std::unique_ptr<mlir::Pass>
createConvertSFFNNToLoops(const ConvertSFFNNToLoopsOptions &options,
                          std::vector<LoweringReport> *reports);

} // namespace sffnn

#endif // SFFNN_CONVERSION_PASSES_H

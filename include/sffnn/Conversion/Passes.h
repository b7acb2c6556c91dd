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

namespace sffnn {

#define GEN_PASS_DECL
#include "sffnn/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "sffnn/Conversion/Passes.h.inc"

} // namespace sffnn

#endif // SFFNN_CONVERSION_PASSES_H

//===- Passes.h - sffnn passes ----------------------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the sffnn passes; their options and descriptions are in
// Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TRANSFORMS_PASSES_H
#define SFFNN_TRANSFORMS_PASSES_H

#include "sffnn/Scheduling/Schedulers.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace sffnn {

#define GEN_PASS_DECL
#include "sffnn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "sffnn/Transforms/Passes.h.inc"

} // namespace sffnn

#endif // SFFNN_TRANSFORMS_PASSES_H

//===- SFFNNDialect.h - sffnn dialect ---------------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the sffnn dialect.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_SFFNNDIALECT_H
#define SFFNN_IR_SFFNNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "sffnn/IR/SFFNNDialect.h.inc"

#endif // SFFNN_IR_SFFNNDIALECT_H

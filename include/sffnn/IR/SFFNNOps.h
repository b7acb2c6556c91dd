//===- SFFNNOps.h - sffnn operations ----------------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the sffnn operations: network, return, layer, graph.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_SFFNNOPS_H
#define SFFNN_IR_SFFNNOPS_H

#include "sffnn/IR/SFFNNAttrs.h"
#include "sffnn/IR/SFFNNDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace sffnn {
class ReturnOp;
} // namespace sffnn

#define GET_OP_CLASSES
#include "sffnn/IR/SFFNNOps.h.inc"

#endif // SFFNN_IR_SFFNNOPS_H

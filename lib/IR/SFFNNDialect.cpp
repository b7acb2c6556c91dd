//===- SFFNNDialect.cpp - sffnn dialect -----------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the sffnn dialect: registration of its ops and
// attributes, and their bytecode encoding. The bytecode encoding writes the
// arrays of #sffnn.csr as builtin attributes, so `dense_resource` blobs are
// stored once in the bytecode resource section instead of as text.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/IR/SFFNNAttrs.h"
#include "sffnn/IR/SFFNNOps.h"

#include "mlir/Bytecode/BytecodeImplementation.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace sffnn;

#include "sffnn/IR/SFFNNDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "sffnn/IR/SFFNNAttrDefs.cpp.inc"

namespace {

//===----------------------------------------------------------------------===//
// Bytecode
//===----------------------------------------------------------------------===//

/// Codes of the attributes in the bytecode; append only.
enum class AttrCode : uint64_t {
  Activation = 0,
  SparseMatrix = 1,
  Schedule = 2
};

struct SFFNNBytecodeInterface : public BytecodeDialectInterface {
  SFFNNBytecodeInterface(Dialect *dialect)
      : BytecodeDialectInterface(dialect) {}

  Attribute readAttribute(DialectBytecodeReader &reader) const override {
    uint64_t code;
    if (failed(reader.readVarInt(code)))
      return {};
    MLIRContext *context = getContext();
    switch (static_cast<AttrCode>(code)) {
    case AttrCode::Activation: {
      uint64_t kind;
      if (failed(reader.readVarInt(kind)) ||
          kind > static_cast<uint64_t>(kLastActivationKind)) {
        reader.emitError("invalid activation kind in bytecode");
        return {};
      }
      FailureOr<APFloat> param0 =
          reader.readAPFloatWithKnownSemantics(APFloat::IEEEsingle());
      FailureOr<APFloat> param1 =
          reader.readAPFloatWithKnownSemantics(APFloat::IEEEsingle());
      if (failed(param0) || failed(param1))
        return {};
      return ActivationAttr::getChecked(
          [&] { return reader.emitError(); }, context,
          static_cast<ActivationKind>(kind), *param0, *param1);
    }
    case AttrCode::SparseMatrix: {
      int64_t rows, cols;
      ElementsAttr offsets, indices, values;
      if (failed(reader.readSignedVarInt(rows)) ||
          failed(reader.readSignedVarInt(cols)) ||
          failed(reader.readAttribute(offsets)) ||
          failed(reader.readAttribute(indices)) ||
          failed(reader.readAttribute(values)))
        return {};
      return SparseMatrixAttr::getChecked([&] { return reader.emitError(); },
                                          context, rows, cols, offsets, indices,
                                          values);
    }
    case AttrCode::Schedule: {
      uint64_t strategy, seed, fastMemory, cost, activationCost, lowerBound,
          activationLowerBound, twoOptimalCost;
      ElementsAttr order;
      if (failed(reader.readVarInt(strategy)) ||
          failed(reader.readVarInt(seed)) ||
          failed(reader.readVarInt(fastMemory)) ||
          failed(reader.readAttribute(order)) ||
          failed(reader.readVarInt(cost)) ||
          failed(reader.readVarInt(activationCost)) ||
          failed(reader.readVarInt(lowerBound)) ||
          failed(reader.readVarInt(activationLowerBound)) ||
          failed(reader.readVarInt(twoOptimalCost)))
        return {};
      if (strategy > static_cast<uint64_t>(kLastStrategy) ||
          fastMemory > UINT32_MAX) {
        reader.emitError("invalid sffnn.schedule in bytecode");
        return {};
      }
      return ScheduleAttr::getChecked([&] { return reader.emitError(); },
                                      context, static_cast<Strategy>(strategy),
                                      seed, uint32_t(fastMemory), order, cost,
                                      activationCost, lowerBound,
                                      activationLowerBound, twoOptimalCost);
    }
    }
    reader.emitError("unknown sffnn attribute code ") << code;
    return {};
  }

  LogicalResult writeAttribute(Attribute attr,
                               DialectBytecodeWriter &writer) const override {
    return TypeSwitch<Attribute, LogicalResult>(attr)
        .Case([&](ActivationAttr activation) {
          writer.writeVarInt(static_cast<uint64_t>(AttrCode::Activation));
          writer.writeVarInt(static_cast<uint64_t>(activation.getKind()));
          writer.writeAPFloatWithKnownSemantics(activation.getParam0());
          writer.writeAPFloatWithKnownSemantics(activation.getParam1());
          return success();
        })
        .Case([&](SparseMatrixAttr matrix) {
          writer.writeVarInt(static_cast<uint64_t>(AttrCode::SparseMatrix));
          writer.writeSignedVarInt(matrix.getRows());
          writer.writeSignedVarInt(matrix.getCols());
          writer.writeAttribute(matrix.getOffsets());
          writer.writeAttribute(matrix.getIndices());
          writer.writeAttribute(matrix.getValues());
          return success();
        })
        .Case([&](ScheduleAttr schedule) {
          writer.writeVarInt(static_cast<uint64_t>(AttrCode::Schedule));
          writer.writeVarInt(static_cast<uint64_t>(schedule.getStrategy()));
          writer.writeVarInt(schedule.getSeed());
          writer.writeVarInt(schedule.getFastMemory());
          writer.writeAttribute(schedule.getOrder());
          writer.writeVarInt(schedule.getCost());
          writer.writeVarInt(schedule.getActivationCost());
          writer.writeVarInt(schedule.getLowerBound());
          writer.writeVarInt(schedule.getActivationLowerBound());
          writer.writeVarInt(schedule.getTwoOptimalCost());
          return success();
        })
        .Default([](Attribute) { return failure(); });
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Dialect
//===----------------------------------------------------------------------===//

void SFFNNDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sffnn/IR/SFFNNAttrDefs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "sffnn/IR/SFFNNOps.cpp.inc"
      >();
  addInterfaces<SFFNNBytecodeInterface>();
}

LogicalResult SFFNNDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  // The schedule belongs to a network; other sffnn.* attributes (reports of
  // the passes, and tests' attributes) are not checked here.
  if (attr.getName() != ScheduleAttr::getAttrName())
    return success();
  if (!isa<NetworkOp>(op))
    return op->emitOpError() << "has '" << ScheduleAttr::getAttrName()
                             << "', which only an sffnn.network may have";
  if (!isa<ScheduleAttr>(attr.getValue()))
    return op->emitOpError()
           << "has an '" << ScheduleAttr::getAttrName()
           << "' that is not a #sffnn.schedule: " << attr.getValue();
  return success();
}

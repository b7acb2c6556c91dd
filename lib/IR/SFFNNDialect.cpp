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
enum class AttrCode : uint64_t { Activation = 0, SparseMatrix = 1 };

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

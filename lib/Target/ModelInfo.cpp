//===- ModelInfo.cpp - NAME_get_info in the generated object --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements addModelInfo: the constant `struct NAME_info` of a
// compiled network and `NAME_get_info`, which returns its address, in the
// LLVM dialect, for programs that load the library dynamically
// (docs/codegen.md, "ABI"). Its layout is the one writeCHeader declares.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/Compiler.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace sffnn;

void sffnn::addModelInfo(ModuleOp module, const NetworkReport &r) {
  MLIRContext *context = module.getContext();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = module.getLoc();
  Type i8 = b.getI8Type(), i32 = b.getI32Type(), i64 = b.getI64Type();
  Type ptr = LLVM::LLVMPointerType::get(context);
  const std::string prefix = r.name + "_info";

  // Internal constant globals: NUL-terminated strings and i32 arrays.
  auto addString = [&](StringRef suffix, StringRef value) {
    std::string text = value.str();
    text.push_back('\0');
    return LLVM::GlobalOp::create(
        b, loc, LLVM::LLVMArrayType::get(i8, text.size()),
        /*isConstant=*/true, LLVM::Linkage::Internal,
        prefix + "_" + suffix.str(), b.getStringAttr(text));
  };
  auto addArray = [&](StringRef suffix, auto values) {
    using T = typename decltype(values)::value_type;
    Type element = b.getIntegerType(8 * sizeof(T));
    if (values.empty())
      values.push_back(0);
    auto type = RankedTensorType::get({int64_t(values.size())}, element);
    return LLVM::GlobalOp::create(
        b, loc, LLVM::LLVMArrayType::get(element, values.size()),
        /*isConstant=*/true, LLVM::Linkage::Internal,
        prefix + "_" + suffix.str(),
        DenseElementsAttr::get(type, ArrayRef<T>(values)));
  };
  auto addSizes = [&](StringRef suffix, ArrayRef<uint32_t> sizes) {
    return addArray(suffix, SmallVector<int32_t>(sizes.begin(), sizes.end()));
  };
  SmallVector<LLVM::GlobalOp> strings = {
      addString("name", r.name), addString("target_cpu", r.cpu),
      addString("weight_type", r.weightType), addString("strategy", r.strategy),
      addString("codegen", r.codegen)};
  LLVM::GlobalOp argumentSizes = addSizes("argument_sizes", r.argumentSizes);
  LLVM::GlobalOp resultSizes = addSizes("result_sizes", r.resultSizes);
  const TensorSignature &input = r.signature.input,
                        &output = r.signature.output;
  LLVM::GlobalOp inputName = addString("input_name", input.name);
  LLVM::GlobalOp outputName = addString("output_name", output.name);
  LLVM::GlobalOp inputShape =
      addArray("input_shape",
               SmallVector<int64_t>(input.shape.begin(), input.shape.end()));
  LLVM::GlobalOp outputShape =
      addArray("output_shape",
               SmallVector<int64_t>(output.shape.begin(), output.shape.end()));

  // struct NAME_info, in the order writeCHeader declares it.
  auto infoType = LLVM::LLVMStructType::getLiteral(
      context, {i32, i32, i32, i32, i32, i32, ptr, ptr, i64, i64, i64,
                ptr, ptr, ptr, ptr, ptr, ptr, ptr, i32, i32, ptr, ptr});
  auto info =
      LLVM::GlobalOp::create(b, loc, infoType, /*isConstant=*/true,
                             LLVM::Linkage::Internal, prefix, Attribute());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(b.createBlock(&info.getInitializerRegion()));
    Value value = LLVM::PoisonOp::create(b, loc, infoType);
    int64_t field = 0;
    auto insert = [&](Value element) {
      value = LLVM::InsertValueOp::create(b, loc, value, element, field++);
    };
    auto integer = [&](Type type, int64_t number) {
      insert(LLVM::ConstantOp::create(b, loc, type,
                                      b.getIntegerAttr(type, number)));
    };
    auto address = [&](LLVM::GlobalOp global) {
      insert(LLVM::AddressOfOp::create(b, loc, global));
    };
    integer(i32, kModelAbiVersion);
    integer(i32, r.numInputs);
    integer(i32, r.numOutputs);
    integer(i32, r.batchBlock);
    integer(i32, std::max<size_t>(r.argumentSizes.size(), 1));
    integer(i32, std::max<size_t>(r.resultSizes.size(), 1));
    address(argumentSizes);
    address(resultSizes);
    integer(i64, r.fastMemory);
    integer(i64, r.lowerBound);
    integer(i64, r.planCost);
    for (LLVM::GlobalOp string : strings)
      address(string);
    // ABI version 2.
    address(inputName);
    address(outputName);
    integer(i32, input.shape.size());
    integer(i32, output.shape.size());
    address(inputShape);
    address(outputShape);
    LLVM::ReturnOp::create(b, loc, value);
  }

  // const struct NAME_info *NAME_get_info(void)
  auto function = LLVM::LLVMFuncOp::create(
      b, loc, r.name + "_get_info", LLVM::LLVMFunctionType::get(ptr, {}));
  OpBuilder body = OpBuilder::atBlockBegin(function.addEntryBlock(b));
  LLVM::ReturnOp::create(
      body, loc, LLVM::AddressOfOp::create(body, loc, info).getResult());
}

//===- SparsifierBaseline.cpp - MLIR's sparse compiler as a baseline ------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file builds, for a LayeredView, a module with two functions
//
//   func.func @sparsifier_single(%in: memref<n_in x f32>,
//       %out: memref<n_out x f32>, %scratch: memref<?xi8>)
//   func.func @sparsifier_batch(%in: memref<? x n_in x f32>,
//       %out: memref<? x n_out x f32>, %scratch: memref<?xi8>)
//
// (both `llvm.emit_c_interface`), runs MLIR's sparsifier pipeline on it and
// JIT-compiles the result. Layer l of a batch of B samples computes
//
//   %Y = memref.view %scratch[B * 4 * offset_l][B] : memref<? x R_l x f32>
//   linalg.generic ins(@bias_l) outs(%Y)                 (Y[b, r] = bias[r])
//   %W = sparse_tensor.assemble (constant positions, coordinates), values
//          : tensor<R_l x K_l x f32, #CSR>
//   %r = linalg.generic (b, r, k): Y[b, r] += W[r, k] * X[b, k]
//          ins(%W, to_tensor %X restrict) outs(to_tensor %Y restrict writable)
//   bufferization.materialize_in_destination %r in restrict writable %Y
//   linalg.generic outs(%Y)                              (the activation)
//
// with linalg.matvec instead of the generic for one sample. X is the buffer
// holding positions [colBegin, rowBegin): the input or the result of the
// previous layer for a chain, else a scratch buffer the layer first gathers
// its columns into (linalg.copy from the buffers holding them). The outputs
// are copied from the buffers holding them the same way.
//
// Only the sparse products are on tensors; the dense steps are linalg ops on
// memrefs (destination-passing style, so nothing is allocated per call). Two
// behaviours of the pipeline force this shape:
//  - its elementwise fusion replaces the destination of a linalg.generic that
//    does not read it (the bias broadcast, a copy) by tensor.empty, which
//    bufferizes to a malloc the pipeline never frees, plus a strided
//    memref.copy that needs the runtime library's memrefCopy;
//  - the sparse kernels read and write their dense operands through buffers
//    of identity layout, so a column slice of a wider state buffer is copied
//    into a fresh allocation; hence one contiguous buffer per layer (views of
//    the scratch argument) rather than slices of one state vector.
//
//===----------------------------------------------------------------------===//

#include "SparsifierBaseline.h"

#include "sffnn/Target/Jit.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ComplexToLLVM/ComplexToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/AllInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/SparseTensor/Pipelines/Passes.h"
#include "mlir/Dialect/SparseTensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <string>

using namespace sffnn;
using namespace sffnn::bench;
using namespace mlir;

static constexpr llvm::StringLiteral kSingleName = "sparsifier_single";
static constexpr llvm::StringLiteral kBatchName = "sparsifier_batch";

/// Registers the dialects the module uses and the interfaces the sparsifier
/// pipeline needs: bufferization models, conversions to LLVM and the LLVM IR
/// translations.
static void registerSparsifierDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, bufferization::BufferizationDialect,
                  func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  sparse_tensor::SparseTensorDialect, tensor::TensorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerAllDialectInterfaceImplementations(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  sparse_tensor::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertComplexToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  vector::registerConvertVectorToLLVMInterface(registry);
  registerLLVMTranslations(registry);
}

/// Returns sigma(x) for one activation kind; `p0` and `p1` are its
/// parameters (see Activation).
static Value buildActivation(OpBuilder &b, Location loc, ActivationKind kind,
                             Value x, Value p0, Value p1) {
  Type f32 = b.getF32Type();
  auto constant = [&](float v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, v));
  };
  switch (kind) {
  case ActivationKind::Identity:
    return x;
  case ActivationKind::Relu:
    return arith::MaximumFOp::create(b, loc, x, constant(0.0f));
  case ActivationKind::Clamp:
    return arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, p0), p1);
  case ActivationKind::Sigmoid: {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    Value one = constant(1.0f);
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, e));
  }
  case ActivationKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::LeakyRelu: {
    Value nonNegative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE,
                                              x, constant(0.0f));
    return arith::SelectOp::create(b, loc, nonNegative, x,
                                   arith::MulFOp::create(b, loc, p0, x));
  }
  default:
    // isSupported refuses the other kinds before anything is built.
    llvm_unreachable("activation kind without a sparsifier lowering");
  }
}

/// Whether buildActivation lowers `kind`.
static bool isSupported(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Identity:
  case ActivationKind::Relu:
  case ActivationKind::Clamp:
  case ActivationKind::Sigmoid:
  case ActivationKind::Tanh:
  case ActivationKind::LeakyRelu:
    return true;
  default:
    return false;
  }
}

namespace {

/// Builds the module of a view: the constants once, then both functions.
class ModuleBuilder {
public:
  ModuleBuilder(MLIRContext &context, const LayeredView &view);

  /// The module; `scratchPerSample` receives the floats of scratch each
  /// sample needs.
  OwningOpRef<ModuleOp> build(uint64_t &scratchPerSample);

private:
  /// Where the positions of buffer `s` start: 0 for the input (s = 0), the
  /// rows of layer s - 1 otherwise.
  uint32_t getSourceBegin(size_t s) const {
    return s == 0 ? 0 : view.layers[s - 1].rowBegin;
  }
  uint32_t getSourceEnd(size_t s) const {
    return s == 0 ? view.numInputs : view.layers[s - 1].rowEnd;
  }
  /// The buffer holding position `p`.
  size_t getSource(uint32_t p) const;

  void buildConstants();
  void buildFunction(bool batched);

  MemRefType getBufferType(int64_t width) const;
  RankedTensorType getTensorType(int64_t width) const;
  /// The memref.view of `width` columns at float offset `offset` of scratch.
  Value buildScratchView(uint64_t offset, int64_t width);
  /// Columns [column, column + width) of `buffer` (all of its rows).
  Value buildColumns(Value buffer, int64_t column, int64_t width);
  /// Copies positions [begin, end) into columns [column, ...) of `dest`.
  void buildGather(uint32_t begin, uint32_t end, Value dest, int64_t column);
  void buildLayer(size_t l);
  /// An elementwise linalg.generic on memrefs over the rows x columns of
  /// `dest`; `inputs` are per-column vectors.
  void
  buildElementwise(ValueRange inputs, Value dest,
                   function_ref<void(OpBuilder &, Location, ValueRange)> body);

  const LayeredView &view;
  MLIRContext &context;
  OpBuilder builder;
  Location loc;
  OwningOpRef<ModuleOp> module;
  Type f32;
  Attribute csrEncoding;

  /// Per layer: the buffer it reads directly (-1: it gathers its columns
  /// into scratch at stageOffset), the float offsets of its result and
  /// staging buffer per sample, and its constants.
  struct LayerPlan {
    int64_t directSource = -1;
    uint64_t resultOffset = 0, stageOffset = 0;
    DenseElementsAttr positions, coordinates, values;
    std::string bias, kinds, param0, param1;
    bool uniform = true;
  };
  std::vector<LayerPlan> plans;
  uint64_t scratchFloats = 0;

  // The function being built.
  bool batched = false;
  Value batchSize, scratch;
  std::vector<Value> buffers;
};

} // namespace

ModuleBuilder::ModuleBuilder(MLIRContext &context, const LayeredView &view)
    : view(view), context(context), builder(&context),
      loc(UnknownLoc::get(&context)), f32(Float32Type::get(&context)) {
  csrEncoding = parseAttribute(
      "#sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed), "
      "posWidth = 64, crdWidth = 32 }>",
      &context);
}

size_t ModuleBuilder::getSource(uint32_t p) const {
  if (p < view.numInputs)
    return 0;
  auto it = llvm::partition_point(
      view.layers, [&](const SparseLayer &layer) { return layer.rowEnd <= p; });
  return size_t(it - view.layers.begin()) + 1;
}

OwningOpRef<ModuleOp> ModuleBuilder::build(uint64_t &scratchPerSample) {
  module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  buildConstants();
  buildFunction(/*batched=*/false);
  buildFunction(/*batched=*/true);
  scratchPerSample = scratchFloats;
  return std::move(module);
}

void ModuleBuilder::buildConstants() {
  auto global = [&](const std::string &name, DenseElementsAttr value) {
    auto type = MemRefType::get(value.getType().getShape(),
                                value.getType().getElementType());
    memref::GlobalOp::create(builder, loc, builder.getStringAttr(name),
                             builder.getStringAttr("private"),
                             TypeAttr::get(type), value, builder.getUnitAttr(),
                             builder.getI64IntegerAttr(64));
  };
  auto floats = [&](llvm::ArrayRef<float> data) {
    return DenseElementsAttr::get(
        RankedTensorType::get({int64_t(data.size())}, f32), data);
  };
  for (auto [l, layer] : llvm::enumerate(view.layers)) {
    LayerPlan &plan = plans.emplace_back();
    for (size_t s = 0; s <= l; ++s)
      if (getSourceBegin(s) == layer.colBegin &&
          getSourceEnd(s) == layer.rowBegin)
        plan.directSource = int64_t(s);
    plan.resultOffset = scratchFloats;
    scratchFloats += layer.numRows();
    if (plan.directSource < 0) {
      plan.stageOffset = scratchFloats;
      scratchFloats += layer.numCols();
    }

    int64_t nnz = int64_t(layer.values.size());
    plan.positions = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(layer.rowStarts.size())},
                              builder.getI64Type()),
        llvm::ArrayRef<int64_t>(layer.rowStarts));
    std::vector<int32_t> columns(layer.columns.begin(), layer.columns.end());
    plan.coordinates = DenseElementsAttr::get(
        RankedTensorType::get({nnz}, builder.getI32Type()),
        llvm::ArrayRef<int32_t>(columns));
    plan.values = floats(layer.values);

    std::string suffix = std::to_string(l);
    plan.bias = "bias_" + suffix;
    global(plan.bias, floats(layer.biases));
    plan.uniform = layer.hasUniformActivation();
    if (!plan.uniform) {
      std::vector<int32_t> kinds;
      std::vector<float> param0, param1;
      for (const Activation &activation : layer.activations) {
        kinds.push_back(int32_t(activation.kind));
        param0.push_back(activation.param0);
        param1.push_back(activation.param1);
      }
      plan.kinds = "activation_" + suffix;
      plan.param0 = "param0_" + suffix;
      plan.param1 = "param1_" + suffix;
      global(plan.kinds, DenseElementsAttr::get(
                             RankedTensorType::get({int64_t(kinds.size())},
                                                   builder.getI32Type()),
                             llvm::ArrayRef<int32_t>(kinds)));
      global(plan.param0, floats(param0));
      global(plan.param1, floats(param1));
    }
  }
}

MemRefType ModuleBuilder::getBufferType(int64_t width) const {
  if (batched)
    return MemRefType::get({ShapedType::kDynamic, width}, f32);
  return MemRefType::get({width}, f32);
}

RankedTensorType ModuleBuilder::getTensorType(int64_t width) const {
  if (batched)
    return RankedTensorType::get({ShapedType::kDynamic, width}, f32);
  return RankedTensorType::get({width}, f32);
}

Value ModuleBuilder::buildScratchView(uint64_t offset, int64_t width) {
  Value shift =
      arith::ConstantIndexOp::create(builder, loc, int64_t(offset * 4));
  SmallVector<Value> sizes;
  if (batched) {
    shift = arith::MulIOp::create(builder, loc, batchSize, shift);
    sizes.push_back(batchSize);
  }
  return memref::ViewOp::create(builder, loc, getBufferType(width), scratch,
                                shift, sizes);
}

Value ModuleBuilder::buildColumns(Value buffer, int64_t column, int64_t width) {
  auto type = cast<MemRefType>(buffer.getType());
  if (column == 0 && type.getShape().back() == width)
    return buffer;
  SmallVector<OpFoldResult> offsets, sizes, strides;
  if (batched) {
    offsets.push_back(builder.getIndexAttr(0));
    sizes.push_back(batchSize);
    strides.push_back(builder.getIndexAttr(1));
  }
  offsets.push_back(builder.getIndexAttr(column));
  sizes.push_back(builder.getIndexAttr(width));
  strides.push_back(builder.getIndexAttr(1));
  return memref::SubViewOp::create(builder, loc, buffer, offsets, sizes,
                                   strides);
}

void ModuleBuilder::buildGather(uint32_t begin, uint32_t end, Value dest,
                                int64_t column) {
  for (uint32_t p = begin; p < end;) {
    size_t s = getSource(p);
    uint32_t last = std::min(end, getSourceEnd(s));
    int64_t width = last - p;
    linalg::CopyOp::create(
        builder, loc,
        ValueRange{buildColumns(buffers[s], p - getSourceBegin(s), width)},
        ValueRange{buildColumns(dest, column, width)});
    column += width;
    p = last;
  }
}

void ModuleBuilder::buildElementwise(
    ValueRange inputs, Value dest,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  unsigned rank = batched ? 2 : 1;
  AffineMap identity = builder.getMultiDimIdentityMap(rank);
  AffineMap column =
      AffineMap::get(rank, 0, builder.getAffineDimExpr(rank - 1));
  SmallVector<AffineMap> maps(inputs.size(), column);
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  linalg::GenericOp::create(builder, loc, inputs, ValueRange{dest}, maps,
                            iterators, body);
}

void ModuleBuilder::buildLayer(size_t l) {
  const SparseLayer &layer = view.layers[l];
  const LayerPlan &plan = plans[l];
  int64_t rows = layer.numRows(), cols = layer.numCols();

  // Y = bias.
  Value result = buffers[l + 1];
  Value bias = memref::GetGlobalOp::create(
      builder, loc, MemRefType::get({rows}, f32), plan.bias);
  buildElementwise(ValueRange{bias}, result,
                   [](OpBuilder &b, Location loc, ValueRange args) {
                     linalg::YieldOp::create(b, loc, args[0]);
                   });

  // X: the buffer holding the columns, or a gathered copy.
  Value input;
  if (plan.directSource >= 0) {
    input = buffers[plan.directSource];
  } else {
    input = buildScratchView(plan.stageOffset, cols);
    buildGather(layer.colBegin, layer.rowBegin, input, 0);
  }

  // Y += W X with W a CSR tensor of constants.
  auto weightType = RankedTensorType::get(
      {rows, cols}, f32,
      cast<sparse_tensor::SparseTensorEncodingAttr>(csrEncoding));
  Value positions = arith::ConstantOp::create(builder, loc, plan.positions);
  Value coordinates = arith::ConstantOp::create(builder, loc, plan.coordinates);
  Value values = arith::ConstantOp::create(builder, loc, plan.values);
  Value weights = sparse_tensor::AssembleOp::create(
      builder, loc, weightType, ValueRange{positions, coordinates}, values);
  Value x = bufferization::ToTensorOp::create(builder, loc, getTensorType(cols),
                                              input, /*restrict=*/true,
                                              /*writable=*/false);
  Value y = bufferization::ToTensorOp::create(builder, loc, getTensorType(rows),
                                              result, /*restrict=*/true,
                                              /*writable=*/true);
  Value product;
  if (batched) {
    // (b, r, k): Y[b, r] += W[r, k] * X[b, k].
    AffineExpr b = builder.getAffineDimExpr(0), r = builder.getAffineDimExpr(1),
               k = builder.getAffineDimExpr(2);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {r, k}, &context),
                                   AffineMap::get(3, 0, {b, k}, &context),
                                   AffineMap::get(3, 0, {b, r}, &context)};
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::reduction};
    product = linalg::GenericOp::create(
                  builder, loc, TypeRange{y.getType()}, ValueRange{weights, x},
                  ValueRange{y}, maps, iterators,
                  [](OpBuilder &b, Location loc, ValueRange args) {
                    Value m = arith::MulFOp::create(b, loc, args[0], args[1]);
                    Value sum = arith::AddFOp::create(b, loc, args[2], m);
                    linalg::YieldOp::create(b, loc, sum);
                  })
                  .getResult(0);
  } else {
    product = linalg::MatvecOp::create(builder, loc, TypeRange{y.getType()},
                                       ValueRange{weights, x}, ValueRange{y})
                  .getResult(0);
  }
  bufferization::MaterializeInDestinationOp::create(
      builder, loc, Type(), product, result, /*restrict=*/true,
      /*writable=*/true);

  // Y = act(Y).
  if (plan.uniform) {
    const Activation &activation = layer.activations.front();
    if (activation.kind == ActivationKind::Identity)
      return;
    buildElementwise(
        ValueRange{}, result, [&](OpBuilder &b, Location loc, ValueRange args) {
          // Only clamp and leaky ReLU take parameters.
          Value p0, p1;
          if (activation.kind == ActivationKind::Clamp ||
              activation.kind == ActivationKind::LeakyRelu)
            p0 = arith::ConstantOp::create(
                b, loc, b.getF32FloatAttr(activation.param0));
          if (activation.kind == ActivationKind::Clamp)
            p1 = arith::ConstantOp::create(
                b, loc, b.getF32FloatAttr(activation.param1));
          linalg::YieldOp::create(
              b, loc,
              buildActivation(b, loc, activation.kind, args[0], p0, p1));
        });
    return;
  }
  SmallVector<ActivationKind> kinds;
  for (const Activation &activation : layer.activations)
    if (!llvm::is_contained(kinds, activation.kind))
      kinds.push_back(activation.kind);
  Value kindTable = memref::GetGlobalOp::create(
      builder, loc, MemRefType::get({rows}, builder.getI32Type()), plan.kinds);
  Value param0 = memref::GetGlobalOp::create(
      builder, loc, MemRefType::get({rows}, f32), plan.param0);
  Value param1 = memref::GetGlobalOp::create(
      builder, loc, MemRefType::get({rows}, f32), plan.param1);
  buildElementwise(
      ValueRange{kindTable, param0, param1}, result,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value kind = args[0], p0 = args[1], p1 = args[2], acc = args[3];
        Value y = acc;
        for (ActivationKind k : kinds) {
          Value isK = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::eq, kind,
              arith::ConstantOp::create(b, loc,
                                        b.getI32IntegerAttr(int32_t(k))));
          y = arith::SelectOp::create(
              b, loc, isK, buildActivation(b, loc, k, acc, p0, p1), y);
        }
        linalg::YieldOp::create(b, loc, y);
      });
}

void ModuleBuilder::buildFunction(bool isBatched) {
  batched = isBatched;
  OpBuilder::InsertionGuard guard(builder);
  int64_t numOutputs = int64_t(view.outputPositions.size());
  MemRefType inType = getBufferType(view.numInputs);
  MemRefType outType = getBufferType(numOutputs);
  auto scratchType =
      MemRefType::get({ShapedType::kDynamic}, builder.getI8Type());
  auto function = func::FuncOp::create(
      builder, loc, batched ? kBatchName : kSingleName,
      builder.getFunctionType({inType, outType, scratchType}, {}));
  function->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    builder.getUnitAttr());
  Block *entry = function.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  Value in = entry->getArgument(0), out = entry->getArgument(1);
  scratch = entry->getArgument(2);
  batchSize = batched ? memref::DimOp::create(builder, loc, in, 0).getResult()
                      : Value();

  buffers.assign(1, in);
  for (size_t l = 0; l < view.layers.size(); ++l) {
    buffers.push_back(
        buildScratchView(plans[l].resultOffset, view.layers[l].numRows()));
    buildLayer(l);
  }
  // Outputs: runs of consecutive positions, one copy each.
  for (int64_t k = 0; k < numOutputs;) {
    uint32_t begin = view.outputPositions[k];
    size_t s = getSource(begin);
    int64_t end = k + 1;
    while (end < numOutputs &&
           view.outputPositions[end] == begin + uint32_t(end - k) &&
           view.outputPositions[end] < getSourceEnd(s))
      ++end;
    buildGather(begin, begin + uint32_t(end - k), out, k);
    k = end;
  }
  func::ReturnOp::create(builder, loc);
}

//===----------------------------------------------------------------------===//
// SparsifierBaseline
//===----------------------------------------------------------------------===//

SparsifierBaseline::~SparsifierBaseline() = default;

llvm::Expected<std::unique_ptr<SparsifierBaseline>>
SparsifierBaseline::create(const LayeredView &view) {
  for (const SparseLayer &layer : view.layers)
    for (const Activation &activation : layer.activations)
      if (!isSupported(activation.kind))
        return llvm::createStringError(
            "the sparsifier baseline has no lowering of the '" +
            stringifyActivationKind(activation.kind) + "' activation");
  std::unique_ptr<SparsifierBaseline> baseline(new SparsifierBaseline());
  baseline->numInputs = view.numInputs;
  baseline->numOutputs = uint32_t(view.outputPositions.size());

  DialectRegistry registry;
  registerSparsifierDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    if (diagnostic.getSeverity() == DiagnosticSeverity::Error)
      diagnostics += diagnostic.str() + "\n";
    return success();
  });

  OwningOpRef<ModuleOp> module =
      ModuleBuilder(context, view).build(baseline->scratchPerSample);
  PassManager pm(&context);
  sparse_tensor::SparsifierOptions options;
  options.enableRuntimeLibrary = false;
  sparse_tensor::buildSparsifier(pm, options);
  if (failed(pm.run(*module)))
    return llvm::createStringError("sparsifier pipeline failed:\n" +
                                   diagnostics);

  llvm::Expected<std::unique_ptr<JitModule>> jit = JitModule::create(*module);
  if (!jit)
    return jit.takeError();
  baseline->jit = std::move(*jit);
  for (auto [name, function] :
       {std::pair(kSingleName, &baseline->singleFunction),
        std::pair(kBatchName, &baseline->batchFunction)}) {
    llvm::Expected<void *> address =
        baseline->jit->lookup(("_mlir_ciface_" + name).str());
    if (!address)
      return address.takeError();
    *function = *address;
  }
  return std::move(baseline);
}

void SparsifierBaseline::run(const float *in, float *out, int64_t batch) {
  if (batch <= 0)
    return;
  uint64_t floats = uint64_t(batch) * scratchPerSample;
  if (scratch.size() < floats)
    scratch.resize(floats);
  auto *bytes = reinterpret_cast<int8_t *>(scratch.data());
  StridedMemRefType<int8_t, 1> scratchRef{
      bytes, bytes, 0, {int64_t(floats * sizeof(float))}, {1}};
  auto *input = const_cast<float *>(in);
  if (batch == 1) {
    StridedMemRefType<float, 1> inRef{input, input, 0, {numInputs}, {1}};
    StridedMemRefType<float, 1> outRef{out, out, 0, {numOutputs}, {1}};
    using Function =
        void (*)(StridedMemRefType<float, 1> *, StridedMemRefType<float, 1> *,
                 StridedMemRefType<int8_t, 1> *);
    reinterpret_cast<Function>(singleFunction)(&inRef, &outRef, &scratchRef);
    return;
  }
  StridedMemRefType<float, 2> inRef{
      input, input, 0, {batch, numInputs}, {numInputs, 1}};
  StridedMemRefType<float, 2> outRef{
      out, out, 0, {batch, numOutputs}, {numOutputs, 1}};
  using Function =
      void (*)(StridedMemRefType<float, 2> *, StridedMemRefType<float, 2> *,
               StridedMemRefType<int8_t, 1> *);
  reinterpret_cast<Function>(batchFunction)(&inRef, &outRef, &scratchRef);
}

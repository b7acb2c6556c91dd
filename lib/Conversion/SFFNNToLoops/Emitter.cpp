//===- Emitter.cpp - Shared code emission for the kernels -----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the Emitter and the table helpers.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

Emitter::Emitter(OpBuilder &builder, Location loc, Type elementType,
                 func::FuncOp function)
    : b(builder), loc(loc), elementType(elementType),
      ptrType(LLVM::LLVMPointerType::get(builder.getContext())),
      function(function) {}

unsigned Emitter::getLanes() const {
  auto vector = dyn_cast<VectorType>(elementType);
  return vector ? vector.getNumElements() : 1;
}

unsigned Emitter::getPartialSums() const {
  unsigned vectors = std::max(1u, getLanes() / std::max(vectorLanes, 1u));
  if (getLanes() == 1)
    return kPartialSums;
  return std::clamp(kFmasInFlight / vectors, 1u, kPartialSums);
}

Value Emitter::i64(int64_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 64);
}

Value Emitter::constant(float value) {
  if (auto vector = dyn_cast<VectorType>(elementType))
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vector, b.getF32FloatAttr(value)));
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

Value Emitter::splat(Value scalar) {
  if (auto vector = dyn_cast<VectorType>(elementType))
    return vector::BroadcastOp::create(b, loc, vector, scalar);
  return scalar;
}

Value Emitter::gep(Value base, Type type, Value index) {
  return LLVM::GEPOp::create(b, loc, ptrType, type, base,
                             ArrayRef<LLVM::GEPArg>{index});
}

void Emitter::prefetch(Value base, Type type, Value index) {
  LLVM::Prefetch::create(b, loc, gep(base, type, index), /*rw=*/0,
                         /*hint=*/3, /*cache=*/1);
}

Value Emitter::load(Type type, Value base, Value index, unsigned alignment) {
  return LLVM::LoadOp::create(b, loc, type, gep(base, type, index), alignment);
}

void Emitter::store(Value value, Value base, Value index, unsigned alignment) {
  LLVM::StoreOp::create(b, loc, value, gep(base, value.getType(), index),
                        alignment);
}

Value Emitter::loadElement(Value base, Value index) {
  return load(elementType, base, index,
              std::min<uint64_t>(getElementBytes(), kBufferAlignment));
}

void Emitter::storeElement(Value value, Value base, Value index) {
  store(value, base, index,
        std::min<uint64_t>(getElementBytes(), kBufferAlignment));
}

Value Emitter::loadIndex(Value table, Type entryType, Value index) {
  Value entry =
      load(entryType, table, index, entryType.getIntOrFloatBitWidth() / 8);
  if (entryType.getIntOrFloatBitWidth() == 64)
    return entry;
  return arith::ExtUIOp::create(b, loc, b.getI64Type(), entry);
}

/// The C library function `name` (aligned_alloc or free), declared in
/// `module` on first use.
static LLVM::LLVMFuncOp getRuntime(OpBuilder &b, Location loc, ModuleOp module,
                                   StringRef name) {
  if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return fn;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  Type ptrType = LLVM::LLVMPointerType::get(b.getContext());
  Type type = name == "aligned_alloc"
                  ? LLVM::LLVMFunctionType::get(
                        ptrType, {b.getI64Type(), b.getI64Type()})
                  : LLVM::LLVMFunctionType::get(
                        LLVM::LLVMVoidType::get(b.getContext()), {ptrType});
  return LLVM::LLVMFuncOp::create(b, loc, name, type);
}

Value Emitter::allocate(uint64_t count) {
  const uint64_t elementBytes = getElementBytes();
  count = std::max<uint64_t>(count, 1);
  OpBuilder entry(&function.getBody().front(),
                  function.getBody().front().begin());
  if (count * elementBytes <= kMaxStackBytes)
    return LLVM::AllocaOp::create(
        entry, loc, ptrType, elementType,
        arith::ConstantIntOp::create(entry, loc, count, 64),
        /*alignment=*/kBufferAlignment);
  // aligned_alloc needs a size that is a multiple of the alignment.
  uint64_t bytes = llvm::alignTo(count * elementBytes, kBufferAlignment);
  auto module = function->getParentOfType<ModuleOp>();
  Value ptr =
      LLVM::CallOp::create(
          entry, loc, getRuntime(entry, loc, module, "aligned_alloc"),
          ValueRange{
              arith::ConstantIntOp::create(entry, loc, kBufferAlignment, 64),
              arith::ConstantIntOp::create(entry, loc, bytes, 64)})
          .getResult();
  heapBuffers.push_back(ptr);
  return ptr;
}

void Emitter::freeBuffers() {
  auto module = function->getParentOfType<ModuleOp>();
  for (Value ptr : heapBuffers)
    LLVM::CallOp::create(b, loc, getRuntime(b, loc, module, "free"),
                         ValueRange{ptr});
  heapBuffers.clear();
}

Value Emitter::fma(Value a, Value x, Value acc) {
  return math::FmaOp::create(b, loc, a, x, acc);
}

Value Emitter::selectBelow(Value x, Value bound) {
  Value below =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, bound);
  return arith::SelectOp::create(b, loc, below, bound, x);
}

Value Emitter::activate(Value x, const Activation &activation) {
  switch (activation.kind) {
  case ActivationKind::Identity:
    return x;
  // ReLU and clamp as compare-and-select, in the reference's form
  // (Activation::apply: NaN propagates): x86 has a single max or min
  // instruction for each (maxss(0, x) returns x when x is NaN), where
  // arith.maximumf adds a NaN check and a blend on every row's critical
  // path.
  case ActivationKind::Relu:
    return selectBelow(x, constant(0.0f));
  case ActivationKind::Clamp: {
    Value low = selectBelow(x, constant(activation.param0));
    Value high = constant(activation.param1);
    Value above =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, high, low);
    return arith::SelectOp::create(b, loc, above, high, low);
  }
  case ActivationKind::Sigmoid: {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(
        b, loc, constant(1.0f),
        arith::AddFOp::create(b, loc, constant(1.0f), e));
  }
  case ActivationKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::LeakyRelu: {
    Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                           constant(0.0f));
    Value scaled =
        arith::MulFOp::create(b, loc, x, constant(activation.param0));
    return arith::SelectOp::create(b, loc, negative, scaled, x);
  }
  case ActivationKind::Gelu:
  case ActivationKind::GeluTanh:
  case ActivationKind::Silu:
  case ActivationKind::Elu:
  case ActivationKind::HardSigmoid:
  case ActivationKind::HardSwish:
    return activateSmooth(x, activation);
  }
  return x;
}

Value Emitter::erf(Value x) {
  // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7):
  // erf(|x|) = 1 - t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-x^2),
  // t = 1 / (1 + p |x|); erf is odd.
  const float p = 0.3275911f;
  const float a[5] = {0.254829592f, -0.284496736f, 1.421413741f, -1.453152027f,
                      1.061405429f};
  Value ax = math::AbsFOp::create(b, loc, x);
  Value t = arith::DivFOp::create(b, loc, constant(1.0f),
                                  fma(constant(p), ax, constant(1.0f)));
  Value poly = constant(a[4]);
  for (int i = 3; i >= 0; --i)
    poly = fma(poly, t, constant(a[i]));
  Value e = math::ExpOp::create(
      b, loc,
      arith::NegFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x)));
  Value tail =
      arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, t, poly), e);
  Value magnitude = arith::SubFOp::create(b, loc, constant(1.0f), tail);
  return math::CopySignOp::create(b, loc, magnitude, x);
}

Value Emitter::activateSmooth(Value x, const Activation &activation) {
  auto mul = [&](Value l, Value r) {
    return arith::MulFOp::create(b, loc, l, r).getResult();
  };
  auto add = [&](Value l, Value r) {
    return arith::AddFOp::create(b, loc, l, r).getResult();
  };
  // min(max(v, 0), 1) as compare-and-select (NaN propagates).
  auto unitClamp = [&](Value v) {
    Value low = selectBelow(v, constant(0.0f));
    Value one = constant(1.0f);
    Value above =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, one, low);
    return arith::SelectOp::create(b, loc, above, one, low).getResult();
  };
  Value half = mul(x, constant(0.5f));
  switch (activation.kind) {
  case ActivationKind::Gelu:
    return fma(half, erf(mul(x, constant(0.70710678118654752f))), half);
  case ActivationKind::GeluTanh: {
    Value cube = mul(mul(x, x), x);
    Value inner =
        mul(constant(0.7978845608028654f), fma(constant(0.044715f), cube, x));
    return fma(half, math::TanhOp::create(b, loc, inner), half);
  }
  case ActivationKind::Silu: {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, x, add(constant(1.0f), e));
  }
  case ActivationKind::Elu: {
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           constant(0.0f));
    Value negative =
        mul(constant(activation.param0), math::ExpM1Op::create(b, loc, x));
    return arith::SelectOp::create(b, loc, positive, x, negative);
  }
  case ActivationKind::HardSigmoid:
    return unitClamp(
        fma(constant(activation.param0), x, constant(activation.param1)));
  case ActivationKind::HardSwish:
    return mul(x, unitClamp(fma(constant(1.0f / 6.0f), x, constant(0.5f))));
  default:
    return x;
  }
}

void Emitter::count(Value counter, int64_t amount) {
  if (counter && amount != 0)
    count(counter, i64(amount));
}

void Emitter::count(Value counter, Value amount) {
  if (!counter)
    return;
  // Atomic, so that NAME_batch runs concurrently on disjoint ranges
  // (NAME_batch_parallel) count every event.
  LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::add, counter, amount,
                            LLVM::AtomicOrdering::monotonic);
}

scf::ForOp
Emitter::forLoop(Value lo, Value hi, Value step, ValueRange init,
                 function_ref<SmallVector<Value>(Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(b, loc, lo, hi, step, init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  SmallVector<Value> results =
      body(loop.getInductionVar(), loop.getRegionIterArgs());
  // A loop without results already has its (empty) terminator.
  if (!init.empty())
    scf::YieldOp::create(b, loc, results);
  return loop;
}

Value sffnn::detail::sumPairwise(Emitter &e, SmallVector<Value> values) {
  while (values.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i + 1 < values.size(); i += 2)
      next.push_back(
          arith::AddFOp::create(e.b, e.loc, values[i], values[i + 1]));
    if (values.size() % 2)
      next.push_back(values.back());
    values = std::move(next);
  }
  return values.front();
}

Value sffnn::detail::sumInChains(Emitter &e, Value begin, Value end, Value acc,
                                 unsigned chains,
                                 function_ref<Value(Value, Value)> step,
                                 unsigned unroll) {
  unroll = std::max(unroll, chains);
  SmallVector<Value> initial = {acc};
  for (unsigned c = 1; c < chains; ++c)
    initial.push_back(e.constant(0.0f));
  auto loop = e.forLoop(begin, end, e.i64(unroll), initial,
                        [&](Value k, ValueRange sums) -> SmallVector<Value> {
                          SmallVector<Value> next(sums);
                          for (unsigned u = 0; u < unroll; ++u)
                            next[u % chains] = step(
                                arith::AddIOp::create(e.b, e.loc, k, e.i64(u)),
                                next[u % chains]);
                          return next;
                        });
  return sumPairwise(e, SmallVector<Value>(loop.getResults()));
}

unsigned sffnn::detail::getSampleChains(uint64_t macs, uint64_t rows) {
  uint64_t macsPerRow = macs / std::max<uint64_t>(rows, 1);
  return llvm::bit_floor(
      std::clamp<uint64_t>(macsPerRow / kMacsPerChain, 1, kPartialSums));
}

Value sffnn::detail::getTableAddress(Emitter &e, OpBuilder &moduleBuilder,
                                     StringRef name, DenseElementsAttr values) {
  Operation *module = moduleBuilder.getInsertionBlock()->getParentOp();
  auto global = dyn_cast_or_null<LLVM::GlobalOp>(
      SymbolTable::lookupSymbolIn(module, name));
  if (global) {
    // Attributes are uniqued: equal tables are the same attribute.
    if (global.getValueAttr() != values)
      llvm::report_fatal_error("sffnn: two different tables named " + name);
  } else {
    auto type = LLVM::LLVMArrayType::get(values.getElementType(),
                                         values.getNumElements());
    global = LLVM::GlobalOp::create(moduleBuilder, e.loc, type,
                                    /*isConstant=*/true,
                                    LLVM::Linkage::Internal, name, values,
                                    /*alignment=*/kBufferAlignment);
  }
  return LLVM::AddressOfOp::create(e.b, e.loc, global).getResult();
}

Type sffnn::detail::getIndexType(MLIRContext *context, uint64_t maxValue) {
  unsigned width = maxValue <= 0xff          ? 8
                   : maxValue <= 0xffff      ? 16
                   : maxValue <= 0xffffffffu ? 32
                                             : 64;
  return IntegerType::get(context, width);
}

DenseElementsAttr sffnn::detail::getIntTable(Type type,
                                             ArrayRef<uint64_t> values) {
  SmallVector<APInt> data;
  unsigned width = type.getIntOrFloatBitWidth();
  for (uint64_t value : values)
    data.emplace_back(width, value);
  if (data.empty())
    data.emplace_back(width, 0);
  return DenseElementsAttr::get(
      RankedTensorType::get({int64_t(data.size())}, type), data);
}

DenseElementsAttr sffnn::detail::getFloatTable(MLIRContext *context,
                                               ArrayRef<float> values) {
  SmallVector<float> data(values.begin(), values.end());
  if (data.empty())
    data.push_back(0.0f);
  return DenseElementsAttr::get(
      RankedTensorType::get({int64_t(data.size())}, Float32Type::get(context)),
      ArrayRef<float>(data));
}

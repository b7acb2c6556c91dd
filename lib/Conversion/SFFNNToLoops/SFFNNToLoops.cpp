//===- SFFNNToLoops.cpp - Lower scheduled networks to loops ---------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements lowerNetworkToLoops: it plans the network's schedule,
// turns the plan into a KernelProgram and emits it as straight-line code or
// as a loop over per-step tables; or it emits layerwise CSR inference. The
// batch function transposes blocks of samples so that every fast-memory slot
// holds a vector of samples and each weight is loaded once per block.
//
// Memory: arguments are bare `!llvm.ptr`s; tables are internal constant
// LLVM globals; fast memory and scratch buffers are 64-byte aligned stack
// allocations, or aligned_alloc'ed when larger than 64 KiB.
//
//===----------------------------------------------------------------------===//

#include "KernelProgram.h"

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"
#include "sffnn/Conversion/SFFNNToLoops.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Support/HostInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

llvm::StringRef sffnn::stringifyCodegenMode(CodegenMode mode) {
  switch (mode) {
  case CodegenMode::Auto:
    return "auto";
  case CodegenMode::Straight:
    return "straight";
  case CodegenMode::Loops:
    return "loops";
  case CodegenMode::Csr:
    return "csr";
  }
  return "unknown";
}

std::optional<CodegenMode> sffnn::symbolizeCodegenMode(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CodegenMode>>(name)
      .Case("auto", CodegenMode::Auto)
      .Case("straight", CodegenMode::Straight)
      .Case("loops", CodegenMode::Loops)
      .Case("csr", CodegenMode::Csr)
      .Default(std::nullopt);
}

namespace {

/// Buffers up to this many bytes live on the stack; larger ones come from
/// aligned_alloc.
constexpr uint64_t kMaxStackBytes = 64 * 1024;
/// The alignment of every buffer, in bytes: vector loads and stores of whole
/// slots assume their natural alignment (32 bytes for vector<8xf32>).
constexpr uint64_t kBufferAlignment = 64;

//===----------------------------------------------------------------------===//
// Emission helpers
//===----------------------------------------------------------------------===//

/// Builds code inside one function for one element type: f32 for single
/// samples, vector<L x f32> for blocks of L samples.
class Emitter {
public:
  /// `function` receives the allocations (at its entry) and their frees
  /// (freeBuffers, before its return); it may be null for emitters that do
  /// not allocate.
  Emitter(OpBuilder &builder, Location loc, Type elementType,
          func::FuncOp function = {})
      : b(builder), loc(loc), elementType(elementType),
        ptrType(LLVM::LLVMPointerType::get(builder.getContext())),
        function(function) {}

  OpBuilder &b;
  Location loc;
  Type elementType;
  Type ptrType;

  unsigned getLanes() const {
    auto vector = dyn_cast<VectorType>(elementType);
    return vector ? vector.getNumElements() : 1;
  }
  uint64_t getElementBytes() const { return 4 * getLanes(); }

  Value i64(int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 64);
  }
  /// A constant of the element type (splat for vectors).
  Value constant(float value) {
    if (auto vector = dyn_cast<VectorType>(elementType))
      return arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(vector, b.getF32FloatAttr(value)));
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  }
  /// Broadcasts a scalar f32 to the element type.
  Value splat(Value scalar) {
    if (auto vector = dyn_cast<VectorType>(elementType))
      return vector::BroadcastOp::create(b, loc, vector, scalar);
    return scalar;
  }

  Value gep(Value base, Type type, Value index) {
    return LLVM::GEPOp::create(b, loc, ptrType, type, base,
                               ArrayRef<LLVM::GEPArg>{index});
  }
  Value load(Type type, Value base, Value index) {
    return LLVM::LoadOp::create(b, loc, type, gep(base, type, index));
  }
  void store(Value value, Value base, Value index) {
    LLVM::StoreOp::create(b, loc, value, gep(base, value.getType(), index));
  }
  Value loadElement(Value base, Value index) {
    return load(elementType, base, index);
  }
  /// Loads entry `index` of an integer table and zero-extends it to i64.
  Value loadIndex(Value table, Type entryType, Value index) {
    Value entry = load(entryType, table, index);
    if (entryType.getIntOrFloatBitWidth() == 64)
      return entry;
    return arith::ExtUIOp::create(b, loc, b.getI64Type(), entry);
  }

  /// A buffer of `count` elements of `type`, allocated once at the entry of
  /// the function: a stack allocation, or an aligned_alloc'ed block (freed
  /// by freeBuffers) when larger than kMaxStackBytes.
  Value allocate(Type type, uint64_t count, uint64_t elementBytes) {
    count = std::max<uint64_t>(count, 1);
    OpBuilder entry(&function.getBody().front(),
                    function.getBody().front().begin());
    if (count * elementBytes <= kMaxStackBytes)
      return LLVM::AllocaOp::create(
          entry, loc, ptrType, type,
          arith::ConstantIntOp::create(entry, loc, count, 64),
          /*alignment=*/kBufferAlignment);
    // aligned_alloc needs a size that is a multiple of the alignment.
    uint64_t bytes = llvm::alignTo(count * elementBytes, kBufferAlignment);
    auto module = function->getParentOfType<ModuleOp>();
    Value ptr =
        LLVM::CallOp::create(
            entry, loc, getRuntime(module, "aligned_alloc"),
            ValueRange{
                arith::ConstantIntOp::create(entry, loc, kBufferAlignment, 64),
                arith::ConstantIntOp::create(entry, loc, bytes, 64)})
            .getResult();
    heapBuffers.push_back(ptr);
    return ptr;
  }
  /// Frees the heap buffers; call right before the function returns.
  void freeBuffers() {
    auto module = function->getParentOfType<ModuleOp>();
    for (Value ptr : heapBuffers)
      LLVM::CallOp::create(b, loc, getRuntime(module, "free"), ValueRange{ptr});
    heapBuffers.clear();
  }

  /// fma(a, x, acc) on the element type.
  Value fma(Value a, Value x, Value acc) {
    return math::FmaOp::create(b, loc, a, x, acc);
  }

  /// Applies `activation` to `x`.
  Value activate(Value x, const Activation &activation) {
    switch (activation.kind) {
    case ActivationKind::Identity:
      return x;
    case ActivationKind::Relu:
      return arith::MaximumFOp::create(b, loc, x, constant(0.0f));
    case ActivationKind::Clamp:
      return arith::MinimumFOp::create(
          b, loc,
          arith::MaximumFOp::create(b, loc, x, constant(activation.param0)),
          constant(activation.param1));
    case ActivationKind::Sigmoid: {
      Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
      return arith::DivFOp::create(
          b, loc, constant(1.0f),
          arith::AddFOp::create(b, loc, constant(1.0f), e));
    }
    case ActivationKind::Tanh:
      return math::TanhOp::create(b, loc, x);
    case ActivationKind::LeakyRelu: {
      Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                             x, constant(0.0f));
      Value scaled =
          arith::MulFOp::create(b, loc, x, constant(activation.param0));
      return arith::SelectOp::create(b, loc, negative, scaled, x);
    }
    }
    return x;
  }

  /// Adds `amount` to the i64 global at `counter` (instrumentation).
  void count(Value counter, int64_t amount) {
    if (counter && amount != 0)
      count(counter, i64(amount));
  }
  void count(Value counter, Value amount) {
    if (!counter)
      return;
    Value old = LLVM::LoadOp::create(b, loc, b.getI64Type(), counter);
    LLVM::StoreOp::create(b, loc, arith::AddIOp::create(b, loc, old, amount),
                          counter);
  }

private:
  LLVM::LLVMFuncOp getRuntime(ModuleOp module, StringRef name) {
    if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
      return fn;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    Type type = name == "aligned_alloc"
                    ? LLVM::LLVMFunctionType::get(
                          ptrType, {b.getI64Type(), b.getI64Type()})
                    : LLVM::LLVMFunctionType::get(
                          LLVM::LLVMVoidType::get(b.getContext()), {ptrType});
    return LLVM::LLVMFuncOp::create(b, loc, name, type);
  }

  func::FuncOp function;
  SmallVector<Value> heapBuffers;
};

/// The address, in `e`'s function, of the internal constant global array
/// `name` holding `values` (at least one element); it is created at
/// `moduleBuilder` unless the module has it already (the single and the
/// batch kernels of one program read the same tables).
Value getTableAddress(Emitter &e, OpBuilder &moduleBuilder, StringRef name,
                      DenseElementsAttr values) {
  Operation *module = moduleBuilder.getInsertionBlock()->getParentOp();
  auto global = dyn_cast_or_null<LLVM::GlobalOp>(
      SymbolTable::lookupSymbolIn(module, name));
  if (global) {
    assert(global.getValueAttr() == values && "one name, two tables");
  } else {
    auto type = LLVM::LLVMArrayType::get(values.getElementType(),
                                         values.getNumElements());
    global = LLVM::GlobalOp::create(moduleBuilder, e.loc, type,
                                    /*isConstant=*/true,
                                    LLVM::Linkage::Internal, name, values,
                                    /*alignment=*/64);
  }
  return LLVM::AddressOfOp::create(e.b, e.loc, global).getResult();
}

/// The narrowest of i8, i16, i32 and i64 that holds `maxValue`.
Type getIndexType(MLIRContext *context, uint64_t maxValue) {
  unsigned width = maxValue <= 0xff          ? 8
                   : maxValue <= 0xffff      ? 16
                   : maxValue <= 0xffffffffu ? 32
                                             : 64;
  return IntegerType::get(context, width);
}

/// A dense integer attribute of `values` with `type` elements.
DenseElementsAttr getIntTable(Type type, ArrayRef<uint64_t> values) {
  SmallVector<APInt> data;
  unsigned width = type.getIntOrFloatBitWidth();
  for (uint64_t value : values)
    data.emplace_back(width, value);
  if (data.empty())
    data.emplace_back(width, 0);
  return DenseElementsAttr::get(
      RankedTensorType::get({int64_t(data.size())}, type), data);
}

DenseElementsAttr getFloatTable(MLIRContext *context, ArrayRef<float> values) {
  SmallVector<float> data(values.begin(), values.end());
  if (data.empty())
    data.push_back(0.0f);
  return DenseElementsAttr::get(
      RankedTensorType::get({int64_t(data.size())}, Float32Type::get(context)),
      ArrayRef<float>(data));
}

/// Globals a kernel reads: its tables and its instrumentation counters.
struct KernelGlobals {
  std::string prefix;
  Value loads, stores; // counters (null when not instrumented)
};

/// Emits a kernel reading `inPtr` and writing `outPtr` (element-typed).
using KernelBody = std::function<void(Emitter &, Value inPtr, Value outPtr)>;

//===----------------------------------------------------------------------===//
// Plan kernels
//===----------------------------------------------------------------------===//

/// Straight-line code: slots are SSA values.
/// Independent partial sums per accumulator: a run of macs into one
/// accumulator is spread round-robin over this many chains, so consecutive
/// FMAs do not wait for each other's latency; the chains are added when the
/// accumulator is next read.
constexpr unsigned kPartialSums = 4;

/// Adds `values` pairwise: ((v0 + v1) + (v2 + v3)).
Value sumPairwise(Emitter &e, SmallVector<Value, kPartialSums> values) {
  while (values.size() > 1) {
    SmallVector<Value, kPartialSums> next;
    for (size_t i = 0; i + 1 < values.size(); i += 2)
      next.push_back(
          arith::AddFOp::create(e.b, e.loc, values[i], values[i + 1]));
    if (values.size() % 2)
      next.push_back(values.back());
    values = std::move(next);
  }
  return values.front();
}

/// Straight-line code: slots are SSA values (registers, after LLVM's
/// register allocation).
void emitStraightKernel(Emitter &e, const KernelProgram &program, Value inPtr,
                        Value outPtr, Value loadCounter, Value storeCounter) {
  std::vector<Value> fm(program.numSlots);
  // The partial sums of an accumulator in the middle of a run of macs.
  std::vector<SmallVector<Value, kPartialSums>> partial(program.numSlots);
  std::vector<unsigned> runLength(program.numSlots, 0);
  auto settle = [&](uint32_t slot) {
    if (partial[slot].empty())
      return;
    fm[slot] = sumPairwise(e, std::move(partial[slot]));
    partial[slot].clear();
    runLength[slot] = 0;
  };
  Value spill;
  if (program.numSpills)
    spill = e.allocate(e.elementType, program.numSpills, e.getElementBytes());
  size_t nextWeight = 0, nextBias = 0;
  for (const KernelOp &op : program.ops) {
    if (op.kind != KernelOp::Mac)
      settle(op.slot);
    switch (op.kind) {
    case KernelOp::LoadInput:
      fm[op.slot] = e.loadElement(inPtr, e.i64(op.arg));
      e.count(loadCounter, 1);
      break;
    case KernelOp::LoadOutput:
      fm[op.slot] = e.loadElement(outPtr, e.i64(op.arg));
      e.count(loadCounter, 1);
      break;
    case KernelOp::LoadSpill:
      fm[op.slot] = e.loadElement(spill, e.i64(op.arg));
      e.count(loadCounter, 1);
      break;
    case KernelOp::StoreOutput:
      e.store(fm[op.slot], outPtr, e.i64(op.arg));
      e.count(storeCounter, 1);
      break;
    case KernelOp::StoreSpill:
      e.store(fm[op.slot], spill, e.i64(op.arg));
      e.count(storeCounter, 1);
      break;
    case KernelOp::BiasNew:
      fm[op.slot] = e.constant(program.biases[nextBias++]);
      e.count(loadCounter, 1);
      break;
    case KernelOp::Bias:
      fm[op.slot] = arith::AddFOp::create(
          e.b, e.loc, fm[op.slot], e.constant(program.biases[nextBias++]));
      e.count(loadCounter, 1);
      break;
    case KernelOp::MacNew:
    case KernelOp::Mac: {
      Value weight = e.constant(program.weights[nextWeight++]);
      Value source = fm[op.source];
      SmallVector<Value, kPartialSums> &sums = partial[op.slot];
      // A run continuing an existing accumulator starts from it.
      if (sums.empty() && op.kind == KernelOp::Mac)
        sums.push_back(fm[op.slot]);
      unsigned chain = runLength[op.slot]++ % kPartialSums;
      if (chain < sums.size())
        sums[chain] = e.fma(weight, source, sums[chain]);
      else
        sums.push_back(arith::MulFOp::create(e.b, e.loc, weight, source));
      e.count(loadCounter, 1);
      break;
    }
    case KernelOp::Finish:
      fm[op.slot] = e.activate(fm[op.slot], program.activations[op.arg]);
      break;
    case KernelOp::FinishEmpty:
      fm[op.slot] = e.activate(e.constant(0.0f), program.activations[op.arg]);
      break;
    }
  }
}

/// A loop over per-step tables; slots are a stack array.
void emitLoopKernel(Emitter &e, OpBuilder &moduleBuilder,
                    const KernelProgram &program, StringRef prefix, Value inPtr,
                    Value outPtr, Value loadCounter, Value storeCounter) {
  MLIRContext *context = e.b.getContext();
  Location loc = e.loc;
  // Tables, in the narrowest integer types that fit.
  uint64_t maxArg = 0;
  // One entry per operation, except that a run of macs into the same
  // accumulator is one entry (arg = the run's length); the sources of all
  // macs form their own table, indexed like the weights.
  std::vector<uint64_t> kinds, slots, args, sources;
  for (size_t i = 0; i < program.ops.size();) {
    const KernelOp &op = program.ops[i];
    uint64_t arg = op.arg;
    size_t next = i + 1;
    if (op.kind == KernelOp::Mac || op.kind == KernelOp::MacNew) {
      sources.push_back(op.source);
      while (next < program.ops.size() &&
             program.ops[next].kind == KernelOp::Mac &&
             program.ops[next].slot == op.slot)
        sources.push_back(program.ops[next++].source);
      arg = next - i;
    }
    kinds.push_back(op.kind);
    slots.push_back(op.slot);
    args.push_back(arg);
    maxArg = std::max<uint64_t>(maxArg, arg);
    i = next;
  }
  Type kindType = IntegerType::get(context, 8);
  Type slotType = getIndexType(context, program.numSlots);
  Type argType = getIndexType(context, maxArg);
  auto table = [&](StringRef suffix, DenseElementsAttr values) {
    return getTableAddress(e, moduleBuilder, (prefix + suffix).str(), values);
  };
  Value kindTable = table("_kinds", getIntTable(kindType, kinds));
  Value slotTable = table("_slots", getIntTable(slotType, slots));
  Value sourceTable = table("_sources", getIntTable(slotType, sources));
  Value argTable = table("_args", getIntTable(argType, args));
  Value weightTable =
      table("_weights", getFloatTable(context, program.weights));
  Value biasTable = table("_biases", getFloatTable(context, program.biases));

  Value fm = e.allocate(e.elementType, program.numSlots, e.getElementBytes());
  Value spill =
      e.allocate(e.elementType, program.numSpills, e.getElementBytes());
  Type i64 = e.b.getI64Type();
  Type f32 = e.b.getF32Type();

  auto loop = scf::ForOp::create(e.b, loc, e.i64(0), e.i64(kinds.size()),
                                 e.i64(1), ValueRange{e.i64(0), e.i64(0)});
  {
    OpBuilder::InsertionGuard guard(e.b);
    e.b.setInsertionPointToStart(loop.getBody());
    Value pc = loop.getInductionVar();
    Value nextWeight = loop.getRegionIterArgs()[0];
    Value nextBias = loop.getRegionIterArgs()[1];
    Value kind = arith::IndexCastOp::create(
        e.b, loc, e.b.getIndexType(), e.loadIndex(kindTable, kindType, pc));
    SmallVector<int64_t> cases;
    for (unsigned k = 0; k < KernelOp::kNumKinds; ++k)
      cases.push_back(k);
    auto dispatch = scf::IndexSwitchOp::create(e.b, loc, TypeRange{i64, i64},
                                               kind, cases, cases.size());
    // The default region never runs; it keeps the iteration state.
    {
      Block &block = dispatch.getDefaultRegion().emplaceBlock();
      e.b.setInsertionPointToStart(&block);
      scf::YieldOp::create(e.b, loc, ValueRange{nextWeight, nextBias});
    }
    for (unsigned k = 0; k < KernelOp::kNumKinds; ++k) {
      Block &block = dispatch.getCaseRegions()[k].emplaceBlock();
      e.b.setInsertionPointToStart(&block);
      Value slot = e.loadIndex(slotTable, slotType, pc);
      Value weightOut = nextWeight, biasOut = nextBias;
      auto slotValue = [&] { return e.loadElement(fm, slot); };
      auto setSlot = [&](Value value) { e.store(value, fm, slot); };
      auto argValue = [&] { return e.loadIndex(argTable, argType, pc); };
      switch (KernelOp::Kind(k)) {
      case KernelOp::LoadInput:
        setSlot(e.loadElement(inPtr, argValue()));
        e.count(loadCounter, 1);
        break;
      case KernelOp::LoadOutput:
        setSlot(e.loadElement(outPtr, argValue()));
        e.count(loadCounter, 1);
        break;
      case KernelOp::LoadSpill:
        setSlot(e.loadElement(spill, argValue()));
        e.count(loadCounter, 1);
        break;
      case KernelOp::StoreOutput:
        e.store(slotValue(), outPtr, argValue());
        e.count(storeCounter, 1);
        break;
      case KernelOp::StoreSpill:
        e.store(slotValue(), spill, argValue());
        e.count(storeCounter, 1);
        break;
      case KernelOp::BiasNew:
      case KernelOp::Bias: {
        Value bias = e.splat(e.load(f32, biasTable, nextBias));
        setSlot(k == KernelOp::Bias
                    ? arith::AddFOp::create(e.b, loc, slotValue(), bias)
                    : bias);
        biasOut = arith::AddIOp::create(e.b, loc, nextBias, e.i64(1));
        e.count(loadCounter, 1);
        break;
      }
      case KernelOp::MacNew:
      case KernelOp::Mac: {
        // A run of macs: the accumulator stays in registers, as
        // kPartialSums independent chains over groups of kPartialSums macs,
        // then one chain for the remainder.
        Value count = argValue();
        Value end = arith::AddIOp::create(e.b, loc, nextWeight, count);
        Value initial = k == KernelOp::Mac ? slotValue() : e.constant(0.0f);
        Value groups = arith::MulIOp::create(
            e.b, loc,
            arith::DivUIOp::create(e.b, loc, count, e.i64(kPartialSums)),
            e.i64(kPartialSums));
        Value groupEnd = arith::AddIOp::create(e.b, loc, nextWeight, groups);
        SmallVector<Value> chains = {initial};
        for (unsigned c = 1; c < kPartialSums; ++c)
          chains.push_back(e.constant(0.0f));
        auto macAt = [&](Value m, Value acc) {
          Value weight = e.splat(e.load(f32, weightTable, m));
          Value source =
              e.loadElement(fm, e.loadIndex(sourceTable, slotType, m));
          return e.fma(weight, source, acc);
        };
        auto grouped = scf::ForOp::create(e.b, loc, nextWeight, groupEnd,
                                          e.i64(kPartialSums), chains);
        {
          OpBuilder::InsertionGuard inner(e.b);
          e.b.setInsertionPointToStart(grouped.getBody());
          SmallVector<Value> next;
          for (unsigned c = 0; c < kPartialSums; ++c)
            next.push_back(
                macAt(arith::AddIOp::create(e.b, loc, grouped.getInductionVar(),
                                            e.i64(c)),
                      grouped.getRegionIterArgs()[c]));
          scf::YieldOp::create(e.b, loc, next);
        }
        SmallVector<Value, kPartialSums> sums(grouped.getResults().begin(),
                                              grouped.getResults().end());
        auto run = scf::ForOp::create(e.b, loc, groupEnd, end, e.i64(1),
                                      ValueRange{sumPairwise(e, sums)});
        {
          OpBuilder::InsertionGuard inner(e.b);
          e.b.setInsertionPointToStart(run.getBody());
          scf::YieldOp::create(
              e.b, loc,
              macAt(run.getInductionVar(), run.getRegionIterArgs()[0]));
        }
        setSlot(run.getResult(0));
        weightOut = end;
        e.count(loadCounter, count);
        break;
      }
      case KernelOp::Finish:
      case KernelOp::FinishEmpty: {
        Value x = k == KernelOp::Finish ? slotValue() : e.constant(0.0f);
        if (program.activations.size() == 1) {
          setSlot(e.activate(x, program.activations.front()));
          break;
        }
        Value id = arith::IndexCastOp::create(e.b, loc, e.b.getIndexType(),
                                              argValue());
        SmallVector<int64_t> ids;
        for (unsigned a = 0; a < program.activations.size(); ++a)
          ids.push_back(a);
        auto select = scf::IndexSwitchOp::create(
            e.b, loc, TypeRange{e.elementType}, id, ids, ids.size());
        {
          OpBuilder::InsertionGuard inner(e.b);
          Block &fallback = select.getDefaultRegion().emplaceBlock();
          e.b.setInsertionPointToStart(&fallback);
          scf::YieldOp::create(e.b, loc, x);
          for (unsigned a = 0; a < program.activations.size(); ++a) {
            Block &body = select.getCaseRegions()[a].emplaceBlock();
            e.b.setInsertionPointToStart(&body);
            scf::YieldOp::create(e.b, loc,
                                 e.activate(x, program.activations[a]));
          }
        }
        setSlot(select.getResult(0));
        break;
      }
      }
      scf::YieldOp::create(e.b, loc, ValueRange{weightOut, biasOut});
    }
    e.b.setInsertionPointAfter(dispatch);
    scf::YieldOp::create(e.b, loc, dispatch.getResults());
  }
}

//===----------------------------------------------------------------------===//
// CSR kernel
//===----------------------------------------------------------------------===//

/// Layerwise CSR inference: every neuron value lives in a buffer x[N]
/// ("slow memory"); each row reads its sources from x.
void emitCsrKernel(Emitter &e, OpBuilder &moduleBuilder, const Graph &graph,
                   StringRef prefix, Value inPtr, Value outPtr) {
  MLIRContext *context = e.b.getContext();
  Location loc = e.loc;
  std::vector<NeuronId> order = getLayerwiseOrder(graph);
  std::vector<uint64_t> targets, rowStarts = {0}, columns, outputs;
  std::vector<float> values, biases;
  for (NeuronId v : order) {
    targets.push_back(v);
    for (auto [u, w] : llvm::zip(graph.getFanIn(v), graph.getFanInWeights(v))) {
      columns.push_back(u);
      values.push_back(w);
    }
    rowStarts.push_back(columns.size());
    biases.push_back(graph.getBias(v));
  }
  for (NeuronId v : graph.getOutputs())
    outputs.push_back(v);
  Type neuronType = getIndexType(context, graph.getNumNeurons());
  Type offsetType = getIndexType(context, columns.size());
  auto table = [&](StringRef suffix, DenseElementsAttr values) {
    return getTableAddress(e, moduleBuilder, (prefix + suffix).str(), values);
  };
  Value targetTable = table("_rows", getIntTable(neuronType, targets));
  Value startTable = table("_row_starts", getIntTable(offsetType, rowStarts));
  Value columnTable = table("_columns", getIntTable(neuronType, columns));
  Value valueTable = table("_values", getFloatTable(context, values));
  Value biasTable = table("_biases", getFloatTable(context, biases));
  Value outputTable = table("_outputs", getIntTable(neuronType, outputs));
  Type f32 = e.b.getF32Type();

  Value x =
      e.allocate(e.elementType, graph.getNumNeurons(), e.getElementBytes());
  auto forLoop = [&](Value lo, Value hi, ValueRange init,
                     function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    auto loop = scf::ForOp::create(e.b, loc, lo, hi, e.i64(1), init);
    OpBuilder::InsertionGuard guard(e.b);
    e.b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> results =
        body(loop.getInductionVar(), loop.getRegionIterArgs());
    // A loop without results already has its (empty) terminator.
    if (!init.empty())
      scf::YieldOp::create(e.b, loc, results);
    return loop;
  };
  // x[u] = in[u] for the inputs.
  forLoop(e.i64(0), e.i64(graph.getNumInputs()), {},
          [&](Value u, ValueRange) -> SmallVector<Value> {
            e.store(e.loadElement(inPtr, u), x, u);
            return {};
          });
  // One loop nest per run of rows with the same activation.
  for (size_t begin = 0; begin < order.size();) {
    const Activation &activation = graph.getActivation(order[begin]);
    size_t end = begin + 1;
    while (end < order.size() && graph.getActivation(order[end]) == activation)
      ++end;
    forLoop(e.i64(begin), e.i64(end), {},
            [&](Value r, ValueRange) -> SmallVector<Value> {
              Value rowBegin = e.loadIndex(startTable, offsetType, r);
              Value rowEnd =
                  e.loadIndex(startTable, offsetType,
                              arith::AddIOp::create(e.b, loc, r, e.i64(1)));
              Value bias = e.splat(e.load(f32, biasTable, r));
              auto dot =
                  forLoop(rowBegin, rowEnd, {bias},
                          [&](Value k, ValueRange acc) -> SmallVector<Value> {
                            Value w = e.splat(e.load(f32, valueTable, k));
                            Value source = e.loadElement(
                                x, e.loadIndex(columnTable, neuronType, k));
                            return {e.fma(w, source, acc.front())};
                          });
              e.store(e.activate(dot.getResult(0), activation), x,
                      e.loadIndex(targetTable, neuronType, r));
              return {};
            });
    begin = end;
  }
  forLoop(e.i64(0), e.i64(graph.getNumOutputs()), {},
          [&](Value k, ValueRange) -> SmallVector<Value> {
            e.store(e.loadElement(x, e.loadIndex(outputTable, neuronType, k)),
                    outPtr, k);
            return {};
          });
}

//===----------------------------------------------------------------------===//
// ABI functions
//===----------------------------------------------------------------------===//

/// func.func @name(%in: !llvm.ptr, %out: !llvm.ptr [, %n: i64]).
func::FuncOp createFunction(OpBuilder &moduleBuilder, Location loc,
                            StringRef name, bool batch) {
  MLIRContext *context = moduleBuilder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(context);
  SmallVector<Type> inputs = {ptr, ptr};
  if (batch)
    inputs.push_back(IntegerType::get(context, 64));
  auto fn = func::FuncOp::create(moduleBuilder, loc, name,
                                 FunctionType::get(context, inputs, {}));
  fn.addEntryBlock();
  return fn;
}

/// NAME(in, out): the kernel on f32 elements.
void emitSingle(OpBuilder &moduleBuilder, Location loc, StringRef name,
                const KernelBody &kernel) {
  func::FuncOp fn = createFunction(moduleBuilder, loc, name, false);
  OpBuilder b(fn.getBody());
  Emitter e(b, loc, b.getF32Type(), fn);
  kernel(e, fn.getArgument(0), fn.getArgument(1));
  e.freeBuffers();
  func::ReturnOp::create(b, loc);
}

/// NAME_batch(in, out, n): blocks of samples are transposed into
/// feature-major staging buffers of vector<L x f32>, run through the kernel
/// and transposed back. Full blocks of `wideLanes` samples come first; the
/// samples left over run in blocks of `narrowLanes` (<= wideLanes), the last
/// one padded with zeros. Both kernels read the same tables.
void emitBatch(OpBuilder &moduleBuilder, Location loc, StringRef name,
               uint32_t wideLanes, uint32_t narrowLanes, uint32_t numInputs,
               uint32_t numOutputs, const KernelBody &kernel) {
  func::FuncOp fn = createFunction(moduleBuilder, loc, name, true);
  OpBuilder b(fn.getBody());
  Type f32 = b.getF32Type();
  Value in = fn.getArgument(0), out = fn.getArgument(1), n = fn.getArgument(2);
  SmallVector<std::unique_ptr<Emitter>> emitters;
  // Runs blocks of `lanes` samples for the samples [begin, end).
  auto emitBlocks = [&](uint32_t lanes, Value begin, Value end) {
    auto &e = *emitters.emplace_back(std::make_unique<Emitter>(
        b, loc, VectorType::get({int64_t(lanes)}, f32), fn));
    Value stageIn = e.allocate(e.elementType, numInputs, e.getElementBytes());
    Value stageOut = e.allocate(e.elementType, numOutputs, e.getElementBytes());
    Value laneCount = e.i64(lanes);
    auto block = scf::ForOp::create(b, loc, begin, end, laneCount);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(block.getBody());
    Value base = block.getInductionVar();
    Value remaining = arith::SubIOp::create(b, loc, end, base);
    Value active = arith::MinSIOp::create(b, loc, remaining, laneCount);
    // Transposes between the row-major samples and the staging buffer.
    auto transpose = [&](uint32_t features, bool toStage) {
      auto outer =
          scf::ForOp::create(b, loc, e.i64(0), e.i64(features), e.i64(1));
      OpBuilder::InsertionGuard g1(b);
      b.setInsertionPointToStart(outer.getBody());
      Value feature = outer.getInductionVar();
      auto inner = scf::ForOp::create(b, loc, e.i64(0), laneCount, e.i64(1));
      b.setInsertionPointToStart(inner.getBody());
      Value lane = inner.getInductionVar();
      Value staged = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, feature, laneCount), lane);
      Value sample = arith::AddIOp::create(b, loc, base, lane);
      Value flat = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(b, loc, sample,
                                e.i64(toStage ? numInputs : numOutputs)),
          feature);
      Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           lane, active);
      if (toStage) {
        // Padding lanes read sample 0 (always valid) and keep zero.
        Value safe = arith::SelectOp::create(b, loc, inside, flat, e.i64(0));
        Value value = arith::SelectOp::create(
            b, loc, inside, e.load(f32, in, safe),
            arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f)));
        e.store(value, stageIn, staged);
      } else {
        scf::IfOp::create(b, loc, inside, [&](OpBuilder &nb, Location l) {
          Emitter ne(nb, l, f32);
          ne.store(ne.load(f32, stageOut, staged), out, flat);
          scf::YieldOp::create(nb, l);
        });
      }
    };
    transpose(numInputs, true);
    kernel(e, stageIn, stageOut);
    transpose(numOutputs, false);
  };
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
  Value wideEnd = zero;
  if (wideLanes != narrowLanes) {
    // The largest multiple of wideLanes that is at most n.
    Value wide = arith::ConstantIntOp::create(b, loc, wideLanes, 64);
    wideEnd = arith::MulIOp::create(
        b, loc, arith::DivSIOp::create(b, loc, n, wide), wide);
    emitBlocks(wideLanes, zero, wideEnd);
  }
  emitBlocks(narrowLanes, wideEnd, n);
  for (auto &e : emitters)
    e->freeBuffers();
  func::ReturnOp::create(b, loc);
}

/// The order to plan: the schedule attribute's, else two-opt.
FailureOr<std::vector<NeuronId>>
getScheduleOrder(NetworkOp network, const Graph &graph, std::string &strategy) {
  auto schedule = network->getAttrOfType<DictionaryAttr>("sffnn.schedule");
  if (!schedule) {
    strategy = "two-opt";
    return getTwoOptOrder(graph);
  }
  auto orderAttr = dyn_cast_or_null<ElementsAttr>(schedule.get("order"));
  auto strategyAttr = dyn_cast_or_null<StringAttr>(schedule.get("strategy"));
  SmallVector<int32_t, 0> storage;
  std::optional<ArrayRef<int32_t>> values =
      orderAttr ? getElementArray<int32_t>(orderAttr, storage) : std::nullopt;
  if (!values)
    return network.emitOpError()
           << "has an 'sffnn.schedule' without an i32 'order'";
  std::vector<NeuronId> order(values->begin(), values->end());
  if (llvm::Error error = verifyNeuronOrder(graph, order))
    return network.emitOpError() << "has an invalid 'sffnn.schedule' order: "
                                 << llvm::toString(std::move(error));
  strategy = strategyAttr ? strategyAttr.getValue().str() : "unknown";
  return order;
}

} // namespace

LogicalResult sffnn::lowerNetworkToLoops(NetworkOp network,
                                         const LoweringOptions &options,
                                         LoweringReport *report) {
  FailureOr<Graph> graph = buildGraph(network);
  if (failed(graph))
    return failure();
  Location loc = network.getLoc();
  std::string name = options.functionName.empty() ? network.getSymName().str()
                                                  : options.functionName;
  LoweringReport local;
  LoweringReport &r = report ? *report : local;
  r.functionName = name;
  r.numInputs = graph->getNumInputs();
  r.numOutputs = graph->getNumOutputs();

  uint32_t m = options.fastMemory;
  if (m == 0)
    if (auto schedule =
            network->getAttrOfType<DictionaryAttr>("sffnn.schedule"))
      if (auto attr =
              dyn_cast_or_null<IntegerAttr>(schedule.get("fast_memory")))
        m = attr.getInt();
  if (m == 0)
    m = getDefaultFastMemoryWords();
  if (m < 3)
    return network.emitOpError()
           << "cannot be lowered with fast memory M = " << m
           << "; M must be at least 3 words";
  r.fastMemory = m;

  OpBuilder moduleBuilder(network);
  const uint32_t wideLanes = options.batchLanes
                                 ? options.batchLanes
                                 : std::max(getHostVectorLanes(), 8u);
  const uint32_t narrowLanes = std::min(wideLanes, 8u);
  auto emitBoth = [&](const KernelBody &kernel) {
    emitSingle(moduleBuilder, loc, name, kernel);
    emitBatch(moduleBuilder, loc, name + "_batch", wideLanes, narrowLanes,
              graph->getNumInputs(), graph->getNumOutputs(), kernel);
  };

  if (options.mode == CodegenMode::Csr) {
    r.mode = CodegenMode::Csr;
    r.strategy = "layerwise";
    r.kernelOps = graph->getNumComputed();
    emitBoth([&](Emitter &e, Value in, Value out) {
      emitCsrKernel(e, moduleBuilder, *graph, name + "_csr", in, out);
    });
    network.erase();
    return success();
  }

  FailureOr<std::vector<NeuronId>> order =
      getScheduleOrder(network, *graph, r.strategy);
  if (failed(order))
    return failure();
  Plan plan(m);
  llvm::Expected<IOCounts> planned =
      planEvaluation(*graph, getPullOrder(*graph, *order), m, &plan);
  if (!planned)
    return network.emitOpError()
           << "cannot be planned: " << llvm::toString(planned.takeError());
  llvm::Expected<KernelProgram> program = buildKernelProgram(*graph, plan);
  if (!program)
    return network.emitOpError()
           << "has an illegal plan: " << llvm::toString(program.takeError());
  r.planCounts = program->counts;
  r.kernelOps = program->ops.size();
  r.mode = options.mode;
  if (r.mode == CodegenMode::Auto)
    r.mode = program->ops.size() <= options.straightLimit
                 ? CodegenMode::Straight
                 : CodegenMode::Loops;

  // Instrumentation counters: external i64 globals.
  LLVM::GlobalOp loadGlobal, storeGlobal;
  if (options.instrumentIO) {
    Type i64 = moduleBuilder.getI64Type();
    auto counter = [&](StringRef suffix) {
      return LLVM::GlobalOp::create(
          moduleBuilder, loc, i64,
          /*isConstant=*/false, LLVM::Linkage::External, name + suffix.str(),
          moduleBuilder.getI64IntegerAttr(0));
    };
    loadGlobal = counter("_io_loads");
    storeGlobal = counter("_io_stores");
  }
  emitBoth([&](Emitter &e, Value in, Value out) {
    Value loads, stores;
    if (loadGlobal) {
      loads = LLVM::AddressOfOp::create(e.b, e.loc, loadGlobal);
      stores = LLVM::AddressOfOp::create(e.b, e.loc, storeGlobal);
    }
    if (r.mode == CodegenMode::Straight)
      emitStraightKernel(e, *program, in, out, loads, stores);
    else
      emitLoopKernel(e, moduleBuilder, *program, name + "_plan", in, out, loads,
                     stores);
  });
  network.erase();
  return success();
}

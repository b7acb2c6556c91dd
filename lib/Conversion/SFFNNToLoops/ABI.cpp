//===- ABI.cpp - The C ABI functions around a kernel ----------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the two functions every lowered network exports
// (docs/codegen.md):
//
//   int32_t NAME(const float *in, float *out);
//   int32_t NAME_batch(const float *in, float *out, int64_t n);
//
// Both return 0, or ENOMEM when a buffer larger than kMaxStackBytes could
// not be allocated (nothing is computed); NAME_batch returns EINVAL for
// n < 0.
//
// NAME runs a kernel on f32 elements. NAME_batch transposes each block of L
// samples from row-major `in` into a feature-major staging buffer of
// vector<L x f32> (one plan value per feature), runs the kernel on it and
// transposes the outputs back. Whole blocks transpose in square tiles of one
// machine vector (loads of t consecutive features of t samples, a
// log2(t)-stage shuffle network, stores of t lanes of t features); the
// features left over and the last, partial block go one element at a time,
// the partial block's padding lanes reading zeros and writing nothing.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/bit.h"

#include <cerrno>

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

namespace {

/// func.func @name(%in: !llvm.ptr, %out: !llvm.ptr [, %n: i64]) -> i32.
func::FuncOp createFunction(OpBuilder &moduleBuilder, Location loc,
                            StringRef name, bool batch) {
  MLIRContext *context = moduleBuilder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(context);
  SmallVector<Type> inputs = {ptr, ptr};
  if (batch)
    inputs.push_back(IntegerType::get(context, 64));
  auto fn = func::FuncOp::create(
      moduleBuilder, loc, name,
      FunctionType::get(context, inputs, {IntegerType::get(context, 32)}));
  fn.addEntryBlock();
  return fn;
}

/// Emits `body` at `b` inside `scf.if (every heap buffer is allocated)`,
/// and returns the i32 status: 0, or ENOMEM when a buffer could not be
/// allocated (the body did not run). The buffers are those of `emitters`
/// once `body` has run: the emitters allocate at the function's entry,
/// before the branch, as the body asks for buffers.
Value emitGuarded(OpBuilder &b, Location loc, function_ref<void()> body,
                  function_ref<SmallVector<Value>()> heapBuffers) {
  Type i32 = b.getI32Type();
  Value placeholder = arith::ConstantIntOp::create(b, loc, 1, 1);
  auto guard = scf::IfOp::create(b, loc, TypeRange{i32}, placeholder,
                                 /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(guard.thenBlock());
    body();
    scf::YieldOp::create(
        b, loc, ValueRange{arith::ConstantIntOp::create(b, loc, 0, 32)});
    b.setInsertionPointToStart(guard.elseBlock());
    scf::YieldOp::create(
        b, loc, ValueRange{arith::ConstantIntOp::create(b, loc, ENOMEM, 32)});
    b.setInsertionPoint(guard);
    Value allocated = placeholder;
    Value null = LLVM::ZeroOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()));
    for (Value buffer : heapBuffers())
      allocated = arith::AndIOp::create(
          b, loc, allocated,
          LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, buffer, null));
    guard.getConditionMutable().assign(allocated);
  }
  return guard.getResult(0);
}

/// Transposes the t x t matrix whose rows are `rows` (t vectors of t f32,
/// t a power of two): log2(t) stages, each swapping one bit of the row
/// index with the same bit of the column index, one two-source shuffle per
/// row and stage.
SmallVector<Value> transposeTile(OpBuilder &b, Location loc,
                                 SmallVector<Value> rows) {
  const int64_t t = rows.size();
  for (int64_t h = 1; h < t; h *= 2) {
    SmallVector<Value> next(t);
    for (int64_t i = 0; i < t; ++i) {
      if (i & h)
        continue;
      const int64_t p = i | h;
      SmallVector<int64_t> low(t), high(t);
      for (int64_t j = 0; j < t; ++j) {
        // Row i keeps its columns without bit h and takes row p's columns
        // without bit h where bit h is set; row p the other way round.
        low[j] = (j & h) ? t + (j ^ h) : j;
        high[j] = (j & h) ? t + j : (j | h);
      }
      next[i] = vector::ShuffleOp::create(b, loc, rows[i], rows[p], low);
      next[p] = vector::ShuffleOp::create(b, loc, rows[i], rows[p], high);
    }
    rows = std::move(next);
  }
  return rows;
}

} // namespace

void sffnn::detail::emitSingleFunction(OpBuilder &moduleBuilder, Location loc,
                                       StringRef name,
                                       const KernelBody &kernel) {
  func::FuncOp fn = createFunction(moduleBuilder, loc, name, false);
  OpBuilder b(fn.getBody());
  Emitter e(b, loc, b.getF32Type(), fn);
  Value status = emitGuarded(
      b, loc, [&] { kernel(e, fn.getArgument(0), fn.getArgument(1)); },
      [&] { return SmallVector<Value>(e.getHeapBuffers()); });
  e.freeBuffers();
  func::ReturnOp::create(b, loc, status);
}

void sffnn::detail::emitBatchFunction(OpBuilder &moduleBuilder, Location loc,
                                      StringRef name, const BatchShape &shape,
                                      uint32_t numInputs, uint32_t numOutputs,
                                      uint64_t stagedElements,
                                      const KernelBody &kernel) {
  func::FuncOp fn = createFunction(moduleBuilder, loc, name, true);
  OpBuilder b(fn.getBody());
  Type f32 = b.getF32Type();
  Value in = fn.getArgument(0), out = fn.getArgument(1), n = fn.getArgument(2);
  SmallVector<std::unique_ptr<Emitter>> emitters;
  // Runs blocks of `lanes` samples for the samples [begin, end).
  auto emitBlocks = [&](uint32_t lanes, Value begin, Value end) {
    auto &e = *emitters.emplace_back(std::make_unique<Emitter>(
        b, loc, VectorType::get({int64_t(lanes)}, f32), fn));
    e.vectorLanes = shape.vectorLanes;
    Emitter scalar(b, loc, f32);
    Value stageIn = e.allocate(std::max<uint64_t>(stagedElements, numInputs));
    Value stageOut = e.allocate(numOutputs);
    Value laneCount = e.i64(lanes);
    Value one = e.i64(1);
    // The tile: the widest power of two up to a machine vector dividing L.
    int64_t tile = llvm::bit_floor(std::max<uint32_t>(shape.vectorLanes, 1));
    while (lanes % tile)
      tile /= 2;
    const bool tiled = tile >= 4;
    auto tileType = VectorType::get({tile}, f32);
    const unsigned tileAlignment =
        std::min<uint64_t>(4 * tile, kBufferAlignment);

    e.forLoop(
        begin, end, laneCount, {},
        [&](Value base, ValueRange) -> SmallVector<Value> {
          Value remaining = arith::SubIOp::create(b, loc, end, base);
          Value active = arith::MinSIOp::create(b, loc, remaining, laneCount);
          Value full = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                             active, laneCount);
          // Element by element, features [first, features) of every lane
          // (zeros in the padding lanes of `in`, nothing written past `out`).
          auto transposeElements = [&](uint32_t features, Value first,
                                       bool toStage) {
            uint32_t stride = toStage ? numInputs : numOutputs;
            e.forLoop(
                first, e.i64(features), one, {},
                [&](Value feature, ValueRange) -> SmallVector<Value> {
                  e.forLoop(
                      e.i64(0), laneCount, one, {},
                      [&](Value lane, ValueRange) -> SmallVector<Value> {
                        Value staged = arith::AddIOp::create(
                            b, loc,
                            arith::MulIOp::create(b, loc, feature, laneCount),
                            lane);
                        Value sample =
                            arith::AddIOp::create(b, loc, base, lane);
                        Value flat = arith::AddIOp::create(
                            b, loc,
                            arith::MulIOp::create(b, loc, sample,
                                                  e.i64(stride)),
                            feature);
                        Value inside = arith::CmpIOp::create(
                            b, loc, arith::CmpIPredicate::slt, lane, active);
                        if (toStage) {
                          // Padding lanes read sample 0 (always valid) and keep
                          // zero.
                          Value safe = arith::SelectOp::create(b, loc, inside,
                                                               flat, e.i64(0));
                          Value value = arith::SelectOp::create(
                              b, loc, inside, scalar.load(f32, in, safe),
                              arith::ConstantOp::create(
                                  b, loc, b.getF32FloatAttr(0.0f)));
                          scalar.store(value, stageIn, staged);
                        } else {
                          scf::IfOp::create(
                              b, loc, inside, [&](OpBuilder &nb, Location l) {
                                Emitter ne(nb, l, f32);
                                ne.store(ne.load(f32, stageOut, staged), out,
                                         flat);
                                scf::YieldOp::create(nb, l);
                              });
                        }
                        return {};
                      });
                  return {};
                });
          };
          // Whole tiles of a full block: t features of t samples at a time.
          auto transposeTiles = [&](uint32_t features, bool toStage) {
            const int64_t tiledFeatures = features / tile * tile;
            const int64_t tilesPerFeature = lanes / tile;
            Value rowStride = e.i64(toStage ? numInputs : numOutputs);
            e.forLoop(
                e.i64(0), e.i64(tiledFeatures), e.i64(tile), {},
                [&](Value f0, ValueRange) -> SmallVector<Value> {
                  e.forLoop(
                      e.i64(0), laneCount, e.i64(tile), {},
                      [&](Value j0, ValueRange) -> SmallVector<Value> {
                        // Staged vector k of this tile: (f0 + k) * L + j0, in
                        // tiles.
                        auto stagedTile = [&](int64_t k) {
                          Value feature =
                              arith::AddIOp::create(b, loc, f0, e.i64(k));
                          return arith::AddIOp::create(
                              b, loc,
                              arith::MulIOp::create(b, loc, feature,
                                                    e.i64(tilesPerFeature)),
                              arith::DivUIOp::create(b, loc, j0, e.i64(tile)));
                        };
                        // Sample row i of this tile: (base + j0 + i) * stride +
                        // f0, in floats.
                        auto sampleRow = [&](int64_t i) {
                          Value sample = arith::AddIOp::create(
                              b, loc, arith::AddIOp::create(b, loc, base, j0),
                              e.i64(i));
                          return arith::AddIOp::create(
                              b, loc,
                              arith::MulIOp::create(b, loc, sample, rowStride),
                              f0);
                        };
                        SmallVector<Value> rows;
                        for (int64_t i = 0; i < tile; ++i)
                          rows.push_back(
                              toStage
                                  ? scalar.load(
                                        tileType,
                                        scalar.gep(in, f32, sampleRow(i)),
                                        e.i64(0))
                                  : scalar.load(tileType, stageOut,
                                                stagedTile(i), tileAlignment));
                        SmallVector<Value> columns =
                            transposeTile(b, loc, rows);
                        for (int64_t k = 0; k < tile; ++k) {
                          if (toStage)
                            scalar.store(columns[k], stageIn, stagedTile(k),
                                         tileAlignment);
                          else
                            scalar.store(columns[k],
                                         scalar.gep(out, f32, sampleRow(k)),
                                         e.i64(0));
                        }
                        return {};
                      });
                  return {};
                });
            return tiledFeatures;
          };
          auto transpose = [&](uint32_t features, bool toStage) {
            if (!tiled || features < uint32_t(tile)) {
              transposeElements(features, e.i64(0), toStage);
              return;
            }
            // Whole blocks: tiles, then the features left over; the partial
            // block: every feature element by element.
            auto branch = scf::IfOp::create(b, loc, TypeRange{b.getI64Type()},
                                            full, /*withElseRegion=*/true);
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(branch.thenBlock());
            int64_t tiledFeatures = transposeTiles(features, toStage);
            scf::YieldOp::create(b, loc, e.i64(tiledFeatures));
            b.setInsertionPointToStart(branch.elseBlock());
            scf::YieldOp::create(b, loc, e.i64(0));
            b.setInsertionPointAfter(branch);
            transposeElements(features, branch.getResult(0), toStage);
          };
          transpose(numInputs, true);
          kernel(e, stageIn, stageOut);
          transpose(numOutputs, false);
          return {};
        });
  };
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
  Value wideEnd = zero;
  Value status = emitGuarded(
      b, loc,
      [&] {
        if (shape.blockSamples != shape.remainderSamples) {
          // The largest multiple of the block that is at most n.
          Value block =
              arith::ConstantIntOp::create(b, loc, shape.blockSamples, 64);
          wideEnd = arith::MulIOp::create(
              b, loc, arith::DivSIOp::create(b, loc, n, block), block);
          emitBlocks(shape.blockSamples, zero, wideEnd);
        }
        emitBlocks(shape.remainderSamples, wideEnd, n);
      },
      [&] {
        SmallVector<Value> buffers;
        for (auto &e : emitters)
          llvm::append_range(buffers, e->getHeapBuffers());
        return buffers;
      });
  for (auto &e : emitters)
    e->freeBuffers();
  // n < 0: EINVAL (no block ran).
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, n, zero);
  status = arith::SelectOp::create(
      b, loc, negative, arith::ConstantIntOp::create(b, loc, EINVAL, 32),
      status);
  func::ReturnOp::create(b, loc, status);
}

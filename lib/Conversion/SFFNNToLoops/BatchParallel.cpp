//===- BatchParallel.cpp - NAME_batch over POSIX threads ------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements emitParallelFunction (docs/codegen.md, "Threads"):
//
//   int32_t NAME_batch_parallel(const float *in, float *out, int64_t n,
//                               int32_t threads);
//
// The batch is cut into `t` contiguous ranges of whole blocks of B samples
// (the last range takes the rest), so that every sample runs in the same
// kind of block, with the same arithmetic, as in one NAME_batch call. Ranges
// 1 .. t-1 run on new POSIX threads, range 0 on the calling thread; every
// range is one NAME_batch call. The weights and tables are shared read-only;
// each call allocates its own fast memory and staging buffers.
//
// Threads are started with pthread_create, whose start routine must be a
// function address: the worker is a private func.func taken with
// func.constant (lowered to llvm.mlir.addressof), and the C library
// functions are declared and called in the LLVM dialect, which has no
// equivalent in the func dialect for external C functions taking pointers.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cerrno>

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

namespace {

/// sysconf's name of the number of online processors in glibc
/// (<bits/confname.h>); the generated objects target Linux.
constexpr int64_t kScNProcessorsOnln = 84;

/// The C library function `name` of type `type`, declared in `module` on
/// first use.
LLVM::LLVMFuncOp getLibraryFunction(OpBuilder &b, Location loc, ModuleOp module,
                                    StringRef name,
                                    LLVM::LLVMFunctionType type) {
  if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return fn;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  return LLVM::LLVMFuncOp::create(b, loc, name, type);
}

} // namespace

void sffnn::detail::emitParallelFunction(OpBuilder &moduleBuilder, Location loc,
                                         StringRef name, uint32_t blockSamples,
                                         uint32_t numInputs,
                                         uint32_t numOutputs) {
  MLIRContext *context = moduleBuilder.getContext();
  auto module =
      cast<ModuleOp>(moduleBuilder.getInsertionBlock()->getParentOp());
  Type ptr = LLVM::LLVMPointerType::get(context);
  Type i32 = IntegerType::get(context, 32);
  Type i64 = IntegerType::get(context, 64);
  // One range: {in, out, samples}.
  Type rangeType = LLVM::LLVMStructType::getLiteral(context, {ptr, ptr, i64});
  std::string batchName = (name + "_batch").str();

  // void *NAME_batch_range(void *range): NAME_batch on one range; its
  // status (0, ENOMEM) as the thread's result.
  auto worker =
      func::FuncOp::create(moduleBuilder, loc, (name + "_batch_range").str(),
                           FunctionType::get(context, {ptr}, {ptr}));
  worker.setPrivate();
  worker->setAttr("llvm.linkage",
                  LLVM::LinkageAttr::get(context, LLVM::Linkage::Internal));
  {
    OpBuilder b = OpBuilder::atBlockBegin(worker.addEntryBlock());
    Value range = worker.getArgument(0);
    auto field = [&](int32_t index, Type type) {
      Value address = LLVM::GEPOp::create(b, loc, ptr, rangeType, range,
                                          ArrayRef<LLVM::GEPArg>{0, index});
      return LLVM::LoadOp::create(b, loc, type, address).getResult();
    };
    Value status = func::CallOp::create(
                       b, loc, batchName, TypeRange{i32},
                       ValueRange{field(0, ptr), field(1, ptr), field(2, i64)})
                       .getResult(0);
    Value result = LLVM::IntToPtrOp::create(
        b, loc, ptr, arith::ExtUIOp::create(b, loc, i64, status).getResult());
    func::ReturnOp::create(b, loc, ValueRange{result});
  }

  auto fn = func::FuncOp::create(
      moduleBuilder, loc, (name + "_batch_parallel").str(),
      FunctionType::get(context, {ptr, ptr, i64, i32}, {i32}));
  OpBuilder b = OpBuilder::atBlockBegin(fn.addEntryBlock());
  Value in = fn.getArgument(0), out = fn.getArgument(1), n = fn.getArgument(2),
        threads = fn.getArgument(3);
  auto c64 = [&](int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 64).getResult();
  };
  auto c32 = [&](int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 32).getResult();
  };
  auto cmp = [&](arith::CmpIPredicate predicate, Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, loc, predicate, lhs, rhs).getResult();
  };
  using P = arith::CmpIPredicate;

  // n < 0, threads < 0 or threads > kMaxBatchThreads: EINVAL.
  Value invalid = arith::OrIOp::create(
      b, loc, cmp(P::slt, n, c64(0)),
      arith::OrIOp::create(b, loc, cmp(P::slt, threads, c32(0)),
                           cmp(P::sgt, threads, c32(kMaxBatchThreads))));
  auto check = scf::IfOp::create(b, loc, TypeRange{i32}, invalid,
                                 /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(check.thenBlock());
  scf::YieldOp::create(b, loc, c32(EINVAL));
  b.setInsertionPointToStart(check.elseBlock());

  // t: the threads asked for, or the online processors (at least 1, at
  // most kMaxBatchThreads), and no more than the blocks of the batch.
  auto sysconf = getLibraryFunction(b, loc, module, "sysconf",
                                    LLVM::LLVMFunctionType::get(i64, {i32}));
  Value online =
      LLVM::CallOp::create(b, loc, sysconf, ValueRange{c32(kScNProcessorsOnln)})
          .getResult();
  online = arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, online, c64(1)),
      c64(kMaxBatchThreads));
  Value asked = arith::ExtSIOp::create(b, loc, i64, threads);
  Value t =
      arith::SelectOp::create(b, loc, cmp(P::eq, asked, c64(0)), online, asked);
  Value block = c64(blockSamples);
  Value blocks = arith::CeilDivSIOp::create(b, loc, n, block);
  t = arith::MaxSIOp::create(b, loc, arith::MinSIOp::create(b, loc, t, blocks),
                             c64(1));
  // Samples per range (whole blocks, at least one), and the ranges that
  // have samples (one when n = 0).
  Value perRange = arith::MulIOp::create(
      b, loc,
      arith::MaxSIOp::create(
          b, loc, arith::CeilDivSIOp::create(b, loc, blocks, t), c64(1)),
      block);
  t = arith::MaxSIOp::create(
      b, loc, arith::CeilDivSIOp::create(b, loc, n, perRange), c64(1));

  Value ranges = LLVM::AllocaOp::create(b, loc, ptr, rangeType, t, 8);
  Value handles = LLVM::AllocaOp::create(b, loc, ptr, i64, t, 8);
  Type f32 = b.getF32Type();
  Value one = c64(1), zero = c64(0);
  scf::ForOp::create(
      b, loc, zero, t, one, ValueRange{},
      [&](OpBuilder &nb, Location l, Value k, ValueRange) {
        Value first = arith::MulIOp::create(nb, l, k, perRange);
        Value count = arith::MinSIOp::create(
            nb, l, perRange, arith::SubIOp::create(nb, l, n, first));
        auto offset = [&](Value base, uint32_t width) {
          return LLVM::GEPOp::create(
              nb, l, ptr, f32, base,
              ArrayRef<LLVM::GEPArg>{
                  arith::MulIOp::create(nb, l, first, c64(width)).getResult()});
        };
        Value values[] = {offset(in, numInputs), offset(out, numOutputs),
                          count};
        for (auto [index, value] : llvm::enumerate(values))
          LLVM::StoreOp::create(
              nb, l, value,
              LLVM::GEPOp::create(nb, l, ptr, rangeType, ranges,
                                  ArrayRef<LLVM::GEPArg>{k, int32_t(index)}));
        scf::YieldOp::create(nb, l);
      });

  // Start ranges 1 .. t-1 until one fails: (error, ranges started + 1).
  auto create = getLibraryFunction(
      b, loc, module, "pthread_create",
      LLVM::LLVMFunctionType::get(i32, {ptr, ptr, ptr, ptr}));
  auto join = getLibraryFunction(b, loc, module, "pthread_join",
                                 LLVM::LLVMFunctionType::get(i32, {i64, ptr}));
  Value start = UnrealizedConversionCastOp::create(
                    b, loc, ptr,
                    func::ConstantOp::create(b, loc, worker.getFunctionType(),
                                             worker.getSymName())
                        .getResult())
                    .getResult(0);
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  auto starting = scf::ForOp::create(
      b, loc, one, t, one, ValueRange{c32(0), one},
      [&](OpBuilder &nb, Location l, Value k, ValueRange state) {
        Value error = state[0], started = state[1];
        auto attempt = scf::IfOp::create(
            nb, l, cmp(P::eq, error, c32(0)),
            [&](OpBuilder &ib, Location il) {
              Value handle = LLVM::GEPOp::create(ib, il, ptr, i64, handles,
                                                 ArrayRef<LLVM::GEPArg>{k});
              Value range = LLVM::GEPOp::create(ib, il, ptr, rangeType, ranges,
                                                ArrayRef<LLVM::GEPArg>{k});
              Value rc =
                  LLVM::CallOp::create(ib, il, create,
                                       ValueRange{handle, null, start, range})
                      .getResult();
              Value next = arith::SelectOp::create(
                  ib, il, cmp(P::eq, rc, c32(0)),
                  arith::AddIOp::create(ib, il, k, one), started);
              scf::YieldOp::create(ib, il, ValueRange{rc, next});
            },
            [&](OpBuilder &ib, Location il) {
              scf::YieldOp::create(ib, il, ValueRange{error, started});
            });
        scf::YieldOp::create(nb, l, attempt.getResults());
      });
  Value error = starting.getResult(0), started = starting.getResult(1);
  // A range's status: the worker's result as an i32.
  auto statusOf = [&](OpBuilder &nb, Location l, Value result) {
    return arith::TruncIOp::create(nb, l, i32,
                                   LLVM::PtrToIntOp::create(nb, l, i64, result))
        .getResult();
  };
  // Range 0 on this thread, unless a thread could not be started.
  auto own = scf::IfOp::create(
      b, loc, cmp(P::eq, error, c32(0)),
      [&](OpBuilder &ib, Location il) {
        Value result = func::CallOp::create(ib, il, worker, ValueRange{ranges})
                           .getResult(0);
        scf::YieldOp::create(ib, il, ValueRange{statusOf(ib, il, result)});
      },
      [&](OpBuilder &ib, Location il) {
        scf::YieldOp::create(ib, il, ValueRange{error});
      });
  // Join the started threads; the status is the first error: a failed
  // start, else the first failed range in order.
  Value result = LLVM::AllocaOp::create(b, loc, ptr, ptr, c64(1), 8);
  auto joining = scf::ForOp::create(
      b, loc, one, started, one, ValueRange{own.getResult(0)},
      [&](OpBuilder &nb, Location l, Value k, ValueRange state) {
        Value handle = LLVM::LoadOp::create(
            nb, l, i64,
            LLVM::GEPOp::create(nb, l, ptr, i64, handles,
                                ArrayRef<LLVM::GEPArg>{k}));
        LLVM::CallOp::create(nb, l, join, ValueRange{handle, result});
        Value status =
            statusOf(nb, l, LLVM::LoadOp::create(nb, l, ptr, result));
        Value first = arith::SelectOp::create(
            nb, l, cmp(P::eq, state[0], c32(0)), status, state[0]);
        scf::YieldOp::create(nb, l, ValueRange{first});
      });
  scf::YieldOp::create(b, loc, joining.getResult(0));
  b.setInsertionPointAfter(check);
  func::ReturnOp::create(b, loc, check.getResult(0));
}

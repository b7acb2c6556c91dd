//===- Epilogue.cpp - The output epilogue after a kernel ------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements emitOutputEpilogue: softmax and log-softmax over the
// output vector a kernel has written, in three passes (the maximum, the sum
// of exponentials, the rewrite), as Graph::evaluate applies them.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

void sffnn::detail::emitOutputEpilogue(Emitter &e, Value out,
                                       uint32_t numOutputs,
                                       OutputEpilogue epilogue) {
  if (epilogue == OutputEpilogue::None || numOutputs == 0)
    return;
  OpBuilder &b = e.b;
  Location loc = e.loc;
  Value zero = e.i64(0), one = e.i64(1), end = e.i64(numOutputs);
  // The maximum: NaN propagates, as in the reference.
  Value largest =
      e.forLoop(one, end, one, e.loadElement(out, zero),
                [&](Value i, ValueRange carried) -> SmallVector<Value> {
                  return {arith::MaximumFOp::create(b, loc, carried[0],
                                                    e.loadElement(out, i))};
                })
          .getResult(0);
  auto shifted = [&](Value i) {
    return arith::SubFOp::create(b, loc, e.loadElement(out, i), largest)
        .getResult();
  };
  Value sum =
      e.forLoop(zero, end, one, e.constant(0.0f),
                [&](Value i, ValueRange carried) -> SmallVector<Value> {
                  Value exp = math::ExpOp::create(b, loc, shifted(i));
                  return {arith::AddFOp::create(b, loc, carried[0], exp)};
                })
          .getResult(0);
  Value scale = epilogue == OutputEpilogue::Softmax
                    ? arith::DivFOp::create(b, loc, e.constant(1.0f), sum)
                    : math::LogOp::create(b, loc, sum).getResult();
  e.forLoop(zero, end, one, {}, [&](Value i, ValueRange) -> SmallVector<Value> {
    Value y = shifted(i);
    Value result = epilogue == OutputEpilogue::Softmax
                       ? arith::MulFOp::create(
                             b, loc, math::ExpOp::create(b, loc, y), scale)
                             .getResult()
                       : arith::SubFOp::create(b, loc, y, scale).getResult();
    e.storeElement(result, out, i);
    return {};
  });
}

//===- StraightKernel.cpp - Plans as straight-line code -------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements emitStraightKernel: one instruction per plan step,
// with constant slots, so that the slots become SSA values (registers after
// LLVM's register allocation) and the weights constants.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

void sffnn::detail::emitStraightKernel(Emitter &e, const KernelProgram &program,
                                       Value inPtr, Value outPtr,
                                       IOCounters counters) {
  std::vector<Value> fm(program.numSlots);
  // The partial sums of an accumulator in the middle of a run of macs; they
  // are added when the accumulator is next read.
  std::vector<SmallVector<Value>> partial(program.numSlots);
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
    spill = e.allocate(program.numSpills);
  size_t nextWeight = 0, nextBias = 0;
  for (const KernelOp &op : program.ops) {
    if (op.kind != KernelOp::Mac)
      settle(op.slot);
    switch (op.kind) {
    case KernelOp::LoadInput:
      fm[op.slot] = e.loadElement(inPtr, e.i64(op.arg));
      e.count(counters.loads, 1);
      break;
    case KernelOp::LoadOutput:
      fm[op.slot] = e.loadElement(outPtr, e.i64(op.arg));
      e.count(counters.loads, 1);
      break;
    case KernelOp::LoadSpill:
      fm[op.slot] = e.loadElement(spill, e.i64(op.arg));
      e.count(counters.loads, 1);
      break;
    case KernelOp::StoreOutput:
      e.storeElement(fm[op.slot], outPtr, e.i64(op.arg));
      e.count(counters.stores, 1);
      break;
    case KernelOp::StoreSpill:
      e.storeElement(fm[op.slot], spill, e.i64(op.arg));
      e.count(counters.stores, 1);
      break;
    case KernelOp::BiasNew:
      fm[op.slot] = e.constant(program.biases[nextBias++]);
      e.count(counters.loads, 1);
      break;
    case KernelOp::Bias:
      fm[op.slot] = arith::AddFOp::create(
          e.b, e.loc, fm[op.slot], e.constant(program.biases[nextBias++]));
      e.count(counters.loads, 1);
      break;
    case KernelOp::MacNew:
    case KernelOp::Mac: {
      Value weight = e.constant(program.weights[nextWeight++]);
      Value source = fm[op.source];
      SmallVector<Value> &sums = partial[op.slot];
      // A run continuing an existing accumulator starts from it.
      if (sums.empty() && op.kind == KernelOp::Mac)
        sums.push_back(fm[op.slot]);
      unsigned chain = runLength[op.slot]++ % kPartialSums;
      if (chain < sums.size())
        sums[chain] = e.fma(weight, source, sums[chain]);
      else
        sums.push_back(arith::MulFOp::create(e.b, e.loc, weight, source));
      e.count(counters.loads, 1);
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

//===- KernelProgram.h - A plan with addresses resolved ---------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares KernelProgram: a plan (include/sffnn/Analysis/Plan.h)
// rewritten for code generation. Slow-memory values get their addresses (an
// input index, an output index or a spill index), weight and bias loads are
// fused into the mac or bias that consumes them (their words stream in plan
// order), and frees disappear. Executing the kernel performs exactly the
// plan's loads and stores. Private to the SFFNNToLoops conversion.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_KERNELPROGRAM_H
#define SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_KERNELPROGRAM_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Analysis/Plan.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace sffnn {
namespace detail {

/// One operation of a kernel. `slot` and `source` are fast-memory slots;
/// `arg` is an address (input, output or spill index) or an activation id.
struct KernelOp {
  enum Kind : uint8_t {
    LoadInput = 0,    ///< fm[slot] = in[arg]
    LoadOutput = 1,   ///< fm[slot] = out[arg] (a stored output, reloaded)
    LoadSpill = 2,    ///< fm[slot] = spill[arg]
    StoreOutput = 3,  ///< out[arg] = fm[slot]
    StoreSpill = 4,   ///< spill[arg] = fm[slot]
    BiasNew = 5,      ///< fm[slot] = next bias
    Bias = 6,         ///< fm[slot] += next bias
    MacNew = 7,       ///< fm[slot] = next weight * fm[source]
    Mac = 8,          ///< fm[slot] += next weight * fm[source]
    Finish = 9,       ///< fm[slot] = activations[arg](fm[slot])
    FinishEmpty = 10, ///< fm[slot] = activations[arg](0)
  };

  Kind kind;
  uint32_t slot = 0;
  uint32_t source = 0;
  uint32_t arg = 0;
};

/// A kernel: operations, the weight and bias streams in the order the
/// operations consume them, the activation table, and the sizes of the
/// buffers the operations address.
struct KernelProgram {
  uint32_t numSlots = 0;
  uint32_t numInputs = 0;
  uint32_t numOutputs = 0;
  uint32_t numSpills = 0;
  std::vector<KernelOp> ops;
  std::vector<float> weights;
  std::vector<float> biases;
  std::vector<Activation> activations;
  /// The plan's I/O counts: what an instrumented kernel counts at run time.
  IOCounts counts;
};

/// Rewrites the plan `plan` of the finalized `graph` (as made by the planner
/// or any legal plan) as a kernel. Errors: the plan is illegal (it is
/// validated first), or more than 2^32 - 1 spill words.
llvm::Expected<KernelProgram> buildKernelProgram(const Graph &graph,
                                                 const Plan &plan);

/// `program` with its slots renamed so that a slot freed by the last read of
/// its value is taken again as late as possible (first freed, first taken),
/// not at once as the planner's free list does. Every value keeps one slot
/// from its definition to its last read, so the program computes the same
/// values with the same loads and stores; what changes is that rows that
/// follow each other rarely write a slot that a recent row read, which lets
/// windows of rows (Rows.h) grow. At most `program.numSlots` values are
/// live at once, so the renamed program needs no more slots.
KernelProgram spreadSlots(const KernelProgram &program);

} // namespace detail
} // namespace sffnn

#endif // SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_KERNELPROGRAM_H

//===- IOBoundsPass.cpp - --sffnn-io-bounds -------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the --sffnn-io-bounds pass: it attaches the counts and
// the I/O bounds of every network as the `sffnn.io_bounds` dictionary and
// optionally prints them as a table.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/IR/NetworkGraph.h"
#include "sffnn/IR/SFFNNOps.h"
#include "sffnn/Support/HostInfo.h"
#include "sffnn/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace sffnn {
#define GEN_PASS_DEF_IOBOUNDS
#include "sffnn/Transforms/Passes.h.inc"
} // namespace sffnn

using namespace mlir;
using namespace sffnn;

namespace {

/// The name of the attribute the pass attaches.
constexpr llvm::StringLiteral kIOBoundsAttrName = "sffnn.io_bounds";

DictionaryAttr getBoundsAttr(Builder &builder, const IOBounds &bounds) {
  const GraphCounts &c = bounds.counts;
  auto entry = [&](StringRef name, uint64_t value) {
    return builder.getNamedAttr(name, builder.getI64IntegerAttr(value));
  };
  return builder.getDictionaryAttr({
      entry("fast_memory", bounds.fastMemory),
      entry("neurons", c.numNeurons),
      entry("inputs", c.numInputs),
      entry("used_inputs", c.numUsedInputs),
      entry("computed", c.numComputed),
      entry("outputs", c.numOutputs),
      entry("connections", c.numConnections),
      entry("nonzero_biases", c.numNonZeroBiases),
      entry("lower_bound", bounds.lowerBound),
      entry("weight_traffic", bounds.weightTraffic),
      entry("activation_lower_bound", bounds.activationLowerBound),
      entry("upper_bound", bounds.twoOptimal.getTotal()),
      entry("upper_bound_activation", bounds.twoOptimal.getActivationTraffic()),
      entry("closed_form_upper_bound", bounds.closedFormUpperBound),
  });
}

/// Prints `value / lowerBound` with two decimals, or "-" when LB is 0.
void printRatio(llvm::raw_ostream &os, uint64_t value, uint64_t lowerBound) {
  if (lowerBound == 0)
    os << llvm::format("%8s", "-");
  else
    os << llvm::format("%8.2f", double(value) / double(lowerBound));
}

void printReport(llvm::raw_ostream &os, StringRef name,
                 const IOBounds &bounds) {
  const GraphCounts &c = bounds.counts;
  os << "network @" << name
     << ": I/O in words, fast memory M = " << bounds.fastMemory << "\n";
  os << "  N = " << c.numNeurons << ", n_in = " << c.numInputs
     << ", n_in' = " << c.numUsedInputs << ", |C| = " << c.numComputed
     << ", n_out = " << c.numOutputs << ", W = " << c.numConnections
     << ", B = " << c.numNonZeroBiases << "\n";
  os << llvm::format("  %-28s %10s %10s %10s %8s %8s\n", "", "total", "weight",
                     "activation", "/LB", "act/LB");
  auto row = [&](StringRef label, uint64_t total, uint64_t activation) {
    os << llvm::format("  %-28s %10llu %10llu %10llu", label.str().c_str(),
                       (unsigned long long)total,
                       (unsigned long long)(total - activation),
                       (unsigned long long)activation);
    printRatio(os, total, bounds.lowerBound);
    printRatio(os, activation, bounds.activationLowerBound);
    os << "\n";
  };
  row("lower bound LB", bounds.lowerBound, bounds.activationLowerBound);
  row("two-optimal plan UB(M)", bounds.twoOptimal.getTotal(),
      bounds.twoOptimal.getActivationTraffic());
  row("closed form 2W + B + |C|", bounds.closedFormUpperBound,
      bounds.closedFormUpperBound - bounds.weightTraffic);
}

struct IOBoundsPass : public sffnn::impl::IOBoundsBase<IOBoundsPass> {
  using IOBoundsBase::IOBoundsBase;

  void runOnOperation() override {
    uint32_t m =
        fastMemory ? uint32_t(fastMemory) : getDefaultFastMemoryWords();
    if (llvm::Error error = checkFastMemory(m)) {
      getOperation().emitError() << llvm::toString(std::move(error));
      return signalPassFailure();
    }
    Builder builder(&getContext());
    bool failedAny = false;
    getOperation().walk([&](NetworkOp network) {
      const auto &analysis = getChildAnalysis<NetworkGraph>(network);
      if (!analysis.isValid()) {
        failedAny = true;
        return;
      }
      llvm::Expected<IOBounds> bounds = computeIOBounds(analysis.getGraph(), m);
      if (!bounds) {
        network.emitOpError()
            << "cannot be analysed: " << llvm::toString(bounds.takeError());
        failedAny = true;
        return;
      }
      network->setAttr(kIOBoundsAttrName, getBoundsAttr(builder, *bounds));
      if (report)
        printReport(llvm::outs(), network.getSymName(), *bounds);
    });
    llvm::outs().flush();
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace

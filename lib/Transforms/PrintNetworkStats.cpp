//===- PrintNetworkStats.cpp - --sffnn-print-network-stats ----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the --sffnn-print-network-stats pass, which prints the
// I/O model's counts of every network in a module.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/NetworkGraph.h"
#include "sffnn/IR/SFFNNOps.h"
#include "sffnn/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

namespace sffnn {
#define GEN_PASS_DEF_PRINTNETWORKSTATS
#include "sffnn/Transforms/Passes.h.inc"
} // namespace sffnn

using namespace mlir;
using namespace sffnn;

namespace {

struct PrintNetworkStatsPass
    : public sffnn::impl::PrintNetworkStatsBase<PrintNetworkStatsPass> {
  void runOnOperation() override {
    llvm::raw_ostream &os = llvm::outs();
    bool failedAny = false;
    getOperation().walk([&](NetworkOp network) {
      const auto &analysis = getChildAnalysis<NetworkGraph>(network);
      if (!analysis.isValid()) {
        failedAny = true;
        return;
      }
      const Graph &graph = analysis.getGraph();
      GraphCounts counts = graph.getCounts();
      os << "network @" << network.getSymName() << ": ";
      if (graph.getLayout().layers.empty())
        os << "neuron-level\n";
      else
        os << "layered, " << graph.getLayout().layers.size() << " layers\n";
      os << "  N      = " << counts.numNeurons << "\n"
         << "  n_in   = " << counts.numInputs << "\n"
         << "  n_in'  = " << counts.numUsedInputs << "\n"
         << "  |C|    = " << counts.numComputed << "\n"
         << "  n_out  = " << counts.numOutputs << "\n"
         << "  W      = " << counts.numConnections << "\n"
         << "  B      = " << counts.numNonZeroBiases << "\n";
    });
    os.flush();
    if (failedAny)
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace

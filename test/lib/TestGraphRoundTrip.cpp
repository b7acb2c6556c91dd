//===- TestGraphRoundTrip.cpp - --sffnn-test-graph-roundtrip --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements a test pass that replaces every sffnn.network by the
// network rebuilt from its Graph (IR -> Graph -> IR), so lit tests can check
// that the conversions are lossless.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/GraphConversion.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace sffnn;

namespace {

struct TestGraphRoundTripPass
    : public PassWrapper<TestGraphRoundTripPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestGraphRoundTripPass)

  TestGraphRoundTripPass() = default;
  TestGraphRoundTripPass(const TestGraphRoundTripPass &pass)
      : PassWrapper(pass) {}

  StringRef getArgument() const final { return "sffnn-test-graph-roundtrip"; }
  StringRef getDescription() const final {
    return "Rebuild every sffnn.network from its Graph (IR -> Graph -> IR)";
  }

  Option<int64_t> inlineLimit{
      *this, "inline-limit",
      llvm::cl::desc("Arrays larger than this become dense_resource blobs"),
      llvm::cl::init(NetworkBuildOptions().inlineLimit)};

  void runOnOperation() override {
    SmallVector<NetworkOp> networks(getOperation().getOps<NetworkOp>());
    for (NetworkOp network : networks) {
      FailureOr<Graph> graph = buildGraph(network);
      if (failed(graph))
        return signalPassFailure();
      OpBuilder builder(network);
      NetworkBuildOptions options;
      options.inlineLimit = inlineLimit;
      NetworkOp rebuilt = buildNetwork(builder, network.getLoc(),
                                       network.getSymName(), *graph, options);
      if (!rebuilt)
        return signalPassFailure();
      network.erase();
    }
  }
};

} // namespace

namespace sffnn::test {
void registerTestPasses() { PassRegistration<TestGraphRoundTripPass>(); }
} // namespace sffnn::test

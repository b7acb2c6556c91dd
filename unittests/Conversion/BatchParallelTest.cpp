//===- BatchParallelTest.cpp - NAME_batch on several threads --------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// The thread guarantees of the generated functions (docs/codegen.md,
// "Threads"):
//
//  - NAME_batch_parallel gives the same bits as one NAME_batch call, for
//    every thread count (0: the online cores) and batch size, including
//    batches of fewer blocks than threads and of no sample at all;
//  - it rejects n < 0 and thread counts out of range with EINVAL, writing
//    nothing;
//  - NAME_batch runs concurrently on disjoint ranges of whole blocks, from
//    the application's own threads, with the same bits;
//  - instrumented counters count every block of every thread.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Conversion/SFFNNToLoops.h"
#include "sffnn/Generators/Generators.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/InitAllDialects.h"
#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Target/Jit.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

using namespace mlir;
using namespace sffnn;

namespace {

constexpr int64_t kBlock = 16;

class BatchParallelTest : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerLLVMTranslations(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();

    LayeredOptions layered;
    layered.widths = {37, 64, 48, 11};
    layered.fanIn = 12;
    layered.seed = 3;
    llvm::Expected<Graph> generated = generateLayered(layered);
    ASSERT_TRUE(static_cast<bool>(generated))
        << llvm::toString(generated.takeError());
    graph = std::move(*generated);

    OpBuilder builder(&context);
    Location loc = builder.getUnknownLoc();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    ASSERT_TRUE(buildNetwork(builder, loc, "net", graph));
    PassManager pm(&context);
    LowerToLLVMOptions options;
    std::optional<CodegenMode> codegen = symbolizeCodegenMode(GetParam());
    ASSERT_TRUE(codegen);
    options.codegen = *codegen;
    options.fastMemory = 24;
    options.batchBlock = kBlock;
    options.batchFastMemory = 24;
    options.instrumentIO = GetParam() != "csr";
    buildLowerToLLVMPipeline(pm, options);
    ASSERT_TRUE(succeeded(pm.run(*module)));
    auto lowered = (*module)->getAttrOfType<ArrayAttr>("sffnn.lowered");
    ASSERT_TRUE(lowered);
    report = cast<DictionaryAttr>(lowered[0]);

    llvm::Expected<std::unique_ptr<JitModule>> compiled =
        JitModule::create(*module);
    ASSERT_TRUE(static_cast<bool>(compiled))
        << llvm::toString(compiled.takeError());
    jit = std::move(*compiled);
    auto batchFunction = jit->getBatch("net");
    auto parallelFunction = jit->getParallelBatch("net");
    ASSERT_TRUE(batchFunction && parallelFunction);
    batch = *batchFunction;
    parallel = *parallelFunction;
  }

  /// `samples` inputs, uniform in [-2, 2).
  std::vector<float> makeInputs(int64_t samples) {
    std::mt19937_64 rng(11);
    std::vector<float> in(samples * graph.getNumInputs());
    for (float &x : in)
      x = -2.0f + 4.0f * float((rng() >> 11) * 0x1.0p-53);
    return in;
  }

  /// Outputs of one NAME_batch call.
  std::vector<float> runBatch(const std::vector<float> &in, int64_t samples) {
    std::vector<float> out(samples * graph.getNumOutputs(), -1.0f);
    batch(in.data(), out.data(), samples);
    return out;
  }

  MLIRContext context;
  Graph graph{1};
  OwningOpRef<ModuleOp> module;
  DictionaryAttr report;
  std::unique_ptr<JitModule> jit;
  BatchFunction batch = nullptr;
  ParallelBatchFunction parallel = nullptr;
};

TEST_P(BatchParallelTest, SameBitsAsOneCall) {
  // 0 samples, less than a block, a few blocks and a partial one, many.
  for (int64_t samples :
       {int64_t(0), int64_t(5), 3 * kBlock + 7, 40 * kBlock + 3}) {
    std::vector<float> in = makeInputs(samples);
    std::vector<float> expected = runBatch(in, samples);
    for (int32_t threads : {0, 1, 2, 3, 7, 64}) {
      SCOPED_TRACE("samples " + std::to_string(samples) + ", threads " +
                   std::to_string(threads));
      // One sentinel past the end: nothing may be written there.
      std::vector<float> out(samples * graph.getNumOutputs() + 1, -1.0f);
      EXPECT_EQ(parallel(in.data(), out.data(), samples, threads), 0);
      EXPECT_EQ(std::memcmp(out.data(), expected.data(),
                            expected.size() * sizeof(float)),
                0);
      EXPECT_EQ(out.back(), -1.0f);
    }
  }
}

TEST_P(BatchParallelTest, RejectsBadArguments) {
  std::vector<float> in = makeInputs(kBlock);
  std::vector<float> out(kBlock * graph.getNumOutputs(), -1.0f);
  EXPECT_EQ(parallel(in.data(), out.data(), -1, 2), EINVAL);
  EXPECT_EQ(parallel(in.data(), out.data(), kBlock, -1), EINVAL);
  EXPECT_EQ(parallel(in.data(), out.data(), kBlock, kMaxBatchThreads + 1),
            EINVAL);
  for (float value : out)
    EXPECT_EQ(value, -1.0f);
}

TEST_P(BatchParallelTest, ConcurrentCallsOnDisjointRanges) {
  const int64_t samples = 24 * kBlock + 9;
  std::vector<float> in = makeInputs(samples);
  std::vector<float> expected = runBatch(in, samples);
  std::vector<float> out(samples * graph.getNumOutputs(), -1.0f);
  // Four threads, ranges of 6 blocks (the last one takes the rest); every
  // thread calls NAME_batch many times so that the calls overlap.
  const int64_t range = 6 * kBlock;
  std::vector<std::thread> workers;
  for (int64_t first = 0; first < samples; first += range) {
    workers.emplace_back([&, first] {
      int64_t count = std::min(range, samples - first);
      for (int repeat = 0; repeat < 50; ++repeat)
        batch(in.data() + first * graph.getNumInputs(),
              out.data() + first * graph.getNumOutputs(), count);
    });
  }
  for (std::thread &worker : workers)
    worker.join();
  EXPECT_EQ(
      std::memcmp(out.data(), expected.data(), expected.size() * sizeof(float)),
      0);
}

TEST_P(BatchParallelTest, CountersCountEveryThread) {
  if (GetParam() == "csr")
    GTEST_SKIP() << "csr is not instrumented";
  auto loads = jit->getCounter("net", "loads");
  auto stores = jit->getCounter("net", "stores");
  ASSERT_TRUE(loads && stores);
  // 32 whole blocks: each executes the batch plan once.
  const int64_t blocks = 32;
  std::vector<float> in = makeInputs(blocks * kBlock);
  std::vector<float> out(blocks * kBlock * graph.getNumOutputs());
  **loads = 0;
  **stores = 0;
  for (int repeat = 0; repeat < 20; ++repeat)
    ASSERT_EQ(parallel(in.data(), out.data(), blocks * kBlock, 4), 0);
  EXPECT_EQ(**loads,
            20 * blocks *
                cast<IntegerAttr>(report.get("batch_plan_loads")).getInt());
  EXPECT_EQ(**stores,
            20 * blocks *
                cast<IntegerAttr>(report.get("batch_plan_stores")).getInt());
}

INSTANTIATE_TEST_SUITE_P(Modes, BatchParallelTest,
                         ::testing::Values("loops", "csr"));

} // namespace

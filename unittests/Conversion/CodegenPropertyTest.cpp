//===- CodegenPropertyTest.cpp - Generated code against the reference -----===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// The property test of the code generator: random networks (every
// activation, skip connections, several outputs, layered and neuron-level
// IR) are lowered with every codegen mode, every scheduling strategy and
// several fast-memory sizes, compiled in memory, and run:
//
//  - outputs equal Graph::evaluate (double precision) within 1e-5, relative
//    to max(1, |reference|) (NaN or the same infinity where it is: some
//    inputs are infinite or NaN);
//  - NAME_batch (the loops kernel of the batch plan) equals the reference
//    as NAME does, through full blocks of 16 samples, a full block of 8 and
//    a last partial block; where both functions run the same arithmetic
//    (csr) they agree bit for bit;
//  - the instrumented single-sample function counts exactly the plan's
//    loads and stores, and one block of NAME_batch the batch plan's.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/GraphConversion.h"
#include "sffnn/InitAllDialects.h"
#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Target/Jit.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <array>
#include <cmath>
#include <random>

using namespace mlir;
using namespace sffnn;

namespace {

/// Uniform in [lo, hi).
float uniform(std::mt19937_64 &rng, float lo, float hi) {
  return lo + (hi - lo) * float((rng() >> 11) * 0x1.0p-53);
}

Activation randomActivation(std::mt19937_64 &rng) {
  switch (rng() % 6) {
  case 0:
    return Activation::identity();
  case 1:
    return Activation::relu();
  case 2: {
    float lo = uniform(rng, -1.0f, 0.0f);
    return Activation::clamp(lo, lo + uniform(rng, 0.1f, 2.0f));
  }
  case 3:
    return Activation::sigmoid();
  case 4:
    return Activation::tanh();
  default:
    return Activation::leakyRelu(uniform(rng, 0.01f, 0.5f));
  }
}

/// The sizes of a random network: at most so many inputs, layers, neurons
/// a layer and sources a neuron; with `identity`, no other activation.
struct Shape {
  uint32_t inputs = 6, layers = 4, width = 6, fanIn = 5;
  bool identity = false;
};

/// A random layered network with skip connections: every neuron of layer l
/// reads up to `shape.fanIn` sources from any earlier layer (inputs
/// included), layers share an activation, outputs are the last layer plus
/// some earlier neurons. With `layered`, the layout makes the IR layered
/// (each layer reads every earlier vector); otherwise the IR is one
/// sffnn.graph op.
Graph makeRandomNetwork(std::mt19937_64 &rng, bool layered,
                        const Shape &shape = {}) {
  uint32_t numInputs = 1 + rng() % shape.inputs;
  uint32_t numLayers = 1 + rng() % shape.layers;
  Graph graph(numInputs);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {numInputs};
  std::vector<uint32_t> allValues = {0};
  for (uint32_t l = 0; l < numLayers; ++l) {
    uint32_t width = 1 + rng() % shape.width;
    Activation activation =
        shape.identity ? Activation::identity() : randomActivation(rng);
    NeuronId begin = graph.getNumNeurons();
    for (uint32_t i = 0; i < width; ++i) {
      graph.addNeuron(rng() % 3 ? uniform(rng, -0.5f, 0.5f) : 0.0f, activation);
      std::vector<NeuronId> sources;
      for (uint32_t k = 0, fanIn = rng() % (shape.fanIn + 1); k < fanIn; ++k) {
        NeuronId u = rng() % begin;
        if (std::find(sources.begin(), sources.end(), u) == sources.end())
          sources.push_back(u);
      }
      std::sort(sources.begin(), sources.end());
      for (NeuronId u : sources) {
        float w = uniform(rng, -1.0f, 1.0f);
        graph.addFanIn(u, std::abs(w) < 1e-3f ? 0.5f : w);
      }
    }
    layout.layers.push_back({begin, graph.getNumNeurons(), allValues});
    allValues.push_back(allValues.size());
  }
  // Outputs: the last layer (one result) and, sometimes, a whole earlier
  // layer (a second result).
  const GraphLayout::Layer &last = layout.layers.back();
  std::vector<uint32_t> results;
  if (numLayers > 1 && rng() % 2) {
    uint32_t earlier = rng() % (numLayers - 1);
    const GraphLayout::Layer &layer = layout.layers[earlier];
    for (NeuronId v = layer.begin; v < layer.end; ++v)
      graph.addOutput(v);
    layout.results.push_back(1 + earlier);
    layout.resultSizes.push_back(layer.end - layer.begin);
  }
  for (NeuronId v = last.begin; v < last.end; ++v)
    graph.addOutput(v);
  layout.results.push_back(numLayers);
  layout.resultSizes.push_back(last.end - last.begin);
  if (!layered)
    layout.layers.clear();
  EXPECT_FALSE(static_cast<bool>(graph.finalize()));
  return graph;
}

struct Config {
  std::string codegen;
  std::string strategy;
  uint32_t fastMemory;
  /// M of the batch plan in blocks; 0: the same as fastMemory.
  uint32_t batchFastMemory = 0;
  /// How the single-sample loops kernel runs its rows.
  std::string rowGroups = "auto";
  /// Rows per tile of the batch loops kernel (0: the cost model's choice).
  uint32_t batchTileRows = 0;
  /// Inputs are sometimes infinite or NaN.
  bool nonFinite = false;
  /// Kernel operations up to which auto emits straight-line code.
  uint64_t straightLimit = kDefaultStraightLimit;
};

class CodegenPropertyTest : public ::testing::Test {
protected:
  CodegenPropertyTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerLLVMTranslations(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Lowers `graphs` (as networks net0, net1, ...) with `config`, runs them
  /// and checks the three properties. Returns the `sffnn.lowered` reports
  /// (null when lowering failed).
  ArrayAttr check(const std::vector<Graph> &graphs, const Config &config) {
    ArrayAttr lowered;
    checkInto(graphs, config, lowered);
    return lowered;
  }

  void checkInto(const std::vector<Graph> &graphs, const Config &config,
                 ArrayAttr &lowered) {
    SCOPED_TRACE(config.codegen + " / " + config.strategy +
                 " / M = " + std::to_string(config.fastMemory) +
                 " / batch M = " + std::to_string(config.batchFastMemory) +
                 " / row groups " + config.rowGroups + " / batch tile rows " +
                 std::to_string(config.batchTileRows));
    // The loops kernels of one sample and of blocks may sum a row in
    // different orders (their partial sums follow the row lengths and the
    // vector width), so only csr runs the same arithmetic in both.
    const bool sameKernel = config.codegen == "csr";
    OpBuilder builder(&context);
    Location loc = builder.getUnknownLoc();
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    for (auto [i, graph] : llvm::enumerate(graphs))
      ASSERT_TRUE(buildNetwork(builder, loc, "net" + std::to_string(i), graph));

    PassManager pm(&context);
    LowerToLLVMOptions options;
    std::optional<CodegenMode> codegen = symbolizeCodegenMode(config.codegen);
    std::optional<RowGroups> rowGroups = symbolizeRowGroups(config.rowGroups);
    ASSERT_TRUE(codegen && rowGroups);
    if (!config.strategy.empty()) {
      std::optional<Strategy> strategy = symbolizeStrategy(config.strategy);
      ASSERT_TRUE(strategy);
      options.strategy = *strategy;
    }
    options.fastMemory = config.fastMemory;
    options.codegen = *codegen;
    options.iterations = 300;
    options.instrumentIO = *codegen != CodegenMode::Csr;
    options.rowGroups = *rowGroups;
    options.batchTileRows = config.batchTileRows;
    options.straightLimit = config.straightLimit;
    // Blocks of 16 samples and remainder blocks of 8, whatever the host;
    // the batch plan has the same M as the single-sample one unless the
    // configuration says otherwise.
    options.batchBlock = 16;
    options.batchFastMemory =
        config.batchFastMemory ? config.batchFastMemory : config.fastMemory;
    buildLowerToLLVMPipeline(pm, options);
    ASSERT_TRUE(succeeded(pm.run(*module)));
    lowered = (*module)->getAttrOfType<ArrayAttr>("sffnn.lowered");
    ASSERT_TRUE(lowered);

    llvm::Expected<std::unique_ptr<JitModule>> jit = JitModule::create(*module);
    ASSERT_TRUE(static_cast<bool>(jit)) << llvm::toString(jit.takeError());

    std::mt19937_64 rng(99);
    for (auto [i, graph] : llvm::enumerate(graphs)) {
      std::string name = "net" + std::to_string(i);
      SCOPED_TRACE(name);
      auto single = (*jit)->getSingle(name);
      auto batch = (*jit)->getBatch(name);
      ASSERT_TRUE(single && batch);
      const uint32_t numIn = graph.getNumInputs();
      const uint32_t numOut = graph.getNumOutputs();
      // Two blocks of 16, a block of 8 and a partial block of 3.
      const int64_t samples = 43;
      std::vector<float> in(samples * numIn);
      for (float &x : in) {
        x = uniform(rng, -2.0f, 2.0f);
        if (config.nonFinite && rng() % 10 == 0)
          x = std::array{INFINITY, -INFINITY, NAN}[rng() % 3];
      }
      std::vector<float> batchOut(samples * numOut, -1.0f);
      (*batch)(in.data(), batchOut.data(), samples);
      for (int64_t s = 0; s < samples; ++s) {
        std::vector<float> out(numOut, -1.0f);
        (*single)(in.data() + s * numIn, out.data());
        std::vector<double> x(in.begin() + s * numIn,
                              in.begin() + (s + 1) * numIn);
        std::vector<double> reference = graph.evaluate(x);
        for (uint32_t k = 0; k < numOut; ++k) {
          EXPECT_TRUE(near(out[k], reference[k]))
              << "sample " << s << ", output " << k;
          EXPECT_TRUE(near(batchOut[s * numOut + k], reference[k]))
              << "batch: sample " << s << ", output " << k;
          if (sameKernel) {
            EXPECT_EQ(llvm::bit_cast<uint32_t>(out[k]),
                      llvm::bit_cast<uint32_t>(batchOut[s * numOut + k]))
                << "batch differs: sample " << s << ", output " << k;
          }
        }
      }
      if (config.codegen == "csr")
        continue;
      auto report = cast<DictionaryAttr>(lowered[i]);
      auto loads = (*jit)->getCounter(name, "loads");
      auto stores = (*jit)->getCounter(name, "stores");
      ASSERT_TRUE(loads && stores);
      **loads = 0;
      **stores = 0;
      std::vector<float> out(numOut);
      (*single)(in.data(), out.data());
      EXPECT_EQ(**loads, cast<IntegerAttr>(report.get("plan_loads")).getInt());
      EXPECT_EQ(**stores,
                cast<IntegerAttr>(report.get("plan_stores")).getInt());
      // One block of 16 samples executes the batch plan once.
      **loads = 0;
      **stores = 0;
      (*batch)(in.data(), batchOut.data(), 16);
      EXPECT_EQ(**loads,
                cast<IntegerAttr>(report.get("batch_plan_loads")).getInt());
      EXPECT_EQ(**stores,
                cast<IntegerAttr>(report.get("batch_plan_stores")).getInt());
    }
  }

  /// Within 1e-5 of `reference`, relative to max(1, |reference|); NaN or
  /// the same infinity where `reference` is.
  static ::testing::AssertionResult near(float value, double reference) {
    bool ok = std::isnan(reference) ? std::isnan(value)
              : std::isinf(reference)
                  ? double(value) == reference
                  : std::abs(double(value) - reference) <=
                        1e-5 * std::max(1.0, std::abs(reference));
    if (ok)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << value << " is not near the reference " << reference << ": ";
  }

  MLIRContext context;
};

/// The random networks every configuration runs: 200 of them, half in the
/// layered form.
const std::vector<Graph> &getNetworks() {
  static const std::vector<Graph> graphs = [] {
    std::mt19937_64 rng(7);
    std::vector<Graph> result;
    for (int i = 0; i < 200; ++i)
      result.push_back(makeRandomNetwork(rng, i % 2 == 0));
    return result;
  }();
  return graphs;
}

// One test per codegen mode and strategy, so that lit runs them in parallel.
#define SFFNN_CODEGEN_TEST(NAME, CODEGEN, STRATEGY)                            \
  TEST_F(CodegenPropertyTest, NAME) {                                          \
    for (uint32_t m : {3u, 16u})                                               \
      check(getNetworks(), {CODEGEN, STRATEGY, m});                            \
  }
SFFNN_CODEGEN_TEST(StraightLayerwise, "straight", "layerwise")
SFFNN_CODEGEN_TEST(StraightTwoOptimal, "straight", "two-optimal")
SFFNN_CODEGEN_TEST(StraightGreedy, "straight", "greedy")
SFFNN_CODEGEN_TEST(StraightAnneal, "straight", "anneal")
SFFNN_CODEGEN_TEST(LoopsLayerwise, "loops", "layerwise")
SFFNN_CODEGEN_TEST(LoopsTwoOptimal, "loops", "two-optimal")
SFFNN_CODEGEN_TEST(LoopsGreedy, "loops", "greedy")
SFFNN_CODEGEN_TEST(LoopsAnneal, "loops", "anneal")
#undef SFFNN_CODEGEN_TEST

// The batch plan with its own M, smaller or larger than the single one.
TEST_F(CodegenPropertyTest, LoopsOwnBatchPlan) {
  check(getNetworks(), {"loops", "two-optimal", 16, 3});
  check(getNetworks(), {"straight", "anneal", 3, 7});
}

// Rows in groups, whatever the cost model says: gather columns only, and
// permute columns only (gather columns where the host has no AVX-512). M = 3
// puts I/O events between most rows, M = 16 lets windows grow.
TEST_F(CodegenPropertyTest, LoopsGroupsGather) {
  for (uint32_t m : {3u, 16u})
    check(getNetworks(), {"loops", "two-optimal", m, 0, "gather"});
}

TEST_F(CodegenPropertyTest, LoopsGroupsPermute) {
  for (uint32_t m : {3u, 16u})
    check(getNetworks(), {"loops", "anneal", m, 0, "permute"});
}

// The batch kernel in tiles of rows, whatever the cost model says: 2 rows a
// tile with I/O events between most rows (M = 3), and 3 rows a tile (a
// short last tile writes the sink) with windows that grow (M = 16).
TEST_F(CodegenPropertyTest, LoopsBatchTiles) {
  check(getNetworks(), {"loops", "two-optimal", 3, 3, "none", 2});
  check(getNetworks(), {"loops", "anneal", 16, 16, "none", 3});
}

// Auto: straight or loops for one sample; for blocks, the plan's rows or
// tiles when it evicts (M_B = 3), csr with the plan's counts when every
// value fits (M_B = 1024).
TEST_F(CodegenPropertyTest, AutoBatch) {
  check(getNetworks(), {"auto", "two-optimal", 3, 3});
  check(getNetworks(), {"auto", "greedy", 16, 1024});
}

// Auto for one sample past the straight-line limit: where the plan never
// evicts (M = 64) and no groups pay off, csr or the plan's rows, as the
// frame cache model says; both occur among the networks, and either
// counts the plan's loads and stores.
TEST_F(CodegenPropertyTest, AutoSample) {
  ArrayAttr lowered = check(getNetworks(), {"auto", "anneal", 64, 64, "none", 0,
                                            false, /*straightLimit=*/0});
  ASSERT_TRUE(lowered);
  unsigned csr = 0, loops = 0;
  for (Attribute entry : lowered) {
    auto report = cast<DictionaryAttr>(entry);
    if (cast<IntegerAttr>(report.get("csr_frame_misses")).getInt() == 0)
      continue;
    StringRef codegen = cast<StringAttr>(report.get("codegen")).getValue();
    csr += codegen == "csr";
    loops += codegen == "loops";
  }
  EXPECT_GT(csr, 0u);
  EXPECT_GT(loops, 0u);
}

// Infinite and NaN inputs reach the rows that read them and no other:
// padding (zero weights reading the zero, permute lanes past a block)
// never multiplies them. Wide networks (up to 100 inputs, rows of up to 12
// macs), so that a group reads several permute blocks and rows get several
// partial sums, with identity activations (what an activation does with
// NaN is not the kernels' concern). The batch kernel runs rows one at a
// time: its tiles give a row without a column's weight a zero weight
// (docs/codegen.md, "Correctness").
TEST_F(CodegenPropertyTest, NonFiniteInputs) {
  std::mt19937_64 rng(11);
  std::vector<Graph> graphs;
  for (int i = 0; i < 40; ++i)
    graphs.push_back(
        makeRandomNetwork(rng, i % 2 == 0, {100, 3, 40, 12, true}));
  for (const char *groups : {"permute", "gather", "none"}) {
    check(graphs, {"loops", "anneal", 40, 40, groups, 1, true});
    check(graphs, {"loops", "two-optimal", 3, 3, groups, 1, true});
  }
  check(graphs, {"straight", "layerwise", 16, 16, "auto", 1, true});
  check(graphs, {"csr", "", 0, 0, "auto", 0, true});
}

TEST_F(CodegenPropertyTest, LayerwiseCsr) {
  check(getNetworks(), {"csr", "", 0});
}

} // namespace

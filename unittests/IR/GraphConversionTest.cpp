//===- GraphConversionTest.cpp - IR <-> Graph conversions -----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// Tests that Graph -> IR -> text -> IR -> Graph gives back the same graph,
// edge for edge, in the layered and the neuron-level form, with inline arrays
// and with resource blobs.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/SFFNNDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace sffnn;

namespace {

class GraphConversionTest : public ::testing::Test {
protected:
  GraphConversionTest() { context.loadDialect<SFFNNDialect>(); }

  /// Builds a module holding `graph` as network @net, checks it verifies,
  /// prints it, parses the text back and returns the rebuilt graph.
  Graph roundTrip(const Graph &graph, NetworkBuildOptions options = {},
                  std::string *text = nullptr) {
    OpBuilder builder(&context);
    Location loc = builder.getUnknownLoc();
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    NetworkOp network = buildNetwork(builder, loc, "net", graph, options);
    EXPECT_TRUE(network);
    EXPECT_TRUE(succeeded(verify(*module)));

    std::string printed;
    llvm::raw_string_ostream os(printed);
    module->print(os);
    if (text)
      *text = printed;

    OwningOpRef<ModuleOp> parsed =
        parseSourceString<ModuleOp>(printed, &context);
    EXPECT_TRUE(parsed);
    auto parsedNetwork = *parsed->getOps<NetworkOp>().begin();
    FailureOr<Graph> rebuilt = buildGraph(parsedNetwork);
    EXPECT_TRUE(succeeded(rebuilt));
    return std::move(*rebuilt);
  }

  MLIRContext context;
};

/// Expects two graphs to have the same neurons, edges (in order), weights,
/// biases, activations and outputs.
void expectSameGraph(const Graph &expected, const Graph &actual) {
  ASSERT_EQ(expected.getNumInputs(), actual.getNumInputs());
  ASSERT_EQ(expected.getNumNeurons(), actual.getNumNeurons());
  EXPECT_EQ(expected.getCounts(), actual.getCounts());
  for (NeuronId v = expected.getNumInputs(); v < expected.getNumNeurons();
       ++v) {
    EXPECT_EQ(expected.getFanIn(v), actual.getFanIn(v)) << "neuron " << v;
    EXPECT_EQ(expected.getFanInWeights(v), actual.getFanInWeights(v))
        << "neuron " << v;
    EXPECT_EQ(expected.getBias(v), actual.getBias(v)) << "neuron " << v;
    EXPECT_EQ(expected.getActivation(v), actual.getActivation(v))
        << "neuron " << v;
  }
  EXPECT_EQ(expected.getOutputs(), actual.getOutputs());
}

/// A layered network with a skip connection: inputs 0..2; layer 1 = neurons
/// 3, 4 over the input; layer 2 = neurons 5, 6 over (layer 1, input).
Graph makeLayeredGraph() {
  Graph graph(3);
  graph.addNeuron(0.5f, Activation::relu()); // 3
  graph.addFanIn(0, 1.0f);
  graph.addFanIn(2, -2.0f);
  graph.addNeuron(0.0f, Activation::relu()); // 4
  graph.addFanIn(1, 3.0f);
  graph.addNeuron(0.0f, Activation::clamp(0.0f, 32.0f)); // 5
  graph.addFanIn(3, 1.0f);
  graph.addFanIn(4, 2.0f);
  graph.addFanIn(0, 0.25f);
  graph.addNeuron(-1.0f, Activation::clamp(0.0f, 32.0f)); // 6
  graph.addFanIn(4, -1.0f);
  graph.addFanIn(2, 4.0f);
  graph.addOutput(5);
  graph.addOutput(6);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {3};
  layout.layers = {{3, 5, {0}}, {5, 7, {1, 0}}};
  layout.results = {2};
  layout.resultSizes = {2};
  return graph;
}

TEST_F(GraphConversionTest, LayeredRoundTripKeepsLayersAndEdges) {
  Graph graph = makeLayeredGraph();
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  std::string text;
  Graph rebuilt = roundTrip(graph, {}, &text);
  ASSERT_FALSE(static_cast<bool>(rebuilt.finalize()));
  expectSameGraph(graph, rebuilt);
  EXPECT_EQ(rebuilt.getLayout().layers.size(), 2u);
  EXPECT_EQ(rebuilt.getLayout().layers[1].operands,
            std::vector<uint32_t>({1, 0}));
  // Layer 2's columns are (neuron 3, neuron 4, input 0, input 1, input 2).
  EXPECT_NE(text.find("weights #sffnn.csr<2x5, [[0: 1.000000e+00, 1: "
                      "2.000000e+00, 2: 2.500000e-01], [1: -1.000000e+00, 4: "
                      "4.000000e+00]]>"),
            std::string::npos)
      << text;
}

TEST_F(GraphConversionTest, SignatureRoundTrips) {
  Graph graph = makeLayeredGraph();
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  std::string text;
  EXPECT_FALSE(roundTrip(graph, {}, &text).getLayout().signature);
  EXPECT_EQ(text.find("signature"), std::string::npos) << text;

  graph.getLayout().signature = ModelSignature{
      {"in \"x\"", {TensorSignature::kDynamicDim, 3}}, {"y", {1, 1, 2}}};
  Graph rebuilt = roundTrip(graph, {}, &text);
  ASSERT_TRUE(rebuilt.getLayout().signature);
  EXPECT_EQ(rebuilt.getLayout().signature->input,
            (TensorSignature{"in \"x\"", {-1, 3}}));
  EXPECT_EQ(rebuilt.getLayout().signature->output,
            (TensorSignature{"y", {1, 1, 2}}));
  EXPECT_NE(text.find("signature = #sffnn.signature<input \"in \\22x\\22\" "
                      "[?, 3], output \"y\" [1, 1, 2]>"),
            std::string::npos)
      << text;
}

TEST_F(GraphConversionTest, NeuronLevelRoundTripKeepsEdgeOrderAndIds) {
  // Ids not in topological order: neuron 4 feeds neuron 3.
  Graph graph(2);
  graph.addNeuron(1.0f, Activation::tanh()); // 2
  graph.addFanIn(0, 1.0f);
  graph.addNeuron(0.0f, Activation::leakyRelu(0.125f)); // 3
  graph.addFanIn(4, 2.0f);
  graph.addFanIn(2, -1.0f);
  graph.addNeuron(0.0f, Activation::sigmoid()); // 4
  graph.addFanIn(1, 0.5f);
  graph.addOutput(3);
  graph.addOutput(2);
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  std::string text;
  Graph rebuilt = roundTrip(graph, {}, &text);
  ASSERT_FALSE(static_cast<bool>(rebuilt.finalize()));
  EXPECT_TRUE(rebuilt.getLayout().layers.empty());
  // Rows are stored with sorted columns, so neuron 3's fan-in comes back
  // sorted by source id.
  EXPECT_EQ(rebuilt.getFanIn(3), ArrayRef<NeuronId>({2, 4}));
  EXPECT_EQ(rebuilt.getFanInWeights(3), ArrayRef<float>({-1.0f, 2.0f}));
  EXPECT_EQ(rebuilt.getOutputs(), ArrayRef<NeuronId>({3, 2}));
  EXPECT_EQ(rebuilt.getActivation(3), Activation::leakyRelu(0.125f));
  EXPECT_NE(text.find("activations [tanh, leaky_relu(1.250000e-01), sigmoid] "
                      "activation_ids dense<[0, 1, 2]> : tensor<3xi8>"),
            std::string::npos)
      << text;
  // The same function: evaluate both on one input.
  EXPECT_EQ(graph.evaluate({0.5, -2.0}), rebuilt.evaluate({0.5, -2.0}));
}

TEST_F(GraphConversionTest, ResourceBlobsRoundTrip) {
  // 200 x 200 layer, fan-in 50: 10,000 connections, stored as blobs.
  const uint32_t width = 200, fanIn = 50;
  Graph graph(width);
  for (uint32_t i = 0; i < width; ++i) {
    graph.addNeuron(i % 3 == 0 ? 0.0f : 0.01f * i, Activation::relu());
    for (uint32_t k = 0; k < fanIn; ++k)
      graph.addFanIn((i * 7 + k * 4) % width, 1.0f + 0.001f * (i + k));
    graph.addOutput(width + i);
  }
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {width};
  layout.layers = {{width, 2 * width, {0}}};
  layout.results = {1};
  layout.resultSizes = {width};
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  NetworkBuildOptions options;
  options.inlineLimit = 100;
  std::string text;
  Graph rebuilt = roundTrip(graph, options, &text);
  ASSERT_FALSE(static_cast<bool>(rebuilt.finalize()));
  EXPECT_EQ(rebuilt.getNumConnections(), uint64_t(width) * fanIn);
  EXPECT_NE(text.find("dense_resource<net_layer0_values> : tensor<10000xf32>"),
            std::string::npos);
  EXPECT_NE(text.find("bias dense_resource<net_layer0_bias>"),
            std::string::npos);
  // The sources of each row come back sorted; compare as sets of edges.
  for (NeuronId v = width; v < 2 * width; ++v) {
    std::vector<std::pair<NeuronId, float>> expected, actual;
    for (auto [u, w] : llvm::zip(graph.getFanIn(v), graph.getFanInWeights(v)))
      expected.emplace_back(u, w);
    for (auto [u, w] :
         llvm::zip(rebuilt.getFanIn(v), rebuilt.getFanInWeights(v)))
      actual.emplace_back(u, w);
    llvm::sort(expected);
    EXPECT_EQ(expected, actual) << "neuron " << v;
    EXPECT_EQ(graph.getBias(v), rebuilt.getBias(v));
  }
}

TEST_F(GraphConversionTest, InconsistentLayoutFallsBackToNeuronLevel) {
  Graph graph = makeLayeredGraph();
  // Claim layer 2 reads only layer 1: its edges from the input contradict it.
  graph.getLayout().layers[1].operands = {1};
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  Graph rebuilt = roundTrip(graph);
  ASSERT_FALSE(static_cast<bool>(rebuilt.finalize()));
  EXPECT_TRUE(rebuilt.getLayout().layers.empty());
  EXPECT_EQ(rebuilt.getCounts(), graph.getCounts());
  EXPECT_EQ(graph.evaluate({1.0, 2.0, -3.0}),
            rebuilt.evaluate({1.0, 2.0, -3.0}));
}

TEST_F(GraphConversionTest, TooManyActivationsIsAnError) {
  Graph graph(1);
  for (int i = 0; i < 129; ++i) {
    graph.addNeuron(0.0f, Activation::leakyRelu(0.001f * (i + 1)));
    graph.addFanIn(0, 1.0f);
  }
  graph.addOutput(1);
  ASSERT_FALSE(static_cast<bool>(graph.finalize()));
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  OpBuilder builder(&context);
  Location loc = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  EXPECT_FALSE(buildNetwork(builder, loc, "net", graph));
  EXPECT_EQ(message, "the graph has more than 128 distinct activations; the "
                     "neuron-level form holds at most 128");
  EXPECT_TRUE(module->getBody()->empty());
}

} // namespace

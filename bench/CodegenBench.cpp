//===- CodegenBench.cpp - Generated inference code, side by side ----------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements a Google Benchmark of the code sffnn generates for the
// same networks, in one run: anneal + straight-line code, anneal + loops,
// two-opt (auto mode), and the layerwise CSR lowering — the standard way,
// through the same back end. Networks are random layered ones whose weights
// fit L1, L2, L3 and only DRAM. Every variant's outputs are checked against
// the CSR build before timing.
//
// Benchmarks: BM_Single/<network>/<variant> (one sample per call) and
// BM_Batch64/<network>/<variant> (64 samples per call). Counters:
// connections per second, ns per sample. utils/run-benchmarks.sh turns the
// JSON into ratios against CSR.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Generators.h"
#include "sffnn/IR/GraphConversion.h"
#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Target/Driver.h"
#include "sffnn/Target/Jit.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <benchmark/benchmark.h>

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <memory>
#include <random>

using namespace mlir;
using namespace sffnn;

namespace {

struct NetworkSpec {
  const char *name;
  uint32_t width;
  uint32_t layers;
  uint32_t fanIn;
};

// Weights: 4 bytes per connection. L1: 32 KiB; L2: 256 KiB; L3: 2 MiB;
// DRAM: 16 MiB.
const NetworkSpec kNetworks[] = {
    {"L1", 128, 4, 16},
    {"L2", 512, 4, 32},
    {"L3", 2048, 4, 64},
    {"DRAM", 4096, 8, 128},
};

struct VariantSpec {
  const char *name;
  const char *strategy;
  const char *codegen;
};

const VariantSpec kVariants[] = {
    {"anneal-straight", "anneal", "straight"},
    {"anneal-loops", "anneal", "loops"},
    {"two-opt", "two-opt", "auto"},
    {"csr", "", "csr"},
};

/// A compiled variant of one network.
struct Compiled {
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<JitModule> jit;
  SingleFunction single = nullptr;
  BatchFunction batch = nullptr;
};

Graph makeGraph(const NetworkSpec &spec) {
  LayeredOptions options;
  options.widths.assign(spec.layers + 1, spec.width);
  options.fanIn = spec.fanIn;
  options.seed = 7;
  llvm::Expected<Graph> graph = generateLayered(options);
  if (!graph)
    llvm::report_fatal_error(graph.takeError());
  return std::move(*graph);
}

/// Lowers and JIT-compiles `graph` as `variant`, or returns null when the
/// variant does not apply (straight-line code for large networks).
std::unique_ptr<Compiled> compile(const Graph &graph,
                                  const VariantSpec &variant) {
  // Straight-line code grows with the network: only for the smallest.
  if (llvm::StringRef(variant.codegen) == "straight" &&
      graph.getNumConnections() > LowerToLLVMOptions().straightLimit)
    return nullptr;
  auto result = std::make_unique<Compiled>();
  result->context = std::make_unique<MLIRContext>();
  prepareContext(*result->context);
  OpBuilder builder(result->context.get());
  Location loc = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  buildNetwork(builder, loc, "net", graph);
  PassManager pm(result->context.get());
  LowerToLLVMOptions options;
  options.strategy = variant.strategy;
  options.codegen = variant.codegen;
  options.iterations = 20000;
  buildLowerToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    llvm::report_fatal_error("lowering failed");
  auto jit = JitModule::create(*module);
  if (!jit)
    llvm::report_fatal_error(jit.takeError());
  result->jit = std::move(*jit);
  result->single = cantFail(result->jit->getSingle("net"));
  result->batch = cantFail(result->jit->getBatch("net"));
  return result;
}

std::vector<float> makeInputs(const Graph &graph, int64_t samples) {
  std::mt19937_64 rng(3);
  std::vector<float> in(samples * graph.getNumInputs());
  for (float &x : in)
    x = float((rng() >> 11) * 0x1.0p-53) * 2.0f - 1.0f;
  return in;
}

/// Checks `candidate` against `reference` on 64 samples, single and batch,
/// within 1e-5 of the largest output.
void crossCheck(const Graph &graph, const Compiled &reference,
                const Compiled &candidate, const char *what) {
  const int64_t samples = 64;
  std::vector<float> in = makeInputs(graph, samples);
  std::vector<float> expected(samples * graph.getNumOutputs());
  std::vector<float> actual(expected.size()), batch(expected.size());
  for (int64_t s = 0; s < samples; ++s) {
    reference.single(in.data() + s * graph.getNumInputs(),
                     expected.data() + s * graph.getNumOutputs());
    candidate.single(in.data() + s * graph.getNumInputs(),
                     actual.data() + s * graph.getNumOutputs());
  }
  candidate.batch(in.data(), batch.data(), samples);
  // Normwise: deep networks reach large values, and summation orders differ
  // (the plan modes use partial sums) by a few units in the last place of
  // the largest values.
  double scale = 1.0;
  for (float y : expected)
    scale = std::max(scale, double(std::abs(y)));
  for (size_t k = 0; k < expected.size(); ++k) {
    double tolerance = 1e-5 * scale;
    if (std::abs(actual[k] - expected[k]) > tolerance ||
        std::abs(batch[k] - expected[k]) > tolerance)
      llvm::report_fatal_error(llvm::formatv(
          "outputs of {0} differ from the CSR build at {1}: {2} (batch {3}) "
          "instead of {4}",
          what, k, actual[k], batch[k], expected[k]));
  }
}

void runSingle(benchmark::State &state, const Graph *graph,
               const Compiled *compiled) {
  std::vector<float> in = makeInputs(*graph, 1);
  std::vector<float> out(graph->getNumOutputs());
  for (auto _ : state) {
    compiled->single(in.data(), out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["connections_per_second"] = benchmark::Counter(
      double(graph->getNumConnections()) * state.iterations(),
      benchmark::Counter::kIsRate);
}

void runBatch(benchmark::State &state, const Graph *graph,
              const Compiled *compiled) {
  const int64_t samples = 64;
  std::vector<float> in = makeInputs(*graph, samples);
  std::vector<float> out(samples * graph->getNumOutputs());
  for (auto _ : state) {
    compiled->batch(in.data(), out.data(), samples);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["connections_per_second"] = benchmark::Counter(
      double(graph->getNumConnections()) * samples * state.iterations(),
      benchmark::Counter::kIsRate);
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  // Everything below lives until the process exits: the JIT-compiled code
  // must not be torn down after LLVM's own static state at exit.
  auto &graphs = *new std::vector<std::unique_ptr<Graph>>();
  auto &builds = *new std::vector<std::unique_ptr<Compiled>>();
  for (const NetworkSpec &spec : kNetworks) {
    graphs.push_back(std::make_unique<Graph>(makeGraph(spec)));
    const Graph *graph = graphs.back().get();
    std::unique_ptr<Compiled> csr = compile(*graph, kVariants[3]);
    for (const VariantSpec &variant : kVariants) {
      std::unique_ptr<Compiled> build =
          llvm::StringRef(variant.codegen) == "csr" ? std::move(csr)
                                                    : compile(*graph, variant);
      if (!build)
        continue;
      if (csr)
        crossCheck(*graph, *csr, *build,
                   (std::string(spec.name) + "/" + variant.name).c_str());
      const Compiled *compiled = build.get();
      std::string suffix = std::string(spec.name) + "/" + variant.name;
      benchmark::RegisterBenchmark(("BM_Single/" + suffix).c_str(), runSingle,
                                   graph, compiled);
      benchmark::RegisterBenchmark(("BM_Batch64/" + suffix).c_str(), runBatch,
                                   graph, compiled);
      builds.push_back(std::move(build));
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

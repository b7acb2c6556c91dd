//===- PlanBench.cpp - Planning time for 10^5 to 10^7 connections ---------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements a Google Benchmark of the planner on random layered
// networks of 10^5, 10^6 and 10^7 connections (10 layers, fan-in 100): the
// two-optimal pull order planned with M = 64 words and with M = the host's L1
// data cache, counting only (no sink) and materializing the plan.
//
// Counters: connections, plan cost (words), cost / LB, steps.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"
#include "sffnn/Generators/Generators.h"
#include "sffnn/Support/HostInfo.h"

#include <benchmark/benchmark.h>

#include <map>
#include <memory>

using namespace sffnn;

namespace {

/// A network of `connections` connections: 10 layers of connections / 1000
/// neurons after an input layer of the same width, fan-in 100. Built once.
const Graph &getNetwork(int64_t connections) {
  static std::map<int64_t, std::unique_ptr<Graph>> cache;
  std::unique_ptr<Graph> &graph = cache[connections];
  if (!graph) {
    uint32_t width = connections / 1000;
    LayeredOptions options;
    options.widths.assign(11, width);
    options.fanIn = 100;
    options.seed = 7;
    llvm::Expected<Graph> generated = generateLayered(options);
    if (!generated)
      llvm::report_fatal_error(generated.takeError());
    graph = std::make_unique<Graph>(std::move(*generated));
  }
  return *graph;
}

void runPlanner(benchmark::State &state, uint32_t m, bool materialize) {
  const Graph &graph = getNetwork(state.range(0));
  EvaluationOrder order = getPullOrder(graph, getTwoOptimalOrder(graph));
  IOCounts counts;
  size_t steps = 0;
  for (auto _ : state) {
    Plan plan(m);
    llvm::Expected<IOCounts> result =
        planEvaluation(graph, order, m, materialize ? &plan : nullptr);
    if (!result) {
      state.SkipWithError(llvm::toString(result.takeError()).c_str());
      return;
    }
    counts = *result;
    steps = plan.getSteps().size();
    benchmark::DoNotOptimize(plan.getSteps().data());
  }
  uint64_t lowerBound = getLowerBound(graph.getCounts());
  state.counters["connections"] = graph.getNumConnections();
  state.counters["M"] = m;
  state.counters["cost"] = counts.getTotal();
  state.counters["cost_per_LB"] = double(counts.getTotal()) / lowerBound;
  if (materialize)
    state.counters["steps"] = steps;
}

void BM_PlanCountM64(benchmark::State &state) { runPlanner(state, 64, false); }
void BM_PlanCountL1(benchmark::State &state) {
  runPlanner(state, getDefaultFastMemoryWords(), false);
}
void BM_PlanMaterializeL1(benchmark::State &state) {
  runPlanner(state, getDefaultFastMemoryWords(), true);
}

#define SFFNN_PLAN_SIZES                                                       \
  ->Arg(100'000)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)
BENCHMARK(BM_PlanCountM64) SFFNN_PLAN_SIZES;
BENCHMARK(BM_PlanCountL1) SFFNN_PLAN_SIZES;
BENCHMARK(BM_PlanMaterializeL1) SFFNN_PLAN_SIZES;

} // namespace

BENCHMARK_MAIN();

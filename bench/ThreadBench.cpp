//===- ThreadBench.cpp - NAME_batch_parallel on every core count ----------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements a Google Benchmark of the thread scaling of sffnn's
// batch code (docs/codegen.md, "Threads"): each network given as
// --network=NAME=PATH (.mlir, .mlirbc, .onnx) is compiled once, with
// sffnn-compile's default strategy and codegen, and NAME_batch_parallel runs
// each batch size of --batch-sizes (default 4096 and 16384) on 1, 2, 4, ...
// threads up to --max-threads (default: the online cores, which are always
// included). Before anything is timed, the outputs of every thread count on
// the 64 check samples, repeated to the batch size, are checked against the
// double-precision reference evaluator; a mismatch aborts the run.
//
// Benchmarks are named NETWORK/sffnn-threads-T/BATCH and timed in wall-clock
// time (threads run in parallel); counters: samples and connections per
// second. utils/benchmarks/report.py turns the JSON into the "Threads"
// section of docs/benchmarks.md.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <thread>

using namespace sffnn;
using namespace sffnn::bench;
namespace cl = llvm::cl;

namespace {

cl::list<std::string> networkSpecs("network",
                                   cl::desc("NAME=PATH of a network"));
cl::list<int64_t> batchSizes("batch-sizes", cl::CommaSeparated,
                             cl::desc("Batch sizes (default 4096,16384)"));
cl::opt<int32_t>
    maxThreads("max-threads",
               cl::desc("The most threads (default: the online cores)"),
               cl::init(0));
cl::opt<std::string> strategy("strategy",
                              cl::desc("Scheduling strategy (default anneal, "
                                       "as sffnn-compile)"),
                              cl::init("anneal"));

/// Samples of the output check, repeated to the batch size.
constexpr int64_t kCheckSamples = 64;
constexpr double kTolerance = 1e-4;

struct Network {
  std::string name;
  Graph graph{1};
  std::unique_ptr<SffnnInference> inference;
};

[[noreturn]] void fail(const llvm::Twine &message) {
  llvm::errs() << "sffnn-bench-threads: " << message << "\n";
  std::exit(1);
}

/// Checks `network` on `threads` threads at `batch` samples: the check
/// samples repeated, each copy against the reference.
void check(Network &network, int32_t threads, int64_t batch) {
  const uint32_t numInputs = network.graph.getNumInputs();
  const uint32_t numOutputs = network.graph.getNumOutputs();
  std::vector<float> in = makeInputs(numInputs, kCheckSamples);
  std::vector<float> expected =
      evaluateReference(network.graph, in, kCheckSamples);
  const int64_t copies = batch / kCheckSamples;
  std::vector<float> repeated, actual(copies * kCheckSamples * numOutputs);
  for (int64_t c = 0; c < copies; ++c)
    repeated.insert(repeated.end(), in.begin(), in.end());
  network.inference->setThreads(threads);
  network.inference->run(repeated.data(), actual.data(),
                         copies * kCheckSamples);
  for (int64_t c = 0; c < copies; ++c)
    if (llvm::Error error = checkOutputs(
            expected,
            llvm::ArrayRef(actual).slice(c * expected.size(), expected.size()),
            kTolerance,
            network.name + " on " + std::to_string(threads) + " threads"))
      fail(llvm::toString(std::move(error)));
}

void runBatch(benchmark::State &state, Network *network, int32_t threads,
              int64_t batch) {
  network->inference->setThreads(threads);
  runBatches(state, *network->inference, network->graph, batch);
  state.counters["threads"] = threads;
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "sffnn thread scaling benchmark\n");
  if (networkSpecs.empty())
    fail("give at least one --network=NAME=PATH");
  std::vector<int64_t> batches(batchSizes.begin(), batchSizes.end());
  if (batches.empty())
    batches = {4096, 16384};
  for (int64_t batch : batches)
    if (batch < kCheckSamples || batch % kCheckSamples)
      fail("batch sizes must be multiples of " + llvm::Twine(kCheckSamples));
  const int32_t cores =
      std::max<int32_t>(1, int32_t(std::thread::hardware_concurrency()));
  const int32_t most = maxThreads > 0 ? maxThreads.getValue() : cores;
  std::vector<int32_t> threadCounts;
  for (int32_t t = 1; t < most; t *= 2)
    threadCounts.push_back(t);
  threadCounts.push_back(most);

  std::vector<std::unique_ptr<Network>> networks;
  for (const std::string &spec : networkSpecs) {
    auto [name, path] = llvm::StringRef(spec).split('=');
    if (name.empty() || path.empty())
      fail("--network takes NAME=PATH, got '" + spec + "'");
    auto network = std::make_unique<Network>();
    network->name = name.str();
    llvm::Expected<Graph> graph = loadGraph(path);
    if (!graph)
      fail(llvm::toString(graph.takeError()));
    network->graph = std::move(*graph);
    SffnnVariant variant;
    variant.strategy = strategy;
    variant.codegen = "auto";
    auto inference = SffnnInference::create(network->graph, variant);
    if (!inference)
      fail(llvm::toString(inference.takeError()));
    network->inference = std::move(*inference);
    for (int64_t batch : batches)
      for (int32_t threads : threadCounts) {
        check(*network, threads, batch);
        benchmark::RegisterBenchmark((network->name + "/sffnn-threads-" +
                                      std::to_string(threads) + "/" +
                                      std::to_string(batch))
                                         .c_str(),
                                     runBatch, network.get(), threads, batch)
            ->UseRealTime()
            ->Unit(benchmark::kMicrosecond);
      }
    networks.push_back(std::move(network));
  }
  benchmark::AddCustomContext("online_cores", std::to_string(cores));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

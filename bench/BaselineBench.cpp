//===- BaselineBench.cpp - sffnn against what users would pick instead ----===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements a Google Benchmark that runs every implementation of
// the same networks in one process and one run:
//
//   sffnn-default          sffnn-compile's defaults: anneal order, auto
//                          codegen (straight-line code or loops for one
//                          sample; loops, tiles or csr for NAME_batch)
//   sffnn-anneal-straight  anneal order, straight-line code (small networks)
//   sffnn-anneal-loops     anneal order, table-driven loops
//   sffnn-two-optimal      two-optimal order, loops
//   sffnn-csr              sffnn's layerwise CSR lowering (same back end)
//   eigen-sparse           Eigen row-major SparseMatrix, layer by layer
//   eigen-dense            Eigen dense matrices, layer by layer (for scale)
//   graphblas              SuiteSparse:GraphBLAS, one thread, GrB_mxm
//   mlir-sparsifier        MLIR's sparse compiler on #sparse_tensor CSR
//
// on the networks given as --network=NAME=PATH (.mlir, .mlirbc, .onnx), for
// each batch size of --batch-sizes (default 1, 64, 1024, 16384). Before
// anything is timed, every implementation's outputs on 64 samples, in
// batches of each size (a larger batch repeats the 64 samples), are checked
// against the double-precision reference evaluator; a mismatch aborts the
// run.
//
// An implementation skips a batch size, with a note on stderr and a
// "skipped/NETWORK/IMPL/BATCH" entry in the JSON output's context, where one
// call would perform more than --max-batch-connections multiply-adds
// (connections x batch; dense weights x batch for eigen-dense), or where a
// layer-by-layer baseline's state for the batch would exceed
// --max-batch-state-mib: the baselines keep that state (N positions x
// batch floats, twice that for GraphBLAS, whose bias matrices have the
// same size) until the process exits. An implementation that does not
// apply to a network at all (dense weights over --dense-limit-mib, a DAG
// GraphBLAS cannot run, ...) says why in an "unavailable/NETWORK/IMPL"
// entry.
//
// The inputs and reference outputs are written to --reference-dir for the
// PyTorch script (bench/torch-baseline.py). The machine benchmarks of
// MachineBench.cpp run last, in the same run.
//
// With --calls=K the binary only runs each selected implementation K times
// (utils/benchmarks/cachegrind.py runs it under cachegrind with two values
// of K and takes the difference, so that set-up cancels out).
//
// Benchmarks are named NETWORK/IMPL/BATCH; counters: samples and
// connections per second. The JSON output's context also holds, as
// "layer_floats/NETWORK", the most floats one layer's product of the
// baselines reads and writes per sample (its columns plus its rows, the
// largest over the layers): times the batch and 4 bytes, the activations a
// layer-by-layer baseline keeps live; and, as "batch_kernel/NETWORK/IMPL",
// the kernel an sffnn build's batches run (its `batch_codegen`: where it is
// "csr", sffnn-default and sffnn-csr run the same code at batch > 1), and as
// "single_kernel/NETWORK/IMPL" the one its single samples run (its
// `codegen`: where it is "csr", the same code at batch 1).
// utils/benchmarks/report.py turns the JSON into the tables of
// docs/benchmarks.md.
//
//===----------------------------------------------------------------------===//

#include "Baselines.h"
#include "BenchSupport.h"
#include "LayeredView.h"
#include "MachineBench.h"
#include "SparsifierBaseline.h"

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Support/HostInfo.h"

#include <benchmark/benchmark.h>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <functional>
#include <map>

using namespace sffnn;
using namespace sffnn::bench;

namespace {

llvm::cl::list<std::string>
    networkFlags("network", llvm::cl::desc("NAME=PATH of a network to run"),
                 llvm::cl::value_desc("name=path"));
llvm::cl::list<int64_t>
    batchSizes("batch-sizes", llvm::cl::CommaSeparated,
               llvm::cl::desc("Samples per call (1,64,1024,16384)"));
llvm::cl::list<std::string>
    implFlags("impls", llvm::cl::CommaSeparated,
              llvm::cl::desc("Implementations to run (default: all)"));
llvm::cl::opt<std::string>
    referenceDir("reference-dir",
                 llvm::cl::desc("Write NAME.in.f32 / NAME.out.f32 here"));
llvm::cl::opt<uint64_t> annealIterations("anneal-iterations",
                                         llvm::cl::desc("Annealing moves"),
                                         llvm::cl::init(20000));
llvm::cl::opt<uint64_t> calls(
    "calls",
    llvm::cl::desc("Instead of benchmarking, run each selected network, "
                   "implementation and batch size this many times and exit "
                   "(for cachegrind; no output check)"),
    llvm::cl::init(0));
llvm::cl::opt<std::string> sffnnLibrary(
    "sffnn-library",
    llvm::cl::desc("With --calls: take the sffnn-* implementation from this "
                   "shared library (functions net and net_batch) instead of "
                   "compiling it in process"));
llvm::cl::opt<std::string> ioModelFile(
    "io-model",
    llvm::cl::desc("Write the I/O model's figures (LB, planned cost of the "
                   "layerwise, two-optimal and anneal orders at M = 64 and the "
                   "host's M) of every network to this JSON file"));
llvm::cl::opt<unsigned> batchBlock(
    "batch-block",
    llvm::cl::desc("Samples per block in sffnn's batch code (0: default)"),
    llvm::cl::init(0));
llvm::cl::opt<unsigned> fastMemory(
    "fast-memory",
    llvm::cl::desc("M in words for sffnn's plans (0: the host's default)"),
    llvm::cl::init(0));
llvm::cl::opt<uint64_t> sparsifierMaxLayers(
    "sparsifier-max-layers",
    llvm::cl::desc("Skip MLIR's sparsifier on networks with more layers"),
    llvm::cl::init(1000));
llvm::cl::opt<uint64_t>
    denseLimitMiB("dense-limit-mib",
                  llvm::cl::desc("Skip dense Eigen above this weight size"),
                  llvm::cl::init(1024));
// gc-1024 (3,932,160 connections) at 16384 samples is 6.44e10.
llvm::cl::opt<double> maxBatchConnections(
    "max-batch-connections",
    llvm::cl::desc("Skip a batch size at which one call performs more "
                   "multiply-adds than this: connections x batch (dense "
                   "weights x batch for eigen-dense)"),
    llvm::cl::init(6.5e10));
llvm::cl::opt<uint64_t> maxBatchStateMiB(
    "max-batch-state-mib",
    llvm::cl::desc("Skip a batch size at which a layer-by-layer baseline's "
                   "state (N x batch floats, twice for GraphBLAS), kept "
                   "until the process exits, would exceed this many MiB"),
    llvm::cl::init(1024));

constexpr int64_t kCheckSamples = 64;
constexpr double kTolerance = 1e-4;

using Factory = std::function<llvm::Expected<std::unique_ptr<Inference>>(void)>;

struct Network {
  std::string name;
  Graph graph;
  LayeredView view;
};

[[noreturn]] void fail(const llvm::Twine &message) {
  llvm::errs() << "sffnn-bench-baselines: " << message << "\n";
  std::exit(1);
}

void writeFloats(llvm::StringRef path, llvm::ArrayRef<float> data) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    fail("cannot write " + path + ": " + ec.message());
  os.write(reinterpret_cast<const char *>(data.data()),
           data.size() * sizeof(float));
}

/// The implementations of `network`, in table order.
std::vector<std::pair<std::string, Factory>>
getFactories(const Network &network) {
  const Graph &graph = network.graph;
  const LayeredView &view = network.view;
  auto sffnn = [&graph](std::string strategy, std::string codegen) -> Factory {
    return [&graph, strategy,
            codegen]() -> llvm::Expected<std::unique_ptr<Inference>> {
      if (!sffnnLibrary.empty()) {
        auto result = SffnnInference::load(sffnnLibrary, "net");
        if (!result)
          return result.takeError();
        return std::unique_ptr<Inference>(std::move(*result));
      }
      if (codegen == "straight" && !fitsStraightLine(graph))
        return llvm::createStringError(
            "straight-line code is built for small networks only");
      auto result = SffnnInference::create(graph, {strategy, codegen,
                                                   annealIterations.getValue(),
                                                   batchBlock.getValue()});
      if (!result)
        return result.takeError();
      return std::unique_ptr<Inference>(std::move(*result));
    };
  };
  return {
      {"sffnn-default", sffnn("anneal", "auto")},
      {"sffnn-anneal-straight", sffnn("anneal", "straight")},
      {"sffnn-anneal-loops", sffnn("anneal", "loops")},
      {"sffnn-two-optimal", sffnn("two-optimal", "loops")},
      {"sffnn-csr", sffnn("", "csr")},
      {"eigen-sparse",
       [&view]() -> llvm::Expected<std::unique_ptr<Inference>> {
         return createEigenSparse(view);
       }},
      {"eigen-dense",
       [&view]() {
         return createEigenDense(view, denseLimitMiB.getValue() << 20);
       }},
      {"graphblas", [&view]() { return createGraphBLAS(view); }},
      {"mlir-sparsifier",
       [&view]() -> llvm::Expected<std::unique_ptr<Inference>> {
         // One function with a product per layer: MLIR's pipeline and
         // LLVM do not finish in reasonable time on deep DAGs' levels.
         if (view.layers.size() > sparsifierMaxLayers)
           return llvm::createStringError(
               llvm::formatv("{0} layers, more than --sparsifier-max-layers",
                             view.layers.size()));
         auto result = SparsifierBaseline::create(view);
         if (!result)
           return result.takeError();
         return std::unique_ptr<Inference>(std::move(*result));
       }},
  };
}

/// Why `implName` does not run `network` at `batch`, or "" if it does: one
/// call would exceed --max-batch-connections multiply-adds, or a baseline's
/// batch state --max-batch-state-mib (sffnn's batch code keeps no state
/// that grows with the batch).
std::string getBatchSkipReason(const Network &network, llvm::StringRef implName,
                               int64_t batch) {
  const LayeredView &view = network.view;
  double weights = double(network.graph.getNumConnections());
  if (implName == "eigen-dense") {
    weights = 0;
    for (const SparseLayer &layer : view.layers)
      weights += double(layer.numRows()) * double(layer.numCols());
  }
  double fmas = weights * double(batch);
  if (fmas > maxBatchConnections.getValue())
    return llvm::formatv("{0:e2} multiply-adds per call > "
                         "--max-batch-connections={1:e2}",
                         fmas, maxBatchConnections.getValue())
        .str();
  if (implName.starts_with("sffnn-"))
    return "";
  double mib =
      double(view.numNeurons) * double(batch) * sizeof(float) / double(1 << 20);
  if (implName == "graphblas")
    mib *= 2;
  if (mib > double(maxBatchStateMiB.getValue()))
    return llvm::formatv("{0:f0} MiB of batch state > "
                         "--max-batch-state-mib={1}",
                         mib, maxBatchStateMiB.getValue())
        .str();
  return "";
}

/// Runs `inference` on the check samples in batches of `batch` and compares
/// with the reference; a batch larger than the check samples is the check
/// samples repeated, and every repetition is compared.
void crossCheck(Inference &inference, const Network &network,
                llvm::ArrayRef<float> in, llvm::ArrayRef<float> expected,
                int64_t batch, llvm::StringRef what) {
  const uint32_t numInputs = network.graph.getNumInputs();
  const uint32_t numOutputs = network.graph.getNumOutputs();
  if (batch > kCheckSamples) {
    const int64_t copies = batch / kCheckSamples;
    std::vector<float> repeated, actual(copies * expected.size());
    for (int64_t c = 0; c < copies; ++c)
      repeated.insert(repeated.end(), in.begin(), in.end());
    inference.run(repeated.data(), actual.data(), batch);
    for (int64_t c = 0; c < copies; ++c)
      if (llvm::Error error =
              checkOutputs(expected,
                           llvm::ArrayRef(actual).slice(c * expected.size(),
                                                        expected.size()),
                           kTolerance, what))
        fail(llvm::toString(std::move(error)));
    return;
  }
  std::vector<float> actual(expected.size());
  for (int64_t s = 0; s < kCheckSamples; s += batch)
    inference.run(in.data() + s * numInputs, actual.data() + s * numOutputs,
                  batch);
  if (llvm::Error error = checkOutputs(expected, actual, kTolerance, what))
    fail(llvm::toString(std::move(error)));
}

/// The I/O model's figures of `graph` at M = `fastMemory`: LB and the
/// planned I/O of each strategy's order, in words, in total and for
/// activations only (without the W weight and B bias loads every plan has).
llvm::json::Object getIOModel(const Graph &graph, uint32_t fastMemory) {
  GraphCounts counts = graph.getCounts();
  uint64_t fixed = counts.numConnections + counts.numNonZeroBiases;
  llvm::json::Object result{{"fast_memory", int64_t(fastMemory)},
                            {"lower_bound", int64_t(getLowerBound(counts))},
                            {"fixed", int64_t(fixed)}};
  for (Strategy strategy :
       {Strategy::Layerwise, Strategy::TwoOptimal, Strategy::Anneal}) {
    ScheduleOptions options;
    options.strategy = strategy;
    options.fastMemory = fastMemory;
    options.iterations = annealIterations;
    llvm::Expected<ScheduleResult> schedule = scheduleNetwork(graph, options);
    if (!schedule)
      fail(llvm::toString(schedule.takeError()));
    uint64_t cost = schedule->counts.getLoads() + schedule->counts.getStores();
    result[stringifyStrategy(strategy)] = int64_t(cost);
  }
  return result;
}

/// The most floats a layer of `view` reads and writes per sample: its
/// columns (the earlier positions it reads) plus its rows.
uint64_t getMaxLayerFloats(const LayeredView &view) {
  uint64_t floats = 0;
  for (const SparseLayer &layer : view.layers)
    floats = std::max(floats, uint64_t(layer.numCols()) + layer.numRows());
  return floats;
}

/// --calls mode: runs `inference` `calls` times on one batch.
void runCalls(Inference &inference, const Network &network, int64_t batch) {
  std::vector<float> in = makeInputs(network.graph.getNumInputs(), batch);
  std::vector<float> out(batch * network.graph.getNumOutputs());
  for (uint64_t k = 0; k < calls; ++k) {
    inference.run(in.data(), out.data(), batch);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
}

void runInference(benchmark::State &state, const Network *network,
                  Inference *inference, int64_t batch) {
  runBatches(state, *inference, network->graph, batch);
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "sffnn against Eigen, GraphBLAS and MLIR's sparse compiler\n");
  if (networkFlags.empty())
    fail("no --network=NAME=PATH given");
  std::vector<int64_t> batches(batchSizes.begin(), batchSizes.end());
  if (batches.empty())
    batches = {1, 64, 1024, 16384};
  for (int64_t batch : batches)
    if (batch < 1 || (kCheckSamples % batch != 0 && batch % kCheckSamples))
      fail(llvm::formatv("batch size {0} neither divides nor is a multiple "
                         "of {1}",
                         batch, kCheckSamples));

  // Everything below lives until the process exits: JIT-compiled code must
  // not be torn down after LLVM's own static state at exit.
  auto &networks = *new std::vector<std::unique_ptr<Network>>();
  auto &inferences = *new std::vector<std::unique_ptr<Inference>>();
  llvm::json::Array ioModel;
  std::vector<std::pair<std::string, std::string>> skippedBatches;
  // NETWORK/IMPL and why the implementation does not run the network.
  std::vector<std::pair<std::string, std::string>> unavailable;
  // NETWORK/IMPL -> the kernel its batches run (Inference::getBatchKernel)
  // and the one a single sample runs (Inference::getSingleKernel).
  std::vector<std::pair<std::string, std::string>> batchKernels, singleKernels;
  for (const std::string &flag : networkFlags) {
    auto [name, path] = llvm::StringRef(flag).split('=');
    if (name.empty() || path.empty())
      fail("--network expects NAME=PATH, got '" + flag + "'");
    llvm::Expected<Graph> graph = loadGraph(path);
    if (!graph)
      fail(llvm::toString(graph.takeError()));
    auto network = std::make_unique<Network>();
    network->name = name.str();
    network->graph = std::move(*graph);
    network->view = buildLayeredView(network->graph);
    llvm::errs() << llvm::formatv(
        "{0}: {1} neurons, {2} connections, {3} layers\n", name,
        network->graph.getNumNeurons(), network->graph.getNumConnections(),
        network->view.layers.size());

    if (!ioModelFile.empty()) {
      llvm::json::Array models;
      for (uint32_t m : {uint32_t(64), getDefaultFastMemoryWords()})
        models.push_back(getIOModel(network->graph, m));
      ioModel.push_back(llvm::json::Object{
          {"network", network->name},
          {"connections", int64_t(network->graph.getNumConnections())},
          {"neurons", int64_t(network->graph.getNumNeurons())},
          {"layers", int64_t(network->view.layers.size())},
          {"models", std::move(models)}});
    }

    std::vector<float> in, expected;
    if (calls == 0) {
      in = makeInputs(network->graph.getNumInputs(), kCheckSamples);
      expected = evaluateReference(network->graph, in, kCheckSamples);
    }
    if (!referenceDir.empty() && calls == 0) {
      if (std::error_code ec = llvm::sys::fs::create_directories(referenceDir))
        fail("cannot create " + referenceDir + ": " + ec.message());
      writeFloats((referenceDir + "/" + name + ".in.f32").str(), in);
      writeFloats((referenceDir + "/" + name + ".out.f32").str(), expected);
    }

    for (auto &[implName, factory] : getFactories(*network)) {
      if (!implFlags.empty() && !llvm::is_contained(implFlags, implName))
        continue;
      llvm::Expected<std::unique_ptr<Inference>> inference = factory();
      if (!inference) {
        std::string why = llvm::toString(inference.takeError());
        llvm::errs() << llvm::formatv("{0}/{1}: skipped: {2}\n", name, implName,
                                      why);
        unavailable.emplace_back((name + "/" + implName).str(), why);
        continue;
      }
      if (std::string kernel = (*inference)->getBatchKernel(); !kernel.empty())
        batchKernels.emplace_back((name + "/" + implName).str(), kernel);
      if (std::string kernel = (*inference)->getSingleKernel(); !kernel.empty())
        singleKernels.emplace_back((name + "/" + implName).str(), kernel);
      for (int64_t batch : batches) {
        std::string id = llvm::formatv("{0}/{1}/{2}", name, implName, batch);
        std::string skip = getBatchSkipReason(*network, implName, batch);
        if (!skip.empty()) {
          llvm::errs() << llvm::formatv("{0}: batch skipped: {1}\n", id, skip);
          skippedBatches.emplace_back(id, skip);
          continue;
        }
        if (calls) {
          runCalls(**inference, *network, batch);
          continue;
        }
        crossCheck(**inference, *network, in, expected, batch, id);
        // Wall-clock time: the counters' rates are then per second of it,
        // not of the process's CPU time, which leaves out time the
        // machine gave elsewhere.
        benchmark::RegisterBenchmark(id.c_str(), runInference, network.get(),
                                     inference->get(), batch)
            ->UseRealTime();
      }
      inferences.push_back(std::move(*inference));
    }
    networks.push_back(std::move(network));
  }
  if (!ioModelFile.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(ioModelFile, ec);
    if (ec)
      fail("cannot write " + ioModelFile + ": " + ec.message());
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(ioModel)));
  }
  if (calls)
    return 0;
  benchmark::AddCustomContext(
      "max_batch_connections",
      llvm::formatv("{0:e2}", maxBatchConnections.getValue()).str());
  benchmark::AddCustomContext("max_batch_state_mib",
                              std::to_string(maxBatchStateMiB.getValue()));
  for (const auto &[id, reason] : skippedBatches)
    benchmark::AddCustomContext("skipped/" + id, reason);
  for (const auto &[id, reason] : unavailable)
    benchmark::AddCustomContext("unavailable/" + id, reason);
  for (const auto &[id, kernel] : batchKernels)
    benchmark::AddCustomContext("batch_kernel/" + id, kernel);
  for (const auto &[id, kernel] : singleKernels)
    benchmark::AddCustomContext("single_kernel/" + id, kernel);
  for (const std::unique_ptr<Network> &network : networks)
    benchmark::AddCustomContext(
        "layer_floats/" + network->name,
        std::to_string(getMaxLayerFloats(network->view)));
  registerMachineBenchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

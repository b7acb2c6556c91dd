//===- BenchSupport.cpp - What the benchmarks share -----------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"

#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/SFFNNOps.h"
#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Target/Driver.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <random>
#include <system_error>

using namespace mlir;
using namespace sffnn;
using namespace sffnn::bench;

namespace {

/// Collects the diagnostics emitted in `context` into one string.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diagnostic) {
          if (!messages.empty())
            messages += "\n";
          llvm::raw_string_ostream os(messages);
          os << diagnostic.getLocation() << ": " << diagnostic;
          return success(diagnostic.getSeverity() !=
                         DiagnosticSeverity::Remark);
        }) {}
  llvm::Error takeError(llvm::StringRef fallback) {
    return llvm::createStringError(messages.empty() ? fallback.str()
                                                    : messages);
  }

private:
  std::string messages;
  ScopedDiagnosticHandler handler;
};

} // namespace

Inference::~Inference() = default;

SffnnInference::SffnnInference() = default;
SffnnInference::~SffnnInference() = default;

llvm::Expected<std::unique_ptr<SffnnInference>>
SffnnInference::create(const Graph &graph, const SffnnVariant &variant) {
  std::unique_ptr<SffnnInference> result(new SffnnInference());
  result->context = std::make_unique<MLIRContext>();
  MLIRContext &context = *result->context;
  prepareContext(context);
  DiagnosticCollector diagnostics(context);
  OpBuilder builder(&context);
  Location loc = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  buildNetwork(builder, loc, "net", graph);
  PassManager pm(&context);
  LowerToLLVMOptions options;
  std::optional<CodegenMode> codegen = symbolizeCodegenMode(variant.codegen);
  if (!codegen)
    return llvm::createStringError("unknown codegen '" + variant.codegen + "'");
  options.codegen = *codegen;
  if (!variant.strategy.empty()) {
    std::optional<Strategy> strategy = symbolizeStrategy(variant.strategy);
    if (!strategy)
      return llvm::createStringError("unknown strategy '" + variant.strategy +
                                     "'");
    options.strategy = *strategy;
  }
  options.iterations = variant.iterations;
  options.batchBlock = variant.batchBlock;
  options.fastMemory = variant.fastMemory;
  buildLowerToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    return diagnostics.takeError("lowering failed");
  // The lowering's figures (the `sffnn.lowered` attribute: Passes.td).
  if (auto lowered = (*module)->getAttrOfType<ArrayAttr>("sffnn.lowered"))
    if (!lowered.empty())
      if (auto figures = dyn_cast<DictionaryAttr>(lowered[0])) {
        if (auto kernel = figures.getAs<StringAttr>("batch_codegen"))
          result->batchKernel = kernel.str();
        if (auto kernel = figures.getAs<StringAttr>("codegen"))
          result->singleKernel = kernel.str();
      }
  auto jit = JitModule::create(*module);
  if (!jit)
    return jit.takeError();
  result->jit = std::move(*jit);
  auto single = result->jit->getSingle("net");
  if (!single)
    return single.takeError();
  auto batch = result->jit->getBatch("net");
  if (!batch)
    return batch.takeError();
  auto parallel = result->jit->getParallelBatch("net");
  if (!parallel)
    return parallel.takeError();
  result->single = *single;
  result->batch = *batch;
  result->parallel = *parallel;
  return std::move(result);
}

llvm::Expected<std::unique_ptr<SffnnInference>>
SffnnInference::load(llvm::StringRef path, llvm::StringRef name) {
  std::string message;
  auto library = llvm::sys::DynamicLibrary::getPermanentLibrary(
      path.str().c_str(), &message);
  if (!library.isValid())
    return llvm::createStringError("cannot load " + path + ": " + message);
  std::unique_ptr<SffnnInference> result(new SffnnInference());
  result->single = reinterpret_cast<SingleFunction>(
      library.getAddressOfSymbol(name.str().c_str()));
  result->batch = reinterpret_cast<BatchFunction>(
      library.getAddressOfSymbol((name + "_batch").str().c_str()));
  result->parallel = reinterpret_cast<ParallelBatchFunction>(
      library.getAddressOfSymbol((name + "_batch_parallel").str().c_str()));
  if (!result->single || !result->batch)
    return llvm::createStringError(path + " does not define " + name + " and " +
                                   name + "_batch");
  return std::move(result);
}

void SffnnInference::run(const float *in, float *out, int64_t samples) {
  if (threads != 1 && samples != 1 && !parallel)
    llvm::report_fatal_error("sffnn: no net_batch_parallel to run");
  int32_t rc = samples == 1   ? single(in, out)
               : threads != 1 ? parallel(in, out, samples, threads)
                              : batch(in, out, samples);
  if (rc)
    llvm::report_fatal_error(
        llvm::Twine("sffnn: net failed: ") +
        std::error_code(rc, std::generic_category()).message());
}

void sffnn::bench::runBatches(benchmark::State &state, Inference &inference,
                              const Graph &graph, int64_t batch) {
  std::vector<float> in = makeInputs(graph.getNumInputs(), batch);
  std::vector<float> out(batch * graph.getNumOutputs());
  for (auto _ : state) {
    inference.run(in.data(), out.data(), batch);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  double samples = double(batch) * state.iterations();
  state.counters["samples_per_second"] =
      benchmark::Counter(samples, benchmark::Counter::kIsRate);
  state.counters["connections_per_second"] = benchmark::Counter(
      double(graph.getNumConnections()) * samples, benchmark::Counter::kIsRate);
}

bool sffnn::bench::fitsStraightLine(const Graph &graph) {
  return graph.getNumConnections() <= LowerToLLVMOptions().straightLimit;
}

llvm::Expected<Graph> sffnn::bench::loadGraph(llvm::StringRef path) {
  MLIRContext context;
  prepareContext(context);
  DiagnosticCollector diagnostics(context);
  OwningOpRef<ModuleOp> module = loadNetwork(context, path, DriverOptions());
  if (!module)
    return diagnostics.takeError(("cannot load " + path).str());
  auto networks = module->getOps<NetworkOp>();
  FailureOr<Graph> graph = buildGraph(*networks.begin());
  if (failed(graph))
    return diagnostics.takeError(("cannot convert " + path).str());
  return std::move(*graph);
}

std::vector<float> sffnn::bench::makeInputs(uint32_t numInputs,
                                            int64_t samples) {
  std::mt19937_64 rng(3);
  std::vector<float> in(samples * numInputs);
  for (float &x : in)
    x = float((rng() >> 11) * 0x1.0p-53) * 2.0f - 1.0f;
  return in;
}

std::vector<float> sffnn::bench::evaluateReference(const Graph &graph,
                                                   llvm::ArrayRef<float> inputs,
                                                   int64_t samples) {
  const uint32_t numInputs = graph.getNumInputs();
  std::vector<float> out;
  std::vector<double> sample(numInputs);
  for (int64_t s = 0; s < samples; ++s) {
    for (uint32_t i = 0; i < numInputs; ++i)
      sample[i] = inputs[s * numInputs + i];
    for (double y : graph.evaluate(sample))
      out.push_back(float(y));
  }
  return out;
}

llvm::Error sffnn::bench::checkOutputs(llvm::ArrayRef<float> expected,
                                       llvm::ArrayRef<float> actual,
                                       double tolerance, llvm::StringRef what) {
  if (expected.size() != actual.size())
    return llvm::createStringError(
        llvm::formatv("{0}: {1} outputs instead of {2}", what, actual.size(),
                      expected.size()));
  double scale = 1.0;
  for (float y : expected)
    scale = std::max(scale, double(std::abs(y)));
  for (size_t k = 0; k < expected.size(); ++k)
    if (!(std::abs(double(actual[k]) - expected[k]) <= tolerance * scale))
      return llvm::createStringError(
          llvm::formatv("{0}: output {1} is {2} instead of {3} (tolerance {4})",
                        what, k, actual[k], expected[k], tolerance * scale));
  return llvm::Error::success();
}

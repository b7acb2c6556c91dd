//===- ParseBench.cpp - Parse time of large networks ----------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements a Google Benchmark of parsing (and verifying) a
// network in text and in bytecode. The files come from sffnn-gen (see
// utils/run-benchmarks.sh):
//
//   sffnn-bench-parse --text=net.mlir --bytecode=net.mlirbc
//
// Each format is best run in its own process (--benchmark_filter) so that
// the reported peak_rss_mib counter, the process's peak resident set size,
// belongs to that format alone.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/IR/SFFNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstring>
#include <string>

namespace {

std::string textFile, bytecodeFile;

/// Peak resident set size of this process, in MiB.
double getPeakRssMiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void parseFile(benchmark::State &state, const std::string &path) {
  if (path.empty()) {
    state.SkipWithError("no input file given");
    return;
  }
  for (auto _ : state) {
    mlir::MLIRContext context;
    context.loadDialect<sffnn::SFFNNDialect>();
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceFile<mlir::ModuleOp>(path, &context);
    if (!module) {
      state.SkipWithError("parsing failed");
      return;
    }
    benchmark::DoNotOptimize(module.get());
  }
  state.counters["peak_rss_mib"] = getPeakRssMiB();
}

void BM_ParseText(benchmark::State &state) { parseFile(state, textFile); }
void BM_ParseBytecode(benchmark::State &state) {
  parseFile(state, bytecodeFile);
}

BENCHMARK(BM_ParseText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseBytecode)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv) {
  // Take our flags out before Google Benchmark sees the rest.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--text=", 7) == 0)
      textFile = argv[i] + 7;
    else if (std::strncmp(argv[i], "--bytecode=", 11) == 0)
      bytecodeFile = argv[i] + 11;
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

//===- MachineBench.h - The machine's FMA peak and bandwidth ----*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_BENCH_MACHINEBENCH_H
#define SFFNN_BENCH_MACHINEBENCH_H

namespace sffnn {
namespace bench {

/// Registers machine/fma-peak, machine/read-bandwidth, machine/triad and
/// machine/block-row/{L1,L2} (see MachineBench.cpp) with Google Benchmark.
void registerMachineBenchmarks();

} // namespace bench
} // namespace sffnn

#endif // SFFNN_BENCH_MACHINEBENCH_H

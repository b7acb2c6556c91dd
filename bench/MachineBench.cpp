//===- MachineBench.cpp - The machine's FMA peak and memory bandwidth -----===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the machine-context benchmarks the inference results
// are compared to, as Google Benchmarks in the same binary:
//
//   machine/fma-peak      single-precision FMAs per second on one core:
//                         kChains independent chains of vector FMAs (enough
//                         to cover the FMA latency on every pipe), built for
//                         the host CPU (-march=native) so that the widest
//                         vectors are used. Counter fmas_per_second counts
//                         scalar FMAs (one per lane).
//   machine/read-bandwidth  sum of a 256 MiB float array (far above the
//                         last-level cache), bytes_per_second read.
//   machine/triad         STREAM triad a = b + s * c over three 128 MiB
//                         arrays, bytes_per_second counting 3 arrays (the
//                         STREAM convention, without write-allocate traffic).
//   machine/block-row/L1, machine/block-row/L2
//                         the step of a batch kernel's row one at a time
//                         (docs/codegen.md, "Batch"): per entry, a source
//                         index and a weight are loaded, the weight is
//                         broadcast, and the source's block of
//                         kBlockVectors vectors (64 samples with AVX-512) is
//                         multiplied into as many accumulators, in 2 partial
//                         sums; sources are random blocks of a frame of
//                         16 KiB (held in the L1 data cache) or 512 KiB (in
//                         the L2). fmas_per_second over fma-peak's is the
//                         ceiling of that step on this core, whatever the
//                         plan: every FMA reads a vector from memory.
//                         .../L1/1-vector and .../L1/2-vectors: blocks of 1
//                         and 2 vectors (16 and 32 samples with AVX-512).
//
// One inference does one FMA per connection per sample, so
// connections_per_second / fmas_per_second is the fraction of the FMA peak a
// result reaches.
//
//===----------------------------------------------------------------------===//

#include "MachineBench.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

/// The widest vector the host has: 64 bytes (AVX-512), or fewer if the
/// compiler does not enable it; GCC splits wider vectors itself.
#if defined(__AVX512F__)
constexpr int kVectorBytes = 64;
#elif defined(__AVX__)
constexpr int kVectorBytes = 32;
#else
constexpr int kVectorBytes = 16;
#endif
typedef float Vector __attribute__((vector_size(kVectorBytes)));
constexpr int kLanes = kVectorBytes / sizeof(float);
constexpr int kChains = 16;

/// One step of every chain: 16 named accumulators, so that they live in
/// registers (an array would be kept on the stack).
#define SFFNN_FOR_EACH_CHAIN(X)                                                \
  X(0)                                                                         \
  X(1)                                                                         \
  X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

void fmaPeak(benchmark::State &state) {
  Vector a, b;
  for (int k = 0; k < kLanes; ++k) {
    a[k] = 0.999999f;
    b[k] = 1e-7f;
  }
#define SFFNN_DECLARE(c) Vector acc##c = a * float(c + 1);
  SFFNN_FOR_EACH_CHAIN(SFFNN_DECLARE)
#undef SFFNN_DECLARE
  const int64_t inner = 1 << 16;
  for (auto _ : state) {
    for (int64_t i = 0; i < inner; ++i) {
      // The empty asm keeps each chain in a register and the loop from
      // being folded.
#define SFFNN_STEP(c)                                                          \
  acc##c = acc##c * a + b;                                                     \
  asm volatile("" : "+v"(acc##c));
      SFFNN_FOR_EACH_CHAIN(SFFNN_STEP)
#undef SFFNN_STEP
    }
  }
  // Taking the accumulators' addresses would keep them on the stack: only
  // their sum escapes.
  Vector total = {};
#define SFFNN_SUM(c) total += acc##c;
  SFFNN_FOR_EACH_CHAIN(SFFNN_SUM)
#undef SFFNN_SUM
  benchmark::DoNotOptimize(total);
  state.counters["fmas_per_second"] =
      benchmark::Counter(double(inner) * kChains * kLanes * state.iterations(),
                         benchmark::Counter::kIsRate);
}

void readBandwidth(benchmark::State &state) {
  const size_t n = (size_t(256) << 20) / sizeof(float);
  std::vector<float> data(n, 1.0f);
  for (auto _ : state) {
    Vector sum[4] = {};
    const Vector *v = reinterpret_cast<const Vector *>(data.data());
    for (size_t i = 0; i + 4 <= n / kLanes; i += 4)
      for (int k = 0; k < 4; ++k)
        sum[k] += v[i + k];
    benchmark::DoNotOptimize(sum);
  }
  state.counters["bytes_per_second"] =
      benchmark::Counter(double(n) * sizeof(float) * state.iterations(),
                         benchmark::Counter::kIsRate);
}

void triad(benchmark::State &state) {
  const size_t n = (size_t(128) << 20) / sizeof(float);
  std::vector<float> a(n, 0.0f), b(n, 1.0f), c(n, 2.0f);
  const float s = 3.0f;
  for (auto _ : state) {
    float *__restrict pa = a.data();
    const float *__restrict pb = b.data();
    const float *__restrict pc = c.data();
    for (size_t i = 0; i < n; ++i)
      pa[i] = pb[i] + s * pc[i];
    benchmark::DoNotOptimize(pa);
    benchmark::ClobberMemory();
  }
  state.counters["bytes_per_second"] =
      benchmark::Counter(3.0 * n * sizeof(float) * state.iterations(),
                         benchmark::Counter::kIsRate);
}

/// machine/block-row: a row of 2^16 entries over a frame of `frameBytes`,
/// blocks of `kBlockVectors` vectors.
template <int kBlockVectors>
void blockRow(benchmark::State &state, size_t frameBytes) {
  typedef Vector Block[kBlockVectors];
  const size_t numBlocks = frameBytes / sizeof(Block);
  const size_t numEntries = size_t(1) << 16;
  std::vector<Block> frame(numBlocks);
  for (size_t i = 0; i < numBlocks; ++i)
    for (int v = 0; v < kBlockVectors; ++v)
      for (int k = 0; k < kLanes; ++k)
        frame[i][v][k] = 1e-3f * float((i + v + k) % 7);
  std::vector<uint32_t> sources(numEntries);
  std::vector<float> weights(numEntries);
  uint64_t random = 88172645463325252ull; // xorshift64
  for (size_t e = 0; e < numEntries; ++e) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    sources[e] = uint32_t(random % numBlocks);
    weights[e] = 1e-3f * float(e % 11);
  }
  for (auto _ : state) {
    Vector acc0[kBlockVectors] = {}, acc1[kBlockVectors] = {};
    for (size_t e = 0; e < numEntries; e += 2) {
      const Vector *x0 = frame[sources[e]], *x1 = frame[sources[e + 1]];
      const float w0 = weights[e], w1 = weights[e + 1];
      for (int v = 0; v < kBlockVectors; ++v) {
        acc0[v] += w0 * x0[v];
        acc1[v] += w1 * x1[v];
      }
    }
    for (int v = 0; v < kBlockVectors; ++v)
      acc0[v] += acc1[v];
    benchmark::DoNotOptimize(acc0);
  }
  state.counters["fmas_per_second"] = benchmark::Counter(
      double(numEntries) * kBlockVectors * kLanes * state.iterations(),
      benchmark::Counter::kIsRate);
}

} // namespace

void sffnn::bench::registerMachineBenchmarks() {
  // Wall-clock time, as the inference benchmarks (BaselineBench.cpp).
  benchmark::RegisterBenchmark("machine/fma-peak", fmaPeak)->UseRealTime();
  // B = 4 vectors (the default block), and 1 and 2 vectors in the L1.
  benchmark::RegisterBenchmark("machine/block-row/L1", blockRow<4>,
                               size_t(16) << 10)
      ->UseRealTime();
  benchmark::RegisterBenchmark("machine/block-row/L2", blockRow<4>,
                               size_t(512) << 10)
      ->UseRealTime();
  benchmark::RegisterBenchmark("machine/block-row/L1/1-vector", blockRow<1>,
                               size_t(16) << 10)
      ->UseRealTime();
  benchmark::RegisterBenchmark("machine/block-row/L1/2-vectors", blockRow<2>,
                               size_t(16) << 10)
      ->UseRealTime();
  benchmark::RegisterBenchmark("machine/read-bandwidth", readBandwidth)
      ->MinTime(1.0)
      ->UseRealTime();
  benchmark::RegisterBenchmark("machine/triad", triad)
      ->MinTime(1.0)
      ->UseRealTime();
}

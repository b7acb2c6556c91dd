//===- Annealer.cpp - Simulated annealing over topological orders ---------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements annealOrder. A move takes the neuron at position i to
// position j (|i - j| <= moveRadius) inside the range its sources and
// consumers allow, so the order stays topological. Its cost change is
// estimated by WindowCostModel on the positions [min(i, j) - padding,
// max(i, j) + padding] before and after the move, and accepted by the
// Metropolis rule at a geometrically cooling temperature. A long move is
// estimated by a window around each end. Every
// checkInterval moves the current order is planned in full: the best order
// by planned cost is kept, and the search returns to it when the current
// order has drifted above it.
//
//===----------------------------------------------------------------------===//

#include "Utils/WindowCost.h"

#include "sffnn/Scheduling/Schedulers.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

using namespace sffnn;

llvm::Expected<AnnealResult> sffnn::annealOrder(const Graph &graph,
                                                llvm::ArrayRef<NeuronId> start,
                                                const AnnealOptions &options) {
  if (llvm::Error error = checkFastMemory(options.fastMemory))
    return std::move(error);
  if (llvm::Error error = checkAnnealTimeLimit(options.timeLimitSeconds))
    return std::move(error);
  if (llvm::Error error = verifyNeuronOrder(graph, start))
    return std::move(error);

  AnnealResult result;
  llvm::Expected<IOCounts> startCounts =
      planNeuronOrder(graph, start, options.fastMemory);
  if (!startCounts)
    return startCounts.takeError();
  result.order.assign(start.begin(), start.end());
  result.counts = *startCounts;
  result.startCost = startCounts->getTotal();
  const size_t numComputed = start.size();
  if (numComputed < 2 || options.iterations == 0)
    return result;

  std::vector<NeuronId> order(start.begin(), start.end());
  std::vector<uint32_t> position(graph.getNumNeurons(), 0);
  auto resetPositions = [&] {
    for (size_t p = 0; p < numComputed; ++p)
      position[order[p]] = p;
  };
  resetPositions();

  detail::WindowCostModel model(graph, options.fastMemory);
  std::mt19937_64 rng(options.seed);
  auto uniform = [&] { return (rng() >> 11) * 0x1.0p-53; };
  const int64_t radius = std::max<uint32_t>(options.moveRadius, 1);
  int64_t padding = options.windowPadding;
  if (padding == 0) {
    double meanFanIn =
        double(graph.getNumConnections()) / double(numComputed) + 1.0;
    padding = std::clamp<int64_t>(std::ceil(256.0 / meanFanIn), 1, 8);
  }
  const double t0 = std::max(options.initialTemperature, 1e-9);
  const double t1 = std::max(std::min(options.finalTemperature, t0), 1e-9);
  uint64_t checkInterval = options.checkInterval;
  if (checkInterval == 0) {
    double windowAccesses =
        (2.0 * padding + 2.0) *
        (double(graph.getNumConnections()) / double(numComputed) + 1.0);
    checkInterval = std::max<uint64_t>(
        1, uint64_t(10.0 *
                    double(graph.getNumConnections() + graph.getNumNeurons()) /
                    (4.0 * windowAccesses)));
  }
  auto startTime = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         startTime)
        .count();
  };

  std::vector<NeuronId> before, after;
  uint64_t bestCost = result.startCost;
  for (uint64_t iteration = 0; iteration < options.iterations; ++iteration) {
    double progress = double(iteration) / double(options.iterations);
    if (options.timeLimitSeconds > 0 && (iteration & 255) == 0) {
      double seconds = elapsed();
      if (seconds >= options.timeLimitSeconds)
        break;
      progress = std::max(progress, seconds / options.timeLimitSeconds);
    }
    double temperature = t0 * std::pow(t1 / t0, progress);

    // Pick a neuron and the positions its sources and consumers allow.
    int64_t i = rng() % numComputed;
    NeuronId v = order[i];
    int64_t lo = std::max<int64_t>(0, i - radius);
    int64_t hi = std::min<int64_t>(numComputed - 1, i + radius);
    for (NeuronId u : graph.getFanIn(v))
      if (!graph.isInput(u))
        lo = std::max<int64_t>(lo, int64_t(position[u]) + 1);
    for (NeuronId w : graph.getFanOut(v))
      hi = std::min<int64_t>(hi, int64_t(position[w]) - 1);
    if (hi <= lo)
      continue;
    int64_t j = lo + int64_t(rng() % uint64_t(hi - lo));
    if (j >= i)
      ++j;

    // The cost change: one window around both ends when they are close,
    // else a window around each end (the neurons in between only shift).
    int64_t delta;
    int64_t a, b;
    auto moved = [&](int64_t from, int64_t to) {
      auto first = after.begin() + from, last = after.begin() + to;
      if (to < from)
        std::rotate(last, first, first + 1);
      else
        std::rotate(first, first + 1, last + 1);
    };
    if (std::abs(i - j) <= 2 * padding + 1) {
      a = std::max<int64_t>(0, std::min(i, j) - padding);
      b = std::min<int64_t>(numComputed - 1, std::max(i, j) + padding);
      before.assign(order.begin() + a, order.begin() + b + 1);
      after = before;
      moved(i - a, j - a);
      delta = int64_t(model.getCost(after)) - int64_t(model.getCost(before));
    } else {
      // Around i: v leaves. Around j: v arrives (before or after order[j]).
      auto window = [&](int64_t center) {
        return std::make_pair(
            std::max<int64_t>(0, center - padding),
            std::min<int64_t>(numComputed - 1, center + padding));
      };
      auto [ia, ib] = window(i);
      auto [ja, jb] = window(j);
      before.assign(order.begin() + ia, order.begin() + ib + 1);
      after = before;
      after.erase(after.begin() + (i - ia));
      delta = int64_t(model.getCost(after)) - int64_t(model.getCost(before));
      before.assign(order.begin() + ja, order.begin() + jb + 1);
      after = before;
      after.insert(after.begin() + (j - ja) + (j > i ? 1 : 0), v);
      delta += int64_t(model.getCost(after)) - int64_t(model.getCost(before));
      a = std::min(i, j);
      b = std::max(i, j);
      before.assign(order.begin() + a, order.begin() + b + 1);
      after = before;
      moved(i - a, j - a);
    }
    ++result.movesEvaluated;

    if (delta <= 0 || uniform() < std::exp(-double(delta) / temperature)) {
      std::copy(after.begin(), after.end(), order.begin() + a);
      for (int64_t p = a; p <= b; ++p)
        position[order[p]] = p;
      ++result.movesAccepted;
    }

    if ((iteration + 1) % checkInterval == 0 ||
        iteration + 1 == options.iterations) {
      llvm::Expected<IOCounts> counts =
          planNeuronOrder(graph, order, options.fastMemory);
      if (!counts)
        return counts.takeError();
      if (counts->getTotal() < bestCost) {
        bestCost = counts->getTotal();
        result.order = order;
        result.counts = *counts;
      } else if (counts->getTotal() > bestCost) {
        order = result.order;
        resetPositions();
      }
    }
  }
  // A time limit may stop between checks: plan the last order too.
  llvm::Expected<IOCounts> last =
      planNeuronOrder(graph, order, options.fastMemory);
  if (!last)
    return last.takeError();
  if (last->getTotal() < bestCost) {
    result.order = order;
    result.counts = *last;
  }
  return result;
}

//===- Schedulers.h - Evaluation orders of a network ------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the schedulers: strategies that choose the order in
// which the computed neurons of a network are pulled (each neuron's bias,
// macs and finish in a row; see getPullOrder). The planner turns an order
// into a plan and its I/O cost (docs/io-model.md); docs/scheduling.md
// describes each strategy and what is known about it.
//
// Every scheduler is deterministic: the same graph, M and seed give the same
// order.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_SCHEDULING_SCHEDULERS_H
#define SFFNN_SCHEDULING_SCHEDULERS_H

#include "sffnn/Analysis/Graph.h"
#include "sffnn/Analysis/Plan.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <vector>

namespace sffnn {

/// The scheduling strategies. Their values are stored in bytecode (in
/// #sffnn.schedule): append new ones, after kLastStrategy.
enum class Strategy : uint8_t {
  /// The standard way: level by level (level = length of the longest path
  /// from the inputs), each level in neuron-id order.
  Layerwise,
  /// The paper's 2-optimal strategy: a topological order (Kahn, smallest
  /// ready id first) pulled neuron by neuron (getTwoOptimalOrder).
  TwoOptimal,
  /// Greedy list scheduling for locality: repeatedly pull the ready neuron
  /// with the most sources in a simulated LRU fast memory.
  Greedy,
  /// Simulated annealing over topological orders, from a start order.
  Anneal,
};
constexpr Strategy kLastStrategy = Strategy::Anneal;

/// Returns "layerwise", "two-optimal", "greedy" or "anneal".
llvm::StringRef stringifyStrategy(Strategy strategy);
/// Parses the names of stringifyStrategy, and "two-opt", the deprecated name
/// of "two-optimal".
std::optional<Strategy> symbolizeStrategy(llvm::StringRef name);

/// The values of a strategy option (`--strategy`, `strategy=`): the names of
/// symbolizeStrategy, each with its description. Every tool, pass and
/// pipeline declares its strategy option with these.
llvm::cl::ValuesClass getStrategyOptionValues();

/// The values of the annealer's start option (`start=`): "best" (the
/// cheapest of the layerwise, two-optimal and greedy orders), given as
/// Strategy::Anneal, and the names of those three strategies.
/// getAnnealStart turns the option's value into ScheduleOptions::annealStart.
llvm::cl::ValuesClass getAnnealStartOptionValues();
std::optional<Strategy> getAnnealStart(Strategy option);

/// The annealer's default seed and moves, shared by every tool, pass and
/// pipeline. 10^5 moves take 15 to 20 s on a 10^6-connection network
/// (docs/scheduling.md), so the default 20,000 take a few seconds there.
constexpr uint64_t kDefaultAnnealSeed = 1;
constexpr uint64_t kDefaultAnnealIterations = 20'000;

/// The layerwise order of the computed neurons of the finalized `graph`:
/// sorted by (level, id). O(N + W).
std::vector<NeuronId> getLayerwiseOrder(const Graph &graph);

/// The greedy locality order for a fast memory of `fastMemory` words: a list
/// scheduler that simulates an LRU fast memory of M - 2 neuron values (two
/// slots stay for the accumulator and the weight) and always pulls the ready
/// neuron with the most sources resident, ties to the smallest id.
/// O((N + W) log N + sum over loads and evictions of the fan-out).
std::vector<NeuronId> getGreedyOrder(const Graph &graph, uint32_t fastMemory);

/// The default annealing time limit in seconds: annealing stops after its
/// moves or after this long, whichever comes first, so that no number of
/// moves makes a tool hang. The default number of moves takes far less.
constexpr double kDefaultAnnealTimeLimit = 60.0;

/// Checks an annealing time limit: a finite number of seconds >= 0 (0: no
/// limit). NaN, infinities and negative values are errors.
llvm::Error checkAnnealTimeLimit(double seconds);

/// Options of the annealer.
struct AnnealOptions {
  /// M, in words (at least 3).
  uint32_t fastMemory = 0;
  uint64_t seed = kDefaultAnnealSeed;
  /// The number of moves to evaluate.
  uint64_t iterations = kDefaultAnnealIterations;
  /// Stop after this many seconds (0: no limit). A time limit that is
  /// reached makes the result depend on the machine's speed; iterations
  /// alone do not.
  double timeLimitSeconds = kDefaultAnnealTimeLimit;
  /// A move takes a neuron at most this many positions away.
  uint32_t moveRadius = 256;
  /// Neurons on each side of a move that its cost window includes; 0 picks
  /// it from the mean fan-in: enough neurons for about 256 source accesses,
  /// between 1 and 8.
  uint32_t windowPadding = 0;
  /// Metropolis temperature, in words, at the first and the last move
  /// (geometric cooling).
  double initialTemperature = 1.0;
  double finalTemperature = 0.02;
  /// Plan the current order in full every this many moves; 0 picks it so
  /// that full plans take about a tenth of the time of the window estimates
  /// (10 (W + N) / (4 window accesses)).
  uint64_t checkInterval = 0;
};

/// The result of annealing.
struct AnnealResult {
  /// The best order seen, by planned cost; never worse than the start.
  std::vector<NeuronId> order;
  /// Its planned I/O counts.
  IOCounts counts;
  /// The planned cost of the start order.
  uint64_t startCost = 0;
  uint64_t movesEvaluated = 0;
  uint64_t movesAccepted = 0;
};

/// Simulated annealing over topological orders, starting from `start` (a
/// topological order of all computed neurons). A move shifts one neuron to
/// another position within `moveRadius` that keeps the order topological;
/// its cost change is estimated by planning a window of neurons around the
/// move in isolation (O(window connections * log M)), accepted by the
/// Metropolis rule, and the current order is planned in full every
/// `checkInterval` moves to keep the best order seen by true cost.
/// Errors: M < 3, `start` not a topological order of the computed neurons,
/// an invalid time limit (see checkAnnealTimeLimit).
llvm::Expected<AnnealResult> annealOrder(const Graph &graph,
                                         llvm::ArrayRef<NeuronId> start,
                                         const AnnealOptions &options);

/// Options of scheduleNetwork.
struct ScheduleOptions {
  Strategy strategy = Strategy::TwoOptimal;
  /// For Anneal: the order it starts from (not Anneal); std::nullopt
  /// starts from the cheapest of the layerwise, two-optimal and greedy
  /// orders.
  std::optional<Strategy> annealStart;
  /// M, in words (at least 3).
  uint32_t fastMemory = 0;
  uint64_t seed = kDefaultAnnealSeed;
  uint64_t iterations = kDefaultAnnealIterations;
  /// See AnnealOptions::timeLimitSeconds.
  double timeLimitSeconds = kDefaultAnnealTimeLimit;
};

/// A schedule: the order, its planned I/O counts and the time taken.
struct ScheduleResult {
  std::vector<NeuronId> order;
  IOCounts counts;
  /// Wall-clock seconds spent choosing the order (planning excluded).
  double seconds = 0;
  /// Annealing statistics (zero for other strategies).
  uint64_t movesEvaluated = 0;
  uint64_t movesAccepted = 0;
};

/// Runs `options.strategy` on the finalized `graph` and plans the order.
/// Errors: M < 3; annealStart = Anneal.
llvm::Expected<ScheduleResult> scheduleNetwork(const Graph &graph,
                                               const ScheduleOptions &options);

/// Checks that `order` is a topological order of exactly the computed
/// neurons of `graph`; the error names the first offending position.
llvm::Error verifyNeuronOrder(const Graph &graph,
                              llvm::ArrayRef<NeuronId> order);

/// The planned I/O counts of the pull order of `order` with M = `fastMemory`.
llvm::Expected<IOCounts> planNeuronOrder(const Graph &graph,
                                         llvm::ArrayRef<NeuronId> order,
                                         uint32_t fastMemory);

} // namespace sffnn

#endif // SFFNN_SCHEDULING_SCHEDULERS_H

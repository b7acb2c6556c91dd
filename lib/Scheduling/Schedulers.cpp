//===- Schedulers.cpp - Layerwise order, names, dispatch ------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the strategy names, the layerwise order, order
// verification, and scheduleNetwork, which runs a strategy and plans its
// order.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Scheduling/Schedulers.h"
#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>

using namespace sffnn;

llvm::StringRef sffnn::stringifyStrategy(Strategy strategy) {
  switch (strategy) {
  case Strategy::Layerwise:
    return "layerwise";
  case Strategy::TwoOptimal:
    return "two-optimal";
  case Strategy::Greedy:
    return "greedy";
  case Strategy::Anneal:
    return "anneal";
  }
  return "unknown";
}

std::optional<Strategy> sffnn::symbolizeStrategy(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Strategy>>(name)
      .Case("layerwise", Strategy::Layerwise)
      .Case("two-optimal", Strategy::TwoOptimal)
      .Case("two-opt", Strategy::TwoOptimal) // the deprecated name
      .Case("greedy", Strategy::Greedy)
      .Case("anneal", Strategy::Anneal)
      .Default(std::nullopt);
}

llvm::cl::ValuesClass sffnn::getStrategyOptionValues() {
  return llvm::cl::values(
      clEnumValN(Strategy::Layerwise, "layerwise", "level by level"),
      clEnumValN(Strategy::TwoOptimal, "two-optimal",
                 "the paper's 2-optimal strategy"),
      clEnumValN(Strategy::TwoOptimal, "two-opt",
                 "deprecated name of two-optimal"),
      clEnumValN(Strategy::Greedy, "greedy", "locality list scheduling"),
      clEnumValN(Strategy::Anneal, "anneal", "simulated annealing"));
}

llvm::cl::ValuesClass sffnn::getAnnealStartOptionValues() {
  return llvm::cl::values(
      clEnumValN(Strategy::Anneal, "best",
                 "the cheapest of the layerwise, two-optimal and greedy "
                 "orders"),
      clEnumValN(Strategy::Layerwise, "layerwise", "the layerwise order"),
      clEnumValN(Strategy::TwoOptimal, "two-optimal", "the two-optimal order"),
      clEnumValN(Strategy::Greedy, "greedy", "the greedy order"));
}

std::optional<Strategy> sffnn::getAnnealStart(Strategy option) {
  if (option == Strategy::Anneal)
    return std::nullopt;
  return option;
}

std::vector<NeuronId> sffnn::getLayerwiseOrder(const Graph &graph) {
  const NeuronId numInputs = graph.getNumInputs();
  std::vector<uint32_t> level = graph.getLevels();
  uint32_t maxLevel = 0;
  for (uint32_t l : level)
    maxLevel = std::max(maxLevel, l);
  // A counting sort by level keeps ids increasing within a level.
  std::vector<uint64_t> start(maxLevel + 2, 0);
  for (NeuronId v = numInputs; v < graph.getNumNeurons(); ++v)
    ++start[level[v] + 1];
  for (uint32_t l = 1; l <= maxLevel + 1; ++l)
    start[l] += start[l - 1];
  std::vector<NeuronId> order(graph.getNumComputed());
  for (NeuronId v = numInputs; v < graph.getNumNeurons(); ++v)
    order[start[level[v]]++] = v;
  return order;
}

llvm::Error sffnn::verifyNeuronOrder(const Graph &graph,
                                     llvm::ArrayRef<NeuronId> order) {
  auto error = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  if (order.size() != graph.getNumComputed())
    return error("the order has " + llvm::Twine(order.size()) +
                 " neurons, but the network has " +
                 llvm::Twine(graph.getNumComputed()) + " computed neurons");
  std::vector<uint8_t> done(graph.getNumNeurons(), 0);
  for (auto [position, v] : llvm::enumerate(order)) {
    if (v < graph.getNumInputs() || v >= graph.getNumNeurons())
      return error("position " + llvm::Twine(position) + ": " + llvm::Twine(v) +
                   " is not a computed neuron");
    if (done[v])
      return error("position " + llvm::Twine(position) + ": neuron " +
                   llvm::Twine(v) + " appears twice");
    for (NeuronId u : graph.getFanIn(v))
      if (!graph.isInput(u) && !done[u])
        return error("position " + llvm::Twine(position) + ": neuron " +
                     llvm::Twine(v) + " comes before its source " +
                     llvm::Twine(u));
    done[v] = 1;
  }
  return llvm::Error::success();
}

llvm::Expected<IOCounts> sffnn::planNeuronOrder(const Graph &graph,
                                                llvm::ArrayRef<NeuronId> order,
                                                uint32_t fastMemory) {
  return planEvaluation(graph, getPullOrder(graph, order), fastMemory);
}

llvm::Error sffnn::checkAnnealTimeLimit(double seconds) {
  if (std::isfinite(seconds) && seconds >= 0)
    return llvm::Error::success();
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", seconds);
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "the annealing time limit must be a finite number of seconds >= 0 "
      "(0: none), got " +
          text);
}

llvm::Expected<ScheduleResult>
sffnn::scheduleNetwork(const Graph &graph, const ScheduleOptions &options) {
  if (llvm::Error error = checkFastMemory(options.fastMemory))
    return std::move(error);
  auto startTime = std::chrono::steady_clock::now();
  ScheduleResult result;
  auto simpleOrder = [&](Strategy strategy) -> std::vector<NeuronId> {
    switch (strategy) {
    case Strategy::Layerwise:
      return getLayerwiseOrder(graph);
    case Strategy::Greedy:
      return getGreedyOrder(graph, options.fastMemory);
    default:
      return getTwoOptimalOrder(graph);
    }
  };
  if (options.strategy == Strategy::Anneal) {
    if (options.annealStart == Strategy::Anneal)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "annealing cannot start from an "
                                     "annealed order");
    std::vector<NeuronId> start;
    if (options.annealStart) {
      start = simpleOrder(*options.annealStart);
    } else {
      // The cheapest of the constructive orders.
      uint64_t bestCost = ~uint64_t(0);
      for (Strategy candidate :
           {Strategy::TwoOptimal, Strategy::Layerwise, Strategy::Greedy}) {
        std::vector<NeuronId> order = simpleOrder(candidate);
        llvm::Expected<IOCounts> counts =
            planNeuronOrder(graph, order, options.fastMemory);
        if (!counts)
          return counts.takeError();
        if (counts->getTotal() < bestCost) {
          bestCost = counts->getTotal();
          start = std::move(order);
        }
      }
    }
    AnnealOptions anneal;
    anneal.fastMemory = options.fastMemory;
    anneal.seed = options.seed;
    anneal.iterations = options.iterations;
    anneal.timeLimitSeconds = options.timeLimitSeconds;
    llvm::Expected<AnnealResult> annealed = annealOrder(graph, start, anneal);
    if (!annealed)
      return annealed.takeError();
    result.order = std::move(annealed->order);
    result.counts = annealed->counts;
    result.movesEvaluated = annealed->movesEvaluated;
    result.movesAccepted = annealed->movesAccepted;
    result.seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - startTime)
                         .count();
    return result;
  }
  result.order = simpleOrder(options.strategy);
  result.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - startTime)
                       .count();
  llvm::Expected<IOCounts> counts =
      planNeuronOrder(graph, result.order, options.fastMemory);
  if (!counts)
    return counts.takeError();
  result.counts = *counts;
  return result;
}

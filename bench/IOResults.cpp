//===- IOResults.cpp - The scheduling results table -----------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-io-results, which writes docs/io-results.md:
// for generated networks of several sizes and M in {16, 64, 256, 1024, 8192},
// the lower bound and the planned I/O of every scheduling strategy (cost and
// cost / LB, total and activation traffic) with the time each strategy took;
// the margin annealing gains over two-optimal across seeds; and the annealer's
// speed on a 10^6-connection network. Run it through utils/io-results.sh.
//
// Every figure is computed by this program in one run; nothing is typed in.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Generators/Generators.h"
#include "sffnn/Scheduling/Schedulers.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

using namespace sffnn;

namespace {

struct Network {
  std::string name;
  std::string command;
  Graph graph;
};

[[noreturn]] void fail(llvm::Error error) {
  llvm::errs() << "sffnn-io-results: " << llvm::toString(std::move(error))
               << "\n";
  std::exit(1);
}

template <typename T> T check(llvm::Expected<T> value) {
  if (!value)
    fail(value.takeError());
  return std::move(*value);
}

std::vector<Network> makeNetworks() {
  std::vector<Network> networks;
  {
    LayeredOptions o;
    o.widths.assign(5, 256);
    o.fanIn = 16;
    networks.push_back({"random layered 256x5",
                        "sffnn-gen layered "
                        "--widths=256,256,256,256,256 --fan-in=16 --seed=1",
                        check(generateLayered(o))});
  }
  {
    LayeredOptions o;
    o.widths.assign(6, 1024);
    o.fanIn = 32;
    networks.push_back({"random layered 1024x6",
                        "sffnn-gen layered "
                        "--widths=1024,1024,1024,1024,1024,1024 --fan-in=32 "
                        "--seed=1",
                        check(generateLayered(o))});
  }
  {
    BandedOptions o;
    o.widths.assign(6, 1024);
    o.fanIn = 16;
    o.bandwidth = 64;
    networks.push_back({"banded 1024x6",
                        "sffnn-gen banded "
                        "--widths=1024,1024,1024,1024,1024,1024 --fan-in=16 "
                        "--bandwidth=64 "
                        "--seed=1",
                        check(generateBanded(o))});
  }
  {
    GraphChallengeOptions o;
    o.neuronsPerLayer = 1024;
    o.layers = 12;
    networks.push_back({"graph-challenge 1024x12",
                        "sffnn-gen "
                        "graph-challenge --neurons-per-layer=1024 --layers=12 "
                        "--seed=1",
                        check(generateGraphChallenge(o))});
  }
  {
    IOOptimalOptions o;
    o.numNeurons = 20000;
    o.numConnections = 100000;
    o.numInputs = 256;
    o.numOutputs = 64;
    o.fastMemory = 64;
    networks.push_back({"io-optimal (built for M = 64)",
                        "sffnn-gen io-optimal --neurons=20000 "
                        "--connections=100000 --inputs=256 --outputs=64 "
                        "--fast-memory=64 --seed=1",
                        check(generateIOOptimal(o)).graph});
  }
  {
    LayeredOptions o;
    o.widths.assign(11, 1000);
    o.fanIn = 100;
    o.seed = 7;
    networks.push_back({"random layered 1000x11 (10^6)",
                        "sffnn-gen layered "
                        "--widths=1000,...(11 times) --fan-in=100 --seed=7",
                        check(generateLayered(o))});
  }
  return networks;
}

std::string ratio(uint64_t cost, uint64_t lowerBound) {
  std::string text;
  llvm::raw_string_ostream(text)
      << llvm::format("%.3f", lowerBound ? double(cost) / lowerBound : 1.0);
  return text;
}

std::string seconds(double s) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.2f", s);
  return text;
}

ScheduleResult run(const Graph &graph, Strategy strategy, uint32_t m,
                   uint64_t iterations, uint64_t seed = 1,
                   std::optional<Strategy> start = std::nullopt) {
  ScheduleOptions options;
  options.strategy = strategy;
  options.annealStart = start;
  options.fastMemory = m;
  options.iterations = iterations;
  options.seed = seed;
  return check(scheduleNetwork(graph, options));
}

} // namespace

int main() {
  llvm::raw_ostream &os = llvm::outs();
  const uint64_t annealIterations = 20000;
  const std::vector<uint32_t> fastMemories = {16, 64, 256, 1024, 8192};
  const std::vector<Strategy> strategies = {Strategy::Layerwise,
                                            Strategy::TwoOptimal,
                                            Strategy::Greedy, Strategy::Anneal};

  os << "# I/O results\n\n"
     << "Generated by `bash utils/io-results.sh` (bench/IOResults.cpp); every "
        "figure below comes from one run of it. Costs are planned I/Os in "
        "words (docs/io-model.md): total (weights and biases included) and, "
        "in brackets, the activation ratio (activation I/O over its lower "
        "bound n_in' + n_out). Anneal starts from the cheapest of the "
        "layerwise, two-optimal and greedy orders and "
        "evaluates "
     << annealIterations
     << " moves with seed 1. Times are the seconds each strategy took to "
        "choose its order on one core (planning excluded).\n\n";

  std::vector<Network> networks = makeNetworks();
  os << "## Networks\n\n| network | N | W | B | n_in' | n_out | generator |\n"
        "|---|---|---|---|---|---|---|\n";
  for (const Network &network : networks) {
    GraphCounts c = network.graph.getCounts();
    os << "| " << network.name << " | " << c.numNeurons << " | "
       << c.numConnections << " | " << c.numNonZeroBiases << " | "
       << c.numUsedInputs << " | " << c.numOutputs << " | `" << network.command
       << "` |\n";
  }

  os << "\n## Cost per strategy\n\n"
     << "| network | M | LB | layerwise | two-optimal | greedy | anneal | best "
        "/ LB | greedy s | anneal s |\n"
     << "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const Network &network : networks) {
    GraphCounts c = network.graph.getCounts();
    uint64_t lowerBound = getLowerBound(c);
    uint64_t activationLowerBound = c.numUsedInputs + c.numOutputs;
    for (uint32_t m : fastMemories) {
      os << "| " << network.name << " | " << m << " | " << lowerBound;
      uint64_t best = ~uint64_t(0);
      double greedySeconds = 0, annealSeconds = 0;
      for (Strategy strategy : strategies) {
        ScheduleResult result =
            run(network.graph, strategy, m, annealIterations);
        uint64_t cost = result.counts.getTotal();
        best = std::min(best, cost);
        os << " | " << cost << " " << ratio(cost, lowerBound) << " ["
           << ratio(result.counts.getActivationTraffic(), activationLowerBound)
           << "]";
        if (strategy == Strategy::Greedy)
          greedySeconds = result.seconds;
        if (strategy == Strategy::Anneal)
          annealSeconds = result.seconds;
      }
      os << " | " << ratio(best, lowerBound) << " | " << seconds(greedySeconds)
         << " | " << seconds(annealSeconds) << " |\n";
      os.flush();
    }
  }

  // Annealing against two-optimal over seeds, on networks whose widest layer
  // exceeds M.
  os << "\n## Annealing from two-optimal, over seeds\n\n"
     << "Random layered networks 256x5, fan-in 16 (seed s for the network and "
        "the annealer), anneal started from the two-optimal order, "
     << annealIterations
     << " moves. Margin = (two-optimal - anneal) / two-optimal.\n\n"
     << "| M | seeds | mean margin | min | max | anneal < two-optimal |\n"
     << "|---|---|---|---|---|---|\n";
  for (uint32_t m : {16u, 64u}) {
    std::vector<double> margins;
    unsigned better = 0;
    const unsigned numSeeds = 8;
    for (uint64_t seed = 1; seed <= numSeeds; ++seed) {
      LayeredOptions o;
      o.widths.assign(5, 256);
      o.fanIn = 16;
      o.seed = seed;
      Graph graph = check(generateLayered(o));
      uint64_t twoOptimal =
          run(graph, Strategy::TwoOptimal, m, 0).counts.getTotal();
      uint64_t annealed = run(graph, Strategy::Anneal, m, annealIterations,
                              seed, Strategy::TwoOptimal)
                              .counts.getTotal();
      margins.push_back(double(twoOptimal - annealed) / double(twoOptimal));
      better += annealed < twoOptimal;
    }
    double mean = 0;
    for (double margin : margins)
      mean += margin / margins.size();
    auto [lo, hi] = std::minmax_element(margins.begin(), margins.end());
    os << "| " << m << " | " << numSeeds << " | "
       << llvm::format("%.2f%%", 100 * mean) << " | "
       << llvm::format("%.2f%%", 100 * *lo) << " | "
       << llvm::format("%.2f%%", 100 * *hi) << " | " << better << " of "
       << numSeeds << " |\n";
    os.flush();
  }

  // The annealer's speed on 10^6 connections.
  {
    const Network &large = networks.back();
    const uint64_t moves = 100000;
    ScheduleResult result =
        run(large.graph, Strategy::Anneal, 64, moves, 1, Strategy::TwoOptimal);
    uint64_t twoOptimal =
        run(large.graph, Strategy::TwoOptimal, 64, 0).counts.getTotal();
    os << "\n## Annealing at scale\n\n"
       << "On " << large.name
       << " with M = 64, from the two-optimal order: " << result.movesEvaluated
       << " moves evaluated (" << result.movesAccepted << " accepted) in "
       << seconds(result.seconds) << " s on one core; cost " << twoOptimal
       << " -> " << result.counts.getTotal() << " ("
       << ratio(result.counts.getTotal(),
                getLowerBound(large.graph.getCounts()))
       << " of LB).\n";
  }
  return 0;
}

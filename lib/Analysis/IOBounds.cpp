//===- IOBounds.cpp - I/O lower and upper bounds of a network -------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the I/O bounds; the proofs are in docs/io-model.md.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/IOBounds.h"
#include "sffnn/Analysis/Planner.h"

using namespace sffnn;

uint64_t sffnn::getLowerBound(const GraphCounts &counts) {
  return counts.numConnections + counts.numNonZeroBiases +
         counts.numUsedInputs + counts.numOutputs;
}

uint64_t sffnn::getClosedFormUpperBound(const GraphCounts &counts) {
  return 2 * counts.numConnections + counts.numNonZeroBiases +
         counts.numComputed;
}

std::vector<NeuronId> sffnn::getTwoOptimalOrder(const Graph &graph) {
  std::vector<NeuronId> order;
  order.reserve(graph.getNumComputed());
  for (NeuronId v : graph.getTopologicalOrder())
    if (!graph.isInput(v))
      order.push_back(v);
  return order;
}

llvm::Expected<IOBounds> sffnn::computeIOBounds(const Graph &graph,
                                                uint32_t fastMemory) {
  IOBounds bounds;
  bounds.counts = graph.getCounts();
  bounds.fastMemory = fastMemory;
  bounds.lowerBound = getLowerBound(bounds.counts);
  bounds.weightTraffic =
      bounds.counts.numConnections + bounds.counts.numNonZeroBiases;
  bounds.activationLowerBound =
      bounds.counts.numUsedInputs + bounds.counts.numOutputs;
  bounds.closedFormUpperBound = getClosedFormUpperBound(bounds.counts);
  llvm::Expected<IOCounts> twoOptimal = planEvaluation(
      graph, getPullOrder(graph, getTwoOptimalOrder(graph)), fastMemory);
  if (!twoOptimal)
    return twoOptimal.takeError();
  bounds.twoOptimal = *twoOptimal;
  return bounds;
}

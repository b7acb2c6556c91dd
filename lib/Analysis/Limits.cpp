//===- Limits.cpp - Limits on the sizes input files declare ---------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the size limits and their command-line options.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Analysis/Limits.h"

#include <algorithm>

using namespace sffnn;

llvm::cl::OptionCategory &sffnn::getSizeLimitsCategory() {
  static llvm::cl::OptionCategory category("sffnn size limits");
  return category;
}

namespace {

/// The options, created on first use so that every tool linking this
/// library registers them before parsing its command line.
struct LimitOptions {
  llvm::cl::opt<uint64_t> maxNeurons{
      "sffnn-max-neurons",
      llvm::cl::desc("Most neurons of a network, and elements of any "
                     "vector or matrix dimension, an input may declare"),
      llvm::cl::init(SizeLimits().maxNeurons),
      llvm::cl::cat(getSizeLimitsCategory())};
  llvm::cl::opt<uint64_t> maxConnections{
      "sffnn-max-connections",
      llvm::cl::desc("Most connections of a network, and entries of any "
                     "sparse matrix, an input may declare"),
      llvm::cl::init(SizeLimits().maxConnections),
      llvm::cl::cat(getSizeLimitsCategory())};
};

LimitOptions &getLimitOptions() {
  static LimitOptions options;
  return options;
}

/// Registers the options at start-up, before any tool parses its command
/// line.
[[maybe_unused]] const LimitOptions &registeredOptions = getLimitOptions();

llvm::Error limitError(uint64_t count, const llvm::Twine &what,
                       llvm::StringRef unit, uint64_t limit,
                       llvm::StringRef option) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 what + ": " + llvm::Twine(count) +
                                     " is above the limit of " +
                                     llvm::Twine(limit) + " " + unit +
                                     " (raise it with --" + option + ")");
}

} // namespace

SizeLimits sffnn::getSizeLimits() {
  const LimitOptions &options = getLimitOptions();
  SizeLimits limits;
  limits.maxNeurons =
      std::min<uint64_t>(options.maxNeurons, kMaxNeuronsCeiling);
  limits.maxConnections = options.maxConnections;
  return limits;
}

llvm::Error sffnn::checkNeuronCount(uint64_t count, const llvm::Twine &what) {
  uint64_t limit = getSizeLimits().maxNeurons;
  if (count <= limit)
    return llvm::Error::success();
  return limitError(count, what, "neurons", limit, "sffnn-max-neurons");
}

llvm::Error sffnn::checkConnectionCount(uint64_t count,
                                        const llvm::Twine &what) {
  uint64_t limit = getSizeLimits().maxConnections;
  if (count <= limit)
    return llvm::Error::success();
  return limitError(count, what, "connections", limit, "sffnn-max-connections");
}

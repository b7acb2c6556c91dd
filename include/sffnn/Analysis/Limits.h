//===- Limits.h - Limits on the sizes input files declare -------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the limits on the sizes that input files (sffnn IR,
// ONNX models, TSV and MatrixMarket layers) and command-line options
// declare. Every size read from input is checked against them before
// anything is allocated for it, so that a small file cannot make a tool
// allocate more memory than a machine holds; the tools take options to raise
// them (docs/architecture.md, "Bad input").
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_ANALYSIS_LIMITS_H
#define SFFNN_ANALYSIS_LIMITS_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace sffnn {

/// The largest number of neurons any option can allow: neuron ids are
/// 32-bit and the IR indexes neurons with i32.
constexpr uint64_t kMaxNeuronsCeiling = (uint64_t(1) << 31) - 1;

/// Limits on declared sizes.
struct SizeLimits {
  /// The most neurons of a network (inputs included), and so the most
  /// elements of any vector, layer, or matrix dimension an input declares.
  /// Default 2^26 (67,108,864); at most kMaxNeuronsCeiling.
  uint64_t maxNeurons = uint64_t(1) << 26;
  /// The most connections (nonzero weights) of a network, and so the most
  /// entries of any sparse matrix or weight tensor an input declares.
  /// Default 2^28 (268,435,456).
  uint64_t maxConnections = uint64_t(1) << 28;
};

/// The limits in force: the defaults, or the values the command line gave
/// to `--sffnn-max-neurons` and `--sffnn-max-connections` (options of every
/// sffnn tool; a value above kMaxNeuronsCeiling neurons counts as the
/// ceiling).
SizeLimits getSizeLimits();

/// The option category of `--sffnn-max-neurons` and
/// `--sffnn-max-connections`, for tools that hide unrelated options.
llvm::cl::OptionCategory &getSizeLimitsCategory();

/// Succeeds when `count` neurons are within getSizeLimits(); otherwise the
/// error "WHAT: COUNT is above the limit of LIMIT neurons (raise it with
/// --sffnn-max-neurons)".
llvm::Error checkNeuronCount(uint64_t count, const llvm::Twine &what);

/// As checkNeuronCount, for `count` connections (--sffnn-max-connections).
llvm::Error checkConnectionCount(uint64_t count, const llvm::Twine &what);

} // namespace sffnn

#endif // SFFNN_ANALYSIS_LIMITS_H

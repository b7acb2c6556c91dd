//===- Rows.h - Kernel programs cut into rows -------------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the rows that the loop kernels (LoopKernel.cpp,
// GroupKernel.cpp) execute. Their memory is one frame of elements:
//
//   [ fast memory: M slots | inputs: n_in | outputs: n_out | spills | zero ]
//
// so that every value, in fast or in slow memory, has one frame index. A
// kernel program is cut into rows:
//
//  - a row is what the plan does to one accumulator: its initial value (zero
//    or the slot's value), a bias (zero when the plan has none), a run of
//    macs (a dot product of packed weights with frame elements named by a
//    packed source table) and, when the plan finishes the neuron there, its
//    activation; the row's result goes to its slot;
//  - before its dot product, a row performs the I/O events (element copies
//    between a slot and a slow-memory index) that the plan has before it or
//    among its macs, in plan order. An event among the macs moves ahead of
//    the row when no earlier mac of the row reads the slot it overwrites;
//    otherwise the row ends there and a new row continues the accumulator.
//  - a load whose value is read by exactly one mac before its slot is
//    overwritten is fused into that mac, which reads the value from slow
//    memory: the word moves once, as the plan counts it, like the weights.
//
// Rows are cut into segments of one activation (rows that do not finish
// join any segment). Private to the SFFNNToLoops conversion.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_ROWS_H
#define SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_ROWS_H

#include "KernelProgram.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace sffnn {
namespace detail {

/// Row flags.
enum RowFlag : uint64_t {
  FromSlot = 1, ///< The accumulator starts from the slot's value, not zero.
  Finishes = 2, ///< The row applies its segment's activation.
  /// The row's last mac (rows built with lastMacApart) reads the value that
  /// the row before it in its segment wrote to its slot, unchanged since: a
  /// kernel may take it from a register instead of the frame.
  LastFromPrevious = 4,
};

/// A kernel program cut into rows (see the file comment), with the frame
/// layout they address.
struct RowTables {
  /// Frame layout: slots, then inputs, outputs, spills and one zero (the
  /// source of the padding macs).
  uint64_t inputBase = 0, outputBase = 0, spillBase = 0, zeroIndex = 0,
           frameSize = 0;
  // Per segment: the activation id and the rows; the I/O counts of the
  // segment's rows and events (instrumentation).
  std::vector<uint64_t> segmentActivations, segmentRowEnds, segmentLoads,
      segmentStores;
  // Per row.
  std::vector<uint64_t> rowSlots, rowFlags, rowMacEnds, rowIOEnds;
  std::vector<float> rowBiases;
  // Per mac: the frame index of its source and its weight. A row's macs are
  // padded to a multiple of `padTo` (buildRowTables) with macs of weight 0
  // reading the zero, so that the dot product has no remainder: after them,
  // in plan order; or, with lastMacApart, ahead of them (at least `padTo`
  // macs in all), the macs ordered oldest source first (the frame index
  // written longest ago), and the newest source read by one more mac after
  // those (weight 0 reading the zero in a row without macs). When rows form
  // a chain, each reading the one before (deep I/O-optimal networks), the
  // chain's latency per row is then that one FMA.
  std::vector<uint64_t> sources;
  std::vector<float> weights;
  // Per I/O event: frame indices.
  std::vector<uint64_t> ioFrom, ioTo;
  /// The I/O after the last row (its loads and stores).
  uint64_t trailingLoads = 0, trailingStores = 0;
};

/// Rows run side by side, one per vector lane, in groups. The rows of a
/// segment are cut into windows: runs of consecutive rows none of which
/// reads or overwrites what another row of the window writes, nor
/// overwrites what another reads, and whose I/O events can all run before
/// the window's first row (no event reads what an earlier row of the window
/// writes or overwrites what it reads or writes). The rows of a window may
/// then run in any order: longest first, `lanes` to a group, so that rows
/// of similar lengths share a group (the sorting window of SELL-C-sigma).
/// A window's events run with its first group.
///
/// A group's dot products run as one, in columns: a column holds one mac of
/// every lane (padding: weight 0), and lanes without a row write to a sink
/// element past the frame. Two kinds of columns:
///  - gather columns read each lane's source by its frame index;
///  - with `blockElements` > 0, permute columns read a block of that
///    many consecutive frame elements, from any index on, and pick each
///    lane's source in it by its offset: the group's macs are cut into
///    blocks (in frame order, as few columns as possible), and each block's
///    macs go into its columns (its run), as many as the lane with most of
///    them needs, so that the block is read once for all of them. A block
///    whose columns would be mostly padding goes to the gather columns
///    instead, when that costs less (GroupCosts).
/// Every row's reads happen before any of the group's writes, so the group
/// computes what its rows compute one after the other.
struct GroupTables {
  unsigned lanes = 1;
  /// Frame elements per permute block (0: gather columns only).
  unsigned blockElements = 0;
  /// The sink: the frame index unused lanes write (the frame of the rows
  /// plus one element); the frame, with room for a block that starts at
  /// the rows' last element and the element past it, which its permute
  /// reads and zeroes.
  uint64_t sinkIndex = 0, frameSize = 0;
  /// Per segment (the rows' segments): the end of its groups.
  std::vector<uint64_t> segmentGroupEnds;
  /// Per group: the end of its permute runs, of its gather columns and of
  /// its I/O events.
  std::vector<uint64_t> groupRunEnds, groupColumnEnds, groupIOEnds;
  /// Per lane of each group (`lanes` entries a group): the row's slot, flags
  /// and bias.
  std::vector<uint64_t> laneSlots, laneFlags;
  std::vector<float> laneBiases;
  /// Per lane of each gather column (`lanes` entries a column): the mac's
  /// source frame index and weight.
  std::vector<uint64_t> sources;
  std::vector<float> weights;
  /// Per permute run (one block's columns in one group): the frame index
  /// the block starts at, and the end of its columns. Per lane of each
  /// permute column: the source's offset in the block (blockElements:
  /// padding, which reads a lane the kernel forces to 0), and the weight.
  std::vector<uint64_t> runBases, runColumnEnds, permuteOffsets;
  std::vector<float> permuteWeights;
  /// The columns' cost (GroupCosts).
  double cost = 0.0;
};

/// The costs buildGroupTables weighs, in any one unit: a gather column
/// (lanes gathers), a permute column, a permute run's start (its loads),
/// and the most all columns may cost.
struct GroupCosts {
  double gatherColumn = 1.0;
  double permuteColumn = 1.0;
  double permuteRun = 0.0;
  double budget = std::numeric_limits<double>::infinity();
};

/// Groups the rows of `rows` (built with padTo = 1) into groups of up to
/// `lanes` rows, with permute blocks of `blockElements` (0: gather columns
/// only). The groups use `rows`' events and segments. Each permute run's
/// columns are padded to a multiple of `permuteChains`. Returns nullopt as
/// soon as the columns cost more than `costs.budget`.
std::optional<GroupTables>
buildGroupTables(const RowTables &rows, unsigned lanes, unsigned blockElements,
                 const GroupCosts &costs, unsigned permuteChains);

/// Rows run together in tiles of `rows` rows that share sources, on blocks
/// of samples (register tiling of unstructured sparse rows: Wilkinson et
/// al., "Register tiling for unstructured sparsity in neural network
/// inference", PLDI 2023). A tile's dot products run as one, in columns: a
/// column reads one frame element once and adds it, times one weight per
/// row (0 for a row that does not read it), to every row's accumulator, so
/// that one element read from the cache feeds up to `rows` FMAs. Rows are
/// cut into the windows of GroupTables; in a window, rows are ordered by
/// their sorted sources (lexicographically), so that neighbouring rows share
/// most of them, and cut into tiles of `rows`; the lanes of a last, short
/// tile write the sink. Every row's reads happen before any of the tile's
/// writes, so the tile computes what its rows compute one after the other
/// (summing each row in source order).
struct TileTables {
  unsigned rows = 1;
  /// The sink (the frame of the rows plus one element) and the frame size.
  uint64_t sinkIndex = 0, frameSize = 0;
  /// Per segment (the rows' segments): the end of its tiles.
  std::vector<uint64_t> segmentTileEnds;
  /// Per tile: the end of its columns and of its I/O events.
  std::vector<uint64_t> tileColumnEnds, tileIOEnds;
  /// Per row of each tile (`rows` entries a tile): slot, flags and bias.
  std::vector<uint64_t> slots, flags;
  std::vector<float> biases;
  /// Per column: the frame index it reads; per row of each column (`rows`
  /// entries a column): the weight.
  std::vector<uint64_t> sources;
  std::vector<float> weights;
};

/// Cuts the rows of `rows` (built with padTo = 1) into tiles of `tileRows`
/// rows (at least 1); the tiles use `rows`' events and segments.
TileTables buildTileTables(const RowTables &rows, unsigned tileRows);

/// The largest of `values` (0 when empty).
inline uint64_t getMaxValue(const std::vector<uint64_t> &values) {
  uint64_t max = 0;
  for (uint64_t value : values)
    max = std::max(max, value);
  return max;
}

/// Cuts `program` into rows whose macs are padded, with macs of weight 0
/// reading the zero, to a multiple of `padTo` (at least 1); with
/// `lastMacApart`, each row has one mac more, apart from the padded ones
/// (RowTables::sources).
RowTables buildRowTables(const KernelProgram &program, unsigned padTo,
                         bool lastMacApart = false);

} // namespace detail
} // namespace sffnn

#endif // SFFNN_LIB_CONVERSION_SFFNNTOLOOPS_ROWS_H

//===- Rows.cpp - Kernel programs cut into rows ---------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements buildRowTables (Rows.h).
//
//===----------------------------------------------------------------------===//

#include "Rows.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

using namespace sffnn;
using namespace sffnn::detail;

namespace {

bool isLoad(KernelOp::Kind kind) { return kind <= KernelOp::LoadSpill; }
bool isIO(KernelOp::Kind kind) { return kind <= KernelOp::StoreSpill; }
bool isMac(KernelOp::Kind kind) {
  return kind == KernelOp::Mac || kind == KernelOp::MacNew;
}

/// The frame index of the slow-memory word an I/O event `op` moves.
uint64_t getSlowIndex(const RowTables &t, const KernelOp &op) {
  switch (op.kind) {
  case KernelOp::LoadInput:
    return t.inputBase + op.arg;
  case KernelOp::LoadOutput:
  case KernelOp::StoreOutput:
    return t.outputBase + op.arg;
  default:
    return t.spillBase + op.arg;
  }
}

/// The ops whose load is fused into the mac that reads it: for each mac op,
/// the frame index of its source if fused, else its slot.
std::vector<uint64_t> getMacSources(const KernelProgram &program,
                                    const RowTables &t,
                                    std::vector<bool> &fused) {
  const std::vector<KernelOp> &ops = program.ops;
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  // Per slot: the pending load, the number of macs that read it so far and
  // the last of them; a load stops being a candidate when anything but a
  // mac reads its slot.
  std::vector<size_t> pendingLoad(program.numSlots, kNone);
  std::vector<uint32_t> reads(program.numSlots, 0);
  std::vector<size_t> reader(program.numSlots, kNone);
  std::vector<uint64_t> source(ops.size(), 0);
  for (size_t i = 0; i < ops.size(); ++i)
    source[i] = ops[i].source;
  fused.assign(ops.size(), false);
  auto settle = [&](uint32_t slot) {
    size_t load = pendingLoad[slot];
    if (load != kNone && reads[slot] == 1) {
      fused[load] = true;
      source[reader[slot]] = getSlowIndex(t, ops[load]);
    }
    pendingLoad[slot] = kNone;
    reads[slot] = 0;
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    const KernelOp &op = ops[i];
    if (isLoad(op.kind)) {
      settle(op.slot);
      pendingLoad[op.slot] = i;
    } else if (isIO(op.kind)) {
      pendingLoad[op.slot] = kNone; // a store reads the slot
    } else {
      if (isMac(op.kind)) {
        ++reads[op.source];
        reader[op.source] = i;
      }
      // The accumulator's slot holds no loaded value.
      settle(op.slot);
    }
  }
  for (uint32_t slot = 0; slot < program.numSlots; ++slot)
    settle(slot);
  std::vector<uint64_t> macSources;
  for (size_t i = 0; i < ops.size(); ++i)
    if (isMac(ops[i].kind))
      macSources.push_back(source[i]);
  return macSources;
}

/// The first mac and the first I/O event of `row`.
uint64_t getMacBegin(const RowTables &rows, uint64_t row) {
  return row == 0 ? 0 : rows.rowMacEnds[row - 1];
}
uint64_t getIOBegin(const RowTables &rows, uint64_t row) {
  return row == 0 ? 0 : rows.rowIOEnds[row - 1];
}

/// Cuts the rows of `rows` into the windows of GroupTables: calls
/// `onWindow(window, ioEnd)` with each window's rows in plan order (the
/// callee may reorder them) and the end of their events, and
/// `onSegmentEnd()` after each segment's last window. Stops and returns
/// false as soon as a callback returns false.
bool forEachWindow(
    const RowTables &rows,
    llvm::function_ref<bool(std::vector<uint64_t> &, uint64_t)> onWindow,
    llvm::function_ref<bool()> onSegmentEnd) {
  // Frame indices read and written by the open window: an index is marked
  // when its stamp equals the window's number.
  std::vector<uint32_t> readStamp(rows.frameSize, 0),
      writeStamp(rows.frameSize, 0);
  uint32_t stamp = 1;
  std::vector<uint64_t> window; // the open window's rows
  auto close = [&]() {
    if (window.empty())
      return true;
    bool proceed = onWindow(window, rows.rowIOEnds[window.back()]);
    window.clear();
    ++stamp;
    return proceed;
  };
  auto read = [&](uint64_t index) { return readStamp[index] == stamp; };
  auto written = [&](uint64_t index) { return writeStamp[index] == stamp; };
  // Whether `row` can join the open window: its events can run before every
  // row of the window, and it neither reads nor overwrites what a row of
  // the window writes, nor overwrites what one reads (the window's rows
  // run in any order).
  auto fits = [&](uint64_t row) {
    for (uint64_t k = getIOBegin(rows, row); k < rows.rowIOEnds[row]; ++k)
      if (written(rows.ioFrom[k]) || read(rows.ioTo[k]) ||
          written(rows.ioTo[k]))
        return false;
    for (uint64_t m = getMacBegin(rows, row); m < rows.rowMacEnds[row]; ++m)
      if (written(rows.sources[m]))
        return false;
    uint64_t slot = rows.rowSlots[row];
    return !written(slot) && !read(slot);
  };
  uint64_t row = 0;
  for (uint64_t segmentEnd : rows.segmentRowEnds) {
    for (; row < segmentEnd; ++row) {
      if (!fits(row) && !close())
        return false;
      window.push_back(row);
      // The row's events run before every row of the window, in order:
      // later rows and events see them as they would one row at a time.
      for (uint64_t m = getMacBegin(rows, row); m < rows.rowMacEnds[row]; ++m)
        readStamp[rows.sources[m]] = stamp;
      if (rows.rowFlags[row] & FromSlot)
        readStamp[rows.rowSlots[row]] = stamp;
      writeStamp[rows.rowSlots[row]] = stamp;
    }
    if (!close() || !onSegmentEnd())
      return false;
  }
  return true;
}

/// Pads the macs of the row that starts at mac `rowBegin` (the last row of
/// `t`) to a multiple of `padTo` with macs of weight 0 reading the zero.
/// With `lastApart`, the macs are first ordered by when their sources were
/// written (`writtenAt`), oldest first; the padding goes ahead of them,
/// and the source written last into a last mac of its own, after the
/// padded ones (a mac of weight 0 reading the zero when the row has none).
/// A row's macs all read the frame as it is before the row, so their order
/// changes only the rounding of the sum. Returns the last mac's source.
uint64_t orderRowMacs(RowTables &t, uint64_t rowBegin, unsigned padTo,
                      bool lastApart, const std::vector<uint64_t> &writtenAt) {
  std::vector<uint64_t> sources;
  std::vector<float> weights;
  auto addZero = [&]() {
    sources.push_back(t.zeroIndex);
    weights.push_back(0.0f);
  };
  auto add = [&](uint64_t mac) {
    sources.push_back(t.sources[mac]);
    weights.push_back(t.weights[mac]);
  };
  std::vector<std::pair<uint64_t, uint64_t>> order; // (writtenAt, mac)
  for (uint64_t m = rowBegin; m < t.sources.size(); ++m)
    order.emplace_back(lastApart ? writtenAt[t.sources[m]] : 0, m);
  std::stable_sort(
      order.begin(), order.end(),
      [](const auto &a, const auto &b) { return a.first < b.first; });
  std::optional<uint64_t> last;
  if (lastApart && !order.empty()) {
    last = order.back().second;
    order.pop_back();
  }
  if (!lastApart) {
    for (const auto &entry : order)
      add(entry.second);
    while (sources.size() % padTo)
      addZero();
  } else {
    // The others are at least one block of padTo, so that the dot
    // product's loop runs at least once and its first test always passes.
    for (uint64_t k = order.size(); k % padTo || k == 0; ++k)
      addZero();
    for (const auto &entry : order)
      add(entry.second);
    if (last)
      add(*last);
    else
      addZero();
  }
  t.sources.resize(rowBegin);
  t.weights.resize(rowBegin);
  llvm::append_range(t.sources, sources);
  llvm::append_range(t.weights, weights);
  return sources.empty() ? t.zeroIndex : sources.back();
}

} // namespace

RowTables sffnn::detail::buildRowTables(const KernelProgram &program,
                                        unsigned padTo, bool lastMacApart) {
  RowTables t;
  t.inputBase = program.numSlots;
  t.outputBase = t.inputBase + program.numInputs;
  t.spillBase = t.outputBase + program.numOutputs;
  t.zeroIndex = t.spillBase + program.numSpills;
  t.frameSize = t.zeroIndex + 1;
  std::vector<bool> fused;
  std::vector<uint64_t> macSources = getMacSources(program, t, fused);

  const std::vector<KernelOp> &ops = program.ops;
  // I/O counts not yet attributed to a segment.
  uint64_t loads = 0, stores = 0;
  // Per frame index: when it was last written (events and rows count up
  // from 1), so that a row's macs run oldest source first (orderRowMacs).
  std::vector<uint64_t> writtenAt(t.frameSize, 0);
  uint64_t writes = 0, previousRowWrite = 0;
  auto addEvent = [&](const KernelOp &op) {
    writtenAt[isLoad(op.kind) ? op.slot : getSlowIndex(t, op)] = ++writes;
    if (isLoad(op.kind)) {
      ++loads;
      t.ioFrom.push_back(getSlowIndex(t, op));
      t.ioTo.push_back(op.slot);
    } else {
      ++stores;
      t.ioFrom.push_back(op.slot);
      t.ioTo.push_back(getSlowIndex(t, op));
    }
  };
  size_t nextBias = 0, nextMac = 0;
  int64_t segmentActivation = -1;
  std::vector<uint32_t> readSlots; // slots read by the current row's macs
  for (size_t i = 0; i < ops.size();) {
    // The I/O events before the row.
    while (i < ops.size() && isIO(ops[i].kind)) {
      if (fused[i])
        ++loads;
      else
        addEvent(ops[i]);
      ++i;
    }
    if (i == ops.size())
      break;
    // A row: [Bias | BiasNew] [MacNew | Mac] Mac* [Finish | FinishEmpty] on
    // one slot, with I/O events among its macs moved ahead where legal.
    const KernelOp &first = ops[i];
    const uint32_t slot = first.slot;
    uint64_t flags =
        (first.kind == KernelOp::Bias || first.kind == KernelOp::Mac ||
         first.kind == KernelOp::Finish)
            ? uint64_t(FromSlot)
            : uint64_t(0);
    float bias = 0.0f;
    int64_t activation = -1;
    readSlots.clear();
    if (first.kind == KernelOp::Bias || first.kind == KernelOp::BiasNew) {
      bias = program.biases[nextBias++];
      ++loads;
      ++i;
    }
    bool macsStarted = false;
    while (i < ops.size()) {
      const KernelOp &op = ops[i];
      if (isIO(op.kind)) {
        if (fused[i]) {
          ++loads;
          ++i;
          continue;
        }
        // An event among the macs moves ahead of the row unless it touches
        // the accumulator or overwrites a slot the row has read.
        bool conflict =
            op.slot == slot ||
            (isLoad(op.kind) && llvm::is_contained(readSlots, op.slot));
        if (conflict)
          break;
        addEvent(op);
        ++i;
        continue;
      }
      if (op.slot != slot)
        break;
      if (!(op.kind == KernelOp::Mac ||
            (op.kind == KernelOp::MacNew && !macsStarted)))
        break;
      macsStarted = true;
      if (macSources[nextMac] < program.numSlots)
        readSlots.push_back(macSources[nextMac]);
      t.weights.push_back(program.weights[nextMac]);
      t.sources.push_back(macSources[nextMac++]);
      ++loads;
      ++i;
    }
    uint64_t rowBegin = t.rowMacEnds.empty() ? 0 : t.rowMacEnds.back();
    uint64_t lastSource =
        orderRowMacs(t, rowBegin, padTo, lastMacApart, writtenAt);
    // The last mac reads what the row before wrote, unchanged since.
    if (lastMacApart && !t.rowSlots.empty() &&
        lastSource == t.rowSlots.back() &&
        writtenAt[lastSource] == previousRowWrite)
      flags |= LastFromPrevious;
    writtenAt[slot] = previousRowWrite = ++writes;
    if (i < ops.size() && ops[i].slot == slot &&
        (ops[i].kind == KernelOp::Finish ||
         ops[i].kind == KernelOp::FinishEmpty)) {
      activation = ops[i].arg;
      flags |= Finishes;
      ++i;
    }
    // Rows that finish with another activation start a segment.
    if (t.segmentActivations.empty() ||
        (activation >= 0 && activation != segmentActivation &&
         segmentActivation >= 0)) {
      flags &= ~uint64_t(LastFromPrevious); // rows run segment by segment
      t.segmentActivations.push_back(std::max<int64_t>(activation, 0));
      t.segmentRowEnds.push_back(t.rowSlots.size());
      t.segmentLoads.push_back(0);
      t.segmentStores.push_back(0);
      segmentActivation = activation;
    } else if (segmentActivation < 0 && activation >= 0) {
      t.segmentActivations.back() = activation;
      segmentActivation = activation;
    }
    t.rowSlots.push_back(slot);
    t.rowFlags.push_back(flags);
    t.rowMacEnds.push_back(t.sources.size());
    t.rowIOEnds.push_back(t.ioFrom.size());
    t.rowBiases.push_back(bias);
    t.segmentRowEnds.back() = t.rowSlots.size();
    t.segmentLoads.back() += loads;
    t.segmentStores.back() += stores;
    loads = stores = 0;
  }
  t.trailingLoads = loads;
  t.trailingStores = stores;
  return t;
}

std::optional<GroupTables>
sffnn::detail::buildGroupTables(const RowTables &rows, unsigned lanes,
                                unsigned blockElements, const GroupCosts &costs,
                                unsigned permuteChains) {
  GroupTables g;
  g.lanes = std::max(lanes, 1u);
  g.blockElements = blockElements;
  g.sinkIndex = rows.frameSize;
  g.frameSize = rows.frameSize + 1;
  // A block may start at the last element of the rows' frame; its
  // permute reads blockElements + 1 elements from there.
  if (blockElements)
    g.frameSize = rows.frameSize + blockElements;
  permuteChains = std::max(permuteChains, 1u);
  auto length = [&](uint64_t row) {
    return rows.rowMacEnds[row] - getMacBegin(rows, row);
  };
  // Per lane of the group being emitted: its gather macs; per block: its
  // first frame index and its macs on each lane.
  std::vector<std::vector<uint64_t>> gathered(g.lanes);
  std::vector<std::pair<uint64_t, std::vector<std::vector<uint64_t>>>> blocks;
  // The group's permute macs (mac, lane) in frame order, and the blocks'
  // costs (getBlocks).
  std::vector<std::pair<uint64_t, unsigned>> bySource;
  std::vector<double> best;
  std::vector<size_t> from;
  std::vector<uint64_t> counts;
  // Cuts the group's macs into blocks of at most blockElements
  // consecutive frame elements, each a run: as few columns as the lanes
  // need (dynamic programming over the distinct sources in frame order; a
  // run costs its columns, rounded up to whole quads, and its start).
  auto getBlocks = [&]() {
    blocks.clear();
    llvm::stable_sort(bySource, [&](auto a, auto b) {
      return rows.sources[a.first] < rows.sources[b.first];
    });
    // Where each distinct source's macs begin in bySource.
    std::vector<size_t> starts;
    for (size_t k = 0; k < bySource.size(); ++k)
      if (!k || rows.sources[bySource[k].first] !=
                    rows.sources[bySource[k - 1].first])
        starts.push_back(k);
    const size_t n = starts.size();
    starts.push_back(bySource.size());
    auto sourceOf = [&](size_t i) {
      return rows.sources[bySource[starts[i]].first];
    };
    best.assign(n + 1, std::numeric_limits<double>::infinity());
    from.assign(n + 1, 0);
    best[0] = 0.0;
    for (size_t j = 1; j <= n; ++j) {
      // Blocks [i, j) of distinct sources, i from j - 1 down.
      counts.assign(g.lanes, 0);
      uint64_t columns = 0;
      for (size_t i = j; i-- > 0;) {
        if (sourceOf(j - 1) - sourceOf(i) >= blockElements)
          break;
        for (size_t k = starts[i]; k < starts[i + 1]; ++k)
          columns = std::max(columns, ++counts[bySource[k].second]);
        double cost =
            best[i] + costs.permuteRun +
            double(llvm::alignTo(columns, permuteChains)) * costs.permuteColumn;
        if (cost < best[j]) {
          best[j] = cost;
          from[j] = i;
        }
      }
    }
    for (size_t j = n; j > 0; j = from[j]) {
      size_t i = from[j];
      auto &block = blocks.emplace_back(
          sourceOf(i), std::vector<std::vector<uint64_t>>(g.lanes));
      for (size_t k = starts[i]; k < starts[j]; ++k)
        block.second[bySource[k].second].push_back(bySource[k].first);
    }
    std::reverse(blocks.begin(), blocks.end());
  };
  // Emits the group of `members`: its columns and lanes; its events end at
  // `ioEnd`.
  auto emitGroup = [&](llvm::ArrayRef<uint64_t> members, uint64_t ioEnd) {
    for (std::vector<uint64_t> &macs : gathered)
      macs.clear();
    bySource.clear();
    for (unsigned lane = 0; lane < members.size(); ++lane) {
      uint64_t row = members[lane];
      for (uint64_t mac = getMacBegin(rows, row); mac < rows.rowMacEnds[row];
           ++mac) {
        if (blockElements)
          bySource.push_back({mac, lane});
        else
          gathered[lane].push_back(mac);
      }
    }
    getBlocks();
    // Every block starts as a run of permute columns. Then the sparsest
    // move to the gather columns while that lowers the group's cost: a
    // block's macs stay on their lanes, so the gather columns are as many
    // as the lane with most gathered macs needs, and a block costs what it
    // adds to that lane's count.
    struct BlockColumns {
      uint64_t base;
      const std::vector<std::vector<uint64_t>> *macs;
      uint64_t columns = 0, count = 0;
      bool gathered = false;
    };
    std::vector<BlockColumns> runs;
    for (auto &[base, macs] : blocks) {
      BlockColumns b{base, &macs};
      for (const std::vector<uint64_t> &lane : macs) {
        b.columns = std::max<uint64_t>(b.columns, lane.size());
        b.count += lane.size();
      }
      b.columns = llvm::alignTo(b.columns, permuteChains);
      runs.push_back(b);
    }
    std::vector<BlockColumns *> sparsest;
    for (BlockColumns &b : runs)
      sparsest.push_back(&b);
    llvm::stable_sort(sparsest,
                      [](const BlockColumns *a, const BlockColumns *b) {
                        return a->count * b->columns < b->count * a->columns;
                      });
    uint64_t gatherColumns = 0;
    for (const std::vector<uint64_t> &macs : gathered)
      gatherColumns = std::max<uint64_t>(gatherColumns, macs.size());
    for (BlockColumns *b : sparsest) {
      const std::vector<std::vector<uint64_t>> &macs = *b->macs;
      uint64_t columns = gatherColumns;
      for (unsigned lane = 0; lane < g.lanes; ++lane)
        columns = std::max<uint64_t>(columns,
                                     gathered[lane].size() + macs[lane].size());
      double added = columns == gatherColumns
                         ? 0.0
                         : double(columns - gatherColumns) * costs.gatherColumn;
      if (added >= double(b->columns) * costs.permuteColumn + costs.permuteRun)
        continue;
      for (unsigned lane = 0; lane < g.lanes; ++lane)
        llvm::append_range(gathered[lane], macs[lane]);
      gatherColumns = columns;
      b->gathered = true;
    }
    uint64_t permuteColumns = 0;
    const size_t runBegin = g.runBases.size();
    for (const BlockColumns &b : runs) {
      if (b.gathered)
        continue;
      const std::vector<std::vector<uint64_t>> &macs = *b.macs;
      for (uint64_t k = 0; k < b.columns; ++k) {
        for (unsigned lane = 0; lane < g.lanes; ++lane) {
          bool real = k < macs[lane].size();
          uint64_t mac = real ? macs[lane][k] : 0;
          g.permuteOffsets.push_back(real ? rows.sources[mac] - b.base
                                          : blockElements);
          g.permuteWeights.push_back(real ? rows.weights[mac] : 0.0f);
        }
      }
      permuteColumns += b.columns;
      g.runBases.push_back(b.base);
      g.runColumnEnds.push_back(g.permuteWeights.size() / g.lanes);
    }
    uint64_t columns = 0;
    for (const std::vector<uint64_t> &macs : gathered)
      columns = std::max<uint64_t>(columns, macs.size());
    for (uint64_t k = 0; k < columns; ++k) {
      for (unsigned lane = 0; lane < g.lanes; ++lane) {
        bool real = k < gathered[lane].size();
        uint64_t mac = real ? gathered[lane][k] : 0;
        g.sources.push_back(real ? rows.sources[mac] : rows.zeroIndex);
        g.weights.push_back(real ? rows.weights[mac] : 0.0f);
      }
    }
    for (unsigned lane = 0; lane < g.lanes; ++lane) {
      bool real = lane < members.size();
      g.laneSlots.push_back(real ? rows.rowSlots[members[lane]] : g.sinkIndex);
      g.laneFlags.push_back(real ? rows.rowFlags[members[lane]] : 0);
      g.laneBiases.push_back(real ? rows.rowBiases[members[lane]] : 0.0f);
    }
    if (columns)
      g.cost += double(columns) * costs.gatherColumn;
    g.cost += double(permuteColumns) * costs.permuteColumn +
              double(g.runBases.size() - runBegin) * costs.permuteRun;
    g.groupRunEnds.push_back(g.runBases.size());
    g.groupColumnEnds.push_back(g.sources.size() / g.lanes);
    g.groupIOEnds.push_back(ioEnd);
  };
  // Emits a window: every event first (with its first group), then its
  // rows longest first, `lanes` to a group, so that rows of similar lengths
  // share a group (the sorting window of SELL-C-sigma).
  auto onWindow = [&](std::vector<uint64_t> &window, uint64_t ioEnd) {
    std::stable_sort(window.begin(), window.end(), [&](uint64_t a, uint64_t b) {
      return length(a) > length(b);
    });
    for (size_t begin = 0; begin < window.size(); begin += g.lanes)
      emitGroup(llvm::ArrayRef(window).slice(
                    begin, std::min<size_t>(g.lanes, window.size() - begin)),
                ioEnd);
    return g.cost <= costs.budget;
  };
  auto onSegmentEnd = [&]() {
    g.segmentGroupEnds.push_back(g.groupColumnEnds.size());
    return true;
  };
  if (!forEachWindow(rows, onWindow, onSegmentEnd))
    return std::nullopt;
  return g;
}

TileTables sffnn::detail::buildTileTables(const RowTables &rows,
                                          unsigned tileRows) {
  TileTables t;
  t.rows = std::max(tileRows, 1u);
  t.sinkIndex = rows.frameSize;
  t.frameSize = rows.frameSize + 1;
  // Per row of the open window: its sources in order (the sort key) and its
  // macs by source.
  std::map<uint64_t, std::vector<uint64_t>> keys;
  std::vector<std::pair<uint64_t, uint64_t>> macs; // (mac, row in tile)
  std::vector<bool> taken; // the rows a column has a weight of
  auto emitTile = [&](llvm::ArrayRef<uint64_t> members, uint64_t ioEnd) {
    macs.clear();
    for (unsigned r = 0; r < members.size(); ++r)
      for (uint64_t m = getMacBegin(rows, members[r]);
           m < rows.rowMacEnds[members[r]]; ++m)
        macs.push_back({m, r});
    // Columns in source order; a row that reads one source twice gets a
    // second column.
    llvm::stable_sort(macs, [&](auto a, auto b) {
      return rows.sources[a.first] < rows.sources[b.first];
    });
    for (size_t k = 0; k < macs.size();) {
      uint64_t source = rows.sources[macs[k].first];
      size_t column = t.sources.size();
      t.sources.push_back(source);
      t.weights.insert(t.weights.end(), t.rows, 0.0f);
      taken.assign(t.rows, false);
      for (; k < macs.size() && rows.sources[macs[k].first] == source; ++k) {
        unsigned r = macs[k].second;
        if (taken[r])
          break;
        taken[r] = true;
        t.weights[column * t.rows + r] = rows.weights[macs[k].first];
      }
    }
    for (unsigned r = 0; r < t.rows; ++r) {
      bool real = r < members.size();
      t.slots.push_back(real ? rows.rowSlots[members[r]] : t.sinkIndex);
      t.flags.push_back(real ? rows.rowFlags[members[r]] : 0);
      t.biases.push_back(real ? rows.rowBiases[members[r]] : 0.0f);
    }
    t.tileColumnEnds.push_back(t.sources.size());
    t.tileIOEnds.push_back(ioEnd);
  };
  auto onWindow = [&](std::vector<uint64_t> &window, uint64_t ioEnd) {
    keys.clear();
    for (uint64_t row : window) {
      std::vector<uint64_t> &key = keys[row];
      for (uint64_t m = getMacBegin(rows, row); m < rows.rowMacEnds[row]; ++m)
        key.push_back(rows.sources[m]);
      llvm::sort(key);
    }
    std::stable_sort(window.begin(), window.end(),
                     [&](uint64_t a, uint64_t b) { return keys[a] < keys[b]; });
    for (size_t begin = 0; begin < window.size(); begin += t.rows)
      emitTile(llvm::ArrayRef(window).slice(
                   begin, std::min<size_t>(t.rows, window.size() - begin)),
               ioEnd);
    return true;
  };
  auto onSegmentEnd = [&]() {
    t.segmentTileEnds.push_back(t.tileColumnEnds.size());
    return true;
  };
  forEachWindow(rows, onWindow, onSegmentEnd);
  return t;
}

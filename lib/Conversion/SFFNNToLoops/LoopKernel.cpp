//===- LoopKernel.cpp - Plans as row loops --------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the LoopKernel: it runs the rows of Rows.h, one
// row at a time.
//
// Rows run in segments of one activation (rows that do not finish join any
// segment): the code is a loop over segments that dispatches on the
// activation once per segment, and a loop over the segment's rows without
// any branch on a row's kind. Every table is read strictly in order.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "Rows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/bit.h"

#include <limits>
#include <optional>

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

namespace {

/// The cost model that chooses between rows one at a time and groups of
/// rows, in cycles, as measured on an AVX-512 core (docs/codegen.md): a mac
/// of a row run alone; one lane of a gather column; a permute column of 16
/// lanes; the start of a permute run.
constexpr double kRowMacCost = 1.0;
constexpr double kGatherLaneCost = 0.6;
constexpr double kPermuteColumnCost = 2.7;
constexpr double kPermuteRunCost = 2.0;
/// The cost model that chooses between rows one at a time and tiles of rows
/// on blocks of samples, in cycles per machine vector of an element: reading
/// a frame element (the frame of a block plan is sized to the L2 cache:
/// about 50 bytes a cycle), one FMA (two FMA units), one weight broadcast,
/// and the FMA latency that bounds a column (every row's accumulator is one
/// chain of FMAs). Tiles are chosen when they cost at most kTileMargin of
/// rows.
constexpr double kBlockReadCost = 1.25;
constexpr double kBlockFmaCost = 0.5;
constexpr double kBlockWeightCost = 0.5;
constexpr double kFmaLatency = 4.0;
constexpr double kTileMargin = 0.8;
/// The most rows of a tile the cost model tries.
constexpr unsigned kMaxTileRows = 8;

/// How far ahead of a row, in macs, one sample's rows prefetch the weights
/// and sources (1 KiB of f32 weights: about 50 rows of 5 macs, 15 cycles
/// each, on the 1M-neuron io-optimal network, which covers a DRAM access), when
/// the rows have at most kPrefetchRowMacs macs on average (padding
/// included). Measured on Zen 5 (docs/codegen.md): 10% faster on rows of
/// 5 macs, 2 to 4% slower on rows of 33.
constexpr int64_t kPrefetchMacs = 256;
constexpr uint64_t kPrefetchRowMacs = 8;

/// Frame elements per permute block, and the partial sums of a group's
/// permute columns: a run's columns go in quads whose offsets share one load
/// (packPermuteOffsets). vpermt2ps picks from two vectors of 16 floats, 32
/// lanes: a block's 31 elements (from any frame index on, unaligned) and a
/// lane forced to zero, which padding reads.
constexpr unsigned kPermuteBlock = 31;
constexpr unsigned kPermuteChains = 4;

} // namespace

/// The rows or groups, and the tables' attributes and entry types.
struct LoopKernel::Tables {
  RowTables rows;
  std::optional<GroupTables> groups;
  std::optional<TileTables> tiles;
  llvm::StringMap<DenseElementsAttr> attributes;
  Type frameType, slotType, flagType, macType, ioType, rowType, activationType,
      loadType, storeType, runType, permuteColumnType;
};

/// The permute columns' offsets as the kernel reads them: per quad of
/// columns (a run's columns come in multiples of kPermuteChains), one i32
/// per lane whose byte c is the lane's offset in column c of the quad, so
/// that one 64-byte load serves four columns and a shift selects one
/// (vpermt2ps reads the low 5 bits of each lane's index). Padding lanes
/// have offset blockElements, the zero lane.
static std::vector<uint64_t> packPermuteOffsets(const GroupTables &g) {
  const uint64_t lanes = g.lanes, columns = g.permuteWeights.size() / lanes;
  std::vector<uint64_t> packed(columns * lanes, 0);
  for (uint64_t k = 0; k < columns; ++k)
    for (uint64_t lane = 0; lane < lanes; ++lane) {
      uint64_t quad = k / kPermuteChains, c = k % kPermuteChains;
      packed[(quad * lanes + lane) * kPermuteChains + c] =
          g.permuteOffsets[k * lanes + lane];
    }
  return packed;
}

/// The cost of `rows` one at a time and of `tiles`, on elements of
/// `vectors` machine vectors (kBlockReadCost).
static double getRowsCost(const RowTables &rows, unsigned vectors) {
  return double(rows.sources.size()) *
         (vectors * std::max(kBlockReadCost, kBlockFmaCost) + kBlockWeightCost);
}
static double getTilesCost(const TileTables &tiles, unsigned vectors) {
  double column =
      std::max({vectors * kBlockReadCost, tiles.rows * vectors * kBlockFmaCost,
                kFmaLatency}) +
      tiles.rows * kBlockWeightCost;
  return double(tiles.sources.size()) * column;
}

/// Tiles of `choice.rows` rows of `rows`, or with 0 the cheapest tiles
/// whose accumulators, column and weight fit the vector registers if they
/// cost at most kTileMargin of rows one at a time.
static std::optional<TileTables> chooseTiles(const RowTables &rows,
                                             TileChoice choice) {
  if (choice.rows == 1)
    return std::nullopt;
  if (choice.rows > 1)
    return buildTileTables(rows, choice.rows);
  const unsigned vectors = std::max(choice.vectors, 1u);
  std::optional<TileTables> best;
  double bestCost = kTileMargin * getRowsCost(rows, vectors);
  for (unsigned r = 2;
       r <= kMaxTileRows && (r + 1) * vectors + 1 <= choice.registers; r += 2) {
    TileTables tiles = buildTileTables(rows, r);
    double cost = getTilesCost(tiles, vectors);
    if (cost < bestCost) {
      bestCost = cost;
      best = std::move(tiles);
    }
  }
  return best;
}

LoopKernel::LoopKernel(MLIRContext *context, const KernelProgram &program,
                       StringRef prefix, unsigned groupLanes,
                       RowGroups rowGroups, TileChoice tileChoice)
    : program(program), prefix(prefix.str()),
      tables(std::make_unique<Tables>()) {
  Tables &x = *tables;
  if (groupLanes > 1 && rowGroups != RowGroups::None) {
    x.rows = buildRowTables(program, 1);
    // Permute columns need AVX-512 (16 lanes of f32).
    unsigned block =
        groupLanes == 16 && rowGroups != RowGroups::Gather ? kPermuteBlock : 0;
    // Auto: groups only while they cost less than one row at a time,
    // permute or gather columns, block by block, whichever costs less.
    // Gather and Permute: that kind of column only.
    GroupCosts costs;
    costs.gatherColumn = kGatherLaneCost * groupLanes;
    costs.permuteColumn = kPermuteColumnCost;
    costs.permuteRun = kPermuteRunCost;
    if (rowGroups == RowGroups::Permute)
      costs.gatherColumn = std::numeric_limits<double>::infinity();
    else if (rowGroups == RowGroups::Auto)
      costs.budget = double(program.weights.size()) * kRowMacCost;
    x.groups =
        buildGroupTables(x.rows, groupLanes, block, costs, kPermuteChains);
  }
  if (!x.groups && tileChoice.rows != 1) {
    // Tiles come from windows of rows, which grow when slots are reused
    // late (spreadSlots).
    x.rows = buildRowTables(spreadSlots(program), 1);
    x.tiles = chooseTiles(x.rows, tileChoice);
  }
  // Every row kernel of one program pads to kPartialSums (a multiple of
  // every kernel's partial sums), so that they share one set of tables.
  if (!x.groups && !x.tiles)
    x.rows = buildRowTables(program, kPartialSums, /*lastMacApart=*/true);
  const RowTables &t = x.rows;
  x.frameType = getIndexType(context, x.groups  ? x.groups->frameSize
                                      : x.tiles ? x.tiles->frameSize
                                                : t.frameSize);
  x.slotType = getIndexType(context, program.numSlots);
  x.flagType = IntegerType::get(context, 8);
  x.ioType = getIndexType(context, t.ioFrom.size());
  x.activationType = getIndexType(context, getMaxValue(t.segmentActivations));
  x.loadType = getIndexType(context, getMaxValue(t.segmentLoads));
  x.storeType = getIndexType(context, getMaxValue(t.segmentStores));
  auto add = [&](StringRef suffix, DenseElementsAttr values) {
    x.attributes[suffix] = values;
  };
  add("_segment_activations",
      getIntTable(x.activationType, t.segmentActivations));
  add("_segment_loads", getIntTable(x.loadType, t.segmentLoads));
  add("_segment_stores", getIntTable(x.storeType, t.segmentStores));
  add("_io_from", getIntTable(x.frameType, t.ioFrom));
  add("_io_to", getIntTable(x.frameType, t.ioTo));
  if (const GroupTables *g = x.groups ? &*x.groups : nullptr) {
    x.macType = getIndexType(
        context, g->groupColumnEnds.empty() ? 0 : g->groupColumnEnds.back());
    x.rowType = getIndexType(context, g->groupColumnEnds.size());
    add("_segment_group_ends", getIntTable(x.rowType, g->segmentGroupEnds));
    add("_group_column_ends", getIntTable(x.macType, g->groupColumnEnds));
    x.runType = getIndexType(context, g->runBases.size());
    x.permuteColumnType = getIndexType(context, getMaxValue(g->runColumnEnds));
    add("_group_run_ends", getIntTable(x.runType, g->groupRunEnds));
    add("_run_bases", getIntTable(x.frameType, g->runBases));
    add("_run_column_ends", getIntTable(x.permuteColumnType, g->runColumnEnds));
    add("_permute_offsets",
        getIntTable(IntegerType::get(context, 8), packPermuteOffsets(*g)));
    add("_permute_weights", getFloatTable(context, g->permuteWeights));
    add("_group_io_ends", getIntTable(x.ioType, g->groupIOEnds));
    add("_lane_slots", getIntTable(x.frameType, g->laneSlots));
    add("_lane_flags", getIntTable(x.flagType, g->laneFlags));
    add("_lane_biases", getFloatTable(context, g->laneBiases));
    add("_sources", getIntTable(x.frameType, g->sources));
    add("_weights", getFloatTable(context, g->weights));
    return;
  }
  if (const TileTables *tiles = x.tiles ? &*x.tiles : nullptr) {
    x.macType = getIndexType(context, tiles->sources.size());
    x.rowType = getIndexType(context, tiles->tileColumnEnds.size());
    add("_segment_tile_ends", getIntTable(x.rowType, tiles->segmentTileEnds));
    add("_tile_column_ends", getIntTable(x.macType, tiles->tileColumnEnds));
    add("_tile_io_ends", getIntTable(x.ioType, tiles->tileIOEnds));
    add("_tile_slots", getIntTable(x.frameType, tiles->slots));
    add("_tile_flags", getIntTable(x.flagType, tiles->flags));
    add("_tile_biases", getFloatTable(context, tiles->biases));
    add("_sources", getIntTable(x.frameType, tiles->sources));
    add("_weights", getFloatTable(context, tiles->weights));
    return;
  }
  x.macType = getIndexType(context, t.sources.size());
  x.rowType = getIndexType(context, t.rowSlots.size());
  add("_segment_row_ends", getIntTable(x.rowType, t.segmentRowEnds));
  add("_row_slots", getIntTable(x.slotType, t.rowSlots));
  add("_row_flags", getIntTable(x.flagType, t.rowFlags));
  add("_row_mac_ends", getIntTable(x.macType, t.rowMacEnds));
  add("_row_io_ends", getIntTable(x.ioType, t.rowIOEnds));
  add("_row_biases", getFloatTable(context, t.rowBiases));
  add("_sources", getIntTable(x.frameType, t.sources));
  add("_weights", getFloatTable(context, t.weights));
}

bool LoopKernel::isGrouped() const { return tables->groups.has_value(); }

unsigned LoopKernel::getGroupLanes() const {
  return tables->groups ? tables->groups->lanes : 1;
}

unsigned LoopKernel::getPermuteBlock() const {
  return tables->groups ? tables->groups->blockElements : 0;
}

unsigned LoopKernel::getTileRows() const {
  return tables->tiles ? tables->tiles->rows : 1;
}

LoopKernel::~LoopKernel() = default;

void LoopKernel::emit(Emitter &e, OpBuilder &moduleBuilder, Value inPtr,
                      Value outPtr, IOCounters counters) const {
  Location loc = e.loc;
  // The dot product: `chains` partial sums over steps of kPartialSums macs.
  // One sample's short rows take fewer chains: the rows overlap each other's
  // latency, with one chain per kMacsPerChain macs of a row on average.
  unsigned chains = e.getPartialSums();
  if (e.getLanes() == 1) {
    uint64_t neurons = llvm::count_if(program.ops, [](const KernelOp &op) {
      return op.kind == KernelOp::Finish || op.kind == KernelOp::FinishEmpty;
    });
    chains = getSampleChains(program.weights.size(), neurons);
  }
  const Tables &x = *tables;
  const RowTables &t = x.rows;
  Type frameType = x.frameType, slotType = x.slotType, flagType = x.flagType,
       macType = x.macType, ioType = x.ioType, rowType = x.rowType,
       activationType = x.activationType, loadType = x.loadType,
       storeType = x.storeType, runType = x.runType,
       permuteColumnType = x.permuteColumnType;
  auto table = [&](StringRef suffix) {
    return getTableAddress(e, moduleBuilder, prefix + suffix.str(),
                           x.attributes.lookup(suffix));
  };
  const GroupTables *g = x.groups ? &*x.groups : nullptr;
  const TileTables *tiles = x.tiles ? &*x.tiles : nullptr;
  // The tables' names per row, per group or per tile.
  auto named = [&](StringRef row, StringRef group, StringRef tile) {
    return table(g ? group : tiles ? tile : row);
  };
  Value activationTable = table("_segment_activations");
  Value segmentEndTable =
      named("_segment_row_ends", "_segment_group_ends", "_segment_tile_ends");
  Value loadTable, storeTable;
  if (counters.loads) {
    loadTable = table("_segment_loads");
    storeTable = table("_segment_stores");
  }
  Value sourceTable = table("_sources");
  Value weightTable = table("_weights");
  Value ioFromTable = table("_io_from");
  Value ioToTable = table("_io_to");
  // Per row, per group and lane, or per tile and row.
  Value slotTable = named("_row_slots", "_lane_slots", "_tile_slots");
  Value flagTable = named("_row_flags", "_lane_flags", "_tile_flags");
  Value biasTable = named("_row_biases", "_lane_biases", "_tile_biases");
  Value macEndTable =
      named("_row_mac_ends", "_group_column_ends", "_tile_column_ends");
  Value ioEndTable = named("_row_io_ends", "_group_io_ends", "_tile_io_ends");
  Value runEndTable, runBaseTable, runColumnEndTable, permuteOffsetTable,
      permuteWeightTable;
  if (g && g->blockElements) {
    runEndTable = table("_group_run_ends");
    runBaseTable = table("_run_bases");
    runColumnEndTable = table("_run_column_ends");
    permuteOffsetTable = table("_permute_offsets");
    permuteWeightTable = table("_permute_weights");
  }

  Value frame = e.allocate(g       ? g->frameSize
                           : tiles ? tiles->frameSize
                                   : t.frameSize);
  Type i64 = e.b.getI64Type();
  Type f32 = e.b.getF32Type();
  Value one = e.i64(1);
  Value zero = e.i64(0);

  // Copies `count` elements from `from` to `to`.
  auto copy = [&](Value from, Value fromBase, Value to, Value toBase,
                  uint64_t count) {
    e.forLoop(zero, e.i64(count), one, {},
              [&](Value k, ValueRange) -> SmallVector<Value> {
                e.storeElement(e.loadElement(from, arith::AddIOp::create(
                                                       e.b, loc, fromBase, k)),
                               to, arith::AddIOp::create(e.b, loc, toBase, k));
                return {};
              });
  };
  // The I/O events [begin, end).
  auto emitEvents = [&](Value begin, Value end) {
    e.forLoop(begin, end, one, {},
              [&](Value k, ValueRange) -> SmallVector<Value> {
                Value from = e.loadIndex(ioFromTable, frameType, k);
                Value to = e.loadIndex(ioToTable, frameType, k);
                e.storeElement(e.loadElement(frame, from), frame, to);
                return {};
              });
  };
  // The dot product of the macs [begin, end) (a multiple of kPartialSums)
  // added to `acc`.
  auto emitDot = [&](Value begin, Value end, Value acc) {
    auto macAt = [&](Value m, Value sum) {
      Value weight = e.splat(e.load(f32, weightTable, m));
      Value source =
          e.loadElement(frame, e.loadIndex(sourceTable, frameType, m));
      return e.fma(weight, source, sum);
    };
    return sumInChains(e, begin, end, acc, chains, macAt, kPartialSums);
  };
  // The start of the row whose slot, flags and bias are entry `index` of
  // their tables (slots of `slotEntryType`): its slot, whether it finishes,
  // and its accumulator. The accumulator starts from the slot or from the
  // zero: the address is selected, not the value, so that a row that starts
  // from zero does not wait for the last store to its slot.
  struct RowStart {
    Value slot, finishes, lastFromPrevious, acc;
  };
  auto startRow = [&](Value index, Type slotEntryType) {
    RowStart start;
    start.slot = e.loadIndex(slotTable, slotEntryType, index);
    Value flags = e.loadIndex(flagTable, flagType, index);
    auto flagSet = [&](uint64_t flag) {
      return arith::CmpIOp::create(
          e.b, loc, arith::CmpIPredicate::ne,
          arith::AndIOp::create(e.b, loc, flags, e.i64(flag)), zero);
    };
    Value init = e.loadElement(
        frame, arith::SelectOp::create(e.b, loc, flagSet(FromSlot), start.slot,
                                       e.i64(t.zeroIndex)));
    start.finishes = flagSet(Finishes);
    start.lastFromPrevious = flagSet(LastFromPrevious);
    start.acc = arith::AddFOp::create(e.b, loc, init,
                                      e.splat(e.load(f32, biasTable, index)));
    return start;
  };
  // The rows [begin, end) of a segment whose activation is `activation`.
  // Their last mac is apart (buildRowTables): the value the row before
  // wrote is carried in a register, so that a chain of rows waits for one
  // FMA per row, not for a store and a load.
  const bool prefetchMacs =
      e.getLanes() == 1 &&
      t.sources.size() <= kPrefetchRowMacs * t.rowSlots.size();
  auto emitRows = [&](Value begin, Value end, ValueRange cursors,
                      const Activation &activation) {
    SmallVector<Value> init(cursors);
    init.push_back(e.constant(0.0f));
    return e.forLoop(
        begin, end, one, init,
        [&](Value r, ValueRange cursor) -> SmallVector<Value> {
          Value mac = cursor[0], io = cursor[1], previous = cursor[2];
          // One sample's short rows read the weights and sources in
          // steps of a few macs between the rows' other tables: fetch them
          // ahead of the hardware prefetcher.
          if (prefetchMacs) {
            Value ahead =
                arith::AddIOp::create(e.b, loc, mac, e.i64(kPrefetchMacs));
            e.prefetch(weightTable, f32, ahead);
            e.prefetch(sourceTable, frameType, ahead);
          }
          Value ioEnd = e.loadIndex(ioEndTable, ioType, r);
          emitEvents(io, ioEnd);
          RowStart start = startRow(r, slotType);
          Value macEnd = e.loadIndex(macEndTable, macType, r);
          Value lastMac = arith::SubIOp::create(e.b, loc, macEnd, one);
          Value value = emitDot(mac, lastMac, start.acc);
          // The load reads the zero instead of the slot just stored, so
          // that it does not wait for that store.
          Value lastSource = arith::SelectOp::create(
              e.b, loc, start.lastFromPrevious, e.i64(t.zeroIndex),
              e.loadIndex(sourceTable, frameType, lastMac));
          Value last = arith::SelectOp::create(
              e.b, loc, start.lastFromPrevious, previous,
              e.loadElement(frame, lastSource));
          value =
              e.fma(e.splat(e.load(f32, weightTable, lastMac)), last, value);
          value = arith::SelectOp::create(e.b, loc, start.finishes,
                                          e.activate(value, activation), value);
          e.storeElement(value, frame, start.slot);
          return {macEnd, ioEnd, value};
        });
  };

  // The groups [begin, end) of a segment whose activation is `activation`:
  // each lane of a vector<lanes x f32> is one row. MLIR's vector.gather and
  // vector.scatter take a memref base; the frame is an !llvm.ptr
  // (Emitter.h), so the lanes are addressed with a vector GEP and LLVM's
  // masked gather and scatter. Cursors: permute run, permute column, gather
  // column, I/O event.
  auto emitGroups = [&](Value begin, Value end, ValueRange cursors,
                        const Activation &activation) {
    const int64_t lanes = g->lanes;
    MLIRContext *context = e.b.getContext();
    auto laneType = [&](Type element) {
      return VectorType::get({lanes}, element);
    };
    // Frame indices as lanes of i32 (vpgatherdps) unless the frame needs
    // more than 31 bits.
    Type indexType =
        IntegerType::get(context, g->frameSize < (uint64_t(1) << 31) ? 32 : 64);
    Type f32Vector = laneType(f32);
    Emitter v(e.b, loc, f32Vector);
    auto splatInt = [&](Type element, int64_t value) {
      return arith::ConstantOp::create(
          e.b, loc,
          DenseElementsAttr::get(laneType(element),
                                 e.b.getIntegerAttr(element, value)));
    };
    // Entries [index * lanes, (index + 1) * lanes) of an integer table,
    // zero-extended to `to`.
    auto loadLanes = [&](Type entryType, Value table, Value index, Type to) {
      Value entries = e.load(laneType(entryType), table, index,
                             lanes * entryType.getIntOrFloatBitWidth() / 8);
      if (entryType == to)
        return entries;
      return Value(arith::ExtUIOp::create(e.b, loc, laneType(to), entries));
    };
    auto loadWeights = [&](Value table, Value index) {
      return e.load(f32Vector, table, index, std::min<int64_t>(4 * lanes, 64));
    };
    auto addresses = [&](Value indices) {
      return LLVM::GEPOp::create(e.b, loc, laneType(e.ptrType), f32, frame,
                                 ArrayRef<LLVM::GEPArg>{indices})
          .getResult();
    };
    auto allLanes = [&]() {
      return arith::ConstantOp::create(
          e.b, loc, DenseElementsAttr::get(laneType(e.b.getI1Type()), true));
    };
    // The permute runs [begin, end) from column `column` on, added to
    // `sums` (kPermuteChains partial sums). A run loads its block's
    // elements once, as two vectors whose last lane (past the block) is
    // forced to zero; a column picks each lane's source from them by its
    // offset, padding the zero lane. A quad of columns shares one load of
    // offsets (packPermuteOffsets), shifted to each column's byte. MLIR has
    // no variable two-source permute, hence the x86 intrinsic (vpermt2ps).
    // Returns the column cursor, then the sums.
    auto permuteRuns = [&](Value begin, Value end, Value column,
                           ValueRange sums) {
      Type i32 = e.b.getI32Type();
      SmallVector<bool> inBlock(lanes, true);
      inBlock.back() = false;
      Value highLanes = arith::ConstantOp::create(
          e.b, loc,
          DenseElementsAttr::get(laneType(e.b.getI1Type()),
                                 ArrayRef<bool>(inBlock)));
      auto loadBlock = [&](Value index) {
        return LLVM::LoadOp::create(e.b, loc, f32Vector,
                                    e.gep(frame, f32, index),
                                    /*alignment=*/4)
            .getResult();
      };
      SmallVector<Value> initial = {column};
      llvm::append_range(initial, sums);
      return e.forLoop(
          begin, end, one, initial,
          [&](Value run, ValueRange cursor) -> SmallVector<Value> {
            Value base = e.loadIndex(runBaseTable, frameType, run);
            Value low = loadBlock(base);
            Value high = arith::SelectOp::create(
                e.b, loc, highLanes,
                loadBlock(arith::AddIOp::create(e.b, loc, base, e.i64(lanes))),
                v.constant(0.0f));
            Value columnEnd =
                e.loadIndex(runColumnEndTable, permuteColumnType, run);
            auto quads = e.forLoop(
                cursor[0], columnEnd, e.i64(kPermuteChains),
                cursor.drop_front(),
                [&](Value k, ValueRange sums) -> SmallVector<Value> {
                  Value quad = arith::DivUIOp::create(e.b, loc, k,
                                                      e.i64(kPermuteChains));
                  Value packed =
                      e.load(laneType(i32), permuteOffsetTable, quad, 64);
                  SmallVector<Value> next;
                  for (unsigned c = 0; c < kPermuteChains; ++c) {
                    Value column = arith::AddIOp::create(e.b, loc, k, e.i64(c));
                    Value offsets =
                        c ? arith::ShRUIOp::create(e.b, loc, packed,
                                                   splatInt(i32, 8 * c))
                                .getResult()
                          : packed;
                    Value picked = LLVM::CallIntrinsicOp::create(
                                       e.b, loc, f32Vector,
                                       e.b.getStringAttr(
                                           "llvm.x86.avx512.vpermi2var.ps.512"),
                                       ValueRange{low, offsets, high})
                                       .getResult(0);
                    next.push_back(
                        v.fma(loadWeights(permuteWeightTable, column), picked,
                              sums[c]));
                  }
                  return next;
                });
            SmallVector<Value> next = {columnEnd};
            llvm::append_range(next, quads.getResults());
            return next;
          });
    };
    return e.forLoop(
        begin, end, one, cursors,
        [&](Value group, ValueRange cursor) -> SmallVector<Value> {
          Value run = cursor[0], permute = cursor[1], column = cursor[2],
                io = cursor[3];
          Value ioEnd = e.loadIndex(ioEndTable, ioType, group);
          emitEvents(io, ioEnd);
          Value slots =
              addresses(loadLanes(frameType, slotTable, group, indexType));
          Value flags = e.load(laneType(flagType), flagTable, group, lanes);
          auto flagSet = [&](uint64_t flag) {
            return arith::CmpIOp::create(
                e.b, loc, arith::CmpIPredicate::ne,
                arith::AndIOp::create(e.b, loc, flags,
                                      splatInt(flagType, flag)),
                splatInt(flagType, 0));
          };
          Value init = LLVM::masked_gather::create(
              e.b, loc, f32Vector, slots, flagSet(FromSlot),
              ValueRange{v.constant(0.0f)}, uint32_t(4));
          Value acc = arith::AddFOp::create(
              e.b, loc, init, e.load(f32Vector, biasTable, group, 4 * lanes));
          Value runEnd = run;
          if (g->blockElements) {
            runEnd = e.loadIndex(runEndTable, runType, group);
            SmallVector<Value> sums = {acc};
            for (unsigned c = 1; c < kPermuteChains; ++c)
              sums.push_back(v.constant(0.0f));
            auto runs = permuteRuns(run, runEnd, permute, sums);
            permute = runs.getResult(0);
            acc = sumPairwise(
                v, SmallVector<Value>(runs.getResults().drop_front()));
          }
          Value columnEnd = e.loadIndex(macEndTable, macType, group);
          auto dot = e.forLoop(
              column, columnEnd, one, {acc},
              [&](Value k, ValueRange sum) -> SmallVector<Value> {
                Value sources = LLVM::masked_gather::create(
                    e.b, loc, f32Vector,
                    addresses(loadLanes(frameType, sourceTable, k, indexType)),
                    allLanes(), ValueRange{}, uint32_t(4));
                return {v.fma(loadWeights(weightTable, k), sources, sum[0])};
              });
          Value value = dot.getResult(0);
          value = arith::SelectOp::create(e.b, loc, flagSet(Finishes),
                                          v.activate(value, activation), value);
          LLVM::masked_scatter::create(e.b, loc, value, slots, allLanes(),
                                       uint32_t(4));
          return {runEnd, permute, columnEnd, ioEnd};
        });
  };
  // The tiles [begin, end) of a segment whose activation is `activation`:
  // `rows` accumulators, and one column element read for all of them.
  // Cursors: column, I/O event.
  auto emitTiles = [&](Value begin, Value end, ValueRange cursors,
                       const Activation &activation) {
    const unsigned rows = tiles->rows;
    Value rowCount = e.i64(rows);
    return e.forLoop(
        begin, end, one, cursors,
        [&](Value tile, ValueRange cursor) -> SmallVector<Value> {
          Value column = cursor[0], io = cursor[1];
          Value ioEnd = e.loadIndex(ioEndTable, ioType, tile);
          emitEvents(io, ioEnd);
          Value first = arith::MulIOp::create(e.b, loc, tile, rowCount);
          SmallVector<Value> slots, finishes, accs;
          for (unsigned r = 0; r < rows; ++r) {
            Value index = arith::AddIOp::create(e.b, loc, first, e.i64(r));
            RowStart start = startRow(index, frameType);
            slots.push_back(start.slot);
            finishes.push_back(start.finishes);
            accs.push_back(start.acc);
          }
          Value columnEnd = e.loadIndex(macEndTable, macType, tile);
          auto dot = e.forLoop(
              column, columnEnd, one, accs,
              [&](Value k, ValueRange sums) -> SmallVector<Value> {
                Value source = e.loadElement(
                    frame, e.loadIndex(sourceTable, frameType, k));
                Value weights = arith::MulIOp::create(e.b, loc, k, rowCount);
                SmallVector<Value> next;
                for (unsigned r = 0; r < rows; ++r) {
                  Value weight = e.load(
                      f32, weightTable,
                      arith::AddIOp::create(e.b, loc, weights, e.i64(r)));
                  next.push_back(e.fma(e.splat(weight), source, sums[r]));
                }
                return next;
              });
          for (unsigned r = 0; r < rows; ++r) {
            Value value = dot.getResult(r);
            value = arith::SelectOp::create(
                e.b, loc, finishes[r], e.activate(value, activation), value);
            e.storeElement(value, frame, slots[r]);
          }
          return {columnEnd, ioEnd};
        });
  };
  auto emitWork = [&](Value begin, Value end, ValueRange cursors,
                      const Activation &activation) {
    return g       ? emitGroups(begin, end, cursors, activation)
           : tiles ? emitTiles(begin, end, cursors, activation)
                   : emitRows(begin, end, cursors, activation);
  };

  e.storeElement(e.constant(0.0f), frame, e.i64(t.zeroIndex));
  copy(inPtr, zero, frame, e.i64(t.inputBase), program.numInputs);
  // Cursors: the segment's first row or group, then the work's own.
  const unsigned numCursors = g ? 5 : 3;
  SmallVector<Value> initialCursors(numCursors, zero);
  auto segments = e.forLoop(
      zero, e.i64(t.segmentActivations.size()), one, initialCursors,
      [&](Value s, ValueRange cursors) -> SmallVector<Value> {
        Value row = cursors[0];
        Value rowEnd = e.loadIndex(segmentEndTable, rowType, s);
        if (counters.loads) {
          e.count(counters.loads, e.loadIndex(loadTable, loadType, s));
          e.count(counters.stores, e.loadIndex(storeTable, storeType, s));
        }
        auto finish = [&](scf::ForOp work) -> SmallVector<Value> {
          SmallVector<Value> next = {rowEnd};
          // Rows carry one more value than their cursors (emitRows).
          llvm::append_range(next,
                             work.getResults().take_front(numCursors - 1));
          return next;
        };
        if (program.activations.size() <= 1) {
          Activation identity = Activation::identity();
          return finish(emitWork(row, rowEnd, cursors.drop_front(),
                                 program.activations.empty()
                                     ? identity
                                     : program.activations.front()));
        }
        SmallVector<int64_t> cases;
        for (unsigned a = 0; a < program.activations.size(); ++a)
          cases.push_back(a);
        Value id = arith::IndexCastOp::create(
            e.b, loc, e.b.getIndexType(),
            e.loadIndex(activationTable, activationType, s));
        auto dispatch = scf::IndexSwitchOp::create(
            e.b, loc, SmallVector<Type>(numCursors, i64), id, cases,
            cases.size());
        OpBuilder::InsertionGuard guard(e.b);
        // The default region never runs; it keeps the cursors.
        e.b.setInsertionPointToStart(
            &dispatch.getDefaultRegion().emplaceBlock());
        scf::YieldOp::create(e.b, loc, cursors);
        for (unsigned a = 0; a < program.activations.size(); ++a) {
          e.b.setInsertionPointToStart(
              &dispatch.getCaseRegions()[a].emplaceBlock());
          scf::YieldOp::create(
              e.b, loc,
              finish(emitWork(row, rowEnd, cursors.drop_front(),
                              program.activations[a])));
        }
        return SmallVector<Value>(dispatch.getResults());
      });
  // The I/O after the last row.
  emitEvents(segments.getResults().back(), e.i64(t.ioFrom.size()));
  e.count(counters.loads, t.trailingLoads);
  e.count(counters.stores, t.trailingStores);
  copy(frame, e.i64(t.outputBase), outPtr, zero, program.numOutputs);
}

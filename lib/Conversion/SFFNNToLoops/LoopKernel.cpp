//===- LoopKernel.cpp - Plans as row loops --------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the LoopKernel. Its memory is one frame of elements:
//
//   [ fast memory: M slots | inputs: n_in | outputs: n_out | spills ]
//
// so that every value, in fast or in slow memory, has one frame index. The
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
// Rows run in segments of one activation (rows that do not finish join any
// segment): the code is a loop over segments that dispatches on the
// activation once per segment, and a loop over the segment's rows without
// any branch on a row's kind. Every table is read strictly in order.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/StringMap.h"

#include <limits>

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

namespace {

/// One sample's rows get one partial sum per this many macs of a row (on
/// average), at most kPartialSums.
constexpr uint64_t kMacsPerChain = 2;

/// Row flags.
enum RowFlag : uint64_t {
  FromSlot = 1, ///< The accumulator starts from the slot's value, not zero.
  Finishes = 2, ///< The row applies its segment's activation.
};

/// The loop kernel's tables, built from a kernel program.
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
  // Per mac: the frame index of its source and its weight. Every row's macs
  // are padded to a multiple of kPartialSums (of every dot product's
  // partial sums) with macs of weight 0 reading the zero, so that the dot
  // product has no remainder.
  std::vector<uint64_t> sources;
  std::vector<float> weights;
  // Per I/O event: frame indices.
  std::vector<uint64_t> ioFrom, ioTo;
  /// The I/O after the last row (its loads and stores).
  uint64_t trailingLoads = 0, trailingStores = 0;
};

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

RowTables buildRowTables(const KernelProgram &program, unsigned padTo) {
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
  auto addEvent = [&](const KernelOp &op) {
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
    while ((t.sources.size() - rowBegin) % padTo) {
      t.sources.push_back(t.zeroIndex);
      t.weights.push_back(0.0f);
    }
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

uint64_t maxOf(const std::vector<uint64_t> &values) {
  return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

} // namespace

/// The rows, and the tables' attributes and entry types.
struct LoopKernel::Tables {
  RowTables rows;
  llvm::StringMap<DenseElementsAttr> attributes;
  Type frameType, slotType, flagType, macType, ioType, rowType, activationType,
      loadType, storeType;
};

LoopKernel::LoopKernel(MLIRContext *context, const KernelProgram &program,
                       StringRef prefix)
    : program(program), prefix(prefix.str()),
      tables(std::make_unique<Tables>()) {
  Tables &x = *tables;
  // Every kernel of one program pads to kPartialSums (a multiple of every
  // kernel's partial sums), so that they share one set of tables.
  x.rows = buildRowTables(program, kPartialSums);
  const RowTables &t = x.rows;
  x.frameType = getIndexType(context, t.frameSize);
  x.slotType = getIndexType(context, program.numSlots);
  x.flagType = IntegerType::get(context, 8);
  x.macType = getIndexType(context, t.sources.size());
  x.ioType = getIndexType(context, t.ioFrom.size());
  x.rowType = getIndexType(context, t.rowSlots.size());
  x.activationType = getIndexType(context, maxOf(t.segmentActivations));
  x.loadType = getIndexType(context, maxOf(t.segmentLoads));
  x.storeType = getIndexType(context, maxOf(t.segmentStores));
  auto add = [&](StringRef suffix, DenseElementsAttr values) {
    x.attributes[suffix] = values;
  };
  add("_segment_activations",
      getIntTable(x.activationType, t.segmentActivations));
  add("_segment_row_ends", getIntTable(x.rowType, t.segmentRowEnds));
  add("_segment_loads", getIntTable(x.loadType, t.segmentLoads));
  add("_segment_stores", getIntTable(x.storeType, t.segmentStores));
  add("_row_slots", getIntTable(x.slotType, t.rowSlots));
  add("_row_flags", getIntTable(x.flagType, t.rowFlags));
  add("_row_mac_ends", getIntTable(x.macType, t.rowMacEnds));
  add("_row_io_ends", getIntTable(x.ioType, t.rowIOEnds));
  add("_row_biases", getFloatTable(context, t.rowBiases));
  add("_sources", getIntTable(x.frameType, t.sources));
  add("_weights", getFloatTable(context, t.weights));
  add("_io_from", getIntTable(x.frameType, t.ioFrom));
  add("_io_to", getIntTable(x.frameType, t.ioTo));
}

LoopKernel::~LoopKernel() = default;

void LoopKernel::emit(Emitter &e, OpBuilder &moduleBuilder, Value inPtr,
                      Value outPtr, IOCounters counters) const {
  Location loc = e.loc;
  // The dot product: `chains` partial sums over groups of `chains` macs.
  // One sample's short rows take fewer chains: the rows overlap each other's
  // latency, with one chain per kMacsPerChain macs of a row on average.
  unsigned chains = e.getPartialSums();
  if (e.getLanes() == 1) {
    uint64_t neurons = llvm::count_if(program.ops, [](const KernelOp &op) {
      return op.kind == KernelOp::Finish || op.kind == KernelOp::FinishEmpty;
    });
    uint64_t macsPerRow =
        program.weights.size() / std::max<uint64_t>(neurons, 1);
    chains = std::clamp<uint64_t>(macsPerRow / kMacsPerChain, 1, chains);
  }
  const Tables &x = *tables;
  const RowTables &t = x.rows;
  Type frameType = x.frameType, slotType = x.slotType, flagType = x.flagType,
       macType = x.macType, ioType = x.ioType, rowType = x.rowType,
       activationType = x.activationType, loadType = x.loadType,
       storeType = x.storeType;
  auto table = [&](StringRef suffix) {
    return getTableAddress(e, moduleBuilder, prefix + suffix.str(),
                           x.attributes.lookup(suffix));
  };
  Value activationTable = table("_segment_activations");
  Value segmentEndTable = table("_segment_row_ends");
  Value loadTable, storeTable;
  if (counters.loads) {
    loadTable = table("_segment_loads");
    storeTable = table("_segment_stores");
  }
  Value rowSlotTable = table("_row_slots");
  Value rowFlagTable = table("_row_flags");
  Value rowMacTable = table("_row_mac_ends");
  Value rowIOTable = table("_row_io_ends");
  Value rowBiasTable = table("_row_biases");
  Value sourceTable = table("_sources");
  Value weightTable = table("_weights");
  Value ioFromTable = table("_io_from");
  Value ioToTable = table("_io_to");

  Value frame = e.allocate(t.frameSize);
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
  // The dot product of the macs [begin, end) (a multiple of `chains`) added
  // to `acc`.
  auto emitDot = [&](Value begin, Value end, Value acc) {
    auto macAt = [&](Value m, Value sum) {
      Value weight = e.splat(e.load(f32, weightTable, m));
      Value source =
          e.loadElement(frame, e.loadIndex(sourceTable, frameType, m));
      return e.fma(weight, source, sum);
    };
    SmallVector<Value> initial = {acc};
    for (unsigned c = 1; c < chains; ++c)
      initial.push_back(e.constant(0.0f));
    auto groups = e.forLoop(
        begin, end, e.i64(chains), initial,
        [&](Value m, ValueRange sums) -> SmallVector<Value> {
          SmallVector<Value> next;
          for (unsigned c = 0; c < chains; ++c)
            next.push_back(
                macAt(arith::AddIOp::create(e.b, loc, m, e.i64(c)), sums[c]));
          return next;
        });
    return sumPairwise(e, SmallVector<Value>(groups.getResults()));
  };
  // The rows [begin, end) of a segment whose activation is `activation`.
  auto emitRows = [&](Value begin, Value end, ValueRange cursors,
                      const Activation &activation) {
    return e.forLoop(
        begin, end, one, cursors,
        [&](Value r, ValueRange cursor) -> SmallVector<Value> {
          Value mac = cursor[0], io = cursor[1];
          Value ioEnd = e.loadIndex(rowIOTable, ioType, r);
          emitEvents(io, ioEnd);
          Value slot = e.loadIndex(rowSlotTable, slotType, r);
          Value flags = e.loadIndex(rowFlagTable, flagType, r);
          auto flagSet = [&](uint64_t flag) {
            return arith::CmpIOp::create(
                e.b, loc, arith::CmpIPredicate::ne,
                arith::AndIOp::create(e.b, loc, flags, e.i64(flag)), zero);
          };
          Value init = arith::SelectOp::create(e.b, loc, flagSet(FromSlot),
                                               e.loadElement(frame, slot),
                                               e.constant(0.0f));
          Value acc = arith::AddFOp::create(
              e.b, loc, init, e.splat(e.load(f32, rowBiasTable, r)));
          Value macEnd = e.loadIndex(rowMacTable, macType, r);
          Value value = emitDot(mac, macEnd, acc);
          value = arith::SelectOp::create(e.b, loc, flagSet(Finishes),
                                          e.activate(value, activation), value);
          e.storeElement(value, frame, slot);
          return {macEnd, ioEnd};
        });
  };

  e.storeElement(e.constant(0.0f), frame, e.i64(t.zeroIndex));
  copy(inPtr, zero, frame, e.i64(t.inputBase), program.numInputs);
  auto segments = e.forLoop(
      zero, e.i64(t.segmentActivations.size()), one, {zero, zero, zero},
      [&](Value s, ValueRange cursors) -> SmallVector<Value> {
        Value row = cursors[0];
        Value rowEnd = e.loadIndex(segmentEndTable, rowType, s);
        if (counters.loads) {
          e.count(counters.loads, e.loadIndex(loadTable, loadType, s));
          e.count(counters.stores, e.loadIndex(storeTable, storeType, s));
        }
        auto finish = [&](scf::ForOp rows) -> SmallVector<Value> {
          return {rowEnd, rows.getResult(0), rows.getResult(1)};
        };
        if (program.activations.size() <= 1) {
          Activation identity = Activation::identity();
          return finish(emitRows(row, rowEnd, cursors.drop_front(),
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
            e.b, loc, TypeRange{i64, i64, i64}, id, cases, cases.size());
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
              finish(emitRows(row, rowEnd, cursors.drop_front(),
                              program.activations[a])));
        }
        return SmallVector<Value>(dispatch.getResults());
      });
  // The I/O after the last row.
  emitEvents(segments.getResult(2), e.i64(t.ioFrom.size()));
  e.count(counters.loads, t.trailingLoads);
  e.count(counters.stores, t.trailingStores);
  copy(frame, e.i64(t.outputBase), outPtr, zero, program.numOutputs);
}

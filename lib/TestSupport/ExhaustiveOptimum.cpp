//===- ExhaustiveOptimum.cpp - Optimal plans of tiny networks -------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements `findOptimalPlan`: an A* search for a plan of minimum
// I/O cost (loads + stores) over M fast-memory slots, in the model of
// Plan.h / docs/io-model.md sections 1-2, partial sums (accumulator spills)
// included.
//
// The search does not walk single plan steps. It walks *macros*, and only
// canonical ones; each restriction below keeps at least one optimal plan,
// which is argued by an exchange that turns any legal plan into a canonical
// one of at most the same cost.
//
//  (R1) Slots are interchangeable: no step cares which slot a value is in,
//       only that the operands of a step are in distinct slots. A state
//       holds the *set* of resident values; slot numbers are assigned when
//       the plan is rebuilt. Two copies of one value are never useful (the
//       second copy can be replaced by the first), so a set suffices.
//  (R2) Loads are postponed to their use. A load of x_u (input or stored
//       neuron value) or of acc_v can be moved down to just before the first
//       step that reads it: in between, its slot is simply empty, which only
//       adds room. A weight is read only by its mac and a bias only by its
//       bias step, so "load w_e + mac(e)" and "load b_v + bias(v)" are one
//       macro of cost 1 whose weight (bias) slot is empty again afterwards.
//       Together: a macro is "bring the operands in, then mac (bias)", with
//       cost 1 + [x_u loaded] + [acc_v loaded].
//  (R3) Evictions are lazy. A Free (with the Store it needs, if any) can be
//       moved down to just before the next load or creation that needs its
//       slot: the slot is unused in between, and a value's eviction only
//       gets cheaper with time (a needed x_v stays stored once stored, and
//       an x_v that becomes dead needs no store at all). So a macro first
//       evicts exactly as many values as it lacks slots for, chosen among
//       all resident values but its own operands (every choice is tried).
//  (R4) Stores happen only on eviction. A Store of x_v or acc_v is useful
//       only because a later Free needs it (or, for an output, because x_v
//       must reach slow memory, which R6 handles), so it moves down to just
//       before that Free. Hence a resident accumulator never has a current
//       slow copy (it was created or loaded for a mac of this very macro and
//       updated since): evicting it costs 1 (store + free); evicting an
//       input costs 0; evicting x_v costs 0 if it is stored, else 1. An
//       accumulator has a current slow copy iff its neuron is started,
//       unfinished and not resident, so the state needs no bit for it.
//  (R5) Finishes are eager. When the last mac or the bias of v completes
//       acc_v, v is finished in place at once. In any plan, between that
//       moment and the finish the completed accumulator is either kept (so
//       the finish can move up: nothing reads acc_v or x_v in between) or
//       evicted with a store (cost 1) and later reloaded (cost 1) only to
//       be finished; finishing first and storing / reloading x_v instead
//       costs the same. (By R2 a complete accumulator is never loaded.) A
//       neuron with no fan-in and zero bias is finished into an empty slot
//       for cost 0 right before its first mac (R2's argument), or, if it
//       has no out-edges, at the very start (finish, store if it is an
//       output, free), when every slot is empty.
//  (R6) Dead values are discarded eagerly. A value with no pending mac
//       (an input whose out-edges are done, an x_v whose out-edges are done)
//       is never read again; an output x_v among them is stored first (that
//       store is owed by every plan, once, and R4 makes it the only store of
//       x_v that is not a spill). Discarding it at once only adds room.
//
// Hence every resident value is live: an input or x_u with a pending mac, or
// the accumulator of a started, unfinished neuron. The goal is "every
// neuron finished"; by R5 and R6 all macs and biases are then done and every
// output is stored.
//
// State (one uint64_t, 59 bits): the resident set (one bit per used input,
// per x_v and per acc_v: at most 12 + 7 + 7 = 26 bits), the macs done (12
// bits), the biases done, the finished neurons and the stored x_v (7 bits
// each).
//
// Heuristic: h = (macs left) + (non-zero biases left) + (inputs and stored
// x_u with a pending mac that are not resident) + (accumulators of started,
// unfinished neurons that are not resident) + (outputs not stored yet).
// Every term counts I/Os of a distinct kind that every completion must still
// do (weight loads, bias loads, source loads, accumulator loads, output
// stores), so h is admissible. It is consistent: a macro of cost c lowers
// the mac (bias) term by 1 and the source and accumulator terms by one per
// load it pays for, and an eviction of cost 0 or 1 raises h or lowers the
// output term by at most its cost. So the first goal popped is optimal and a
// closed state is never reopened.
//
// Determinism: the open list orders by (f, larger g first, insertion
// sequence number), successors are generated in a fixed order, and the
// hash map is only used for look-ups.
//
//===----------------------------------------------------------------------===//

#include "sffnn/TestSupport/ExhaustiveOptimum.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/ErrorHandling.h"

#include <cassert>
#include <queue>

using namespace sffnn;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

namespace {

/// Bit offsets of the fields of a packed state.
constexpr unsigned kEdgesShift = 26;
constexpr unsigned kBiasShift = kEdgesShift + 12;
constexpr unsigned kFinishedShift = kBiasShift + 7;
constexpr unsigned kStoredShift = kFinishedShift + 7;
static_assert(kStoredShift + 7 <= 64, "a state must fit in 64 bits");
static_assert(ExhaustiveLimits::maxConnections <= 12 &&
                  ExhaustiveLimits::maxComputed <= 7,
              "the state layout assumes these limits");

/// A search state. Computed neurons are numbered i = v - n_in; `resident`
/// numbers the used inputs [0, U), then x_i at U + i, then acc_i at U + C + i.
struct State {
  uint32_t resident = 0;
  uint32_t edgesDone = 0;
  uint32_t biasDone = 0;
  uint32_t finished = 0;
  uint32_t stored = 0;

  uint64_t pack() const {
    return uint64_t(resident) | uint64_t(edgesDone) << kEdgesShift |
           uint64_t(biasDone) << kBiasShift |
           uint64_t(finished) << kFinishedShift |
           uint64_t(stored) << kStoredShift;
  }
  static State unpack(uint64_t key) {
    State s;
    s.resident = key & ((1u << kEdgesShift) - 1);
    s.edgesDone = (key >> kEdgesShift) & 0xfff;
    s.biasDone = (key >> kBiasShift) & 0x7f;
    s.finished = (key >> kFinishedShift) & 0x7f;
    s.stored = (key >> kStoredShift) & 0x7f;
    return s;
  }
};

/// A macro: mac of an edge or bias of a neuron, after evicting `evict`.
struct Move {
  enum Kind : uint8_t { Mac, Bias };
  Kind kind = Mac;
  /// Mac: the edge id. Bias: the computed index i.
  uint8_t index = 0;
  /// Resident bits evicted first.
  uint32_t evict = 0;
};

/// One edge e = (u, v) of the graph.
struct EdgeInfo {
  /// Resident bit of x_u.
  unsigned sourceBit;
  /// Computed index of u, or -1 if u is an input.
  int sourceComputed;
  /// Computed index of v.
  unsigned target;
};

//===----------------------------------------------------------------------===//
// PlanBuilder
//===----------------------------------------------------------------------===//

/// Turns macros into concrete plan steps: assigns slots (always the lowest
/// empty one) and counts the I/Os.
class PlanBuilder {
public:
  PlanBuilder(uint32_t fastMemory, llvm::ArrayRef<NeuronId> usedInputs,
              uint32_t numInputs, uint32_t numComputed,
              llvm::ArrayRef<uint8_t> isOutput)
      : plan(fastMemory), slotValue(fastMemory, kEmpty),
        slotOf(usedInputs.size() + 2 * numComputed, kEmpty),
        usedInputs(usedInputs), numInputs(numInputs), numComputed(numComputed),
        isOutput(isOutput) {}

  /// Stores the value of `bit` if `needsStore`, then frees its slot.
  void evict(unsigned bit, bool needsStore) {
    SlotId slot = slotOf[bit];
    if (needsStore) {
      plan.addStep(PlanStep::store(slot));
      count(bit, /*isLoad=*/false);
    }
    plan.addStep(PlanStep::free(slot));
    release(bit);
  }
  /// Loads the value of `bit` (an input, stored x_v or stored acc_v).
  void load(unsigned bit) {
    SlotId slot = acquire(bit);
    uint64_t index;
    ValueKind kind = describe(bit, index);
    plan.addStep(PlanStep::load(slot, kind, index));
    count(bit, /*isLoad=*/true);
  }
  /// Reserves an empty slot for the accumulator a first mac or bias of
  /// computed neuron `i` creates.
  void createAccumulator(unsigned i) { acquire(accBit(i)); }
  /// Finishes computed neuron `i` (no fan-in, zero bias) into an empty slot.
  void finishConstant(unsigned i) {
    plan.addStep(PlanStep::finish(numInputs + i, acquire(neuronBit(i))));
  }
  /// Loads w_e into an empty slot and does mac(e); the weight is consumed.
  void mac(uint64_t edge, unsigned target, unsigned sourceBit) {
    SlotId weightSlot = lowestEmpty();
    plan.addStep(PlanStep::load(weightSlot, ValueKind::Weight, edge));
    counts.countLoad(ValueKind::Weight);
    plan.addStep(PlanStep::mac(edge, slotOf[accBit(target)], weightSlot,
                               slotOf[sourceBit]));
  }
  /// Loads b_v into an empty slot and does bias(v); the bias is consumed.
  void bias(unsigned i) {
    NeuronId v = numInputs + i;
    SlotId biasSlot = lowestEmpty();
    plan.addStep(PlanStep::load(biasSlot, ValueKind::Bias, v));
    counts.countLoad(ValueKind::Bias);
    plan.addStep(PlanStep::bias(v, slotOf[accBit(i)], biasSlot));
  }
  /// Finishes computed neuron `i` in the slot of its accumulator.
  void finish(unsigned i) {
    SlotId slot = slotOf[accBit(i)];
    plan.addStep(PlanStep::finish(numInputs + i, slot));
    release(accBit(i));
    slotValue[slot] = neuronBit(i);
    slotOf[neuronBit(i)] = slot;
  }

  Plan plan;
  IOCounts counts;

private:
  static constexpr uint32_t kEmpty = ~uint32_t(0);

  unsigned neuronBit(unsigned i) const { return usedInputs.size() + i; }
  unsigned accBit(unsigned i) const {
    return usedInputs.size() + numComputed + i;
  }
  ValueKind describe(unsigned bit, uint64_t &index) const {
    if (bit < usedInputs.size()) {
      index = usedInputs[bit];
      return ValueKind::Input;
    }
    unsigned i = bit - usedInputs.size();
    if (i < numComputed) {
      index = numInputs + i;
      return ValueKind::Neuron;
    }
    index = numInputs + i - numComputed;
    return ValueKind::Accumulator;
  }
  void count(unsigned bit, bool isLoad) {
    uint64_t index;
    ValueKind kind = describe(bit, index);
    if (isLoad)
      counts.countLoad(kind);
    else
      counts.countStore(kind, isOutput[index - numInputs]);
  }
  SlotId lowestEmpty() const {
    for (SlotId slot = 0; slot < slotValue.size(); ++slot)
      if (slotValue[slot] == kEmpty)
        return slot;
    llvm_unreachable("the search never overfills fast memory");
  }
  SlotId acquire(unsigned bit) {
    SlotId slot = lowestEmpty();
    slotValue[slot] = bit;
    slotOf[bit] = slot;
    return slot;
  }
  void release(unsigned bit) {
    slotValue[slotOf[bit]] = kEmpty;
    slotOf[bit] = kEmpty;
  }

  /// Per slot: the resident bit it holds, or kEmpty.
  std::vector<uint32_t> slotValue;
  /// Per resident bit: its slot, or kEmpty.
  std::vector<uint32_t> slotOf;
  llvm::ArrayRef<NeuronId> usedInputs;
  uint32_t numInputs;
  uint32_t numComputed;
  llvm::ArrayRef<uint8_t> isOutput;
};

//===----------------------------------------------------------------------===//
// ExhaustiveSearch
//===----------------------------------------------------------------------===//

/// The A* search of the file comment.
class ExhaustiveSearch {
public:
  ExhaustiveSearch(const Graph &graph, uint32_t fastMemory,
                   const ExhaustiveLimits &limits);
  llvm::Expected<OptimalPlan> run();

private:
  /// A search node; nodes are never removed.
  struct Node {
    uint64_t key;
    uint32_t g;
    uint32_t parent;
    Move move;
    bool closed;
  };
  /// An entry of the open list; stale entries (g above the node's) are
  /// skipped when popped.
  struct OpenEntry {
    uint32_t f;
    uint32_t g;
    uint64_t sequence;
    uint32_t node;
    /// "Pops later than": larger f, then smaller g, then later insertion.
    bool operator<(const OpenEntry &other) const {
      if (f != other.f)
        return f > other.f;
      if (g != other.g)
        return g < other.g;
      return sequence > other.sequence;
    }
  };

  unsigned neuronBit(unsigned i) const { return numUsedInputs + i; }
  unsigned accBit(unsigned i) const { return numUsedInputs + numComputed + i; }
  bool isStarted(const State &s, unsigned i) const {
    return (s.edgesDone & inEdges[i]) != 0 || (s.biasDone >> i & 1);
  }
  /// The macs still pending on the value of resident bit `bit` (0 for
  /// accumulators).
  uint32_t pendingUses(const State &s, unsigned bit) const {
    return outEdges[bit] & ~s.edgesDone;
  }

  State initialState(uint32_t &cost, PlanBuilder *builder) const;
  uint32_t heuristic(const State &s) const;
  /// Calls `fn(move)` for every canonical macro from `s`, in a fixed order.
  template <typename Fn> void forEachMove(const State &s, Fn fn) const;
  /// Applies `move` to `s` and returns its cost; emits its steps into
  /// `builder` if it is not null.
  uint32_t apply(State &s, const Move &move, PlanBuilder *builder) const;
  /// Replays the moves from the root to `goal` into an OptimalPlan.
  OptimalPlan reconstruct(uint32_t goal) const;

  uint32_t fastMemory;
  const ExhaustiveLimits &limits;

  uint32_t numInputs;
  uint32_t numComputed;
  unsigned numUsedInputs;
  /// The inputs with at least one out-edge, by resident bit.
  llvm::SmallVector<NeuronId, 12> usedInputs;
  llvm::SmallVector<EdgeInfo, 12> edges;
  /// Per resident bit: the out-edges (a mask) of that value; 0 for
  /// accumulators.
  llvm::SmallVector<uint32_t, 26> outEdges;
  /// Per computed index: the in-edges (a mask).
  llvm::SmallVector<uint32_t, 7> inEdges;
  llvm::SmallVector<uint8_t, 7> isOutput;
  uint32_t allEdges = 0;
  uint32_t allComputed = 0;
  /// Computed neurons with a non-zero bias.
  uint32_t biasMask = 0;
  /// Computed neurons with no fan-in and zero bias.
  uint32_t constantMask = 0;
  uint32_t outputMask = 0;
  /// Resident bits of the used inputs, of the x_i and of the acc_i.
  uint32_t inputBits = 0;
  uint32_t neuronBits = 0;

  std::vector<Node> nodes;
  uint64_t statesExpanded = 0;
};

} // namespace

ExhaustiveSearch::ExhaustiveSearch(const Graph &graph, uint32_t fastMemory,
                                   const ExhaustiveLimits &limits)
    : fastMemory(fastMemory), limits(limits), numInputs(graph.getNumInputs()),
      numComputed(graph.getNumComputed()) {
  llvm::SmallVector<int, 16> inputBit(numInputs, -1);
  for (NeuronId u = 0; u < numInputs; ++u) {
    if (graph.getFanOut(u).empty())
      continue;
    inputBit[u] = usedInputs.size();
    usedInputs.push_back(u);
  }
  numUsedInputs = usedInputs.size();
  outEdges.assign(numUsedInputs + 2 * numComputed, 0);
  inEdges.assign(numComputed, 0);
  isOutput.assign(numComputed, 0);
  edges.resize(graph.getNumConnections());
  allComputed = (1u << numComputed) - 1;
  inputBits = (1u << numUsedInputs) - 1;
  neuronBits = allComputed << numUsedInputs;
  for (unsigned i = 0; i < numComputed; ++i) {
    NeuronId v = numInputs + i;
    llvm::ArrayRef<NeuronId> fanIn = graph.getFanIn(v);
    uint64_t begin = graph.getFanInBegin(v);
    for (size_t k = 0; k < fanIn.size(); ++k) {
      uint64_t e = begin + k;
      NeuronId u = fanIn[k];
      EdgeInfo &edge = edges[e];
      edge.target = i;
      if (graph.isInput(u)) {
        edge.sourceComputed = -1;
        edge.sourceBit = inputBit[u];
      } else {
        edge.sourceComputed = u - numInputs;
        edge.sourceBit = neuronBit(u - numInputs);
      }
      outEdges[edge.sourceBit] |= 1u << e;
      inEdges[i] |= 1u << e;
      allEdges |= 1u << e;
    }
    if (graph.getBias(v) != 0.0f)
      biasMask |= 1u << i;
    else if (fanIn.empty())
      constantMask |= 1u << i;
  }
  for (NeuronId v : graph.getOutputs()) {
    isOutput[v - numInputs] = 1;
    outputMask |= 1u << (v - numInputs);
  }
}

State ExhaustiveSearch::initialState(uint32_t &cost,
                                     PlanBuilder *builder) const {
  // R5: a neuron with no fan-in, zero bias and no out-edges is finished at
  // the start into a slot that is free again at once.
  State s;
  cost = 0;
  for (unsigned i = 0; i < numComputed; ++i) {
    if (!(constantMask >> i & 1) || outEdges[neuronBit(i)] != 0)
      continue;
    s.finished |= 1u << i;
    if (builder)
      builder->finishConstant(i);
    bool store = isOutput[i];
    if (store) {
      s.stored |= 1u << i;
      ++cost;
    }
    if (builder)
      builder->evict(neuronBit(i), store);
  }
  return s;
}

uint32_t ExhaustiveSearch::heuristic(const State &s) const {
  uint32_t h = llvm::popcount(allEdges & ~s.edgesDone) +
               llvm::popcount(biasMask & ~s.biasDone) +
               llvm::popcount(outputMask & ~s.stored);
  for (unsigned bit = 0; bit < numUsedInputs; ++bit)
    if (!(s.resident >> bit & 1) && pendingUses(s, bit))
      ++h;
  for (unsigned i = 0; i < numComputed; ++i) {
    if (s.finished >> i & 1) {
      unsigned bit = neuronBit(i);
      if (!(s.resident >> bit & 1) && pendingUses(s, bit))
        ++h;
    } else if (!(s.resident >> accBit(i) & 1) && isStarted(s, i)) {
      ++h;
    }
  }
  return h;
}

template <typename Fn>
void ExhaustiveSearch::forEachMove(const State &s, Fn fn) const {
  uint32_t numFree = fastMemory - llvm::popcount(s.resident);
  // Tries every way to evict `needed - numFree` values outside `keep`.
  auto withEvictions = [&](Move move, uint32_t needed, uint32_t keep) {
    if (needed <= numFree) {
      fn(move);
      return;
    }
    unsigned numEvict = needed - numFree;
    uint32_t candidates = s.resident & ~keep;
    if (unsigned(llvm::popcount(candidates)) < numEvict)
      return;
    // Subsets of `candidates` in increasing order of their mask.
    for (uint32_t subset = 0;; subset = (subset - candidates) & candidates) {
      if (unsigned(llvm::popcount(subset)) == numEvict) {
        move.evict = subset;
        fn(move);
      }
      if (subset == candidates)
        break;
    }
  };
  for (unsigned e = 0; e < edges.size(); ++e) {
    if (s.edgesDone >> e & 1)
      continue;
    const EdgeInfo &edge = edges[e];
    // x_u must exist: u is an input, finished, or a constant neuron.
    if (edge.sourceComputed >= 0 && !(s.finished >> edge.sourceComputed & 1) &&
        !(constantMask >> edge.sourceComputed & 1))
      continue;
    uint32_t sourceBit = 1u << edge.sourceBit;
    uint32_t acc = 1u << accBit(edge.target);
    uint32_t needed = 1 + !(s.resident & sourceBit) + !(s.resident & acc);
    withEvictions({Move::Mac, uint8_t(e), 0}, needed, sourceBit | acc);
  }
  for (unsigned i = 0; i < numComputed; ++i) {
    if (!(biasMask >> i & 1) || (s.biasDone >> i & 1))
      continue;
    uint32_t acc = 1u << accBit(i);
    uint32_t needed = 1 + !(s.resident & acc);
    withEvictions({Move::Bias, uint8_t(i), 0}, needed, acc);
  }
}

uint32_t ExhaustiveSearch::apply(State &s, const Move &move,
                                 PlanBuilder *builder) const {
  uint32_t cost = 0;
  // R3, R4: evictions, with the store a live value needs.
  for (uint32_t rest = move.evict; rest; rest &= rest - 1) {
    unsigned bit = llvm::countr_zero(rest);
    bool store;
    if (bit < numUsedInputs) {
      store = false;
    } else if (bit < numUsedInputs + numComputed) {
      unsigned i = bit - numUsedInputs;
      store = !(s.stored >> i & 1);
      s.stored |= 1u << i;
    } else {
      store = true;
    }
    cost += store;
    s.resident &= ~(1u << bit);
    if (builder)
      builder->evict(bit, store);
  }

  // R2: bring the operands in, then the mac or bias.
  unsigned target =
      move.kind == Move::Mac ? edges[move.index].target : move.index;
  unsigned acc = accBit(target);
  if (!(s.resident >> acc & 1)) {
    bool started = isStarted(s, target);
    cost += started;
    s.resident |= 1u << acc;
    if (builder) {
      if (started)
        builder->load(acc);
      else
        builder->createAccumulator(target);
    }
  }
  if (move.kind == Move::Mac) {
    const EdgeInfo &edge = edges[move.index];
    if (!(s.resident >> edge.sourceBit & 1)) {
      s.resident |= 1u << edge.sourceBit;
      if (edge.sourceComputed >= 0 &&
          !(s.finished >> edge.sourceComputed & 1)) {
        // R5: a constant neuron is finished right before its first use.
        s.finished |= 1u << edge.sourceComputed;
        if (builder)
          builder->finishConstant(edge.sourceComputed);
      } else {
        ++cost;
        if (builder)
          builder->load(edge.sourceBit);
      }
    }
    ++cost;
    s.edgesDone |= 1u << move.index;
    if (builder)
      builder->mac(move.index, target, edge.sourceBit);
  } else {
    ++cost;
    s.biasDone |= 1u << target;
    if (builder)
      builder->bias(target);
  }

  // R5: finish a complete accumulator in place.
  if ((s.edgesDone & inEdges[target]) == inEdges[target] &&
      (!(biasMask >> target & 1) || (s.biasDone >> target & 1))) {
    s.finished |= 1u << target;
    s.resident = (s.resident & ~(1u << acc)) | 1u << neuronBit(target);
    if (builder)
      builder->finish(target);
  }

  // R6: discard dead inputs and neuron values, storing outputs first.
  for (uint32_t rest = s.resident & (inputBits | neuronBits); rest;
       rest &= rest - 1) {
    unsigned bit = llvm::countr_zero(rest);
    if (pendingUses(s, bit))
      continue;
    bool store = false;
    if (bit >= numUsedInputs) {
      unsigned i = bit - numUsedInputs;
      store = isOutput[i] && !(s.stored >> i & 1);
      s.stored |= store << i;
    }
    cost += store;
    s.resident &= ~(1u << bit);
    if (builder)
      builder->evict(bit, store);
  }
  return cost;
}

OptimalPlan ExhaustiveSearch::reconstruct(uint32_t goal) const {
  llvm::SmallVector<Move, 32> moves;
  for (uint32_t n = goal; n != 0; n = nodes[n].parent)
    moves.push_back(nodes[n].move);
  PlanBuilder builder(fastMemory, usedInputs, numInputs, numComputed, isOutput);
  uint32_t cost;
  State s = initialState(cost, &builder);
  for (const Move &move : llvm::reverse(moves))
    cost += apply(s, move, &builder);
  (void)cost;
  assert(s.pack() == nodes[goal].key && cost == nodes[goal].g &&
         cost == builder.counts.getTotal() && "replay diverged from search");
  OptimalPlan result;
  result.plan = std::move(builder.plan);
  result.counts = builder.counts;
  result.statesExpanded = statesExpanded;
  return result;
}

llvm::Expected<OptimalPlan> ExhaustiveSearch::run() {
  llvm::DenseMap<uint64_t, uint32_t> nodeOf;
  std::priority_queue<OpenEntry> open;
  uint64_t sequence = 0;

  uint32_t rootCost;
  State root = initialState(rootCost, nullptr);
  nodes.push_back({root.pack(), rootCost, 0, Move(), false});
  nodeOf[root.pack()] = 0;
  open.push({rootCost + heuristic(root), rootCost, sequence++, 0});

  while (!open.empty()) {
    OpenEntry entry = open.top();
    open.pop();
    Node &node = nodes[entry.node];
    if (node.closed || entry.g != node.g)
      continue;
    node.closed = true;
    State s = State::unpack(node.key);
    if (s.finished == allComputed)
      return reconstruct(entry.node);
    if (statesExpanded == limits.maxStates)
      return makeError("the exhaustive search gave up after " +
                       llvm::Twine(statesExpanded) + " states");
    ++statesExpanded;
    uint32_t g = node.g;
    uint32_t parent = entry.node;
    forEachMove(s, [&](const Move &move) {
      State next = s;
      uint32_t nextG = g + apply(next, move, nullptr);
      uint64_t key = next.pack();
      auto [it, inserted] = nodeOf.try_emplace(key, nodes.size());
      if (inserted) {
        nodes.push_back({key, nextG, parent, move, false});
      } else {
        Node &old = nodes[it->second];
        if (old.closed || old.g <= nextG)
          return;
        old.g = nextG;
        old.parent = parent;
        old.move = move;
      }
      open.push({nextG + heuristic(next), nextG, sequence++, it->second});
    });
  }
  // Unreachable: the pull strategy always completes with M >= 3.
  return makeError("the exhaustive search found no plan");
}

//===----------------------------------------------------------------------===//
// findOptimalPlan
//===----------------------------------------------------------------------===//

llvm::Expected<OptimalPlan>
sffnn::findOptimalPlan(const Graph &graph, uint32_t fastMemory,
                       const ExhaustiveLimits &limits) {
  if (fastMemory < 3 || fastMemory > ExhaustiveLimits::maxFastMemory)
    return makeError("fast memory must be between 3 and " +
                     llvm::Twine(ExhaustiveLimits::maxFastMemory) +
                     " words for the exhaustive search, got " +
                     llvm::Twine(fastMemory));
  if (graph.getNumComputed() > ExhaustiveLimits::maxComputed)
    return makeError("the exhaustive search handles at most " +
                     llvm::Twine(ExhaustiveLimits::maxComputed) +
                     " computed neurons, got " +
                     llvm::Twine(graph.getNumComputed()));
  if (graph.getNumConnections() > ExhaustiveLimits::maxConnections)
    return makeError("the exhaustive search handles at most " +
                     llvm::Twine(ExhaustiveLimits::maxConnections) +
                     " connections, got " +
                     llvm::Twine(graph.getNumConnections()));
  return ExhaustiveSearch(graph, fastMemory, limits).run();
}

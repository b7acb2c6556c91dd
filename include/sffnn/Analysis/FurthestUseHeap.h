//===- FurthestUseHeap.h - Lazy max-heap for Belady eviction ----*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file defines FurthestUseHeap, the lazy max-heap of Belady's eviction
// rule (evict the resident value whose next use is furthest away) shared by
// the planner (lib/Analysis/Planner.cpp) and the annealer's window cost
// (lib/Scheduling/Utils/WindowCost.cpp).
//
// Keys change on every use, so entries are never updated in place: a new
// entry is pushed and the old one becomes stale. The owner decides what is
// stale (the value is no longer resident, or its current next use differs
// from the entry's key); stale entries are skipped when popped and dropped
// when the heap grows past 4 entries per slot (plus 16).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_ANALYSIS_FURTHESTUSEHEAP_H
#define SFFNN_ANALYSIS_FURTHESTUSEHEAP_H

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace sffnn {

/// A lazy max-heap of (next use, value) entries over at most `numSlots`
/// resident values. `KeyT` is a position (larger is later; the largest key
/// means "never used again"), `ValueT` a value id. Ties on the key pop the
/// larger value first. Memory: O(numSlots) entries.
template <typename KeyT, typename ValueT> class FurthestUseHeap {
public:
  using Entry = std::pair<KeyT, ValueT>;

  /// Empties the heap and sets the number of slots that bounds its growth.
  void reset(size_t numSlots) {
    entries.clear();
    limit = 4 * numSlots + 16;
  }

  /// Empties the heap, keeping its number of slots.
  void clear() { entries.clear(); }

  /// Reserves room for the entries the heap holds before a rebuild.
  void reserve() { entries.reserve(limit + 1); }

  /// Records that `value` is next used at `key`. `isStale(key, value)` tells
  /// whether an entry is outdated; it is called when the heap is rebuilt.
  template <typename IsStale>
  void push(KeyT key, ValueT value, IsStale isStale) {
    entries.emplace_back(key, value);
    std::push_heap(entries.begin(), entries.end());
    if (entries.size() > limit) {
      entries.erase(std::remove_if(entries.begin(), entries.end(),
                                   [&](const Entry &entry) {
                                     return isStale(entry.first, entry.second);
                                   }),
                    entries.end());
      std::make_heap(entries.begin(), entries.end());
    }
  }

  /// Removes and returns the entry with the furthest next use among those
  /// that `isStale` accepts; stale entries above it are dropped. The heap
  /// must hold at least one entry that is not stale.
  template <typename IsStale> Entry popFurthest(IsStale isStale) {
    for (;;) {
      assert(!entries.empty() && "no resident value to evict");
      std::pop_heap(entries.begin(), entries.end());
      Entry entry = entries.back();
      entries.pop_back();
      if (!isStale(entry.first, entry.second))
        return entry;
    }
  }

private:
  std::vector<Entry> entries;
  size_t limit = 16;
};

} // namespace sffnn

#endif // SFFNN_ANALYSIS_FURTHESTUSEHEAP_H

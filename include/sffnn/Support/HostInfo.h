//===- HostInfo.h - Facts about the host machine ----------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares queries about the host that pick defaults, such as the
// default fast-memory size, from the machine rather than from constants.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_SUPPORT_HOSTINFO_H
#define SFFNN_SUPPORT_HOSTINFO_H

#include <cstdint>

namespace sffnn {

/// The size of the host's level-1 data cache in bytes, as the C library
/// reports it (sysconf); 32 KiB when it reports nothing.
uint64_t getHostL1DataCacheBytes();

/// The size of the host's level-2 cache in bytes (per core), as the C
/// library reports it (sysconf); 1 MiB when it reports nothing.
uint64_t getHostL2CacheBytes();

/// The last-level cache one core can count on, in bytes: the host's
/// level-3 cache as the C library reports it (sysconf), at most
/// kMaxL3CacheBytes; kMaxL3CacheBytes when it reports nothing. Virtual
/// machines may report the sum over the host's caches (508 MiB on a Zen 5
/// guest), hence the cap.
uint64_t getHostL3CacheBytes();

/// The cap of getHostL3CacheBytes: the L3 of one core complex of AMD Zen 4
/// and Zen 5 (32 MiB), which its cores share.
constexpr uint64_t kMaxL3CacheBytes = 32ull * 1024 * 1024;

/// The default fast-memory size M in words (4-byte f32 values): the L1 data
/// cache of the host, getHostL1DataCacheBytes() / 4.
uint32_t getDefaultFastMemoryWords();

/// The number of f32 lanes of the host's widest vector registers, as LLVM
/// detects its features: 16 with AVX-512F, 8 with AVX, else 4.
uint32_t getHostVectorLanes();

} // namespace sffnn

#endif // SFFNN_SUPPORT_HOSTINFO_H

//===- HostInfo.cpp - Facts about the host machine ------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the host queries with sysconf and LLVM's host
// feature detection.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Support/HostInfo.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <unistd.h>

using namespace sffnn;

/// sysconf(`name`) when the C library reports a positive value for it,
/// else `fallback`.
static uint64_t getCacheBytes(int name, uint64_t fallback) {
  long bytes = sysconf(name);
  return bytes > 0 ? uint64_t(bytes) : fallback;
}

uint64_t sffnn::getHostL1DataCacheBytes() {
#ifdef _SC_LEVEL1_DCACHE_SIZE
  return getCacheBytes(_SC_LEVEL1_DCACHE_SIZE, 32 * 1024);
#else
  return 32 * 1024;
#endif
}

uint64_t sffnn::getHostL2CacheBytes() {
#ifdef _SC_LEVEL2_CACHE_SIZE
  return getCacheBytes(_SC_LEVEL2_CACHE_SIZE, 1024 * 1024);
#else
  return 1024 * 1024;
#endif
}

uint64_t sffnn::getHostL3CacheBytes() {
#ifdef _SC_LEVEL3_CACHE_SIZE
  return std::min(getCacheBytes(_SC_LEVEL3_CACHE_SIZE, kMaxL3CacheBytes),
                  kMaxL3CacheBytes);
#else
  return kMaxL3CacheBytes;
#endif
}

uint32_t sffnn::getDefaultFastMemoryWords() {
  return getHostL1DataCacheBytes() / sizeof(float);
}

uint32_t sffnn::getHostVectorLanes() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return 16;
  if (features.lookup("avx"))
    return 8;
  return 4;
}

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

#include <unistd.h>

using namespace sffnn;

uint64_t sffnn::getHostL1DataCacheBytes() {
#ifdef _SC_LEVEL1_DCACHE_SIZE
  long bytes = sysconf(_SC_LEVEL1_DCACHE_SIZE);
  if (bytes > 0)
    return bytes;
#endif
  return 32 * 1024;
}

uint64_t sffnn::getHostL2CacheBytes() {
#ifdef _SC_LEVEL2_CACHE_SIZE
  long bytes = sysconf(_SC_LEVEL2_CACHE_SIZE);
  if (bytes > 0)
    return bytes;
#endif
  return 1024 * 1024;
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

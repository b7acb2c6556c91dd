//===- HostInfo.cpp - Facts about the host machine ------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the host queries with sysconf.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Support/HostInfo.h"

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

uint32_t sffnn::getDefaultFastMemoryWords() {
  return getHostL1DataCacheBytes() / sizeof(float);
}

/* Runs wide_batch with too little address space for its buffers: every
 * allocation is checked, so the call returns ENOMEM instead of crashing,
 * and succeeds once the memory is there again. */
#include "wide.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

/* The process's address space now, in bytes. */
static long address_space(void) {
  long pages = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f || fscanf(f, "%ld", &pages) != 1)
    return -1;
  fclose(f);
  return pages * sysconf(_SC_PAGESIZE);
}

static const char *name(int status) {
  return status == 0 ? "ok" : status == ENOMEM ? "ENOMEM" : "other error";
}

int main(void) {
  enum { kSamples = 64 };
  float *in = calloc((size_t)kSamples * WIDE_NUM_INPUTS, sizeof(float));
  float *out = malloc((size_t)kSamples * WIDE_NUM_OUTPUTS * sizeof(float));
  struct rlimit old, tight;
  long used = address_space();
  if (!in || !out || used < 0 || getrlimit(RLIMIT_AS, &old) != 0)
    return 1;
  /* 2 MiB more than now: room for the stack, not for the batch buffers. */
  tight = old;
  tight.rlim_cur = (rlim_t)used + (2 << 20);
  if (setrlimit(RLIMIT_AS, &tight) != 0)
    return 1;
  int starved = wide_batch(in, out, kSamples);
  int starvedParallel = wide_batch_parallel(in, out, kSamples, 1);
  if (setrlimit(RLIMIT_AS, &old) != 0)
    return 1;
  int fed = wide_batch(in, out, kSamples);
  printf("starved: %s, parallel: %s, fed: %s\n", name(starved),
         name(starvedParallel), name(fed));
  return 0;
}

/* Uses only the generated header: runs two samples one by one, as a batch
 * and as a batch on two threads, prints the outputs, and the I/O counters
 * when instrumented. */
#include "tiny.h"
#include <stdio.h>

int main(void) {
  const float in[2][TINY_NUM_INPUTS] = {{1.0f, 2.0f}, {3.0f, -1.0f}};
  float one[2][TINY_NUM_OUTPUTS], all[2][TINY_NUM_OUTPUTS],
      threaded[2][TINY_NUM_OUTPUTS];
  int failed = 0;
  for (int s = 0; s < 2; ++s)
    failed |= tiny(in[s], one[s]);
  failed |= tiny_batch(&in[0][0], &all[0][0], 2);
  printf("status %d, batch of -1: %d\n", failed,
         tiny_batch(&in[0][0], &all[0][0], -1));
  int rc = tiny_batch_parallel(&in[0][0], &threaded[0][0], 2, 2);
  printf("parallel rc = %d\n", rc);
  for (int s = 0; s < 2; ++s)
    for (int k = 0; k < TINY_NUM_OUTPUTS; ++k)
      printf("y[%d][%d] = %.6f %s %s\n", s, k, one[s][k],
             one[s][k] == all[s][k] ? "batch-equal" : "batch-DIFFERS",
             all[s][k] == threaded[s][k] ? "parallel-equal"
                                         : "parallel-DIFFERS");
#ifdef INSTRUMENTED
  tiny_io_loads = 0;
  tiny_io_stores = 0;
  tiny(in[0], one[0]);
  printf("loads = %lld, stores = %lld\n", (long long)tiny_io_loads,
         (long long)tiny_io_stores);
#endif
  return 0;
}

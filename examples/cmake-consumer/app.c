/* Runs the network compiled by sffnn_add_model on a few inputs, one sample
 * at a time, as a batch and on two threads: the batch on threads gives the
 * batch's bits, and one sample at a time the same values within rounding
 * (its kernel may add in another order). */
#include "net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { kSamples = 5 };

int main(void) {
  static float in[kSamples][NET_NUM_INPUTS];
  static float one[kSamples][NET_NUM_OUTPUTS], all[kSamples][NET_NUM_OUTPUTS],
      threaded[kSamples][NET_NUM_OUTPUTS];
  for (int s = 0; s < kSamples; ++s)
    for (int i = 0; i < NET_NUM_INPUTS; ++i)
      in[s][i] = (float)((s * 31 + i * 7) % 17) / 16.0f;
  for (int s = 0; s < kSamples; ++s)
    net(in[s], one[s]);
  net_batch(&in[0][0], &all[0][0], kSamples);
  if (net_batch_parallel(&in[0][0], &threaded[0][0], kSamples, 2) != 0) {
    fprintf(stderr, "net_batch_parallel failed\n");
    return EXIT_FAILURE;
  }
  int same = 1;
  for (int s = 0; s < kSamples; ++s)
    for (int k = 0; k < NET_NUM_OUTPUTS; ++k) {
      float scale = fabsf(all[s][k]) > 1.0f ? fabsf(all[s][k]) : 1.0f;
      same &= fabsf(one[s][k] - all[s][k]) <= 1e-4f * scale &&
              all[s][k] == threaded[s][k];
    }
  printf("%d inputs, %d outputs, block of %d samples\n", NET_NUM_INPUTS,
         NET_NUM_OUTPUTS, NET_BATCH_BLOCK);
  printf("out[0][0] = %.6f\n", one[0][0]);
  printf("single, batch and threads %s\n", same ? "agree" : "DIFFER");
  return same ? EXIT_SUCCESS : EXIT_FAILURE;
}

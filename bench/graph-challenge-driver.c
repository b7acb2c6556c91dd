/* graph-challenge-driver.c: runs a Graph Challenge network compiled by
 * sffnn-compile (--name gc) over a whole input set (docs/graph-challenge.md).
 *
 *   driver IMAGES.tsv COUNT THREADS MIN_TIME CATEGORIES
 *
 * Reads COUNT input rows in the Challenge's sparse-images layout (lines
 * `image pixel value`, 1-based), runs them all through one call of
 * gc_batch_parallel on THREADS threads (0: every online core), repeated until
 * MIN_TIME seconds have passed, and prints the fastest run and the number of
 * categories (samples whose output row has a non-zero value):
 *
 *   seconds S
 *   categories C
 *
 * It writes the categories, 1-based, one per line, to CATEGORIES. Built by
 * utils/graph-challenge.sh with the system C compiler against the generated
 * header gc.h, as examples/fashion-mnist/run.sh builds its application.
 */
#include "gc.h"

#define GC_DRIVER_NAME "graph-challenge-driver"
#include "graph-challenge-driver.h"

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s IMAGES.tsv COUNT THREADS MIN_TIME CATEGORIES\n",
            argv[0]);
    return 1;
  }
  long long count = gc_parse_count(argv[2], "COUNT", 1LL << 31);
  int threads = (int)gc_parse_count(argv[3], "THREADS", 1024);
  double min_time = gc_parse_seconds(argv[4], "MIN_TIME");
  if (count == 0)
    gc_fail("COUNT must be at least 1", NULL);

  float *in = gc_read_images(argv[1], count);
  float *out = malloc((size_t)count * GC_NUM_OUTPUTS * sizeof(float));
  unsigned char *flags = malloc((size_t)count);
  if (!out || !flags)
    gc_fail("out of memory for the outputs", NULL);

  double best = 1e300, total = 0;
  do {
    double start = gc_now();
    int rc = gc_batch_parallel(in, out, count, threads);
    double seconds = gc_now() - start;
    if (rc != 0)
      gc_fail("gc_batch_parallel failed", strerror(rc));
    if (seconds < best)
      best = seconds;
    total += seconds;
  } while (total < min_time);

  gc_mark_categories(out, count, flags);
  long long num_categories = gc_write_categories(argv[5], flags, count);
  printf("seconds %.6e\ncategories %lld\n", best, num_categories);
  free(in);
  free(out);
  free(flags);
  return 0;
}

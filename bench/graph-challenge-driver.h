/* graph-challenge-driver.h: what the Graph Challenge drivers share
 * (bench/graph-challenge-driver.c, examples/graph-challenge-mpi/mpi-driver.c):
 * command-line numbers, a clock, the sparse-images reader and the categories.
 *
 * Include it after the generated header gc.h (sffnn-compile --name gc), with
 * GC_DRIVER_NAME defined to the program's name for its error messages. Every
 * error prints one line and exits with code 1.
 */
#ifndef SFFNN_BENCH_GRAPH_CHALLENGE_DRIVER_H
#define SFFNN_BENCH_GRAPH_CHALLENGE_DRIVER_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Prints "NAME: error: MESSAGE[: WHAT]" and exits with 1. */
static inline void gc_fail(const char *message, const char *what) {
  fprintf(stderr, GC_DRIVER_NAME ": error: %s%s%s\n", message, what ? ": " : "",
          what ? what : "");
  exit(1);
}

/* The integer in `text`, in [0, max]; `what` names it in the error. */
static inline long long gc_parse_count(const char *text, const char *what,
                                       long long max) {
  char *end;
  errno = 0;
  long long value = strtoll(text, &end, 10);
  if (errno || end == text || *end || value < 0 || value > max)
    gc_fail("bad number", what);
  return value;
}

/* The seconds in `text`, in [0, 10^6). */
static inline double gc_parse_seconds(const char *text, const char *what) {
  char *end;
  double value = strtod(text, &end);
  if (end == text || *end || !(value >= 0 && value < 1e6))
    gc_fail("bad number", what);
  return value;
}

/* Monotonic wall-clock time in seconds. */
static inline double gc_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Reads a sparse-images file (lines `image pixel value`, 1-based) into a
 * dense, zero-filled count x GC_NUM_INPUTS array (malloc'ed). */
static inline float *gc_read_images(const char *path, long long count) {
  FILE *file = fopen(path, "r");
  if (!file)
    gc_fail("cannot open", path);
  float *in = calloc((size_t)count * GC_NUM_INPUTS, sizeof(float));
  if (!in)
    gc_fail("out of memory for the inputs", path);
  char line[256];
  long long line_no = 0;
  while (fgets(line, sizeof line, file)) {
    ++line_no;
    long long image, pixel;
    float value;
    char extra;
    if (line[0] == '\n')
      continue;
    if (sscanf(line, "%lld %lld %f %c", &image, &pixel, &value, &extra) != 3) {
      fprintf(stderr,
              GC_DRIVER_NAME ": error: %s:%lld: expected "
                             "'image pixel value'\n",
              path, line_no);
      exit(1);
    }
    if (image < 1 || image > count || pixel < 1 || pixel > GC_NUM_INPUTS) {
      fprintf(stderr,
              GC_DRIVER_NAME ": error: %s:%lld: entry (%lld, %lld) outside "
                             "1..%lld x 1..%d\n",
              path, line_no, image, pixel, count, GC_NUM_INPUTS);
      exit(1);
    }
    in[(image - 1) * GC_NUM_INPUTS + (pixel - 1)] = value;
  }
  if (ferror(file))
    gc_fail("cannot read", path);
  fclose(file);
  return in;
}

/* Sets flags[s] to 1 where output row s of `out` (n x GC_NUM_OUTPUTS) has a
 * non-zero value, else 0. */
static inline void gc_mark_categories(const float *out, long long n,
                                      unsigned char *flags) {
  for (long long s = 0; s < n; ++s) {
    const float *row = out + s * GC_NUM_OUTPUTS;
    flags[s] = 0;
    for (int k = 0; k < GC_NUM_OUTPUTS && !flags[s]; ++k)
      flags[s] = row[k] != 0.0f;
  }
}

/* Writes the 1-based ids of the flagged samples, one per line, to `path`;
 * returns their number. */
static inline long long
gc_write_categories(const char *path, const unsigned char *flags, long long n) {
  FILE *file = fopen(path, "w");
  if (!file)
    gc_fail("cannot write", path);
  long long num = 0;
  for (long long s = 0; s < n; ++s)
    if (flags[s]) {
      fprintf(file, "%lld\n", s + 1);
      ++num;
    }
  if (fclose(file) != 0)
    gc_fail("cannot write", path);
  return num;
}

#endif /* SFFNN_BENCH_GRAPH_CHALLENGE_DRIVER_H */

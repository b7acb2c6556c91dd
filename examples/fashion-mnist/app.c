/* app.c: runs the Fashion-MNIST example network compiled by sffnn-compile.
 *
 *   app t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz
 * reference-logits.f32
 *
 * Links two builds of the same model, through their headers only: fmnist
 * (the scheduled plan) and fmnist_csr (sffnn's layerwise CSR lowering, the
 * standard way). Prints the accuracy on the 10,000 test images, the
 * agreement with the PyTorch reference (argmax agreement and the largest
 * |logit difference|), the I/O report, and the time per inference of both
 * builds, measured alternately in the same run.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "fmnist.h"
#include "fmnist_csr.h"

#define NUM_IMAGES 10000
#define ROUNDS 7

static void fail(const char *message, const char *path) {
  fprintf(stderr, "app: %s: %s\n", message, path);
  exit(1);
}

static uint32_t read_be32(gzFile file, const char *path) {
  unsigned char b[4];
  if (gzread(file, b, 4) != 4)
    fail("truncated file", path);
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
         b[3];
}

/* Reads an IDX file of `count` items of `item` bytes after its header. */
static unsigned char *read_idx(const char *path, uint32_t magic, size_t count,
                               size_t item) {
  gzFile file = gzopen(path, "rb");
  if (!file)
    fail("cannot open", path);
  if (read_be32(file, path) != magic)
    fail("unexpected IDX magic number", path);
  if (read_be32(file, path) != count)
    fail("unexpected item count", path);
  for (uint32_t d = 0; d < (magic & 0xff) - 1; ++d)
    read_be32(file, path); /* rows, columns */
  unsigned char *data = malloc(count * item);
  if (gzread(file, data, (unsigned)(count * item)) != (int)(count * item))
    fail("truncated file", path);
  gzclose(file);
  return data;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int argmax(const float *v) {
  int best = 0;
  for (int k = 1; k < FMNIST_NUM_OUTPUTS; ++k)
    if (v[k] > v[best])
      best = k;
  return best;
}

/* Seconds per inference, single sample, over all images. */
static double time_single(int32_t (*fn)(const float *, float *),
                          const float *images, float *logits) {
  double start = now();
  for (int i = 0; i < NUM_IMAGES; ++i)
    fn(images + (size_t)i * FMNIST_NUM_INPUTS,
       logits + (size_t)i * FMNIST_NUM_OUTPUTS);
  return (now() - start) / NUM_IMAGES;
}

/* Batch size of the batch timing. */
#define BATCH 1024

/* Seconds per inference, in batches of BATCH, over the first
   NUM_IMAGES / BATCH * BATCH images. */
static double time_batch(int32_t (*fn)(const float *, float *, int64_t),
                         const float *images, float *logits) {
  int batches = NUM_IMAGES / BATCH;
  double start = now();
  for (int i = 0; i < batches; ++i)
    fn(images + (size_t)i * BATCH * FMNIST_NUM_INPUTS,
       logits + (size_t)i * BATCH * FMNIST_NUM_OUTPUTS, BATCH);
  return (now() - start) / (batches * BATCH);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s IMAGES.gz LABELS.gz REFERENCE-LOGITS.f32\n",
            argv[0]);
    return 2;
  }
  unsigned char *pixels =
      read_idx(argv[1], 0x803, NUM_IMAGES, FMNIST_NUM_INPUTS);
  unsigned char *labels = read_idx(argv[2], 0x801, NUM_IMAGES, 1);
  float *reference = malloc(sizeof(float) * NUM_IMAGES * FMNIST_NUM_OUTPUTS);
  FILE *f = fopen(argv[3], "rb");
  if (!f || fread(reference, sizeof(float), NUM_IMAGES * FMNIST_NUM_OUTPUTS,
                  f) != NUM_IMAGES * FMNIST_NUM_OUTPUTS)
    fail("cannot read 10000 x 10 floats", argv[3]);
  fclose(f);

  float *images = malloc(sizeof(float) * NUM_IMAGES * FMNIST_NUM_INPUTS);
  for (size_t i = 0; i < (size_t)NUM_IMAGES * FMNIST_NUM_INPUTS; ++i)
    images[i] = pixels[i] / 255.0f;
  float *logits = malloc(sizeof(float) * NUM_IMAGES * FMNIST_NUM_OUTPUTS);
  float *batch = malloc(sizeof(float) * NUM_IMAGES * FMNIST_NUM_OUTPUTS);

  /* Correctness. */
  for (int i = 0; i < NUM_IMAGES; ++i)
    if (fmnist(images + (size_t)i * FMNIST_NUM_INPUTS,
               logits + (size_t)i * FMNIST_NUM_OUTPUTS) != 0)
      fail("fmnist failed", "out of memory");
  if (fmnist_batch(images, batch, NUM_IMAGES) != 0)
    fail("fmnist_batch failed", "out of memory");
  int correct = 0, agree = 0;
  double max_diff = 0, max_batch_diff = 0;
  for (int i = 0; i < NUM_IMAGES; ++i) {
    const float *mine = logits + (size_t)i * FMNIST_NUM_OUTPUTS;
    const float *theirs = reference + (size_t)i * FMNIST_NUM_OUTPUTS;
    correct += argmax(mine) == labels[i];
    agree += argmax(mine) == argmax(theirs);
    for (int k = 0; k < FMNIST_NUM_OUTPUTS; ++k) {
      max_diff = fmax(max_diff, fabs((double)mine[k] - theirs[k]));
      max_batch_diff =
          fmax(max_batch_diff, fabs((double)mine[k] -
                                    batch[(size_t)i * FMNIST_NUM_OUTPUTS + k]));
    }
  }
  printf("Fashion-MNIST test set: %d images\n", NUM_IMAGES);
  printf("  accuracy                    %.2f%%\n",
         100.0 * correct / NUM_IMAGES);
  printf("  argmax agreement (PyTorch)  %.2f%%\n", 100.0 * agree / NUM_IMAGES);
  printf("  max |logit difference|      %.3g\n", max_diff);
  printf("  batch vs single, max diff   %.3g\n", max_batch_diff);

  printf("I/O per inference, in words (fast memory M = %d):\n",
         FMNIST_FAST_MEMORY);
  printf("  lower bound LB              %d (activation %d)\n",
         FMNIST_LOWER_BOUND, FMNIST_ACTIVATION_LOWER_BOUND);
  printf("  plan cost                   %d (activation %d), %.3f x LB\n",
         FMNIST_PLAN_COST, FMNIST_PLAN_ACTIVATION_COST,
         (double)FMNIST_PLAN_COST / FMNIST_LOWER_BOUND);

  /* Speed: the two builds alternately, the median of ROUNDS rounds, one
     sample at a time and in batches of BATCH. */
  double plan[ROUNDS], csr[ROUNDS], plan_batch[ROUNDS], csr_batch[ROUNDS];
  for (int r = 0; r < ROUNDS; ++r) {
    plan[r] = time_single(fmnist, images, logits);
    csr[r] = time_single(fmnist_csr, images, batch);
    plan_batch[r] = time_batch(fmnist_batch, images, logits);
    csr_batch[r] = time_batch(fmnist_csr_batch, images, batch);
  }
  qsort(plan, ROUNDS, sizeof(double), compare);
  qsort(csr, ROUNDS, sizeof(double), compare);
  qsort(plan_batch, ROUNDS, sizeof(double), compare);
  qsort(csr_batch, ROUNDS, sizeof(double), compare);
  double p = plan[ROUNDS / 2], c = csr[ROUNDS / 2];
  double pb = plan_batch[ROUNDS / 2], cb = csr_batch[ROUNDS / 2];
  printf("Time per inference (median of %d rounds):    one sample   "
         "batch of %d\n",
         ROUNDS, BATCH);
  printf("  sffnn plan                  %10.2f us  %10.3f us\n", 1e6 * p,
         1e6 * pb);
  printf("  layerwise CSR (same model)  %10.2f us  %10.3f us\n", 1e6 * c,
         1e6 * cb);
  printf("  speedup                     %10.2fx   %10.2fx\n", c / p, cb / pb);

  int ok = agree == NUM_IMAGES && max_diff <= 1e-4 && max_batch_diff <= 1e-4;
  printf("%s\n", ok ? "OK: matches the PyTorch reference"
                    : "MISMATCH with the PyTorch reference");
  return ok ? 0 : 1;
}

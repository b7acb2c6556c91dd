/* mpi-driver.c: runs a Graph Challenge network compiled by sffnn-compile
 * (--name gc) under MPI, data-parallel over the input rows.
 *
 *   mpirun -np R mpi-driver IMAGES.tsv COUNT THREADS CATEGORIES
 *
 * Rank 0 reads COUNT input rows (the Challenge's sparse-images layout, as
 * bench/graph-challenge-driver.c does) and scatters them over the R ranks in
 * contiguous ranges of whole batch blocks (GC_BATCH_BLOCK samples, so that
 * every sample runs in the same kind of block as in one process and gives the
 * same bits). Each rank runs its range through gc_batch_parallel on THREADS
 * threads (0: every online core of its node), marks its categories (samples
 * whose output row has a non-zero value), and rank 0 gathers them, writes
 * them, 1-based, one per line, to CATEGORIES, and prints
 *
 *   ranks R
 *   seconds S           (scatter, inference and gather, wall clock)
 *   compute-seconds C   (the slowest rank's gc_batch_parallel call)
 *   categories N
 *
 * Every error prints one line; the job then exits with a non-zero status.
 */
#include "gc.h"

#define GC_DRIVER_NAME "mpi-driver"
#include "graph-challenge-driver.h"

#include <mpi.h>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, ranks;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);

  /* Rank 0 checks the arguments and reads the inputs; an error there ends
   * the job (mpirun stops the other ranks). */
  long long header[2] = {0, 0}; /* count, threads */
  float *in = NULL;
  if (rank == 0) {
    if (argc != 5) {
      fprintf(stderr, "usage: %s IMAGES.tsv COUNT THREADS CATEGORIES\n",
              argv[0]);
      exit(1);
    }
    header[0] = gc_parse_count(argv[2], "COUNT", 1LL << 31);
    header[1] = gc_parse_count(argv[3], "THREADS", 1024);
    if (header[0] == 0)
      gc_fail("COUNT must be at least 1", NULL);
    in = gc_read_images(argv[1], header[0]);
  }
  MPI_Bcast(header, 2, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  long long count = header[0];
  int threads = (int)header[1];

  /* Contiguous ranges of whole blocks, one per rank (the last may be short
   * or empty). Counts are in rows, each row one MPI datatype. */
  long long blocks = (count + GC_BATCH_BLOCK - 1) / GC_BATCH_BLOCK;
  long long per_rank = (blocks + ranks - 1) / ranks * GC_BATCH_BLOCK;
  int *rows = malloc(ranks * sizeof(int)),
      *starts = malloc(ranks * sizeof(int));
  if (!rows || !starts)
    gc_fail("out of memory", NULL);
  for (int r = 0; r < ranks; ++r) {
    long long begin = r * per_rank < count ? r * per_rank : count;
    long long end = begin + per_rank < count ? begin + per_rank : count;
    starts[r] = (int)begin;
    rows[r] = (int)(end - begin);
  }
  int local = rows[rank];
  MPI_Datatype input_row;
  MPI_Type_contiguous(GC_NUM_INPUTS, MPI_FLOAT, &input_row);
  MPI_Type_commit(&input_row);
  float *local_in = malloc(((size_t)local + 1) * GC_NUM_INPUTS * sizeof(float));
  float *local_out =
      malloc(((size_t)local + 1) * GC_NUM_OUTPUTS * sizeof(float));
  unsigned char *local_flags = malloc((size_t)local + 1);
  unsigned char *flags = rank == 0 ? malloc((size_t)count) : NULL;
  if (!local_in || !local_out || !local_flags || (rank == 0 && !flags))
    gc_fail("out of memory for the batch", NULL);

  MPI_Barrier(MPI_COMM_WORLD);
  double start = gc_now();
  MPI_Scatterv(in, rows, starts, input_row, local_in, local, input_row, 0,
               MPI_COMM_WORLD);
  double compute_start = gc_now();
  int rc = gc_batch_parallel(local_in, local_out, local, threads);
  double compute = gc_now() - compute_start;
  if (rc != 0)
    gc_fail("gc_batch_parallel failed", strerror(rc));
  gc_mark_categories(local_out, local, local_flags);
  MPI_Gatherv(local_flags, local, MPI_UNSIGNED_CHAR, flags, rows, starts,
              MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
  double seconds = gc_now() - start;
  double slowest = 0;
  MPI_Reduce(&compute, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

  if (rank == 0) {
    long long num = gc_write_categories(argv[4], flags, count);
    printf("ranks %d\nseconds %.6e\ncompute-seconds %.6e\ncategories %lld\n",
           ranks, seconds, slowest, num);
  }
  MPI_Type_free(&input_row);
  free(in);
  free(local_in);
  free(local_out);
  free(local_flags);
  free(flags);
  free(rows);
  free(starts);
  MPI_Finalize();
  return 0;
}

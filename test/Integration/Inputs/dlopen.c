/* Loads a shared library written by sffnn-compile at run time, as a program
 * that does not know the model would: NAME_get_info describes it, and its
 * NAME_batch runs on zeros. Usage: dlopen LIBRARY NAME. */
#include "tiny.h" /* struct tiny_info: the layout of every NAME_info */

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  char symbol[256];
  snprintf(symbol, sizeof symbol, "%s_get_info", argv[2]);
  const struct tiny_info *(*getInfo)(void) =
      (const struct tiny_info *(*)(void))dlsym(library, symbol);
  snprintf(symbol, sizeof symbol, "%s_batch", argv[2]);
  int32_t (*batch)(const float *, float *, int64_t) =
      (int32_t(*)(const float *, float *, int64_t))dlsym(library, symbol);
  if (!getInfo || !batch)
    return 1;
  const struct tiny_info *info = getInfo();
  printf("abi %d, name %s, cpu %s, weights %s, %s/%s\n", info->abi_version,
         info->name, info->target_cpu, info->weight_type, info->strategy,
         info->codegen);
  printf("inputs %d (", info->num_inputs);
  for (int i = 0; i < info->num_arguments; ++i)
    printf("%s%d", i ? ", " : "", info->argument_sizes[i]);
  printf("), outputs %d (", info->num_outputs);
  for (int i = 0; i < info->num_results; ++i)
    printf("%s%d", i ? ", " : "", info->result_sizes[i]);
  printf("), block %d, M %lld, LB %lld\n", info->batch_block,
         (long long)info->fast_memory, (long long)info->lower_bound);
  /* ABI version 2 appended the model's input and output tensors. */
  if (info->abi_version >= 2) {
    printf("input '%s' [", info->input_name);
    for (int i = 0; i < info->input_rank; ++i)
      printf("%s%lld", i ? ", " : "", (long long)info->input_shape[i]);
    printf("], output '%s' [", info->output_name);
    for (int i = 0; i < info->output_rank; ++i)
      printf("%s%lld", i ? ", " : "", (long long)info->output_shape[i]);
    printf("]\n");
  }
  float *in = calloc((size_t)info->num_inputs * 3, sizeof(float));
  float *out = malloc((size_t)info->num_outputs * 3 * sizeof(float));
  int status = batch(in, out, 3);
  printf("batch of 3: status %d, out[0] = %.6f\n", status, out[0]);
  return 0;
}

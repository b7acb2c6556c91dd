/* Uses the header of a model whose input and output names hold a quote,
 * backslashes, a tab, a question mark, a control character and UTF-8:
 * prints the bytes of the names and the shapes as the header's macros and
 * as odd_get_info() give them. */
#include "odd.h"

#include <stdio.h>
#include <string.h>

static void printBytes(const char *label, const char *text) {
  printf("%s", label);
  for (const unsigned char *c = (const unsigned char *)text; *c; ++c)
    printf(" %02x", *c);
  printf("\n");
}

static void printShape(const char *label, int32_t rank, const int64_t *shape) {
  printf("%s rank %d [", label, rank);
  for (int32_t i = 0; i < rank; ++i)
    printf("%s%lld", i ? ", " : "", (long long)shape[i]);
  printf("]\n");
}

int main(void) {
  static const int64_t inputShape[] = ODD_INPUT_SHAPE;
  static const int64_t outputShape[] = ODD_OUTPUT_SHAPE;
  const struct odd_info *info = odd_get_info();
  printf("abi %d (header %d)\n", info->abi_version, ODD_ABI_VERSION);
  printBytes("macro input:", ODD_INPUT_NAME);
  printBytes("info input: ", info->input_name);
  printBytes("macro output:", ODD_OUTPUT_NAME);
  printBytes("info output: ", info->output_name);
  printShape("macro input:", ODD_INPUT_RANK, inputShape);
  printShape("info input: ", info->input_rank, info->input_shape);
  printShape("macro output:", ODD_OUTPUT_RANK, outputShape);
  printShape("info output: ", info->output_rank, info->output_shape);
  printf("sizes %d %d, names equal %d %d\n", ODD_NUM_INPUTS, ODD_NUM_OUTPUTS,
         strcmp(ODD_INPUT_NAME, info->input_name) == 0,
         strcmp(ODD_OUTPUT_NAME, info->output_name) == 0);
  return 0;
}

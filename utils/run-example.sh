#!/usr/bin/env bash
#===- utils/run-example.sh - The main job on the bundled example -----------===#
#
# README command (1): installs the dependencies, builds sffnn and runs it on
# the bundled example network (examples/mlp-skip.mlir): verifies it and
# prints its counts (N, n_in, n_in', |C|, n_out, W, B).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}
bash "$root/utils/build.sh" sffnn-opt >/dev/null
"$build/bin/sffnn-opt" "$root/examples/mlp-skip.mlir" \
  --sffnn-print-network-stats -o /dev/null

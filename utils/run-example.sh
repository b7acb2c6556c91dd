#!/usr/bin/env bash
#===- utils/run-example.sh - The main job on the bundled example -----------===#
#
# README command (1): installs the dependencies, builds sffnn and runs it on
# the bundled example network (examples/mlp-skip.mlir): verifies it, prints
# its counts (N, n_in, n_in', |C|, n_out, W, B) and its I/O bounds for a fast
# memory of 3 words and of the host's L1 data cache.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}
bash "$root/utils/build.sh" sffnn-opt >/dev/null
example="$root/examples/mlp-skip.mlir"
"$build/bin/sffnn-opt" "$example" --sffnn-print-network-stats -o /dev/null
echo
"$build/bin/sffnn-opt" "$example" \
  --sffnn-io-bounds="fast-memory=3 report=true" -o /dev/null
echo
"$build/bin/sffnn-opt" "$example" --sffnn-io-bounds="report=true" -o /dev/null

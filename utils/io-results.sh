#!/usr/bin/env bash
#===- utils/io-results.sh - Regenerate docs/io-results.md ------------------===#
#
# Builds sffnn-io-results and writes docs/io-results.md: every scheduling
# strategy on generated networks for M in {16, 64, 256, 1024, 8192}, the
# annealing margin over two-optimal across seeds, and the annealer's speed on a
# 10^6-connection network. Takes a few minutes on 2 cores.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}
bash "$root/utils/build.sh" sffnn-io-results >/dev/null
"$build/bench/sffnn-io-results" > "$root/docs/io-results.md.tmp"
mv "$root/docs/io-results.md.tmp" "$root/docs/io-results.md"
echo "wrote docs/io-results.md"

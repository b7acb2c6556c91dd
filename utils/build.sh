#!/usr/bin/env bash
#===- utils/build.sh - Set up, configure and build sffnn -------------------===#
#
# Installs the dependencies (utils/setup.sh), configures a Release build with
# Ninja in build/ (or $SFFNN_BUILD_DIR) and builds the given targets (default:
# the tools). Re-running it only rebuilds what changed.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}

bash "$root/utils/setup.sh"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
targets=("$@")
((${#targets[@]})) || targets=(sffnn-opt sffnn-gen)
ninja -C "$build" "${targets[@]}"

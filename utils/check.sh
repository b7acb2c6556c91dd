#!/usr/bin/env bash
#===- utils/check.sh - Set up, build and run every test --------------------===#
#
# README command (2): installs the dependencies, builds sffnn and runs
# check-sffnn (the lit regression tests and the GoogleTest unit tests).
#
# With --sanitize, builds in build-sanitize/ (or $SFFNN_SANITIZE_BUILD_DIR)
# with clang-22, AddressSanitizer and UndefinedBehaviorSanitizer (installed
# by utils/setup.sh --sanitizers) and runs check-sffnn there: every tool and
# unit test then stops at the first memory error or undefined behaviour.
# --sanitize=lit runs the lit regression tests only (check-sffnn-lit), which
# is what CI runs. $SFFNN_JOBS limits the build's parallel jobs.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "${1:-}" in
"") exec bash "$root/utils/build.sh" check-sffnn ;;
--sanitize) target=check-sffnn ;;
--sanitize=lit) target=check-sffnn-lit ;;
*)
  echo "usage: utils/check.sh [--sanitize | --sanitize=lit]" >&2
  exit 2
  ;;
esac

build=${SFFNN_SANITIZE_BUILD_DIR:-$root/build-sanitize}
# Leaks are not errors here: the tools exit without freeing what lives until
# the end.
export ASAN_OPTIONS=detect_leaks=0
source "$root/utils/sanitizers.sh"
configure_sanitized "$build" address,undefined
jobs=()
[[ -n "${SFFNN_JOBS:-}" ]] && jobs=(-j "$SFFNN_JOBS")
exec ninja -C "$build" "${jobs[@]}" "$target"

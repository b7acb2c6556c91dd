#!/usr/bin/env bash
#===- utils/check.sh - Set up, build and run every test --------------------===#
#
# README command (2): installs the dependencies, builds sffnn and runs
# check-sffnn (the lit regression tests and the GoogleTest unit tests).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec bash "$root/utils/build.sh" check-sffnn

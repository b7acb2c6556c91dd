#!/usr/bin/env bash
#===- utils/setup.sh - Install everything sffnn needs ----------------------===#
#
# Installs the Debian packages sffnn builds and tests with; with --bench, also
# those the benchmarks compare against and plot with (Eigen, GraphBLAS,
# valgrind, PyTorch, onnx, matplotlib for /usr/bin/python3); with
# --sanitizers, also clang-22 with its sanitizer runtimes and libFuzzer
# (utils/fuzz.sh, utils/check.sh --sanitize); with --mpi, Open MPI
# (examples/graph-challenge-mpi). Idempotent: when every package
# is already installed it only runs dpkg-query and exits in well under a
# second.
#
#===------------------------------------------------------------------------===#
set -euo pipefail

packages=(
  # Toolchain.
  cmake ninja-build g++ git
  # LLVM/MLIR 22: libraries, CMake packages, mlir-tblgen, FileCheck, not, lit.
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # ONNX import.
  libonnx-dev libprotobuf-dev
  # The Fashion-MNIST example: the data set, and zlib for its .gz files.
  dataset-fashion-mnist zlib1g-dev
  # The Python package (python/sffnn): numpy for Debian's /usr/bin/python3.
  python3-numpy
  # Tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev
  # Formatting.
  clang-format
)
for option in "$@"; do
  case "$option" in
  --bench)
    packages+=(
      libeigen3-dev libgraphblas-dev valgrind
      python3-numpy python3-torch python3-onnx python3-matplotlib
    )
    ;;
  --sanitizers)
    packages+=(clang-22 libclang-rt-22-dev libfuzzer-22-dev)
    ;;
  --mpi)
    packages+=(openmpi-bin libopenmpi-dev)
    ;;
  *)
    echo "setup: unknown option '$option'; expected --bench, --sanitizers or --mpi" >&2
    exit 2
    ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

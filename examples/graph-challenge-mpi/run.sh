#!/usr/bin/env bash
#===- examples/graph-challenge-mpi/run.sh - The Challenge under Open MPI ---===#
#
# Prepares a Graph Challenge network and its Fashion-MNIST inputs with
# utils/graph-challenge.sh --prepare-only (network files, sffnn-compile, the
# single-process driver), links mpi-driver.c against the compiled network
# with mpicc, runs it with mpirun on RANKS ranks of THREADS threads each,
# runs the single-process driver on the same inputs, and checks that both
# find the same categories. Exits with 1 if they differ.
#
# Usage: bash examples/graph-challenge-mpi/run.sh [--ranks=2] [--threads=1]
#   [--neurons=1024] [--layers=120] [--images=1024] [--out=DIR] [--no-build]
#   [--hostfile=FILE]
#
# On one machine the ranks share its cores: --ranks=2 --threads=1 on 2 cores.
# --hostfile is passed to mpirun (one node per line; see README.md). Needs
# Debian's openmpi-bin and libopenmpi-dev (utils/setup.sh --mpi).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/examples/graph-challenge-mpi"
build=${SFFNN_BUILD_DIR:-$root/build}

fail() {
  echo "graph-challenge-mpi: error: $*" >&2
  exit 1
}

ranks=2
threads=1
neurons=1024
layers=120
images=1024
out=
hostfile=
prepare=()
for option in "$@"; do
  case "$option" in
  --ranks=*) ranks=${option#*=} ;;
  --threads=*) threads=${option#*=} ;;
  --neurons=*) neurons=${option#*=} ;;
  --layers=*) layers=${option#*=} ;;
  --images=*) images=${option#*=} ;;
  --out=*) out=${option#*=} ;;
  --hostfile=*) hostfile=${option#*=} ;;
  --no-build) prepare+=(--no-build) ;;
  *) fail "unknown option '$option' (see the header of $0)" ;;
  esac
done
out=${out:-$build/graph-challenge-mpi}
[[ "$ranks" =~ ^[1-9][0-9]*$ ]] || fail "--ranks=$ranks: expected a count >= 1"
[[ "$threads" =~ ^[0-9]+$ ]] && ((threads <= 1024)) ||
  fail "--threads=$threads: expected 0 (every core) to 1024"
[[ -z "$hostfile" || -f "$hostfile" ]] || fail "--hostfile: '$hostfile' not found"
((${#prepare[@]})) || bash "$root/utils/setup.sh" --mpi
command -v mpicc >/dev/null && command -v mpirun >/dev/null ||
  fail "mpicc and mpirun not found (openmpi-bin, libopenmpi-dev)"

bash "$root/utils/graph-challenge.sh" --prepare-only "${prepare[@]}" \
  --neurons="$neurons" --layers="$layers" --images="$images" --out="$out"
[[ "$images" == all ]] && images=60000
work=$out/n$neurons-l$layers
inputs=$out/sparse-images-$neurons.tsv
mpicc -O2 -I"$work" -I"$root/bench" "$here/mpi-driver.c" "$work/gc.o" \
  -lpthread -o "$work/mpi-driver"

# Open MPI refuses to start as root without --allow-run-as-root, and more
# ranks than cores without --oversubscribe.
mpi_flags=(--oversubscribe)
[[ $(id -u) -ne 0 ]] || mpi_flags+=(--allow-run-as-root)
[[ -z "$hostfile" ]] || mpi_flags+=(--hostfile "$hostfile")
mpirun "${mpi_flags[@]}" -np "$ranks" "$work/mpi-driver" "$inputs" "$images" \
  "$threads" "$work/mpi.cat" | tee "$work/mpi.txt"
"$work/driver" "$inputs" "$images" "$threads" 0 "$work/single.cat" \
  >"$work/single.txt"
if cmp -s "$work/single.cat" "$work/mpi.cat"; then
  echo "categories: $(wc -l <"$work/mpi.cat") of $images, the same as one process"
else
  fail "$ranks ranks found other categories than one process" \
    "($work/mpi.cat, $work/single.cat)"
fi

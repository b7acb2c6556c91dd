#!/usr/bin/env bash
#===- utils/graph-challenge.sh - The Sparse DNN Graph Challenge ------------===#
#
# Reproduces the inference half of the MIT/IEEE/Amazon Sparse DNN Graph
# Challenge with sffnn (docs/graph-challenge.md). For each size N and depth L:
#   1. generates the network in the Challenge's own layout, nN-l1.tsv ..
#      nN-lL.tsv (sffnn-gen graph-challenge --emit=tsv, renamed);
#   2. builds the inputs from Fashion-MNIST training images resized to
#      sqrt(N) x sqrt(N) and binarized, as sparse-images-N.tsv
#      (sffnn-graph-challenge images);
#   3. compiles the network with sffnn-compile and links
#      bench/graph-challenge-driver.c against it with the system C compiler;
#   4. runs the whole input set through NAME_batch_parallel on one core and
#      on every core, and the independent references over the same batch,
#      layer by layer: GraphBLAS (sffnn-graph-challenge reference) and
#      PyTorch (bench/graph-challenge-torch.py);
#   5. checks that every run finds the same categories (the samples with a
#      non-zero output row) as GraphBLAS on one thread;
# then writes the Challenge's rate (inputs x edges / seconds) of each run as
# a markdown table to OUT/graph-challenge.md and prints it. Exits with 1 if
# any categories differ.
#
# Usage: bash utils/graph-challenge.sh [--neurons=1024,4096,16384]
#   [--layers=120] [--images=1024] [--threads=1,CORES] [--min-time=1]
#   [--seed=7] [--out=DIR] [--no-torch] [--no-build] [--prepare-only]
#
# --images=all takes all 60,000 training images. The default, 1,024 images
# and sizes up to 16384 x 120, took 23 minutes on a busy 2-core machine, 7
# of them compiling the 16384 x 120 network (docs/graph-challenge.md).
# --no-build uses the tools already built in $SFFNN_BUILD_DIR (default
# build/) instead of running utils/setup.sh --bench and utils/build.sh.
# --prepare-only stops after step 3: OUT/nN-lL/ holds gc.o, gc.h and the
# driver, OUT/networks/nN-lL/ the network, OUT/sparse-images-N.tsv the
# inputs (examples/graph-challenge-mpi/run.sh starts from there).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}
python=/usr/bin/python3
data=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz

fail() {
  echo "graph-challenge: error: $*" >&2
  exit 1
}

cores=$(getconf _NPROCESSORS_ONLN)
neurons_list=1024,4096,16384
layers_list=120
images=1024
threads_list=1,$cores
min_time=1
seed=7
out=
torch=1
do_build=1
prepare_only=0
for option in "$@"; do
  case "$option" in
  --neurons=*) neurons_list=${option#*=} ;;
  --layers=*) layers_list=${option#*=} ;;
  --images=*) images=${option#*=} ;;
  --threads=*) threads_list=${option#*=} ;;
  --min-time=*) min_time=${option#*=} ;;
  --seed=*) seed=${option#*=} ;;
  --out=*) out=${option#*=} ;;
  --no-torch) torch=0 ;;
  --no-build) do_build=0 ;;
  --prepare-only) prepare_only=1 ;;
  *) fail "unknown option '$option' (see the header of $0)" ;;
  esac
done
out=${out:-$build/graph-challenge}
[[ "$images" == all ]] && images=60000
[[ "$images" =~ ^[1-9][0-9]*$ ]] && ((images <= 60000)) ||
  fail "--images=$images: expected 1 to 60000 or 'all'"
[[ "$min_time" =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
  fail "--min-time=$min_time: expected seconds"
[[ "$seed" =~ ^[0-9]+$ ]] || fail "--seed=$seed: expected a number"
IFS=, read -r -a sizes <<<"$neurons_list"
IFS=, read -r -a depths <<<"$layers_list"
IFS=, read -r -a thread_counts <<<"$threads_list"
((${#sizes[@]} && ${#depths[@]} && ${#thread_counts[@]})) ||
  fail "empty --neurons, --layers or --threads"
for n in "${sizes[@]}"; do
  case "$n" in
  1024 | 4096 | 16384 | 65536) ;;
  *) fail "--neurons: $n is not a Challenge size (1024, 4096, 16384, 65536)" ;;
  esac
done
for l in "${depths[@]}"; do
  [[ "$l" =~ ^[1-9][0-9]*$ ]] || fail "--layers: '$l' is not a layer count"
done
for t in "${thread_counts[@]}"; do
  [[ "$t" =~ ^[1-9][0-9]*$ ]] && ((t <= 1024)) ||
    fail "--threads: '$t' is not a thread count from 1 to 1024"
done

# The Challenge's bias for each size.
challenge_bias() {
  case "$1" in
  1024) echo -0.3 ;;
  4096) echo -0.35 ;;
  16384) echo -0.4 ;;
  65536) echo -0.45 ;;
  esac
}

if ((do_build)); then
  bash "$root/utils/setup.sh" --bench
  bash "$root/utils/build.sh" sffnn-gen sffnn-compile sffnn-graph-challenge \
    >/dev/null
fi
for tool in bin/sffnn-gen bin/sffnn-compile bench/sffnn-graph-challenge; do
  [[ -x "$build/$tool" ]] || fail "'$build/$tool' is not built (run" \
    "without --no-build; sffnn-graph-challenge needs libgraphblas-dev)"
done
[[ -f "$data" ]] || fail "'$data' not found (Debian's dataset-fashion-mnist)"
if ((torch && !prepare_only)); then
  "$python" -c 'import torch, numpy' 2>/dev/null ||
    fail "$python has no torch or numpy (utils/setup.sh --bench; or --no-torch)"
fi
gc_tool=$build/bench/sffnn-graph-challenge
mkdir -p "$out"

# The Challenge's rate in units of 10^9 edges per second.
rate() { awk -v i="$images" -v e="$1" -v s="$2" 'BEGIN { printf "%.2f", i * e / s / 1e9 }'; }
field() { sed -n "s/^$1 //p" "$2"; }

table=$out/graph-challenge.md
{
  echo "| neurons | layers | edges | images | categories | threads | sffnn (G edges/s) | GraphBLAS | PyTorch | sffnn / fastest peer | compile (s) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$table.rows"
mismatches=0
for n in "${sizes[@]}"; do
  bias=$(challenge_bias "$n")
  inputs=$out/sparse-images-$n.tsv
  # 2. The inputs.
  echo "graph-challenge: $images images at $n pixels" >&2
  "$gc_tool" images --neurons="$n" --count="$images" "$data" -o "$inputs"
  for l in "${depths[@]}"; do
    name=n$n-l$l
    net=$out/networks/$name
    work=$out/$name
    rm -rf "$work"
    mkdir -p "$work"
    # 1. The network, in the Challenge's layout; reused if complete.
    stamp="seed $seed"
    if [[ "$(cat "$net/.complete" 2>/dev/null)" != "$stamp" ]]; then
      echo "graph-challenge: generating $name" >&2
      rm -rf "$net" "$net.gen"
      "$build/bin/sffnn-gen" graph-challenge --layers="$l" \
        --neurons-per-layer="$n" --seed="$seed" --emit=tsv -o "$net.gen"
      mkdir -p "$net"
      for ((k = 1; k <= l; ++k)); do
        mv "$net.gen/layer-$k.tsv" "$net/n$n-l$k.tsv"
      done
      rm -rf "$net.gen"
      echo "$stamp" >"$net/.complete"
    fi
    # 3. Compile and link.
    echo "graph-challenge: compiling $name" >&2
    start=$(date +%s.%N)
    "$build/bin/sffnn-compile" "$net/n$n-l1.tsv" --tsv-bias="$bias" \
      --name gc -o "$work/gc.o" --header "$work/gc.h"
    compile_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    cc -O2 -I"$work" -I"$root/bench" "$root/bench/graph-challenge-driver.c" \
      "$work/gc.o" -lpthread -o "$work/driver"
    ((prepare_only)) && continue
    # 4. Run everything on every thread count (each reference reads the
    # network once and times every thread count in turn).
    echo "graph-challenge: running $name on $threads_list thread(s)" >&2
    "$gc_tool" reference --layers="$net/n$n" --num-layers="$l" \
      --neurons="$n" --bias="$bias" --input="$inputs" --count="$images" \
      --threads="$threads_list" --min-time="$min_time" \
      --categories="$work/graphblas" >"$work/graphblas.txt"
    for t in "${thread_counts[@]}"; do
      "$work/driver" "$inputs" "$images" "$t" "$min_time" \
        "$work/sffnn-$t.cat" >"$work/sffnn-$t.txt"
    done
    if ((torch)); then
      "$python" "$root/bench/graph-challenge-torch.py" \
        --layers="$net/n$n" --num-layers="$l" --neurons="$n" --bias="$bias" \
        --input="$inputs" --count="$images" --threads="$threads_list" \
        --min-time="$min_time" --categories="$work/torch" >"$work/torch.txt"
    fi
    # 5. Categories against GraphBLAS on one thread (or the first count).
    reference=$work/graphblas-${thread_counts[0]}.cat
    edges=$(field edges "$work/graphblas.txt")
    for t in "${thread_counts[@]}"; do
      match=yes
      for impl in graphblas sffnn torch; do
        [[ -f "$work/$impl-$t.cat" ]] || continue
        if ! cmp -s "$reference" "$work/$impl-$t.cat"; then
          match="NO ($impl)"
          mismatches=$((mismatches + 1))
        fi
      done
      sffnn_s=$(field seconds "$work/sffnn-$t.txt")
      graphblas_s=$(field "seconds $t" "$work/graphblas.txt")
      peer_s=$graphblas_s
      torch_rate=-
      if ((torch)); then
        torch_s=$(field "seconds $t" "$work/torch.txt")
        torch_rate=$(rate "$edges" "$torch_s")
        peer_s=$(awk -v a="$graphblas_s" -v b="$torch_s" 'BEGIN { print (a < b ? a : b) }')
      fi
      ratio=$(awk -v a="$peer_s" -v b="$sffnn_s" 'BEGIN { printf "%.2fx", a / b }')
      echo "| $n | $l | $edges | $images | $(wc -l <"$reference") ($match) | $t |" \
        "$(rate "$edges" "$sffnn_s") | $(rate "$edges" "$graphblas_s") |" \
        "$torch_rate | $ratio | $compile_s |" >>"$table.rows"
    done
  done
done

((prepare_only)) && exit 0
{
  echo "# Sparse DNN Graph Challenge: inference"
  echo
  echo "Written by \`bash utils/graph-challenge.sh $*\` on $(date -u +%Y-%m-%d)," \
    "$cores online cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1))."
  echo "Rates are the Challenge's: inputs x edges / seconds, in 10^9 edges per"
  echo "second, each the fastest of the runs made within --min-time=$min_time s;"
  echo "every implementation runs the whole batch of $images images. Categories:"
  echo "the samples with a non-zero output row, and whether every implementation"
  echo "found exactly those GraphBLAS found. Compile: sffnn-compile's wall time."
  echo
  cat "$table.rows"
} >"$table"
rm -f "$table.rows"
cat "$table"
if ((mismatches)); then
  echo "graph-challenge: error: $mismatches run(s) found other categories than GraphBLAS" >&2
  exit 1
fi

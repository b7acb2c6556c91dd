#!/usr/bin/env bash
#===- utils/benchmarks/sweep.sh - The batch sweep --------------------------===#
#
# The batch sweep of docs/benchmarks.md ("Batch sweep"): sffnn's default
# build (sffnn-default) against the layer-by-layer peers of
# bench/BaselineBench.cpp (Eigen sparse and dense, GraphBLAS, MLIR's
# sparsifier) at batches of 64 to 65,536 samples, on the Fashion-MNIST model,
# gc-1024 and gc-4096, then cachegrind on gc-1024 for sffnn-default and the
# fastest peer at batches 64 and 1,024. Writes to $SFFNN_BENCH_DIR/sweep/:
#   NAME-small.json  batches 64, 256, 1024: every peer, median of 3;
#   NAME-large.json  batches 4096, 16384, 65536: sffnn-default and the peers
#                    within 2x of the fastest peer at batch 1024 (the others
#                    take seconds to minutes per call there), median of 3
#                    (gc-4096: one repetition: a call of 65,536 samples takes
#                    about a minute);
#   NAME-report.json sffnn-compile --report-json of the default build
#                    (batch_block B and batch_fast_memory M_B: sffnn's frame);
#   cachegrind.json  utils/benchmarks/cachegrind.py, with the host's L2 as
#                    the simulated last level, so that its misses are the
#                    lines fetched from L3 or DRAM;
#   loadavg.txt      the 1-minute load average around each timed process.
# A peer keeps its whole batch state (N x batch floats, twice for GraphBLAS)
# until its process exits: cells over 2 GiB of it are skipped, as are calls
# over --max-batch-connections multiply-adds (the skip notes of
# BaselineBench). About 11 minutes of timing and 13 of cachegrind on 2
# cores.
#
# Step 8 of utils/run-benchmarks.sh (with --no-build --no-report). Run alone,
# it builds what it needs, generates gc-1024 and gc-4096 where they are
# missing or older than sffnn-gen, runs the sweep and rewrites docs/benchmarks.md from every result
# in $SFFNN_BENCH_DIR (the other steps' results from an earlier
# run-benchmarks.sh, which report.py needs):
#
#   bash utils/benchmarks/sweep.sh [--no-build] [--no-report]
#
# SFFNN_VALGRIND_BENCH names a sffnn-bench-baselines without AVX-512 to run
# under valgrind (default: $SFFNN_VALGRIND_BUILD_DIR's, built as
# run-benchmarks.sh builds it).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}
valgrind_build=${SFFNN_VALGRIND_BUILD_DIR:-$root/build-valgrind}
out=${SFFNN_BENCH_DIR:-$build/bench-results}
python=/usr/bin/python3

do_build=1
do_report=1
for option in "$@"; do
  case "$option" in
  --no-build) do_build=0 ;;
  --no-report) do_report=0 ;;
  *)
    echo "sweep.sh: unknown option '$option'; expected --no-build or" \
      "--no-report" >&2
    exit 2
    ;;
  esac
done

valgrind_bench=$valgrind_build/bench/sffnn-bench-baselines
valgrind_bench=${SFFNN_VALGRIND_BENCH:-$valgrind_bench}
if ((do_build)); then
  bash "$root/utils/setup.sh" --bench
  bash "$root/utils/build.sh" sffnn-gen sffnn-compile sffnn-bench-baselines \
    >/dev/null
  if [[ -z "${SFFNN_VALGRIND_BENCH:-}" ]]; then
    if [[ ! -f "$valgrind_build/build.ninja" ]]; then
      cmake -G Ninja -S "$root" -B "$valgrind_build" \
        -DCMAKE_BUILD_TYPE=Release -DSFFNN_BENCH_ARCH=x86-64-v3 >/dev/null
    fi
    ninja -C "$valgrind_build" sffnn-bench-baselines >/dev/null
  fi
fi
sweep=$out/sweep
mkdir -p "$sweep" "$out/networks"
# Before and after every timed process: the 1-minute load average (above
# 1, other work shared the cores with the sweep) and the commands then using
# more than half a core, other than the sweep's own.
rm -f "$sweep/loadavg.txt"
record_load() {
  local busy
  busy=$(ps -eo pcpu=,comm= | awk \
    '$1 > 50 && $2 !~ /^(sffnn-bench-bas|ps|awk)/ { print $2 }' |
    sort -u | paste -sd, -)
  echo "$(cut -d' ' -f1 /proc/loadavg) ${busy:--}" >>"$sweep/loadavg.txt"
}

# NAME|PATH|repetitions at the large batches. gc-1024 and gc-4096 as
# run-benchmarks.sh generates them, again where sffnn-gen is newer than the
# file (its bytecode may be from an older dialect).
networks=(
  "fashion-mnist|$root/examples/fashion-mnist/model.onnx|3"
  "gc-1024|$out/networks/gc-1024.mlirbc|3"
  "gc-4096|$out/networks/gc-4096.mlirbc|1"
)
for neurons in 1024 4096; do
  net=$out/networks/gc-$neurons.mlirbc
  [[ "$net" -nt "$build/bin/sffnn-gen" ]] ||
    "$build/bin/sffnn-gen" graph-challenge --layers=120 \
      --neurons-per-layer=$neurons --seed=7 --emit-bytecode -o "$net"
done

#===- Time per sample ----------------------------------------------------===#
peers=eigen-sparse,eigen-dense,graphblas,mlir-sparsifier
# The peers of $peers whose median time at batch 1024 in the Google Benchmark
# JSON file $1 is within $2 times the fastest one's, fastest first (all of
# them where none ran).
peers_near() {
  "$python" - "$1" "$2" "$peers" <<'EOF'
import json, sys
path, factor, peers = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(",")
times = {}
for run in json.load(open(path))["benchmarks"]:
    parts = run["run_name"].split("/")  # NETWORK/IMPL/BATCH, machine/...
    if run.get("aggregate_name", "median") == "median" and \
            parts[0] != "machine" and parts[1] in peers and parts[2] == "1024":
        times[parts[1]] = run["real_time"]
if not times:
    print(",".join(peers))
else:
    best = min(times.values())
    print(",".join(sorted((p for p in times if times[p] <= factor * best),
                          key=times.get)))
EOF
}
first=1
for spec in "${networks[@]}"; do
  IFS='|' read -r name path repetitions <<<"$spec"
  obj=$sweep/$name.o
  "$build/bin/sffnn-compile" "$path" -o "$obj" \
    --report-json="$sweep/$name-report.json"
  rm -f "$obj"
  # The machine kernels (the FMA peak) run once, after the first network.
  filter=()
  ((first)) || filter=("--benchmark_filter=^$name/")
  first=0
  record_load
  "$build/bench/sffnn-bench-baselines" --network="$name=$path" \
    --impls="sffnn-default,$peers" --batch-sizes=64,256,1024 \
    --max-batch-connections=6.5e10 --max-batch-state-mib=2048 \
    --benchmark_min_time=0.1 --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true "${filter[@]}" \
    --benchmark_out="$sweep/$name-small.json" --benchmark_out_format=json
  near=$(peers_near "$sweep/$name-small.json" 2)
  record_load
  # gc-4096 at 65,536 samples is 1.03e12 multiply-adds per call.
  "$build/bench/sffnn-bench-baselines" --network="$name=$path" \
    --impls="sffnn-default,$near" --batch-sizes=4096,16384,65536 \
    --max-batch-connections=1.1e12 --max-batch-state-mib=2048 \
    --benchmark_min_time=0.1 --benchmark_repetitions="$repetitions" \
    --benchmark_report_aggregates_only=true "--benchmark_filter=^$name/" \
    --benchmark_out="$sweep/$name-large.json" --benchmark_out_format=json
done
record_load

#===- Cachegrind ---------------------------------------------------------===#
# gc-1024's peers keep 2,048 floats per sample live (one layer's input and
# output): 512 KiB at batch 64, inside the L2; 8 MiB at batch 1,024, beyond
# it. The simulated last level is the host's L2 (size, ways, line bytes).
index=/sys/devices/system/cpu/cpu0/cache/index2
l2=2097152,16,64
if [[ -r "$index/size" ]]; then
  kib=$(sed 's/K$//' "$index/size")
  ways=$(cat "$index/ways_of_associativity")
  l2="$((kib * 1024)),$ways,$(cat "$index/coherency_line_size")"
fi
near=$(peers_near "$sweep/gc-1024-small.json" 1)
fastest=${near%%,*}
"$python" "$root/utils/benchmarks/cachegrind.py" --bench "$valgrind_bench" \
  --compile "$build/bin/sffnn-compile" --work "$sweep/cachegrind" \
  --out "$sweep/cachegrind.json" --impls="sffnn-default,$fastest" \
  --batch-sizes=64,1024 --ll="$l2" --calls=1,2 \
  "gc-1024=$out/networks/gc-1024.mlirbc"

if ((do_report)); then
  "$python" "$root/utils/benchmarks/report.py" --results "$out" \
    --doc "$root/docs/benchmarks.md" --plots "$root/docs/benchmarks"
fi

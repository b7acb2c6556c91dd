#!/usr/bin/env bash
#===- utils/run-benchmarks.sh - Regenerate docs/benchmarks.md --------------===#
#
# The one command behind docs/benchmarks.md: installs what the baselines
# need (utils/setup.sh --bench), builds the benchmarks, generates the
# networks, and runs, on this machine:
#   1. parse time and peak memory of a 10^6-connection network, text and
#      bytecode (bench/ParseBench.cpp), each format in its own process;
#   2. planning time of the two-optimal order at 10^5..10^7 connections
#      (bench/PlanBench.cpp);
#   3. every implementation of every network side by side in one run, batch
#      sizes 1, 64, 1024 and 16384, plus the machine's FMA peak and
#      bandwidth, and the I/O model's figures (bench/BaselineBench.cpp);
#      and, apart, sffnn's builds of the 1M-neuron io-optimal network at
#      batch 1;
#   4. PyTorch on the same networks, checked on the same reference outputs
#      (bench/torch-baseline.py);
#   5. data movement per inference under cachegrind, from a second build
#      without AVX-512, which valgrind cannot decode
#      (utils/benchmarks/cachegrind.py);
#   6. the compile time of the Fashion-MNIST model with sffnn-compile's
#      defaults (median of 3);
#   7. NAME_batch_parallel on 1, 2, 4, ... threads up to the online cores,
#      at batches 4096 and 16384, on the Fashion-MNIST model and gc-1024
#      (bench/ThreadBench.cpp);
#   8. the batch sweep: sffnn's default build against the layer-by-layer
#      peers at batches 64 to 65,536 on the Fashion-MNIST model, gc-1024 and
#      gc-4096, and cachegrind on either side of the L2 on gc-1024
#      (utils/benchmarks/sweep.sh, which also runs alone);
# then writes docs/benchmarks.md and its plots in docs/benchmarks/
# (utils/benchmarks/report.py). Raw results go to $SFFNN_BENCH_DIR (default
# build/bench-results). Budgeted at about 70 minutes on 2 cores (the caps
# of steps 3, 4 and 8 keep the large batches in it; step 8 about 25
# minutes), plus the second build the first time.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}
valgrind_build=${SFFNN_VALGRIND_BUILD_DIR:-$root/build-valgrind}
out=${SFFNN_BENCH_DIR:-$build/bench-results}
python=/usr/bin/python3

bash "$root/utils/setup.sh" --bench
# A build configured before the packages above were installed has no
# baseline targets: configure it again so that CMake finds them.
if [[ -f "$build/build.ninja" ]]; then
  cmake "$build" >/dev/null
fi
bash "$root/utils/build.sh" sffnn-opt sffnn-gen sffnn-compile \
  sffnn-translate sffnn-bench-parse sffnn-bench-plan sffnn-bench-baselines \
  sffnn-bench-threads >/dev/null
if [[ ! -f "$valgrind_build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$valgrind_build" -DCMAKE_BUILD_TYPE=Release \
    -DSFFNN_BENCH_ARCH=x86-64-v3 >/dev/null
fi
ninja -C "$valgrind_build" sffnn-bench-baselines >/dev/null
mkdir -p "$out/networks"

#===- Networks -----------------------------------------------------------===#
# NAME and sffnn-gen arguments; each is written as MLIR bytecode (for the
# C++ benchmarks) and as TSV (for PyTorch), from the same seed.
networks=(
  "layered-l1|layered --widths=128,128,128,128,128 --fan-in=16"
  "layered-l2|layered --widths=512,512,512,512,512 --fan-in=32"
  "layered-l3|layered --widths=2048,2048,2048,2048,2048 --fan-in=64"
  "layered-dram|layered --widths=4096,4096,4096,4096,4096,4096,4096,4096,4096 --fan-in=128"
  "gc-1024|graph-challenge --layers=120 --neurons-per-layer=1024"
  "gc-4096|graph-challenge --layers=120 --neurons-per-layer=4096"
  "io-optimal-64|io-optimal --neurons=20000 --connections=600000 --inputs=1000 --outputs=100 --fast-memory=64 --weight-scale=0.1"
  "io-optimal-12288|io-optimal --neurons=100000 --connections=3200000 --inputs=1024 --outputs=64 --fast-memory=12288 --weight-scale=0.1"
)
# PyTorch reads only what sffnn exports: the Fashion-MNIST model as sffnn
# imports it, written back as TSV (sffnn-translate --export-tsv).
cpp_networks=("fashion-mnist=$root/examples/fashion-mnist/model.onnx")
fashion="$out/networks/fashion-mnist"
"$build/bin/sffnn-translate" --import-onnx \
  "$root/examples/fashion-mnist/model.onnx" -o "$fashion.mlir"
rm -rf "$fashion.tsv" && mkdir -p "$fashion.tsv"
"$build/bin/sffnn-translate" --export-tsv "$fashion.mlir" \
  -o "$fashion.tsv/network.txt"
torch_networks=("fashion-mnist=$fashion.tsv")
printf '%s\n' "${networks[@]}" >"$out/networks.txt"
for spec in "${networks[@]}"; do
  name=${spec%%|*}
  read -r -a args <<<"${spec#*|}"
  net="$out/networks/$name"
  "$build/bin/sffnn-gen" "${args[@]}" --seed=7 --emit-bytecode -o "$net.mlirbc"
  rm -rf "$net.tsv"
  "$build/bin/sffnn-gen" "${args[@]}" --seed=7 --emit=tsv -o "$net.tsv"
  cpp_networks+=("$name=$net.mlirbc")
  torch_networks+=("$name=$net.tsv")
done
network_flags=()
for n in "${cpp_networks[@]}"; do network_flags+=("--network=$n"); done

#===- 1, 2: parsing and planning -----------------------------------------===#
net="$out/networks/parse-1M.mlir"
"$build/bin/sffnn-gen" layered \
  --widths=1000,1000,1000,1000,1000,1000,1000,1000,1000,1000,1000 \
  --fan-in=100 --seed=7 -o "$net"
"$build/bin/sffnn-opt" "$net" --emit-bytecode -o "$net.bc"
for format in Text Bytecode; do
  "$build/bench/sffnn-bench-parse" --text="$net" --bytecode="$net.bc" \
    --benchmark_filter="BM_Parse$format\$" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/parse-$format.json" --benchmark_out_format=json
done
"$build/bench/sffnn-bench-plan" \
  --benchmark_out="$out/plan.json" --benchmark_out_format=json

#===- 3, 4: inference, side by side --------------------------------------===#
# A (network, implementation, batch) is skipped where one call would do more
# than max_batch_connections multiply-adds (connections x batch, dense
# weights x batch for the dense implementations): gc-1024 (3.9M
# connections) still runs 16384 samples, layered-dram and gc-4096 at most
# 1024. Also where a baseline's batch state would exceed max_batch_state_mib:
# sffnn-bench-baselines keeps every baseline's state until it exits. A
# Google Benchmark repetition lasts at least 0.1 s (libbenchmark 1.7 takes
# seconds without a suffix), so a slow cell costs a few calls. The
# repetitions of all cells run in random order, so that the machine's
# slow periods (this is a shared virtual machine) spread over every
# implementation instead of falling on one.
batches=1,64,1024,16384
max_batch_connections=6.5e10
max_batch_state_mib=1024
"$build/bench/sffnn-bench-baselines" "${network_flags[@]}" \
  --batch-sizes="$batches" --max-batch-connections="$max_batch_connections" \
  --max-batch-state-mib="$max_batch_state_mib" \
  --reference-dir="$out/reference" --io-model="$out/io-model.json" \
  --benchmark_min_time=0.1 --benchmark_repetitions=5 \
  --benchmark_enable_random_interleaving=true \
  --benchmark_context=random_interleaving=true \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/baselines.json" --benchmark_out_format=json
# The 1M-neuron I/O-optimal network of the goals, at batch 1, sffnn's
# builds only: the layer-by-layer baselines would run one product per
# level (998,913 levels), and its plans take about a minute to compile.
big="io-optimal-1m|io-optimal --neurons=1000000 --connections=4000000 --inputs=1024 --outputs=64 --fast-memory=12288 --weight-scale=0.1"
printf '%s\n' "$big" >"$out/big-network.txt"
read -r -a args <<<"${big#*|}"
"$build/bin/sffnn-gen" "${args[@]}" --seed=7 --emit-bytecode \
  -o "$out/networks/${big%%|*}.mlirbc"
"$build/bench/sffnn-bench-baselines" \
  --network="${big%%|*}=$out/networks/${big%%|*}.mlirbc" \
  --impls=sffnn-default,sffnn-anneal-loops,sffnn-two-optimal,sffnn-csr \
  --batch-sizes=1 --benchmark_filter="^${big%%|*}/" \
  --benchmark_min_time=0.1 --benchmark_repetitions=5 \
  --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/baselines-1m.json" --benchmark_out_format=json
"$python" "$root/bench/torch-baseline.py" --reference-dir "$out/reference" \
  --max-batch-connections "$max_batch_connections" \
  --max-batch-state-mib "$max_batch_state_mib" \
  --out "$out/torch.json" "${torch_networks[@]}"

#===- 5: cachegrind ------------------------------------------------------===#
cachegrind_networks=()
for n in "${cpp_networks[@]}"; do
  case "${n%%=*}" in
  fashion-mnist | layered-l2 | layered-l3 | io-optimal-64)
    cachegrind_networks+=("$n") ;;
  esac
done
"$python" "$root/utils/benchmarks/cachegrind.py" \
  --bench "$valgrind_build/bench/sffnn-bench-baselines" \
  --compile "$build/bin/sffnn-compile" --work "$out/cachegrind" \
  --out "$out/cachegrind.json" "${cachegrind_networks[@]}"

#===- 6: compile time ----------------------------------------------------===#
# sffnn-compile with its defaults, three times: compile-time.json holds the
# median and every run in seconds; a fourth, untimed compile writes what the
# defaults chose to compile-report.json.
model=$root/examples/fashion-mnist/model.onnx
"$python" - "$build/bin/sffnn-compile" "$model" "$out" <<'EOF'
import json, os, statistics, subprocess, sys, time
compile, model, out = sys.argv[1:]
obj = os.path.join(out, "compile-time.o")
runs = []
for _ in range(3):
    start = time.perf_counter()
    subprocess.run([compile, model, "-o", obj], check=True)
    runs.append(time.perf_counter() - start)
with open(os.path.join(out, "compile-time.json"), "w") as f:
    json.dump({"fashion-mnist": statistics.median(runs),
               "runs": {"fashion-mnist": runs}}, f, indent=1)
EOF
"$build/bin/sffnn-compile" "$model" -o "$out/compile-time.o" \
  --report-json="$out/compile-report.json"
rm -f "$out/compile-time.o"

#===- 7: threads ---------------------------------------------------------===#
"$build/bench/sffnn-bench-threads" \
  --network="fashion-mnist=$model" --network="gc-1024=$out/networks/gc-1024.mlirbc" \
  --batch-sizes=4096,16384 --benchmark_min_time=0.1 \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/threads.json" --benchmark_out_format=json

#===- 8: batch sweep -----------------------------------------------------===#
SFFNN_BUILD_DIR=$build SFFNN_VALGRIND_BUILD_DIR=$valgrind_build \
  SFFNN_BENCH_DIR=$out bash "$root/utils/benchmarks/sweep.sh" --no-build \
  --no-report

#===- Report -------------------------------------------------------------===#
"$python" "$root/utils/benchmarks/report.py" --results "$out" \
  --doc "$root/docs/benchmarks.md" --plots "$root/docs/benchmarks"

#!/usr/bin/env bash
#===- utils/run-benchmarks.sh - Run the sffnn benchmarks -------------------===#
#
# Builds the benchmarks and runs them on generated networks:
#   - parse time and peak memory of a 1,000,000-connection network in text
#     and in bytecode (bench/ParseBench.cpp), each format in its own process
#     so that the peak-memory figure is that format's alone;
#   - planning time of the two-opt order for 10^5, 10^6 and 10^7 connections
#     (bench/PlanBench.cpp);
#   - the generated code, side by side in one run: anneal + straight-line,
#     anneal + loops, two-opt and layerwise CSR, on networks from L1 to DRAM
#     size (bench/CodegenBench.cpp), with speedups over CSR.
# Results go to stdout and to $SFFNN_BENCH_DIR (default build/bench-results).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_BUILD_DIR:-$root/build}
out=${SFFNN_BENCH_DIR:-$build/bench-results}
bash "$root/utils/build.sh" sffnn-opt sffnn-gen sffnn-bench-parse \
  sffnn-bench-plan sffnn-bench-codegen >/dev/null
mkdir -p "$out"

net="$out/layered-1M.mlir"
"$build/bin/sffnn-gen" layered \
  --widths=1000,1000,1000,1000,1000,1000,1000,1000,1000,1000,1000 \
  --fan-in=100 --seed=7 -o "$net"
"$build/bin/sffnn-opt" "$net" --emit-bytecode -o "$net.bc"
echo "network: $net ($(stat -c %s "$net") bytes text, $(stat -c %s "$net.bc") bytes bytecode)"
for format in Text Bytecode; do
  "$build/bench/sffnn-bench-parse" --text="$net" --bytecode="$net.bc" \
    --benchmark_filter="BM_Parse$format\$" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/parse-$format.json" --benchmark_out_format=json
done

"$build/bench/sffnn-bench-plan" \
  --benchmark_out="$out/plan.json" --benchmark_out_format=json

"$build/bench/sffnn-bench-codegen" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/codegen.json" --benchmark_out_format=json
/usr/bin/python3 "$root/utils/codegen-ratios.py" "$out/codegen.json"

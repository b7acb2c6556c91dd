#!/usr/bin/env bash
#===- utils/fuzz.sh - Build and run the libFuzzer targets ------------------===#
#
# Builds the fuzz targets of fuzz/ in build-fuzz/ (or $SFFNN_FUZZ_BUILD_DIR)
# with clang-22, libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer
# (installing them with utils/setup.sh --sanitizers), then:
#
#   utils/fuzz.sh build                  builds the targets only;
#   utils/fuzz.sh run [SECONDS [TARGET...]]
#                                        fuzzes each target for SECONDS
#                                        (default 60), keeping new inputs in
#                                        build-fuzz/corpus/TARGET;
#   utils/fuzz.sh check [RUNS [TARGET...]]
#                                        runs each target over its committed
#                                        corpus and the test inputs, then
#                                        RUNS (default 2000) mutations with a
#                                        fixed seed: a bounded regression
#                                        run, as CI runs.
#
# Targets: onnx, tsv, mtx, ir (text), ir-bytecode. A crash stops the run and
# leaves its input in build-fuzz/crashes/TARGET/: make it a regression test
# under test/. $SFFNN_JOBS limits the build's parallel jobs.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SFFNN_FUZZ_BUILD_DIR:-$root/build-fuzz}
all_targets=(onnx tsv mtx ir ir-bytecode)

mode=${1:-run}
shift || true
case "$mode" in
build | run | check) ;;
*)
  echo "usage: utils/fuzz.sh build | run [SECONDS [TARGET...]] | check [RUNS [TARGET...]]" >&2
  exit 2
  ;;
esac
amount=${1:-}
shift || true
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

source "$root/utils/sanitizers.sh"
configure_sanitized "$build" fuzzer-no-link,address,undefined \
  -DSFFNN_ENABLE_FUZZERS=ON
jobs=()
[[ -n "${SFFNN_JOBS:-}" ]] && jobs=(-j "$SFFNN_JOBS")
ninja -C "$build" "${jobs[@]}" "${targets[@]/#/sffnn-fuzz-}"
[[ "$mode" == build ]] && exit 0

# The seed inputs of a target: its committed corpus, then the test inputs.
seeds() {
  echo "$root/fuzz/corpus/$1"
  case "$1" in
  onnx) echo "$root/test/Target/ImportONNX/Inputs" ;;
  ir) echo "$root/test/IR" ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  fuzzer="$build/bin/sffnn-fuzz-$target"
  crashes="$build/crashes/$target"
  mkdir -p "$crashes"
  options=(-max_len=8192 -timeout=20 -rss_limit_mb=2560
    -malloc_limit_mb=2048 "-artifact_prefix=$crashes/")
  if [[ -f "$root/fuzz/${target%-bytecode}.dict" ]]; then
    options+=("-dict=$root/fuzz/${target%-bytecode}.dict")
  fi
  mapfile -t dirs < <(seeds "$target")
  if [[ "$mode" == run ]]; then
    corpus="$build/corpus/$target"
    mkdir -p "$corpus"
    echo "fuzz: $target for ${amount:-60} s" >&2
    "$fuzzer" "${options[@]}" -max_total_time="${amount:-60}" \
      -print_final_stats=1 "$corpus" "${dirs[@]}" || status=1
  else
    # New inputs go to a scratch folder, not to the committed corpus; -runs
    # counts the seed inputs too: give the mutations their share.
    mutations=${amount:-2000}
    scratch="$build/corpus-check/$target"
    rm -rf "$scratch" && mkdir -p "$scratch"
    count=0
    for dir in "${dirs[@]}"; do
      count=$((count + $(find "$dir" -maxdepth 1 -type f | wc -l)))
    done
    echo "fuzz: $target over $count seed inputs and $mutations mutations" >&2
    "$fuzzer" "${options[@]}" -seed=1 -runs=$((count + mutations)) \
      "$scratch" "${dirs[@]}" || status=1
  fi
done
exit "$status"

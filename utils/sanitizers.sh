#===- utils/sanitizers.sh - Sanitized builds (sourced) ---------------------===#
#
# Sourced by utils/check.sh --sanitize and utils/fuzz.sh:
#
#   configure_sanitized BUILD SANITIZERS [CMAKE_ARGS...]
#
# installs clang-22 and its runtimes (utils/setup.sh --sanitizers) and, unless
# BUILD is configured already, configures a Release build there with clang-22
# and -fsanitize=SANITIZERS (UBSan's vptr check needs RTTI, which LLVM builds
# without; every error stops the program). It also sets the sanitizers'
# options: libMLIR.so and libLLVM.so are not instrumented, so their
# containers cannot be checked for overflow.
#
#===------------------------------------------------------------------------===#

configure_sanitized() {
  local build=$1 sanitizers=$2
  shift 2
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  bash "$root/utils/setup.sh" --sanitizers
  local flags="-fsanitize=$sanitizers -fno-sanitize=vptr"
  flags+=" -fno-sanitize-recover=all -gline-tables-only"
  if [[ ! -f "$build/build.ninja" ]]; then
    cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" "$@" >/dev/null
  fi
  export ASAN_OPTIONS=detect_container_overflow=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
  export UBSAN_OPTIONS=print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
}

#===- utils/sanitizers.sh - Sanitized builds (sourced) ---------------------===#
#
# Sourced by utils/check.sh --sanitize and utils/fuzz.sh:
#
#   configure_sanitized BUILD SANITIZERS [CMAKE_ARGS...]
#
# installs clang-22 and its runtimes (utils/setup.sh --sanitizers) and
# configures (or updates) a Release build in BUILD with clang-22
# and -fsanitize=SANITIZERS (every error stops the program; UBSan's vptr check
# needs RTTI, which LLVM builds without, and its function check reads the
# bytes before a callee, which JIT-compiled code does not have). It also sets the sanitizers'
# options: libMLIR.so and libLLVM.so are not instrumented, so their
# containers cannot be checked for overflow, and their copy of LLVM's
# BumpPtrAllocator does not unpoison what it hands out of slabs that an
# instrumented copy (inlined from the headers into sffnn) poisoned: ASan's
# user poisoning would report those uses.
#
#===------------------------------------------------------------------------===#

configure_sanitized() {
  local build=$1 sanitizers=$2
  shift 2
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  bash "$root/utils/setup.sh" --sanitizers
  local flags="-fsanitize=$sanitizers -fno-sanitize=vptr,function"
  flags+=" -fno-sanitize-recover=all -gline-tables-only"
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" "$@" >/dev/null
  local asan=detect_container_overflow=0:allow_user_poisoning=0
  export ASAN_OPTIONS=$asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}
  export UBSAN_OPTIONS=print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
}

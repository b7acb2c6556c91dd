#!/usr/bin/env python3
"""Measured data movement per inference, with valgrind's cachegrind.

For each network and implementation, runs ``sffnn-bench-baselines --calls=K``
under ``valgrind --tool=cachegrind`` for two values of K and takes the
difference of the counts divided by the difference of K, so that loading and
set-up cancel out: what remains is one inference in a warm steady state,
after previous inferences, as in a serving loop.

The simulated caches are the host's: D1 48 KiB, 12-way, 64-byte lines, and
a last level (LL) of 32 MiB, 16-way (the L3). sffnn implementations are
taken from shared libraries linked from ``sffnn-compile`` objects (built for
x86-64-v3: valgrind cannot decode AVX-512), so that no compiler runs under
valgrind; the benchmark binary must be built without AVX-512 as well
(``-DSFFNN_BENCH_ARCH=x86-64-v3``).

By default every implementation runs one sample per inference. The batch
sweep (utils/benchmarks/sweep.sh) runs chosen implementations at chosen
batch sizes (--impls, --batch-sizes; one inference is then one call of
BATCH samples) with its own last level (--ll) and fewer calls (--calls).

Usage: cachegrind.py --bench BIN --compile SFFNN_COMPILE --work DIR
       --out cachegrind.json [--impls A,B] [--batch-sizes 1,64]
       [--ll SIZE,WAYS,LINE] [--calls LOW,HIGH] NAME=PATH ...
"""
import argparse
import json
import os
import re
import subprocess
import sys

CALLS = (2, 22)
# Valgrind decodes AVX2 but not AVX-512.
TARGET_CPU = "x86-64-v3"
D1 = "49152,12,64"
LL = "33554432,16,64"
IMPLS = {
    # name -> sffnn-compile flags (None: a library baseline)
    "sffnn-default": [],
    "sffnn-anneal-loops": ["--strategy=anneal", "--codegen=loops"],
    "sffnn-csr": ["--codegen=csr"],
    "eigen-sparse": None,
    "eigen-dense": None,
    "graphblas": None,
    "mlir-sparsifier": None,
}
# What runs without --impls.
DEFAULT_IMPLS = ("sffnn-anneal-loops", "sffnn-csr", "eigen-sparse",
                 "graphblas", "mlir-sparsifier")
COUNTERS = {r"D\s+refs": "data_refs", r"D1\s+misses": "d1_misses",
            r"LLd\s+misses": "lld_misses"}


def run(cmd):
    """Runs cmd; exits with its output on failure."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("cachegrind.py: failed: %s\n%s%s" %
                 (" ".join(cmd), result.stdout, result.stderr))
    return result


def cachegrind(bench, network, impl, batch, calls, library, ll):
    """The data-cache counts of one run of `bench` (`calls` calls of `batch`
    samples), or None if it skipped the implementation (it does not apply to
    the network) or the batch size (over its caps)."""
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=yes",
           "--cachegrind-out-file=/dev/null", "--D1=" + D1, "--LL=" + ll,
           bench, "--network=" + network, "--impls=" + impl,
           "--batch-sizes=%d" % batch, "--calls=%d" % calls]
    if library:
        cmd.append("--sffnn-library=" + library)
    counts = {}
    stderr = run(cmd).stderr
    if ": skipped: " in stderr or ": batch skipped: " in stderr:
        return None  # The implementation does not apply to this network.
    for line in stderr.splitlines():
        for label, key in COUNTERS.items():
            m = re.match(r"==\d+== %s:\s+([\d,]+)" % label, line)
            if m:
                counts[key] = int(m.group(1).replace(",", ""))
    if len(counts) != len(COUNTERS):
        sys.exit("cachegrind.py: no cache summary for %s/%s" % (network, impl))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True)
    parser.add_argument("--compile", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--impls", default=",".join(DEFAULT_IMPLS),
                        help="comma-separated, of: " + ", ".join(IMPLS))
    parser.add_argument("--batch-sizes", default="1",
                        help="samples per call, comma-separated")
    parser.add_argument("--ll", default=LL,
                        help="the simulated last level: size,ways,line bytes")
    parser.add_argument("--calls", default="%d,%d" % CALLS,
                        help="calls of the two runs whose counts differ")
    parser.add_argument("networks", nargs="+", metavar="NAME=PATH")
    args = parser.parse_args()
    impls = args.impls.split(",")
    for impl in impls:
        if impl not in IMPLS:
            sys.exit("cachegrind.py: unknown implementation '%s'" % impl)
    batches = [int(b) for b in args.batch_sizes.split(",")]
    calls = tuple(int(k) for k in args.calls.split(","))
    if len(calls) != 2 or calls[0] >= calls[1]:
        sys.exit("cachegrind.py: --calls expects LOW,HIGH with LOW < HIGH")
    os.makedirs(args.work, exist_ok=True)
    results = []
    for spec in args.networks:
        name, path = spec.split("=", 1)
        for impl in impls:
            flags = IMPLS[impl]
            library = None
            report = None
            if flags is not None:
                obj = os.path.join(args.work, "%s-%s.o" % (name, impl))
                library = obj[:-2] + ".so"
                report = obj[:-2] + ".json"
                run([args.compile, path, "--name=net", "-o", obj,
                     "--target-cpu=" + TARGET_CPU,
                     "--report-json=" + report] + flags)
                run(["cc", "-shared", "-o", library, obj])
            for batch in batches:
                low, high = (cachegrind(args.bench, "%s=%s" % (name, path),
                                        impl, batch, k, library, args.ll)
                             for k in calls)
                if low is None or high is None:
                    print("%-20s %-20s %6d skipped" % (name, impl, batch))
                    continue
                # Counts per call of `batch` samples.
                row = {"network": name, "impl": impl, "batch": batch}
                for key in COUNTERS.values():
                    row[key] = (high[key] - low[key]) / (calls[1] - calls[0])
                if report:
                    with open(report) as f:
                        row["plan"] = json.load(f)
                results.append(row)
                print("%-20s %-20s %6d D1 misses %12.0f  LLd misses %12.0f" %
                      (name, impl, batch, row["d1_misses"], row["lld_misses"]))
    with open(args.out, "w") as f:
        json.dump({"d1": D1, "ll": args.ll, "calls": calls,
                   "results": results}, f, indent=1)


if __name__ == "__main__":
    main()

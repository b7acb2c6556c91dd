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

Usage: cachegrind.py --bench BIN --compile SFFNN_COMPILE --work DIR
       --out cachegrind.json NAME=PATH ...
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
    "sffnn-anneal-loops": ["--strategy=anneal", "--codegen=loops"],
    "sffnn-csr": ["--codegen=csr"],
    "eigen-sparse": None,
    "graphblas": None,
    "mlir-sparsifier": None,
}
COUNTERS = {r"D\s+refs": "data_refs", r"D1\s+misses": "d1_misses",
            r"LLd\s+misses": "lld_misses"}


def run(cmd):
    """Runs cmd; exits with its output on failure."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("cachegrind.py: failed: %s\n%s%s" %
                 (" ".join(cmd), result.stdout, result.stderr))
    return result


def cachegrind(bench, network, impl, calls, library):
    """The data-cache counts of one run of `bench`, or None if it skipped
    the implementation (it does not apply to the network)."""
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=yes",
           "--cachegrind-out-file=/dev/null", "--D1=" + D1, "--LL=" + LL,
           bench, "--network=" + network, "--impls=" + impl,
           "--batch-sizes=1", "--calls=%d" % calls]
    if library:
        cmd.append("--sffnn-library=" + library)
    counts = {}
    stderr = run(cmd).stderr
    if ": skipped: " in stderr:
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
    parser.add_argument("networks", nargs="+", metavar="NAME=PATH")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    results = []
    for spec in args.networks:
        name, path = spec.split("=", 1)
        for impl, flags in IMPLS.items():
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
            low, high = (cachegrind(args.bench, "%s=%s" % (name, path), impl,
                                    k, library) for k in CALLS)
            if low is None or high is None:
                print("%-20s %-20s skipped" % (name, impl))
                continue
            row = {"network": name, "impl": impl}
            for key in COUNTERS.values():
                row[key] = (high[key] - low[key]) / (CALLS[1] - CALLS[0])
            if report:
                with open(report) as f:
                    row["plan"] = json.load(f)
            results.append(row)
            print("%-20s %-20s D1 misses %12.0f  LLd misses %12.0f" %
                  (name, impl, row["d1_misses"], row["lld_misses"]))
    with open(args.out, "w") as f:
        json.dump({"d1": D1, "ll": LL, "calls": CALLS, "results": results}, f,
                  indent=1)


if __name__ == "__main__":
    main()

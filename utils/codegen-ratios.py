#!/usr/bin/env python3
"""Turns the JSON of sffnn-bench-codegen into a Markdown table: time per call
of every variant and its speedup over the layerwise CSR build of the same
network (both measured in the same run)."""
import json
import sys
from collections import defaultdict


def main(path):
    with open(path) as f:
        data = json.load(f)
    times = defaultdict(dict)  # (kind, network) -> variant -> ns
    rates = {}
    for bench in data["benchmarks"]:
        if bench.get("run_type") == "aggregate" and bench.get("aggregate_name") != "median":
            continue
        kind, network, variant = bench["run_name"].split("/")
        times[(kind, network)][variant] = bench["real_time"]
        rates[(kind, network, variant)] = bench.get("connections_per_second", 0)
    variants = ["anneal-straight", "anneal-loops", "two-opt", "csr"]
    print("| benchmark | network | " + " | ".join(variants) + " |")
    print("|---|---|" + "---|" * len(variants))
    for (kind, network), row in times.items():
        csr = row.get("csr")
        cells = []
        for variant in variants:
            if variant not in row:
                cells.append("-")
                continue
            t = row[variant]
            speedup = csr / t if csr else float("nan")
            rate = rates[(kind, network, variant)] / 1e9
            cells.append(f"{t / 1000:.1f} us, {speedup:.2f}x, {rate:.2f} Gc/s")
        print(f"| {kind} | {network} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])

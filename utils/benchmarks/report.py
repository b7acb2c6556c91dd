#!/usr/bin/env python3
"""Writes docs/benchmarks.md and its plots from the results of
utils/run-benchmarks.sh.

Reads, from --results DIR: baselines.json (Google Benchmark, every C++
implementation and the machine kernels, median of repetitions; its context
names the (network, implementation, batch) cells skipped and why),
io-model.json (the I/O model's figures of each network), torch.json
(bench/torch-baseline.py), cachegrind.json (utils/benchmarks/cachegrind.py),
parse-Text.json, parse-Bytecode.json, plan.json, and, when present,
compile-time.json (seconds to compile the Fashion-MNIST model with
sffnn-compile's defaults), compile-report.json (its --report-json) and
threads.json (bench/ThreadBench.cpp, NAME_batch_parallel per thread count)
and sweep/ (utils/benchmarks/sweep.sh: the batch sweep).
Every number in the document comes from these files; the prose only
explains how to read them. A cell that did not run shows "-".

Usage: report.py --results DIR --doc docs/benchmarks.md --plots docs/benchmarks
"""
import argparse
import json
import os
import platform
import re
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BATCHES = (1, 64, 1024, 16384)
DEFAULT = "sffnn-default"  # sffnn-compile's defaults (codegen auto)
SFFNN_PLANS = ("sffnn-anneal-straight", "sffnn-anneal-loops", "sffnn-two-optimal")
BASELINES = ("eigen-sparse", "eigen-dense", "graphblas", "mlir-sparsifier",
             "torch-csr", "torch-dense")
IMPLS = (DEFAULT,) + SFFNN_PLANS + ("sffnn-csr",) + BASELINES
WORDS_PER_LINE = 16  # 64-byte lines of 4-byte words
# Names in results written before a rename -> the names of this report.
RENAMED = {"sffnn-two-opt": "sffnn-two-optimal", "two-opt": "two-optimal"}


def read_cpuinfo():
    """The host's /proc/cpuinfo, or "" where there is none."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


CPUINFO = read_cpuinfo()
HAS_AVX512 = "avx512f" in CPUINFO.split()

# getconf's names of the per-core data and unified caches, and their kinds.
# Not the L3: it is shared, and a virtual machine's CPUID reports the
# host's (all of its dies), not the share this machine gets.
GETCONF_CACHES = [(1, "Data", "LEVEL1_DCACHE_SIZE"),
                  (2, "Unified", "LEVEL2_CACHE_SIZE")]


def host_caches(context):
    """The host's caches as Google Benchmark's context lists them (from
    sysfs), and where they come from. Where sysfs has none (some virtual
    machines), glibc's figures from CPUID (`getconf LEVEL1_DCACHE_SIZE`,
    ...) for the L1d and the L2."""
    caches = context.get("caches", [])
    if caches:
        return caches, "sysfs, as Google Benchmark reads them"
    found = []
    for level, kind, name in GETCONF_CACHES:
        try:
            value = subprocess.run(["getconf", name], capture_output=True,
                                   text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            continue
        if value.isdigit() and int(value) > 0:
            found.append({"level": level, "type": kind, "size": int(value)})
    return found, ("CPUID, as glibc's getconf reads it, L1d and L2 only; "
                   "sysfs lists none here")


def load(directory, name):
    with open(os.path.join(directory, name), encoding="utf-8") as f:
        return json.load(f)


def load_optional(directory, name):
    """The JSON file `name`, or None where there is none."""
    if not os.path.exists(os.path.join(directory, name)):
        return None
    return load(directory, name)


def medians(benchmark_json):
    """{run_name: entry} of the median aggregates (or plain runs)."""
    result = {}
    for entry in benchmark_json["benchmarks"]:
        if entry.get("run_type") == "aggregate" and \
                entry.get("aggregate_name") != "median":
            continue
        result[entry["run_name"]] = entry
    return result


def spreads(benchmark_json):
    """{run_name: standard deviation over median} of the real time of each
    cell that has both aggregates (repetitions)."""
    median, stddev = {}, {}
    for entry in benchmark_json["benchmarks"]:
        if entry.get("run_type") != "aggregate":
            continue
        kind = entry.get("aggregate_name")
        if kind in ("median", "stddev"):
            (median if kind == "median" else stddev)[entry["run_name"]] = \
                entry["real_time"]
    return {name: stddev[name] / median[name] for name in stddev
            if median.get(name)}


# A cell whose repetitions' standard deviation exceeds this fraction of
# their median is marked: its time is the machine's as much as the code's.
NOISY_SPREAD = 0.25


def ns(entry):
    """Time per iteration in nanoseconds."""
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[entry["time_unit"]]
    return entry["real_time"] * scale


class Results:
    """Time per sample of every (network, impl, batch), C++ and PyTorch."""

    def __init__(self, directory):
        self.baselines = load(directory, "baselines.json")
        runs = medians(self.baselines)
        # Repetitions of each cell, and whether they were interleaved at
        # random with every other cell's.
        self.repetitions = max((entry.get("repetitions", 1)
                                for entry in runs.values()), default=1)
        self.interleaved = self.baselines.get("context", {}).get(
            "random_interleaving") == "true"
        self.ns_per_sample = {}
        self.networks = []
        self.machine = {}
        for name, entry in runs.items():
            if name.startswith("machine/"):
                # Without Google Benchmark's suffixes (min_time:1.000,
                # real_time).
                parts = [part for part in name.split("/")[1:]
                         if ":" not in part and part != "real_time"]
                self.machine["/".join(parts)] = entry
                continue
            network, impl, batch = name.split("/")[:3]  # then "real_time"
            impl = RENAMED.get(impl, impl)
            if network not in self.networks:
                self.networks.append(network)
            self.ns_per_sample[network, impl, int(batch)] = \
                1e9 / entry["samples_per_second"]
        # (network, impl, batch) -> the spread of its repetitions.
        self.spread = {}
        for name, spread in spreads(self.baselines).items():
            if not name.startswith("machine/"):
                network, impl, batch = name.split("/")[:3]
                self.spread[network, RENAMED.get(impl, impl),
                            int(batch)] = spread
        # (network, impl, batch) -> why it did not run, C++ and PyTorch.
        self.skipped = {}
        context = self.baselines["context"]
        for key, reason in context.items():
            if key.startswith("skipped/"):
                network, impl, batch = key[len("skipped/"):].rsplit("/", 2)
                self.skipped[network, RENAMED.get(impl, impl),
                             int(batch)] = reason
        # (network, impl) -> the kernel an sffnn build's batches run, and
        # the one its single samples run.
        self.batch_kernel, self.single_kernel = {}, {}
        for key, kernel in context.items():
            for prefix, kernels in (("batch_kernel/", self.batch_kernel),
                                    ("single_kernel/", self.single_kernel)):
                if key.startswith(prefix):
                    network, impl = key[len(prefix):].rsplit("/", 1)
                    kernels[network, RENAMED.get(impl, impl)] = kernel
        self.torch = load(directory, "torch.json")
        for entry in self.torch["results"]:
            key = (entry["network"], entry["impl"], entry["batch"])
            if "skipped" in entry:
                self.skipped[key] = entry["skipped"]
            else:
                self.ns_per_sample[key] = entry["ns_per_sample"]
        self.max_batch_connections = context.get(
            "max_batch_connections",
            self.torch.get("max_batch_connections"))
        self.max_batch_state_mib = context.get(
            "max_batch_state_mib", self.torch.get("max_batch_state_mib"))
        self.io_model = {n["network"]: n for n in load(directory,
                                                       "io-model.json")}
        for network in self.io_model.values():
            for model in network["models"]:
                for old, new in RENAMED.items():
                    if old in model:
                        model[new] = model.pop(old)
        # The 1M-neuron network of the goals, run apart at batch 1 with
        # sffnn's builds only (run-benchmarks.sh, step 3): its cells and
        # kernels join the others', but not `networks` (the tables).
        self.big_network = None
        big = load_optional(directory, "baselines-1m.json")
        if big:
            for name, entry in medians(big).items():
                if name.startswith("machine/"):
                    continue
                network, impl, batch = name.split("/")[:3]
                self.big_network = network
                self.ns_per_sample[network, RENAMED.get(impl, impl),
                                   int(batch)] = \
                    1e9 / entry["samples_per_second"]
            for name, spread in spreads(big).items():
                if not name.startswith("machine/"):
                    network, impl, batch = name.split("/")[:3]
                    self.spread[network, RENAMED.get(impl, impl),
                                int(batch)] = spread
            for key, kernel in big.get("context", {}).items():
                if key.startswith("single_kernel/"):
                    network, impl = key[len("single_kernel/"):].rsplit("/", 1)
                    self.single_kernel[network, RENAMED.get(impl, impl)] = \
                        kernel
        # Its sffnn-gen arguments (NAME|ARGS, as networks.txt).
        self.big_args = ""
        path = os.path.join(directory, "big-network.txt")
        if os.path.exists(path):
            with open(path) as f:
                self.big_args = f.read().strip().split("|", 1)[-1]
        self.compile_time = load_optional(directory, "compile-time.json")
        self.compile_report = load_optional(directory, "compile-report.json")

    def connections(self, network):
        return self.io_model[network]["connections"]

    def get(self, network, impl, batch):
        return self.ns_per_sample.get((network, impl, batch))

    def noise_note(self, network, impls, batch):
        """", repetitions spread ..." where a cell of `impls` at `batch` on
        `network` spread by more than NOISY_SPREAD, else ""."""
        noisy = ["%s sd %.0f%% of its median" % (impl, 100 * spread)
                 for impl in impls
                 for spread in [self.spread.get((network, impl, batch), 0)]
                 if spread > NOISY_SPREAD]
        return "; repetitions spread: %s" % ", ".join(noisy) if noisy else ""

    def best(self, network, impls, batch):
        """(ns per sample, impl) of the fastest of `impls`, or None."""
        times = [(self.get(network, i, batch), i) for i in impls
                 if self.get(network, i, batch) is not None]
        return min(times) if times else None

    def fma_peak(self):
        return self.machine["fma-peak"]["fmas_per_second"]

    def peak_fraction(self, network, ns_value):
        """Connections per second at `ns_value` per sample over the FMA
        peak: one FMA per connection per sample."""
        return self.connections(network) / ns_value * 1e9 / self.fma_peak()

    def read_bandwidth(self):
        return self.machine["read-bandwidth"]["bytes_per_second"]

    def triad(self):
        return self.machine["triad"]["bytes_per_second"]


def fmt_time(ns_value):
    if ns_value >= 1e6:
        return "%.2f ms" % (ns_value / 1e6)
    if ns_value >= 1e3:
        return "%.2f us" % (ns_value / 1e3)
    return "%.0f ns" % ns_value


def fmt_int(value):
    return "{:,}".format(int(round(value)))


def fmt_percent(fraction):
    return "%.1f%%" % (100 * fraction)


def machine_section(results):
    context = results.baselines["context"]
    listed, source = host_caches(context)
    caches = ", ".join("L%d%s %d KiB" % (c["level"], {"Data": "d",
                                                       "Instruction": "i",
                                                       "Unified": ""}[c["type"]],
                                         c["size"] // 1024)
                       for c in listed) or "unknown"
    models = [line.split(":", 1)[1].strip() for line in CPUINFO.splitlines()
              if line.startswith("model name")]
    model = models[0] if models else platform.processor()
    lines = [
        "## Machine",
        "",
        "%s, %d cores as reported by Google Benchmark (%.0f MHz nominal), "
        "caches %s (%s); %s, %s. Everything runs on one thread." % (
            model, context["num_cpus"], context["mhz_per_cpu"], caches,
            source, platform.system(), platform.release()),
        "",
        "Its limits, measured in the same run (bench/MachineBench.cpp):",
        "",
        "| kernel | measured |",
        "|---|---|",
        "| FMA peak, one core (16 chains of %s-bit FMAs) | %.1f G FMA/s |" % (
            "512" if HAS_AVX512 else "256",
            results.fma_peak() / 1e9),
        "| read bandwidth (sum of 256 MiB) | %.1f GB/s |" %
        (results.read_bandwidth() / 1e9),
        "| STREAM triad (3 x 128 MiB) | %.1f GB/s |" % (results.triad() / 1e9),
    ]
    # The step of a batch row one at a time (docs/codegen.md, "The ceiling
    # of a row"); absent from results older than the benchmark.
    for kernel, what in (
            ("block-row/L2", "batch row step, blocks of 4 vectors, frame in "
             "the L2"),
            ("block-row/L1", "batch row step, blocks of 4 vectors, frame in "
             "the L1"),
            ("block-row/L1/2-vectors", "batch row step, blocks of 2 "
             "vectors, frame in the L1"),
            ("block-row/L1/1-vector", "batch row step, blocks of 1 vector, "
             "frame in the L1")):
        if kernel in results.machine:
            rate = results.machine[kernel]["fmas_per_second"]
            lines.append("| %s | %.1f G FMA/s (%s of the peak) |" % (
                what, rate / 1e9, fmt_percent(rate / results.fma_peak())))
    lines += [
        "",
        "One inference performs one FMA per connection per sample, so "
        "connections per second over the FMA peak is the fraction of the "
        "peak reached. Streaming 4-byte weights from DRAM bounds one sample "
        "at %.1f G connections/s (read bandwidth / 4 bytes)." %
        (results.read_bandwidth() / 4e9),
        "",
    ]
    return lines


def networks_section(directory):
    path = os.path.join(directory, "networks.txt")
    lines = ["## Networks", "",
             "- `fashion-mnist`: `examples/fashion-mnist/model.onnx`, "
             "784-300-100-10, 90% of the weights pruned."]
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            name, args = line.strip().split("|", 1)
            lines.append("- `%s`: `sffnn-gen %s --seed=7`" % (name, args))
    lines += ["", "The generated networks are written once as MLIR bytecode "
              "(for the C++ benchmark) and as TSV (for PyTorch) from the same "
              "seed; docs/generators.md describes the generators.", ""]
    return lines


def network_table(results, network):
    lines = [
        "### %s (%s connections, %s layers)" % (
            network, fmt_int(results.connections(network)),
            fmt_int(results.io_model[network]["layers"])),
        "",
        "| implementation | " + " | ".join("batch %d" % b for b in BATCHES) +
        " |",
        "|---|" + "---|" * len(BATCHES),
    ]
    for impl in IMPLS:
        cells = []
        for batch in BATCHES:
            t = results.get(network, impl, batch)
            if t is None:
                cells.append("-")
                continue
            fastest = results.best(network, BASELINES, batch)
            gcs = results.connections(network) / t
            cell = "%s, %.2f Gc/s" % (fmt_time(t), gcs)
            if fastest:
                cell += ", %.2fx" % (fastest[0] / t)
            cell += ", %s" % fmt_percent(results.peak_fraction(network, t))
            cells.append(cell)
        if all(c == "-" for c in cells):
            continue
        lines.append("| %s | %s |" % (impl, " | ".join(cells)))
    lines.append("")
    return lines


def summary_table(results):
    lines = [
        "| network | batch | best sffnn plan | of FMA peak | fastest baseline "
        "| of FMA peak | speedup | vs sffnn-csr | weight stream |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for network in results.networks:
        for batch in BATCHES:
            ours = results.best(network, SFFNN_PLANS, batch)
            theirs = results.best(network, BASELINES, batch)
            csr = results.get(network, "sffnn-csr", batch)
            cells = []
            for best in (ours, theirs):
                if best:
                    cells += ["%s (%s)" % (fmt_time(best[0]), best[1]),
                              fmt_percent(results.peak_fraction(network,
                                                                best[0]))]
                else:
                    cells += ["-", "-"]
            cells.append("%.2fx" % (theirs[0] / ours[0])
                         if ours and theirs else "-")
            cells.append("%.2fx" % (csr / ours[0]) if ours and csr else "-")
            # Weights streamed once per call: 4 bytes per connection.
            cells.append(fmt_percent(
                results.connections(network) * 4 / (ours[0] * batch) * 1e9 /
                results.read_bandwidth()) if ours else "-")
            lines.append("| %s | %d | %s |" % (network, batch,
                                              " | ".join(cells)))
    lines.append("")
    return lines


def met(condition):
    return "met" if condition else "not met"


def not_run(results, network, impls, batch):
    """The implementations of `impls` that skipped `batch` on `network`."""
    return [i for i in impls if (network, i, batch) in results.skipped]


def goals_section(results):
    lines = ["## Goals", "",
             "The targets, each with this run's figures. \"The plan\" is the "
             "fastest of sffnn's plans (sffnn-anneal-straight, "
             "sffnn-anneal-loops, sffnn-two-optimal) at that batch size, "
             "\"sffnn\" the fastest of those and the default build "
             "(sffnn-default); the "
             "baselines are Eigen (sparse and dense), GraphBLAS, MLIR's "
             "sparsifier and PyTorch (CSR and dense), all layer by layer.",
             ""]
    fm = "fashion-mnist"

    target = ("Batch 1, the Fashion-MNIST model with default flags: >= 3x "
              "over the fastest of Eigen (sparse and dense), GraphBLAS, "
              "MLIR's sparsifier and PyTorch")
    # "With default flags": the default build where the run has it.
    ours = results.best(fm, (DEFAULT,), 1) or results.best(fm, SFFNN_PLANS, 1)
    theirs = results.best(fm, BASELINES, 1)
    if ours and theirs:
        ratio = theirs[0] / ours[0]
        text = ("- **%s: %s.** sffnn (%s) takes %s per sample, the "
                "fastest baseline (%s) %s: %.2fx." % (
                    target, met(ratio >= 3), ours[1], fmt_time(ours[0]),
                    theirs[1], fmt_time(theirs[0]), ratio))
        report = results.compile_report
        if report and "strategy" in report and "codegen" in report:
            text += (" sffnn-compile's defaults choose the %s order with %s "
                     "code (compile-report.json)." % (report["strategy"],
                                                      report["codegen"]))
        lines.append(text)
    else:
        lines.append("- **%s: not measured.**" % target)

    target = ("Batch 1, the 1M-neuron I/O-optimal network: the plan >= 1.5x "
              "over csr; no benchmark network where the default is slower "
              "than csr")
    parts, first = [], False
    io_networks = [n for n in results.networks if n.startswith("io-optimal")]
    big = results.big_network
    ours = big and results.best(big, SFFNN_PLANS, 1)
    big_csr = big and results.get(big, "sffnn-csr", 1)
    if ours and big_csr:
        first = big_csr / ours[0] >= 1.5
        parts.append("On %s (run apart, at batch 1, sffnn's builds only: "
                     "`sffnn-gen %s --seed=7`) the plan (%s) takes %s per "
                     "sample, sffnn-csr %s: %.2fx (%s)." % (
                         results.big_network, results.big_args, ours[1],
                         fmt_time(ours[0]), fmt_time(big_csr),
                         big_csr / ours[0], met(first)))
    elif io_networks:
        network = max(io_networks, key=lambda n: (
            results.io_model[n].get("neurons", 0), results.connections(n)))
        ours = results.best(network, SFFNN_PLANS, 1)
        csr = results.get(network, "sffnn-csr", 1)
        size = "%s neurons, %s connections" % (
            fmt_int(results.io_model[network].get("neurons", 0)),
            fmt_int(results.connections(network)))
        if ours and csr:
            first = csr / ours[0] >= 1.5
            parts.append("The largest I/O-optimal network of this run is %s "
                         "(%s): the plan (%s) takes %s per sample, sffnn-csr "
                         "%s: %.2fx (%s)." % (
                             network, size, ours[1], fmt_time(ours[0]),
                             fmt_time(csr), csr / ours[0], met(first)))
        else:
            parts.append("The largest I/O-optimal network of this run, %s "
                         "(%s), has no batch-1 figure for the plan or "
                         "sffnn-csr." % (network, size))
    else:
        parts.append("No I/O-optimal network ran.")
    # The default (sffnn-default: sffnn-compile's defaults, where the run
    # has it) against csr, and the fastest plan against csr.
    # Where the default runs csr's kernel at that batch size (the run's
    # single_kernel context at batch 1, batch_kernel above), the two run the
    # same code: a difference there does not come from the kernel, and is
    # listed apart. The 1M-neuron network has batch-1 cells only.
    for impls, who in (((DEFAULT,), "the default (%s)" % DEFAULT),
                       (SFFNN_PLANS, "the fastest plan")):
        slower, same_code, checked = [], [], 0
        for network in results.networks + ([big] if big else []):
            for batch in BATCHES:
                ours = results.best(network, impls, batch)
                csr = results.get(network, "sffnn-csr", batch)
                if not ours or not csr:
                    continue
                checked += 1
                if ours[0] > csr:
                    cell = "%s at batch %d (%.2fx%s)" % (
                        network, batch, csr / ours[0],
                        results.noise_note(network, (ours[1], "sffnn-csr"),
                                           batch))
                    kernels = results.batch_kernel if batch > 1 \
                        else results.single_kernel
                    if impls == (DEFAULT,) and \
                            kernels.get((network, DEFAULT)) == "csr":
                        same_code.append(cell)
                    else:
                        slower.append(cell)
        if impls == (DEFAULT,):
            default_checked, default_slower = checked, slower
        parts.append("Of the %d (network, batch) pairs with both figures, %s "
                     "is slower than sffnn-csr on %s." % (
                         checked, who, "%d: %s" % (len(slower),
                                                   ", ".join(slower))
                         if slower else "none"))
        if same_code:
            parts.append("On %d more, %s runs csr's own kernel (for one "
                         "sample where its plan moves what csr moves and "
                         "costs more, for batches where its batch plan "
                         "never evicts a value), the same code as "
                         "sffnn-csr, so the difference does not come from "
                         "the kernel: %s." % (len(same_code), who,
                                              ", ".join(same_code)))
    checked, slower = default_checked, default_slower
    lines.append("- **%s: %s.** %s" % (
        target, met(first and checked and not slower), " ".join(parts)))

    target = ("Batch >= 1024, the Fashion-MNIST model and gc-1024: >= 50% of "
              "the measured single-core FMA peak, and >= 3x over the fastest "
              "layer-by-layer peer over the whole batch")
    parts, ok = [], True
    for network in (fm, "gc-1024"):
        for batch in (1024, 16384):
            ours = results.best(network, SFFNN_PLANS + (DEFAULT,), batch)
            theirs = results.best(network, BASELINES, batch)
            where = "%s, batch %d" % (network, batch)
            if not ours:
                ok = False
                parts.append("%s: not measured" % where)
                continue
            fraction = results.peak_fraction(network, ours[0])
            text = "%s: %s at %s of the peak" % (where, ours[1],
                                                 fmt_percent(fraction))
            if theirs:
                ratio = theirs[0] / ours[0]
                ok = ok and fraction >= 0.5 and ratio >= 3
                text += ", %.2fx over %s" % (ratio, theirs[1])
            else:
                ok = False
                text += ", no baseline ran"
            skipped = not_run(results, network, BASELINES, batch)
            if skipped:
                text += " (not run: %s)" % ", ".join(skipped)
            parts.append(text)
    lines.append("- **%s: %s.** %s; FMA peak %.1f G FMA/s." % (
        target, met(ok), "; ".join(parts), results.fma_peak() / 1e9))

    target = ("Compile time: the Fashion-MNIST model in under 5 s with "
              "defaults")
    seconds = (results.compile_time or {}).get(fm)
    if seconds is not None:
        runs = (results.compile_time.get("runs") or {}).get(fm) or [seconds]
        lines.append("- **%s: %s.** `sffnn-compile "
                     "examples/fashion-mnist/model.onnx -o FILE.o`: median "
                     "%.2f s of %d runs (%.2f to %.2f s)." % (
                         target, met(seconds < 5), seconds, len(runs),
                         min(runs), max(runs)))
    else:
        lines.append("- **%s: not measured** (no compile-time.json)." %
                     target)
    lines.append("")
    return lines


def standing(results, batch):
    """One sentence on the plan at `batch` over every network."""
    fractions, faster, compared = [], 0, 0
    for network in results.networks:
        ours = results.best(network, SFFNN_PLANS, batch)
        if not ours:
            continue
        fractions.append(results.peak_fraction(network, ours[0]))
        theirs = results.best(network, BASELINES, batch)
        if theirs:
            compared += 1
            faster += ours[0] < theirs[0]
    if not fractions:
        return ""
    return (" Batch %d: %s to %s of the FMA peak over %d networks; faster "
            "than the fastest baseline on %d of %d." % (
                batch, fmt_percent(min(fractions)),
                fmt_percent(max(fractions)), len(fractions), faster,
                compared))


def limits_section(results):
    """What the figures say about the generated code's limits."""
    report = results.compile_report or {}
    fast_memory = report.get("fast_memory") or \
        results.io_model[results.networks[0]]["models"][-1]["fast_memory"]
    block = report.get("batch_block")
    batch_fast_memory = report.get("batch_fast_memory")
    lines = [
        "## Where sffnn stands",
        "",
        "- One sample: `NAME` runs the plan's row loops, each neuron a dot "
        "product over values held in the plan's M = %s fast-memory slots "
        "(words)." % fmt_int(fast_memory) + standing(results, 1),
    ]
    text = "- Batches: `NAME_batch` runs the same order on blocks of "
    if block:
        text += "%d samples" % block
        if batch_fast_memory:
            text += " (M_B = %s slots of %d words each)" % (
                fmt_int(batch_fast_memory), block)
    else:
        text += "B samples"
    text += ", loading each weight once per block (docs/io-model.md)."
    for batch in BATCHES[1:]:
        text += standing(results, batch)
    lines += [text, ""]
    return lines


def skipped_section(results):
    """The cells that did not run, by network, and why."""
    if not results.skipped:
        return []
    caps = []
    if results.max_batch_connections is not None:
        caps.append("one call would take more than %.2g multiply-adds "
                    "(connections x batch; dense weights x batch for "
                    "eigen-dense and torch-dense)" %
                    float(results.max_batch_connections))
    if results.max_batch_state_mib is not None:
        caps.append("its batch state would take more than %s MiB (the C++ "
                    "baselines keep it until the run ends)" %
                    results.max_batch_state_mib)
    lines = ["Not run (-)%s:" % (": a cell is skipped where " +
                                 " or where ".join(caps) if caps else ""),
             ""]
    batches = {}  # network -> {(impl, why): [batch]}
    for (network, impl, batch), reason in sorted(
            results.skipped.items(), key=lambda item: item[0][2]):
        if "--max-batch-connections" in reason:
            reason = "multiply-adds over the cap"
        elif "--max-batch-state-mib" in reason:
            reason = "batch state over the cap"
        batches.setdefault(network, {}).setdefault((impl, reason),
                                                   []).append(batch)
    order = results.networks + sorted(set(batches) - set(results.networks))
    for network in order:
        if network not in batches:
            continue
        impls = {}  # (batches, why) -> [impl]
        for (impl, why), cells in batches[network].items():
            impls.setdefault((tuple(cells), why), []).append(impl)
        lines.append("- %s: %s" % (network, "; ".join(
            "%s at %s (%s)" % (", ".join(names), ", ".join(map(str, cells)),
                               why)
            for (cells, why), names in impls.items())))
    lines.append("")
    return lines


def io_model_section(results):
    lines = [
        "## The I/O model's view",
        "",
        "Planned I/O (words moved between fast and slow memory per inference, "
        "docs/io-model.md) of each network for the standard layerwise order "
        "and sffnn's orders, at M = 64 words and at the host's M; LB is the "
        "lower bound. `fixed` = W + B, the weight and bias loads every plan "
        "has; the rest is activation traffic.",
        "",
        "| network | M | LB | fixed | layerwise | two-optimal | anneal | "
        "layerwise / anneal | activations: layerwise / anneal |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for network in results.networks:
        for model in results.io_model[network]["models"]:
            fixed = model["fixed"]
            act_layer = model["layerwise"] - fixed
            act_anneal = model["anneal"] - fixed
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %.2fx | %s |" % (
                network, fmt_int(model["fast_memory"]),
                fmt_int(model["lower_bound"]), fmt_int(fixed),
                fmt_int(model["layerwise"]), fmt_int(model["two-optimal"]),
                fmt_int(model["anneal"]),
                model["layerwise"] / model["anneal"],
                "%.2fx" % (act_layer / act_anneal) if act_anneal else "-"))
    lines.append("")
    return lines


def cachegrind_section(directory, results):
    path = os.path.join(directory, "cachegrind.json")
    if not os.path.exists(path):
        return []
    data = load(directory, "cachegrind.json")
    lines = [
        "## Measured data movement",
        "",
        "valgrind --tool=cachegrind, D1 = %s and LL = %s (size, ways, line "
        "bytes: the host's L1d and L3), one sample per inference, counts per "
        "inference in a warm steady state (the difference of runs with %d "
        "and %d inferences, so set-up cancels; "
        "utils/benchmarks/cachegrind.py). Predicted: the plan's I/O at the "
        "host's M in words and in 64-byte lines (words / 16; a lower bound on "
        "the lines, reached when every transfer is contiguous), from "
        "`sffnn-compile --report-json`; for the others, the layerwise order's "
        "planned I/O at the same M." % (data["d1"], data["ll"],
                                        data["calls"][0], data["calls"][1]),
        "",
        "| network | implementation | D refs | D1 misses | LLd misses | "
        "predicted I/O (words) | predicted lines |",
        "|---|---|---|---|---|---|---|",
    ]
    noisy = False

    def count(value):
        # A difference below zero is set-up noise (a JIT's allocations vary
        # from run to run): the steady state has no such misses.
        nonlocal noisy
        if value < 0:
            noisy = True
            return "0*"
        return fmt_int(value)

    for row in data["results"]:
        predicted = predicted_words(row, results)
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            row["network"], row["impl"], count(row["data_refs"]),
            count(row["d1_misses"]), count(row["lld_misses"]),
            fmt_int(predicted) if predicted else "-",
            fmt_int(predicted / WORDS_PER_LINE) if predicted else "-"))
    lines.append("")
    if noisy:
        lines += ["\\* The difference of the two runs was negative: set-up "
                  "noise larger than the steady state's count, which is 0.", ""]
    ratios = [row["d1_misses"] / (predicted_words(row, results) /
                                  WORDS_PER_LINE)
              for row in data["results"]
              if row["impl"] == "sffnn-anneal-loops" and
              predicted_words(row, results)]
    if ratios:
        lines += ["sffnn's measured D1 misses are %.2fx to %.2fx the predicted "
                  "lines. The model counts a weight as one word; the "
                  "generated loops also stream a slot index (1 to 4 bytes) "
                  "per connection and per-neuron run headers, and the "
                  "resident slots share the L1 with those streams." % (
                      min(ratios), max(ratios)), ""]
    return lines


def predicted_words(row, results):
    """The model's I/O for the implementation's order at the host's M."""
    if "plan" in row and row["impl"] != "sffnn-csr":
        return row["plan"]["plan_cost"]
    models = results.io_model.get(row["network"], {}).get("models", [])
    return models[-1]["layerwise"] if models else None


def plot_speedups(results, path):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for batch, marker in zip(BATCHES, "os^D"):
        points = []
        for network in results.networks:
            ours = results.best(network, SFFNN_PLANS, batch)
            theirs = results.best(network, BASELINES, batch)
            if ours and theirs:
                points.append((results.connections(network),
                               theirs[0] / ours[0], network))
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points],
                marker=marker, label="batch %d" % batch)
    ax.axhline(1.0, color="gray", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("connections W")
    ax.set_ylabel("speedup of the best sffnn plan\nover the fastest baseline")
    ax.set_title("sffnn vs the fastest of Eigen, GraphBLAS, MLIR sparsifier, "
                 "PyTorch", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_misses(directory, results, path):
    if not os.path.exists(os.path.join(directory, "cachegrind.json")):
        return False
    data = load(directory, "cachegrind.json")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    impls = sorted({row["impl"] for row in data["results"]})
    low, high = float("inf"), 0
    for impl, marker in zip(impls, "os^vDP*"):
        xs, ys = [], []
        for row in data["results"]:
            predicted = predicted_words(row, results)
            if row["impl"] == impl and predicted and row["d1_misses"] > 0:
                xs.append(predicted / WORDS_PER_LINE)
                ys.append(row["d1_misses"])
        if xs:
            ax.scatter(xs, ys, marker=marker, label=impl)
            low = min(low, min(xs), min(ys))
            high = max(high, max(xs), max(ys))
    if high > 0:
        ax.plot([low, high], [low, high], color="gray", linewidth=0.8,
                label="measured = predicted")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("predicted I/O, 64-byte lines (words / 16)")
    ax.set_ylabel("measured D1 misses per inference")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def threads_section(directory, results):
    """NAME_batch_parallel per thread count: time per sample, connections
    per second, the speedup over one thread and the fraction of the FMA peak
    of that many cores (one core's measured peak x threads)."""
    data = load_optional(directory, "threads.json")
    lines = ["## Threads", ""]
    if data is None:
        return lines + ["Not run (no threads.json).", ""]
    runs = medians(data)
    cores = data["context"].get("online_cores", "?")
    lines += ["`bench/ThreadBench.cpp`: `NAME_batch_parallel` of "
              "sffnn-compile's default build (anneal order, auto codegen) on "
              "1, 2, 4, ... threads up to the %s online cores, wall-clock "
              "time, median of 3; outputs checked against the reference for "
              "every thread count first. The speedup is over one thread of "
              "the same run; the peak fraction is over the one-core FMA peak "
              "times the threads." % cores, "",
              "| network | batch | threads | time per sample | Gc/s | "
              "speedup over 1 thread | of the threads' FMA peak |",
              "|---|---|---|---|---|---|---|"]
    one = {}
    for name, entry in runs.items():
        network, impl, batch = name.split("/")[:3]  # then "real_time"
        threads = int(impl[len("sffnn-threads-"):])
        per_sample = ns(entry) / int(batch)
        if threads == 1:
            one[(network, batch)] = per_sample
    for name, entry in runs.items():
        network, impl, batch = name.split("/")[:3]  # then "real_time"
        threads = int(impl[len("sffnn-threads-"):])
        per_sample = ns(entry) / int(batch)
        rate = entry["connections_per_second"]
        base = one.get((network, batch))
        lines.append("| %s | %s | %d | %s | %.2f | %s | %s |" % (
            network, fmt_int(int(batch)), threads, fmt_time(per_sample),
            rate / 1e9, "%.2fx" % (base / per_sample) if base else "-",
            fmt_percent(rate / (results.fma_peak() * threads))))
    lines.append("")
    return lines


SWEEP_NETWORKS = ("fashion-mnist", "gc-1024", "gc-4096")
SWEEP_BATCHES = (64, 256, 1024, 4096, 16384, 65536)
SWEEP_PEERS = ("eigen-sparse", "eigen-dense", "graphblas", "mlir-sparsifier")
KIB = 1024
MIB = 1024 * KIB


def fmt_bytes(value):
    if value >= MIB:
        return "%.0f MiB" % (value / MIB) if value >= 10 * MIB else \
            "%.1f MiB" % (value / MIB)
    return "%.0f KiB" % (value / KIB)


class Sweep:
    """The batch sweep's results (sweep/ of the results directory): time
    per sample of sffnn-default and the peers per (network, batch), the
    cells skipped and why, each network's most floats per sample one layer
    of a peer touches, sffnn-compile's report, and the host's caches."""

    def __init__(self, directory):
        self.directory = os.path.join(directory, "sweep")
        self.networks = []
        self.ns_per_sample = {}  # (network, impl, batch) -> ns
        self.skipped = {}  # (network, impl, batch) -> why
        self.unavailable = {}  # (network, impl) -> why it never runs
        self.ran = {}  # (network, "small" | "large") -> impls it ran
        self.layer_floats = {}
        self.reports = {}
        self.caches = []  # (level, bytes) of data and unified caches
        self.cache_source = "none read"
        self.fma_peak = None
        self.repetitions = {}
        self.date = None  # of the first process
        for network in SWEEP_NETWORKS:
            found = False
            for part in ("small", "large"):
                data = load_optional(self.directory,
                                     "%s-%s.json" % (network, part))
                if data is None:
                    continue
                found = True
                self.read(network, part, data)
            if found:
                self.networks.append(network)
                self.reports[network] = load_optional(
                    self.directory, "%s-report.json" % network) or {}
        self.cachegrind = load_optional(self.directory, "cachegrind.json")
        # loadavg.txt: one line per timed process start and end, the
        # 1-minute load average and the busy commands other than the sweep
        # (comma-separated, or -).
        self.load_averages = []
        self.busy = set()
        path = os.path.join(self.directory, "loadavg.txt")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    fields = line.split()
                    self.load_averages.append(float(fields[0]))
                    if len(fields) > 1 and fields[1] != "-":
                        self.busy.update(fields[1].split(","))

    def read(self, network, part, data):
        context = data["context"]
        self.date = self.date or context.get("date")
        if not self.caches:
            listed, self.cache_source = host_caches(context)
            self.caches = sorted((c["level"], c["size"]) for c in listed
                                 if c["type"] in ("Data", "Unified"))
        key = "layer_floats/" + network
        if key in context:
            self.layer_floats[network] = int(context[key])
        impls = set()
        for name, entry in medians(data).items():
            if name.startswith("machine/"):
                if name.startswith("machine/fma-peak"):
                    self.fma_peak = entry["fmas_per_second"]
                continue
            _, impl, batch = name.split("/")[:3]
            impls.add(impl)
            self.ns_per_sample[network, impl, int(batch)] = \
                1e9 / entry["samples_per_second"]
            if entry.get("run_type") == "aggregate":
                self.repetitions[network, part] = entry.get("repetitions")
            else:
                self.repetitions[network, part] = 1
        for key, reason in context.items():
            if key.startswith("skipped/"):
                net, impl, batch = key[len("skipped/"):].rsplit("/", 2)
                self.skipped[net, impl, int(batch)] = reason
                impls.add(impl)
            elif key.startswith("unavailable/"):
                net, impl = key[len("unavailable/"):].rsplit("/", 1)
                self.unavailable[net, impl] = reason
        self.ran[network, part] = impls

    def get(self, network, impl, batch):
        return self.ns_per_sample.get((network, impl, batch))

    def fastest_peer(self, network, batch):
        times = [(self.get(network, p, batch), p) for p in SWEEP_PEERS
                 if self.get(network, p, batch) is not None]
        return min(times) if times else None

    def frame_bytes(self, network):
        """sffnn's batch frame: M_B blocks of B 4-byte samples, or, where
        NAME_batch runs csr, one block per neuron (x[N])."""
        report = self.reports.get(network, {})
        if "batch_fast_memory" not in report or "batch_block" not in report:
            return None
        blocks = report["neurons"] if report.get("batch_codegen") == "csr" \
            else report["batch_fast_memory"]
        return blocks * report["batch_block"] * 4

    def peer_bytes(self, network, batch):
        """The activations one layer of a peer reads and writes at `batch`:
        (its columns + its rows) x batch x 4 bytes."""
        floats = self.layer_floats.get(network)
        return floats * batch * 4 if floats else None

    def level(self, size):
        """The smallest cache larger than `size` bytes, or DRAM: activations
        as large as a cache leave no room there for the weights."""
        for level, capacity in self.caches:
            if size < capacity:
                return "L%d" % level
        if self.caches and self.caches[-1][0] < 3:
            return "beyond L%d" % self.caches[-1][0]
        return "DRAM"


def sweep_section(directory, results):
    sweep = Sweep(directory)
    if not sweep.networks:
        return [], None
    peak = sweep.fma_peak or results.fma_peak()
    caches = ", ".join("L%d %s" % (level, fmt_bytes(size))
                       for level, size in sweep.caches)
    # Repetitions at the large batches: the most common, and the networks
    # with fewer (a call of 65,536 samples of gc-4096 takes about a minute).
    large = {n: r for (n, part), r in sweep.repetitions.items()
             if part == "large"}
    common = max(sorted(set(large.values())),
                 key=list(large.values()).count) if large else 3
    fewer = ", ".join("%s: %d" % (n, r) for n, r in large.items()
                      if r != common)
    lines = [
        "## Batch sweep",
        "",
        "`utils/benchmarks/sweep.sh` (step 8 of run-benchmarks.sh; it also "
        "runs alone and rewrites this page from the results already there): "
        "sffnn's default build (sffnn-default) against the layer-by-layer "
        "peers of the C++ benchmark (Eigen sparse and dense, GraphBLAS, "
        "MLIR's sparsifier) as the batch grows, one process per network and "
        "range of batches, side by side in it, outputs checked first as "
        "above. Batches 64 to 1,024: every peer, median of 3 repetitions. "
        "Batches 4,096 to 65,536: sffnn-default and the peers within 2x of "
        "the fastest peer at batch 1,024 (the others take seconds to minutes "
        "per call there), median of %d repetitions%s. PyTorch, in its own "
        "process, is not part of the sweep. The ratio is the "
        "fastest peer's time over sffnn-default's; the peak fraction is "
        "sffnn-default's connections per second over the FMA peak measured "
        "in the sweep (%.1f G FMA/s)." % (
            common, " (%s, where one call of the largest batch takes about "
            "a minute)" % fewer if fewer else "", peak / 1e9),
        "",
        "A peer runs one sparse product per layer over an N x batch state "
        "and keeps it until its process exits: the activations a layer "
        "reads and writes, (its columns + its rows) x batch x 4 bytes, the "
        "largest over the layers (\"peer activations\"), set the cache "
        "level they spill to, from the host's data caches (%s; %s). "
        "sffnn's `NAME_batch` runs blocks of B samples in a frame of M_B "
        "blocks (`sffnn-compile --report-json`: batch_fast_memory x "
        "batch_block x 4 bytes; N blocks, one per "
        "neuron, where it runs csr) that does not grow with the batch." %
        (caches or "unknown", sweep.cache_source),
        "",
    ]
    if sweep.load_averages:
        text = ("Run on %s. The 1-minute load average around the sweep's "
                "processes was %.2f to %.2f on %s cores" % (
                    sweep.date, min(sweep.load_averages),
                    max(sweep.load_averages),
                    results.baselines["context"]["num_cpus"]))
        if sweep.busy:
            text += ("; other commands then busy: %s. The sweep shared the "
                     "machine with them, so the ratios, measured side by "
                     "side, are the figures to read" %
                     ", ".join("`%s`" % c for c in sorted(sweep.busy)))
        lines += [text + ".", ""]
    for network in sweep.networks:
        report = sweep.reports.get(network, {})
        frame = sweep.frame_bytes(network)
        lines += [
            "### %s" % network,
            "",
            "sffnn-default: B = %s samples, M_B = %s blocks, `NAME_batch` "
            "runs %s; %s floats per sample in a peer's largest layer." % (
                report.get("batch_block", "?"),
                fmt_int(report["batch_fast_memory"])
                if "batch_fast_memory" in report else "?",
                report.get("batch_codegen", "?"),
                fmt_int(sweep.layer_floats[network])
                if network in sweep.layer_floats else "?"),
            "",
            "| batch | sffnn-default | of FMA peak | fastest peer | ratio | "
            "peer activations | spill to | sffnn frame |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for batch in SWEEP_BATCHES:
            ours = sweep.get(network, DEFAULT, batch)
            theirs = sweep.fastest_peer(network, batch)
            peer = sweep.peer_bytes(network, batch)
            cells = [fmt_int(batch)]
            if ours:
                cells += [fmt_time(ours), fmt_percent(
                    results.connections(network) / ours * 1e9 / peak)]
            else:
                cells += ["-", "-"]
            cells.append("%s (%s)" % (fmt_time(theirs[0]), theirs[1])
                         if theirs else "-")
            cells.append("%.2fx" % (theirs[0] / ours)
                         if ours and theirs else "-")
            cells += [fmt_bytes(peer) if peer else "-",
                      sweep.level(peer) if peer else "-",
                      fmt_bytes(frame) if frame else "-"]
            lines.append("| %s |" % " | ".join(cells))
        lines.append("")
    lines += sweep_skipped(sweep)
    lines += sweep_cachegrind(sweep)
    return lines, sweep


def sweep_skipped(sweep):
    """The (network, peer, batch) cells of the sweep without a figure."""
    lines = ["Cells without a figure:", ""]
    for network in sweep.networks:
        notes = {}  # why -> [(impl, batch)]
        for batch in SWEEP_BATCHES:
            part = "small" if batch <= 1024 else "large"
            for impl in (DEFAULT,) + SWEEP_PEERS:
                if sweep.get(network, impl, batch) is not None or \
                        (network, impl) in sweep.unavailable:
                    continue
                reason = sweep.skipped.get((network, impl, batch))
                if reason is None and (network, part) not in sweep.ran:
                    reason = "not run"
                elif reason is None and part == "large" and \
                        impl not in sweep.ran[network, part]:
                    reason = ("not run, more than 2x the fastest peer at "
                              "batch 1,024")
                elif reason is None:
                    reason = "not run"
                cap = re.search(r"--max-batch-(connections|state-mib)=(\S+)",
                                reason)
                if cap and cap.group(1) == "connections":
                    reason = "over %.2g multiply-adds per call" % float(
                        cap.group(2))
                elif cap:
                    reason = "batch state over %s MiB" % cap.group(2)
                notes.setdefault(reason, []).append((impl, batch))
        parts = ["%s never runs: %s." % (impl, why)
                 for (net, impl), why in sorted(sweep.unavailable.items())
                 if net == network]
        for why, cells in notes.items():
            impls = {}
            for impl, batch in cells:
                impls.setdefault(impl, []).append(batch)
            parts.append("%s%s: %s." % (why[0].upper(), why[1:], "; ".join(
                "%s at %s" % (impl, ", ".join(fmt_int(b) for b in batches))
                for impl, batches in impls.items())))
        if parts:
            lines.append("- %s: %s" % (network, " ".join(parts)))
    lines.append("")
    return lines


def sweep_cachegrind(sweep):
    data = sweep.cachegrind
    if not data:
        return []
    lines = [
        "### Where the traffic goes",
        "",
        "valgrind --tool=cachegrind on the build without AVX-512 "
        "(utils/benchmarks/cachegrind.py), D1 = %s and LL = %s (size, ways, "
        "line bytes: the host's L1d and, as the simulated last level, its "
        "L2), so an LL miss is a line fetched from L3 or DRAM; counts of one "
        "call in a warm steady state (the difference of runs with %d and %d "
        "calls). sffnn-default is built for x86-64-v3 there (8 lanes), so "
        "its B and M_B may differ from the table's." % (
            data["d1"], data["ll"], data["calls"][0], data["calls"][1]),
        "",
        "| network | implementation | batch | B x M_B | D1 misses per call "
        "| LL misses per call | D1 misses per sample | LL misses per sample |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in data["results"]:
        batch = row.get("batch", 1)
        plan = row.get("plan") or {}
        frame = "%d x %s" % (plan["batch_block"],
                             fmt_int(plan["batch_fast_memory"])) \
            if "batch_block" in plan else "-"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            row["network"], row["impl"], fmt_int(batch), frame,
            fmt_int(max(row["d1_misses"], 0)),
            fmt_int(max(row["lld_misses"], 0)),
            fmt_int(max(row["d1_misses"], 0) / batch),
            fmt_int(max(row["lld_misses"], 0) / batch)))
    lines.append("")
    # LL misses per sample at the largest batch over the smallest, per
    # implementation.
    per_sample = {}
    for row in data["results"]:
        batch = row.get("batch", 1)
        per_sample.setdefault((row["network"], row["impl"]), []).append(
            (batch, max(row["lld_misses"], 0) / batch))
    growth = []
    for (network, impl), points in per_sample.items():
        points.sort()
        if len(points) > 1 and points[0][1] > 0:
            growth.append("%s on %s, batch %s to %s: %s to %s (%.2fx)" % (
                impl, network, fmt_int(points[0][0]), fmt_int(points[-1][0]),
                fmt_int(points[0][1]), fmt_int(points[-1][1]),
                points[-1][1] / points[0][1]))
    if growth:
        lines += ["LL misses per sample: %s." % "; ".join(growth), ""]
    return lines


def plot_sweep(sweep, path):
    """Time per sample of sffnn-default and the fastest peer, and their
    ratio, against the batch."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.8))
    for network, color in zip(sweep.networks, ("C0", "C1", "C2")):
        ours, theirs, ratios = [], [], []
        for batch in SWEEP_BATCHES:
            t = sweep.get(network, DEFAULT, batch)
            peer = sweep.fastest_peer(network, batch)
            if t:
                ours.append((batch, t))
            if peer:
                theirs.append((batch, peer[0]))
            if t and peer:
                ratios.append((batch, peer[0] / t))
        left.plot([b for b, _ in ours], [t / 1e3 for _, t in ours],
                  marker="o", color=color, label="%s: sffnn-default" % network)
        left.plot([b for b, _ in theirs], [t / 1e3 for _, t in theirs],
                  marker="s", linestyle="--", color=color,
                  label="%s: fastest peer" % network)
        right.plot([b for b, _ in ratios], [r for _, r in ratios],
                   marker="o", color=color, label=network)
    for ax in (left, right):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(SWEEP_BATCHES, [fmt_int(b) for b in SWEEP_BATCHES])
        ax.set_xlabel("batch (samples per call)")
        ax.grid(True, which="both", alpha=0.3)
    left.set_ylabel("time per sample (us)")
    right.axhline(1.0, color="gray", linewidth=0.8)
    right.set_ylabel("fastest peer's time / sffnn-default's")
    fig.legend(*left.get_legend_handles_labels(), loc="lower center",
               ncol=3, fontsize=8)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_and_plan_sections(directory):
    lines = ["## Parsing a 1,000,000-connection network", "",
             "`sffnn-gen layered --widths=1000 (x11) --fan-in=100 --seed=7`, "
             "weights as `dense_resource` blobs; parse includes verification. "
             "Each format runs in its own process; peak RSS includes the "
             "loaded MLIR and LLVM libraries.", "",
             "| format | parse + verify (median of 5) | peak RSS |",
             "|---|---|---|"]
    for fmt in ("Text", "Bytecode"):
        runs = medians(load(directory, "parse-%s.json" % fmt))
        entry = runs["BM_Parse%s" % fmt]
        lines.append("| %s | %.1f ms | %.0f MiB |" % (
            fmt.lower(), ns(entry) / 1e6, entry["peak_rss_mib"]))
    lines += ["", "## Planning", "",
              "`bench/PlanBench.cpp`: the two-optimal order of random layered "
              "networks (10 layers, fan-in 100) planned with the Belady "
              "planner; \"count\" only counts I/Os, \"materialize\" also "
              "stores every plan step.", "",
              "| connections | count, M = 64 | count, host M | "
              "materialize, host M |", "|---|---|---|---|"]
    runs = medians(load(directory, "plan.json"))
    for size in (100000, 1000000, 10000000):
        cells = []
        for kind in ("BM_PlanCountM64", "BM_PlanCountL1",
                     "BM_PlanMaterializeL1"):
            entry = runs.get("%s/%d" % (kind, size))
            cells.append("%.1f ms (cost/LB %.3f)" % (
                ns(entry) / 1e6, entry["cost_per_LB"]) if entry else "-")
        lines.append("| %s | %s |" % (fmt_int(size), " | ".join(cells)))
    lines.append("")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--doc", required=True)
    parser.add_argument("--plots", required=True)
    args = parser.parse_args()
    results = Results(args.results)
    os.makedirs(args.plots, exist_ok=True)
    rel = os.path.relpath(args.plots, os.path.dirname(args.doc))
    plot_speedups(results, os.path.join(args.plots, "speedup.png"))
    has_misses = plot_misses(args.results, results,
                             os.path.join(args.plots, "misses.png"))
    try:
        revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True,
                                  check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        revision = "unknown"

    doc = [
        "# Benchmarks",
        "",
        "Generated by `bash utils/run-benchmarks.sh` (revision %s, %s); do "
        "not edit by hand. That one command installs the baselines, builds, "
        "generates the networks, runs everything below on this machine and "
        "rewrites this page and its plots; raw results are in "
        "`build/bench-results/`." % (revision,
                                    results.baselines["context"]["date"]),
        "",
        "The Sparse DNN Graph Challenge, on every core and with its own "
        "input set, has its own command and page: "
        "[graph-challenge.md](graph-challenge.md).",
        "",
    ]
    doc += machine_section(results)
    doc += networks_section(args.results)
    doc += goals_section(results)
    doc += [
        "## Inference, side by side",
        "",
        "One process, one run (`bench/BaselineBench.cpp`, Google Benchmark, "
        "median of %d repetitions%s), same inputs; before anything is timed, "
        "every implementation's outputs on 64 samples, in batches of 1 and "
        "64 and, for larger batches, on the 64 samples repeated, are checked "
        "against the double-precision reference evaluator (normwise, 1e-4). "
        "PyTorch runs in its own process (`bench/torch-baseline.py`, same "
        "reference check, median of 3). Cells too large for the run's caps "
        "are not run and show -; the list follows the tables." % (
            results.repetitions,
            ", interleaved at random with every other cell's "
            "(`--benchmark_enable_random_interleaving`)"
            if results.interleaved else ""),
        "",
        "- **sffnn-default**: what `sffnn-compile` builds with its defaults "
        "(anneal order, `--codegen auto`: straight-line code or loops for one "
        "sample; for batches the plan's rows or tiles, or csr where the batch "
        "plan never evicts; docs/codegen.md).",
        "- **sffnn-anneal-straight / sffnn-anneal-loops / sffnn-two-optimal**: "
        "sffnn's plans (simulated annealing, 20,000 moves, or the two-optimal "
        "order) at the host's M, as straight-line code (small networks "
        "only) or table-driven loops; JIT-compiled at -O3 for the host CPU.",
        "- **sffnn-csr**: sffnn's layerwise CSR lowering, the standard "
        "layer-by-layer inference through the same back end.",
        "- **eigen-sparse / eigen-dense**: Eigen %s, row-major sparse (or "
        "dense) matrix per layer, -O3 -march=native." % "3.4",
        "- **graphblas**: SuiteSparse:GraphBLAS 7.4 (Debian build), one "
        "thread, GrB_mxm per layer as Graph Challenge entries do; chains of "
        "layers only.",
        "- **mlir-sparsifier**: MLIR 22's sparse compiler: linalg.matvec / "
        "a matmul-shaped linalg.generic on #sparse_tensor CSR tensors, "
        "`sparsifier` pipeline, JIT; networks of at most a few thousand "
        "layers.",
        "- **torch-csr / torch-dense**: PyTorch %s (Debian, no MKL), one "
        "thread, `torch.addmm` on CSR weights / `F.linear` on dense ones." %
        results.torch["machine"].get("torch", "?"),
        "",
        "Layers of a DAG that is not a chain (the io-optimal networks) are "
        "its levels: the baselines run one sparse product per level.",
        "",
        "### Summary",
        "",
        "Time per sample of the best sffnn plan and of the fastest baseline, "
        "each with its connections per second as a fraction of the FMA "
        "peak, the speedup, sffnn-csr's time over the best plan's, and the "
        "weight bytes the best plan streams per second (4 bytes per "
        "connection per call) over the read bandwidth.",
        "",
    ]
    doc += summary_table(results)
    doc += ["![speedup over the fastest baseline](%s/speedup.png)" % rel, ""]
    doc += ["### Every implementation", "",
            "Each cell: time per sample, connections per second (Gc/s = "
            "10^9), speedup over the fastest baseline at that batch size, "
            "connections per second as a fraction of the FMA peak.",
            ""]
    for network in results.networks:
        doc += network_table(results, network)
    doc += skipped_section(results)
    doc += limits_section(results)
    doc += io_model_section(results)
    doc += cachegrind_section(args.results, results)
    if has_misses:
        doc += ["![measured D1 misses vs predicted I/O](%s/misses.png)" % rel,
                ""]
    doc += threads_section(args.results, results)
    sweep_lines, sweep = sweep_section(args.results, results)
    if sweep:
        plot_sweep(sweep, os.path.join(args.plots, "sweep.png"))
        doc += sweep_lines
        doc += ["![time per sample and ratio against the batch](%s/sweep.png)"
                % rel, ""]
    doc += parse_and_plan_sections(args.results)
    with open(args.doc, "w", encoding="utf-8") as f:
        f.write("\n".join(doc))
    print("wrote %s and %s/" % (args.doc, args.plots))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""PyTorch inference baseline for sparse feed-forward networks.

Times single-threaded PyTorch inference of each network two ways, for
batches of 1, 64, 1024 and 16384 samples:

- ``torch-csr``: every layer's weights as a ``torch.sparse_csr_tensor``
  (float32), y = act(W @ x + b) with x of shape (inputs, batch);
- ``torch-dense``: every layer's weights as a dense float32 tensor,
  y = act(x @ W^T + b) (``torch.nn.functional.linear``); skipped when the
  dense weights would exceed 2 GiB.

Networks (NAME=PATH) are the TSV network directories sffnn writes
(``sffnn-gen --emit=tsv``, ``sffnn-translate --export-tsv``;
docs/generators.md, section 2), in the "layered" or the "graph" format:
models in other formats are exported by sffnn first, so this script reads
only what sffnn exports. A "graph" network is a DAG; it runs level
by level (level(input) = 0, level(v) = 1 + the largest level of its
sources), one sparse product per level, reading the contiguous range of
earlier state positions its sources span. Deep DAGs give many narrow
levels: the per-level overhead is part of the result.

An implementation skips a batch size (the result says why) where one call
would perform more than --max-batch-connections multiply-adds (connections
x batch for torch-csr, dense weights x batch for torch-dense) or where the
activations of one call would take more than --max-batch-state-mib MiB
(the state of a graph network, the widest layer's input and output for a
chain), as sffnn-bench-baselines does with the same flags.

Before any timing, every implementation runs the 64 reference samples
(REFERENCE_DIR/NAME.in.f32, 64 x inputs little-endian float32, sample-major)
in every batch size it runs (a batch larger than 64 is the 64 samples
repeated, and every repetition is compared) and must match
REFERENCE_DIR/NAME.out.f32 within 1e-4 * max(1, max |ref|); otherwise the
script exits with status 1.

Each (network, implementation, batch) is timed with time.perf_counter:
after one warm-up call, calls repeat until --min-time seconds have elapsed,
--repetitions times;
the median time per call is reported, with the time per sample and the
connections per second (non-zero weights x samples / time, for both
implementations). The JSON file holds "machine", "networks" (sizes and the
number of sparse products) and "results".

Usage (with Debian's interpreter, which has torch):

    /usr/bin/python3 bench/torch-baseline.py --reference-dir DIR \\
        --out results.json NAME=PATH [NAME=PATH ...] \\
        [--min-time SECONDS] [--repetitions R] \\
        [--max-batch-connections N] [--max-batch-state-mib MIB]
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

BATCHES = (1, 64, 1024, 16384)
REFERENCE_SAMPLES = 64
RELATIVE_TOLERANCE = 1e-4
DENSE_LIMIT_BYTES = 2 << 30
IMPLEMENTATIONS = ("torch-csr", "torch-dense")

# Activation kinds as spelled in TSV headers, with their parameter counts.
ACTIVATION_PARAMS = {
    "identity": 0,
    "relu": 0,
    "clamp": 2,
    "sigmoid": 0,
    "tanh": 0,
    "leaky_relu": 1,
}

# An activation: (kind, params), params as floats rounded to float32.
Activation = Tuple[str, Tuple[float, ...]]
IDENTITY: Activation = ("identity", ())


class NetworkError(Exception):
    """A network or reference file that cannot be read or is not supported."""


@dataclass
class Step:
    """One sparse product: rows = act(W @ state[src_begin:src_end] + bias).

    W is in CSR form (indptr, indices, values) with rows x
    (src_end - src_begin) entries, column indices relative to src_begin.
    `segments` are (begin, end, activation) runs covering the rows. The
    results go to state positions dst_begin .. dst_begin + rows (graph
    networks only; chains feed each step the previous step's rows).
    """
    rows: int
    src_begin: int
    src_end: int
    dst_begin: int
    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    bias: np.ndarray
    segments: List[Tuple[int, int, Activation]]

    @property
    def cols(self) -> int:
        """Width of the source range."""
        return self.src_end - self.src_begin

    def dense(self) -> np.ndarray:
        """The weights as a dense (rows, cols) float32 matrix."""
        matrix = np.zeros((self.rows, self.cols), dtype=np.float32)
        row_ids = np.repeat(np.arange(self.rows), np.diff(self.indptr))
        matrix[row_ids, self.indices] = self.values
        return matrix


@dataclass
class Network:
    """A network ready to run: a chain of layers or the levels of a DAG."""
    name: str
    kind: str  # "tsv-layered" or "tsv-graph"
    num_inputs: int
    num_outputs: int
    steps: List[Step]
    chain: bool
    state_size: int = 0  # graph networks: inputs + computed neurons
    outputs: Optional[np.ndarray] = None  # graph networks: state positions

    @property
    def connections(self) -> int:
        """Number of non-zero weights."""
        return sum(int(step.values.size) for step in self.steps)

    @property
    def dense_bytes(self) -> int:
        """Bytes of the dense float32 weight matrices."""
        return sum(4 * step.rows * step.cols for step in self.steps)

    @property
    def state_floats(self) -> int:
        """Activations one sample keeps during a call: the state of a graph
        network, the largest input plus output of a layer of a chain."""
        if not self.chain:
            return self.state_size
        return max(step.cols + step.rows for step in self.steps)


# ---------------------------------------------------------------------------
# Reading networks
# ---------------------------------------------------------------------------

def float32(value: float) -> float:
    """Rounds `value` to the nearest float32 (as the C++ readers store it)."""
    return float(np.float32(value))


def segments_of(codes: np.ndarray,
                activations: Sequence[Activation]) -> List[Tuple[int, int, Activation]]:
    """Maximal runs of equal activation codes as (begin, end, activation)."""
    if codes.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [codes.size]))
    return [(int(b), int(e), activations[int(codes[b])])
            for b, e in zip(starts, ends)]


def read_table(path: str, columns: int, optional: bool = False) -> np.ndarray:
    """Reads whitespace-separated numbers, `columns` per line, as float64.

    Empty lines and lines starting with '#' or '%' are skipped. A missing
    file is an empty table if `optional`, else an error.
    """
    if not os.path.exists(path):
        if optional:
            return np.zeros((0, columns))
        raise NetworkError(f"cannot read '{path}': no such file")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if "#" in text or "%" in text:
        text = "\n".join(line for line in text.splitlines()
                         if not line.lstrip().startswith(("#", "%")))
    tokens = text.split()
    if len(tokens) % columns:
        raise NetworkError(f"{path}: expected {columns} fields per line")
    try:
        table = np.array(tokens, dtype=np.float64).reshape(-1, columns)
    except ValueError as error:
        raise NetworkError(f"{path}: malformed number ({error})")
    if not np.isfinite(table).all():
        raise NetworkError(f"{path}: a value is not finite")
    return table


def indices_of(column: np.ndarray, limit: int, path: str, what: str) -> np.ndarray:
    """1-based ids in `column` as 0-based int64, checked to lie in 1..limit."""
    ids = column.astype(np.int64)
    if ids.size and (np.any(ids != column) or ids.min() < 1 or ids.max() > limit):
        raise NetworkError(f"{path}: {what} must be integers in 1..{limit}")
    return ids - 1


def parse_activation(words: Sequence[str], where: str) -> Activation:
    """Parses 'KIND [PARAMS]' of a network.txt line."""
    if not words or words[0] not in ACTIVATION_PARAMS:
        raise NetworkError(f"{where}: unknown activation "
                           f"'{' '.join(words)}' (expected one of "
                           f"{', '.join(ACTIVATION_PARAMS)})")
    kind, params = words[0], words[1:]
    if len(params) != ACTIVATION_PARAMS[kind]:
        raise NetworkError(f"{where}: {kind} takes {ACTIVATION_PARAMS[kind]} "
                           f"parameter(s)")
    try:
        return kind, tuple(float32(float(p)) for p in params)
    except ValueError:
        raise NetworkError(f"{where}: malformed parameter in '{' '.join(words)}'")


def read_header(directory: str) -> Tuple[dict, list]:
    """Reads network.txt: the single-valued keys and the repeated lines.

    Returns ({key: int or str}, [(line number, words)] of 'layer' and
    'activation' lines).
    """
    path = os.path.join(directory, "network.txt")
    if not os.path.exists(path):
        raise NetworkError(f"'{directory}' has no network.txt (not a TSV "
                           "network directory written by sffnn)")
    keys, repeated = {}, []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if words[0] in ("layer", "activation"):
                repeated.append((f"{path}:{number}", words))
            elif len(words) == 2 and words[0] == "format":
                keys["format"] = words[1]
            elif len(words) == 2 and words[0] in ("inputs", "layers", "neurons"):
                try:
                    keys[words[0]] = int(words[1])
                except ValueError:
                    raise NetworkError(f"{path}:{number}: malformed '{line.strip()}'")
            else:
                raise NetworkError(f"{path}:{number}: unknown line '{line.strip()}'")
    if keys.get("inputs", 0) < 1:
        raise NetworkError(f"{path}: needs 'inputs N' with N >= 1")
    return keys, repeated


def read_tsv_layered(name: str, directory: str, keys: dict, lines: list) -> Network:
    """Reads the layered TSV format (layer-<l>.tsv, bias-<l>.tsv)."""
    num_layers = keys.get("layers", 0)
    header = os.path.join(directory, "network.txt")
    if num_layers < 1:
        raise NetworkError(f"{header}: needs 'layers L' with L >= 1")
    widths, activations = [keys["inputs"]], []
    for where, words in lines:
        if (len(words) < 6 or words[0] != "layer" or words[2] != "neurons"
                or words[4] != "activation"
                or words[1] != str(len(widths))):
            raise NetworkError(f"{where}: expected 'layer {len(widths)} neurons "
                               "N activation KIND [PARAMS]'")
        try:
            widths.append(int(words[3]))
        except ValueError:
            raise NetworkError(f"{where}: malformed neuron count")
        if widths[-1] < 1:
            raise NetworkError(f"{where}: a layer needs at least one neuron")
        activations.append(parse_activation(words[5:], where))
    if len(activations) != num_layers:
        raise NetworkError(f"{header}: {len(activations)} layer lines for "
                           f"{num_layers} layers")
    steps = []
    for l in range(1, num_layers + 1):
        rows, cols = widths[l], widths[l - 1]
        path = os.path.join(directory, f"layer-{l}.tsv")
        table = read_table(path, 3)
        source = indices_of(table[:, 0], cols, path, "rows (sources)")
        target = indices_of(table[:, 1], rows, path, "columns (targets)")
        values = table[:, 2].astype(np.float32)
        keep = values != 0
        source, target, values = source[keep], target[keep], values[keep]
        order = np.lexsort((source, target))
        source, target, values = source[order], target[order], values[order]
        if np.any((np.diff(target) == 0) & (np.diff(source) == 0)):
            raise NetworkError(f"{path}: duplicate entry")
        indptr = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(target, minlength=rows), out=indptr[1:])
        bias_path = os.path.join(directory, f"bias-{l}.tsv")
        bias_table = read_table(bias_path, 2)
        bias = np.zeros(rows, dtype=np.float32)
        bias[indices_of(bias_table[:, 0], rows, bias_path, "neurons")] = \
            bias_table[:, 1].astype(np.float32)
        steps.append(Step(rows, 0, cols, 0, indptr, source, values, bias,
                          [(0, rows, activations[l - 1])]))
    return Network(name, "tsv-layered", widths[0], widths[-1], steps, chain=True)


def concatenated_ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of arange(s, e) over the pairs of starts and ends."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])),
                        lengths)
    return offsets + np.arange(total)


def dag_levels(num_inputs: int, num_neurons: int, source: np.ndarray,
               target: np.ndarray, where: str) -> np.ndarray:
    """Level of every neuron: 0 for inputs, 1 + max level of its sources.

    Kahn's algorithm, one frontier per level. Raises on a cycle.
    """
    by_source = np.argsort(source, kind="stable")
    targets_by_source = target[by_source]
    out_ptr = np.zeros(num_neurons + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=num_neurons), out=out_ptr[1:])
    pending = np.bincount(target, minlength=num_neurons)
    level = np.full(num_neurons, -1, dtype=np.int64)
    level[:num_inputs] = 0
    frontier = np.arange(num_inputs)
    sourceless = np.flatnonzero(pending[num_inputs:] == 0) + num_inputs
    depth = 0
    while frontier.size:
        reached = targets_by_source[concatenated_ranges(out_ptr[frontier],
                                                        out_ptr[frontier + 1])]
        ready = np.zeros(0, dtype=np.int64)
        if reached.size:
            neurons, counts = np.unique(reached, return_counts=True)
            pending[neurons] -= counts
            ready = neurons[pending[neurons] == 0]
        if depth == 0:
            ready = np.union1d(ready, sourceless)
        depth += 1
        level[ready] = depth
        frontier = ready
    if np.any(level < 0):
        raise NetworkError(f"{where}: the graph has a cycle")
    return level


def read_tsv_graph(name: str, directory: str, keys: dict, lines: list) -> Network:
    """Reads the neuron-level TSV format and splits it into DAG levels."""
    num_inputs = keys["inputs"]
    num_neurons = keys.get("neurons", 0)
    header = os.path.join(directory, "network.txt")
    if num_neurons <= num_inputs:
        raise NetworkError(f"{header}: needs 'neurons N' with N > inputs")
    # Activations: a code per neuron into a list of distinct activations.
    activations: List[Activation] = []
    codes = np.full(num_neurons, -1, dtype=np.int64)
    for where, words in lines:
        if words[0] != "activation" or len(words) < 4:
            raise NetworkError(f"{where}: expected 'activation FIRST LAST KIND "
                               "[PARAMS]'")
        try:
            first, last = int(words[1]), int(words[2])
        except ValueError:
            raise NetworkError(f"{where}: malformed neuron range")
        if not num_inputs < first <= last <= num_neurons:
            raise NetworkError(f"{where}: the range must lie in "
                               f"{num_inputs + 1}..{num_neurons}")
        activation = parse_activation(words[3:], where)
        if activation not in activations:
            activations.append(activation)
        if np.any(codes[first - 1:last] >= 0):
            raise NetworkError(f"{where}: overlaps an earlier activation line")
        codes[first - 1:last] = activations.index(activation)
    if np.any(codes[num_inputs:] < 0):
        raise NetworkError(f"{header}: neuron "
                           f"{int(np.flatnonzero(codes[num_inputs:] < 0)[0]) + num_inputs + 1}"
                           " has no activation line")

    path = os.path.join(directory, "graph.tsv")
    table = read_table(path, 3)
    source = indices_of(table[:, 0], num_neurons, path, "sources")
    target = indices_of(table[:, 1], num_neurons, path, "targets")
    weight = table[:, 2].astype(np.float32)
    if np.any(target < num_inputs):
        raise NetworkError(f"{path}: an input (1..{num_inputs}) is a target")
    keep = weight != 0
    source, target, weight = source[keep], target[keep], weight[keep]
    bias_path = os.path.join(directory, "bias.tsv")
    bias_table = read_table(bias_path, 2)
    bias_ids = indices_of(bias_table[:, 0], num_neurons, bias_path, "neurons")
    if np.any(bias_ids < num_inputs):
        raise NetworkError(f"{bias_path}: an input has a bias")
    bias = np.zeros(num_neurons, dtype=np.float32)
    bias[bias_ids] = bias_table[:, 1].astype(np.float32)
    outputs_path = os.path.join(directory, "outputs.tsv")
    outputs = indices_of(read_table(outputs_path, 1)[:, 0], num_neurons,
                         outputs_path, "outputs")
    if outputs.size == 0:
        raise NetworkError(f"{outputs_path}: the network has no outputs")

    level = dag_levels(num_inputs, num_neurons, source, target, path)
    # Renumber level by level, by id within a level (inputs first).
    order = np.lexsort((np.arange(num_neurons), level))
    position = np.empty(num_neurons, dtype=np.int64)
    position[order] = np.arange(num_neurons)
    src_pos, tgt_pos = position[source], position[target]
    edge_order = np.lexsort((src_pos, tgt_pos))
    src_pos, tgt_pos, weight = src_pos[edge_order], tgt_pos[edge_order], weight[edge_order]
    if np.any((np.diff(tgt_pos) == 0) & (np.diff(src_pos) == 0)):
        raise NetworkError(f"{path}: duplicate connection")
    sorted_levels = level[order]
    depth = int(sorted_levels[-1])
    level_begin = np.searchsorted(sorted_levels, np.arange(depth + 2))
    edge_begin = np.searchsorted(tgt_pos, level_begin)
    steps = []
    for k in range(1, depth + 1):
        begin, end = int(level_begin[k]), int(level_begin[k + 1])
        e0, e1 = int(edge_begin[k]), int(edge_begin[k + 1])
        sources = src_pos[e0:e1]
        lo = int(sources.min()) if sources.size else 0
        hi = int(sources.max()) + 1 if sources.size else 1
        indptr = np.searchsorted(tgt_pos[e0:e1], np.arange(begin, end + 1)).astype(np.int64)
        neurons = order[begin:end]
        steps.append(Step(end - begin, lo, hi, begin, indptr, sources - lo,
                          weight[e0:e1], bias[neurons],
                          segments_of(codes[neurons], activations)))
    return Network(name, "tsv-graph", num_inputs, int(outputs.size), steps,
                   chain=False, state_size=num_neurons, outputs=position[outputs])


def read_network(name: str, path: str) -> Network:
    """Reads the network at `path`, a TSV network directory sffnn wrote."""
    if not os.path.isdir(path):
        raise NetworkError(f"'{path}' is not a directory written by "
                           "sffnn-gen --emit=tsv or sffnn-translate --export-tsv")
    keys, lines = read_header(path)
    form = keys.get("format")
    if form == "layered":
        return read_tsv_layered(name, path, keys, lines)
    if form == "graph":
        return read_tsv_graph(name, path, keys, lines)
    raise NetworkError(f"{path}/network.txt: unknown format '{form}' "
                       "(expected layered or graph)")


# ---------------------------------------------------------------------------
# PyTorch models
# ---------------------------------------------------------------------------

def activate_(tensor: torch.Tensor, activation: Activation) -> None:
    """Applies `activation` to `tensor` in place."""
    kind, params = activation
    if kind == "relu":
        tensor.relu_()
    elif kind == "clamp":
        tensor.clamp_(params[0], params[1])
    elif kind == "sigmoid":
        tensor.sigmoid_()
    elif kind == "tanh":
        tensor.tanh_()
    elif kind == "leaky_relu":
        F.leaky_relu_(tensor, params[0])


def make_activation(segments: List[Tuple[int, int, Activation]],
                    dim: int) -> Callable[[torch.Tensor], None]:
    """An in-place activation of a step's rows along dimension `dim`."""
    segments = [s for s in segments if s[2] != IDENTITY]
    if not segments:
        return lambda tensor: None
    if len(segments) == 1 and segments[0][0] == 0:
        rows_of = segments[0][1]
        whole = segments[0][2]

        def whole_rows(tensor: torch.Tensor) -> None:
            if tensor.shape[dim] == rows_of:
                activate_(tensor, whole)
            else:
                activate_(tensor.narrow(dim, 0, rows_of), whole)
        return whole_rows

    def per_segment(tensor: torch.Tensor) -> None:
        for begin, end, activation in segments:
            activate_(tensor.narrow(dim, begin, end - begin), activation)
    return per_segment


class CsrModel:
    """torch.sparse CSR inference; activations are (neurons, batch).

    Each step is one torch.addmm(bias, W_csr, x): on this CPU build (no MKL)
    torch.sparse.mm, W @ x, torch.mm + add_ and torch.addmm all end in the
    same native CSR kernel and timed within noise of each other; addmm also
    adds the bias in the same call and, for DAG levels, writes straight
    into the state (out=), so it is the one kept. torch.mv (a batch of 1 as
    a vector) needs MKL on sparse CPU tensors and is not available.
    """

    def __init__(self, network: Network):
        self.network = network
        self.layers = []
        for step in network.steps:
            weight = torch.sparse_csr_tensor(
                torch.from_numpy(step.indptr.astype(np.int64)),
                torch.from_numpy(step.indices.astype(np.int64)),
                torch.from_numpy(step.values.astype(np.float32)),
                size=(step.rows, step.cols))
            bias = torch.from_numpy(step.bias.astype(np.float32)).reshape(-1, 1)
            self.layers.append((step, weight, bias, make_activation(step.segments, 0)))
        if not network.chain:
            self.outputs = torch.from_numpy(network.outputs)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs (batch, outputs) for inputs (batch, inputs)."""
        if self.network.chain:
            h = x.t().contiguous()
            for _, weight, bias, activation in self.layers:
                h = torch.addmm(bias, weight, h)
                activation(h)
            return h.t().contiguous()
        state = torch.empty(self.network.state_size, x.shape[0])
        state[:self.network.num_inputs] = x.t()
        for step, weight, bias, activation in self.layers:
            rows = state[step.dst_begin:step.dst_begin + step.rows]
            torch.addmm(bias, weight, state[step.src_begin:step.src_end], out=rows)
            activation(rows)
        return state.index_select(0, self.outputs).t().contiguous()


class DenseModel:
    """Dense float32 inference: x @ W^T + b; activations are (batch, neurons)."""

    def __init__(self, network: Network):
        self.network = network
        self.layers = []
        for step in network.steps:
            weight = torch.from_numpy(step.dense())
            bias = torch.from_numpy(step.bias.astype(np.float32))
            self.layers.append((step, weight, bias, make_activation(step.segments, 1)))
        if not network.chain:
            self.outputs = torch.from_numpy(network.outputs)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs (batch, outputs) for inputs (batch, inputs)."""
        if self.network.chain:
            h = x
            for _, weight, bias, activation in self.layers:
                h = F.linear(h, weight, bias)
                activation(h)
            return h
        state = torch.empty(x.shape[0], self.network.state_size)
        state[:, :self.network.num_inputs] = x
        for step, weight, bias, activation in self.layers:
            y = F.linear(state[:, step.src_begin:step.src_end], weight, bias)
            activation(y)
            state[:, step.dst_begin:step.dst_begin + step.rows] = y
        return state.index_select(1, self.outputs)


def build_models(network: Network) -> List[Tuple[str, Optional[object], Optional[str]]]:
    """(impl, model or None, reason skipped or None) for each implementation."""
    models = [("torch-csr", CsrModel(network), None)]
    if network.dense_bytes > DENSE_LIMIT_BYTES:
        models.append(("torch-dense", None,
                       f"dense weights would take {network.dense_bytes / 2**30:.2f} "
                       f"GiB > {DENSE_LIMIT_BYTES / 2**30:.0f} GiB"))
    else:
        models.append(("torch-dense", DenseModel(network), None))
    return models


# ---------------------------------------------------------------------------
# Checking and timing
# ---------------------------------------------------------------------------

def read_references(directory: str, network: Network) -> Tuple[np.ndarray, np.ndarray]:
    """The reference inputs and outputs of `network`, (64, n) float32 each."""
    arrays = []
    for suffix, width in (("in", network.num_inputs), ("out", network.num_outputs)):
        path = os.path.join(directory, f"{network.name}.{suffix}.f32")
        if not os.path.isfile(path):
            raise NetworkError(f"missing reference file '{path}'")
        data = np.fromfile(path, dtype="<f4")
        if data.size != REFERENCE_SAMPLES * width:
            raise NetworkError(f"'{path}' has {data.size} floats; expected "
                               f"{REFERENCE_SAMPLES} x {width} = "
                               f"{REFERENCE_SAMPLES * width}")
        arrays.append(data.reshape(REFERENCE_SAMPLES, width).astype(np.float32))
    return arrays[0], arrays[1]


def skip_reason(network: Network, impl: str, batch: int,
                args: argparse.Namespace) -> Optional[str]:
    """Why `impl` does not run `network` at `batch`, or None if it does."""
    weights = network.connections
    if impl == "torch-dense":
        weights = network.dense_bytes // 4
    fmas = weights * batch
    if fmas > args.max_batch_connections:
        return (f"{fmas:.2e} multiply-adds per call > "
                f"--max-batch-connections={args.max_batch_connections:.2e}")
    mib = network.state_floats * batch * 4 / 2**20
    if mib > args.max_batch_state_mib:
        return (f"{mib:.0f} MiB of batch state > "
                f"--max-batch-state-mib={args.max_batch_state_mib}")
    return None


def batch_inputs(inputs: np.ndarray, batch: int) -> np.ndarray:
    """The first `batch` reference samples, repeated as often as needed."""
    copies = -(-batch // REFERENCE_SAMPLES)
    return np.ascontiguousarray(np.tile(inputs, (copies, 1))[:batch])


def check(network: Network, impl: str, model, inputs: np.ndarray,
          expected: np.ndarray, batches: Sequence[int]) -> None:
    """Runs all reference samples in each of `batches` (a larger batch
    repeats them, and every repetition is compared); exits 1 on mismatch."""
    tolerance = RELATIVE_TOLERANCE * max(1.0, float(np.abs(expected).max()))
    for batch in batches:
        if batch > REFERENCE_SAMPLES:
            x = torch.from_numpy(batch_inputs(inputs, batch))
            with torch.inference_mode():
                y = model(x).numpy().reshape(-1, REFERENCE_SAMPLES,
                                             expected.shape[1])
        else:
            x = torch.from_numpy(inputs)
            with torch.inference_mode():
                y = torch.cat([model(x[i:i + batch])
                               for i in range(0, REFERENCE_SAMPLES,
                                              batch)]).numpy()
        error = float(np.abs(y.astype(np.float64) - expected).max())
        if not error <= tolerance:  # also catches NaN
            print(f"error: {network.name}: {impl}, batch {batch}: outputs differ "
                  f"from the reference: max |y - ref| = {error:.3g} > "
                  f"{tolerance:.3g}", file=sys.stderr)
            sys.exit(1)


def time_call(model, x: torch.Tensor, min_time: float) -> float:
    """Seconds per call of model(x), calling it until `min_time` elapses."""
    with torch.inference_mode():
        calls, chunk = 0, 1
        start = time.perf_counter()
        while True:
            for _ in range(chunk):
                model(x)
            calls += chunk
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                return elapsed / calls
            # Aim at the remaining time, growing by at most 4x per chunk.
            remaining = (min_time - elapsed) / (elapsed / calls)
            chunk = max(1, min(4 * calls, int(remaining) + 1))


def machine_info(csr_op: str) -> dict:
    """What the results were measured on."""
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "machine": platform.machine(),
        "system": platform.system(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "torch_mkl": torch.backends.mkl.is_available(),
        "threads": torch.get_num_threads(),
        "csr_op": csr_op,
    }


def parse_networks(specs: Sequence[str]) -> List[Tuple[str, str]]:
    """Splits NAME=PATH arguments, checking that names are unique."""
    result, seen = [], set()
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path or os.sep in name:
            raise NetworkError(f"expected NAME=PATH, got '{spec}'")
        if name in seen:
            raise NetworkError(f"network name '{name}' given twice")
        seen.add(name)
        result.append((name, path))
    return result


def print_table(results: List[dict]) -> None:
    """Prints the results as a table."""
    print(f"{'network':<20} {'impl':<12} {'batch':>5} {'us/call':>12} "
          f"{'ns/sample':>12} {'Gconn/s':>8}")
    for r in results:
        head = f"{r['network']:<20} {r['impl']:<12} {r['batch']:>5} "
        if "skipped" in r:
            print(head + f"skipped: {r['skipped']}")
        else:
            print(head + f"{r['ns_per_call'] / 1e3:>12.2f} {r['ns_per_sample']:>12.1f} "
                  f"{r['connections_per_second'] / 1e9:>8.3f}")


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Time PyTorch inference (torch.sparse CSR and dense) of "
                    "sparse networks, single-threaded, batches of 1, 64, "
                    "1024 and 16384.")
    parser.add_argument("networks", nargs="+", metavar="NAME=PATH",
                        help="a TSV network directory written by sffnn")
    parser.add_argument("--reference-dir", required=True,
                        help="directory with NAME.in.f32 and NAME.out.f32 "
                             f"({REFERENCE_SAMPLES} samples each)")
    parser.add_argument("--out", required=True, help="JSON results file")
    parser.add_argument("--min-time", type=float, default=0.5,
                        help="seconds of calls per measurement (default 0.5)")
    parser.add_argument("--repetitions", type=int, default=3,
                        help="measurements per case; the median is reported "
                             "(default 3)")
    # gc-1024 (3,932,160 connections) at 16384 samples is 6.44e10.
    parser.add_argument("--max-batch-connections", type=float, default=6.5e10,
                        help="skip a batch size at which one call performs "
                             "more multiply-adds than this: connections x "
                             "batch (dense weights x batch for torch-dense) "
                             "(default 6.5e10)")
    parser.add_argument("--max-batch-state-mib", type=int, default=1024,
                        help="skip a batch size at which the activations of "
                             "one call would take more MiB (default 1024)")
    args = parser.parse_intermixed_args(argv)
    if not args.min_time > 0:
        parser.error("--min-time must be positive")
    if args.repetitions < 1:
        parser.error("--repetitions must be at least 1")
    if not args.max_batch_connections > 0 or args.max_batch_state_mib < 1:
        parser.error("--max-batch-connections and --max-batch-state-mib "
                     "must be positive")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Reads, checks and times every network; writes the JSON results."""
    args = parse_args(argv)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")

    try:
        networks = [read_network(name, path)
                    for name, path in parse_networks(args.networks)]
        references = [read_references(args.reference_dir, n) for n in networks]
    except NetworkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    # Check every implementation before timing anything.
    all_models = []
    for network, (inputs, expected) in zip(networks, references):
        models = build_models(network)
        for impl, model, _ in models:
            if model is not None:
                check(network, impl, model, inputs, expected,
                      [b for b in BATCHES
                       if skip_reason(network, impl, b, args) is None])
        all_models.append(models)
        print(f"{network.name}: {network.kind}, {network.num_inputs} inputs, "
              f"{network.num_outputs} outputs, {network.connections} connections, "
              f"{len(network.steps)} sparse products; outputs match the reference",
              flush=True)

    results = []
    for network, (inputs, _), models in zip(networks, references, all_models):
        for impl, model, skipped in models:
            for batch in BATCHES:
                entry = {"network": network.name, "impl": impl, "batch": batch,
                         "connections": network.connections,
                         "steps": len(network.steps)}
                reason = skipped or skip_reason(network, impl, batch, args)
                if model is None or reason:
                    entry["skipped"] = reason
                    print(f"{network.name}/{impl}/{batch}: batch skipped: "
                          f"{reason}", file=sys.stderr, flush=True)
                else:
                    x = torch.from_numpy(batch_inputs(inputs, batch))
                    with torch.inference_mode():
                        model(x)  # warm-up
                    seconds = [time_call(model, x, args.min_time)
                               for _ in range(args.repetitions)]
                    ns_per_call = statistics.median(seconds) * 1e9
                    entry.update({
                        "ns_per_call": ns_per_call,
                        "ns_per_sample": ns_per_call / batch,
                        "connections_per_second":
                            network.connections * batch / (ns_per_call * 1e-9),
                        "ns_per_call_repetitions": [s * 1e9 for s in seconds],
                    })
                results.append(entry)

    report = {
        "machine": machine_info("torch.addmm(bias, W_csr, x)"),
        "min_time": args.min_time,
        "repetitions": args.repetitions,
        "max_batch_connections": args.max_batch_connections,
        "max_batch_state_mib": args.max_batch_state_mib,
        "networks": [{"network": n.name, "kind": n.kind, "inputs": n.num_inputs,
                      "outputs": n.num_outputs, "connections": n.connections,
                      "steps": len(n.steps),
                      "steps_of_width_1": sum(s.rows == 1 for s in n.steps),
                      "dense_bytes": n.dense_bytes} for n in networks],
        "results": results,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

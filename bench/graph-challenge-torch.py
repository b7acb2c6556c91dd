#!/usr/bin/env python3
"""PyTorch inference of a Sparse DNN Graph Challenge network.

Part of utils/graph-challenge.sh (docs/graph-challenge.md). Reads the
Challenge's network files PREFIX-l1.tsv .. PREFIX-lL.tsv (lines
``row col value``, 1-based: the weight from neuron row of the previous layer
to neuron col) and the input rows (the sparse-images layout, ``image pixel
value``), and runs the whole batch layer by layer, as a PyTorch user would:
every layer's transposed weights as a ``torch.sparse_csr_tensor`` (float32)
times the dense activations X (neurons x batch), as bench/torch-baseline.py
runs torch-csr,

    X = clamp(addmm(bias, W^T, X), 0, YMAX).

For each thread count T of --threads in turn (``torch.set_num_threads``),
the inference is repeated until --min-time seconds have passed; it prints
``seconds T S`` (the fastest run) and ``categories T C`` (the samples with a
non-zero output row), and writes the categories, 1-based, one per line, to
PREFIX-T.cat of --categories.

Usage (with Debian's interpreter, which has torch and numpy):

    /usr/bin/python3 bench/graph-challenge-torch.py --layers=PREFIX \\
        --num-layers=L --neurons=N --bias=B --input=FILE.tsv --count=K \\
        [--threads=T,...] [--min-time=S] [--ymax=32] [--categories=PREFIX]
"""
import argparse
import sys
import time
import warnings

import numpy as np
import torch


def fail(message: str) -> None:
    print(f"graph-challenge-torch: error: {message}", file=sys.stderr)
    sys.exit(1)


def read_triples(path: str, max_row: int, max_col: int) -> np.ndarray:
    """The `row col value` lines of `path` as an (n, 3) float64 array."""
    try:
        values = np.fromfile(path, dtype=np.float64, sep=" ")
    except OSError as error:
        fail(f"cannot read '{path}': {error.strerror}")
    if values.size % 3:
        fail(f"'{path}': expected 'row col value' lines")
    triples = values.reshape(-1, 3)
    rows, cols = triples[:, 0], triples[:, 1]
    if triples.size and (rows.min() < 1 or rows.max() > max_row or
                         cols.min() < 1 or cols.max() > max_col or
                         np.any(rows != np.floor(rows)) or
                         np.any(cols != np.floor(cols))):
        fail(f"'{path}': an entry lies outside 1..{max_row} x 1..{max_col}")
    return triples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", required=True, help="network file prefix")
    parser.add_argument("--num-layers", type=int, required=True)
    parser.add_argument("--neurons", type=int, required=True)
    parser.add_argument("--bias", type=float, required=True)
    parser.add_argument("--ymax", type=float, default=32.0)
    parser.add_argument("--input", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--threads", default="1",
                        help="comma-separated thread counts")
    parser.add_argument("--min-time", type=float, default=1.0)
    parser.add_argument("--categories", help="file prefix")
    args = parser.parse_args()
    n = args.neurons
    try:
        thread_counts = [int(t) for t in args.threads.split(",")]
    except ValueError:
        thread_counts = [0]
    if n < 1 or args.num_layers < 1 or args.count < 1 or min(thread_counts) < 1:
        fail("--neurons, --num-layers, --count and --threads must be >= 1")
    warnings.filterwarnings("ignore", message="Sparse CSR tensor support")

    weights = []
    for layer in range(1, args.num_layers + 1):
        t = read_triples(f"{args.layers}-l{layer}.tsv", n, n)
        # W^T: rows are the layer's neurons, columns the previous layer's.
        coo = torch.sparse_coo_tensor(
            torch.from_numpy(np.stack([t[:, 1], t[:, 0]]).astype(np.int64) - 1),
            torch.from_numpy(t[:, 2].astype(np.float32)), (n, n))
        weights.append(coo.coalesce().to_sparse_csr())
    t = read_triples(args.input, args.count, n)
    x0 = torch.zeros(n, args.count, dtype=torch.float32)
    x0[t[:, 1].astype(np.int64) - 1, t[:, 0].astype(np.int64) - 1] = (
        torch.from_numpy(t[:, 2].astype(np.float32)))
    bias = torch.full((n, 1), float(np.float32(args.bias)))

    for threads in thread_counts:
        torch.set_num_threads(threads)
        best, total = float("inf"), 0.0
        while True:
            start = time.perf_counter()
            x = x0
            with torch.no_grad():
                for w in weights:
                    x = torch.clamp_(torch.addmm(bias, w, x), 0.0, args.ymax)
            seconds = time.perf_counter() - start
            best, total = min(best, seconds), total + seconds
            if total >= args.min_time:
                break
        categories = torch.nonzero(x.ne(0).any(dim=0)).flatten() + 1
        if args.categories:
            with open(f"{args.categories}-{threads}.cat", "w") as f:
                f.writelines(f"{c}\n" for c in categories.tolist())
        print(f"seconds {threads} {best:.6e}\n"
              f"categories {threads} {categories.numel()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

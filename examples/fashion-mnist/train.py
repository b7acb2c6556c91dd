#!/usr/bin/env python3
"""Trains the example network: a LeNet-300-100 style MLP on Fashion-MNIST,
pruned by magnitude to 90% sparsity and fine-tuned, then exported to ONNX
with the PyTorch reference logits of the 10,000 test images.

Run with Debian's interpreter (python3-torch, python3-onnx) after
`apt-get install dataset-fashion-mnist`:

    /usr/bin/python3 examples/fashion-mnist/train.py examples/fashion-mnist

It writes model.onnx (784-300-100-10, ReLU, logits without Softmax) and
reference-logits.f32 (10,000 x 10 little-endian floats, row-major). Both are
committed, so the example needs no training. Deterministic (fixed seeds, one
thread).
"""
import gzip
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"
SPARSITY = 0.90


def read_images(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051
        data = np.frombuffer(f.read(), dtype=np.uint8)
    return data.reshape(count, rows * cols).astype(np.float32) / 255.0


def read_labels(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        magic, count = struct.unpack(">II", f.read(8))
        assert magic == 2049
        return np.frombuffer(f.read(), dtype=np.uint8).astype(np.int64)


def train(model, x, y, epochs, masks=None, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    for epoch in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), 128):
            batch = order[start:start + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            if masks:
                with torch.no_grad():
                    for layer, mask in masks.items():
                        layer.weight.mul_(mask)


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def main(out):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x_train = torch.from_numpy(read_images("train-images-idx3-ubyte.gz"))
    y_train = torch.from_numpy(read_labels("train-labels-idx1-ubyte.gz"))
    x_test = torch.from_numpy(read_images("t10k-images-idx3-ubyte.gz"))
    y_test = torch.from_numpy(read_labels("t10k-labels-idx1-ubyte.gz"))

    model = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100),
                          nn.ReLU(), nn.Linear(100, 10))
    train(model, x_train, y_train, epochs=4)
    print(f"dense accuracy {accuracy(model, x_test, y_test):.4f}")

    # Magnitude pruning, layer by layer, then fine-tuning with the masks.
    masks = {}
    for layer in model:
        if isinstance(layer, nn.Linear):
            w = layer.weight.data
            k = int(SPARSITY * w.numel())
            threshold = w.abs().flatten().kthvalue(k).values
            masks[layer] = (w.abs() > threshold).float()
            w.mul_(masks[layer])
    train(model, x_train, y_train, epochs=3, masks=masks, lr=5e-4)
    kept = sum(int(m.sum()) for m in masks.values())
    total = sum(m.numel() for m in masks.values())
    print(f"pruned accuracy {accuracy(model, x_test, y_test):.4f}, "
          f"{kept} of {total} weights kept ({1 - kept / total:.1%} sparse)")

    model.eval()
    torch.onnx.export(model, torch.zeros(1, 784), os.path.join(out, "model.onnx"),
                      input_names=["image"], output_names=["logits"],
                      opset_version=13)
    with torch.no_grad():
        logits = model(x_test).numpy().astype("<f4")
    logits.tofile(os.path.join(out, "reference-logits.f32"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")

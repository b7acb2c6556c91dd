#!/usr/bin/python3
"""Exports small pruned PyTorch MLPs to ONNX, with PyTorch's own outputs.

Each model NAME becomes NAME.onnx, NAME.in.f32 (a batch of inputs, raw
little-endian f32, row-major) and NAME.out.f32 (what PyTorch computes for
them), in the folder given (default: test/Target/ImportONNX/Inputs/torch).
test/Target/ImportONNX/torch-exports.test imports each model with sffnn-run
and compares its outputs with PyTorch's. The models cover what
torch.onnx.export writes for the layers and activations of
docs/architecture.md (Importers): Constant nodes, shape computations,
Softmax, batch normalization, activations without an ONNX op of their own,
pruning masks, input normalization, Identity nodes, skip connections and
Concat, 3-D inputs. Run with Debian's python3-torch and python3-onnx:

    /usr/bin/python3 utils/gen-torch-onnx-tests.py
"""

import math
import os
import sys

import torch
from torch import nn
from torch.nn.utils import prune

FEATURES, HIDDEN, CLASSES, BATCH = 8, 6, 4, 5


def pruned(layer, amount=0.5, remove=True):
    """`layer` with the `amount` smallest weights pruned (l1_unstructured)."""
    prune.l1_unstructured(layer, "weight", amount=amount)
    if remove:
        prune.remove(layer, "weight")
    return layer


def linear(fan_in, fan_out, remove=True):
    return pruned(nn.Linear(fan_in, fan_out), remove=remove)


class Chain(nn.Module):
    """Linear, activation, Linear (and an optional head)."""

    def __init__(self, activation, head=None, remove=True):
        super().__init__()
        self.fc1 = linear(FEATURES, HIDDEN, remove)
        self.act = activation
        self.fc2 = linear(HIDDEN, CLASSES, remove)
        self.head = head

    def forward(self, x):
        y = self.fc2(self.act(self.fc1(x)))
        return self.head(y) if self.head is not None else y


class Flattened(nn.Module):
    """A [N, 2, 4] input flattened by x.view(...)."""

    def __init__(self, dynamic):
        super().__init__()
        self.dynamic = dynamic
        self.body = Chain(nn.ReLU6())

    def forward(self, x):
        x = x.view(x.size(0), -1) if self.dynamic else x.view(-1, FEATURES)
        return self.body(x)


class ThreeLayers(nn.Module):
    """Three pruned Linear layers: FEATURES -> HIDDEN -> HIDDEN -> CLASSES."""

    def __init__(self):
        super().__init__()
        self.fc1 = linear(FEATURES, HIDDEN)
        self.fc2 = linear(HIDDEN, HIDDEN)
        self.fc3 = linear(HIDDEN, CLASSES)


class Clamped(ThreeLayers):
    """Hardtanh and torch.clamp with one bound."""

    def forward(self, x):
        x = nn.functional.hardtanh(self.fc1(x), -0.5, 0.5)
        x = torch.clamp(self.fc2(x), min=0.0)
        return self.fc3(x)


class BatchNorm(nn.Module):
    """Linear, BatchNorm1d, ReLU, Linear, BatchNorm1d (eval mode)."""

    def __init__(self):
        super().__init__()
        self.fc1 = linear(FEATURES, HIDDEN)
        self.bn1 = nn.BatchNorm1d(HIDDEN)
        self.fc2 = linear(HIDDEN, CLASSES)
        self.bn2 = nn.BatchNorm1d(CLASSES)
        for bn in (self.bn1, self.bn2):
            n = bn.num_features
            bn.running_mean.copy_(torch.randn(n))
            bn.running_var.copy_(torch.rand(n) + 0.5)
            bn.weight.data.copy_(torch.randn(n))
            bn.bias.data.copy_(torch.randn(n))

    def forward(self, x):
        return self.bn2(self.fc2(torch.relu(self.bn1(self.fc1(x)))))


class TanhGeluPow(nn.Module):
    """GELU's tanh form written out with torch.pow."""

    def forward(self, x):
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * torch.pow(x, 3))
        return 0.5 * x * (1 + torch.tanh(inner))


class Swish(nn.Module):
    """SiLU written out: x * sigmoid(x)."""

    def forward(self, x):
        return x * torch.sigmoid(x)


class Normalized(nn.Module):
    """(x - mean) / std before the first layer: per-feature buffers or
    scalars."""

    def __init__(self, per_feature):
        super().__init__()
        shape = (FEATURES,) if per_feature else ()
        self.register_buffer("mean", torch.randn(shape))
        self.register_buffer("std", torch.rand(shape) + 0.5)
        self.body = Chain(nn.ReLU())

    def forward(self, x):
        return self.body((x - self.mean) / self.std * 2.0 + 0.5)


class Masked(nn.Module):
    """A weight times a boolean mask cast to float, as hand-written pruning
    does."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(HIDDEN, FEATURES))
        self.register_buffer("mask", torch.rand(HIDDEN, FEATURES) > 0.5)
        self.fc2 = linear(HIDDEN, CLASSES)

    def forward(self, x):
        w = self.weight * self.mask.float()
        return self.fc2(torch.relu(x @ w.t()))


class Tied(nn.Module):
    """Equal zero biases and a shared weight: PyTorch deduplicates them
    into Identity nodes."""

    def __init__(self):
        super().__init__()
        self.fc1 = linear(FEATURES, HIDDEN)
        self.fc2 = linear(HIDDEN, HIDDEN)
        self.fc3 = linear(HIDDEN, HIDDEN)
        self.fc4 = linear(HIDDEN, CLASSES)
        self.fc3.weight = self.fc2.weight
        for layer in (self.fc2, self.fc3, self.fc4):
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        x = torch.relu(self.fc3(x))
        return self.fc4(x)


class Skip(ThreeLayers):
    """A residual block: h + relu(fc(h))."""

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        h = h + torch.relu(self.fc2(h))
        return self.fc3(h)


class SkipOut(nn.Module):
    """A residual sum as the output: x-independent layers added last."""

    def __init__(self):
        super().__init__()
        self.fc1 = linear(FEATURES, CLASSES)
        self.fc2 = linear(CLASSES, CLASSES)

    def forward(self, x):
        h = torch.tanh(self.fc1(x))
        return h + torch.relu(self.fc2(h))


class TwoBranch(nn.Module):
    """Two branches concatenated: cat(relu(a(x)), tanh(b(x)))."""

    def __init__(self):
        super().__init__()
        self.a = linear(FEATURES, HIDDEN)
        self.b = linear(FEATURES, 3)
        self.out = linear(HIDDEN + 3, CLASSES)

    def forward(self, x):
        return self.out(torch.cat([torch.relu(self.a(x)),
                                   torch.tanh(self.b(x))], dim=1))


class Input3D(nn.Module):
    """Linear on the last axis of a [N, 1, F] input."""

    def __init__(self):
        super().__init__()
        self.body = Chain(nn.ReLU())

    def forward(self, x):
        return self.body(x)


class Refused(nn.Module):
    """LayerNorm and an Exp: both refused, in one run."""

    def __init__(self):
        super().__init__()
        self.fc1 = linear(FEATURES, HIDDEN)
        self.norm = nn.LayerNorm(HIDDEN)
        self.fc2 = linear(HIDDEN, CLASSES)

    def forward(self, x):
        return torch.exp(self.fc2(self.norm(self.fc1(x))))


def prelu(channels):
    """PReLU with one random slope per channel."""
    layer = nn.PReLU(channels)
    layer.weight.data.copy_(torch.rand(channels) * 0.5)
    return layer


def models():
    """(name, model factory, input shape per sample, opset, constant
    folding)."""
    flat = (FEATURES,)
    yield "relu6_view", lambda: Flattened(False), (2, 4), 13, True
    yield "relu6_view_dynamic", lambda: Flattened(True), (2, 4), 13, True
    yield "relu6_view_dynamic_nofold", lambda: Flattened(True), (2, 4), 11, False
    yield "clamp", lambda: Clamped(), flat, 17, True
    yield "softmax", lambda: Chain(nn.ReLU(), nn.Softmax(dim=1)), flat, 13, True
    yield "softmax_opset11", lambda: Chain(nn.ReLU(), nn.Softmax(dim=-1)), flat, 11, True
    yield "log_softmax", lambda: Chain(nn.Tanh(), nn.LogSoftmax(dim=1)), flat, 17, True
    yield "batchnorm", lambda: BatchNorm(), flat, 13, True
    yield "batchnorm_nofold", lambda: BatchNorm(), flat, 11, False
    yield "gelu", lambda: Chain(nn.GELU()), flat, 13, True
    yield "gelu_tanh", lambda: Chain(nn.GELU(approximate="tanh")), flat, 17, True
    yield "gelu_tanh_pow", lambda: Chain(TanhGeluPow()), flat, 13, True
    yield "silu", lambda: Chain(nn.SiLU()), flat, 13, True
    yield "swish", lambda: Chain(Swish()), flat, 11, False
    yield "elu", lambda: Chain(nn.ELU(alpha=0.7)), flat, 13, True
    yield "prelu", lambda: Chain(prelu(HIDDEN)), flat, 13, True
    yield "prelu_scalar", lambda: Chain(nn.PReLU(init=0.3)), flat, 11, True
    yield "hardsigmoid", lambda: Chain(nn.Hardsigmoid()), flat, 13, True
    yield "hardswish", lambda: Chain(nn.Hardswish()), flat, 14, True
    yield "hardswish_opset13", lambda: Chain(nn.Hardswish()), flat, 13, True
    yield "pruned_nofold", lambda: Chain(nn.ReLU(), remove=False), flat, 13, False
    yield "pruned_fold", lambda: Chain(nn.ReLU(), remove=False), flat, 13, True
    yield "masked_nofold", lambda: Masked(), flat, 13, False
    yield "normalize_scalar", lambda: Normalized(False), flat, 13, True
    yield "normalize_features", lambda: Normalized(True), flat, 13, False
    yield "tied", lambda: Tied(), flat, 13, True
    yield "skip", lambda: Skip(), flat, 13, True
    yield "skip_output", lambda: SkipOut(), flat, 13, True
    yield "two_branch", lambda: TwoBranch(), flat, 13, True
    yield "input3d", lambda: Input3D(), (1, FEATURES), 13, True
    yield "input3d_nofold", lambda: Input3D(), (1, FEATURES), 13, False
    yield "refused", lambda: Refused(), flat, 17, True


def write_f32(path, tensor):
    with open(path, "wb") as f:
        f.write(tensor.detach().to(torch.float32).contiguous().numpy()
                .astype("<f4").tobytes())


def main(out):
    os.makedirs(out, exist_ok=True)
    for index, (name, make, shape, opset, fold) in enumerate(models()):
        torch.manual_seed(1000 + index)
        model = make()
        model.eval()
        x = torch.randn((BATCH,) + shape)
        with torch.no_grad():
            y = model(x)
        path = os.path.join(out, name + ".onnx")
        torch.onnx.export(model, x, path, input_names=["x"],
                          output_names=["y"], opset_version=opset,
                          do_constant_folding=fold,
                          dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
        write_f32(os.path.join(out, name + ".in.f32"), x)
        write_f32(os.path.join(out, name + ".out.f32"), y)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         os.path.join(os.path.dirname(__file__), "..", "test", "Target",
                      "ImportONNX", "Inputs", "torch"))

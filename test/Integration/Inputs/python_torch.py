"""The Python package on a torch module exported on the fly: a pruned
8-16-3 ReLU MLP against the module's own outputs."""
import numpy as np
import torch

import sffnn

torch.manual_seed(0)
module = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(),
                             torch.nn.Linear(16, 3))
with torch.no_grad():
    for layer in (module[0], module[2]):
        layer.weight[layer.weight.abs() < 0.15] = 0.0
x = torch.randn(100, 8)
net = sffnn.compile(module, example_input=x[:1], strategy="anneal", seed=1)
expected = module(x).detach().numpy()
got = net(x.numpy())
scale = np.maximum(1.0, np.abs(expected))
print("torch module within 1e-4:",
      bool(np.all(np.abs(got - expected) <= 1e-4 * scale)))

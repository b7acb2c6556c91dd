"""The Python package on the bundled Fashion-MNIST model: the README's
three lines, checked against PyTorch's committed logits of the first 1,000
test images; threads give the same bits; save() writes an object file and
a header. Usage: python_fashion.py EXAMPLE_DIR WORK_DIR"""
import gzip
import os
import sys

import numpy as np

import sffnn

example, work = sys.argv[1:]
images = 1000
with gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") as f:
    pixels = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
x = pixels[:images * 784].reshape(images, 784).astype(np.float32) / 255.0
reference = np.fromfile(os.path.join(example, "reference-logits.f32"),
                        dtype="<f4")[:images * 10].reshape(images, 10)

net = sffnn.compile(os.path.join(example, "model.onnx"), strategy="two-optimal")
y = net(x)
scale = np.maximum(1.0, np.abs(reference))
print("shape", y.shape, "dtype", y.dtype)
print("within 1e-4:", bool(np.all(np.abs(y - reference) <= 1e-4 * scale)))
print("argmax agreement:", float(np.mean(y.argmax(1) == reference.argmax(1))))
print("threads agree:", bool(np.array_equal(net(x, threads=2), y)),
      bool(np.array_equal(net(x, threads=0), y)))
print("one sample:", bool(np.allclose(net(x[0]), y[0], rtol=1e-5, atol=1e-5)))
print("report:", net.report["strategy"], net.report["inputs"],
      net.report["outputs"], net.report["lower_bound"] > 0)
print("tensors:", net.input_name, net.input_shape, net.output_name,
      net.output_shape)
net.save(os.path.join(work, "fmnist.o"), header=os.path.join(work, "fmnist.h"))
print("saved:", os.path.getsize(os.path.join(work, "fmnist.o")) > 0,
      open(os.path.join(work, "fmnist.h")).read().count("net_get_info(void)"))
try:
    net(np.zeros((3, 5), dtype=np.float32))
except ValueError as error:
    print("bad shape:", error)
try:
    sffnn.compile(os.path.join(work, "missing.onnx"))
except sffnn.Error as error:
    print("refused:", "cannot" in str(error) or "no such" in str(error).lower())

"""sffnn from Python: compile a sparse feed-forward network, run it on numpy.

    import sffnn
    net = sffnn.compile("model.onnx", strategy="anneal", seed=1)
    y = net(x)          # float32 [n, n_in] -> [n, n_out] (or one sample [n_in])
    net.report          # the I/O report: sffnn-compile --report-json's keys
    net.input_name, net.input_shape    # the model's input tensor ("image",
    net.output_name, net.output_shape  # (1, 784)); -1: a dynamic batch
    net.save("net.o", header="net.h")

`compile` runs the sffnn-compile tool (next to this package when installed
or in a build tree, else $SFFNN_BIN_DIR, else PATH) into a shared library and
loads it with ctypes: the network runs as native code, its batches through
NAME_batch_parallel (`threads=`). A torch.nn.Module is exported to ONNX first
(`example_input` gives its input shape). Errors raise sffnn.Error with the
tool's diagnostic.
"""
import ctypes
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

__all__ = ["Error", "Network", "compile"]

_ERRORS = {12: "out of memory (ENOMEM)", 22: "invalid argument (EINVAL)",
           11: "cannot start a thread (EAGAIN)"}


class Error(RuntimeError):
    """A failed compilation or run."""


def _find_tool(name):
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = []
    if os.environ.get("SFFNN_BIN_DIR"):
        candidates.append(os.path.join(os.environ["SFFNN_BIN_DIR"], name))
    # Installed: P/lib/python3/dist-packages/sffnn -> P/bin; build tree:
    # BUILD/python/sffnn -> BUILD/bin.
    candidates.append(os.path.join(here, "..", "..", "..", "..", "bin", name))
    candidates.append(os.path.join(here, "..", "..", "bin", name))
    for path in candidates:
        if os.access(path, os.X_OK):
            return os.path.normpath(path)
    found = shutil.which(name)
    if found:
        return found
    raise Error("cannot find %s (set SFFNN_BIN_DIR)" % name)


def _options(name, strategy, seed, iterations, fast_memory, codegen,
             target_cpu):
    flags = ["--name", name]
    for flag, value in (("strategy", strategy), ("seed", seed),
                        ("iterations", iterations),
                        ("fast-memory", fast_memory), ("codegen", codegen),
                        ("target-cpu", target_cpu)):
        if value is not None:
            flags.append("--%s=%s" % (flag, value))
    return flags


def _run_compile(model, flags, output, extra=()):
    command = [_find_tool("sffnn-compile"), model, "-o", output] + flags + \
        list(extra)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise Error(result.stderr.strip() or "sffnn-compile failed")


class Network:
    """A compiled network: call it on float32 samples."""

    def __init__(self, library, name, report, model, flags):
        self._library = library
        self._model = model
        self._flags = flags
        self.name = name
        self.report = report
        self.num_inputs = int(report["inputs"])
        self.num_outputs = int(report["outputs"])
        # The model's input and output tensors (ONNX names and shapes; else
        # "input" and "output" of shapes (n_in,) and (n_out,)).
        self.input_name = report["input_name"]
        self.output_name = report["output_name"]
        self.input_shape = tuple(report["input_shape"])
        self.output_shape = tuple(report["output_shape"])
        pointer = ctypes.POINTER(ctypes.c_float)
        self._batch = getattr(library, name + "_batch_parallel")
        self._batch.argtypes = [pointer, pointer, ctypes.c_int64,
                                ctypes.c_int32]
        self._batch.restype = ctypes.c_int32

    def __call__(self, x, threads=1):
        """Outputs of `x`: [n, n_in] -> [n, n_out], or [n_in] -> [n_out].
        `threads`: POSIX threads (0: every online core)."""
        x = np.ascontiguousarray(x, dtype=np.float32)
        single = x.ndim == 1
        if single:
            x = x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != self.num_inputs:
            raise ValueError("expected samples of %d inputs, got shape %s" %
                             (self.num_inputs, x.shape))
        out = np.empty((x.shape[0], self.num_outputs), dtype=np.float32)
        pointer = ctypes.POINTER(ctypes.c_float)
        status = self._batch(x.ctypes.data_as(pointer),
                             out.ctypes.data_as(pointer), x.shape[0],
                             int(threads))
        if status != 0:
            raise Error("%s_batch_parallel failed: %s" %
                        (self.name, _ERRORS.get(status, "error %d" % status)))
        return out[0] if single else out

    def save(self, path, header=None):
        """Writes the network as an object file (or, for *.so, a shared
        library) with the same options, and its C header."""
        extra = ["--header", header] if header else []
        if isinstance(self._model, bytes):
            # An exported torch module: its ONNX bytes.
            with tempfile.TemporaryDirectory(prefix="sffnn-") as work:
                model = os.path.join(work, "model.onnx")
                with open(model, "wb") as f:
                    f.write(self._model)
                _run_compile(model, self._flags, path, extra)
        else:
            _run_compile(self._model, self._flags, path, extra)


def compile(model, name="net", strategy=None, seed=None, iterations=None,
            fast_memory=None, codegen=None, target_cpu=None,
            example_input=None):
    """Compiles `model` (a path to .onnx, .mlir, .mlirbc, .tsv or .mtx, or a
    torch.nn.Module with `example_input`) with sffnn-compile's options
    (None: its defaults) and loads it. Raises Error with the tool's
    diagnostic when the model is refused."""
    flags = _options(name, strategy, seed, iterations, fast_memory, codegen,
                     target_cpu)
    with tempfile.TemporaryDirectory(prefix="sffnn-") as work:
        source = model
        if not isinstance(model, (str, os.PathLike)):
            if example_input is None:
                raise ValueError("a torch module needs example_input")
            import torch  # Only for modules.
            model = os.path.join(work, "model.onnx")
            with torch.no_grad():
                torch.onnx.export(source, example_input, model,
                                  input_names=["x"], output_names=["y"])
            with open(model, "rb") as f:
                source = f.read()
        else:
            model = source = os.fspath(model)
        library = os.path.join(work, "lib%s.so" % name)
        report = os.path.join(work, "report.json")
        _run_compile(model, flags, library, ["--report-json", report])
        with open(report, encoding="utf-8") as f:
            data = json.load(f)
        # Loaded, the library stays mapped after its file is removed.
        loaded = ctypes.CDLL(library, mode=ctypes.RTLD_LOCAL)
        return Network(loaded, name, data, source, flags)

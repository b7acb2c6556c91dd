#!/usr/bin/env python3
"""Writes the small ONNX models that test/Target/ImportONNX imports.

Run with Debian's interpreter (python3-onnx, python3-numpy):

    /usr/bin/python3 utils/gen-onnx-tests.py test/Target/ImportONNX/Inputs

The outputs are committed; every model is small and its weights are chosen by
hand so that the tests can check the imported IR value by value.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def model(nodes, inputs, outputs, initializers, opset=13):
    graph = helper.make_graph(nodes, "net", inputs, outputs, initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             producer_name="sffnn-tests")


def vector_input(name, size):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, size])


def output(name, size):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, size])


def tensor(name, array, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(array, dtype=dtype), name)


def main(out):
    os.makedirs(out, exist_ok=True)
    save = lambda m, name: onnx.save(m, os.path.join(out, name))

    # Gemm (alpha 0.5, beta 2, transB) + Relu, then Gemm without bias.
    # W1 has a zero, which the importer prunes.
    w1 = [[1.0, 0.0, 2.0, -2.0], [0.5, 1.0, 0.0, 0.0], [0.0, 0.0, 4.0, 1.0]]
    save(model([
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1",
                         alpha=0.5, beta=2.0, transB=1),
        helper.make_node("Relu", ["h"], ["a"], name="act1"),
        helper.make_node("Gemm", ["a", "w2"], ["y"], name="fc2", transB=1),
    ], [vector_input("x", 4)], [output("y", 2)],
        [tensor("w1", w1), tensor("b1", [0.25, 0.0, -0.5]),
         tensor("w2", [[1.0, -1.0, 0.5], [0.0, 2.0, 0.0]])]), "gemm_relu.onnx")

    # Flatten of a [1, 2, 2] input, MatMul + Add + Tanh, MatMul + Sigmoid;
    # the second weight is float64 and the first bias float16 (raw data).
    save(model([
        helper.make_node("Flatten", ["x"], ["f"], name="flat"),
        helper.make_node("MatMul", ["f", "w1"], ["m"], name="mm1"),
        helper.make_node("Add", ["m", "b1"], ["h"], name="add1"),
        helper.make_node("Tanh", ["h"], ["a"], name="tanh1"),
        helper.make_node("MatMul", ["a", "w2"], ["z"], name="mm2"),
        helper.make_node("Sigmoid", ["z"], ["y"], name="sig2"),
    ], [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 2])],
        [output("y", 1)],
        [tensor("w1", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0],
                       [1.0, 1.0, 1.0]]),
         tensor("b1", [0.5, -0.25, 0.0], np.float16),
         tensor("w2", [[2.0], [-1.0], [0.125]], np.float64)]),
        "matmul_add.onnx")

    # LeakyRelu, then Clip with bounds as inputs (opset 13) and an Identity;
    # weights in an external data file.
    m = model([
        helper.make_node("Gemm", ["x", "w1"], ["h"], name="fc1"),
        helper.make_node("LeakyRelu", ["h"], ["a"], name="leaky", alpha=0.2),
        helper.make_node("Gemm", ["a", "w2", "b2"], ["z"], name="fc2"),
        helper.make_node("Clip", ["z", "lo", "hi"], ["c"], name="clip"),
        helper.make_node("Identity", ["c"], ["y"], name="id"),
    ], [vector_input("x", 2)], [output("y", 2)],
        [tensor("w1", [[1.0, -1.0], [2.0, 3.0]]),
         tensor("w2", [[1.0, 0.0], [0.5, -1.0]]), tensor("b2", [0.0, 1.0]),
         tensor("lo", 0.0), tensor("hi", 6.0)])
    onnx.save(m, os.path.join(out, "external.onnx"), save_as_external_data=True,
              all_tensors_to_one_file=True, location="external.onnx.data",
              size_threshold=0)

    # Reshape of the input and typed (not raw) initializers: float_data,
    # double_data, and float16 values in int32_data.
    shape = helper.make_tensor("shape", TensorProto.INT64, [2], [1, 4])
    save(model([
        helper.make_node("Reshape", ["x", "shape"], ["f"], name="reshape"),
        helper.make_node("Gemm", ["f", "w1", "b1"], ["y"], name="fc", transB=1),
    ], [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 2])],
        [output("y", 2)],
        [shape,
         helper.make_tensor("w1", TensorProto.FLOAT, [2, 4],
                            [1.0, 0.0, -1.0, 0.5, 0.0, 2.0, 0.0, 0.0]),
         helper.make_tensor("b1", TensorProto.DOUBLE, [2], [0.75, -0.5])]),
        "typed.onnx")
    # make_tensor converts FLOAT16 values to their bit patterns itself.
    half = [0.5, -2.0]
    save(model([
        helper.make_node("MatMul", ["x", "w"], ["y"], name="mm"),
    ], [vector_input("x", 2)], [output("y", 1)],
        [helper.make_tensor("w", TensorProto.FLOAT16, [2, 1], half)]),
        "typed_half.onnx")

    # A final Softmax: the output epilogue.
    save(model([
        helper.make_node("Gemm", ["x", "w"], ["h"], name="fc"),
        helper.make_node("Softmax", ["h"], ["y"], name="probabilities"),
    ], [vector_input("x", 2)], [output("y", 2)],
        [tensor("w", [[1.0, 2.0], [3.0, 4.0]])]), "softmax.onnx")

    gelu_op(out, save)

    # Input and output names of any characters (a quote, backslashes, a
    # tab, a question mark, a control character, UTF-8) and a symbolic
    # batch dimension: the signature and the C header escape them.
    save(model([
        helper.make_node("Flatten", ["pixels \"raw\"\\dir\tx\u03b4"], ["f"],
                         name="flat"),
        helper.make_node("Gemm", ["f", "w"], ["logits??=\x01"], name="fc",
                         transB=1),
    ], [helper.make_tensor_value_info("pixels \"raw\"\\dir\tx\u03b4",
                                      TensorProto.FLOAT, ["batch", 2, 2])],
        [helper.make_tensor_value_info("logits??=\x01", TensorProto.FLOAT,
                                       ["batch", 3])],
        [tensor("w", [[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0],
                      [0.0, 0.0, 3.0, 4.0]])]), "odd_names.onnx")

    # Dropout: the identity in inference mode (opset 13: ratio and
    # training_mode inputs), refused in training mode.
    for name, training in [("dropout.onnx", False),
                           ("dropout_training.onnx", True)]:
        save(model([
            helper.make_node("Gemm", ["x", "w"], ["h"], name="fc"),
            helper.make_node("Dropout", ["h", "ratio", "training"], ["y"],
                             name="dropout"),
        ], [vector_input("x", 2)], [output("y", 2)],
            [tensor("w", [[1.0, 2.0], [3.0, 4.0]]), tensor("ratio", 0.5),
             helper.make_tensor("training", TensorProto.BOOL, [],
                                [training])]), name)

    # Errors.
    # A Softmax before another layer; a Shape computation that multiplies
    # the batch size; an op of another domain and a convolution: each node
    # reported, in one run.
    batch = helper.make_tensor("two", TensorProto.INT64, [1], [2])
    save(model([
        helper.make_node("Gemm", ["x", "w"], ["h"], name="fc1"),
        helper.make_node("Softmax", ["h"], ["p"], name="early_softmax"),
        helper.make_node("Gemm", ["p", "w"], ["z"], name="fc2"),
        helper.make_node("Shape", ["x"], ["s"], name="shape"),
        helper.make_node("Mul", ["s", "two"], ["s2"], name="double_batch"),
        helper.make_node("Reshape", ["z", "s2"], ["r"], name="reshape"),
        helper.make_node("Custom", ["r"], ["c"], name="custom",
                         domain="com.example"),
        helper.make_node("Conv", ["c", "w"], ["y"], name="conv"),
    ], [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])],
        [output("y", 2)],
        [tensor("w", [[1.0, 2.0], [3.0, 4.0]]), batch]), "several_errors.onnx")
    # A node that reads a name nothing defines.
    save(model([
        helper.make_node("Gemm", ["x", "w"], ["h"], name="fc1"),
        helper.make_node("Relu", ["g"], ["y"], name="relu"),
    ], [vector_input("x", 2)], [output("y", 2)],
        [tensor("w", [[1.0, 2.0], [3.0, 4.0]])]), "undefined_input.onnx")
    save(model([
        helper.make_node("Gemm", ["x", "w"], ["h"], name="fc"),
        helper.make_node("Exp", ["h"], ["y"], name="exp1"),
    ], [vector_input("x", 2)], [output("y", 2)],
        [tensor("w", [[1.0, 2.0], [3.0, 4.0]])]), "unsupported.onnx")
    save(model([
        helper.make_node("MatMul", ["x", "w"], ["y"], name="dynamic"),
    ], [vector_input("x", 2), helper.make_tensor_value_info("w", TensorProto.FLOAT, [2, 2])],
        [output("y", 2)], []), "two_inputs.onnx")
    save(model([
        helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc"),
    ], [vector_input("x", 2)], [output("y", 2)],
        [tensor("w", [[1.0, 2.0], [3.0, 4.0]]), tensor("b", [1.0, 2.0, 3.0])]),
        "bad_bias.onnx")
    save(model([
        helper.make_node("Gemm", ["x", "w"], ["y"], name="fc"),
    ], [vector_input("x", 2)], [output("y", 2)],
        [tensor("w", [[1.0, np.inf], [3.0, 4.0]])]), "infinite.onnx")
    good = open(os.path.join(out, "gemm_relu.onnx"), "rb").read()
    with open(os.path.join(out, "truncated.onnx"), "wb") as f:
        f.write(good[: len(good) // 2])

    hostile(out)


def gelu_op(out, save):
    """Gelu as the opset-20 op, exact and tanh forms, with inputs and the
    outputs Python's math module computes for them (raw f32 files)."""
    import math
    w = [[1.0, -0.5], [0.25, 2.0]]
    xs = [[0.3, -1.2], [2.0, 0.7], [-3.0, 1.5]]
    forms = {
        "none": lambda h: 0.5 * h * (1 + math.erf(h / math.sqrt(2))),
        "tanh": lambda h: 0.5 * h * (1 + math.tanh(
            math.sqrt(2 / math.pi) * (h + 0.044715 * h ** 3))),
    }
    for approximate, gelu in forms.items():
        name = "gelu20_" + approximate
        save(model([
            helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
            helper.make_node("Gelu", ["h"], ["y"], name="gelu",
                             approximate=approximate),
        ], [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])],
            [tensor("w", w)], opset=20), name + ".onnx")
        ys = [[gelu(sum(float(np.float32(x[i])) * w[i][j] for i in range(2)))
               for j in range(2)] for x in xs]
        np.asarray(xs, "<f4").tofile(os.path.join(out, name + ".in.f32"))
        np.asarray(ys, "<f4").tofile(os.path.join(out, name + ".out.f32"))


def external_tensor(name, dims, entries):
    """A float tensor whose data lives in an external file; `entries` are the
    external_data key-value pairs, written as given (not checked)."""
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    for key, value in entries:
        entry = t.external_data.add()
        entry.key, entry.value = key, value
    return t


def hostile(out):
    """Malformed and adversarial models: each must end in one diagnostic.
    They are serialized as built (onnx.save could touch external data)."""
    def save(m, name):
        with open(os.path.join(out, name), "wb") as f:
            f.write(m.SerializeToString())

    w = tensor("w", [[1.0, 2.0], [3.0, 4.0]])
    # An Add with one input.
    save(model([
        helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
        helper.make_node("Add", ["h"], ["y"], name="add"),
    ], [vector_input("x", 2)], [output("y", 2)], [w]), "add_one_input.onnx")
    # Dims that claim 10^10 elements, and dims that claim 2,000 with no data.
    for name, dims in [("huge_dims.onnx", [100000, 100000]),
                       ("missing_data.onnx", [2, 1000])]:
        t = TensorProto()
        t.name, t.data_type = "w", TensorProto.FLOAT
        t.dims.extend(dims)
        save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
                   [vector_input("x", 2)], [output("y", 2)], [t]), name)
    # An input dimension of 2^32 + 2.
    save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
               [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                              [1, 2**32 + 2])],
               [output("y", 2)], [w]), "huge_input.onnx")
    # An element-wise op on a wide input: one diagonal layer of 2^20 neurons,
    # 16 bytes of model per 2^20 connections (the importer once spent time
    # quadratic in a layer's width on it).
    save(model([helper.make_node("Flatten", ["x"], ["f"], name="flat"),
                helper.make_node("Tanh", ["f"], ["y"], name="tanh")],
               [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                              [1, 1024, 1024])],
               [output("y", 1024 * 1024)], []), "wide_diagonal.onnx")
    # A node that assigns a name already assigned (here, its own input).
    save(model([
        helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
        helper.make_node("Relu", ["h"], ["h"], name="relu"),
    ], [vector_input("x", 2)], [output("h", 2)], [w]), "reused_name.onnx")
    # Constant folding of hostile values: an Unsqueeze naming an axis twice,
    # a Cast of 1e30 to int64, a Slice with the most negative step, an
    # integer Pow that overflows. Each folds into a Reshape shape.
    shape = helper.make_tensor("shape", TensorProto.INT64, [2], [1, 2])
    big = helper.make_tensor("big", TensorProto.FLOAT, [2], [1e30, 2.0])
    int64_min = helper.make_tensor("steps", TensorProto.INT64, [1], [-2**63])
    zero = helper.make_tensor("zero", TensorProto.INT64, [1], [0])
    ten = helper.make_tensor("ten", TensorProto.INT64, [1], [10])
    folds = [
        ("fold_unsqueeze.onnx",
         [helper.make_node("Unsqueeze", ["shape", "axes"], ["s"],
                           name="unsqueeze")],
         [shape, helper.make_tensor("axes", TensorProto.INT64, [2], [0, 0])]),
        ("fold_cast.onnx",
         [helper.make_node("Cast", ["big"], ["s"], name="cast",
                           to=TensorProto.INT64)], [big]),
        ("fold_slice.onnx",
         [helper.make_node("Slice", ["shape", "ten", "zero", "zero",
                                     "steps"], ["s"], name="slice")],
         [shape, ten, zero, int64_min]),
        ("fold_pow.onnx",
         [helper.make_node("Pow", ["ten", "ten2"], ["s"], name="pow")],
         [ten, helper.make_tensor("ten2", TensorProto.INT64, [1], [40])]),
    ]
    for name, nodes, initializers in folds:
        save(model(nodes + [
            helper.make_node("Reshape", ["x", "s"], ["f"], name="reshape"),
            helper.make_node("MatMul", ["f", "w"], ["y"], name="mm"),
        ], [vector_input("x", 2)], [output("y", 2)], [w] + initializers),
            name)
    # External data: out of the model's folder, absolute, a negative length,
    # past the end of the file, and a plain local file (weights.data, which
    # the tests create as a regular file, a link or a FIFO).
    for name, entries in [
            ("external_escape.onnx",
             [("location", "../../../../../../../../dev/zero")]),
            ("external_absolute.onnx", [("location", "/etc/hostname")]),
            ("external_negative.onnx",
             [("location", "external.onnx.data"), ("length", "-1")]),
            ("external_past_end.onnx",
             [("location", "external.onnx.data"), ("offset", "8"),
              ("length", "1000000")]),
            ("external_local.onnx",
             [("location", "weights.data"), ("offset", "0"),
              ("length", "16")])]:
        save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
                   [vector_input("x", 2)], [output("y", 2)],
                   [external_tensor("w", [2, 2], entries)]), name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")

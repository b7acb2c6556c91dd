//===- SFFNNBase.td - sffnn dialect definition -------------*- tablegen -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_SFFNNBASE_TD
#define SFFNN_IR_SFFNNBASE_TD

include "mlir/IR/OpBase.td"

def SFFNN_Dialect : Dialect {
  let name = "sffnn";
  let cppNamespace = "::sffnn";
  let summary = "Sparse feed-forward neural networks at graph level";
  let description = [{
    The `sffnn` dialect represents a sparse (pruned) feed-forward neural
    network as data, ready for I/O analysis, scheduling and code generation.

    A network (`sffnn.network`) is a function over 1-D `f32` tensors. Its body
    is a dataflow graph of `sffnn.layer` ops (a sparse connection matrix over
    the concatenation of one or more input vectors, a bias vector and an
    activation; several inputs express skip connections, so any layered DAG
    is expressible) and `sffnn.graph` ops (the neuron-level form: a whole DAG
    of neurons in one op, for networks that are not layered).

    Weights are a `#sffnn.csr` attribute: compressed sparse rows whose three
    arrays are either written inline in a readable row-by-row syntax (small
    networks, tests) or stored as `dense_resource` blobs (large networks, up to
    10^7 connections, in text and bytecode). There is no operation per
    connection or per neuron: IR size is independent of the network size.

    The semantics are those of the I/O model (docs/io-model.md): every stored
    weight is non-zero and finite, and a computed neuron v evaluates
    `x_v = sigma_v(b_v + sum_u w_uv * x_u)`.

    See docs/Rationale.md for the design choices.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
}

class SFFNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<SFFNN_Dialect, mnemonic, traits>;

#endif // SFFNN_IR_SFFNNBASE_TD

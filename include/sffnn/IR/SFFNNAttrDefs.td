//===- SFFNNAttrDefs.td - sffnn attribute definitions ------*- tablegen -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_SFFNNATTRDEFS_TD
#define SFFNN_IR_SFFNNATTRDEFS_TD

include "sffnn/IR/SFFNNBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

class SFFNN_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<SFFNN_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// ActivationAttr
//===----------------------------------------------------------------------===//

def SFFNN_ActivationAttr : SFFNN_Attr<"Activation", "activation"> {
  let summary = "An activation function with its parameters";
  let description = [{
    The activation a computed neuron applies to its accumulator. The kind is
    one of a closed set, the C++ enum `sffnn::ActivationKind` shared with the
    core graph library (include/sffnn/Analysis/Graph.h):

    | keyword            | function                          |
    |--------------------|-----------------------------------|
    | `identity`         | x                                 |
    | `relu`             | max(x, 0)                         |
    | `clamp(lo, hi)`    | min(max(x, lo), hi), lo <= hi     |
    | `sigmoid`          | 1 / (1 + exp(-x))                 |
    | `tanh`             | tanh(x)                           |
    | `leaky_relu(alpha)`| x >= 0 ? x : alpha * x            |
    | `gelu`             | x / 2 * (1 + erf(x / sqrt(2)))    |
    | `gelu_tanh`        | x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))) |
    | `silu`             | x / (1 + exp(-x))                 |
    | `elu(alpha)`       | x > 0 ? x : alpha * (exp(x) - 1)  |
    | `hard_sigmoid(alpha, beta)` | min(max(alpha * x + beta, 0), 1) |
    | `hard_swish`       | x * min(max(x / 6 + 1 / 2, 0), 1) |

    Parameters are finite `f32` values.

    ```mlir
    #sffnn.activation<relu>
    #sffnn.activation<clamp(0.0, 32.0)>
    #sffnn.activation<leaky_relu(0.01)>
    #sffnn.activation<hard_sigmoid(0.2, 0.5)>
    ```

    Inside `sffnn.layer` and `sffnn.graph` the attribute is written without
    its prefix, e.g. `relu` or `clamp(0.0, 32.0)`.
  }];
  let parameters = (ins
    "::sffnn::ActivationKind":$kind,
    "::llvm::APFloat":$param0,
    "::llvm::APFloat":$param1
  );
  let builders = [
    AttrBuilder<(ins "const ::sffnn::Activation &":$activation)>
  ];
  let extraClassDeclaration = [{
    /// The activation as the core library's value type.
    ::sffnn::Activation getValue() const;
    /// Parses the body `kind` or `kind(p0[, p1])`, without the prefix.
    static ::mlir::Attribute parseBody(::mlir::AsmParser &parser);
    /// Prints the body parsed by `parseBody`.
    void printBody(::mlir::AsmPrinter &printer) const;
  }];
  let genVerifyDecl = 1;
  let hasCustomAssemblyFormat = 1;
}

//===----------------------------------------------------------------------===//
// EpilogueAttr
//===----------------------------------------------------------------------===//

def SFFNN_EpilogueAttr : SFFNN_Attr<"Epilogue", "epilogue"> {
  let summary = "A function of a network's whole output vector";
  let description = [{
    Applied to the concatenation y of a network's results after every output
    neuron is computed; the C++ enum `sffnn::OutputEpilogue` shared with the
    core graph library (include/sffnn/Analysis/Graph.h):

    | keyword       | function                                       |
    |---------------|------------------------------------------------|
    | `none`        | y                                              |
    | `softmax`     | exp(y_i - max y) / sum_j exp(y_j - max y)      |
    | `log_softmax` | y_i - max y - log(sum_j exp(y_j - max y))      |

    It is not a neuron: the I/O model's plan computes and stores the
    outputs, and the epilogue then rewrites them in place.

    ```mlir
    sffnn.network @classifier(%x: tensor<4xf32>) -> tensor<3xf32>
        attributes {epilogue = #sffnn.epilogue<softmax>} {
      ...
    }
    ```
  }];
  let parameters = (ins "::sffnn::OutputEpilogue":$kind);
  let hasCustomAssemblyFormat = 1;
}

//===----------------------------------------------------------------------===//
// SignatureAttr
//===----------------------------------------------------------------------===//

def SFFNN_SignatureAttr : SFFNN_Attr<"Signature", "signature"> {
  let summary = "The input and output tensors of the model a network came from";
  let description = [{
    The names and shapes of the input and output tensors of the model a
    network was imported from (the ONNX importer records them): the
    network's arguments concatenated are one sample of the input, its
    results concatenated one sample of the output. The C header of the
    compiled network repeats them (docs/codegen.md, "ABI").

    Shapes are the model's own, before the importer flattens them.
    Dimension 0 of a shape of rank 2 or more is the batch: a fixed size, or
    `?` when the model leaves it open (symbolic or unknown; -1 in the C
    header); the other dimensions (all of them for rank 1) describe one
    sample. Names are strings of any characters, in MLIR's string syntax.

    Invariants, checked by the verifier: names are not empty, shapes have
    rank 1 or more, every dimension is at least 1 but a dynamic batch; the
    network's verifier checks that one sample of the input has as many
    elements as its arguments and one sample of the output as many as its
    results.

    ```mlir
    sffnn.network @fmnist(%x: tensor<784xf32>) -> tensor<10xf32>
        attributes {signature = #sffnn.signature<
                      input "image" [?, 1, 28, 28], output "logits" [?, 10]>} {
      ...
    }
    ```
  }];
  let parameters = (ins
    StringRefParameter<"the input's name">:$inputName,
    ArrayRefParameter<"int64_t", "the input's shape">:$inputShape,
    StringRefParameter<"the output's name">:$outputName,
    ArrayRefParameter<"int64_t", "the output's shape">:$outputShape
  );
  let builders = [
    AttrBuilder<(ins "const ::sffnn::ModelSignature &":$signature)>
  ];
  let extraClassDeclaration = [{
    /// The signature as the core library's value type.
    ::sffnn::ModelSignature getValue() const;
  }];
  let genVerifyDecl = 1;
  let hasCustomAssemblyFormat = 1;
}

//===----------------------------------------------------------------------===//
// SparseMatrixAttr
//===----------------------------------------------------------------------===//

def SFFNN_SparseMatrixAttr : SFFNN_Attr<"SparseMatrix", "csr"> {
  let summary = "A sparse f32 matrix in compressed sparse row (CSR) form";
  let description = [{
    A `rows x cols` matrix of non-zero `f32` weights in CSR form: row `r`
    holds the entries `k` in `[offsets[r], offsets[r + 1])`, entry `k` at
    column `indices[k]` with value `values[k]`.

    Invariants, checked by the verifier: `offsets` has `rows + 1` elements,
    starts at 0, never decreases and ends at the number of entries `nnz`;
    `indices` and `values` have `nnz` elements; column indices lie in
    `[0, cols)` and strictly increase within a row (so no (row, col) appears
    twice); every value is finite and non-zero (pruned weights are absent,
    not stored as zeros).

    Two syntaxes. The inline form lists each row as `[col: value, ...]` and
    is used whenever the arrays are plain `dense` attributes:

    ```mlir
    #sffnn.csr<3x4, [[0: 1.0, 2: -0.5], [], [3: 2.0]]>
    ```

    The array form names the three arrays. It is used for `dense_resource`
    blobs, which keep networks with millions of connections compact in text
    and bytecode:

    ```mlir
    #sffnn.csr<1000x784, offsets = dense_resource<w0_offsets> : tensor<1001xi32>,
               indices = dense_resource<w0_indices> : tensor<78400xi32>,
               values = dense_resource<w0_values> : tensor<78400xf32>>
    ```

    `offsets` is `i32` or `i64`, `indices` is `i32`, `values` is `f32`, all
    1-D with static shapes.
  }];
  let parameters = (ins
    "int64_t":$rows,
    "int64_t":$cols,
    "::mlir::ElementsAttr":$offsets,
    "::mlir::ElementsAttr":$indices,
    "::mlir::ElementsAttr":$values
  );
  let extraClassDeclaration = [{
    /// The number of stored entries (connections).
    int64_t getNumEntries() const;
    /// True if the arrays are inline `dense` attributes (printed row by row).
    bool isInline() const;
    /// Reads the three arrays, without copying where possible. Fails, with a
    /// diagnostic from `emitError`, when a resource blob is not available or
    /// does not hold the elements its type declares. `emitError` may return
    /// an empty diagnostic, for a silent check.
    ::mlir::LogicalResult readArrays(SparseMatrixArrays &arrays,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
    /// Checks the contents (the invariants listed in the description) with
    /// one diagnostic for the first violation (none when `emitError` returns
    /// an empty diagnostic). O(rows + entries).
    ::mlir::LogicalResult verifyContents(
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
  }];
  let genVerifyDecl = 1;
  let hasCustomAssemblyFormat = 1;
}

//===----------------------------------------------------------------------===//
// ScheduleAttr
//===----------------------------------------------------------------------===//

def SFFNN_StrategyParameter
    : AttrParameter<"::sffnn::Strategy", "a scheduling strategy"> {
  let parser = [{ ::sffnn::parseStrategy($_parser) }];
  let printer = [{ $_printer << '"' << ::sffnn::stringifyStrategy($_self)
                             << '"' }];
}

def SFFNN_ScheduleAttr : SFFNN_Attr<"Schedule", "schedule"> {
  let summary = "The evaluation order of a network and its I/O figures";
  let description = [{
    What `--sffnn-schedule` chose for a network (docs/scheduling.md), read
    by `--sffnn-lower-to-loops`: the `order` in which the computed neurons
    are evaluated and the figures of its plan with `fastMemory` words of
    fast memory (docs/io-model.md). The pass attaches it to the
    `sffnn.network` as its `sffnn.schedule` attribute.

    - `strategy`: the strategy that chose the order (`"layerwise"`,
      `"two-optimal"`, `"greedy"` or `"anneal"`; `"two-opt"` is read as
      `"two-optimal"`), and `seed`, the annealer's seed;
    - `fastMemory`: M in words;
    - `order`: the computed neurons in evaluation order, as i32 neuron ids
      numbered as in docs/io-model.md (a `dense_resource` blob when large);
    - `cost` (loads + stores of the plan) and `activationCost` (its loads
      and stores of neuron values), in words;
    - `lowerBound` LB and `activationLowerBound`, in words, and
      `twoOptimalCost`, the cost of the two-optimal plan with the same M.

    Invariants, checked by the verifier: M is at least 3; `order` is a 1-D
    vector of i32; `activationCost <= cost`,
    `activationLowerBound <= lowerBound`, and neither `cost` nor
    `twoOptimalCost` is below LB (LB bounds every plan). Whether `order` is
    a topological order of the network's computed neurons is checked where
    it is used, against the network.

    ```mlir
    sffnn.network @net(%x: tensor<4xf32>) -> tensor<2xf32>
        attributes {sffnn.schedule = #sffnn.schedule<strategy = "anneal",
          seed = 1, fastMemory = 64,
          order = dense<[4, 5, 6]> : tensor<3xi32>, cost = 14,
          activationCost = 8, lowerBound = 13, activationLowerBound = 7,
          twoOptimalCost = 14>} {
      ...
    }
    ```
  }];
  let parameters = (ins
    SFFNN_StrategyParameter:$strategy,
    "uint64_t":$seed,
    "uint32_t":$fastMemory,
    "::mlir::ElementsAttr":$order,
    "uint64_t":$cost,
    "uint64_t":$activationCost,
    "uint64_t":$lowerBound,
    "uint64_t":$activationLowerBound,
    "uint64_t":$twoOptimalCost
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let extraClassDeclaration = [{
    /// The name of the network attribute that holds the schedule.
    static constexpr ::llvm::StringLiteral getAttrName() {
      return ::llvm::StringLiteral("sffnn.schedule");
    }
    /// Reads `order`, without copying where possible. Fails, with a
    /// diagnostic from `emitError`, when its resource blob is not available.
    ::mlir::FailureOr<::llvm::ArrayRef<int32_t>> readOrder(
        ::llvm::SmallVectorImpl<int32_t> &storage,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
  }];
  let genVerifyDecl = 1;
}

#endif // SFFNN_IR_SFFNNATTRDEFS_TD

//===- SFFNNOps.td - sffnn operation definitions -----------*- tablegen -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_IR_SFFNNOPS_TD
#define SFFNN_IR_SFFNNOPS_TD

include "sffnn/IR/SFFNNBase.td"
include "sffnn/IR/SFFNNAttrDefs.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// A statically shaped 1-D tensor of f32: one vector of neuron values.
def SFFNN_Vector : RankedTensorOf<[F32], [HasAnyRankOfPred<[1]>,
    HasStaticShapePred], "statically shaped 1-D tensor">;

//===----------------------------------------------------------------------===//
// NetworkOp
//===----------------------------------------------------------------------===//

def SFFNN_NetworkOp : SFFNN_Op<"network", [
    FunctionOpInterface, IsolatedFromAbove, SingleBlock
  ]> {
  let summary = "A sparse feed-forward network: one inference function";
  let description = [{
    A symbol holding one inference function. Arguments and results are
    statically shaped 1-D `f32` tensors; the concatenation of the arguments
    is the network's input vector (the inputs I, in order), the concatenation
    of the results its ordered outputs O. The body is a single block of
    `sffnn.layer` and `sffnn.graph` ops ending in `sffnn.return`.

    Outputs are computed neurons: returning an argument, or the same value
    twice, is an error. The optional `epilogue` (`#sffnn.epilogue`) is a
    function of the whole output vector applied after the body, such as a
    final softmax. The optional `signature` (`#sffnn.signature`) names the
    input and output tensors of the model the network was imported from and
    gives their shapes.

    ```mlir
    sffnn.network @mlp(%x: tensor<4xf32>) -> tensor<2xf32> {
      %h = sffnn.layer relu(%x) : (tensor<4xf32>) -> tensor<3xf32>
          weights #sffnn.csr<3x4, [[0: 1.0, 2: -0.5], [1: 0.25], [3: 2.0]]>
          bias dense<[0.0, 1.0, 0.0]> : tensor<3xf32>
      %y = sffnn.layer identity(%h, %x)
          : (tensor<3xf32>, tensor<4xf32>) -> tensor<2xf32>
          weights #sffnn.csr<2x7, [[0: 1.0, 5: 2.0], [1: 1.0, 2: 3.0]]>
      sffnn.return %y : tensor<2xf32>
    }
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    TypeAttrOf<FunctionType>:$function_type,
    OptionalAttr<StrAttr>:$sym_visibility,
    OptionalAttr<DictArrayAttr>:$arg_attrs,
    OptionalAttr<DictArrayAttr>:$res_attrs,
    OptionalAttr<SFFNN_EpilogueAttr>:$epilogue,
    OptionalAttr<SFFNN_SignatureAttr>:$signature
  );
  let regions = (region SizedRegion<1>:$body);
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "::mlir::FunctionType":$type)>
  ];
  let extraClassDeclaration = [{
    //===------------------------------------------------------------------===//
    // FunctionOpInterface and CallableOpInterface
    //===------------------------------------------------------------------===//

    ::mlir::Region *getCallableRegion() { return &getBody(); }
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() {
      return getFunctionType().getInputs();
    }
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() {
      return getFunctionType().getResults();
    }

    /// The `sffnn.return` terminating the body.
    ReturnOp getReturnOp();
    /// n_in: the total number of elements of the arguments.
    int64_t getNumInputNeurons();
    /// n_out: the total number of elements of the results.
    int64_t getNumOutputNeurons();
  }];
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

//===----------------------------------------------------------------------===//
// ReturnOp
//===----------------------------------------------------------------------===//

def SFFNN_ReturnOp : SFFNN_Op<"return", [
    Pure, HasParent<"NetworkOp">, ReturnLike, Terminator
  ]> {
  let summary = "Returns the output vectors of a network";
  let description = [{
    Terminates the body of `sffnn.network`; its operands are the network's
    results and must match its result types.

    ```mlir
    sffnn.return %y, %z : tensor<2xf32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins Variadic<SFFNN_Vector>:$operands);
  let assemblyFormat = "attr-dict ($operands^ `:` type($operands))?";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

def SFFNN_LayerOp : SFFNN_Op<"layer", [Pure]> {
  let summary = "A sparse layer over one or more input vectors";
  let description = [{
    Computes `result = activation(weights * concat(inputs) + bias)`, where
    `weights` is a `#sffnn.csr` matrix with one row per result neuron and one
    column per element of the concatenated inputs. Several inputs express
    skip connections. `bias` is a dense `f32` vector with one value per row;
    when absent, every bias is 0.

    The activation is written first, without the `#sffnn.activation` prefix.

    ```mlir
    %y = sffnn.layer clamp(0.0, 32.0)(%h, %x)
        : (tensor<3xf32>, tensor<4xf32>) -> tensor<2xf32>
        weights #sffnn.csr<2x7, [[0: 1.0, 5: 2.0], [1: 1.0]]>
        bias dense<[0.5, -0.5]> : tensor<2xf32>
    ```

    The same value may not appear twice among the inputs (its neurons would
    be two columns of one matrix).
  }];
  let arguments = (ins
    Variadic<SFFNN_Vector>:$inputs,
    SFFNN_SparseMatrixAttr:$weights,
    OptionalAttr<ElementsAttr>:$bias,
    SFFNN_ActivationAttr:$activation
  );
  let results = (outs SFFNN_Vector:$result);
  // The types come before the attributes: a `#sffnn.csr<...>` written last
  // before `: type` would take the type as its own.
  let assemblyFormat = [{
    custom<ActivationBody>($activation) `(` $inputs `)`
    `:` functional-type($inputs, $result)
    `weights` qualified($weights) (`bias` $bias^)? attr-dict
  }];
  let extraClassDeclaration = [{
    /// The number of columns: the total size of the inputs.
    int64_t getNumInputNeurons();
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// GraphOp
//===----------------------------------------------------------------------===//

def SFFNN_GraphOp : SFFNN_Op<"graph", [Pure]> {
  let summary = "A neuron-level DAG: an arbitrary sparse network in one op";
  let description = [{
    The neuron-level form, for networks that are not layered (edge lists from
    generators and TSV files). Neurons are numbered: `[0, n_in)` are the
    elements of the concatenated inputs, `[n_in, N)` the computed neurons.
    `fan_in` is a `#sffnn.csr` matrix with one row per computed neuron
    (`N - n_in` rows) and one column per neuron (`N` columns): row `r` lists
    the fan-in of neuron `n_in + r`. Ids need not be a topological order, but
    the graph must be acyclic.

    `bias` has one value per computed neuron (absent: all 0). `activations`
    is a table of distinct activations; `activation_ids` (an `i8` vector, one
    entry per computed neuron) indexes it, and may be omitted when the table
    has one entry. `outputs` lists the output neurons in order: distinct
    computed neurons, split across the results in order of their sizes.

    ```mlir
    %y = sffnn.graph(%x) : (tensor<2xf32>) -> tensor<2xf32>
        fan_in #sffnn.csr<3x5,
            [[0: 1.0, 1: 2.0], [0: -1.0, 2: 1.0], [1: 4.0, 3: 1.0]]>
        activations [relu] outputs [2, 4]
    ```
  }];
  let arguments = (ins
    Variadic<SFFNN_Vector>:$inputs,
    SFFNN_SparseMatrixAttr:$fan_in,
    OptionalAttr<ElementsAttr>:$bias,
    TypedArrayAttrBase<SFFNN_ActivationAttr, "activation table">:$activations,
    OptionalAttr<ElementsAttr>:$activation_ids,
    DenseI32ArrayAttr:$outputs
  );
  let results = (outs Variadic<SFFNN_Vector>:$results);
  let assemblyFormat = [{
    `(` $inputs `)` `:` functional-type($inputs, $results)
    `fan_in` qualified($fan_in) (`bias` $bias^)?
    `activations` custom<ActivationTable>($activations)
    (`activation_ids` $activation_ids^)?
    `outputs` $outputs attr-dict
  }];
  let extraClassDeclaration = [{
    /// n_in: the total size of the inputs.
    int64_t getNumInputNeurons();
  }];
  let hasVerifier = 1;
}

#endif // SFFNN_IR_SFFNNOPS_TD

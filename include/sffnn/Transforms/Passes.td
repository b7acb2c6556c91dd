//===- Passes.td - sffnn pass definitions ------------------*- tablegen -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TRANSFORMS_PASSES_TD
#define SFFNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PrintNetworkStats : Pass<"sffnn-print-network-stats", "mlir::ModuleOp"> {
  let summary = "Print the counts of every sffnn.network";
  let description = [{
    Prints, for each `sffnn.network` in the module, the counts of the I/O model
    (docs/io-model.md): N (neurons), n_in (inputs), n_in' (inputs with at
    least one out-edge), |C| (computed neurons), n_out (outputs), W
    (connections) and B (non-zero biases), and the form of its body. The IR
    is left unchanged.

    Input:

    ```mlir
    sffnn.network @chain(%x: tensor<1xf32>) -> tensor<1xf32> {
      %h = sffnn.layer relu(%x) : (tensor<1xf32>) -> tensor<1xf32>
          weights #sffnn.csr<1x1, [[0: 2.0]]> bias dense<1.0> : tensor<1xf32>
      %y = sffnn.layer identity(%h) : (tensor<1xf32>) -> tensor<1xf32>
          weights #sffnn.csr<1x1, [[0: 3.0]]>
      sffnn.return %y : tensor<1xf32>
    }
    ```

    Output (on stdout):

    ```
    network @chain: layered, 2 layers
      N      = 3
      n_in   = 1
      n_in'  = 1
      |C|    = 2
      n_out  = 1
      W      = 2
      B      = 1
    ```
  }];
}

#endif // SFFNN_TRANSFORMS_PASSES_TD

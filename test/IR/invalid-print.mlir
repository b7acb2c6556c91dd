// A verifier's note prints the op it rejects. A #sffnn.csr whose offsets run
// past its entries is printed array by array there: the row form would walk
// the bad offsets (text, and bytecode written without verification).
// RUN: not sffnn-opt %s 2>&1 | FileCheck %s
// RUN: sffnn-opt %s --mlir-very-unsafe-disable-verifier-on-parsing --emit-bytecode -o %t.mlirbc
// RUN: not sffnn-opt %t.mlirbc 2>&1 | FileCheck %s

// CHECK: error: 'sffnn.layer' op weights: offsets[1] = 100000000 exceeds the number of entries 1
// CHECK: note: see current operation: {{.*}}#sffnn.csr<1x2, offsets = dense<[0, 100000000]> : tensor<2xi32>, indices = dense<0> : tensor<1xi32>, values = dense<1.000000e+00> : tensor<1xf32>>
sffnn.network @offsets_past_entries(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense<[0, 100000000]> : tensor<2xi32>,
                              indices = dense<[0]> : tensor<1xi32>,
                              values = dense<[1.0]> : tensor<1xf32>>
  sffnn.return %y : tensor<1xf32>
}

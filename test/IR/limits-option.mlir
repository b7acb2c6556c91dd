// --sffnn-max-neurons and --sffnn-max-connections set the limits.
// RUN: sffnn-opt %s | FileCheck %s --check-prefix=OK
// RUN: not sffnn-opt %s --sffnn-max-neurons=2 2>&1 | FileCheck %s --check-prefix=NEURONS
// RUN: not sffnn-opt %s --sffnn-max-connections=2 2>&1 | FileCheck %s --check-prefix=CONNECTIONS

// OK: sffnn.network @net
// NEURONS: error: sparse matrix columns: 3 is above the limit of 2 neurons (raise it with --sffnn-max-neurons)
// CONNECTIONS: error: sparse matrix entries: 3 is above the limit of 2 connections (raise it with --sffnn-max-connections)
sffnn.network @net(%x: tensor<3xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<3xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x3, [[0: 1.0, 1: 2.0, 2: 3.0]]>
  sffnn.return %y : tensor<1xf32>
}

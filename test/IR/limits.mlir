// Sizes the IR declares are checked against the limits before anything of
// that size is read or allocated (docs/architecture.md, "Bad input").
// RUN: sffnn-opt %s -split-input-file -verify-diagnostics

// 10^12 rows declared by a splat offsets array of a few bytes.
sffnn.network @rows(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<2xf32>) -> tensor<1xf32>
      // expected-error @+1 {{sparse matrix rows: 1000000000000 is above the limit of 67108864 neurons (raise it with --sffnn-max-neurons)}}
      weights #sffnn.csr<1000000000000x2, offsets = dense<0> : tensor<1000000000001xi32>,
                              indices = dense<[]> : tensor<0xi32>,
                              values = dense<[]> : tensor<0xf32>>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A huge argument vector.
// expected-error @+1 {{'sffnn.network' op argument #0 size: 4294967298 is above the limit of 67108864 neurons (raise it with --sffnn-max-neurons)}}
sffnn.network @argument(%x: tensor<4294967298xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<4294967298xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, [[]]>
  sffnn.return %y : tensor<1xf32>
}

// -----

// 2^29 entries declared by splat arrays.
sffnn.network @entries(%x: tensor<2xf32>) -> tensor<1xf32> {
  %y = sffnn.layer identity(%x) : (tensor<2xf32>) -> tensor<1xf32>
      // expected-error @+1 {{sparse matrix entries: 536870912 is above the limit of 268435456 connections (raise it with --sffnn-max-connections)}}
      weights #sffnn.csr<1x2, offsets = dense<[0, 536870912]> : tensor<2xi64>,
                              indices = dense<0> : tensor<536870912xi32>,
                              values = dense<1.0> : tensor<536870912xf32>>
  sffnn.return %y : tensor<1xf32>
}

// -----

// A resource blob holding fewer elements than its type declares.
sffnn.network @short_blob(%x: tensor<2xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'sffnn.layer' op weights: the 'indices' array of the sparse matrix is not available}}
  %y = sffnn.layer identity(%x) : (tensor<2xf32>) -> tensor<1xf32>
      weights #sffnn.csr<1x2, offsets = dense<[0, 2]> : tensor<2xi32>,
                              indices = dense_resource<short> : tensor<2xi32>,
                              values = dense<1.0> : tensor<2xf32>>
  sffnn.return %y : tensor<1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x0400000000000000"
    }
  }
#-}

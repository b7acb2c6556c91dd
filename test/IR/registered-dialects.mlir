// sffnn-opt knows the dialects sffnn lowers to: func, arith, scf, memref,
// tensor, vector and llvm.
// RUN: sffnn-opt %s | sffnn-opt | FileCheck %s

// CHECK-LABEL: func.func @lowered
// CHECK: scf.for
// CHECK: memref.load
// CHECK: arith.addf
// CHECK: vector.broadcast
// CHECK: tensor.empty
// CHECK: llvm.mlir.constant
func.func @lowered(%m: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %m[%i] : memref<4xf32>
    %next = arith.addf %acc, %x : f32
    scf.yield %next : f32
  }
  %v = vector.broadcast %sum : f32 to vector<8xf32>
  %t = tensor.empty() : tensor<8xf32>
  %l = llvm.mlir.constant(1 : i32) : i32
  return %sum : f32
}

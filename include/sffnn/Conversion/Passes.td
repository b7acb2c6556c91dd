//===- Passes.td - sffnn conversion passes -----------------*- tablegen -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_CONVERSION_PASSES_TD
#define SFFNN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSFFNNToLoops : Pass<"sffnn-lower-to-loops", "mlir::ModuleOp"> {
  let summary = "Lower every sffnn.network to functions that execute its plan";
  let description = [{
    Replaces each `sffnn.network` @NAME by functions with a bare-pointer
    C ABI: `@NAME(%in: !llvm.ptr, %out: !llvm.ptr) -> i32`,
    `@NAME_batch(%in: !llvm.ptr, %out: !llvm.ptr, %n: i64) -> i32`
    (row-major samples) and
    `@NAME_batch_parallel(%in, %out, %n, %threads: i32) -> i32` (the batch in
    ranges of whole blocks over POSIX threads), each returning 0 or an errno
    value (ENOMEM, EINVAL), in the func, scf, arith, math, vector and llvm
    dialects (docs/codegen.md).

    The plan modes plan the network's evaluation order — the `order` of its
    `sffnn.schedule` attribute (see --sffnn-schedule) or else the two-optimal
    order — with M fast-memory words, and execute exactly that plan:
    `straight` as one instruction per step with constant slots, `loops` as
    loops over the plan's rows (dot products over fast-memory slots) and I/O
    events, in segments of one kind, streaming packed tables in plan order. `auto` picks straight
    for kernels of at most `straight-limit` operations, else loops, or csr
    where the plan never evicts, no groups of rows pay off (the plan then
    moves exactly csr's words) and csr's rows cost no more in a cache model
    of the L1 (NAME_batch: see docs/codegen.md, "Batch"). `csr` emits the
    standard layerwise CSR inference instead. With `instrument-io` the plan
    modes count their loads and stores in the i64 globals `@NAME_io_loads`
    and `@NAME_io_stores`. `@NAME_batch` executes a second plan of the same
    order whose values are blocks of `batch-block` samples and whose M
    (`batch-fast-memory`, default: half the L2 cache) counts blocks, with the
    `loops` kernel in both plan modes. The module gets an
    `sffnn.lowered` array with one dictionary per network: `name`,
    `codegen`, `strategy`, `fast_memory`, `inputs`, `outputs`, `kernel_ops`,
    `csr_frame_misses` and `plan_frame_misses` (the cache model's, where
    auto weighed csr against the plan's rows; else 0),
    the plan's `plan_loads`, `plan_stores`, `plan_cost` and
    `plan_activation_cost` (words per inference; 0 for codegen=csr), and
    `batch_block`, `batch_fast_memory`, `batch_plan_loads`,
    `batch_plan_stores`, `batch_plan_cost` and `batch_plan_activation_cost`
    (per block: weight and bias words, and activation values of B words).

    Before:

    ```mlir
    sffnn.network @tiny(%x: tensor<2xf32>) -> tensor<1xf32> {
      %y = sffnn.layer relu(%x) : (tensor<2xf32>) -> tensor<1xf32>
          weights #sffnn.csr<1x2, [[0: 2.0, 1: -1.0]]>
      sffnn.return %y : tensor<1xf32>
    }
    ```

    After `--sffnn-lower-to-loops="codegen=straight fast-memory=3"`:

    ```mlir
    func.func @tiny(%in: !llvm.ptr, %out: !llvm.ptr) -> i32 {
      %ok = scf.if %true -> (i32) {              // no heap buffer to check
      %x0 = llvm.load ... : !llvm.ptr -> f32     // load input 0
      %a = arith.mulf %c2, %x0 : f32             // mac, new accumulator
      %x1 = llvm.load ... : !llvm.ptr -> f32     // load input 1
      %b = math.fma %cm1, %x1, %a : f32          // mac
      %n = arith.cmpf olt, %b, %c0 : f32         // finish (relu)
      %y = arith.select %n, %c0, %b : f32
      llvm.store %y, ... : f32, !llvm.ptr        // store output 0
      scf.yield %c0_i32 : i32
      } else { scf.yield %c12_i32 : i32 }        // ENOMEM
      return %ok : i32
    }
    func.func @tiny_batch(%in: !llvm.ptr, %out: !llvm.ptr, %n: i64) -> i32 { ... }
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::func::FuncDialect",
    "mlir::LLVM::LLVMDialect", "mlir::math::MathDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"codegen", "codegen", "::sffnn::CodegenMode",
           /*default=*/"::sffnn::CodegenMode::Auto",
           "auto, straight, loops or csr",
           "::sffnn::getCodegenModeOptionValues()">,
    Option<"fastMemory", "fast-memory", "uint32_t", /*default=*/"0",
           "M in words; 0 takes the schedule's M, else the host's L1 data "
           "cache size / 4">,
    Option<"straightLimit", "straight-limit", "uint64_t",
           /*default=*/"sffnn::kDefaultStraightLimit",
           "auto emits straight-line code up to this many kernel operations">,
    Option<"vectorLanes", "vector-lanes", "uint32_t", /*default=*/"0",
           "f32 lanes of the target's vector registers (0: the host's)">,
    Option<"batchBlock", "batch-block", "uint32_t", /*default=*/"0",
           "Samples per NAME_batch block, one plan value (0: the one of 1, "
           "2 and 4 x vector-lanes whose plan costs the fewest cycles per "
           "sample); the rest runs in blocks of at most 8">,
    Option<"batchFastMemory", "batch-fast-memory", "uint32_t",
           /*default=*/"0",
           "M of the batch plan in blocks (0: half the host's L2 cache over "
           "4 x batch-block bytes)">,
    Option<"batchTileRows", "batch-tile-rows", "uint32_t", /*default=*/"0",
           "Rows per tile of the NAME_batch loops kernel, run together so "
           "that one read of a shared source feeds all of them (0: from the "
           "cost model; 1: one row at a time; at most 16)">,
    Option<"rowGroups", "row-groups", "::sffnn::RowGroups",
           /*default=*/"::sffnn::RowGroups::Auto",
           "How the single-sample loops kernel runs its rows: auto, none, "
           "gather or permute",
           "::sffnn::getRowGroupsOptionValues()">,
    Option<"instrumentIO", "instrument-io", "bool", /*default=*/"false",
           "Count loads and stores at run time (plan modes)">,
  ];
}

#endif // SFFNN_CONVERSION_PASSES_TD

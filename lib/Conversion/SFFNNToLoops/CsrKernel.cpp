//===- CsrKernel.cpp - Layerwise CSR inference ----------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements emitCsrKernel: the standard layer-by-layer inference
// of the same network, for comparison with the plan kernels. Every neuron
// value lives in a buffer x[N] ("slow memory"); each row reads its sources
// from x.
//
// A row's dot product runs in partial sums, as the loops kernel's rows do
// (sumInChains): its entries are padded to a multiple of the chains with
// weight-0 entries that read x[N], which holds 0, so that padding never
// multiplies a value the row does not read (0 x inf would be NaN).
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "sffnn/Scheduling/Schedulers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace sffnn;
using namespace sffnn::detail;

void sffnn::detail::emitCsrKernel(Emitter &e, OpBuilder &moduleBuilder,
                                  const Graph &graph, StringRef prefix,
                                  Value inPtr, Value outPtr, unsigned chains,
                                  bool inIsFrame) {
  MLIRContext *context = e.b.getContext();
  Location loc = e.loc;
  std::vector<NeuronId> order = getLayerwiseOrder(graph);
  std::vector<uint64_t> targets, rowStarts = {0}, columns, outputs;
  std::vector<float> values, biases;
  const uint64_t zeroIndex = graph.getNumNeurons();
  for (NeuronId v : order) {
    targets.push_back(v);
    for (auto [u, w] : llvm::zip(graph.getFanIn(v), graph.getFanInWeights(v))) {
      columns.push_back(u);
      values.push_back(w);
    }
    while (columns.size() % chains) {
      columns.push_back(zeroIndex);
      values.push_back(0.0f);
    }
    rowStarts.push_back(columns.size());
    biases.push_back(graph.getBias(v));
  }
  for (NeuronId v : graph.getOutputs())
    outputs.push_back(v);
  Type neuronType = getIndexType(context, graph.getNumNeurons());
  Type offsetType = getIndexType(context, columns.size());
  auto table = [&](StringRef suffix, DenseElementsAttr values) {
    return getTableAddress(e, moduleBuilder, (prefix + suffix).str(), values);
  };
  Value targetTable = table("_rows", getIntTable(neuronType, targets));
  Value startTable = table("_row_starts", getIntTable(offsetType, rowStarts));
  Value columnTable = table("_columns", getIntTable(neuronType, columns));
  Value valueTable = table("_values", getFloatTable(context, values));
  Value biasTable = table("_biases", getFloatTable(context, biases));
  Value outputTable = table("_outputs", getIntTable(neuronType, outputs));
  Type f32 = e.b.getF32Type();
  Value one = e.i64(1);

  Value x = inIsFrame ? inPtr : e.allocate(getCsrFrameElements(graph));
  e.storeElement(e.constant(0.0f), x, e.i64(zeroIndex));
  // x[u] = in[u] for the inputs.
  if (!inIsFrame)
    e.forLoop(e.i64(0), e.i64(graph.getNumInputs()), one, {},
              [&](Value u, ValueRange) -> SmallVector<Value> {
                e.storeElement(e.loadElement(inPtr, u), x, u);
                return {};
              });
  // One loop nest per run of rows with the same activation.
  for (size_t begin = 0; begin < order.size();) {
    const Activation &activation = graph.getActivation(order[begin]);
    size_t end = begin + 1;
    while (end < order.size() && graph.getActivation(order[end]) == activation)
      ++end;
    e.forLoop(e.i64(begin), e.i64(end), one, {},
              [&](Value r, ValueRange) -> SmallVector<Value> {
                Value rowBegin = e.loadIndex(startTable, offsetType, r);
                Value rowEnd =
                    e.loadIndex(startTable, offsetType,
                                arith::AddIOp::create(e.b, loc, r, one));
                Value bias = e.splat(e.load(f32, biasTable, r));
                Value dot = sumInChains(
                    e, rowBegin, rowEnd, bias, chains, [&](Value k, Value sum) {
                      Value w = e.splat(e.load(f32, valueTable, k));
                      Value source = e.loadElement(
                          x, e.loadIndex(columnTable, neuronType, k));
                      return e.fma(w, source, sum);
                    });
                e.storeElement(e.activate(dot, activation), x,
                               e.loadIndex(targetTable, neuronType, r));
                return {};
              });
    begin = end;
  }
  e.forLoop(e.i64(0), e.i64(graph.getNumOutputs()), one, {},
            [&](Value k, ValueRange) -> SmallVector<Value> {
              e.storeElement(
                  e.loadElement(x, e.loadIndex(outputTable, neuronType, k)),
                  outPtr, k);
              return {};
            });
}

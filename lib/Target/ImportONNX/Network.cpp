//===- Network.cpp - Affine maps and layers of the ONNX importer ----------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements AffineMap and NetworkBuilder: the composition of
// affine maps in double precision (rounded to f32 once per op) and the
// conversion of the layers into a layered Graph.
//
//===----------------------------------------------------------------------===//

#include "Network.h"

#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"

using namespace sffnn;
using namespace sffnn::onnx_import;

bool AffineMap::isDiagonal() const {
  return llvm::all_of(terms, [](const Term &term) { return term.diagonal; });
}

void AffineMap::scaleRows(llvm::ArrayRef<double> scale) {
  auto factor = [&](uint32_t row) {
    return scale.size() == 1 ? scale[0] : scale[row];
  };
  for (Term &term : terms) {
    if (term.rows == 0)
      continue;
    uint32_t columns = term.diagonal ? 1 : term.matrix.size() / term.rows;
    for (uint32_t r = 0; r < term.rows; ++r)
      for (uint32_t c = 0; c < columns; ++c) {
        float &w = term.matrix[uint64_t(r) * columns + c];
        w = float(w * factor(term.rowOffset + r));
      }
  }
  for (uint32_t r = 0; r < width; ++r)
    bias[r] = float(bias[r] * factor(r));
}

void AffineMap::addToBias(llvm::ArrayRef<double> c) {
  for (uint32_t r = 0; r < width; ++r)
    bias[r] = float(bias[r] + (c.size() == 1 ? c[0] : c[r]));
}

AffineMap sffnn::onnx_import::addMaps(AffineMap a, const AffineMap &b) {
  a.terms.insert(a.terms.end(), b.terms.begin(), b.terms.end());
  for (uint32_t r = 0; r < a.width; ++r)
    a.bias[r] = float(double(a.bias[r]) + b.bias[r]);
  return a;
}

AffineMap sffnn::onnx_import::concatMaps(llvm::ArrayRef<AffineMap> maps) {
  AffineMap result;
  for (const AffineMap &map : maps) {
    for (AffineMap::Term term : map.terms) {
      term.rowOffset += result.width;
      result.terms.push_back(std::move(term));
    }
    result.bias.insert(result.bias.end(), map.bias.begin(), map.bias.end());
    result.width += map.width;
  }
  return result;
}

NetworkBuilder::NetworkBuilder(uint32_t numInputs)
    : widths{numInputs}, numNeurons(numInputs) {}

AffineMap NetworkBuilder::identity(uint32_t value) const {
  AffineMap map;
  map.width = widths[value];
  map.bias.assign(map.width, 0.0f);
  AffineMap::Term term;
  term.value = value;
  term.rows = map.width;
  term.matrix.assign(map.width, 1.0f);
  map.terms.push_back(std::move(term));
  return map;
}

std::optional<uint32_t>
NetworkBuilder::getPlainValue(const AffineMap &map) const {
  if (map.terms.size() != 1)
    return std::nullopt;
  const AffineMap::Term &term = map.terms[0];
  if (!term.diagonal || term.rowOffset != 0 || term.rows != map.width ||
      widths[term.value] != map.width ||
      llvm::any_of(term.matrix, [](float w) { return w != 1.0f; }) ||
      llvm::any_of(map.bias, [](float b) { return b != 0.0f; }))
    return std::nullopt;
  return term.value;
}

AffineMap NetworkBuilder::multiply(const AffineMap &map,
                                   llvm::ArrayRef<float> weights, uint32_t in,
                                   uint32_t out, bool transposed) const {
  assert(map.isDiagonal() && map.width == in && "expected a diagonal map");
  auto weight = [&](uint32_t i, uint32_t j) -> double {
    return transposed ? weights[uint64_t(j) * in + i]
                      : weights[uint64_t(i) * out + j];
  };
  AffineMap result;
  result.width = out;
  result.bias.assign(out, 0.0f);
  for (const AffineMap::Term &term : map.terms) {
    // Rows [rowOffset, rowOffset + rows) of x are d * x_value: the product
    // takes W's rows there, each column scaled by d.
    AffineMap::Term product;
    product.value = term.value;
    product.rows = out;
    product.diagonal = false;
    product.matrix.assign(uint64_t(out) * term.rows, 0.0f);
    for (uint32_t j = 0; j < out; ++j)
      for (uint32_t i = 0; i < term.rows; ++i)
        product.matrix[uint64_t(j) * term.rows + i] =
            float(weight(term.rowOffset + i, j) * term.matrix[i]);
    result.terms.push_back(std::move(product));
  }
  for (uint32_t j = 0; j < out; ++j) {
    double sum = 0.0;
    for (uint32_t i = 0; i < in; ++i)
      sum += weight(i, j) * map.bias[i];
    result.bias[j] = float(sum);
  }
  return result;
}

llvm::Expected<uint32_t>
NetworkBuilder::addLayer(const AffineMap &map,
                         std::vector<Activation> activations) {
  bool identity = llvm::all_of(activations, [](const Activation &a) {
    return a == Activation::identity();
  });
  if (identity)
    if (std::optional<uint32_t> plain = getPlainValue(map))
      return *plain;
  numNeurons += map.width;
  if (llvm::Error error = checkNeuronCount(numNeurons, "the model"))
    return std::move(error);
  if (activations.size() == 1)
    activations.assign(map.width, activations[0]);
  layers.push_back({map, std::move(activations)});
  widths.push_back(map.width);
  return widths.size() - 1;
}

llvm::Expected<Graph> NetworkBuilder::build(llvm::ArrayRef<uint32_t> results,
                                            OutputEpilogue epilogue) const {
  Graph graph(widths[0]);
  GraphLayout &layout = graph.getLayout();
  layout.argumentSizes = {widths[0]};
  std::vector<NeuronId> begins = {0};
  // One row's sums by column, and the columns its terms touch: a row costs
  // its terms' entries, not the layer's columns (a diagonal layer of n
  // neurons is O(n), not O(n^2)).
  std::vector<float> row;
  std::vector<uint8_t> touched;
  std::vector<uint32_t> columns;
  std::vector<NeuronId> neuronOf;
  for (const Layer &layer : layers) {
    const AffineMap &map = layer.map;
    // The operands in order of first use, and their first columns.
    GraphLayout::Layer record;
    std::vector<uint32_t> columnOf(widths.size(), 0);
    uint32_t numColumns = 0;
    for (const AffineMap::Term &term : map.terms)
      if (!llvm::is_contained(record.operands, term.value)) {
        record.operands.push_back(term.value);
        columnOf[term.value] = numColumns;
        numColumns += widths[term.value];
      }
    row.assign(numColumns, 0.0f);
    touched.assign(numColumns, 0);
    neuronOf.clear();
    for (uint32_t operand : record.operands)
      for (uint32_t c = 0; c < widths[operand]; ++c)
        neuronOf.push_back(begins[operand] + c);
    auto add = [&](uint32_t column, float w) {
      if (!touched[column]) {
        touched[column] = 1;
        columns.push_back(column);
      }
      row[column] += w;
    };
    record.begin = graph.getNumNeurons();
    // Each row: the sum of its terms, then its non-zero entries in column
    // order (operands in order of first use, each in index order).
    for (uint32_t r = 0; r < map.width; ++r) {
      columns.clear();
      for (const AffineMap::Term &term : map.terms) {
        if (r < term.rowOffset || r >= term.rowOffset + term.rows)
          continue;
        uint32_t local = r - term.rowOffset, first = columnOf[term.value];
        if (term.diagonal) {
          add(first + local, term.matrix[local]);
          continue;
        }
        uint32_t width = widths[term.value];
        for (uint32_t c = 0; c < width; ++c)
          add(first + c, term.matrix[uint64_t(local) * width + c]);
      }
      llvm::sort(columns);
      graph.addNeuron(map.bias[r], layer.activations[r]);
      for (uint32_t column : columns) {
        if (float w = row[column]; w != 0.0f)
          graph.addFanIn(neuronOf[column], w);
        row[column] = 0.0f;
        touched[column] = 0;
      }
    }
    record.end = graph.getNumNeurons();
    begins.push_back(record.begin);
    layout.layers.push_back(std::move(record));
  }
  for (uint32_t value : results) {
    for (uint32_t i = 0; i < widths[value]; ++i)
      graph.addOutput(begins[value] + i);
    layout.resultSizes.push_back(widths[value]);
    layout.results.push_back(value);
  }
  graph.setOutputEpilogue(epilogue);
  if (llvm::Error error = graph.finalize())
    return std::move(error);
  return graph;
}

//===- EigenBaseline.cpp - Layer-by-layer inference with Eigen ------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#include "Baselines.h"

#include "llvm/Support/FormatVariadic.h"

#include <Eigen/Dense>
#include <Eigen/SparseCore>

using namespace sffnn;
using namespace sffnn::bench;

namespace {

/// N x batch, row-major: a sparse row-major product then updates each
/// neuron's batch of values contiguously (Eigen's fastest sparse x dense
/// form).
using State =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using SampleMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;

/// Adds the biases of `layer` to its rows of `state` and applies the
/// activations.
template <typename StateT>
void finishLayer(const SparseLayer &layer, StateT &state) {
  auto rows = state.middleRows(layer.rowBegin, layer.numRows());
  rows.colwise() +=
      Eigen::Map<const Eigen::VectorXf>(layer.biases.data(), layer.numRows());
  if (layer.hasUniformActivation()) {
    const Activation &activation = layer.activations.front();
    switch (activation.kind) {
    case ActivationKind::Identity:
      return;
    case ActivationKind::Relu:
      rows = rows.cwiseMax(0.0f);
      return;
    case ActivationKind::Clamp:
      rows = rows.cwiseMax(activation.param0).cwiseMin(activation.param1);
      return;
    default:
      break;
    }
  }
  for (Eigen::Index s = 0; s < rows.cols(); ++s)
    for (uint32_t r = 0; r < layer.numRows(); ++r)
      rows(r, s) = applyActivation(layer.activations[r], rows(r, s));
}

/// The layer loop shared by the sparse and the dense variant: `Matrix` is
/// the weight matrix type. One sample runs on a vector (matrix x vector
/// products), batches on the row-major state matrix.
template <typename Matrix> class EigenInference : public Inference {
public:
  EigenInference(const LayeredView &view, std::vector<Matrix> weights)
      : view(view), weights(std::move(weights)), vector(view.numNeurons) {}

  void run(const float *in, float *out, int64_t batch) override {
    if (batch == 1)
      return runLayers(vector, in, out, 1);
    if (matrix.cols() != batch)
      matrix.resize(view.numNeurons, batch);
    runLayers(matrix, in, out, batch);
  }

private:
  template <typename StateT>
  void runLayers(StateT &state, const float *in, float *out, int64_t batch) {
    const Eigen::Index numInputs = view.numInputs;
    const Eigen::Index numOutputs = view.outputPositions.size();
    state.topRows(numInputs) =
        Eigen::Map<const SampleMajor>(in, numInputs, batch);
    for (size_t l = 0; l < view.layers.size(); ++l) {
      const SparseLayer &layer = view.layers[l];
      state.middleRows(layer.rowBegin, layer.numRows()).noalias() =
          weights[l] * state.middleRows(layer.colBegin, layer.numCols());
      finishLayer(layer, state);
    }
    for (int64_t s = 0; s < batch; ++s)
      for (Eigen::Index k = 0; k < numOutputs; ++k)
        out[s * numOutputs + k] = state(view.outputPositions[k], s);
  }

  const LayeredView &view;
  std::vector<Matrix> weights;
  Eigen::VectorXf vector;
  State matrix;
};

} // namespace

std::unique_ptr<Inference>
sffnn::bench::createEigenSparse(const LayeredView &view) {
  using Sparse = Eigen::SparseMatrix<float, Eigen::RowMajor>;
  std::vector<Sparse> weights;
  std::vector<Eigen::Triplet<float>> triplets;
  for (const SparseLayer &layer : view.layers) {
    triplets.clear();
    for (uint32_t r = 0; r < layer.numRows(); ++r)
      for (int64_t k = layer.rowStarts[r]; k < layer.rowStarts[r + 1]; ++k)
        triplets.emplace_back(r, layer.columns[k], layer.values[k]);
    Sparse &matrix = weights.emplace_back(layer.numRows(), layer.numCols());
    matrix.setFromTriplets(triplets.begin(), triplets.end());
    matrix.makeCompressed();
  }
  return std::make_unique<EigenInference<Sparse>>(view, std::move(weights));
}

llvm::Expected<std::unique_ptr<Inference>>
sffnn::bench::createEigenDense(const LayeredView &view, uint64_t maxBytes) {
  using Dense =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  uint64_t bytes = 0;
  for (const SparseLayer &layer : view.layers)
    bytes += uint64_t(layer.numRows()) * layer.numCols() * sizeof(float);
  if (bytes > maxBytes)
    return llvm::createStringError(llvm::formatv(
        "dense weights would take {0} bytes (limit {1})", bytes, maxBytes));
  std::vector<Dense> weights;
  for (const SparseLayer &layer : view.layers) {
    Dense &matrix =
        weights.emplace_back(Dense::Zero(layer.numRows(), layer.numCols()));
    for (uint32_t r = 0; r < layer.numRows(); ++r)
      for (int64_t k = layer.rowStarts[r]; k < layer.rowStarts[r + 1]; ++k)
        matrix(r, layer.columns[k]) = layer.values[k];
  }
  return std::make_unique<EigenInference<Dense>>(view, std::move(weights));
}

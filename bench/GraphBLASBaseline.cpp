//===- GraphBLASBaseline.cpp - Layer-by-layer inference with GraphBLAS ----===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//

#include "Baselines.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

extern "C" {
#include <GraphBLAS.h>
}

using namespace sffnn;
using namespace sffnn::bench;

namespace {

/// Initializes GraphBLAS once, non-blocking and on one thread (sffnn's code
/// is single-threaded too).
void initGraphBLAS() {
  static std::once_flag once;
  std::call_once(once, [] {
    GrB_init(GrB_NONBLOCKING);
    GxB_Global_Option_set(GxB_GLOBAL_NTHREADS, 1);
  });
}

llvm::Error check(GrB_Info info, const char *what) {
  if (info == GrB_SUCCESS)
    return llvm::Error::success();
  return llvm::createStringError(
      llvm::formatv("GraphBLAS: {0} failed with code {1}", what, int(info)));
}

/// Aborts on a GraphBLAS failure inside a timed call (the setup checked
/// every shape, so this is a bug).
void mustSucceed(GrB_Info info, const char *what) {
  if (llvm::Error error = check(info, what))
    llvm::report_fatal_error(std::move(error));
}

class GraphBLASInference : public Inference {
public:
  explicit GraphBLASInference(const LayeredView &view) : view(view) {}
  ~GraphBLASInference() override {
    freeBatch();
    for (GrB_Matrix &w : weights)
      GrB_Matrix_free(&w);
  }

  llvm::Error addLayer(const SparseLayer &layer) {
    GrB_Matrix &w = weights.emplace_back();
    if (llvm::Error error = check(
            GrB_Matrix_new(&w, GrB_FP32, layer.numRows(), layer.numCols()),
            "GrB_Matrix_new"))
      return error;
    std::vector<GrB_Index> rows, cols;
    for (uint32_t r = 0; r < layer.numRows(); ++r)
      for (int64_t k = layer.rowStarts[r]; k < layer.rowStarts[r + 1]; ++k) {
        rows.push_back(r);
        cols.push_back(layer.columns[k]);
      }
    if (llvm::Error error =
            check(GrB_Matrix_build_FP32(w, rows.data(), cols.data(),
                                        layer.values.data(), rows.size(),
                                        GrB_PLUS_FP32),
                  "GrB_Matrix_build"))
      return error;
    return check(GrB_Matrix_wait(w, GrB_MATERIALIZE), "GrB_Matrix_wait");
  }

  void run(const float *in, float *out, int64_t batch) override {
    if (batch != batchSize)
      prepareBatch(batch);
    // Y_0 takes a copy of the input (pack moves the buffer into the matrix).
    size_t inBytes = size_t(view.numInputs) * batch * sizeof(float);
    void *inCopy = std::malloc(inBytes);
    std::memcpy(inCopy, in, inBytes);
    mustSucceed(GxB_Matrix_pack_FullC(states[0], &inCopy, inBytes,
                                      /*iso=*/false, nullptr),
                "GxB_Matrix_pack_FullC");
    for (size_t l = 0; l < view.layers.size(); ++l) {
      const SparseLayer &layer = view.layers[l];
      GrB_Matrix y = states[l + 1];
      mustSucceed(GrB_mxm(y, nullptr, nullptr, GrB_PLUS_TIMES_SEMIRING_FP32,
                          weights[l], states[l], nullptr),
                  "GrB_mxm");
      mustSucceed(GrB_Matrix_eWiseAdd_BinaryOp(y, nullptr, nullptr,
                                               GrB_PLUS_FP32, y, biases[l],
                                               nullptr),
                  "GrB_eWiseAdd");
      const Activation &activation = layer.activations.front();
      if (activation.kind == ActivationKind::Relu ||
          activation.kind == ActivationKind::Clamp)
        mustSucceed(GrB_Matrix_apply_BinaryOp2nd_FP32(
                        y, nullptr, nullptr, GrB_MAX_FP32, y,
                        activation.kind == ActivationKind::Relu
                            ? 0.0f
                            : activation.param0,
                        nullptr),
                    "GrB_apply");
      if (activation.kind == ActivationKind::Clamp)
        mustSucceed(
            GrB_Matrix_apply_BinaryOp2nd_FP32(y, nullptr, nullptr, GrB_MIN_FP32,
                                              y, activation.param1, nullptr),
            "GrB_apply");
    }
    GrB_Matrix last = states.back();
    void *values = nullptr;
    GrB_Index valuesBytes = 0;
    bool iso = false;
    mustSucceed(
        GxB_Matrix_unpack_FullC(last, &values, &valuesBytes, &iso, nullptr),
        "GxB_Matrix_unpack_FullC");
    const SparseLayer &lastLayer = view.layers.back();
    const float *y = static_cast<const float *>(values);
    const size_t numOutputs = view.outputPositions.size();
    for (int64_t s = 0; s < batch; ++s)
      for (size_t k = 0; k < numOutputs; ++k)
        out[s * numOutputs + k] =
            y[iso ? 0
                  : s * lastLayer.numRows() +
                        (view.outputPositions[k] - lastLayer.rowBegin)];
    std::free(values);
    // The state matrices are reused; restore the last one's shape.
    mustSucceed(GrB_Matrix_clear(last), "GrB_Matrix_clear");
  }

private:
  /// Allocates the state matrices Y_l and the bias matrices for `batch`.
  void prepareBatch(int64_t batch) {
    freeBatch();
    batchSize = batch;
    auto newFull = [&](GrB_Matrix *m, GrB_Index rows) {
      mustSucceed(GrB_Matrix_new(m, GrB_FP32, rows, batch), "GrB_Matrix_new");
      mustSucceed(GxB_Matrix_Option_set(*m, GxB_FORMAT, GxB_BY_COL),
                  "GxB_Matrix_Option_set");
    };
    states.resize(view.layers.size() + 1);
    newFull(&states[0], view.numInputs);
    for (size_t l = 0; l < view.layers.size(); ++l) {
      const SparseLayer &layer = view.layers[l];
      newFull(&states[l + 1], layer.numRows());
      GrB_Matrix &bias = biases.emplace_back();
      newFull(&bias, layer.numRows());
      size_t bytes = size_t(layer.numRows()) * batch * sizeof(float);
      float *values = static_cast<float *>(std::malloc(bytes));
      for (int64_t s = 0; s < batch; ++s)
        std::memcpy(values + s * layer.numRows(), layer.biases.data(),
                    layer.numRows() * sizeof(float));
      void *raw = values;
      mustSucceed(GxB_Matrix_pack_FullC(bias, &raw, bytes, false, nullptr),
                  "GxB_Matrix_pack_FullC");
    }
  }

  void freeBatch() {
    for (GrB_Matrix &m : states)
      GrB_Matrix_free(&m);
    for (GrB_Matrix &m : biases)
      GrB_Matrix_free(&m);
    states.clear();
    biases.clear();
    batchSize = 0;
  }

  const LayeredView &view;
  std::vector<GrB_Matrix> weights, states, biases;
  int64_t batchSize = 0;
};

} // namespace

llvm::Expected<std::unique_ptr<Inference>>
sffnn::bench::createGraphBLAS(const LayeredView &view) {
  initGraphBLAS();
  uint32_t previous = 0;
  for (const SparseLayer &layer : view.layers) {
    if (layer.colBegin != previous)
      return llvm::createStringError(
          "the network is not a chain of layers (a layer reads positions "
          "before the previous layer)");
    previous = layer.rowBegin;
    if (!layer.hasUniformActivation())
      return llvm::createStringError("a layer mixes activations");
    ActivationKind kind = layer.activations.front().kind;
    if (kind != ActivationKind::Identity && kind != ActivationKind::Relu &&
        kind != ActivationKind::Clamp)
      return llvm::createStringError(
          llvm::formatv("no GraphBLAS operator for the activation '{0}'",
                        stringifyActivationKind(kind)));
  }
  if (view.layers.empty())
    return llvm::createStringError("the network has no layers");
  for (uint32_t p : view.outputPositions)
    if (p < view.layers.back().rowBegin)
      return llvm::createStringError("an output is not in the last layer");
  auto inference = std::make_unique<GraphBLASInference>(view);
  for (const SparseLayer &layer : view.layers)
    if (llvm::Error error = inference->addLayer(layer))
      return std::move(error);
  return std::move(inference);
}

//===- GraphChallenge.cpp - Sparse DNN Graph Challenge inputs and reference
//===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-graph-challenge, the part of
// utils/graph-challenge.sh that does not use sffnn (docs/graph-challenge.md):
//
//   sffnn-graph-challenge images --neurons=N --count=K IDX.gz -o FILE.tsv
//
// writes the first K images of an IDX image file (gzip-compressed, as
// Debian's dataset-fashion-mnist ships them), each resized bilinearly to
// sqrt(N) x sqrt(N) pixels and binarized (1 where the resized intensity is at
// least half the maximum), in the Challenge's sparse-images layout: lines
// `image pixel 1`, 1-based, by image, then pixel (pixel = row * sqrt(N) +
// column + 1).
//
//   sffnn-graph-challenge reference --layers=PREFIX --num-layers=L
//       --neurons=N --bias=B --input=FILE.tsv --count=K [--threads=T,...]
//       [--min-time=S] [--categories=PREFIX]
//
// reads the Challenge's network files PREFIX-l1.tsv .. PREFIX-lL.tsv (lines
// `row col value`, 1-based: the weight from neuron row of the previous layer
// to neuron col) and runs the K input rows through them with GraphBLAS,
// layer by layer over the whole batch, as the Challenge's reference does:
//
//   Y = min(max(Y W_l + B, 0), YMAX),  YMAX = 32,
//
// with Y sparse (B is added to the entries of Y W_l only, and non-positive
// results are dropped; for B <= 0 this is the dense formula above). For each
// thread count T in turn (GraphBLAS's own threads; 0: all online cores) the
// inference is timed, repeated until --min-time seconds have passed; it
// prints
//
//   edges E            (the connections of all layers, once)
//   seconds T S        (the fastest run on T threads)
//   categories T C     (the samples with a non-zero output row)
//
// and writes the categories, 1-based, one per line, to PREFIX-T.cat of
// --categories. Every malformed input gives one error naming the file (and
// line) and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

#include <zlib.h>

extern "C" {
#include <GraphBLAS.h>
}

namespace cl = llvm::cl;

namespace {

cl::SubCommand imagesCommand("images",
                             "Challenge-style binary images from an IDX file");
cl::SubCommand referenceCommand(
    "reference", "Layer-by-layer GraphBLAS inference of a Challenge network");

cl::opt<unsigned> neurons("neurons", cl::desc("Neurons per layer"),
                          cl::sub(imagesCommand), cl::sub(referenceCommand),
                          cl::Required);
cl::opt<unsigned> count("count", cl::desc("Number of images (input rows)"),
                        cl::sub(imagesCommand), cl::sub(referenceCommand),
                        cl::Required);

cl::opt<std::string> idxPath(cl::Positional, cl::desc("<IDX.gz>"),
                             cl::sub(imagesCommand), cl::Required);
cl::opt<std::string> outputPath("o", cl::desc("Output TSV file"),
                                cl::sub(imagesCommand), cl::Required);

cl::opt<std::string>
    layerPrefix("layers",
                cl::desc("Network files: PREFIX-l1.tsv .. PREFIX-lL.tsv"),
                cl::sub(referenceCommand), cl::Required);
cl::opt<unsigned> numLayers("num-layers", cl::desc("Number of layers L"),
                            cl::sub(referenceCommand), cl::Required);
cl::opt<float> bias("bias", cl::desc("Bias of every neuron (<= 0)"),
                    cl::sub(referenceCommand), cl::Required);
cl::opt<float> ymax("ymax", cl::desc("ReLU clamp (YMAX)"), cl::init(32.0f),
                    cl::sub(referenceCommand));
cl::opt<std::string> inputPath("input",
                               cl::desc("Input rows, sparse-images layout"),
                               cl::sub(referenceCommand), cl::Required);
cl::list<unsigned> threadCounts(
    "threads",
    cl::desc("GraphBLAS thread counts, each timed in turn (0: all online "
             "cores; default 1)"),
    cl::CommaSeparated, cl::sub(referenceCommand));
cl::opt<double> minTime("min-time",
                        cl::desc("Repeat the inference for this many seconds "
                                 "and report the fastest run"),
                        cl::init(1.0), cl::sub(referenceCommand));
cl::opt<std::string> categoriesPath(
    "categories", cl::desc("Write the categories of T threads to PREFIX-T.cat"),
    cl::sub(referenceCommand));

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

[[noreturn]] void fail(const llvm::Twine &message) {
  llvm::errs() << "sffnn-graph-challenge: error: " << message << "\n";
  std::exit(1);
}

void check(GrB_Info info, const char *what) {
  if (info != GrB_SUCCESS)
    fail(llvm::formatv("GraphBLAS: {0} failed with code {1}", what, int(info)));
}

/// The side of the square images of an N-neuron network (N <= 2^26, the
/// tools' default neuron limit).
unsigned imageSide(unsigned n) {
  if (n > (1u << 26))
    fail(llvm::formatv("--neurons={0} is above the limit 2^26", n));
  unsigned side = unsigned(std::lround(std::sqrt(double(n))));
  if (n == 0 || side * side != n)
    fail(llvm::formatv("--neurons={0} is not a square number of pixels", n));
  return side;
}

//===----------------------------------------------------------------------===//
// images
//===----------------------------------------------------------------------===//

uint32_t readBigEndian32(gzFile file, llvm::StringRef path) {
  unsigned char b[4];
  if (gzread(file, b, 4) != 4)
    fail(llvm::formatv("'{0}': truncated IDX header", path));
  return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 |
         b[3];
}

int runImages() {
  unsigned side = imageSide(neurons);
  gzFile file = gzopen(idxPath.c_str(), "rb");
  if (!file)
    fail(llvm::formatv("cannot open '{0}'", idxPath));
  // IDX: magic 0x00000803 (unsigned bytes, 3 dimensions), then the sizes.
  if (readBigEndian32(file, idxPath) != 0x803)
    fail(llvm::formatv("'{0}' is not an IDX file of images", idxPath));
  uint32_t available = readBigEndian32(file, idxPath);
  uint32_t rows = readBigEndian32(file, idxPath);
  uint32_t cols = readBigEndian32(file, idxPath);
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
    fail(llvm::formatv("'{0}': bad image size {1} x {2}", idxPath, rows, cols));
  if (count == 0 || count > available)
    fail(llvm::formatv("--count={0}: '{1}' holds {2} images", count, idxPath,
                       available));

  std::error_code ec;
  llvm::raw_fd_ostream out(outputPath, ec);
  if (ec)
    fail(llvm::formatv("cannot write '{0}': {1}", outputPath, ec.message()));
  std::vector<unsigned char> pixels(size_t(rows) * cols);
  for (unsigned image = 0; image < count; ++image) {
    if (gzread(file, pixels.data(), unsigned(pixels.size())) !=
        int(pixels.size()))
      fail(llvm::formatv("'{0}': truncated at image {1}", idxPath, image + 1));
    // Bilinear resampling, pixel centers aligned.
    auto at = [&](int r, int c) {
      r = std::clamp(r, 0, int(rows) - 1);
      c = std::clamp(c, 0, int(cols) - 1);
      return double(pixels[size_t(r) * cols + c]);
    };
    for (unsigned r = 0; r < side; ++r) {
      double y = (r + 0.5) * rows / side - 0.5;
      int y0 = int(std::floor(y));
      double fy = y - y0;
      for (unsigned c = 0; c < side; ++c) {
        double x = (c + 0.5) * cols / side - 0.5;
        int x0 = int(std::floor(x));
        double fx = x - x0;
        double v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
                   fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
        if (v >= 127.5)
          out << image + 1 << '\t' << r * side + c + 1 << "\t1\n";
      }
    }
  }
  gzclose(file);
  out.close();
  if (out.has_error())
    fail(llvm::formatv("cannot write '{0}': {1}", outputPath,
                       out.error().message()));
  return 0;
}

//===----------------------------------------------------------------------===//
// reference
//===----------------------------------------------------------------------===//

/// The entries of a `row col value` TSV file, 0-based.
struct Triples {
  std::vector<GrB_Index> rows, cols;
  std::vector<float> values;
};

/// Reads `row col value` lines with 1 <= row <= maxRow, 1 <= col <= maxCol.
Triples readTriples(llvm::StringRef path, uint64_t maxRow, uint64_t maxCol) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    fail(llvm::formatv("cannot read '{0}': {1}", path,
                       buffer.getError().message()));
  Triples triples;
  llvm::StringRef text = (*buffer)->getBuffer();
  unsigned lineNo = 0;
  while (!text.empty()) {
    llvm::StringRef line;
    std::tie(line, text) = text.split('\n');
    ++lineNo;
    line = line.trim();
    if (line.empty())
      continue;
    llvm::SmallVector<llvm::StringRef, 3> fields;
    line.split(fields, '\t', -1, /*KeepEmpty=*/false);
    if (fields.size() == 1)
      fields.clear(), line.split(fields, ' ', -1, false);
    uint64_t row = 0, col = 0;
    double value = 0;
    if (fields.size() != 3 || fields[0].getAsInteger(10, row) ||
        fields[1].getAsInteger(10, col) || fields[2].getAsDouble(value))
      fail(llvm::formatv("{0}:{1}: expected 'row col value'", path, lineNo));
    if (row < 1 || row > maxRow || col < 1 || col > maxCol)
      fail(llvm::formatv("{0}:{1}: entry ({2}, {3}) outside 1..{4} x 1..{5}",
                         path, lineNo, row, col, maxRow, maxCol));
    if (!std::isfinite(float(value)))
      fail(llvm::formatv("{0}:{1}: value is not a finite f32", path, lineNo));
    triples.rows.push_back(row - 1);
    triples.cols.push_back(col - 1);
    triples.values.push_back(float(value));
  }
  return triples;
}

GrB_Matrix buildMatrix(const Triples &t, GrB_Index rows, GrB_Index cols) {
  GrB_Matrix m;
  check(GrB_Matrix_new(&m, GrB_FP32, rows, cols), "GrB_Matrix_new");
  check(GrB_Matrix_build_FP32(m, t.rows.data(), t.cols.data(), t.values.data(),
                              t.values.size(), GrB_PLUS_FP32),
        "GrB_Matrix_build");
  check(GrB_Matrix_wait(m, GrB_MATERIALIZE), "GrB_Matrix_wait");
  return m;
}

/// Runs the layers on a copy of `input`; returns the output.
GrB_Matrix infer(GrB_Matrix input, llvm::ArrayRef<GrB_Matrix> weights) {
  GrB_Matrix y;
  check(GrB_Matrix_dup(&y, input), "GrB_Matrix_dup");
  GrB_Index batch;
  check(GrB_Matrix_nrows(&batch, input), "GrB_Matrix_nrows");
  for (GrB_Matrix w : weights) {
    GrB_Matrix z;
    check(GrB_Matrix_new(&z, GrB_FP32, batch, neurons), "GrB_Matrix_new");
    check(GrB_mxm(z, nullptr, nullptr, GrB_PLUS_TIMES_SEMIRING_FP32, y, w,
                  nullptr),
          "GrB_mxm");
    GrB_Matrix_free(&y);
    check(GrB_Matrix_apply_BinaryOp2nd_FP32(z, nullptr, nullptr, GrB_PLUS_FP32,
                                            z, bias, nullptr),
          "GrB_apply(+bias)");
    check(GrB_Matrix_select_FP32(z, nullptr, nullptr, GrB_VALUEGT_FP32, z, 0.0f,
                                 nullptr),
          "GrB_select(>0)");
    check(GrB_Matrix_apply_BinaryOp2nd_FP32(z, nullptr, nullptr, GrB_MIN_FP32,
                                            z, ymax, nullptr),
          "GrB_apply(min YMAX)");
    y = z;
  }
  check(GrB_Matrix_wait(y, GrB_MATERIALIZE), "GrB_Matrix_wait");
  return y;
}

/// Runs whole inferences until --min-time has passed; returns the fastest
/// in seconds and leaves the last output in `y`.
double timeInference(GrB_Matrix input, llvm::ArrayRef<GrB_Matrix> weights,
                     GrB_Matrix &y) {
  using Clock = std::chrono::steady_clock;
  double best = INFINITY, total = 0;
  do {
    if (y)
      GrB_Matrix_free(&y);
    auto start = Clock::now();
    y = infer(input, weights);
    double seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    best = std::min(best, seconds);
    total += seconds;
  } while (total < minTime);
  return best;
}

/// The categories: the rows of `y` with an entry (every entry is > 0),
/// 0-based, sorted.
std::vector<GrB_Index> getCategories(GrB_Matrix y) {
  GrB_Vector rowSums;
  check(GrB_Vector_new(&rowSums, GrB_FP32, count), "GrB_Vector_new");
  check(GrB_Matrix_reduce_Monoid(rowSums, nullptr, nullptr,
                                 GrB_PLUS_MONOID_FP32, y, nullptr),
        "GrB_reduce");
  GrB_Index numCategories;
  check(GrB_Vector_nvals(&numCategories, rowSums), "GrB_Vector_nvals");
  std::vector<GrB_Index> categories(numCategories);
  std::vector<float> sums(numCategories);
  check(GrB_Vector_extractTuples_FP32(categories.data(), sums.data(),
                                      &numCategories, rowSums),
        "GrB_Vector_extractTuples");
  GrB_Vector_free(&rowSums);
  llvm::sort(categories);
  return categories;
}

/// Writes the categories, 1-based, one per line.
void writeCategories(const std::string &path,
                     llvm::ArrayRef<GrB_Index> categories) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec)
    fail(llvm::formatv("cannot write '{0}': {1}", path, ec.message()));
  for (GrB_Index c : categories)
    out << c + 1 << "\n";
  out.close();
  if (out.has_error())
    fail(llvm::formatv("cannot write '{0}': {1}", path, out.error().message()));
}

int runReference() {
  imageSide(neurons);
  if (numLayers == 0)
    fail("--num-layers must be at least 1");
  if (!(bias <= 0))
    fail(llvm::formatv("--bias={0}: the sparse formulation needs a bias <= 0",
                       float(bias)));
  if (!(minTime >= 0) || !std::isfinite(minTime))
    fail("--min-time must be a finite number of seconds >= 0");
  if (count == 0)
    fail("--count must be at least 1");

  if (threadCounts.empty())
    threadCounts.push_back(1);
  check(GrB_init(GrB_NONBLOCKING), "GrB_init");

  std::vector<GrB_Matrix> weights;
  uint64_t edges = 0;
  for (unsigned l = 1; l <= numLayers; ++l) {
    std::string path = llvm::formatv("{0}-l{1}.tsv", layerPrefix, l).str();
    Triples t = readTriples(path, neurons, neurons);
    edges += t.values.size();
    weights.push_back(buildMatrix(t, neurons, neurons));
  }
  GrB_Matrix input =
      buildMatrix(readTriples(inputPath, count, neurons), count, neurons);

  llvm::outs() << "edges " << edges << "\n";
  for (unsigned t : threadCounts) {
    int numThreads =
        t ? int(t) : int(std::max(1u, std::thread::hardware_concurrency()));
    check(GxB_Global_Option_set(GxB_GLOBAL_NTHREADS, numThreads),
          "GxB_Global_Option_set");
    GrB_Matrix y = nullptr;
    double best = timeInference(input, weights, y);
    std::vector<GrB_Index> categories = getCategories(y);
    GrB_Matrix_free(&y);
    if (!categoriesPath.empty())
      writeCategories(llvm::formatv("{0}-{1}.cat", categoriesPath, t).str(),
                      categories);
    llvm::outs() << llvm::formatv("seconds {0} {1:e6}\n", t, best)
                 << llvm::formatv("categories {0} {1}\n", t, categories.size());
    llvm::outs().flush();
  }

  GrB_Matrix_free(&input);
  for (GrB_Matrix &w : weights)
    GrB_Matrix_free(&w);
  GrB_finalize();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(
      argc, argv,
      "Sparse DNN Graph Challenge inputs and GraphBLAS reference\n");
  if (imagesCommand)
    return runImages();
  if (referenceCommand)
    return runReference();
  fail("expected a subcommand: images or reference (see --help)");
}

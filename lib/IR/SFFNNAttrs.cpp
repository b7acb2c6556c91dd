//===- SFFNNAttrs.cpp - sffnn attributes ----------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the sffnn attributes: #sffnn.activation,
// #sffnn.epilogue, #sffnn.signature and #sffnn.csr (parsing, printing,
// verification) and the helpers that read and create the 1-D arrays they are
// made of.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/SFFNNAttrs.h"
#include "sffnn/Analysis/Limits.h"
#include "sffnn/IR/SFFNNDialect.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <type_traits>

using namespace mlir;
using namespace sffnn;

//===----------------------------------------------------------------------===//
// Element arrays
//===----------------------------------------------------------------------===//

/// The MLIR element type standing for T.
template <typename T> static Type getElementTypeFor(MLIRContext *context) {
  if constexpr (std::is_same_v<T, float>)
    return Float32Type::get(context);
  else
    return IntegerType::get(context, sizeof(T) * 8);
}

template <typename T> static bool isElementTypeFor(Type type) {
  if constexpr (std::is_same_v<T, float>)
    return type.isF32();
  else
    return type.isSignlessInteger(sizeof(T) * 8);
}

template <typename T>
std::optional<ArrayRef<T>> sffnn::getElementArray(ElementsAttr attr,
                                                  SmallVectorImpl<T> &storage) {
  ShapedType type = attr.getShapedType();
  if (!isElementTypeFor<T>(type.getElementType()) || !type.hasStaticShape())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr)) {
    if (dense.isSplat()) {
      storage.assign(type.getNumElements(), dense.getSplatValue<T>());
      return ArrayRef<T>(storage);
    }
    // Bytecode can hold a buffer shorter or longer than the type declares
    // (MLIR's reader does not check it): as unusable as a missing blob.
    ArrayRef<char> raw = dense.getRawData();
    if (raw.size() != uint64_t(type.getNumElements()) * sizeof(T))
      return std::nullopt;
    return ArrayRef<T>(reinterpret_cast<const T *>(raw.data()),
                       raw.size() / sizeof(T));
  }
  if (auto resource =
          dyn_cast<mlir::detail::DenseResourceElementsAttrBase<T>>(attr)) {
    // A blob holding fewer or more elements than the type declares is as
    // unusable as a missing one.
    std::optional<ArrayRef<T>> blob = resource.tryGetAsArrayRef();
    if (!blob || static_cast<int64_t>(blob->size()) != type.getNumElements())
      return std::nullopt;
    return blob;
  }
  auto values = attr.tryGetValues<T>();
  if (!values)
    return std::nullopt;
  storage.assign(values->begin(), values->end());
  return ArrayRef<T>(storage);
}

template <typename T>
ElementsAttr sffnn::createResourceArray(MLIRContext *context,
                                        StringRef blobName, ArrayRef<T> data) {
  auto type = RankedTensorType::get({static_cast<int64_t>(data.size())},
                                    getElementTypeFor<T>(context));
  return cast<ElementsAttr>(mlir::detail::DenseResourceElementsAttrBase<T>::get(
      type, blobName, HeapAsmResourceBlob::allocateAndCopyInferAlign(data)));
}

template <typename T>
ElementsAttr sffnn::createDenseArray(MLIRContext *context, ArrayRef<T> data) {
  auto type = RankedTensorType::get({static_cast<int64_t>(data.size())},
                                    getElementTypeFor<T>(context));
  return DenseElementsAttr::get(type, data);
}

#define SFFNN_INSTANTIATE_ARRAY_HELPERS(T)                                     \
  template std::optional<ArrayRef<T>> sffnn::getElementArray<T>(               \
      ElementsAttr, SmallVectorImpl<T> &);                                     \
  template ElementsAttr sffnn::createResourceArray<T>(MLIRContext *,           \
                                                      StringRef, ArrayRef<T>); \
  template ElementsAttr sffnn::createDenseArray<T>(MLIRContext *, ArrayRef<T>);
SFFNN_INSTANTIATE_ARRAY_HELPERS(int8_t)
SFFNN_INSTANTIATE_ARRAY_HELPERS(int32_t)
SFFNN_INSTANTIATE_ARRAY_HELPERS(int64_t)
SFFNN_INSTANTIATE_ARRAY_HELPERS(float)
#undef SFFNN_INSTANTIATE_ARRAY_HELPERS

//===----------------------------------------------------------------------===//
// ActivationAttr
//===----------------------------------------------------------------------===//

/// The number of parameters an activation of `kind` takes.
static unsigned getNumParams(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::Clamp:
  case ActivationKind::HardSigmoid:
    return 2;
  case ActivationKind::LeakyRelu:
  case ActivationKind::Elu:
    return 1;
  default:
    return 0;
  }
}

ActivationAttr ActivationAttr::get(MLIRContext *context,
                                   const Activation &activation) {
  return get(context, activation.kind, APFloat(activation.param0),
             APFloat(activation.param1));
}

Activation ActivationAttr::getValue() const {
  return {getKind(), getParam0().convertToFloat(),
          getParam1().convertToFloat()};
}

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ActivationKind kind, APFloat param0, APFloat param1) {
  if (&param0.getSemantics() != &APFloat::IEEEsingle() ||
      &param1.getSemantics() != &APFloat::IEEEsingle())
    return emitError() << "activation parameters must be f32 values";
  Activation activation{kind, param0.convertToFloat(), param1.convertToFloat()};
  std::string problem = activation.validate();
  if (!problem.empty())
    return emitError() << "invalid activation: " << problem;
  return success();
}

Attribute ActivationAttr::parseBody(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return {};
  std::optional<ActivationKind> kind = symbolizeActivationKind(keyword);
  if (!kind) {
    parser.emitError(loc) << "unknown activation '" << keyword
                          << "'; expected identity, relu, clamp, sigmoid, "
                             "tanh, leaky_relu, gelu, gelu_tanh, silu, elu, "
                             "hard_sigmoid or hard_swish";
    return {};
  }
  float params[2] = {0.0f, 0.0f};
  unsigned numParams = getNumParams(*kind);
  if (numParams > 0) {
    auto parseParam = [&](unsigned i) -> ParseResult {
      APFloat value(0.0f);
      if (parser.parseFloat(APFloat::IEEEsingle(), value))
        return failure();
      params[i] = value.convertToFloat();
      return success();
    };
    if (parser.parseLParen() || parseParam(0))
      return {};
    for (unsigned i = 1; i < numParams; ++i)
      if (parser.parseComma() || parseParam(i))
        return {};
    if (parser.parseRParen())
      return {};
  }
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    *kind, APFloat(params[0]), APFloat(params[1]));
}

void ActivationAttr::printBody(AsmPrinter &printer) const {
  printer << stringifyActivationKind(getKind());
  unsigned numParams = getNumParams(getKind());
  if (numParams == 0)
    return;
  printer << '(';
  printer.printFloat(getParam0());
  if (numParams == 2) {
    printer << ", ";
    printer.printFloat(getParam1());
  }
  printer << ')';
}

Attribute ActivationAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  Attribute attr = parseBody(parser);
  if (!attr || parser.parseGreater())
    return {};
  return attr;
}

void ActivationAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printBody(printer);
  printer << '>';
}

//===----------------------------------------------------------------------===//
// EpilogueAttr
//===----------------------------------------------------------------------===//

Attribute EpilogueAttr::parse(AsmParser &parser, Type) {
  StringRef keyword;
  SMLoc loc;
  if (parser.parseLess())
    return {};
  loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&keyword))
    return {};
  std::optional<OutputEpilogue> kind = symbolizeOutputEpilogue(keyword);
  if (!kind) {
    parser.emitError(loc) << "unknown epilogue '" << keyword
                          << "'; expected none, softmax or log_softmax";
    return {};
  }
  if (parser.parseGreater())
    return {};
  return get(parser.getContext(), *kind);
}

void EpilogueAttr::print(AsmPrinter &printer) const {
  printer << '<' << stringifyOutputEpilogue(getKind()) << '>';
}

//===----------------------------------------------------------------------===//
// SignatureAttr
//===----------------------------------------------------------------------===//

SignatureAttr SignatureAttr::get(MLIRContext *context,
                                 const ModelSignature &signature) {
  return get(context, StringRef(signature.input.name),
             ArrayRef<int64_t>(signature.input.shape),
             StringRef(signature.output.name),
             ArrayRef<int64_t>(signature.output.shape));
}

ModelSignature SignatureAttr::getValue() const {
  ModelSignature signature;
  signature.input = {getInputName().str(), getInputShape().vec()};
  signature.output = {getOutputName().str(), getOutputShape().vec()};
  return signature;
}

LogicalResult
SignatureAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringRef inputName, ArrayRef<int64_t> inputShape,
                      StringRef outputName, ArrayRef<int64_t> outputShape) {
  for (auto [role, tensor] :
       {std::pair("input", TensorSignature{inputName.str(), inputShape.vec()}),
        std::pair("output",
                  TensorSignature{outputName.str(), outputShape.vec()})}) {
    std::string problem = tensor.validate();
    if (!problem.empty())
      return emitError() << "invalid " << role << " signature: " << problem;
  }
  return success();
}

/// Parses `keyword "name" [d0, d1, ...]`, a dimension being an integer or
/// `?` (TensorSignature::kDynamicDim).
static ParseResult parseTensorSignature(AsmParser &parser, StringRef keyword,
                                        std::string &name,
                                        SmallVectorImpl<int64_t> &shape) {
  if (parser.parseKeyword(keyword) || parser.parseString(&name))
    return failure();
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        if (succeeded(parser.parseOptionalQuestion())) {
          shape.push_back(TensorSignature::kDynamicDim);
          return success();
        }
        int64_t dim;
        if (parser.parseInteger(dim))
          return failure();
        shape.push_back(dim);
        return success();
      });
}

/// Prints what parseTensorSignature parses.
static void printTensorSignature(AsmPrinter &printer, StringRef keyword,
                                 StringRef name, ArrayRef<int64_t> shape) {
  printer << keyword << ' ';
  printer.printString(name);
  printer << " [";
  llvm::interleaveComma(shape, printer, [&](int64_t dim) {
    if (dim == TensorSignature::kDynamicDim)
      printer << '?';
    else
      printer << dim;
  });
  printer << ']';
}

Attribute SignatureAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::string inputName, outputName;
  SmallVector<int64_t> inputShape, outputShape;
  if (parser.parseLess() ||
      parseTensorSignature(parser, "input", inputName, inputShape) ||
      parser.parseComma() ||
      parseTensorSignature(parser, "output", outputName, outputShape) ||
      parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    StringRef(inputName), ArrayRef<int64_t>(inputShape),
                    StringRef(outputName), ArrayRef<int64_t>(outputShape));
}

void SignatureAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printTensorSignature(printer, "input", getInputName(), getInputShape());
  printer << ", ";
  printTensorSignature(printer, "output", getOutputName(), getOutputShape());
  printer << '>';
}

//===----------------------------------------------------------------------===//
// SparseMatrixAttr
//===----------------------------------------------------------------------===//

/// Fails, reporting `diag` (which may be empty, for a silent check: an empty
/// diagnostic converts to success, not failure).
static LogicalResult fail(InFlightDiagnostic &&diag) { return failure(); }

/// Emits `error`, if it is one, through `emitError`.
static LogicalResult emitIfError(function_ref<InFlightDiagnostic()> emitError,
                                 llvm::Error error) {
  if (!error)
    return success();
  return fail(emitError() << llvm::toString(std::move(error)));
}

/// Checks that `array` is a statically shaped 1-D array of `size` elements
/// (any size if `size` < 0) whose element type satisfies `isElementType`.
static LogicalResult verifyArray(function_ref<InFlightDiagnostic()> emitError,
                                 ElementsAttr array, StringRef name,
                                 int64_t size, StringRef expectedElementType,
                                 function_ref<bool(Type)> isElementType) {
  ShapedType type = array.getShapedType();
  if (type.getRank() != 1 || !type.hasStaticShape())
    return emitError() << "'" << name
                       << "' must be a statically shaped 1-D array, got "
                       << type;
  if (!isElementType(type.getElementType()))
    return emitError() << "'" << name << "' must have " << expectedElementType
                       << " elements, got " << type.getElementType();
  if (size >= 0 && type.getNumElements() != size)
    return emitError() << "'" << name << "' must have " << size
                       << " elements, got " << type.getNumElements();
  return success();
}

LogicalResult
SparseMatrixAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         int64_t rows, int64_t cols, ElementsAttr offsets,
                         ElementsAttr indices, ElementsAttr values) {
  // Only types and sizes are checked here: the contents of dense_resource
  // blobs are not available while the IR is parsed (the resource section
  // follows the body). Ops check the contents (see verifyContents).
  if (rows < 0 || cols < 0)
    return emitError() << "sparse matrix shape " << rows << "x" << cols
                       << " is negative";
  if (cols > std::numeric_limits<int32_t>::max())
    return emitError() << "sparse matrix has " << cols
                       << " columns; at most 2^31 - 1 are supported";
  // The declared sizes are checked before any array of that size is read or
  // allocated (a splat array declares its size without holding it).
  if (failed(emitIfError(emitError,
                         checkNeuronCount(rows, "sparse matrix rows"))) ||
      failed(emitIfError(emitError,
                         checkNeuronCount(cols, "sparse matrix columns"))))
    return failure();
  if (failed(verifyArray(emitError, offsets, "offsets", rows + 1, "i32 or i64",
                         [](Type t) {
                           return t.isSignlessInteger(32) ||
                                  t.isSignlessInteger(64);
                         })) ||
      failed(verifyArray(emitError, indices, "indices", -1, "i32",
                         [](Type t) { return t.isSignlessInteger(32); })))
    return failure();
  int64_t nnz = indices.getShapedType().getNumElements();
  if (failed(emitIfError(emitError,
                         checkConnectionCount(nnz, "sparse matrix entries"))))
    return failure();
  return verifyArray(emitError, values, "values", nnz, "f32",
                     [](Type t) { return t.isF32(); });
}

int64_t SparseMatrixAttr::getNumEntries() const {
  return getIndices().getShapedType().getNumElements();
}

bool SparseMatrixAttr::isInline() const {
  return isa<DenseElementsAttr>(getOffsets()) &&
         isa<DenseElementsAttr>(getIndices()) &&
         isa<DenseElementsAttr>(getValues());
}

LogicalResult SparseMatrixAttr::readArrays(
    SparseMatrixArrays &arrays,
    function_ref<InFlightDiagnostic()> emitError) const {
  auto unavailable = [&](StringRef name) {
    return fail(emitError() << "the '" << name
                            << "' array of the sparse matrix is not available "
                               "(an elided or missing resource blob?)");
  };
  arrays.offsets.clear();
  if (getOffsets().getShapedType().getElementType().isSignlessInteger(64)) {
    SmallVector<int64_t, 0> storage;
    std::optional<ArrayRef<int64_t>> offsets =
        getElementArray(getOffsets(), storage);
    if (!offsets)
      return unavailable("offsets");
    arrays.offsets.assign(offsets->begin(), offsets->end());
  } else {
    SmallVector<int32_t, 0> storage;
    std::optional<ArrayRef<int32_t>> offsets =
        getElementArray(getOffsets(), storage);
    if (!offsets)
      return unavailable("offsets");
    arrays.offsets.assign(offsets->begin(), offsets->end());
  }
  std::optional<ArrayRef<int32_t>> indices =
      getElementArray(getIndices(), arrays.indexStorage);
  if (!indices)
    return unavailable("indices");
  std::optional<ArrayRef<float>> values =
      getElementArray(getValues(), arrays.valueStorage);
  if (!values)
    return unavailable("values");
  arrays.indices = *indices;
  arrays.values = *values;
  return success();
}

LogicalResult SparseMatrixAttr::verifyContents(
    function_ref<InFlightDiagnostic()> emitError) const {
  SparseMatrixArrays arrays;
  if (failed(readArrays(arrays, emitError)))
    return failure();
  int64_t rows = getRows(), cols = getCols(), nnz = getNumEntries();
  ArrayRef<int64_t> offsets = arrays.offsets;
  if (offsets.front() != 0)
    return fail(emitError()
                << "offsets must start at 0, got " << offsets.front());
  for (int64_t r = 0; r < rows; ++r) {
    int64_t begin = offsets[r], end = offsets[r + 1];
    if (end < begin)
      return fail(emitError()
                  << "offsets must not decrease: offsets[" << r + 1
                  << "] = " << end << " < offsets[" << r << "] = " << begin);
    if (end > nnz)
      return fail(emitError() << "offsets[" << r + 1 << "] = " << end
                              << " exceeds the number of entries " << nnz);
    for (int64_t k = begin; k < end; ++k) {
      int64_t col = arrays.indices[k];
      if (col < 0 || col >= cols)
        return fail(emitError()
                    << "entry (" << r << ", " << col
                    << "): column out of range [0, " << cols << ")");
      if (k > begin && col <= arrays.indices[k - 1]) {
        if (col == arrays.indices[k - 1])
          return fail(emitError()
                      << "duplicate entry (" << r << ", " << col << ")");
        return fail(emitError() << "columns of row " << r
                                << " must strictly increase: " << col
                                << " follows " << arrays.indices[k - 1]);
      }
      float value = arrays.values[k];
      if (!std::isfinite(value))
        return fail(emitError() << "entry (" << r << ", " << col
                                << ") is not finite: " << value);
      if (value == 0.0f)
        return fail(emitError() << "entry (" << r << ", " << col
                                << ") is zero; pruned weights must be absent");
    }
  }
  if (offsets.back() != nnz)
    return fail(emitError() << "offsets must end at the number of entries "
                            << nnz << ", got " << offsets.back());
  return success();
}

/// Parses the inline row form `[[col: value, ...], ...]` of a matrix with
/// `cols` columns into dense arrays.
static Attribute parseInlineRows(AsmParser &parser, SMLoc loc, int64_t rows,
                                 int64_t cols) {
  MLIRContext *context = parser.getContext();
  SmallVector<int64_t> offsets = {0};
  SmallVector<int32_t> indices;
  SmallVector<float> values;
  auto parseEntry = [&]() -> ParseResult {
    int64_t col = 0;
    APFloat value(0.0f);
    SMLoc entryLoc = parser.getCurrentLocation();
    if (parser.parseInteger(col) || parser.parseColon() ||
        parser.parseFloat(APFloat::IEEEsingle(), value))
      return failure();
    if (col < 0 || col > std::numeric_limits<int32_t>::max())
      return parser.emitError(entryLoc) << "column " << col << " out of range";
    indices.push_back(col);
    values.push_back(value.convertToFloat());
    return success();
  };
  auto parseRow = [&]() -> ParseResult {
    if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                       parseEntry))
      return failure();
    offsets.push_back(indices.size());
    return success();
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, parseRow))
    return {};
  if (static_cast<int64_t>(offsets.size()) != rows + 1) {
    parser.emitError(loc) << "expected " << rows << " rows, got "
                          << offsets.size() - 1;
    return {};
  }
  ElementsAttr offsetsAttr;
  if (indices.size() <=
      static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    offsetsAttr = createDenseArray<int32_t>(
        context, SmallVector<int32_t>(offsets.begin(), offsets.end()));
  else
    offsetsAttr = createDenseArray<int64_t>(context, offsets);
  return SparseMatrixAttr::getChecked(
      [&] { return parser.emitError(loc); }, context, rows, cols, offsetsAttr,
      createDenseArray<int32_t>(context, indices),
      createDenseArray<float>(context, values));
}

Attribute SparseMatrixAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<int64_t, 2> shape;
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/false,
                                /*withTrailingX=*/false))
    return {};
  if (shape.size() != 2) {
    parser.emitError(loc) << "expected a 2-D shape 'ROWSxCOLS'";
    return {};
  }
  if (parser.parseComma())
    return {};
  int64_t rows = shape[0], cols = shape[1];
  if (failed(parser.parseOptionalKeyword("offsets"))) {
    Attribute result = parseInlineRows(parser, loc, rows, cols);
    if (!result || parser.parseGreater())
      return {};
    return result;
  }
  ElementsAttr offsets, indices, values;
  if (parser.parseEqual() || parser.parseAttribute(offsets) ||
      parser.parseComma() || parser.parseKeyword("indices") ||
      parser.parseEqual() || parser.parseAttribute(indices) ||
      parser.parseComma() || parser.parseKeyword("values") ||
      parser.parseEqual() || parser.parseAttribute(values) ||
      parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    rows, cols, offsets, indices, values);
}

void SparseMatrixAttr::print(AsmPrinter &printer) const {
  printer << '<' << getRows() << 'x' << getCols() << ", ";
  // The row form walks the offsets, so it is only used for valid contents;
  // an invalid matrix (printed in a verifier's diagnostic, say) is printed
  // array by array.
  auto silent = [] { return InFlightDiagnostic(); };
  SparseMatrixArrays arrays;
  if (!isInline() || failed(verifyContents(silent)) ||
      failed(readArrays(arrays, silent))) {
    printer << "offsets = ";
    printer.printAttribute(getOffsets());
    printer << ", indices = ";
    printer.printAttribute(getIndices());
    printer << ", values = ";
    printer.printAttribute(getValues());
    printer << '>';
    return;
  }
  printer << '[';
  for (int64_t r = 0, rows = getRows(); r < rows; ++r) {
    if (r > 0)
      printer << ", ";
    printer << '[';
    for (int64_t k = arrays.offsets[r]; k < arrays.offsets[r + 1]; ++k) {
      if (k > arrays.offsets[r])
        printer << ", ";
      printer << arrays.indices[k] << ": ";
      printer.printFloat(APFloat(arrays.values[k]));
    }
    printer << ']';
  }
  printer << "]>";
}

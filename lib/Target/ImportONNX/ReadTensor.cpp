//===- ReadTensor.cpp - ONNX TensorProtos to constant tensors -------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements TensorReader: typed, raw and external tensor data,
// checked against the tensor's shape before anything is allocated.
//
//===----------------------------------------------------------------------===//

#include "Tensor.h"

#include "sffnn/Analysis/Limits.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <optional>

using namespace sffnn;
using namespace sffnn::onnx_import;

static llvm::Error importError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// IEEE half to float.
static float halfToFloat(uint16_t half) {
  uint32_t sign = uint32_t(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1f;
  uint32_t mantissa = half & 0x3ff;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else { // subnormal: normalize
      exponent = 127 - 15 + 1;
      while (!(mantissa & 0x400)) {
        mantissa <<= 1;
        --exponent;
      }
      mantissa &= 0x3ff;
      bits = sign | (exponent << 23) | (mantissa << 13);
    }
  } else if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13);
  } else {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// Reads the non-negative decimal integer `text` of external data key `key`.
static llvm::Error parseExternalInteger(const onnx::TensorProto &proto,
                                        llvm::StringRef key,
                                        llvm::StringRef text, uint64_t &value) {
  if (text.getAsInteger(10, value))
    return importError("initializer '" + proto.name() + "' has external " +
                       key + " '" + text +
                       "'; expected a non-negative integer");
  return llvm::Error::success();
}

llvm::Expected<std::string>
TensorReader::readExternal(const onnx::TensorProto &proto) const {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : proto.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset") {
      if (llvm::Error error =
              parseExternalInteger(proto, "offset", entry.value(), offset))
        return std::move(error);
    } else if (entry.key() == "length") {
      length.emplace();
      if (llvm::Error error =
              parseExternalInteger(proto, "length", entry.value(), *length))
        return std::move(error);
    }
  }
  if (location.empty())
    return importError("initializer '" + proto.name() +
                       "' has external data without a location");
  // The data must lie in a regular file inside the model's folder: a model
  // must not make the importer read any other file.
  namespace fspath = llvm::sys::path;
  auto outside = [&](const llvm::Twine &why) {
    return importError("the external data '" + location + "' of initializer '" +
                       proto.name() +
                       "' is not a file in the model's folder: " + why);
  };
  if (fspath::is_absolute(location, fspath::Style::posix) ||
      fspath::is_absolute(location, fspath::Style::windows) ||
      fspath::has_root_name(location) || fspath::has_root_directory(location))
    return outside("the location is absolute");
  for (llvm::StringRef component :
       llvm::make_range(fspath::begin(location, fspath::Style::posix),
                        fspath::end(location)))
    if (component == "..")
      return outside("the location leaves the folder ('..')");
  if (llvm::StringRef(location).contains('\0'))
    return outside("the location holds a NUL character");
  llvm::SmallString<256> folder(fspath::parent_path(path));
  if (folder.empty())
    folder = ".";
  llvm::SmallString<256> file(folder);
  fspath::append(file, location);
  // Symbolic links must not lead out of the folder either.
  llvm::SmallString<256> realFolder, realFile;
  if (std::error_code ec = llvm::sys::fs::real_path(folder, realFolder))
    return importError("cannot read the folder of '" + path +
                       "': " + ec.message());
  if (std::error_code ec = llvm::sys::fs::real_path(file, realFile))
    return importError("cannot read the external data '" + file.str() +
                       "' of initializer '" + proto.name() +
                       "': " + ec.message());
  if (!fspath::is_separator(realFolder.back()))
    realFolder.push_back('/');
  if (!llvm::StringRef(realFile).starts_with(realFolder))
    return outside("a link leads out of the folder");
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(realFile, status))
    return importError("cannot read the external data '" + file.str() +
                       "' of initializer '" + proto.name() +
                       "': " + ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return outside("not a regular file");
  uint64_t size = status.getSize();
  if (offset > size || (length && *length > size - offset))
    return importError("the external data of initializer '" + proto.name() +
                       "' (offset " + llvm::Twine(offset) + ", length " +
                       (length ? std::to_string(*length) : "all") +
                       ") lies outside '" + file.str() + "' (" +
                       llvm::Twine(size) + " bytes)");
  uint64_t count = length ? *length : size - offset;
  if (count == 0)
    return std::string();
  auto buffer = llvm::MemoryBuffer::getFileSlice(realFile, count, offset,
                                                 /*IsVolatile=*/false);
  if (!buffer)
    return importError("cannot read the external data '" + file.str() +
                       "' of initializer '" + proto.name() +
                       "': " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

llvm::Error TensorReader::read(const onnx::TensorProto &proto,
                               Tensor &tensor) const {
  uint64_t count = 1;
  for (int64_t dim : proto.dims()) {
    if (dim < 0)
      return importError("initializer '" + proto.name() +
                         "' has an invalid shape");
    tensor.shape.push_back(dim);
    count = llvm::SaturatingMultiply(count, uint64_t(dim));
  }
  if (llvm::Error error =
          checkConnectionCount(count, "initializer '" + proto.name() + "'"))
    return error;
  // The bytes of one value in raw data, and the number of typed values.
  const int type = proto.data_type();
  size_t valueBytes;
  int64_t numTyped;
  switch (type) {
  case onnx::TensorProto::FLOAT:
    valueBytes = 4;
    numTyped = proto.float_data_size();
    break;
  case onnx::TensorProto::DOUBLE:
    valueBytes = 8;
    numTyped = proto.double_data_size();
    break;
  case onnx::TensorProto::INT64:
    valueBytes = 8;
    numTyped = proto.int64_data_size();
    break;
  case onnx::TensorProto::INT32:
    valueBytes = 4;
    numTyped = proto.int32_data_size();
    break;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    // Typed values of these types live in int32_data, one per entry.
    valueBytes = type == onnx::TensorProto::FLOAT16 ? 2 : 1;
    numTyped = proto.int32_data_size();
    break;
  default:
    return importError("initializer '" + proto.name() + "' has data type " +
                       llvm::Twine(type) +
                       "; expected float, double, float16, int64, int32, "
                       "int8, uint8 or bool");
  }
  std::string raw;
  bool isRaw = proto.has_raw_data();
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    llvm::Expected<std::string> external = readExternal(proto);
    if (!external)
      return external.takeError();
    raw = std::move(*external);
    isRaw = true;
  } else if (isRaw) {
    raw = proto.raw_data();
  }
  isRaw = isRaw && (!raw.empty() || numTyped == 0);
  // The data must hold `count` values before they are allocated: the shape
  // alone may declare any number.
  if (isRaw
          ? raw.size() != llvm::SaturatingMultiply(count, uint64_t(valueBytes))
          : uint64_t(numTyped) != count)
    return importError("initializer '" + proto.name() +
                       "' holds the wrong number of values for its shape");
  tensor.isInteger = type != onnx::TensorProto::FLOAT &&
                     type != onnx::TensorProto::DOUBLE &&
                     type != onnx::TensorProto::FLOAT16;
  if (tensor.isInteger) {
    tensor.ints.resize(count);
    for (uint64_t i = 0; i < count; ++i) {
      const char *bytes = raw.data() + valueBytes * i;
      int64_t &value = tensor.ints[i];
      if (type == onnx::TensorProto::INT64) {
        if (isRaw)
          std::memcpy(&value, bytes, 8);
        else
          value = proto.int64_data(i);
      } else if (type == onnx::TensorProto::INT32) {
        int32_t narrow;
        if (isRaw)
          std::memcpy(&narrow, bytes, 4);
        else
          narrow = proto.int32_data(i);
        value = narrow;
      } else if (isRaw) {
        value = type == onnx::TensorProto::INT8 ? int64_t(int8_t(*bytes))
                                                : int64_t(uint8_t(*bytes));
      } else {
        value = proto.int32_data(i);
      }
    }
    return llvm::Error::success();
  }
  tensor.values.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    float &value = tensor.values[i];
    const char *bytes = raw.data() + valueBytes * i;
    switch (type) {
    case onnx::TensorProto::FLOAT:
      if (isRaw)
        std::memcpy(&value, bytes, 4);
      else
        value = proto.float_data(i);
      break;
    case onnx::TensorProto::DOUBLE:
      if (isRaw) {
        double wide;
        std::memcpy(&wide, bytes, 8);
        value = float(wide);
      } else {
        value = float(proto.double_data(i));
      }
      break;
    default: {
      uint16_t half;
      if (isRaw)
        std::memcpy(&half, bytes, 2);
      else
        half = uint16_t(proto.int32_data(i));
      value = halfToFloat(half);
      break;
    }
    }
    if (!std::isfinite(value))
      return importError("initializer '" + proto.name() +
                         "' holds a non-finite value");
  }
  return llvm::Error::success();
}

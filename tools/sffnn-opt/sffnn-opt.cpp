//===- sffnn-opt.cpp - The sffnn optimizer driver -------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-opt: mlir-opt with the sffnn dialect, the
// dialects it lowers to, and the sffnn passes.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/ReadCheck.h"
#include "sffnn/InitAllDialects.h"
#include "sffnn/InitAllPasses.h"
#include "sffnn/Support/ToolSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace sffnn::test {
void registerTestPasses();
} // namespace sffnn::test

int main(int argc, char **argv) {
  sffnn::installFatalErrorHandler("sffnn-opt");
  mlir::DialectRegistry registry;
  sffnn::registerAllDialects(registry);
  sffnn::registerAllPasses();
  sffnn::test::registerTestPasses();
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "sffnn optimizer driver\n", registry);
  // Bytecode and resource blobs are read in a child process first (see
  // ReadCheck.h); bytecode only there, which hands back its text, read from
  // a temporary file.
  auto text = sffnn::checkMLIRFile(input, registry);
  if (!text) {
    llvm::WithColor::error(llvm::errs(), "sffnn-opt")
        << llvm::toString(text.takeError()) << "\n";
    return 1;
  }
  llvm::SmallString<128> decoded;
  std::optional<llvm::FileRemover> remove;
  if (*text) {
    int fd = -1;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            llvm::sys::path::filename(input), "mlir", fd, decoded)) {
      llvm::WithColor::error(llvm::errs(), "sffnn-opt")
          << "cannot create a temporary file: " << ec.message() << "\n";
      return 1;
    }
    remove.emplace(decoded);
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << **text;
    os.close();
    if (os.has_error()) {
      llvm::WithColor::error(llvm::errs(), "sffnn-opt")
          << "cannot write '" << decoded << "': " << os.error().message()
          << "\n";
      os.clear_error();
      return 1;
    }
    input = decoded.str().str();
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, input, output, registry));
}

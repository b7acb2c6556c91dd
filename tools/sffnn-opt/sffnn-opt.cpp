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
#include "llvm/Support/WithColor.h"

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
  // ReadCheck.h).
  if (llvm::Error error = sffnn::checkMLIRFile(input, registry)) {
    llvm::WithColor::error(llvm::errs(), "sffnn-opt")
        << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, input, output, registry));
}

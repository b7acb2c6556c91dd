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

#include "sffnn/InitAllDialects.h"
#include "sffnn/InitAllPasses.h"
#include "sffnn/Support/ToolSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

namespace sffnn::test {
void registerTestPasses();
} // namespace sffnn::test

int main(int argc, char **argv) {
  sffnn::installFatalErrorHandler("sffnn-opt");
  mlir::DialectRegistry registry;
  sffnn::registerAllDialects(registry);
  sffnn::registerAllPasses();
  sffnn::test::registerTestPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "sffnn optimizer driver\n", registry));
}

//===- sffnn-translate.cpp - Import networks into sffnn IR ----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements sffnn-translate: mlir-translate with the sffnn
// translations (--import-onnx).
//
//===----------------------------------------------------------------------===//

#include "sffnn/Support/ToolSupport.h"
#include "sffnn/Target/Translations.h"

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  sffnn::installFatalErrorHandler("sffnn-translate");
  sffnn::registerTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "sffnn translation driver\n"));
}

//===- Translations.cpp - sffnn-translate's translations ------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file registers the importers as translations to MLIR.
//
//===----------------------------------------------------------------------===//

#include "sffnn/Target/Translations.h"

#include "sffnn/IR/GraphConversion.h"
#include "sffnn/IR/SFFNNDialect.h"
#include "sffnn/Target/Driver.h"
#include "sffnn/Target/ImportONNX.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace sffnn;

void sffnn::registerTranslations() {
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX multilayer perceptron",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        llvm::StringRef path = buffer->getBufferIdentifier();
        OwningOpRef<ModuleOp> module = createImportedModule(
            *context, importONNX(buffer->getBuffer(), path), path);
        if (!module)
          return {};
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registry.insert<SFFNNDialect>(); });
}

//===- Translations.h - sffnn-translate's translations ----------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the registration of sffnn's translations:
// --import-onnx (an ONNX model to an sffnn.network), --import-tsv and
// --import-mtx (Graph Challenge layer files), --import-tsv-network and
// --export-tsv (sffnn's TSV network directories, both directions).
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_TARGET_TRANSLATIONS_H
#define SFFNN_TARGET_TRANSLATIONS_H

namespace sffnn {

/// Registers every sffnn translation with mlir-translate's registry.
void registerTranslations();

} // namespace sffnn

#endif // SFFNN_TARGET_TRANSLATIONS_H

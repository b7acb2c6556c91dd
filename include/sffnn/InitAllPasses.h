//===- InitAllPasses.h - Register the sffnn passes --------------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares the registration of every sffnn pass and pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_INITALLPASSES_H
#define SFFNN_INITALLPASSES_H

#include "sffnn/Conversion/Passes.h"
#include "sffnn/Pipelines/Pipelines.h"
#include "sffnn/Transforms/Passes.h"

namespace sffnn {

/// Registers every sffnn pass and pipeline with the global pass registry.
inline void registerAllPasses() {
  registerSFFNNPasses();
  registerSFFNNConversionPasses();
  registerPipelines();
}

} // namespace sffnn

#endif // SFFNN_INITALLPASSES_H

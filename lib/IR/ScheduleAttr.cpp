//===- ScheduleAttr.cpp - #sffnn.schedule ---------------------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the parts of #sffnn.schedule that ODS does not
// generate: its verifier, the parser of its strategy, and reading its order.
//
//===----------------------------------------------------------------------===//

#include "sffnn/IR/SFFNNAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace sffnn;

FailureOr<Strategy> sffnn::parseStrategy(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  std::string name;
  if (parser.parseString(&name))
    return failure();
  std::optional<Strategy> strategy = symbolizeStrategy(name);
  if (!strategy)
    return parser.emitError(loc)
           << "unknown strategy '" << name
           << "'; expected layerwise, two-optimal, greedy or anneal";
  return *strategy;
}

LogicalResult ScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   Strategy, uint64_t, uint32_t fastMemory,
                                   ElementsAttr order, uint64_t cost,
                                   uint64_t activationCost, uint64_t lowerBound,
                                   uint64_t activationLowerBound,
                                   uint64_t twoOptimalCost) {
  if (fastMemory < 3)
    return emitError() << "fastMemory must be at least 3 words, got "
                       << fastMemory;
  ShapedType type = order.getShapedType();
  if (type.getRank() != 1 || !type.getElementType().isInteger(32) ||
      type.getDimSize(0) < 0)
    return emitError() << "order must be a 1-D vector of i32, got " << type;
  // A dense order must hold the elements its type declares (bytecode can
  // hold fewer); a resource blob is checked where it is read (readOrder),
  // as it may not be loaded yet.
  SmallVector<int32_t, 0> storage;
  if (isa<DenseElementsAttr>(order) &&
      !getElementArray<int32_t>(order, storage))
    return emitError() << "order does not hold the " << type.getNumElements()
                       << " elements its type declares";
  if (activationCost > cost)
    return emitError() << "activationCost " << activationCost
                       << " exceeds cost " << cost;
  if (activationLowerBound > lowerBound)
    return emitError() << "activationLowerBound " << activationLowerBound
                       << " exceeds lowerBound " << lowerBound;
  if (cost < lowerBound)
    return emitError() << "cost " << cost << " is below lowerBound "
                       << lowerBound;
  if (twoOptimalCost < lowerBound)
    return emitError() << "twoOptimalCost " << twoOptimalCost
                       << " is below lowerBound " << lowerBound;
  return success();
}

FailureOr<ArrayRef<int32_t>>
ScheduleAttr::readOrder(SmallVectorImpl<int32_t> &storage,
                        function_ref<InFlightDiagnostic()> emitError) const {
  std::optional<ArrayRef<int32_t>> values =
      getElementArray<int32_t>(getOrder(), storage);
  if (!values)
    return emitError() << "the schedule's order is not available (an elided "
                          "or missing resource blob)";
  return *values;
}

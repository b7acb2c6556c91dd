//===- Expression.h - Elementwise activation expressions --------*- C++ -*-===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file declares Expression, the canonical form of an elementwise
// function of one pre-activation value z that the ONNX importer builds
// from the nodes exporters write for activations without an ONNX op of
// their own: GELU as x * 0.5 * (1 + Erf(x / sqrt(2))) or with Tanh and
// x * x * x (or Pow), SiLU as x * Sigmoid(x), HardSwish as
// x * HardSigmoid(x). The form is a sum of terms c * z^p * F1(q1(z)) * ...,
// with F one of Erf, Tanh, Sigmoid and HardSigmoid and each q a polynomial
// in z; it does not depend on the order of the nodes or their association,
// and `match` recognises the activations sffnn has among them. Private to
// the importer.
//
//===----------------------------------------------------------------------===//

#ifndef SFFNN_LIB_TARGET_IMPORTONNX_EXPRESSION_H
#define SFFNN_LIB_TARGET_IMPORTONNX_EXPRESSION_H

#include "sffnn/Analysis/Graph.h"

#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sffnn {
namespace onnx_import {

/// An elementwise function of z in canonical form (see the file comment).
class Expression {
public:
  /// The special functions an expression may apply.
  enum class Function { Erf, Tanh, Sigmoid, HardSigmoid };

  /// The constant c.
  static Expression constant(double c);
  /// z itself.
  static Expression source();

  /// `function` (with HardSigmoid's alpha and beta) of `argument`, which
  /// must be a polynomial in z. Errors: an argument that is not one.
  static llvm::Expected<Expression> apply(Function function,
                                          const Expression &argument,
                                          double alpha = 0.0,
                                          double beta = 0.0);

  Expression operator+(const Expression &other) const;
  Expression operator*(const Expression &other) const;
  /// This expression times c.
  Expression scaled(double c) const;
  /// This expression to the integer power `n` in [0, 8]. Errors: another n.
  llvm::Expected<Expression> power(double n) const;

  /// Whether the expression grew beyond what any activation needs (more
  /// than 16 terms, 4 functions in a term or a power of z above 8); the
  /// importer refuses it.
  bool isTooLarge() const;

  /// The activation this expression equals, with every constant equal to
  /// the activation's within a relative 1e-6: tanh, sigmoid,
  /// hard_sigmoid(alpha, beta), silu, hard_swish, gelu (Erf form) or
  /// gelu_tanh (the tanh approximation); std::nullopt for anything else.
  std::optional<Activation> match() const;

private:
  /// A polynomial in z: power -> coefficient.
  using Polynomial = std::map<int, double>;
  struct Factor {
    Function function;
    double alpha, beta;
    Polynomial argument;
    bool operator<(const Factor &other) const;
    bool operator==(const Factor &other) const;
  };
  struct Term {
    double coefficient;
    int power;
    /// Sorted.
    std::vector<Factor> factors;
  };

  /// Merges terms with equal powers and factors and drops zero ones.
  void normalize();

  std::vector<Term> terms;
};

} // namespace onnx_import
} // namespace sffnn

#endif // SFFNN_LIB_TARGET_IMPORTONNX_EXPRESSION_H

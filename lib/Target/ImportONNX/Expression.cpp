//===- Expression.cpp - Elementwise activation expressions ----------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements Expression: sums of products in canonical form and
// their recognition as sffnn activations. The constants of GELU and its
// tanh approximation are those of Hendrycks and Gimpel (2016); those of
// HardSwish are the ONNX operator's (alpha = 1/6, beta = 1/2).
//
//===----------------------------------------------------------------------===//

#include "Expression.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <tuple>

using namespace sffnn;
using namespace sffnn::onnx_import;

static constexpr int kMaxPower = 8;
static constexpr size_t kMaxTerms = 16;
static constexpr size_t kMaxFactors = 4;

bool Expression::Factor::operator<(const Factor &other) const {
  return std::tie(function, alpha, beta, argument) <
         std::tie(other.function, other.alpha, other.beta, other.argument);
}

bool Expression::Factor::operator==(const Factor &other) const {
  return function == other.function && alpha == other.alpha &&
         beta == other.beta && argument == other.argument;
}

Expression Expression::constant(double c) {
  Expression result;
  result.terms.push_back({c, 0, {}});
  result.normalize();
  return result;
}

Expression Expression::source() {
  Expression result;
  result.terms.push_back({1.0, 1, {}});
  return result;
}

llvm::Expected<Expression> Expression::apply(Function function,
                                             const Expression &argument,
                                             double alpha, double beta) {
  Polynomial polynomial;
  for (const Term &term : argument.terms) {
    if (!term.factors.empty())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "applies a function to a function of the pre-activation");
    polynomial[term.power] += term.coefficient;
  }
  Expression result;
  result.terms.push_back({1.0, 0, {{function, alpha, beta, polynomial}}});
  return result;
}

Expression Expression::operator+(const Expression &other) const {
  Expression result = *this;
  result.terms.insert(result.terms.end(), other.terms.begin(),
                      other.terms.end());
  result.normalize();
  return result;
}

Expression Expression::operator*(const Expression &other) const {
  Expression result;
  for (const Term &a : terms)
    for (const Term &b : other.terms) {
      Term product{a.coefficient * b.coefficient, a.power + b.power, a.factors};
      product.factors.insert(product.factors.end(), b.factors.begin(),
                             b.factors.end());
      std::sort(product.factors.begin(), product.factors.end());
      result.terms.push_back(std::move(product));
    }
  result.normalize();
  return result;
}

Expression Expression::scaled(double c) const { return *this * constant(c); }

llvm::Expected<Expression> Expression::power(double n) const {
  if (n != std::floor(n) || n < 0 || n > kMaxPower)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "raises to the power " + std::to_string(n) +
                                       "; expected an integer in [0, 8]");
  Expression result = constant(1.0);
  for (int i = 0; i < int(n) && !result.isTooLarge(); ++i)
    result = result * *this;
  return result;
}

bool Expression::isTooLarge() const {
  if (terms.size() > kMaxTerms)
    return true;
  for (const Term &term : terms) {
    if (term.power > kMaxPower || term.factors.size() > kMaxFactors)
      return true;
    for (const Factor &factor : term.factors)
      if (!factor.argument.empty() &&
          factor.argument.rbegin()->first > kMaxPower)
        return true;
  }
  return false;
}

void Expression::normalize() {
  std::vector<Term> merged;
  for (Term &term : terms) {
    auto same = llvm::find_if(merged, [&](const Term &other) {
      return other.power == term.power && other.factors == term.factors;
    });
    if (same != merged.end())
      same->coefficient += term.coefficient;
    else
      merged.push_back(std::move(term));
  }
  llvm::erase_if(merged,
                 [](const Term &term) { return term.coefficient == 0; });
  terms = std::move(merged);
}

/// |a - b| <= 1e-6 * max(1, |b|).
static bool near(double a, double b) {
  return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b));
}

std::optional<Activation> Expression::match() const {
  // A polynomial argument equal to c1 * z + c3 * z^3 (c3 may be 0).
  auto isPolynomial = [](const Polynomial &p, double c1, double c3) {
    for (const auto &[power, coefficient] : p)
      if (!(power == 1 && near(coefficient, c1)) &&
          !(power == 3 && near(coefficient, c3)))
        return false;
    return p.count(1) && (c3 == 0.0 || p.count(3));
  };
  auto isOnly = [&](const Term &term, double coefficient, int power) {
    return near(term.coefficient, coefficient) && term.power == power;
  };
  if (terms.size() == 1 && terms[0].factors.size() == 1) {
    const Term &term = terms[0];
    const Factor &f = term.factors[0];
    if (!isPolynomial(f.argument, 1.0, 0.0))
      return std::nullopt;
    // F(z).
    if (isOnly(term, 1.0, 0)) {
      switch (f.function) {
      case Function::Tanh:
        return Activation::tanh();
      case Function::Sigmoid:
        return Activation::sigmoid();
      case Function::HardSigmoid:
        return Activation::hardSigmoid(f.alpha, f.beta);
      case Function::Erf:
        return std::nullopt;
      }
    }
    // z * F(z).
    if (isOnly(term, 1.0, 1)) {
      if (f.function == Function::Sigmoid)
        return Activation::silu();
      if (f.function == Function::HardSigmoid && near(f.alpha, 1.0 / 6.0) &&
          near(f.beta, 0.5))
        return Activation::hardSwish();
    }
    return std::nullopt;
  }
  // z / 2 + z / 2 * F(q(z)): GELU and its tanh approximation.
  if (terms.size() == 2) {
    const Term *plain = &terms[0], *special = &terms[1];
    if (!plain->factors.empty())
      std::swap(plain, special);
    if (!plain->factors.empty() || special->factors.size() != 1 ||
        !isOnly(*plain, 0.5, 1) || !isOnly(*special, 0.5, 1))
      return std::nullopt;
    const Factor &f = special->factors[0];
    const double beta = std::sqrt(2.0 / llvm::numbers::pi), kappa = 0.044715;
    if (f.function == Function::Erf &&
        isPolynomial(f.argument, 1.0 / std::sqrt(2.0), 0.0))
      return Activation::gelu();
    if (f.function == Function::Tanh &&
        isPolynomial(f.argument, beta, beta * kappa))
      return Activation::geluTanh();
  }
  return std::nullopt;
}

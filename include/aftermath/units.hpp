// aftermath: vocabulary types.
//
// Time is days since a session, as a std::chrono duration of double days, so "3.5 days" and
// "84 hours" are the same value and cannot be confused with a severity or a probability.
// Severity is the 0–10 numeric rating scale (0 none, 1–3 mild, 4–6 moderate, 7–10 severe).
// Probabilities live in [0, 1]. Each type is built through named factories that say what they
// do with a value out of range: `checked` throws std::domain_error naming the value, `clamped`
// (severity only) clamps into the scale. Odds ratios are model parameters (model.hpp), each
// with its evidence, and combine on the log-odds scale through shift_log_odds.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <compare>
#include <ratio>
#include <stdexcept>
#include <string>

namespace aftermath {

/// Days as a floating-point std::chrono duration (one tick = 86 400 s).
using days = std::chrono::duration<double, std::ratio<86400>>;

namespace detail {
[[noreturn]] inline void out_of_range(const char* what, double value, const char* range) {
  throw std::domain_error(std::string(what) + " is " + std::to_string(value) + ", but must be in " + range);
}
}  // namespace detail

/// A severity on the 0–10 numeric rating scale.
class severity {
 public:
  static constexpr double max_value = 10.0;

  constexpr severity() = default;

  /// Throws std::domain_error unless 0 ≤ value ≤ 10.
  [[nodiscard]] static severity checked(double value) {
    if (!(value >= 0.0 && value <= max_value)) detail::out_of_range("severity", value, "[0, 10]");
    return severity(value);
  }
  /// Clamps into [0, 10]; throws std::domain_error for NaN (a NaN is a bug, not a severity).
  [[nodiscard]] static severity clamped(double value) {
    if (std::isnan(value)) detail::out_of_range("severity", value, "[0, 10]");
    return severity(std::clamp(value, 0.0, max_value));
  }

  [[nodiscard]] constexpr double value() const { return value_; }
  friend constexpr auto operator<=>(severity, severity) = default;

 private:
  constexpr explicit severity(double value) : value_(value) {}
  double value_ = 0.0;
};

/// A probability in [0, 1].
class probability {
 public:
  constexpr probability() = default;

  /// Throws std::domain_error unless 0 ≤ value ≤ 1.
  [[nodiscard]] static probability checked(double value) {
    if (!(value >= 0.0 && value <= 1.0)) detail::out_of_range("probability", value, "[0, 1]");
    return probability(value);
  }

  [[nodiscard]] constexpr double value() const { return value_; }
  friend constexpr auto operator<=>(probability, probability) = default;

 private:
  constexpr explicit probability(double value) : value_(value) {}
  double value_ = 0.0;
};

/// logit(p) + Σ log(OR_k)·w_k, back on the probability scale. Exact at p = 0 and p = 1.
[[nodiscard]] inline probability shift_log_odds(probability base, double log_odds_shift) {
  const double p = base.value();
  if (p <= 0.0 || p >= 1.0) return base;
  const double logit = std::log(p) - std::log1p(-p) + log_odds_shift;
  return probability::checked(1.0 / (1.0 + std::exp(-logit)));
}

}  // namespace aftermath

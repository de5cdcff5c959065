// Standard normal distribution helpers.
#pragma once

#include <cmath>
#include <numbers>

namespace aftermath::detail {

/// Φ(x), accurate in both tails (erfc, not 1 − erf).
inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

/// φ(x).
inline double normal_pdf(double x) {
  constexpr double inv_sqrt_2pi = 0.3989422804014327;
  return inv_sqrt_2pi * std::exp(-0.5 * x * x);
}

/// Φ⁻¹(p) for p in (0, 1), by Newton's method from 0 (Φ is smooth and log-concave, so it
/// converges monotonically after the first step); used for thresholds, not in hot loops.
inline double normal_quantile(double p) {
  double x = 0.0;
  for (int i = 0; i < 100; ++i) {
    const double step = (normal_cdf(x) - p) / normal_pdf(x);
    x -= step;
    if (std::abs(step) < 1e-14 * (1.0 + std::abs(x))) break;
  }
  return x;
}

}  // namespace aftermath::detail

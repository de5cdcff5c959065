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

}  // namespace aftermath::detail

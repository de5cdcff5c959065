// How a report's rating is read: the range of felt severity it stands for on the 0–10 scale,
// and the one number the red-flag rules compare. Internal to the library.
//
// A patient who feels 0.6 and rates in whole numbers writes "1"; reading that "1" as exactly
// 1.0 makes a fading symptom look slow. So a whole number r stands for [r − ½, r + ½) (0 for
// [0, ½), 10 for [9½, ∞)), a grade g or the g-th category for the model's g-th severity range;
// a real number stands for itself.
#pragma once

#include <aftermath/model.hpp>

#include <cmath>
#include <limits>

namespace aftermath::detail {

struct rating_reading {
  double low = 0.0;   ///< felt severity at least this
  double high = 0.0;  ///< and below this (infinity: "this much or more"); equal to low: exactly this
  double value = 0.0;  ///< what the rules compare: the number given, or a grade's or category's midpoint
  bool exact() const { return high == low; }
  /// Is all of the range above `x`? Below it?
  bool above(double x) const { return low > x; }
  bool below(double x) const { return exact() ? high < x : high <= x; }
};

/// The number of grades and categories: none, mild, moderate, severe, very severe.
constexpr int rating_grades = 5;

/// Whether `severity` can be a rating on `scale` (whole numbers 0–10, reals in 0–10, grades 0–4).
inline bool is_rating(rating_scale scale, double severity) {
  switch (scale) {
    case rating_scale::real_0_10: return severity >= 0.0 && severity <= 10.0;
    case rating_scale::whole_0_10: return severity >= 0.0 && severity <= 10.0 && std::floor(severity) == severity;
    case rating_scale::grade_0_4:
    case rating_scale::category: return severity >= 0.0 && severity < rating_grades && std::floor(severity) == severity;
  }
  return false;
}

/// The reading of a rating that is_rating accepts.
inline rating_reading read_rating(const assessment_spec& spec, rating_scale scale, double severity) {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  switch (scale) {
    case rating_scale::real_0_10: return {severity, severity, severity};
    case rating_scale::whole_0_10:
      return {std::max(0.0, severity - 0.5), severity >= 10.0 ? infinity : severity + 0.5, severity};
    case rating_scale::grade_0_4:
    case rating_scale::category: {
      const double from[rating_grades + 1] = {0.0, spec.mild_from.value, spec.moderate_from.value, spec.severe_from.value,
                                              spec.very_severe_from.value, infinity};
      const auto g = static_cast<int>(severity);
      const double low = from[g], high = from[g + 1];
      return {low, high, g == 0 ? 0.0 : 0.5 * (low + std::min(high, 10.0))};
    }
  }
  return {severity, severity, severity};
}

}  // namespace aftermath::detail

// Presentation helpers shared by the JSON and text writers.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/profile.hpp>

#include <cmath>
#include <string>

namespace aftermath::inline io {

/// Rounds for presentation; the computation itself is not rounded.
inline double rounded(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

/// The ISO date `offset` days after the profile's first session.
inline std::string date_string(const profile& profile, days offset) { return iso_date(date_after_first(profile, offset)); }

}  // namespace aftermath::io

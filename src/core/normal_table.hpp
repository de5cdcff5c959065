// Φ(z) and φ(z) for the engine's inner loops, from a table.
//
// Φ is tabulated with its slope φ at steps of h = 1/64 on [−8.5, 8.5] and read by cubic Hermite
// interpolation, whose error is at most h⁴/384 · max|Φ''''| = h⁴/384 · max|φ'''| < 1e-10: far
// below any probability the library reports. Beyond ±8.5, Φ is 0 or 1 to within 1e-17. A call
// costs a handful of multiplications where erfc costs several times more; erfc and exp were two
// thirds of a projection's instructions. The slopes returned by `within` are the interpolant's own
// derivatives, so Newton and Halley steps on a mixture of these are consistent with its values.
#pragma once

#include <aftermath/detail/normal.hpp>

#include <algorithm>
#include <array>
#include <cstddef>

namespace aftermath::detail {

class normal_table {
 public:
  /// |z| beyond which Φ(z) is 0 or 1 to double precision for every use here (Φ(−8.5) ≈ 1e-17).
  static constexpr double limit = 8.5;

  /// Φ(z), within 1e-10.
  static double cdf(double z) {
    if (z <= -limit) return 0.0;
    if (z >= limit) return 1.0;
    const auto [c, s] = locate(z);
    return c[0] + s * (c[1] + s * (c[2] + s * c[3]));
  }

  /// Φ(z), the interpolant's slope (φ(z) within 1e-7) and the slope's own slope (φ'(z)), from
  /// one lookup, for a caller that already keeps |z| < limit (an inner loop over what lies
  /// within reach).
  struct value_and_slopes {
    double cdf;
    double pdf;
    double pdf_slope;
  };
  static value_and_slopes within(double z) {
    const auto [c, s] = locate(z);
    return {c[0] + s * (c[1] + s * (c[2] + s * c[3])), (c[1] + s * (2.0 * c[2] + s * 3.0 * c[3])) * per_unit,
            (2.0 * c[2] + s * 6.0 * c[3]) * (per_unit * per_unit)};
  }

 private:
  static constexpr int per_unit = 64;
  static constexpr double step = 1.0 / per_unit;
  static constexpr std::size_t intervals = static_cast<std::size_t>(2 * limit * per_unit);

  /// Per interval, the cubic's coefficients in s ∈ [0, 1): the Hermite interpolant of Φ with
  /// slope φ at both ends.
  static const std::array<std::array<double, 4>, intervals>& table() {
    static const auto coefficients = [] {
      std::array<std::array<double, 4>, intervals> out{};
      for (std::size_t k = 0; k < intervals; ++k) {
        const double z = -limit + static_cast<double>(k) * step;
        const double a = normal_cdf(z), b = normal_cdf(z + step), da = step * normal_pdf(z), db = step * normal_pdf(z + step);
        out[k] = {a, da, 3.0 * (b - a) - 2.0 * da - db, 2.0 * (a - b) + da + db};
      }
      return out;
    }();
    return coefficients;
  }

  struct position {
    const std::array<double, 4>& coefficients;
    double s;  ///< where in the interval, in [0, 1)
  };
  static position locate(double z) {
    // Rounding may put z a hair outside ±limit for `within`: such z read the end intervals.
    const double u = std::clamp((z + limit) * per_unit, 0.0, static_cast<double>(intervals - 1) + 0.999);
    const auto k = static_cast<std::size_t>(u);
    return {table()[k], u - static_cast<double>(k)};
  }
};

}  // namespace aftermath::detail

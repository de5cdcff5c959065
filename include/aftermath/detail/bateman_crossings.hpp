// Where a Bateman shape crosses a level, without a root search per question.
//
// The normalised shape of one effect (unit time scale, lag removed) rises to 1 at u_p and then
// decays. For a level ℓ = e^{−y} in (0, 1] it crosses ℓ once on the way up, at u_rise(y) ≤ u_p,
// and once on the way down, at u_fall(y) ≥ u_p. Both are smooth functions of w = √y (the square
// root takes away the fold at the peak, where y ≈ κ(u − u_p)²), so they are tabulated once per
// effect on a grid in w with their exact derivatives and read back by cubic Hermite
// interpolation. The falling branch is stored as the smooth remainder after its asymptote,
// g(w) = u_fall − w²/k_e (far down the tail e^{−k_e u} dominates); the rising branch as u_rise
// itself, which falls towards 0 like e^{−w²} and is read to an absolute 1e-12 days.
// Beyond the table (levels below e^{−w_max²}, far outside any threshold a patient meets) a
// safeguarded Newton search answers instead. Accuracy against an exact root search is tested
// (tests/simulation_kernel_test.cpp).
#pragma once

#include <aftermath/curve.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace aftermath::detail {

class bateman_crossings {
 public:
  static constexpr double w_max = 6.0;  // levels down to e^{−36}
  static constexpr std::size_t intervals = 1024;

  explicit bateman_crossings(const bateman_curve& curve)
      : ka_(curve.rise_rate_per_day()), ke_(curve.decay_rate_per_day()), height_(curve.peak_height()),
        peak_(std::log(ka_ / ke_) / (ka_ - ke_)) {
    const double curvature = std::sqrt(-0.5 * second_derivative_at_peak());
    double fall = peak_, rise = peak_;
    for (std::size_t k = 0; k <= intervals; ++k) {
      const double w = step * static_cast<double>(k);
      const double y = w * w;
      if (k > 0) fall = polish(solve_fall(y, fall), y), rise = polish(solve_rise(y, rise), y);
      const double fall_slope = k == 0 ? 1.0 / curvature : 2.0 * w / -log_slope(fall);
      const double rise_slope = k == 0 ? -1.0 / curvature : 2.0 * w / -log_slope(rise);
      nodes_.push_back({fall - y / ke_, fall_slope - 2.0 * w / ke_, rise, rise_slope});
    }
  }

  /// The time after the lag, in unit time scale, at which the shape falls through e^{−y} (y ≥ 0).
  double fall(double y) const {
    const double w = std::sqrt(y);
    if (w >= w_max) return solve_fall(y);
    return interpolate<&node::fall, &node::fall_slope>(w) + y / ke_;
  }

  /// The time after the lag, in unit time scale, at which the shape rises through e^{−y} (y ≥ 0).
  double rise(double y) const {
    const double w = std::sqrt(y);
    if (w >= w_max) return solve_rise(y);
    return std::max(0.0, interpolate<&node::rise, &node::rise_slope>(w));
  }

  /// Both crossings of the level e^{−y} (y ≥ 0).
  std::pair<double, double> rise_and_fall(double y) const {
    const double w = std::sqrt(y);
    if (w >= w_max) return {solve_rise(y), solve_fall(y)};
    return {std::max(0.0, interpolate<&node::rise, &node::rise_slope>(w)), interpolate<&node::fall, &node::fall_slope>(w) + y / ke_};
  }

  double peak_offset() const { return peak_; }

  /// ln of the normalised shape at u > 0, accurate near u = 0.
  double log_shape(double u) const { return -ke_ * u + std::log(-std::expm1(-(ka_ - ke_) * u)) - std::log(height_); }

 private:
  static constexpr double step = w_max / static_cast<double>(intervals);

  /// Both branches at one grid point, side by side so that one cache line serves a lookup.
  struct node {
    double fall;        // g(w)
    double fall_slope;  // dg/dw
    double rise;        // u_rise(w)
    double rise_slope;  // du_rise/dw
  };

  template <double node::*value, double node::*slope>
  double interpolate(double w) const {
    const double x = w * (1.0 / step);
    const auto k = std::min(static_cast<std::size_t>(x), intervals - 1);
    const double t = x - static_cast<double>(k);
    const node& a = nodes_[k];
    const node& b = nodes_[k + 1];
    const double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * a.*value + (t3 - 2 * t2 + t) * step * a.*slope + (-2 * t3 + 3 * t2) * b.*value +
           (t3 - t2) * step * b.*slope;
  }

  /// d ln shape / du, stable for small u: (k_a e^{−(k_a−k_e)u} − k_e) / (1 − e^{−(k_a−k_e)u}).
  double log_slope(double u) const {
    const double d = ka_ - ke_;
    return (ka_ * std::exp(-d * u) - ke_) / -std::expm1(-d * u);
  }

  double second_derivative_at_peak() const {
    return (ke_ * ke_ * std::exp(-ke_ * peak_) - ka_ * ka_ * std::exp(-ka_ * peak_)) / height_;
  }

  /// ln shape = −y over [u_p, ∞), where the shape falls: bisection, narrowed around `near` when
  /// a nearby answer is known (the previous grid point's).
  double solve_fall(double y, double near = 0.0) const {
    double lo = peak_, hi = peak_ + (y + 1.0) / ke_;
    if (near > peak_) {
      const double width = 1e-2 * (near - peak_) + 1e-9;
      if (log_shape(near - width) > -y && near - width > peak_) lo = near - width;
      if (log_shape(near + 4.0 * width) <= -y) hi = near + 4.0 * width;
    }
    while (log_shape(hi) > -y) hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
      const double mid = 0.5 * (lo + hi);
      (log_shape(mid) > -y ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  }

  /// The same for the rise over (0, u_p], in ln u so that very early times keep their precision.
  double solve_rise(double y, double near = 0.0) const {
    double lo = std::log(peak_) - y - 50.0, hi = std::log(peak_);
    if (near > 0.0 && near < peak_) {
      const double width = 1e-2 * (std::log(peak_) - std::log(near)) + 1e-9;
      if (log_shape(near * std::exp(-4.0 * width)) < -y) lo = std::log(near) - 4.0 * width;
      if (log_shape(near * std::exp(width)) >= -y && std::log(near) + width < hi) hi = std::log(near) + width;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, std::abs(hi)); ++i) {
      const double mid = 0.5 * (lo + hi);
      (log_shape(std::exp(mid)) < -y ? lo : hi) = mid;
    }
    return std::exp(0.5 * (lo + hi));
  }

  /// One Newton step on ln shape(u) = −y from a bracketed answer: the bisection's last bits.
  double polish(double u, double y) const {
    const double next = u - (log_shape(u) + y) / log_slope(u);
    return std::isfinite(next) && std::abs(next - u) < 1e-9 * (1.0 + u) ? next : u;
  }

  double ka_;
  double ke_;
  double height_;
  double peak_;
  std::vector<node> nodes_;
};

}  // namespace aftermath::detail

// Where a Bateman shape crosses a level, without a root search per question.
//
// The normalised shape of one effect (unit time scale, lag removed) rises to 1 at u_p and then
// decays. For a level ℓ = e^{−y} in (0, 1] it crosses ℓ once on the way up, at u_rise(y) ≤ u_p,
// and once on the way down, at u_fall(y) ≥ u_p. Both are tabulated once per effect with their
// exact derivatives, and each grid interval's cubic Hermite interpolant is kept as the four
// coefficients of its polynomial, read back by Horner's rule: near the peak (y < 1) on a
// grid in w = √y, because the square root takes away the fold there (y ≈ κ(u − u_p)²); further
// out on a grid in y itself, where both branches are smooth and no square root is needed. The
// falling branch is stored as the remainder after its asymptote, g = u_fall − y/k_e (far down
// the tail e^{−k_e u} dominates); the rising branch as u_rise itself, which tends to 0 like e^{−y}
// and is read to an absolute 1e-12 days. Beyond the table (levels below e^{−16}, far outside
// any threshold a patient meets) a root search answers instead. Accuracy against an exact root
// search is tested (tests/simulation_kernel_test.cpp).
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
  static constexpr double y_near = 1.0;  ///< below: the grid in √y
  static constexpr double y_max = 16.0;  ///< levels down to e^{−16}, far below any threshold a patient meets
  static constexpr std::size_t near_intervals = 256;
  static constexpr std::size_t far_intervals = 1024;

  explicit bateman_crossings(const bateman_curve& curve)
      : ka_(curve.rise_rate_per_day()), ke_(curve.decay_rate_per_day()), height_(curve.peak_height()),
        peak_(std::log(ka_ / ke_) / (ka_ - ke_)) {
    const double curvature = std::sqrt(-0.5 * second_derivative_at_peak());
    std::vector<node> near, far;
    double fall = peak_, rise = peak_;
    for (std::size_t k = 0; k <= near_intervals; ++k) {  // in w; at the peak the slopes are ±1/√κ
      const double w = near_step * static_cast<double>(k), y = w * w;
      if (k > 0) fall = solve_fall(y, fall), rise = solve_rise(y, rise);
      const double fall_slope = k == 0 ? 1.0 / curvature : 2.0 * w / -log_slope(fall);
      const double rise_slope = k == 0 ? -1.0 / curvature : 2.0 * w / -log_slope(rise);
      near.push_back({fall - y / ke_, fall_slope - 2.0 * w / ke_, rise, rise_slope});
    }
    for (std::size_t k = 0; k <= far_intervals; ++k) {  // in y: du/dy = 1 / (−d ln shape / du)
      const double y = y_near + far_step * static_cast<double>(k);
      fall = solve_fall(y, fall), rise = solve_rise(y, rise);
      far.push_back({fall - y / ke_, 1.0 / -log_slope(fall) - 1.0 / ke_, rise, 1.0 / -log_slope(rise)});
    }
    near_ = cells_between(near, near_step);
    far_ = cells_between(far, far_step);
  }

  /// The time after the lag, in unit time scale, at which the shape falls through e^{−y} (y ≥ 0).
  double fall(double y) const {
    if (y >= y_max) return solve_fall(y);
    const auto [c, t] = cell_at(y);
    return horner(c.fall, t) + y / ke_;
  }

  /// The time after the lag, in unit time scale, at which the shape rises through e^{−y} (y ≥ 0).
  double rise(double y) const {
    if (y >= y_max) return solve_rise(y);
    const auto [c, t] = cell_at(y);
    return std::max(0.0, horner(c.rise, t));
  }

  /// Both crossings of the level e^{−y} (y ≥ 0), from one lookup.
  std::pair<double, double> rise_and_fall(double y) const {
    if (y >= y_max) return {solve_rise(y), solve_fall(y)};
    const auto [c, t] = cell_at(y);
    return {std::max(0.0, horner(c.rise, t)), horner(c.fall, t) + y / ke_};
  }

  double peak_offset() const { return peak_; }

  /// ln of the normalised shape at u > 0, accurate near u = 0.
  double log_shape(double u) const { return -ke_ * u + std::log(-std::expm1(-(ka_ - ke_) * u)) - std::log(height_); }

 private:
  static constexpr double near_step = 1.0 / static_cast<double>(near_intervals);  // √y_near = 1
  static constexpr double far_step = (y_max - y_near) / static_cast<double>(far_intervals);

  /// Both branches at one grid point.
  struct node {
    double fall;        // g = u_fall − y/k_e
    double fall_slope;  // dg/dw (near) or dg/dy (far)
    double rise;        // u_rise
    double rise_slope;
  };

  /// One grid interval: both branches' cubics in t ∈ [0, 1] across it, c0 + c1·t + c2·t² + c3·t³,
  /// side by side in one cache line.
  struct alignas(64) cell {
    double fall[4];
    double rise[4];
  };

  /// The cubic Hermite interpolant between two nodes h apart, as polynomial coefficients.
  static void hermite_coefficients(double f0, double slope0, double f1, double slope1, double h, double (&c)[4]) {
    const double m0 = h * slope0, m1 = h * slope1;
    c[0] = f0;
    c[1] = m0;
    c[2] = 3.0 * (f1 - f0) - 2.0 * m0 - m1;
    c[3] = 2.0 * (f0 - f1) + m0 + m1;
  }

  static std::vector<cell> cells_between(const std::vector<node>& nodes, double h) {
    std::vector<cell> cells(nodes.size() - 1);
    for (std::size_t k = 0; k + 1 < nodes.size(); ++k) {
      const node& a = nodes[k];
      const node& b = nodes[k + 1];
      hermite_coefficients(a.fall, a.fall_slope, b.fall, b.fall_slope, h, cells[k].fall);
      hermite_coefficients(a.rise, a.rise_slope, b.rise, b.rise_slope, h, cells[k].rise);
    }
    return cells;
  }

  static double horner(const double (&c)[4], double t) { return c[0] + t * (c[1] + t * (c[2] + t * c[3])); }

  /// The interval holding level e^{−y} (0 ≤ y < y_max) and the position t in it. Levels of a
  /// patient's curves fall on both sides of y_near at random: the grid is chosen by selection,
  /// not by a branch that would be mispredicted.
  std::pair<const cell&, double> cell_at(double y) const {
    const bool near = y < y_near;
    const double x = near ? std::sqrt(y) * (1.0 / near_step) : (y - y_near) * (1.0 / far_step);
    const std::vector<cell>& cells = near ? near_ : far_;
    const auto k = std::min(static_cast<std::size_t>(x), cells.size() - 1);
    return {cells[k], x - static_cast<double>(k)};
  }

  /// d ln shape / du, stable for small u: (k_a e^{−(k_a−k_e)u} − k_e) / (1 − e^{−(k_a−k_e)u}).
  double log_slope(double u) const {
    const double d = ka_ - ke_;
    return (ka_ * std::exp(-d * u) - ke_) / -std::expm1(-d * u);
  }

  double second_derivative_at_peak() const {
    return (ke_ * ke_ * std::exp(-ke_ * peak_) - ka_ * ka_ * std::exp(-ka_ * peak_)) / height_;
  }

  /// ln shape = −y over [u_p, ∞), where the shape falls. From a nearby answer (the previous grid
  /// point's) Newton converges monotonically, ln shape being concave there; otherwise, or should
  /// it fail, bisection.
  double solve_fall(double y, double near = 0.0) const {
    if (near > peak_) {
      double u = near;
      for (int i = 0; i < 60; ++i) {
        const double next = u - (log_shape(u) + y) / log_slope(u);
        if (!(next > peak_ && std::isfinite(next))) break;
        if (std::abs(next - u) <= 1e-15 * next) return next;
        u = next;
      }
    }
    double lo = peak_, hi = peak_ + (y + 1.0) / ke_;
    while (log_shape(hi) > -y) hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
      const double mid = 0.5 * (lo + hi);
      (log_shape(mid) > -y ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  }

  /// The same for the rise over (0, u_p], in v = ln u so that very early times keep their
  /// precision (ln shape is concave in v too).
  double solve_rise(double y, double near = 0.0) const {
    if (near > 0.0 && near < peak_) {
      double v = std::log(near);
      for (int i = 0; i < 60; ++i) {
        const double u = std::exp(v);
        const double next = v - (log_shape(u) + y) / (u * log_slope(u));
        if (!(next < std::log(peak_) && std::isfinite(next))) break;
        if (std::abs(next - v) <= 1e-15 * std::max(1.0, std::abs(next))) return std::exp(next);
        v = next;
      }
    }
    double lo = std::log(peak_) - y - 50.0, hi = std::log(peak_);
    for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, std::abs(hi)); ++i) {
      const double mid = 0.5 * (lo + hi);
      (log_shape(std::exp(mid)) < -y ? lo : hi) = mid;
    }
    return std::exp(0.5 * (lo + hi));
  }

  double ka_;
  double ke_;
  double height_;
  double peak_;
  std::vector<cell> near_;
  std::vector<cell> far_;
};

}  // namespace aftermath::detail

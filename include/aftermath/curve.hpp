// aftermath: the rise-and-decay shape of one side effect after one session.
//
//   shape(t) = 0                                              for t ≤ lag
//   shape(t) = (e^{−k_e u} − e^{−k_a u}) / (e^{−k_e u_p} − e^{−k_a u_p}),  u = t − lag
//
// a Bateman curve normalised to peak 1 at u_p = time to peak. It is written in clinical terms:
// k_e = ln 2 / half-life (the decay the patient sees once the peak has passed), and k_a > k_e is
// the unique rate that puts the peak at the requested time, which is possible only when
// time to peak < half-life / ln 2. A severity curve is amplitude · shape.
//
// Stretching the curve in time (`stretched`) scales time to peak and half-life alike: that is
// how slower individual healing and duration modifiers act.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <Eigen/Core>

#include <aftermath/units.hpp>

#include <cmath>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>

namespace aftermath {

class bateman_curve {
 public:
  /// A curve peaking one day after the session with a one-day half-life.
  bateman_curve() : bateman_curve(from_clinical(days(0.0), days(1.0), days(1.0))) {}

  /// Throws std::domain_error unless lag ≥ 0, time_to_peak > 0, half_life > 0 and
  /// time_to_peak < half_life / ln 2.
  [[nodiscard]] static bateman_curve from_clinical(days lag, days time_to_peak, days half_life) {
    const double tp = time_to_peak.count();
    const double hl = half_life.count();
    if (!(lag.count() >= 0.0 && std::isfinite(lag.count())))
      throw std::domain_error("lag is " + std::to_string(lag.count()) + " days, but must be >= 0");
    if (!(tp > 0.0 && hl > 0.0 && std::isfinite(tp) && std::isfinite(hl)))
      throw std::domain_error("time to peak and half-life must be > 0 days");
    const double ke = std::numbers::ln2 / hl;
    if (!(tp * ke < 1.0))
      throw std::domain_error("time to peak is " + std::to_string(tp) + " days, but must be < half-life / ln 2 = " +
                              std::to_string(hl / std::numbers::ln2) + " days");
    return bateman_curve(lag.count(), rise_rate(tp, ke), ke);
  }

  [[nodiscard]] days lag() const { return days(lag_); }
  /// Time from the session to the peak (lag included).
  [[nodiscard]] days peak_time() const { return days(lag_ + peak_offset()); }
  [[nodiscard]] days half_life() const { return days(std::numbers::ln2 / ke_); }
  /// k_e and k_a, per day: shape(t) ∝ e^{−k_e u} − e^{−k_a u}. For closed-form work on sums of curves.
  [[nodiscard]] double decay_rate_per_day() const { return ke_; }
  [[nodiscard]] double rise_rate_per_day() const { return ka_; }
  /// The peak of the unnormalised e^{−k_e u} − e^{−k_a u}: shape = that / peak_height().
  [[nodiscard]] double peak_height() const { return norm_; }

  /// The same curve with time to peak and half-life multiplied by `factor` (> 0); lag unchanged.
  [[nodiscard]] bateman_curve stretched(double factor) const { return bateman_curve(lag_, ka_ / factor, ke_ / factor); }

  /// shape(t) in [0, 1]; 0 before the lag.
  [[nodiscard]] double operator()(days t) const { return value_at(t.count()); }

  /// shape over a grid of times in days, vectorised.
  [[nodiscard]] Eigen::ArrayXd operator()(const Eigen::ArrayXd& t_days) const {
    const Eigen::ArrayXd u = (t_days - lag_).max(0.0);
    // e^{−k_e u}(1 − e^{−(k_a−k_e)u}) avoids cancellation when k_a is close to k_e.
    return -((-ke_ * u).exp() * (-(ka_ - ke_) * u).expm1()) / norm_;
  }

  /// First time after the peak from which amplitude · shape stays below `threshold`
  /// (the curve decays monotonically after its peak). Zero if the peak never reaches it.
  [[nodiscard]] days time_below_for_good(double amplitude, double threshold) const {
    if (amplitude <= threshold) return days(0.0);
    double lo = peak_offset();
    double hi = lo + std::numbers::ln2 / ke_;
    while (amplitude * value_at(lag_ + hi) >= threshold) hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
      const double mid = 0.5 * (lo + hi);
      (amplitude * value_at(lag_ + mid) >= threshold ? lo : hi) = mid;
    }
    return days(lag_ + hi);
  }

 private:
  bateman_curve(double lag, double ka, double ke)
      : lag_(lag), ka_(ka), ke_(ke), norm_(raw(peak_offset())) {}

  double peak_offset() const { return std::log(ka_ / ke_) / (ka_ - ke_); }
  double raw(double u) const { return -std::exp(-ke_ * u) * std::expm1(-(ka_ - ke_) * u); }
  double value_at(double t) const { return t <= lag_ ? 0.0 : raw(t - lag_) / norm_; }

  // Solves ln(r)/(r − 1) = tp·k_e for r = k_a/k_e > 1, in y = ln r: y/(e^y − 1) falls from 1 to 0.
  static double rise_rate(double tp, double ke) {
    const double target = tp * ke;
    const auto g = [](double y) { return y / std::expm1(y); };
    double lo = 0.0, hi = 1.0;
    while (g(hi) > target) hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
      const double mid = 0.5 * (lo + hi);
      (g(mid) > target ? lo : hi) = mid;
    }
    return ke * std::exp(0.5 * (lo + hi));
  }

  double lag_;
  double ka_;
  double ke_;
  double norm_;
};

}  // namespace aftermath

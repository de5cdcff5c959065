// The distribution of one effect for one patient on the quadrature grid over the healing-time
// term: the engine behind projections, recovery gates and event checks. Internal to the library.
#pragma once

#include <aftermath/course.hpp>
#include <aftermath/detail/gauss_hermite.hpp>
#include <aftermath/detail/normal.hpp>
#include <aftermath/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace aftermath::detail {

/// A session whose contribution stays below this many severity points, even at an amplitude
/// five standard deviations above typical, is left out of the occurrence mixture.
constexpr double negligible_severity = 1e-4;
/// Sets of overlapping sessions are enumerated exactly; 2^14 sets is the most we allow.
constexpr std::size_t max_overlapping_sessions = 14;
/// A quadrature node this light (|z| beyond about 4: healing seven times slower than typical)
/// cannot move a reported probability; all such nodes together weigh under 1e-4. When too many
/// sessions overlap there, because the curve is stretched many times over, only the largest
/// contributions are kept.
constexpr double negligible_node_weight = 1e-5;
/// |z| beyond which Φ(z) is 0 or 1 to double precision (Φ(−8.5) ≈ 1e-17).
constexpr double tail_z = 8.5;

/// Calls f(mask, weight) for every non-empty subset of the given sessions, where weight is the
/// chance that the effect occurs after exactly those sessions among them.
template <typename F>
void for_each_occurrence_set(const std::vector<double>& p, F&& f) {
  const auto k = static_cast<unsigned>(p.size());
  for (unsigned mask = 1; mask < (1u << k); ++mask) {
    double weight = 1.0;
    for (unsigned j = 0; j < k; ++j) weight *= (mask >> j & 1u) ? p[j] : 1.0 - p[j];
    f(mask, weight);
  }
}

inline double product_of_complements(const std::vector<double>& p) {
  double product = 1.0;
  for (double pj : p) product *= 1.0 - pj;
  return product;
}

/// The distribution of one effect for one patient, on the quadrature grid over η_T.
class effect_engine {
 public:
  effect_engine(const effect_course& effect, int quadrature_nodes)
      : effect_(effect),
        rule_(detail::gauss_hermite(quadrature_nodes)),
        sigma_a_(effect.peak_sd),
        amplitude_ceiling_(std::exp(5.0 * effect.peak_sd)) {
    for (const auto& session : effect.sessions) occurrence_.push_back(session.occurrence.value());
    none_ = product_of_complements(occurrence_);
    occurs_ = -std::expm1(std::accumulate(occurrence_.begin(), occurrence_.end(), 0.0,
                                          [](double sum, double p) { return sum + std::log1p(-p); }));
    for (double z : rule_.nodes) {
      std::vector<bateman_curve> curves;
      std::vector<double> peaks;
      for (const auto& session : effect.sessions) {
        curves.push_back(effect.shape.stretched(session.time_scale * std::exp(effect.healing_time_sd * z)));
        peaks.push_back(session.start.count() + curves.back().peak_time().count());
      }
      curves_.push_back(std::move(curves));
      peak_times_.push_back(std::move(peaks));
    }
  }

  std::size_t nodes() const { return rule_.nodes.size(); }
  std::size_t sessions() const { return effect_.sessions.size(); }
  double occurs() const { return occurs_; }

  /// Contribution of session j at node i and time t (typical amplitude, η_A = 0).
  double contribution(std::size_t i, std::size_t j, double t) const {
    const auto& session = effect_.sessions[j];
    return session.amplitude * curves_[i][j](days(t - session.start.count()));
  }

  /// Contributions of session j at every node over a grid of times (nodes × times).
  Eigen::ArrayXXd contributions_over(std::size_t j, const Eigen::ArrayXd& times) const {
    const auto& session = effect_.sessions[j];
    Eigen::ArrayXXd out(nodes(), times.size());
    const Eigen::ArrayXd since = times - session.start.count();
    for (std::size_t i = 0; i < nodes(); ++i)
      out.row(static_cast<Eigen::Index>(i)) = session.amplitude * curves_[i][j](since).transpose();
    return out;
  }

  bool negligible(double contribution) const { return contribution * amplitude_ceiling_ < negligible_severity; }

  /// The severity distribution at one time: lognormal components (weight, log G_U) and the
  /// weight, within "occurs at least once", of severity ≈ 0. `contribution_at(i, j)` gives
  /// session j's contribution at node i.
  template <typename Contribution>
  void build_severity_mixture(double t, Contribution&& contribution_at) {
    components_.clear();
    zero_weight_ = 0.0;
    for (std::size_t i = 0; i < nodes(); ++i) {
      active_p_.clear();
      active_c_.clear();
      for (std::size_t j = 0; j < sessions(); ++j) {
        if (effect_.sessions[j].start.count() >= t) continue;
        const double c = contribution_at(i, j);
        if (negligible(c)) continue;
        active_p_.push_back(occurrence_[j]);
        active_c_.push_back(c);
      }
      const double w = rule_.weights[i];
      if (active_p_.size() > max_overlapping_sessions) {
        if (w >= negligible_node_weight) throw_overlap(active_p_.size());
        keep_largest(active_p_, active_c_);
      }
      zero_weight_ += w * (product_of_complements(active_p_) - none_);
      for_each_occurrence_set(active_p_, [&](unsigned mask, double weight) {
        double g = 0.0;
        for (std::size_t j = 0; j < active_c_.size(); ++j)
          if (mask >> j & 1u) g += active_c_[j];
        components_.push_back({w * weight, std::log(g)});
      });
    }
  }

  /// Conditional P(S ≤ s) from the current mixture, times P(occurs).
  double severity_mass_below(double log_s) const {
    double mass = zero_weight_;
    for (const auto& c : components_) mass += c.weight * tail_cdf((log_s - c.log_g) / sigma_a_);
    return mass;
  }

  /// Conditional mass at severity 0 (sessions that have not started), times P(occurs).
  double severity_mass_at_zero() const { return zero_weight_; }

  /// Φ(z), skipping erfc where Φ is 0 or 1 to double precision: most components of a mixture
  /// sit far in one tail of any given quantile.
  static double tail_cdf(double z) { return z < -tail_z ? 0.0 : z > tail_z ? 1.0 : detail::normal_cdf(z); }

  /// Conditional severity quantile from the current mixture; `guess` (e.g. the same quantile a
  /// moment earlier) only speeds the search up.
  double severity_quantile(double q, double guess = 0.0) const {
    const double target = q * occurs_;
    if (components_.empty() || zero_weight_ >= target) return 0.0;
    const double log_cap = std::log(severity::max_value);
    if (severity_mass_below(log_cap) < target) return severity::max_value;
    double lo = log_cap, hi = log_cap, x = 0.0, best = 0.0;
    for (const auto& c : components_) {
      lo = std::min(lo, c.log_g - 10.0 * sigma_a_);
      if (c.weight > best) best = c.weight, x = c.log_g;
    }
    if (severity_mass_below(lo) >= target) return std::exp(lo);
    if (guess > 0.0) x = std::log(guess);
    x = std::clamp(x, lo, hi);
    // Newton on log severity, kept inside a shrinking bracket (bisection when it would leave).
    for (int iteration = 0; iteration < 200; ++iteration) {
      double f = zero_weight_ - target, slope = 0.0;
      for (const auto& c : components_) {
        const double z = (x - c.log_g) / sigma_a_;
        if (z < -tail_z) continue;
        if (z > tail_z) {
          f += c.weight;
          continue;
        }
        f += c.weight * detail::normal_cdf(z);
        slope += c.weight * detail::normal_pdf(z) / sigma_a_;
      }
      (f < 0.0 ? lo : hi) = x;
      double next = slope > 0.0 ? x - f / slope : 0.5 * (lo + hi);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (std::abs(next - x) < 1e-10 || hi - lo < 1e-10) return std::exp(next);
      x = next;
    }
    return std::exp(x);
  }

  /// Unconditional P(S ≥ visible) from the current mixture.
  double visible_chance(double visible) const {
    if (visible > severity::max_value) return 0.0;
    return std::clamp(occurs_ - severity_mass_below(std::log(visible)), 0.0, 1.0);
  }

  /// P(resolved by t, occurs): the effect stays below r from t on. When more sessions than can be
  /// enumerated are still to come at t, the latest of them are left out and `upper_bound` is set:
  /// the mass is then at least the true one (fewer sessions, fewer chances to exceed r).
  double resolution_mass_by(double t, double resolved, bool* upper_bound = nullptr) const {
    const double log_r = std::log(resolved);
    double mass = 0.0;
    std::vector<double> p, c_now, peaks;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < nodes(); ++i) {
      p.clear();
      c_now.clear();
      index.clear();
      for (std::size_t j = 0; j < sessions(); ++j) {
        const double c = contribution(i, j, t);
        if (peak_times_[i][j] <= t && negligible(c)) continue;
        if (p.size() == max_overlapping_sessions) {
          if (rule_.weights[i] >= negligible_node_weight && upper_bound) *upper_bound = true;
          else if (rule_.weights[i] >= negligible_node_weight) throw_overlap(p.size() + 1);
          break;  // sessions are in time order: the rest start later
        }
        p.push_back(occurrence_[j]);
        c_now.push_back(c);
        index.push_back(j);
      }
      // Each relevant session's contribution at every later session peak: G_U there.
      const std::size_t k = index.size();
      peaks.assign(k * k, 0.0);
      for (std::size_t a = 0; a < k; ++a)
        if (peak_times_[i][index[a]] > t)
          for (std::size_t b = 0; b < k; ++b) peaks[a * k + b] = contribution(i, index[b], peak_times_[i][index[a]]);
      const double w = rule_.weights[i];
      mass += w * (product_of_complements(p) - none_);
      for_each_occurrence_set(p, [&](unsigned mask, double weight) {
        double highest = 0.0;
        for (std::size_t b = 0; b < k; ++b)
          if (mask >> b & 1u) highest += c_now[b];
        for (std::size_t a = 0; a < k; ++a) {
          if (!(mask >> a & 1u) || peak_times_[i][index[a]] <= t) continue;
          double at_peak = 0.0;
          for (std::size_t b = 0; b < k; ++b)
            if (mask >> b & 1u) at_peak += peaks[a * k + b];
          highest = std::max(highest, at_peak);
        }
        mass += w * weight * tail_cdf((log_r - std::log(highest)) / sigma_a_);
      });
    }
    return mass;
  }

  /// Conditional resolution-time quantile, days since the first session.
  double resolution_quantile(double q, double resolved) const {
    const double target = q * occurs_;
    double lo = 0.0;
    double hi = effect_.sessions.back().start.count() + effect_.shape.peak_time().count() + 1.0;
    bool bounded = false;  // a bound below the target is conclusive; the bisection checks the rest
    while (resolution_mass_by(hi, resolved, &bounded) < target) {
      lo = hi;
      hi *= 2.0;
      if (hi > 1e5) return hi;  // beyond any horizon we report; the curve never settles
    }
    while (hi - lo > 1e-6) {
      const double mid = 0.5 * (lo + hi);
      bool upper_bound = false;
      const double mass = resolution_mass_by(mid, resolved, &upper_bound);
      if (mass < target) lo = mid;  // the true mass is lower still
      else if (upper_bound) throw_overlap(max_overlapping_sessions + 1);
      else hi = mid;
    }
    return hi;
  }

 private:
  [[noreturn]] void throw_overlap(std::size_t count) const {
    throw input_error("sessions", "more than " + std::to_string(count - 1) + " sessions' " + effect_.id +
                                      " would overlap, and at most " + std::to_string(max_overlapping_sessions) +
                                      " can be projected exactly (space the sessions further apart)");
  }

  /// Keeps the max_overlapping_sessions largest contributions (for a negligible node only).
  static void keep_largest(std::vector<double>& p, std::vector<double>& c) {
    std::vector<std::size_t> order(c.size());
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + max_overlapping_sessions, order.end(),
                      [&](std::size_t a, std::size_t b) { return c[a] > c[b]; });
    std::vector<double> kept_p, kept_c;
    for (std::size_t k = 0; k < max_overlapping_sessions; ++k) kept_p.push_back(p[order[k]]), kept_c.push_back(c[order[k]]);
    p = std::move(kept_p), c = std::move(kept_c);
  }

  struct component {
    double weight;
    double log_g;
  };

  const effect_course& effect_;
  const detail::quadrature_rule& rule_;
  double sigma_a_;
  double amplitude_ceiling_;
  std::vector<double> occurrence_;
  double none_ = 1.0;
  double occurs_ = 0.0;
  std::vector<std::vector<bateman_curve>> curves_;  // [node][session]
  std::vector<std::vector<double>> peak_times_;     // [node][session]
  std::vector<component> components_;
  double zero_weight_ = 0.0;
  std::vector<double> active_p_, active_c_;
};

}  // namespace aftermath::detail

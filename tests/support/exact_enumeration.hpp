// The projection by exact enumeration: every set of overlapping sessions after which an effect
// occurs is summed explicitly, so the cost doubles with each overlapping session and more than 14
// are refused. It is slow and obviously correct, and the library's projection engine must agree
// with it (tests/effect_engine_test.cpp). Kept as it was written for the first release, output
// assembly included, so that it shares none of the engine's code (only the quadrature rule and Φ).
#pragma once

#include <aftermath/course.hpp>
#include <aftermath/detail/gauss_hermite.hpp>
#include <aftermath/detail/normal.hpp>
#include <aftermath/error.hpp>
#include <aftermath/projection.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace aftermath::testing::exact {


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
inline void for_each_occurrence_set(const std::vector<double>& p, F&& f) {
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
        rule_(aftermath::detail::gauss_hermite(quadrature_nodes)),
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
  static double tail_cdf(double z) { return z < -tail_z ? 0.0 : z > tail_z ? 1.0 : aftermath::detail::normal_cdf(z); }

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
        f += c.weight * aftermath::detail::normal_cdf(z);
        slope += c.weight * aftermath::detail::normal_pdf(z) / sigma_a_;
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
  const aftermath::detail::quadrature_rule& rule_;
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


// --- the projection functions, as projection.hpp declares them ---



inline void check_nodes(int quadrature_nodes) {
  if (quadrature_nodes < 8 || quadrature_nodes > 128)
    throw input_error("quadrature_nodes", std::to_string(quadrature_nodes) + ", but must be in [8, 128]");
}

inline void check_level(double q) {
  if (!(q > 0.0 && q < 1.0)) throw input_error("q", std::to_string(q) + ", but must be in (0, 1)");
}

inline void check_options(const projection_options& options, days horizon) {
  const double h = horizon.count();
  if (!(std::isfinite(h) && h >= 0.0 && h <= 3650.0))
    throw input_error("horizon", std::to_string(h) + " days" + (options.horizon ? "" : " (the default: last session + 30)") +
                                     ", but must be in [0, 3650]");
  if (options.points_per_day < 1 || options.points_per_day > 24)
    throw input_error("points_per_day", std::to_string(options.points_per_day) + ", but must be in [1, 24]");
  check_nodes(options.quadrature_nodes);
}

/// The conditional q-quantile of severity at an arbitrary time.
inline double quantile_at(effect_engine& engine, double t, double q) {
  engine.build_severity_mixture(t, [&](std::size_t i, std::size_t j) { return engine.contribution(i, j, t); });
  return engine.severity_quantile(q);
}

/// Refines the maximum of a quantile curve near grid time t0 by golden-section search.
inline std::pair<double, double> refine_peak(effect_engine& engine, double q, double t0, double step, double value0, double end) {
  constexpr double golden = 0.6180339887498949;
  double a = std::max(0.0, t0 - step), b = std::min(end, t0 + step);
  if (b <= a) return {t0, value0};
  double c = b - golden * (b - a), d = a + golden * (b - a);
  double fc = quantile_at(engine, c, q), fd = quantile_at(engine, d, q);
  for (int i = 0; i < 40 && b - a > 1e-3; ++i) {
    if (fc > fd) {
      b = d, d = c, fd = fc;
      c = b - golden * (b - a), fc = quantile_at(engine, c, q);
    } else {
      a = c, c = d, fc = fd;
      d = a + golden * (b - a), fd = quantile_at(engine, d, q);
    }
  }
  const double t = fc > fd ? c : d, value = std::max(fc, fd);
  return value > value0 ? std::pair{t, value} : std::pair{t0, value0};
}

inline effect_projection project_effect(const effect_course& effect, const personal_course& course,
                                 const Eigen::ArrayXd& grid, int points_per_day, int nodes) {
  effect_engine engine(effect, nodes);
  effect_projection out{effect.id, effect.name, effect.text, probability::checked(engine.occurs()), {}, {}, {}};

  std::vector<Eigen::ArrayXXd> grid_contributions;
  for (std::size_t j = 0; j < engine.sessions(); ++j) grid_contributions.push_back(engine.contributions_over(j, grid));

  std::size_t peak50 = 0, peak95 = 0;
  out.curve.reserve(static_cast<std::size_t>(grid.size()));
  for (Eigen::Index k = 0; k < grid.size(); ++k) {
    engine.build_severity_mixture(grid[k], [&](std::size_t i, std::size_t j) {
      return grid_contributions[j](static_cast<Eigen::Index>(i), k);
    });
    const auto* before = out.curve.empty() ? nullptr : &out.curve.back();
    const auto warm = [&](severity band_point::*band) { return before ? (before->*band).value() : 0.0; };
    out.curve.push_back({days(grid[k]), severity::clamped(engine.severity_quantile(0.05, warm(&band_point::p05))),
                         severity::clamped(engine.severity_quantile(0.50, warm(&band_point::p50))),
                         severity::clamped(engine.severity_quantile(0.95, warm(&band_point::p95))),
                         probability::checked(engine.visible_chance(course.visible_threshold.value()))});
    if (out.curve.back().p50 > out.curve[peak50].p50) peak50 = out.curve.size() - 1;
    if (out.curve.back().p95 > out.curve[peak95].p95) peak95 = out.curve.size() - 1;
  }

  const double step = 1.0 / points_per_day;
  const double end = grid[grid.size() - 1];
  const auto [day50, value50] = refine_peak(engine, 0.50, out.curve[peak50].day.count(), step, out.curve[peak50].p50.value(), end);
  const auto value95 = refine_peak(engine, 0.95, out.curve[peak95].day.count(), step, out.curve[peak95].p95.value(), end).second;
  out.peak = {days(day50), severity::clamped(value50), severity::clamped(value95)};
  out.resolved = {days(engine.resolution_quantile(0.50, course.resolved_threshold.value())),
                  days(engine.resolution_quantile(0.95, course.resolved_threshold.value()))};
  return out;
}

inline std::vector<results_point> project_results(const results_course& results, const Eigen::ArrayXd& grid) {
  Eigen::ArrayXd total = Eigen::ArrayXd::Zero(grid.size());
  for (std::size_t j = 0; j < results.starts.size(); ++j)
    total += results.gains[j] * results.shape(grid - results.starts[j].count());
  std::vector<results_point> out;
  for (Eigen::Index k = 0; k < grid.size(); ++k) out.push_back({days(grid[k]), total[k]});
  return out;
}

inline risk_projection project_risk(const risk_course& risk, const std::vector<days>& starts) {
  double none = 1.0;
  for (auto p : risk.per_session) none *= 1.0 - p.value();
  return {risk.id, risk.name, risk.text, probability::checked(1.0 - none), risk.onset_from, risk.onset_to,
          starts.front() + risk.onset_from, starts.back() + risk.onset_to};
}


inline probability occurrence_probability(const effect_course& effect) {
  double log_none = 0.0;
  for (const auto& session : effect.sessions) log_none += std::log1p(-session.occurrence.value());
  return probability::checked(-std::expm1(log_none));
}

inline severity severity_quantile(const effect_course& effect, days t, double q, int quadrature_nodes = 40) {
  check_nodes(quadrature_nodes);
  check_level(q);
  if (!std::isfinite(t.count())) throw input_error("t", "must be finite");
  effect_engine engine(effect, quadrature_nodes);
  return severity::clamped(quantile_at(engine, t.count(), q));
}

inline severity_band severity_band_at(const effect_course& effect, days t, int quadrature_nodes = 40) {
  check_nodes(quadrature_nodes);
  if (!std::isfinite(t.count())) throw input_error("t", "must be finite");
  effect_engine engine(effect, quadrature_nodes);
  engine.build_severity_mixture(t.count(), [&](std::size_t i, std::size_t j) { return engine.contribution(i, j, t.count()); });
  const double p50 = engine.severity_quantile(0.50);
  return {severity::clamped(engine.severity_quantile(0.05, p50)), severity::clamped(p50),
          severity::clamped(engine.severity_quantile(0.95, p50))};
}

inline double severity_percentile(const effect_course& effect, days t, double s, int quadrature_nodes = 40) {
  check_nodes(quadrature_nodes);
  if (!std::isfinite(t.count())) throw input_error("t", "must be finite");
  effect_engine engine(effect, quadrature_nodes);
  if (engine.occurs() <= 0.0) return 1.0;
  engine.build_severity_mixture(t.count(), [&](std::size_t i, std::size_t j) { return engine.contribution(i, j, t.count()); });
  if (s >= severity::max_value) return 1.0;
  const double below = s > 0.0 ? engine.severity_mass_below(std::log(s)) : engine.severity_mass_at_zero();
  return std::clamp(below / engine.occurs(), 0.0, 1.0);
}

inline days resolution_quantile(const effect_course& effect, severity resolved, double q, int quadrature_nodes = 40) {
  check_nodes(quadrature_nodes);
  check_level(q);
  return days(effect_engine(effect, quadrature_nodes).resolution_quantile(q, resolved.value()));
}

inline probability unresolved_chance(const effect_course& effect, severity resolved, days t, int quadrature_nodes = 40) {
  check_nodes(quadrature_nodes);
  if (!std::isfinite(t.count())) throw input_error("t", "must be finite");
  const effect_engine engine(effect, quadrature_nodes);
  return probability::checked(std::clamp(engine.occurs() - engine.resolution_mass_by(t.count(), resolved.value()), 0.0, 1.0));
}

inline probability visible_chance(const effect_course& effect, severity visible, days t, int quadrature_nodes = 40) {
  check_nodes(quadrature_nodes);
  if (!std::isfinite(t.count())) throw input_error("t", "must be finite");
  effect_engine engine(effect, quadrature_nodes);
  engine.build_severity_mixture(t.count(), [&](std::size_t i, std::size_t j) { return engine.contribution(i, j, t.count()); });
  return probability::checked(engine.visible_chance(visible.value()));
}

inline projection project(const personal_course& course, const projection_options& options = {}) {
  if (course.session_starts.empty()) throw input_error("sessions", "at least one session is needed");
  const days horizon = options.horizon.value_or(course.session_starts.back() + days(30.0));
  check_options(options, horizon);

  const auto points = static_cast<Eigen::Index>(std::floor(horizon.count() * options.points_per_day + 1e-9)) + 1;
  const Eigen::ArrayXd grid = Eigen::ArrayXd::LinSpaced(points, 0.0, static_cast<double>(points - 1) / options.points_per_day);

  projection out;
  out.model_id = course.model_id;
  out.model_version = course.model_version;
  out.notice = course.notice;
  out.visible_threshold = course.visible_threshold;
  out.resolved_threshold = course.resolved_threshold;
  out.horizon = horizon;
  out.session_starts = course.session_starts;
  for (const auto& effect : course.effects)
    out.effects.push_back(project_effect(effect, course, grid, options.points_per_day, options.quadrature_nodes));
  out.results = project_results(course.results, grid);
  for (const auto& risk : course.risks) out.risks.push_back(project_risk(risk, course.session_starts));
  out.aftercare = course.aftercare;
  return out;
}


}  // namespace aftermath::testing::exact

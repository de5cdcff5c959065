// The healing posterior by exact enumeration: for every quadrature node, every set of live
// sessions after which an effect occurred is weighed by the reports on a fine grid of the peak
// term, so the cost doubles with each live session and more than 12 are refused. Slow and
// obviously correct; the library's posterior must agree with it (tests/healing_posterior_test.cpp).
// Kept as it was written for the first release, with the assessment's use of it
// (`updated_healing`) beside it.
#pragma once

#include "exact_enumeration.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/course.hpp>
#include <aftermath/detail/gauss_hermite.hpp>
#include <aftermath/detail/normal.hpp>
#include <aftermath/error.hpp>
#include <aftermath/model.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace aftermath::testing::exact {


struct report_model {
  double noise_sd;  ///< σ_r on log severity
  double outlier;   ///< ρ
  double resolved;  ///< reports below count as "resolved": S·e^ε < resolved
  double top;       ///< reports at or above say "this much or more"
};

/// A real rating (`range` false), or one that says only that the felt severity lay in [low, high).
struct observation {
  double t;  ///< days since the first session
  double severity;
  bool range = false;
  double low = 0.0;
  double high = 0.0;
};

/// What one effect's reports say at each healing-time node.
class effect_evidence {
 public:
  /// Sessions whose effect can no longer be noticeable at the first report count as resolved
  /// (they cannot explain a report); at most `max_live_sessions` others are enumerated.
  effect_evidence(const effect_course& effect, std::vector<observation> observations, const report_model& model,
                  const aftermath::detail::quadrature_rule& rule);

  /// log P(this effect's reports | z = node i).
  double log_likelihood(std::size_t node) const { return nodes_[node].log_total; }

  /// P(occurs after at least one session | reports), given the posterior over the nodes.
  double occurs(const std::vector<double>& node_weights) const;

  /// Resolution-time quantile (days since the first session), conditional on occurring.
  double resolution_quantile(const std::vector<double>& node_weights, double q, double resolved) const;

  static constexpr std::size_t max_live_sessions = 12;

 private:
  struct component {
    unsigned mask;      ///< sessions (bits over `live`) after which the effect occurred
    double log_weight;  ///< log P(U) + log P(reports | U, z)
    double mean;        ///< η_A given the reports
    double sd;
  };
  struct node_state {
    std::vector<std::size_t> live;
    std::vector<bateman_curve> curves;  ///< per live session, stretched to this node
    std::vector<double> peaks;          ///< per live session, days since the first session
    std::vector<component> components;  ///< non-empty U
    double log_none = 0.0;              ///< no session at all: log P · log P(reports | S = 0)
    double log_earlier_only = -1e300;   ///< only sessions no longer noticeable at the first report
    double log_total = 0.0;
  };

  double contribution(const node_state& node, std::size_t k, double t) const;
  void build_node(node_state& node, double scale, double node_weight);
  double log_report_likelihood(double log_s, std::size_t r) const;
  double resolved_mass_by(const std::vector<double>& node_weights, double t, double log_r) const;

  const effect_course& effect_;
  std::vector<observation> observations_;
  report_model model_;
  std::vector<node_state> nodes_;
};

/// P(z = node i | reports) from every effect's evidence, normalised.
std::vector<double> node_posterior(const aftermath::detail::quadrature_rule& rule, const std::vector<const effect_evidence*>& evidence);


namespace posterior_detail {

/// The η_A grid, in prior standard deviations: fine enough that the posterior from many
/// precise reports (sd down to about σ_r/√n) still spans several points, wide enough that
/// the prior beyond it weighs nothing (e^{−24.5}).
constexpr double grid_half_width = 7.0;
constexpr int grid_points = 141;
/// As in the projection (exact_enumeration.hpp), a session contributing less than
/// negligible_severity at an amplitude five standard deviations above typical can no longer be noticed.
constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

inline double log_sum_exp(double a, double b) {
  if (a == minus_infinity) return b;
  if (b == minus_infinity) return a;
  const double high = std::max(a, b);
  return high + std::log(std::exp(a - high) + std::exp(b - high));
}

struct amplitude_grid {
  std::vector<double> u;          ///< η_A / σ_A
  std::vector<double> log_prior;  ///< normalised over the grid
};

inline const amplitude_grid& amplitude_points() {
  static const amplitude_grid grid = [] {
    amplitude_grid g;
    const double step = 2.0 * grid_half_width / (grid_points - 1);
    double total = 0.0;
    for (int a = 0; a < grid_points; ++a) {
      g.u.push_back(-grid_half_width + a * step);
      total += std::exp(-0.5 * g.u.back() * g.u.back());
    }
    for (double u : g.u) g.log_prior.push_back(-0.5 * u * u - std::log(total));
    return g;
  }();
  return grid;
}

}  // namespace posterior_detail
using namespace posterior_detail;

inline effect_evidence::effect_evidence(const effect_course& effect, std::vector<observation> observations,
                                 const report_model& model, const aftermath::detail::quadrature_rule& rule)
    : effect_(effect), observations_(std::move(observations)), model_(model) {
  std::stable_sort(observations_.begin(), observations_.end(), [](const observation& a, const observation& b) { return a.t < b.t; });
  for (std::size_t i = 0; i < rule.nodes.size(); ++i) {
    nodes_.emplace_back();
    build_node(nodes_.back(), std::exp(effect.healing_time_sd * rule.nodes[i]), rule.weights[i]);
  }
}

inline double effect_evidence::contribution(const node_state& node, std::size_t k, double t) const {
  const auto& session = effect_.sessions[node.live[k]];
  return session.amplitude * node.curves[k](days(t - session.start.count()));
}

inline double effect_evidence::log_report_likelihood(double log_s, std::size_t r) const {
  const double y = observations_[r].severity, sd = model_.noise_sd, rho = model_.outlier;
  if (observations_[r].range) {
    // P(low ≤ S·e^ε < high) = Φ((log high − log S)/σ) − Φ((log low − log S)/σ), with the ends at 0 and ∞.
    const double low = observations_[r].low, high = observations_[r].high;
    const auto below = [&](double x) {
      if (x == 0.0) return 0.0;
      if (std::isinf(x)) return 1.0;
      return log_s == minus_infinity ? 1.0 : aftermath::detail::normal_cdf((std::log(x) - log_s) / sd);
    };
    const double f = below(high) - below(low);
    return std::log((1.0 - rho) * f + rho * (std::min(high, severity::max_value) - low) / severity::max_value);
  }
  if (y < model_.resolved) {
    const double f = log_s == minus_infinity ? 1.0 : aftermath::detail::normal_cdf((std::log(model_.resolved) - log_s) / sd);
    return std::log((1.0 - rho) * f + rho * model_.resolved / severity::max_value);
  }
  if (y >= model_.top) {
    const double f = log_s == minus_infinity ? 0.0 : aftermath::detail::normal_cdf((log_s - std::log(model_.top)) / sd);
    return std::log((1.0 - rho) * f + rho * (severity::max_value - model_.top) / severity::max_value);
  }
  const double f = log_s == minus_infinity ? 0.0 : aftermath::detail::normal_pdf((std::log(y) - log_s) / sd) / sd;
  return std::log((1.0 - rho) * f + rho / std::log(model_.top / model_.resolved));
}

inline void effect_evidence::build_node(node_state& node, double scale, double node_weight) {
  const double from = observations_.empty() ? 0.0 : observations_.front().t;
  const double ceiling = std::exp(5.0 * effect_.peak_sd);
  double log_no_earlier = 0.0;
  for (std::size_t j = 0; j < effect_.sessions.size(); ++j) {
    const auto& session = effect_.sessions[j];
    const bateman_curve curve = effect_.shape.stretched(session.time_scale * scale);
    const double peak = session.start.count() + curve.peak_time().count();
    const double at_first_report = session.amplitude * curve(days(from - session.start.count()));
    if (peak < from && at_first_report * ceiling < negligible_severity) {
      log_no_earlier += std::log1p(-session.occurrence.value());
      continue;
    }
    node.live.push_back(j);
    node.curves.push_back(curve);
    node.peaks.push_back(peak);
  }
  if (node.live.size() > max_live_sessions) {
    if (node_weight >= negligible_node_weight)
      throw input_error("reports", "more than " + std::to_string(max_live_sessions) + " sessions' " + effect_.id +
                                       " could still be noticeable at the first report; assess the sessions of the current course");
    const std::size_t drop = node.live.size() - max_live_sessions;  // a negligible node: keep the latest
    node.live.erase(node.live.begin(), node.live.begin() + static_cast<std::ptrdiff_t>(drop));
    node.curves.erase(node.curves.begin(), node.curves.begin() + static_cast<std::ptrdiff_t>(drop));
    node.peaks.erase(node.peaks.begin(), node.peaks.begin() + static_cast<std::ptrdiff_t>(drop));
  }

  const std::size_t k = node.live.size(), reports = observations_.size();
  std::vector<double> at_reports(reports * k);  // [r][session]
  for (std::size_t r = 0; r < reports; ++r)
    for (std::size_t s = 0; s < k; ++s) at_reports[r * k + s] = contribution(node, s, observations_[r].t);

  double log_none_likelihood = 0.0;
  for (std::size_t r = 0; r < reports; ++r) log_none_likelihood += log_report_likelihood(minus_infinity, r);

  const auto& grid = amplitude_points();
  const double sigma_a = effect_.peak_sd, log_cap = std::log(severity::max_value);
  std::vector<double> log_g(reports), log_post(grid.u.size());
  node.log_total = minus_infinity;
  for (unsigned mask = 0; mask < (1u << k); ++mask) {
    double log_p = 0.0;
    for (std::size_t s = 0; s < k; ++s) {
      const double p = effect_.sessions[node.live[s]].occurrence.value();
      log_p += (mask >> s & 1u) ? std::log(p) : std::log1p(-p);
    }
    if (mask == 0) {
      node.log_none = log_p + log_no_earlier + log_none_likelihood;
      node.log_total = node.log_none;
      if (log_no_earlier < 0.0) {
        node.log_earlier_only = log_p + std::log(-std::expm1(log_no_earlier)) + log_none_likelihood;
        node.log_total = log_sum_exp(node.log_total, node.log_earlier_only);
      }
      continue;
    }
    for (std::size_t r = 0; r < reports; ++r) {
      double g = 0.0;
      for (std::size_t s = 0; s < k; ++s)
        if (mask >> s & 1u) g += at_reports[r * k + s];
      log_g[r] = g > 0.0 ? std::log(g) : minus_infinity;
    }
    double high = minus_infinity;
    for (std::size_t a = 0; a < grid.u.size(); ++a) {
      const double eta = sigma_a * grid.u[a];
      double lp = grid.log_prior[a];
      for (std::size_t r = 0; r < reports; ++r)
        lp += log_report_likelihood(log_g[r] == minus_infinity ? minus_infinity : std::min(log_cap, eta + log_g[r]), r);
      log_post[a] = lp;
      high = std::max(high, lp);
    }
    double total = 0.0, mean = 0.0, square = 0.0;
    for (std::size_t a = 0; a < grid.u.size(); ++a) {
      const double w = std::exp(log_post[a] - high), eta = sigma_a * grid.u[a];
      total += w, mean += w * eta, square += w * eta * eta;
    }
    mean /= total;
    const double sd = std::sqrt(std::max(square / total - mean * mean, 0.0));
    const double log_weight = log_p + high + std::log(total);
    node.components.push_back({mask, log_weight, mean, std::max(sd, 1e-3 * sigma_a)});
    node.log_total = log_sum_exp(node.log_total, log_weight);
  }
}

inline double effect_evidence::occurs(const std::vector<double>& node_weights) const {
  double none = 0.0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) none += node_weights[i] * std::exp(nodes_[i].log_none - nodes_[i].log_total);
  return std::clamp(1.0 - none, 0.0, 1.0);
}

/// P(occurs and resolved by t | reports): the projection's envelope H_U(t) per (node, U).
inline double effect_evidence::resolved_mass_by(const std::vector<double>& node_weights, double t, double log_r) const {
  double mass = 0.0;
  std::vector<double> now, at_peak;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto& node = nodes_[i];
    if (node_weights[i] == 0.0) continue;
    const std::size_t k = node.live.size();
    now.assign(k, 0.0);
    at_peak.assign(k * k, 0.0);
    for (std::size_t b = 0; b < k; ++b) now[b] = contribution(node, b, t);
    for (std::size_t a = 0; a < k; ++a)
      if (node.peaks[a] > t)
        for (std::size_t b = 0; b < k; ++b) at_peak[a * k + b] = contribution(node, b, node.peaks[a]);
    double node_mass = std::exp(node.log_earlier_only - node.log_total);
    for (const auto& c : node.components) {
      double highest = 0.0;
      for (std::size_t b = 0; b < k; ++b)
        if (c.mask >> b & 1u) highest += now[b];
      for (std::size_t a = 0; a < k; ++a) {
        if (!(c.mask >> a & 1u) || node.peaks[a] <= t) continue;
        double sum = 0.0;
        for (std::size_t b = 0; b < k; ++b)
          if (c.mask >> b & 1u) sum += at_peak[a * k + b];
        highest = std::max(highest, sum);
      }
      const double z = highest > 0.0 ? (log_r - std::log(highest) - c.mean) / c.sd : 40.0;
      node_mass += std::exp(c.log_weight - node.log_total) * aftermath::detail::normal_cdf(z);
    }
    mass += node_weights[i] * node_mass;
  }
  return mass;
}

inline double effect_evidence::resolution_quantile(const std::vector<double>& node_weights, double q, double resolved) const {
  const double target = q * occurs(node_weights), log_r = std::log(resolved);
  if (target <= 0.0) return 0.0;
  double lo = 0.0;
  double hi = effect_.sessions.back().start.count() + effect_.shape.peak_time().count() + 1.0;
  while (resolved_mass_by(node_weights, hi, log_r) < target) {
    lo = hi;
    hi *= 2.0;
    if (hi > 1e5) return hi;  // beyond any horizon we report
  }
  while (hi - lo > 1e-4) {
    const double mid = 0.5 * (lo + hi);
    (resolved_mass_by(node_weights, mid, log_r) < target ? lo : hi) = mid;
  }
  return hi;
}

inline std::vector<double> node_posterior(const aftermath::detail::quadrature_rule& rule, const std::vector<const effect_evidence*>& evidence) {
  std::vector<double> log_w(rule.nodes.size());
  double high = minus_infinity;
  for (std::size_t i = 0; i < log_w.size(); ++i) {
    log_w[i] = std::log(rule.weights[i]);
    for (const auto* e : evidence) log_w[i] += e->log_likelihood(i);
    high = std::max(high, log_w[i]);
  }
  double total = 0.0;
  for (double& w : log_w) total += (w = std::exp(w - high));
  for (double& w : log_w) w /= total;
  return log_w;
}


/// What assess reports as `healing` and `updated`, computed by exact enumeration.
struct healing_update {
  healing_estimate healing;
  std::vector<updated_effect> updated;
};

/// The report as the likelihood reads it: a whole number r as [r − ½, r + ½) (0 from 0, 10 to
/// ∞), a grade or category g as the model's g-th range, a real rating as itself.
inline observation observed(const model& m, const symptom_report& report) {
  const double y = report.severity, t = report.day.count();
  const double inf = std::numeric_limits<double>::infinity();
  switch (report.scale.value_or(m.assessment.default_scale)) {
    case rating_scale::real_0_10: return {t, y};
    case rating_scale::whole_0_10: return {t, y, true, y == 0.0 ? 0.0 : y - 0.5, y == 10.0 ? inf : y + 0.5};
    case rating_scale::grade_0_4:
    case rating_scale::category: {
      const auto& a = m.assessment;
      const double from[] = {0.0, a.mild_from.value, a.moderate_from.value, a.severe_from.value, a.very_severe_from.value, inf};
      const auto g = static_cast<std::size_t>(y);
      return {t, y, true, from[g], from[g + 1]};
    }
  }
  return {t, y};
}

/// Was report r given within the immediate window of the latest session at or before it?
inline bool immediate(const model& m, const personal_course& course, double t) {
  double latest = 0.0;
  for (days start : course.session_starts)
    if (start.count() <= t) latest = start.count();
  return t - latest <= m.assessment.immediate_reaction_hours.value / 24.0;
}

/// The healing update as the assessment makes it: reports outside the immediate window, and a
/// whole-number 0 for every effect not reported at the time of a report that says nothing_else;
/// effects reported only in the window keep their prior.
inline healing_update updated_healing(const model& m, const personal_course& course, const std::vector<symptom_report>& reports,
                                      int quadrature_nodes = 40) {
  constexpr double top_of_scale_report = 9.5;
  const auto& rule = aftermath::detail::gauss_hermite(quadrature_nodes);
  const report_model observation_model{m.assessment.report_noise_sd.value, m.assessment.outlier_probability.value,
                                       course.resolved_threshold.value(), top_of_scale_report};
  double latest = 0.0;
  for (const auto& report : reports) latest = std::max(latest, report.day.count());
  std::vector<effect_course> so_far;
  so_far.reserve(course.effects.size());
  std::vector<effect_evidence> evidence;
  evidence.reserve(course.effects.size());
  std::vector<bool> reported, read;
  for (const auto& effect : course.effects) {
    std::vector<observation> observations;
    bool any = false;
    for (const auto& report : reports) {
      if (report.symptom != effect.id) continue;
      any = true;
      if (!immediate(m, course, report.day.count())) observations.push_back(observed(m, report));
    }
    for (const auto& report : reports) {
      const double t = report.day.count();
      const bool effect_reported_then = std::any_of(reports.begin(), reports.end(), [&](const symptom_report& other) {
        return other.symptom == effect.id && other.day.count() == t;
      });
      const bool already = std::any_of(observations.begin(), observations.end(), [&](const observation& o) { return o.t == t; });
      if (report.nothing_else && !effect_reported_then && !already && !immediate(m, course, t))
        observations.push_back({t, 0.0, true, 0.0, 0.5});
    }
    if (observations.empty() && !any) continue;
    effect_course until = effect;
    std::erase_if(until.sessions, [&](const session_term& s) { return s.start.count() > latest; });
    so_far.push_back(std::move(until));
    reported.push_back(any);
    read.push_back(!observations.empty());
    evidence.emplace_back(so_far.back(), std::move(observations), observation_model, rule);
  }
  std::vector<const effect_evidence*> all;
  for (std::size_t e = 0; e < evidence.size(); ++e)
    if (read[e]) all.push_back(&evidence[e]);
  const auto weights = node_posterior(rule, all);

  healing_update out;
  double mean = 0.0, square = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) mean += weights[i] * rule.nodes[i], square += weights[i] * rule.nodes[i] * rule.nodes[i];
  out.healing = {mean, std::sqrt(std::max(square - mean * mean, 0.0)), probability::checked(aftermath::detail::normal_cdf(mean))};
  for (std::size_t e = 0; e < so_far.size(); ++e) {
    if (!reported[e]) continue;
    const auto& effect = so_far[e];
    const auto prior = [&](double q) { return exact::resolution_quantile(effect, course.resolved_threshold, q, quadrature_nodes); };
    const auto updated = [&](double q) {
      return read[e] ? days(evidence[e].resolution_quantile(weights, q, course.resolved_threshold.value())) : prior(q);
    };
    const auto count = static_cast<std::size_t>(
        std::count_if(reports.begin(), reports.end(), [&](const symptom_report& r) { return r.symptom == effect.id; }));
    out.updated.push_back({effect.id, effect.name, count, exact::occurrence_probability(effect), probability::checked(read[e] ? evidence[e].occurs(weights) : exact::occurrence_probability(effect).value()),
                           {prior(0.05), prior(0.50), prior(0.95)}, {updated(0.05), updated(0.50), updated(0.95)}});
  }
  return out;
}

}  // namespace aftermath::testing::exact

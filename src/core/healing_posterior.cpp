// The posterior over the healing-time term and, per effect, over occurrence and the peak term.
// See healing_posterior.hpp.
#include "healing_posterior.hpp"

#include <aftermath/detail/normal.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace aftermath::detail {
namespace {

/// The η_A grid, in prior standard deviations: fine enough that the posterior from many
/// precise reports (sd down to about σ_r/√n) still spans several points, wide enough that
/// the prior beyond it weighs nothing (e^{−24.5}).
constexpr double grid_half_width = 7.0;
constexpr int grid_points = 141;
/// The likelihood tables' steps per step of that grid.
constexpr long per_grid_step = 12;
double grid_step() { return 2.0 * grid_half_width / (grid_points - 1); }
constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

double log_sum_exp(double a, double b) {
  if (a == minus_infinity) return b;
  if (b == minus_infinity) return a;
  const double high = std::max(a, b);
  return high + std::log(std::exp(a - high) + std::exp(b - high));
}

struct amplitude_grid {
  std::vector<double> u;          ///< η_A / σ_A
  std::vector<double> log_prior;  ///< normalised over the grid
};

const amplitude_grid& amplitude_points() {
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

}  // namespace

std::size_t effect_evidence::enumerated(effect_engine& engine, double first_report) {
  effect_engine::split_view view;
  std::size_t most = 0;
  for (std::size_t i = 0; i < engine.nodes(); ++i) {
    engine.split(i, first_report, view);
    most = std::max(most, view.young.size());
  }
  return most;
}

effect_evidence::effect_evidence(effect_engine& engine, std::vector<observation> observations, const report_model& model)
    : engine_(engine), observations_(std::move(observations)), model_(model) {
  std::stable_sort(observations_.begin(), observations_.end(), [](const observation& a, const observation& b) { return a.t < b.t; });
  tabulate_likelihoods();
  nodes_.resize(engine.nodes());
  for (std::size_t i = 0; i < nodes_.size(); ++i) build_node(i, nodes_[i]);
}

namespace {

/// log P(low ≤ S·e^ε < high | log S): a difference of normal tails, each end taken from the
/// side where it is not a difference of numbers near 1.
double log_range_likelihood(double log_s, double low, double high, const report_model& m) {
  const double rho = m.outlier;
  double f = 0.0;
  if (log_s == minus_infinity) {
    f = low == 0.0 ? 1.0 : 0.0;
  } else {
    const double below_high = std::isinf(high) ? 1.0 : normal_cdf((std::log(high) - log_s) / m.noise_sd);
    const double below_low = low == 0.0 ? 0.0 : normal_cdf((std::log(low) - log_s) / m.noise_sd);
    const double above_low = low == 0.0 ? 1.0 : normal_cdf((log_s - std::log(low)) / m.noise_sd);
    const double above_high = std::isinf(high) ? 0.0 : normal_cdf((log_s - std::log(high)) / m.noise_sd);
    f = below_low < 0.5 ? below_high - below_low : above_low - above_high;
  }
  return std::log((1.0 - rho) * std::max(f, 0.0) + rho * (std::min(high, severity::max_value) - low) / severity::max_value);
}

}  // namespace

double effect_evidence::log_report_likelihood(double log_s, std::size_t r) const {
  const auto& o = observations_[r];
  if (o.high != o.low) return log_range_likelihood(log_s, o.low, o.high, model_);
  const double y = o.low;
  if (y < model_.resolved) return log_range_likelihood(log_s, 0.0, model_.resolved, model_);
  if (y >= model_.top) return log_range_likelihood(log_s, model_.top, std::numeric_limits<double>::infinity(), model_);
  const double sd = model_.noise_sd, rho = model_.outlier;
  const double f = log_s == minus_infinity ? 0.0 : normal_pdf((std::log(y) - log_s) / sd) / sd;
  return std::log((1.0 - rho) * f + rho / std::log(model_.top / model_.resolved));
}

void effect_evidence::tabulate_likelihoods() {
  // log S = η_A + log G ranges from 7 SDs below the floor of any contribution to the cap.
  const double sigma_a = engine_.sigma(), log_cap = std::log(severity::max_value);
  // Steps of a twelfth of the η_A grid's: the grid's points land on table points plus one fraction.
  const double from = std::log(engine_.floor()) - grid_half_width * sigma_a - 1.0, step = grid_step() * sigma_a / per_grid_step;
  const auto count = static_cast<std::size_t>(std::ceil((log_cap - from) / step)) + 2;
  likelihoods_.resize(observations_.size());
  for (std::size_t r = 0; r < observations_.size(); ++r) {
    auto& table = likelihoods_[r];
    table.from = from, table.step = step;
    table.values.resize(count);
    for (std::size_t k = 0; k < count; ++k) table.values[k] = log_report_likelihood(std::min(log_cap, from + static_cast<double>(k) * step), r);
    table.at_cap = log_report_likelihood(log_cap, r);
    table.cap = log_cap;
  }
}

void effect_evidence::add_likelihood_over_grid(double log_g, std::size_t r, std::vector<double>& log_post) const {
  // u = σ_A·(−7 + 0.1·a) + log G: table index k0 + 12·a with one fraction for every a.
  const auto& table = likelihoods_[r];
  const auto& grid = amplitude_points();
  const double f0 = (engine_.sigma() * grid.u.front() + log_g - table.from) / table.step;
  const auto below = static_cast<long>(std::floor(f0));
  const double s = f0 - static_cast<double>(below);
  const auto points = static_cast<long>(log_post.size());
  const long last = static_cast<long>(table.values.size()) - 2;
  // Grid points a read table index below + 12a: before index 0, the first value; from `last`
  // on (past the cap), the formula's cap value; in between, one interpolation each.
  const long first_inside = std::clamp((per_grid_step - 1 - below) / per_grid_step, 0L, points);
  const long first_past = std::clamp(last > below ? (last - below + per_grid_step - 1) / per_grid_step : 0L, first_inside, points);
  long a = 0;
  for (; a < first_inside; ++a) log_post[static_cast<std::size_t>(a)] += table.values[0];
  for (; a < first_past; ++a) {
    const double* v = table.values.data() + (below + per_grid_step * a);
    log_post[static_cast<std::size_t>(a)] += v[0] + s * (v[1] - v[0]);
  }
  for (; a < points; ++a) log_post[static_cast<std::size_t>(a)] += tabulated_likelihood(engine_.sigma() * grid.u[static_cast<std::size_t>(a)] + log_g, r);
}

double effect_evidence::tabulated_likelihood(double u, std::size_t r) const {
  const auto& table = likelihoods_[r];
  if (u >= table.cap) return table.at_cap;
  const double f = std::max(0.0, (u - table.from) / table.step);
  const auto k = std::min(static_cast<std::size_t>(f), table.values.size() - 2);
  const double s = f - static_cast<double>(k);
  return table.values[k] + s * (table.values[k + 1] - table.values[k]);
}

void effect_evidence::build_node(std::size_t i, node_states& node) {
  const double first = observations_.empty() ? 0.0 : observations_.front().t;
  engine_.split(i, first, split_);
  if (split_.young.size() > max_enumerated)
    throw input_error("reports", std::to_string(split_.young.size()) + " sessions are still rising at the first report or start after it, "
                                     "and at most " + std::to_string(max_enumerated) +
                                     " can be assessed together (assess the reports of the current part of the course)",
                      problem_code::out_of_range);
  node.young = split_.young;
  node.decay = split_.decay;
  node.old_error = split_.old_error;
  node.old_sessions = split_.old_sessions;
  node.old_values = split_.old_values;
  node.old_merge = engine_.merge_factor(i);

  const std::size_t k = node.young.size(), reports = observations_.size();
  // Each young session's contribution at each report, and the old sum's decay to each report.
  std::vector<double> at_reports(reports * k), decayed(reports);
  for (std::size_t r = 0; r < reports; ++r) {
    for (std::size_t s = 0; s < k; ++s) at_reports[r * k + s] = engine_.contribution(i, node.young[s], observations_[r].t);
    decayed[r] = std::exp(-node.decay * (observations_[r].t - first));
  }
  double log_none_likelihood = 0.0;
  for (std::size_t r = 0; r < reports; ++r) log_none_likelihood += log_report_likelihood(minus_infinity, r);

  const auto& grid = amplitude_points();
  const double sigma_a = engine_.sigma();
  std::vector<double> log_g(reports), log_post(grid.u.size());
  Eigen::ArrayXd weights(static_cast<Eigen::Index>(grid.u.size()));
  const Eigen::ArrayXd etas = sigma_a * Eigen::Map<const Eigen::ArrayXd>(grid.u.data(), static_cast<Eigen::Index>(grid.u.size()));
  node.log_total = minus_infinity;
  node.states.clear();
  // The old law's atoms, and "none of them" (its `none`).
  std::vector<std::pair<double, double>> old_atoms;  // (value, log weight)
  for (const auto& atom : split_.old.atoms) old_atoms.emplace_back(atom.value, std::log(atom.weight));
  const double log_old_none = split_.old.none > 0.0 ? std::log(split_.old.none) : minus_infinity;

  const auto young_probability = [&](std::size_t s) { return engine_.occurrence(node.young[s]); };
  for (std::uint32_t mask = 0; mask < (1u << k); ++mask) {
    double log_p = 0.0;
    for (std::size_t s = 0; s < k; ++s) {
      const double p = young_probability(s);
      log_p += (mask >> s & 1u) ? std::log(p) : std::log1p(-p);
    }
    if (log_p == minus_infinity) continue;
    for (std::size_t a = 0; a <= old_atoms.size(); ++a) {
      const bool any_old = a < old_atoms.size();
      const double x = any_old ? old_atoms[a].first : 0.0;
      const double log_w = log_p + (any_old ? old_atoms[a].second : log_old_none);
      if (log_w == minus_infinity) continue;
      if (mask == 0 && !any_old) {
        // Nothing live occurred: none at all, or only sessions faded before the first report.
        node.log_none = log_w + split_.log_none_faded + log_none_likelihood;
        node.log_total = log_sum_exp(node.log_total, node.log_none);
        if (split_.log_none_faded < 0.0) {
          node.log_earlier_only = log_w + std::log(-std::expm1(split_.log_none_faded)) + log_none_likelihood;
          node.log_total = log_sum_exp(node.log_total, node.log_earlier_only);
        }
        continue;
      }
      for (std::size_t r = 0; r < reports; ++r) {
        double g = x * decayed[r];
        for (std::size_t s = 0; s < k; ++s)
          if (mask >> s & 1u) g += at_reports[r * k + s];
        log_g[r] = g > 0.0 ? std::log(g) : minus_infinity;
      }
      double high = minus_infinity;
      for (std::size_t u = 0; u < grid.u.size(); ++u) log_post[u] = grid.log_prior[u];
      for (std::size_t r = 0; r < reports; ++r) {
        if (log_g[r] == minus_infinity) {
          const double none = log_report_likelihood(minus_infinity, r);
          for (auto& lp : log_post) lp += none;
          continue;
        }
        add_likelihood_over_grid(log_g[r], r, log_post);
      }
      for (double lp : log_post) high = std::max(high, lp);
      // The weights and their first two moments in η_A, in vectorised exponentials.
      const Eigen::Map<const Eigen::ArrayXd> log_posterior(log_post.data(), static_cast<Eigen::Index>(log_post.size()));
      weights = (log_posterior - high).exp();
      const double total = weights.sum();
      double mean = (weights * etas).sum();
      const double square = (weights * etas * etas).sum();
      mean /= total;
      const double sd = std::sqrt(std::max(square / total - mean * mean, 0.0));
      const double log_weight = log_w + high + std::log(total);
      node.states.push_back({log_weight, x, mask, mean, std::max(sd, 1e-3 * sigma_a)});
      node.log_total = log_sum_exp(node.log_total, log_weight);
    }
  }
  for (auto& st : node.states) st.weight = std::exp(st.log_weight - node.log_total);
  node.earlier_only = std::exp(node.log_earlier_only - node.log_total);
}

double effect_evidence::occurs(const std::vector<double>& node_weights) const {
  double none = 0.0;
  for (std::size_t i = 0; i < node_weights.size(); ++i) {
    const auto& node = nodes_[nodes_.size() == 1 ? 0 : i];
    none += node_weights[i] * std::exp(node.log_none - node.log_total);
  }
  return std::clamp(1.0 - none, 0.0, 1.0);
}

/// Before the first report, what an old sum X (at that report) says of the old sessions' curve
/// from t on. Those peaked by t only fall after it, so if only they occurred, the curve's sup
/// from t is their sum at t: between (1 − the largest rising residual at t) and 1 times X's
/// pure-decay value e^{k_e(first − t)} X. If X is more than all of them together could be, one
/// peaking after t occurred and the sup is at least the smallest amplitude among those. Else the
/// sup is between X and that pure-decay value (an envelope every curve stays under).
struct old_sum_before_first {
  double settled_total = 0.0;       ///< Σ of the contributions at the first report of those peaked by t
  double smallest_pending = 1e300;  ///< smallest contribution at the first report among the others
  double smallest_amplitude = 1e300;
  double residual = 0.0;            ///< largest rising residual at t among those peaked by t
};

/// P(occurs and resolved by t | reports): the projection's bracket for each state's curve from t
/// on. The old sum decays from the first report on (it is old there), so from t ≥ that report it
/// only falls; before it, see old_sum_before_first.
mass_bracket effect_evidence::resolved_mass_by(const std::vector<double>& node_weights, double t, double log_r) {
  const double first = observations_.empty() ? 0.0 : observations_.front().t;
  mass_bracket mass;
  for (std::size_t i = 0; i < node_weights.size(); ++i) {
    if (node_weights[i] == 0.0) continue;
    const std::size_t n = nodes_.size() == 1 ? 0 : i;
    const auto& node = nodes_[n];
    const std::size_t k = node.young.size();
    std::vector<double> now(k), peak(k);
    std::vector<bool> pending(k);
    for (std::size_t s = 0; s < k; ++s) {
      const std::size_t j = node.young[s];
      pending[s] = engine_.peak_time(n, j) > t;
      now[s] = engine_.contribution(n, j, t);
      peak[s] = pending[s] ? engine_.amplitude(j) : now[s];
    }
    old_sum_before_first before;
    if (t < first) {
      for (std::size_t o = 0; o < node.old_sessions.size(); ++o) {
        const std::size_t j = node.old_sessions[o];
        if (engine_.peak_time(n, j) <= t) {
          before.settled_total += node.old_values[o];
          before.residual = std::max(before.residual, engine_.rising_residual(n, j, t));
        } else {
          before.smallest_pending = std::min(before.smallest_pending, node.old_values[o]);
          before.smallest_amplitude = std::min(before.smallest_amplitude, engine_.amplitude(j));
        }
      }
    }
    double omega = -1.0;
    mass_bracket node_mass{node.earlier_only, node.earlier_only};
    double old_bound = 0.0;
    double skipped = 0.0;
    const double old_decayed = std::exp(-node.decay * (t - first));
    for (const auto& st : node.states) {
      const double w = st.weight;
      if (w * node_weights[i] < 1e-10) {  // a pattern the reports all but rule out: in the bracket, not computed
        skipped += w;
        continue;
      }
      const double old_now = st.old_value * old_decayed;
      double old_low = old_now, old_high = old_now;  // from the first report on: falling
      bool old_pending = false;
      if (t < first && st.old_value > 0.0) {
        if (st.old_value > before.settled_total * node.old_merge) {
          old_low = std::max(st.old_value, before.smallest_amplitude), old_pending = true;
        } else if (st.old_value * node.old_merge < before.smallest_pending) {
          old_low = (1.0 - before.residual) * old_now;
        } else {
          old_low = st.old_value, old_pending = true;
        }
      }
      double sum_now = old_low, highest_pending = old_pending ? old_low : 0.0, sum_high = old_high, largest_high = old_high;
      bool any_pending = old_pending;
      for (std::size_t s = 0; s < k; ++s) {
        if (!(st.young >> s & 1u)) continue;
        sum_now += now[s];
        sum_high += peak[s];
        largest_high = std::max(largest_high, peak[s]);
        if (pending[s]) any_pending = true, highest_pending = std::max(highest_pending, peak[s]);
      }
      const double low = std::max(sum_now, highest_pending);
      double high = sum_high;
      if (any_pending) {
        if (omega < 0.0) omega = engine_.overlap_after(n, t);
        high = std::min(high, largest_high + omega);
      }
      const double log_low = low > 0.0 ? std::log(low) : -1e300;
      const auto b = high == low ? effect_engine::resolved_given(log_r, log_low, log_low, st.mean, st.sd)
                                 : effect_engine::resolved_given(log_r, log_low, high > 0.0 ? std::log(high) : -1e300, st.mean, st.sd);
      node_mass.low += w * b.low;
      node_mass.high += w * b.high;
      if (st.old_value > 0.0) old_bound += w * node.old_error;
    }
    mass.low += node_weights[i] * (node_mass.low - old_bound);
    mass.high += node_weights[i] * (node_mass.high + old_bound + skipped);
  }
  return mass;
}

double effect_evidence::resolution_quantile(const std::vector<double>& node_weights, double q, double resolved, double at_least) {
  const double target = q * occurs(node_weights), log_r = std::log(resolved);
  if (target <= 0.0) return 0.0;
  const auto mass = [&](double t) { return resolved_mass_by(node_weights, t, log_r).middle(); };
  // Not yet resolved at the first report? Then start there: what came before it is settled.
  const double first = observations_.empty() ? 0.0 : observations_.front().t;
  if (at_least < first && mass(first) < target) at_least = first;
  return effect_engine::first_time_reaching(mass, target, at_least, std::max(0.25, 0.02 * at_least));
}

std::vector<double> node_posterior(const std::vector<double>& weights, const std::vector<const effect_evidence*>& evidence) {
  std::vector<double> log_w(weights.size());
  double high = minus_infinity;
  for (std::size_t i = 0; i < log_w.size(); ++i) {
    log_w[i] = std::log(weights[i]);
    for (const auto* e : evidence) log_w[i] += e->log_likelihood(i);
    high = std::max(high, log_w[i]);
  }
  double total = 0.0;
  for (double& w : log_w) total += (w = std::exp(w - high));
  for (double& w : log_w) w /= total;
  return log_w;
}

}  // namespace aftermath::detail

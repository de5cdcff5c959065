// One effect of one patient on the quadrature grid. See effect_engine.hpp.
#include "effect_engine.hpp"

#include "normal_table.hpp"

#include <aftermath/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace aftermath::detail {
namespace {

/// A session contributing less than this many severity points, even at an amplitude five
/// standard deviations above typical, is left out of the sums at that time.
constexpr double negligible_severity = 1e-4;
/// The bound the node steps are chosen for: on every P(S ≤ s | occurs) from building the laws.
constexpr double law_error_budget = 1.8e-4;
/// The coarsest grid step in log G, in units of σ_A (for the lightest nodes).
constexpr double coarsest_step = 1.0;
/// max|φ'| = φ(1): the curvature constant of occurrence_sum.hpp.
constexpr double max_pdf_slope = 0.24197072451914337;
/// The outermost nodes of the healing-time rule, together at most this heavy, are left out and
/// the rest renormalised: every probability moves by at most twice what goes. (Of the 30-point
/// rule the 16 outermost go, 3.5e-5 in all, |z| ≥ 4.4: at the default spreads they heal five to
/// nine times slower than typical, or faster, and cost as much as the others.)
constexpr double negligible_node_mass = 5e-5;
/// A pending part of the resolved mass below this is taken as zero.
constexpr double negligible_mass = 1e-15;
/// A session is old once the rising part of its curve is below a fraction ρ_i of the decaying
/// part: from then on it decays at one rate, e^{−k_e t}, to within that fraction, which moves
/// every log G by at most ρ_i and every Φ-average by φ(0)/σ · ρ_i. The fractions are chosen per
/// node so that Σ_i w_i φ(0)/σ ρ_i stays below this, within [1e-6, 0.1]: the light, slow
/// nodes, where many sessions are still rising, may call them old sooner.
constexpr double old_error_budget = 2e-5;
constexpr double pdf_at_zero = 0.3989422804014327;

std::string session_path(std::size_t j, const char* field) {
  return "sessions[" + std::to_string(j) + "]." + field;
}

void check_effect(const effect_course& effect) {
  std::vector<input_problem> problems;
  if (!(effect.peak_sd > 0.0 && std::isfinite(effect.peak_sd)))
    problems.push_back({"peak_sd", std::to_string(effect.peak_sd) + ", but must be positive", problem_code::out_of_range});
  if (!(effect.healing_time_sd >= 0.0 && std::isfinite(effect.healing_time_sd)))
    problems.push_back({"healing_time_sd", std::to_string(effect.healing_time_sd) + ", but must be 0 or more", problem_code::out_of_range});
  for (std::size_t j = 0; j < effect.sessions.size(); ++j) {
    const auto& s = effect.sessions[j];
    if (!std::isfinite(s.start.count()))
      problems.push_back({session_path(j, "start"), "must be finite", problem_code::out_of_range});
    else if (j > 0 && s.start < effect.sessions[j - 1].start)
      problems.push_back({session_path(j, "start"), "is before the session before it; list sessions in order", problem_code::conflict});
    if (!(s.amplitude >= 0.0 && std::isfinite(s.amplitude)))
      problems.push_back({session_path(j, "amplitude"), std::to_string(s.amplitude) + ", but must be 0 or more", problem_code::out_of_range});
    if (!(s.time_scale > 0.0 && std::isfinite(s.time_scale)))
      problems.push_back({session_path(j, "time_scale"), std::to_string(s.time_scale) + ", but must be positive", problem_code::out_of_range});
  }
  if (!problems.empty()) throw input_error(std::move(problems));
}

}  // namespace

effect_engine::effect_engine(const effect_course& effect, int quadrature_nodes)
    : effect_(effect), sigma_(effect.peak_sd), ceiling_(std::exp(5.0 * effect.peak_sd)),
      log_cap_(std::log(severity::max_value) + normal_table::limit * effect.peak_sd) {
  check_effect(effect);
  double log_none = 0.0;
  for (const auto& s : effect.sessions) log_none += std::log1p(-s.occurrence.value());
  none_ = std::exp(log_none);
  occurs_ = -std::expm1(log_none);

  // Sessions that share the last session's time scale decay at one rate at each node once old.
  const double old_scale = effect.sessions.empty() ? 1.0 : effect.sessions.back().time_scale;
  for (std::size_t j = 0; j < effect.sessions.size(); ++j) {
    can_be_old_.push_back(effect.sessions[j].time_scale == old_scale);
    if (can_be_old_.back()) old_sessions_.push_back(j), old_session_starts_.push_back(effect.sessions[j].start.count());
  }
  const auto& rule = gauss_hermite(quadrature_nodes);
  // Without a spread in healing time every node is the same node.
  std::vector<std::size_t> kept;
  double kept_weight = 1.0;
  if (effect.healing_time_sd > 0.0) {
    // The outermost nodes go in pairs, one from each end, so that the rule stays symmetric (a
    // report that says nothing leaves the healing term's mean at 0).
    std::size_t low = 0, high = rule.nodes.size();
    double dropped = 0.0;
    while (high - low > 1 && dropped + rule.weights[low] + rule.weights[high - 1] <= negligible_node_mass) {
      dropped += rule.weights[low++] + rule.weights[--high];
    }
    kept.resize(high - low);
    std::iota(kept.begin(), kept.end(), low);
    kept_weight = 1.0 - dropped;
    node_error_ = 2.0 * dropped;
  }
  const std::size_t count = kept.empty() ? 1 : kept.size();
  floor_ = negligible_severity / ceiling_;
  log_floor_ = std::log(floor_);
  for (std::size_t k = 0; k < count; ++k) {
    node n;
    n.weight = kept.empty() ? 1.0 : rule.weights[kept[k]] / kept_weight;
    n.z = kept.empty() ? 0.0 : rule.nodes[kept[k]];
    const double scale = kept.empty() ? 1.0 : std::exp(effect.healing_time_sd * rule.nodes[kept[k]]);
    for (const auto& s : effect.sessions) {
      n.curves.push_back(effect.shape.stretched(s.time_scale * scale));
      const auto& curve = n.curves.back();
      n.peaks.push_back(s.start.count() + curve.peak_time().count());
      // shape(u) ≤ e^{−k_e u}/height after the lag: beyond this the session is below the floor.
      const double excess = s.amplitude / (curve.peak_height() * floor_);
      const double reach = excess > 1.0 ? curve.lag().count() + std::log(excess) / curve.decay_rate_per_day() : 0.0;
      n.ends.push_back(s.start.count() + reach);
      n.longest_reach = std::max(n.longest_reach, reach);
    }
    if (!effect.sessions.empty()) {
      const auto& last = n.curves.back();
      const double residual = std::clamp(old_error_budget * sigma_ / (pdf_at_zero * n.weight * static_cast<double>(count)), 1e-6, 0.1);
      const double gap = last.rise_rate_per_day() - last.decay_rate_per_day();
      n.decay = last.decay_rate_per_day();
      n.old_after = last.lag().count() + std::max(std::log(1.0 / residual) / gap, std::log(last.rise_rate_per_day() / last.decay_rate_per_day()) / gap);
      n.old_error = pdf_at_zero / sigma_ * residual;
    }
    longest_reach_ = std::max(longest_reach_, n.longest_reach);
    latest_old_after_ = std::max(latest_old_after_, n.old_after);
    nodes_.push_back(std::move(n));
  }
  for (std::size_t j = 0; j < effect.sessions.size(); ++j) {
    amplitude_over_height_.push_back(effect.sessions[j].amplitude / nodes_.front().curves[j].peak_height());
    for (const auto& n : nodes_) {
      decay_rates_.push_back(n.curves[j].decay_rate_per_day());
      gap_rates_.push_back(n.curves[j].rise_rate_per_day() - n.curves[j].decay_rate_per_day());
      ends_.push_back(n.ends[j]);
    }
  }
  choose_steps();
}

/// Steps h_i ∝ (L_i / w_i)^{1/3}, scaled so that Σ_i w_i · L_i · h_i²/8 · C = law_error_budget:
/// the split of the budget that needs the fewest states in all (C: the curvature constant of
/// occurrence_sum.hpp). L_i counts the sessions that overlap at node i, each weighed by the square
/// of its size relative to the newest one at that one's peak (Σ_k r^{2k} = 1/(1 − r²) for a
/// course that decays by r from one session to the next): merging costs in proportion to the
/// square of what a step adds, so a long tail of small contributions costs almost nothing. The
/// laws report the bound they actually meet, whatever the steps.
void effect_engine::choose_steps() {
  const double curvature = max_pdf_slope / (sigma_ * sigma_) + 0.1 / sigma_;
  std::vector<double> overlap(nodes_.size(), 1.0);
  double total = 0.0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto& n = nodes_[i];
    double stacked = 0.0, before = 0.0;
    for (std::size_t j = 0; j < effect_.sessions.size(); ++j) {
      const double a = effect_.sessions[j].amplitude;
      if (a <= 0.0) continue;
      stacked = stacked * std::exp(-2.0 * n.decay * std::max(0.0, n.peaks[j] - before)) + a * a;
      before = n.peaks[j];
      overlap[i] = std::max(overlap[i], stacked / (a * a));
    }
    total += std::cbrt(n.weight) * std::pow(overlap[i], 5.0 / 3.0);
  }
  const double kappa = std::sqrt(8.0 * law_error_budget / (curvature * total));
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    nodes_[i].step = std::min(coarsest_step * sigma_, kappa * std::cbrt(overlap[i] / nodes_[i].weight));
}

double effect_engine::contribution(const node& n, std::size_t j, double t) const {
  const auto& s = effect_.sessions[j];
  return s.amplitude * n.curves[j](days(t - s.start.count()));
}

std::pair<std::size_t, std::size_t> effect_engine::window(double reach, double from, double to) const {
  const auto& sessions = effect_.sessions;
  const auto first = std::upper_bound(sessions.begin(), sessions.end(), from - reach,
                                      [](double x, const session_term& s) { return x < s.start.count(); });
  const auto last = std::lower_bound(first, sessions.end(), to, [](const session_term& s, double x) { return s.start.count() < x; });
  return {static_cast<std::size_t>(first - sessions.begin()), static_cast<std::size_t>(last - sessions.begin())};
}

void effect_engine::tabulate(double t) {
  const std::size_t nodes = nodes_.size();
  const auto [first, last] = window(longest_reach_, t, t);
  table_time_ = t;
  table_first_ = first;
  table_last_ = last;
  table_.assign((last - first) * nodes, 0.0);
  log_table_.assign((last - first) * nodes, 0.0);
  first_live_.assign(last - first, nodes);
  const double lag = effect_.shape.lag().count();
  for (std::size_t j = first; j < last; ++j) {
    const double u = t - effect_.sessions[j].start.count() - lag;
    if (u <= 0.0) continue;
    // Old at every node: its law is kept per node (law_at evaluates it where it rebuilds one).
    if (can_be_old_[j] && t - effect_.sessions[j].start.count() >= latest_old_after_) continue;
    // The nodes heal slower and slower, so the session is still live on a suffix of them.
    const double* ends = &ends_[j * nodes];
    const auto live = static_cast<std::size_t>(std::upper_bound(ends, ends + nodes, t) - ends);
    first_live_[j - first] = live;
    if (live == nodes) continue;
    const auto n = static_cast<Eigen::Index>(nodes - live);
    const Eigen::Map<const Eigen::ArrayXd> decay(&decay_rates_[j * nodes + live], n), gap(&gap_rates_[j * nodes + live], n);
    Eigen::Map<Eigen::ArrayXd> row(&table_[(j - first) * nodes + live], n), log_row(&log_table_[(j - first) * nodes + live], n);
    // A e^{−k_e u}(1 − e^{−(k_a−k_e)u})/height, in vectorised exponentials and logarithms (1 − e^{−x}
    // loses only 1e-16/x of itself, and x is well above that once a session is a moment old).
    log_row = std::log(amplitude_over_height_[j]) - decay * u + (1.0 - (-gap * u).exp()).log();
    row = log_row.exp();
  }
}

std::size_t effect_engine::old_count(const node& n, double t) const {
  const auto it = std::upper_bound(old_session_starts_.begin(), old_session_starts_.end(), t - n.old_after);
  return static_cast<std::size_t>(it - old_session_starts_.begin());
}

effect_engine::law_view effect_engine::law_at(std::size_t i, bool settled_only, log_sum_law& law) {
  auto& n = nodes_[i];
  const double t = table_time_;
  const std::size_t nodes = nodes_.size();
  const auto contribution_here = [&](std::size_t j) {
    return i >= first_live_[j - table_first_] ? table_[(j - table_first_) * nodes + i] : 0.0;
  };
  const auto term = [&](std::size_t j, double c) {
    return occurrence_term{c, effect_.sessions[j].occurrence.value(), log_table_[(j - table_first_) * nodes + i]};
  };
  const std::size_t old = old_count(n, t);
  if (old > 0 && (n.cached_old != old || t < n.cached_from)) {
    // The old sessions' own law, built at t and moved to other times while the same sessions are
    // old: forward until one more is old, back until one it leaves out as ended had not ended
    // (a peak's refinement steps back and forth).
    terms_.clear();
    n.cached_from = -std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < old; ++k) {
      const std::size_t j = old_sessions_[k];
      if (j < table_first_ || t >= n.ends[j]) {  // ended
        n.cached_from = std::max(n.cached_from, n.ends[j]);
        continue;
      }
      const double c = contribution(n, j, t);
      if (c >= floor_) terms_.push_back({c, effect_.sessions[j].occurrence.value()});
      else n.cached_from = t;  // below the floor before its end: it may be above it earlier
    }
    builder_.build(terms_, {n.step, sigma_, 710.0}, n.cached);  // no cap: the mixture caps
    std::sort(n.cached.atoms.begin(), n.cached.atoms.end(), [](const log_atom& a, const log_atom& b) { return a.log_g < b.log_g; });
    n.cached_old = old;
    n.cached_time = t;
  }
  terms_.clear();
  const std::size_t first_young = old > 0 ? old_sessions_[old - 1] + 1 : 0;  // every old session comes before
  for (std::size_t j = table_first_; j < table_last_; ++j) {
    if (j < first_young && can_be_old_[j]) continue;  // in the old law
    if (settled_only && n.peaks[j] > t) continue;
    const double c = contribution_here(j);
    if (c >= floor_) terms_.push_back(term(j, c));
  }
  const log_sum_grid grid{n.step, sigma_, log_cap_, log_floor_};
  if (old == 0) {
    builder_.build(terms_, grid, law);
    return {&law, 0.0, 0.0};
  }
  const double shift = -n.decay * (t - n.cached_time), old_bound = n.old_error * (1.0 - n.cached.none);
  if (terms_.empty()) return {&n.cached, shift, old_bound};  // only old sessions: their law, moved
  builder_.build_from(&n.cached, shift, terms_, grid, law);
  return {&law, 0.0, old_bound};
}

const severity_mixture& effect_engine::severity_at(double t) {
  mixture_.reset(sigma_, occurs_);
  tabulate(t);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto& n = nodes_[i];
    const auto view = law_at(i, false, law_);
    double none = view.law->none;
    for (const auto& atom : view.law->atoms) {
      const double log_g = atom.log_g + view.shift;
      if (log_g < log_floor_) none += atom.weight;  // moved below the floor: nothing now
      else mixture_.add(log_g, n.weight * atom.weight);
    }
    mixture_.add_zero(n.weight * std::max(0.0, none - none_));
    mixture_.add_error_bound(n.weight * (view.law->error_bound + view.extra_bound));
  }
  mixture_.add_error_bound(node_error_ * occurs_);
  mixture_.finish();
  if (occurs_ > 0.0) worst_error_bound_ = std::max(worst_error_bound_, mixture_.error_bound() / occurs_);
  return mixture_;
}

mass_bracket effect_engine::resolved_mass(double t, double resolved) {
  const double x = std::log(resolved);
  const auto phi = [&](double log_h) { return normal_table::cdf((x - log_h) / sigma_); };
  mass_bracket out;
  double error = 0.0;
  tabulate(t);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    auto& n = nodes_[i];
    const auto view = law_at(i, true, law_);
    if (view.law != &law_) {  // the old law, moved: as a law of its own
      const double scale = std::exp(view.shift);
      law_.clear();
      law_.none = view.law->none;
      law_.error_bound = view.law->error_bound + view.extra_bound;
      for (const auto& atom : view.law->atoms) {
        if (atom.log_g + view.shift < log_floor_) law_.none += atom.weight;
        else law_.atoms.push_back({atom.log_g + view.shift, atom.weight, atom.value * scale});
      }
    } else {
      law_.error_bound += view.extra_bound;
    }
    pending_.clear();
    for (std::size_t j = window(n.longest_reach, t, t).first; j < effect_.sessions.size(); ++j)
      if (n.peaks[j] > t && n.ends[j] > effect_.sessions[j].start.count())
        pending_.push_back({effect_.sessions[j].amplitude, effect_.sessions[j].occurrence.value()});

    // No pending session occurs: H is the settled sum, exactly.
    double settled = law_.none;
    for (const auto& atom : law_.atoms) settled += atom.weight * phi(atom.log_g);
    double none_pending = 1.0;
    for (const auto& p : pending_) none_pending *= 1.0 - p.probability;
    double low = none_pending * settled, high = low;

    // Some pending session occurs: F is the largest amplitude among those that do.
    std::sort(pending_.begin(), pending_.end(), [](const pending_session& a, const pending_session& b) { return a.amplitude > b.amplitude; });
    double larger_absent = 1.0, omega = -1.0;
    for (const auto& p : pending_) {
      const double chance = larger_absent * p.probability;
      larger_absent *= 1.0 - p.probability;
      if (chance == 0.0) continue;
      const double log_f = std::log(p.amplitude);
      if (chance * phi(log_f) < negligible_mass) continue;  // a session that peaks this high is never below r
      if (omega < 0.0) omega = overlap_after(n, t);
      double below = law_.none, above = 0.0, stacked = law_.none * phi(std::log(p.amplitude + omega));
      for (const auto& atom : law_.atoms) {
        if (atom.log_g <= log_f) below += atom.weight;
        else above += atom.weight * phi(atom.log_g);
        stacked += atom.weight * phi(std::log(std::max(atom.value, p.amplitude) + omega));
      }
      high += chance * (below * phi(log_f) + above);
      low += chance * stacked;
    }
    out.low += n.weight * low;
    out.high += n.weight * high;
    error += n.weight * law_.error_bound;
  }
  error += node_error_ * occurs_;
  out.low = std::clamp(out.low - none_ - error, 0.0, occurs_);
  out.high = std::clamp(out.high - none_ + error, 0.0, occurs_);
  return out;
}

double effect_engine::resolution_quantile(double q, double resolved, double at_least) {
  const double target = q * occurs_;
  if (target <= 0.0) return 0.0;
  // Usually resolved after the last session's peak: the first step goes there (or a little on).
  const double after_last = effect_.sessions.back().start.count() + effect_.shape.peak_time().count() + 1.0;
  const double step = std::max(after_last - at_least, std::max(effect_.shape.peak_time().count(), 0.05 * at_least) + 1e-3);
  return first_time_reaching([&](double t) { return resolved_mass(t, resolved).middle(); }, target, at_least, step);
}

mass_bracket effect_engine::resolved_given(double log_r, double log_h_low, double log_h_high, double mean, double sd) {
  const double high = normal_table::cdf((log_r - log_h_low - mean) / sd);
  return {log_h_high == log_h_low ? high : normal_table::cdf((log_r - log_h_high - mean) / sd), high};
}

double effect_engine::rising_residual(std::size_t i, std::size_t j, double t) const {
  const auto& curve = nodes_[i].curves[j];
  const double u = t - effect_.sessions[j].start.count() - curve.lag().count();
  return u <= 0.0 ? 1.0 : std::exp(-(curve.rise_rate_per_day() - curve.decay_rate_per_day()) * u);
}

void effect_engine::split(std::size_t i, double t, split_view& out) {
  auto& n = nodes_[i];
  const std::size_t old = old_count(n, t);
  const std::size_t first_young = old > 0 ? old_sessions_[old - 1] + 1 : 0;
  terms_.clear();
  out.young.clear();
  out.old_sessions.clear();
  out.old_values.clear();
  out.log_none_faded = 0.0;
  for (std::size_t j = 0; j < effect_.sessions.size(); ++j) {
    const double p = effect_.sessions[j].occurrence.value();
    const bool is_old = j < first_young && can_be_old_[j];
    const double c = t < n.ends[j] ? contribution(n, j, t) : 0.0;
    if (is_old && c >= floor_) terms_.push_back({c, p}), out.old_sessions.push_back(j), out.old_values.push_back(c);
    else if (!is_old && (n.peaks[j] > t || c >= floor_)) out.young.push_back(j);
    else out.log_none_faded += std::log1p(-p);
  }
  builder_.build(terms_, {n.step, sigma_, 710.0}, out.old);
  out.old_error = n.old_error;
  out.decay = n.decay;
}

/// Ω on and after t: over every interval between the node's breakpoints (session starts, ends of
/// lags, peaks) each curve is monotone, so its sup there is at an end; Σ_j sup_j − max_j sup_j
/// bounds Σ_j c_j − max_j c_j on the interval. Built once per node, on first use.
double effect_engine::overlap_after(node& n, double t) {
  if (n.breakpoints.empty()) build_overlap(n);
  const auto it = std::upper_bound(n.breakpoints.begin(), n.breakpoints.end(), t);
  const std::size_t k = it == n.breakpoints.begin() ? 0 : static_cast<std::size_t>(it - n.breakpoints.begin()) - 1;
  return n.overlap_from[k];
}

void effect_engine::build_overlap(node& n) {
  const auto& sessions = effect_.sessions;
  std::vector<double>& b = n.breakpoints;
  for (std::size_t j = 0; j < sessions.size(); ++j) {
    b.push_back(sessions[j].start.count());
    b.push_back(sessions[j].start.count() + n.curves[j].lag().count());
    b.push_back(n.peaks[j]);
  }
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  n.overlap_from.assign(b.size() + 1, 0.0);
  for (std::size_t k = 0; k < b.size(); ++k) {
    const double from = b[k];
    const bool last = k + 1 == b.size();
    const double to = last ? from : b[k + 1];
    double sum = 0.0, largest = 0.0;
    const auto [first, end] = window(n.longest_reach, from, last ? to + 1.0 : to);
    for (std::size_t j = first; j < end; ++j) {
      if (from >= n.ends[j]) continue;
      const double sup = std::max(contribution(n, j, from), contribution(n, j, to));
      sum += sup;
      largest = std::max(largest, sup);
    }
    n.overlap_from[k] = sum - largest;
  }
  for (std::size_t k = b.size(); k-- > 0;) n.overlap_from[k] = std::max(n.overlap_from[k], n.overlap_from[k + 1]);
}

}  // namespace aftermath::detail

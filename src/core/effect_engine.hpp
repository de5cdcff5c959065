// One effect of one patient on the quadrature grid over the healing-time term: the engine behind
// projections, recovery gates, event checks, the leaflet's dates and (through the same
// resolution step) the healing posterior. Internal to the library.
//
// Given the healing-time node z_i (η_T = σ_T z_i), session j adds c_ij(t) = A_j · shape_ij(t − t_j)
// to the total G(t) when the effect follows it (probability p_j, independently), and
// S(t) = min(10, e^{η_A} G(t)) with η_A ~ N(0, σ_A²). So
//     P(S(t) ≤ s, occurs) = Σ_i w_i E_U[Φ((log s − log G_U(t))/σ_A)] − (nothing occurred),
// and the engine needs, at each node, the law of G_U(t) over the occurrence patterns U. The first
// release enumerated all 2^k patterns of the k overlapping sessions; at the slowest nodes nearly
// every session of a course overlaps, so its cost doubled with each one. Here that law is built
// by occurrence_sum.hpp's bucketed dynamic programme in O(k × grid points), with a bound on its
// error that the engine adds up and reports. The grid step differs by node: a node's error counts
// in proportion to its weight, so the light, slow-healing tail nodes (where nearly all the
// sessions overlap) get a coarse grid and the heavy central ones a fine grid. The steps aim at a
// bound of 1.8e-4 on every conditional P(S ≤ s | occurs) from the laws; taking long-past
// sessions as decaying alone adds at most 2e-5, leaving out the outermost healing-time nodes
// 7e-5, the binning into one mixture 2e-7 (severity_mixture.hpp). The engine adds up the bound
// it actually meets and reports it; the tests hold it below 3e-4 on every course they run.
//
// Resolution by t means e^{η_A} H_U(t) < r with H_U(t) = sup_{t'≥t} G_U(t'). Sessions whose curve
// has peaked by t ("settled") only fall from t on, so for them the sup is their sum at t and the
// programme above gives its law; each session still to peak ("pending") reaches its amplitude A_j.
// For any pattern, with F = the largest amplitude among the pending sessions in it,
//     max(G_settled(t), F)  ≤  H_U(t)  ≤  max(G_settled(t), F) + Ω(t),
// where Ω(t) = sup_{t'≥t} (Σ_j c_j(t') − max_j c_j(t')) over every session is how much curves can
// ever stack on one another after t (small when sessions do not overlap). Pending and settled
// sessions are independent given the node, so both ends are exact sums over F's few values; the
// engine returns both as a bracket around the true resolved mass and the quantile uses its middle.
// When no pending session occurs the two ends agree: the gap is only ever the chance that a
// session still to peak occurs and yet never reaches the threshold.
#pragma once

#include "occurrence_sum.hpp"
#include "severity_mixture.hpp"

#include <aftermath/course.hpp>
#include <aftermath/curve.hpp>
#include <aftermath/detail/gauss_hermite.hpp>

#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace aftermath::detail {

/// A resolved mass known to lie in [low, high]; the engine answers with the middle.
struct mass_bracket {
  double low = 0.0;
  double high = 0.0;
  double middle() const { return 0.5 * (low + high); }
};

class effect_engine {
 public:
  /// Throws input_error for a spread or a session the engine cannot use (σ_A not positive, a
  /// probability outside [0, 1], a negative amplitude or time scale).
  effect_engine(const effect_course& effect, int quadrature_nodes);

  /// P(the effect occurs after at least one session).
  double occurs() const { return occurs_; }
  std::size_t nodes() const { return nodes_.size(); }

  /// The severity distribution at t (days since the first session). Valid until the next call.
  const severity_mixture& severity_at(double t);

  /// P(occurs and resolved for good by t) for the resolved threshold `resolved`, bracketed.
  mass_bracket resolved_mass(double t, double resolved);
  /// P(occurs and not resolved for good by t): what a recovery gate asks.
  double unresolved_chance(double t, double resolved) {
    return std::max(0.0, occurs_ - resolved_mass(t, resolved).middle());
  }
  /// The conditional resolution-time quantile (q in (0, 1)), days since the first session;
  /// `at_least` is a time known to be at or below it (a lower quantile), which saves steps.
  double resolution_quantile(double q, double resolved, double at_least = 0.0);

  /// The largest bound on |P(S ≤ s, occurs) − exact| met so far (tests and benchmarks read it).
  double error_bound() const { return worst_error_bound_; }

  // --- What the healing posterior (healing_posterior.hpp) works on: the same nodes, sessions
  // split the same way, and the same resolution bracket.

  /// Node i at time t (a first report): the law of its old sessions' sum there, as the
  /// projection builds it, and the sessions that may still be seen from t on.
  struct split_view {
    log_sum_law old;                 ///< the old sessions' sum at t
    double old_error = 0.0;          ///< bound on taking them as decaying alone, per unit mass
    double decay = 0.0;              ///< their common decay rate, per day
    std::vector<std::size_t> young;  ///< the others still rising at t, or above the floor there, in order
    double log_none_faded = 0.0;     ///< Σ log(1 − p) over the sessions faded below the floor by t
    std::vector<std::size_t> old_sessions;  ///< the sessions in `old`, in order
    std::vector<double> old_values;         ///< each one's contribution at t
  };
  void split(std::size_t i, double t, split_view& out);
  double node_weight(std::size_t i) const { return nodes_[i].weight; }
  /// The healing-time term z at node i (0 for an effect without a healing-time spread).
  double node_z(std::size_t i) const { return nodes_[i].z; }
  double contribution(std::size_t i, std::size_t j, double t) const { return contribution(nodes_[i], j, t); }
  double peak_time(std::size_t i, std::size_t j) const { return nodes_[i].peaks[j]; }
  double amplitude(std::size_t j) const { return effect_.sessions[j].amplitude; }
  /// How far session j's curve at node i still falls short of its pure decay at t: e^{−(k_a−k_e)u}.
  double rising_residual(std::size_t i, std::size_t j, double t) const;
  /// The factor within which the laws at node i merge states (e^h).
  double merge_factor(std::size_t i) const { return std::exp(nodes_[i].step); }
  double occurrence(std::size_t j) const { return effect_.sessions[j].occurrence.value(); }
  double sigma() const { return sigma_; }
  /// Contributions below this are left out of every sum.
  double floor() const { return floor_; }
  /// Bound on how far any sum of curves at node i can stack above its largest term from t on (Ω).
  double overlap_after(std::size_t i, double t) { return overlap_after(nodes_[i], t); }

  /// P(resolved by t) for one occurrence pattern known to lie in [H_low, H_high] (the sup of its
  /// curve from t on), with the peak term ~ N(mean, sd²): the bracket's two ends.
  static mass_bracket resolved_given(double log_r, double log_h_low, double log_h_high, double mean, double sd);
  /// The least t ≥ at_least with mass(t) ≥ target, for a mass rising in t: steps from at_least,
  /// the first of `step` days, doubling until past it, then TOMS 748 to 2e-5 of t.
  template <typename Mass>
  static double first_time_reaching(const Mass& mass, double target, double at_least, double step);

 private:
  struct node {
    double weight;
    double z = 0.0;
    std::vector<bateman_curve> curves;  ///< per session, stretched to this node's healing time
    std::vector<double> peaks;          ///< per session, days since the first session
    std::vector<double> ends;           ///< per session: after this its contribution is negligible
    double longest_reach = 0.0;         ///< max over sessions of end − start
    double step = 0.01;                 ///< the grid step of its law of G
    std::vector<double> overlap_from;   ///< Ω on and after each breakpoint (lazily built)
    std::vector<double> breakpoints;
    // Old sessions: those with the last session's time scale, so long past their peak that they
    // only decay, all at one rate; their law is kept and moved rather than built at every time.
    double decay = 0.0;      ///< their common decay rate, per day
    double old_after = 0.0;  ///< days after its start from which such a session is old
    double old_error = 0.0;  ///< bound on what taking them as decaying alone costs, per unit mass
    std::size_t cached_old = 0;  ///< how many old sessions `cached` holds (0: none yet)
    double cached_time = 0.0;    ///< when `cached` was built
    double cached_from = 0.0;    ///< the earliest time it holds for (what it left out had ended)
    log_sum_law cached;
  };

  double contribution(const node& n, std::size_t j, double t) const;
  /// Fills the table of every live session's contribution at every node at t, one vectorised
  /// pass per session over the nodes where it is still above the floor.
  void tabulate(double t);
  /// How many of the sessions that can be old are old at t (they come first in `old_sessions_`).
  std::size_t old_count(const node& n, double t) const;
  /// A law of G, moved by `shift` in log G, with what taking old sessions as decaying alone adds
  /// to its bound.
  struct law_view {
    const log_sum_law* law;
    double shift;
    double extra_bound;
  };
  /// The law of G at the tabulated time at node i, over every live session or (`settled_only`)
  /// those past their peak: built in `law`, or the node's old law moved when nothing else is live.
  law_view law_at(std::size_t i, bool settled_only, log_sum_law& law);
  /// Sessions that may contribute somewhere in [from, to] at some node: started before `to`, and
  /// not so long before `from` that they must have ended.
  std::pair<std::size_t, std::size_t> window(double reach, double from, double to) const;
  void choose_steps();
  double overlap_after(node& n, double t);
  void build_overlap(node& n);

  const effect_course& effect_;
  double sigma_;
  double ceiling_;  ///< e^{5σ_A}: an amplitude five SDs above typical
  double floor_;    ///< contributions below this are left out
  double log_floor_;
  double log_cap_;  ///< log G beyond which S is 10 whatever η_A (to 8.5 SDs)
  double occurs_ = 0.0;
  double none_ = 1.0;  ///< P(no session at all)
  std::vector<node> nodes_;

  // Per session and node (session-major, nodes in order of slower healing): the curve's decay
  // rate, its rise rate less that, and when it falls below the floor for good.
  std::vector<double> decay_rates_, gap_rates_, ends_;
  std::vector<double> amplitude_over_height_;  ///< per session: A_j / the curve's raw peak
  double longest_reach_ = 0.0;
  double latest_old_after_ = 0.0;  ///< max over nodes of old_after: a session is old everywhere after it
  // The table of contributions at one time: rows for sessions [table_first_, table_last_).
  double table_time_ = 0.0;
  std::size_t table_first_ = 0, table_last_ = 0;
  std::vector<double> table_, log_table_;
  std::vector<std::size_t> first_live_;  ///< per row: the first node where the session is live

  std::vector<std::size_t> old_sessions_;  ///< sessions with the last one's time scale, in order
  std::vector<double> old_session_starts_;
  std::vector<bool> can_be_old_;
  double node_error_ = 0.0;  ///< bound on what leaving out the lightest nodes costs, per unit mass

  std::vector<occurrence_term> terms_;
  log_sum_builder builder_;
  log_sum_law law_;
  severity_mixture mixture_;
  double worst_error_bound_ = 0.0;

  struct pending_session {
    double amplitude;
    double probability;
  };
  std::vector<pending_session> pending_;
};

template <typename Mass>
double effect_engine::first_time_reaching(const Mass& mass, double target, double at_least, double step) {
  // Steps doubling from `at_least` until the mass reaches the target, then TOMS 748 between the
  // last two: quantiles a little apart cost a few steps, and the root finder starts close.
  const auto gap = [&](double t) { return mass(t) - target; };
  double lo = at_least;
  double f_lo = gap(lo);
  if (f_lo >= 0.0) return lo;
  double hi = lo + step, f_hi = gap(hi);
  while (f_hi < 0.0) {
    lo = hi, f_lo = f_hi;
    step *= 2.0;
    hi = lo + step;
    if (hi > 1e5) return hi;  // beyond any horizon we report; the curve never settles
    f_hi = gap(hi);
  }
  boost::uintmax_t iterations = 100;
  const auto close_enough = [](double a, double b) { return b - a <= 2e-5 * std::max(1.0, a); };
  const auto root = boost::math::tools::toms748_solve(gap, lo, hi, f_lo, f_hi, close_enough, iterations);
  return 0.5 * (root.first + root.second);
}

}  // namespace aftermath::detail

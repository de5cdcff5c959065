// The patient's healing, updated by their reports, on the projection's quadrature grid.
// Internal to the library.
//
// Every effect shares the patient's healing-time term z (η_T = σ_T·z, z ~ N(0, 1), on the nodes
// the projection uses): someone who heals slowly heals everything slowly. Each effect keeps its
// own peak term η_A ~ N(0, σ_A²) and its own occurrence per session. A report y of an effect at
// time t is the true severity S(t) times e^ε, ε ~ N(0, σ_r²), felt and then written on the
// patient's scale: a rating that stands for a range [a, b) says that a ≤ S·e^ε < b; a real
// rating below the resolved threshold r says only that S·e^ε < r, at `top` or more only that
// S·e^ε ≥ top; with probability ρ a report follows no curve at all (uniform on 0–10).
//
// Given z, effects are independent, so P(z_i | reports) ∝ w_i Π_e L_e(z_i). L_e sums over the
// occurrence patterns of the sessions, integrating η_A on a fine grid. At each node the sessions
// split as the projection splits them at the first report (effect_engine::split): the old ones,
// long past their peak and decaying at one rate, enter through the law of their sum — at any
// later report their sum is that law scaled by e^{−k_e Δt} — so however many there are, they
// cost one state per atom of that law; the others (still rising at the first report, or starting
// after it) are enumerated. Sessions already faded below the floor at the first report cannot
// explain a report: they count as occurred and resolved, or not occurred. Each state keeps its
// weight and the mean and sd of η_A given the reports, and the updated resolution-time
// distribution is the projection's resolution bracket with these in place of (prior weight, 0,
// σ_A).
#pragma once

#include "effect_engine.hpp"

#include <aftermath/course.hpp>
#include <aftermath/error.hpp>

#include <cstdint>
#include <vector>

namespace aftermath::detail {

struct report_model {
  double noise_sd;  ///< σ_r on log severity
  double outlier;   ///< ρ
  double resolved;  ///< reports below count as "resolved": S·e^ε < resolved
  double top;       ///< reports at or above say "this much or more"
};

/// A report as the likelihood reads it: a real rating is the felt severity itself (low ==
/// high); any other says the felt severity lay in [low, high) (ratings.hpp).
struct observation {
  double t;  ///< days since the first session
  double low;
  double high;
};

/// What one effect's reports say at each healing-time node.
class effect_evidence {
 public:
  /// `engine` is the effect's engine (over the sessions up to the latest report); it must outlive
  /// this. Throws input_error when more sessions than `max_enumerated` are still rising at the
  /// first report or start after it (see check_enumerable).
  effect_evidence(effect_engine& engine, std::vector<observation> observations, const report_model& model);

  /// The most sessions, rising at the first report or starting after it, enumerated at one node.
  static constexpr std::size_t max_enumerated = 14;
  /// How many sessions the evidence would enumerate at its busiest node (before building it).
  static std::size_t enumerated(effect_engine& engine, double first_report);

  std::size_t nodes() const { return nodes_.size(); }
  /// log P(this effect's reports | z = node i); an effect without a healing-time spread has one
  /// node, the same at every z.
  double log_likelihood(std::size_t node) const { return nodes_[nodes_.size() == 1 ? 0 : node].log_total; }

  /// P(occurs after at least one session | reports), given the posterior over the nodes.
  double occurs(const std::vector<double>& node_weights) const;

  /// Resolution-time quantile (days since the first session), conditional on occurring;
  /// `at_least` as for effect_engine::resolution_quantile.
  double resolution_quantile(const std::vector<double>& node_weights, double q, double resolved, double at_least = 0.0);

 private:
  struct state {
    double log_weight;  ///< log P(pattern) + log P(reports | pattern, z)
    double old_value;   ///< the old sessions' sum at the first report (0: none of them)
    std::uint32_t young;  ///< bits over the node's young sessions that occurred
    double mean;        ///< η_A given the reports
    double sd;
    double weight = 0.0;  ///< P(pattern | reports, z): e^{log_weight − the node's log_total}
  };
  struct node_states {
    std::vector<std::size_t> young;  ///< session indices
    double decay = 0.0;
    double old_error = 0.0;
    double old_merge = 1.0;                 ///< the old law's atoms are within this factor of their sets' sums
    std::vector<std::size_t> old_sessions;  ///< the sessions behind the old law, with their
    std::vector<double> old_values;         ///< contributions at the first report
    std::vector<state> states;       ///< every pattern with at least one live session
    double log_none = 0.0;           ///< no session at all
    double log_earlier_only = -1e300;  ///< only sessions faded by the first report
    double log_total = 0.0;
    double earlier_only = 0.0;       ///< e^{log_earlier_only − log_total}
  };

  void build_node(std::size_t i, node_states& node);
  double log_report_likelihood(double log_s, std::size_t r) const;
  /// log P(report r | log S = u), read from a table (linear interpolation on steps of σ_A/120,
  /// a twelfth of the η_A grid's: within δ²/(8σ_r²) = 5e-5 of the formula for the default model;
  /// exact at the cap and at S = 0).
  double tabulated_likelihood(double u, std::size_t r) const;
  /// Adds report r's log-likelihood at every point of the η_A grid for log G = log_g.
  void add_likelihood_over_grid(double log_g, std::size_t r, std::vector<double>& log_post) const;
  void tabulate_likelihoods();
  mass_bracket resolved_mass_by(const std::vector<double>& node_weights, double t, double log_r);

  effect_engine& engine_;
  std::vector<observation> observations_;
  report_model model_;
  std::vector<node_states> nodes_;
  struct likelihood_table {
    double from = 0.0, step = 1.0;
    std::vector<double> values;  ///< at from + k·step, up to the cap
    double at_cap = 0.0;
    double cap = 0.0;  ///< log 10
  };
  std::vector<likelihood_table> likelihoods_;  ///< per report
  effect_engine::split_view split_;
};

/// P(z = node i | reports) from every effect's evidence, normalised, for the nodes of `weights`
/// (the prior weights of the engines' nodes).
std::vector<double> node_posterior(const std::vector<double>& weights, const std::vector<const effect_evidence*>& evidence);

}  // namespace aftermath::detail

// The patient's healing, updated by their reports, on the projection's quadrature grid.
//
// Every effect shares the patient's healing-time term z (η_T = σ_T·z, z ~ N(0, 1), on the
// Gauss–Hermite nodes the projection uses): someone who heals slowly heals everything slowly.
// Each effect keeps its own peak term η_A ~ N(0, σ_A²) and its own occurrence per session.
// A report y of an effect at time t is the true severity S(t) times e^ε, ε ~ N(0, σ_r²);
// below the resolved threshold r it says only that S·e^ε < r, at `top` or more only that
// S·e^ε ≥ top; with probability ρ a report follows no curve at all (uniform).
//
// Given z, effects are independent, so P(z_i | reports) ∝ w_i Π_e L_e(z_i). L_e sums over the
// sets U of sessions after which the effect occurred, integrating η_A on a fine grid. Each
// (z_i, U) keeps the weight, mean and sd of η_A given the reports, and the updated
// resolution-time distribution is the projection's formula (projection.hpp) with these in
// place of (P(U)·w_i, 0, σ_A).
#pragma once

#include <aftermath/course.hpp>
#include <aftermath/detail/gauss_hermite.hpp>

#include <vector>

namespace aftermath::detail {

struct report_model {
  double noise_sd;  ///< σ_r on log severity
  double outlier;   ///< ρ
  double resolved;  ///< reports below count as "resolved": S·e^ε < resolved
  double top;       ///< reports at or above say "this much or more"
};

struct observation {
  double t;  ///< days since the first session
  double severity;
};

/// What one effect's reports say at each healing-time node.
class effect_evidence {
 public:
  /// Sessions whose effect can no longer be noticeable at the first report count as resolved
  /// (they cannot explain a report); at most `max_live_sessions` others are enumerated.
  effect_evidence(const effect_course& effect, std::vector<observation> observations, const report_model& model,
                  const quadrature_rule& rule);

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
std::vector<double> node_posterior(const quadrature_rule& rule, const std::vector<const effect_evidence*>& evidence);

}  // namespace aftermath::detail

// The law of a Bernoulli-weighted sum, bucketed: what replaces enumerating every set of
// overlapping sessions. Internal to the library.
//
// For one effect, one quadrature node and one time, session j adds c_j > 0 to the total G with
// probability p_j, independently of the others. Everything the engine asks of G is an expectation
// E[Φ((x − log G)/σ)] — a band, P(visible), a resolved mass — where σ = σ_A smooths log G.
// Enumerating the 2^k sets of sessions is exact and exponential. Instead the terms are added one
// at a time, largest first, to a list of states (a value of G and its probability), and after
// each addition:
//   - states within a factor e^h of one another are merged into one at their mean value;
//   - a state whose remaining terms can move log G only a little is finished at once, with the
//     remaining terms' mean added.
// Neither step can move any E[Φ((x − log G)/σ)] far. For the rest X of the sum, the function
// f(u) = E[Φ((x − log(e^u + X))/σ)] has |f'| ≤ φ(0)/σ and |f''| ≤ φ₁/σ² + 1/(10σ), where
// φ₁ = max|φ'| = 0.242 (log(e^u + X) has slope at most 1 and curvature at most 1/4). Merging
// states G_k = Ḡ(1 + r_k) of masses w_k into their mean Ḡ (so Σ w_k r_k = 0) therefore costs, by
// Taylor's theorem in r, at most
//     ½ · (φ₁/σ² + 1/(10σ) + φ(0)/σ) · e^{2h} · Σ_k w_k r_k²,
// and finishing a state of value P and mass m (Taylor in X about its mean) at most
//     m · Var(X)/(2P²) · (φ₁/σ² + φ(0)/σ).
// Both are added up as the law is built (`error_bound`): a bound, for every x at once, on how far
// the law's E[Φ] is from the exact enumeration's. A state alone within its factor e^h is kept
// exactly, so a sparse law (few, well-separated sums) costs nothing; a dense one keeps at most
// (range of log G)/h states. Either way the cost is linear in the number of terms however much
// they overlap, and no logarithm is taken until the atoms are written out.
//
// A law can also start from another law (the engine keeps one for a node's old sessions, whose
// sum only decays from one session to the next), scaled by e^shift.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace aftermath::detail {

/// One term of the sum: it adds `contribution` (> 0) with probability `probability`; its log,
/// when the caller has it, saves taking one.
struct occurrence_term {
  double contribution;
  double probability;
  double log_contribution = std::numeric_limits<double>::quiet_NaN();

  double log_value() const { return std::isnan(log_contribution) ? std::log(contribution) : log_contribution; }
};

/// An atom of the law: a value of log G, its probability, and G itself (so that a law can be
/// moved and built on without exponentials).
struct log_atom {
  double log_g;
  double weight;
  double value = 0.0;
};

/// The law of G = Σ_j B_j c_j.
struct log_sum_law {
  std::vector<log_atom> atoms;  ///< the sets with at least one term, by log G (in no order)
  double none = 1.0;            ///< P(no term occurs): G = 0
  double error_bound = 0.0;     ///< bound on |E Φ((x − log G)/σ) − exact| for every x

  void clear() {
    atoms.clear();
    none = 1.0;
    error_bound = 0.0;
  }
};

/// How the law is bucketed.
struct log_sum_grid {
  double step = 0.01;         ///< h: states within a factor e^h of one another are merged
  double sigma = 0.5;         ///< σ of the normal smoothing every use applies to log G
  double log_cap = 1e300;     ///< every use sees the same above this log G (severity is capped): one atom there
  double log_floor = -1e300;  ///< a starting law's atoms that move below this count as G = 0
};

/// Builds laws of Bernoulli-weighted sums. Keeps its buffers between calls, so one builder per
/// thread serves every node and time without allocating once warm.
class log_sum_builder {
 public:
  /// The law of Σ_j B_j c_j over `terms`, which it reorders (largest contribution first).
  void build(std::vector<occurrence_term>& terms, const log_sum_grid& grid, log_sum_law& law) {
    build_from(nullptr, 0.0, terms, grid, law);
  }
  /// The law of X + Σ_j B_j c_j, where X follows `start` scaled by e^shift (independent of the
  /// terms); `start`'s atoms must be sorted by log G, and its error bound carries over.
  void build_from(const log_sum_law* start, double shift, std::vector<occurrence_term>& terms, const log_sum_grid& grid,
                  log_sum_law& law);

 private:
  struct state {
    double value;  ///< G
    double weight;
  };
  void merge_lists(double cap_value, double& overflow);
  double merge_clusters();

  double grow_ = 1.0;         ///< e^h
  double merge_factor_ = 0.0; ///< ½ · (curvature constant) · e^{2h}
  std::vector<state> states_, moved_, next_;
  std::vector<double> tail_mean_, tail_variance_;
};

}  // namespace aftermath::detail

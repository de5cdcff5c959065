// The severity distribution of one effect at one time, as the engine assembles it. Internal.
//
// Given the healing-time node and the sessions after which the effect occurred, log S is normal:
// log S = η_A + log G with η_A ~ N(0, σ²), capped at 10. Summed over nodes and occurrence
// patterns (atoms of log G, from occurrence_sum.hpp),
//     P(S ≤ s, occurs) = zero + Σ_k w_k Φ((log s − ℓ_k)/σ)        for s < 10,
// where `zero` is the chance the effect occurred but contributes nothing yet (its sessions still
// to come, or within their lag).
//
// Few atoms (one session: one a node) are kept as they are, sorted; an evaluation sums only those
// within 8.5σ of the point, the rest being 0 or 1. Many atoms (a long course: thousands) are first
// binned onto a grid of step h = σ/16, each atom's mass spread over its four nearest grid points
// with the weights of cubic Lagrange interpolation, which keeps its first three moments: that
// moves any Φ-average by at most (9/16)h⁴/24 · max|φ'''|/σ⁴ = 2.0e-7 of the mass (the weights
// may be negative; only their sums are ever read). On the grid, P(S ≤ s) at a grid point is one
// fixed 273-tap kernel, Φ at multiples of 1/16, run over the histogram, and in between a cubic
// Hermite interpolant of those values and their slopes (error below h⁴/384 · max|φ'''|/σ⁴ =
// 2.2e-8). Quantiles: on the atoms, safeguarded Halley steps (Newton where the curve bends too
// much); on the grid, Newton steps from grid point to grid point, then the root of the Hermite
// cubic between the two that bracket it.
#pragma once

#include "occurrence_sum.hpp"

#include <cstddef>
#include <vector>

namespace aftermath::detail {

class severity_mixture {
 public:
  /// Starts a new distribution: σ = σ_A, `occurs` = P(the effect occurs after some session).
  void reset(double sigma, double occurs);
  /// The effect occurred but contributes nothing now.
  void add_zero(double weight) { zero_ += weight; }
  void add(double log_g, double weight) { atoms_.push_back({log_g, weight}); }
  /// Adds to the bound on how far every P(S ≤ s) may be from the exact enumeration's.
  void add_error_bound(double bound) { error_bound_ += bound; }
  /// Call once after the last add.
  void finish();

  double sigma() const { return sigma_; }
  double occurs() const { return occurs_; }
  double zero() const { return zero_; }
  /// How many atoms were added (nodes × occurrence patterns, after the laws' bucketing).
  std::size_t atoms() const { return atoms_.size(); }
  /// Bound on |P(S ≤ s, occurs) − exact| for every s, from building and binning.
  double error_bound() const { return error_bound_; }

  /// P(S ≤ s, occurs) for log s < log 10.
  double mass_below(double log_s) const;
  /// P(S ≤ s | occurs) for s in [0, 10]: where a reported severity falls (1 for an effect that
  /// cannot occur).
  double percentile(double s) const;
  /// The conditional severity quantile, 0–10; `guess` (the same quantile a moment earlier, say)
  /// only speeds the search.
  double quantile(double q, double guess = 0.0) const;
  struct band_quantiles {
    double p05, p50, p95;
  };
  /// The 5–95 % band: the median first, each end started from it.
  band_quantiles band() const {
    const double p50 = quantile(0.50);
    return {quantile(0.05, p50), p50, quantile(0.95, p50)};
  }
  /// Unconditional P(S ≥ visible).
  double visible_chance(double visible) const;

 private:
  struct slope_and_mass {
    double mass;
    double slope;      ///< d mass / d log s
    double bend = 0.0;  ///< d² mass / d log s² (direct only: 0 makes a Halley step Newton's)
  };
  slope_and_mass direct_at(double log_s) const;
  slope_and_mass grid_point(long m) const;
  double grid_mass(double log_s) const;
  double direct_quantile(double target, double guess) const;
  double grid_quantile(double target, double guess) const;
  /// Where in [0, 1] the cubic between neighbouring grid points reaches the target.
  double hermite_root(const slope_and_mass& at_lo, const slope_and_mass& at_hi, double target) const;
  void bin_onto_grid();
  /// P(S < 10, occurs): the quantiles above it are the cap.
  double below_cap() const;

  double sigma_ = 1.0;
  double occurs_ = 0.0;
  double zero_ = 0.0;
  double error_bound_ = 0.0;
  std::vector<log_atom> atoms_;
  std::vector<double> below_;  ///< direct: weight of atoms before each index; grid: of bins before
  bool gridded_ = false;
  double step_ = 0.0;          ///< grid step, σ/16
  long first_bin_ = 0;
  std::vector<double> bins_;
  /// below_cap(), once asked (negative until then): a cache, hence mutable; a mixture belongs to
  /// one engine, which one thread uses.
  mutable double below_cap_ = -1.0;
};

}  // namespace aftermath::detail

// aftermath: global sensitivity analysis, variance-based (Sobol indices).
//
// For a function y = f(u) of d independent inputs, each uniform on (0, 1), the first-order index
// of input i is the share of Var(y) that u_i explains on its own, S_i = Var(E[y | u_i]) / Var(y),
// and its total index the share left unexplained when every other input is known,
// ST_i = E[Var(y | u_~i)] / Var(y): ST_i − S_i is what u_i contributes through interactions.
// An input of any other distribution is reached through its quantile function inside f.
//
// The estimates follow Saltelli's design (Saltelli 2002; Saltelli et al. 2010, "Variance based
// sensitivity analysis of model output", Comput Phys Commun 181:259–270). Two independent N×d
// matrices A and B of uniforms, and for each input i the matrix A_B^i (A with column i from B),
// cost N·(d + 2) evaluations of f. With V the variance of f over the rows of A and B together,
//
//   S_i  = (1/N) Σ_j f(B)_j · (f(A_B^i)_j − f(A)_j) / V        (Saltelli et al. 2010)
//   ST_i = (1/2N) Σ_j (f(A)_j − f(A_B^i)_j)² / V               (Jansen 1999)
//
// the two estimators Saltelli et al. 2010 recommend (their Table 2). ST_i is exactly 0 for an
// input f ignores. Both are estimates: with few samples they may fall below 0 or above 1, and they
// are reported as they are, not clamped. The intervals are bootstrap percentile intervals over
// the N rows, resampled with replacement.
//
// Uniforms come from a counter-based generator (Philox4x32-10) keyed by the seed: row r of A and
// of B depends only on (seed, r). Evaluations are stored by row and added up in row order on one
// thread, so the result is the same, bit for bit, for any thread count.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace aftermath {

/// A point estimate with the bounds of its interval (low ≤ estimate ≤ high is usual, not assured:
/// a percentile interval need not contain the estimate). Sobol indices are shares of variance,
/// but their estimates may leave [0, 1], so they are plain numbers rather than `probability`.
struct interval_estimate {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

/// One input's indices: first_order is S_i, total is ST_i.
struct sobol_index {
  interval_estimate first_order;
  interval_estimate total;
};

struct sobol_options {
  std::size_t base_samples = 1024;  ///< N, in [2, 10^9]: the model is evaluated N·(d+2) times
  std::size_t bootstrap = 500;      ///< resamples of the N rows for the percentile intervals, ≥ 1
  double confidence = 0.95;         ///< of the intervals, in (0, 1)
  std::uint64_t seed = 0;
  unsigned threads = 0;             ///< 0: one per hardware thread; results do not depend on it
  /// Called now and then with evaluations done and evaluations to do (N·(d+2)), from a worker
  /// thread, one call at a time; done never decreases, and once every evaluation is done a last
  /// call has done == total.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress{};
};

struct sobol_result {
  std::vector<sobol_index> indices;  ///< in input order
  double mean = 0;                   ///< of the output over the rows of A and B
  double variance = 0;               ///< of the output over the rows of A and B (divided by 2N)
  std::uint64_t evaluations = 0;     ///< N·(d+2)
};

/// The first-order and total Sobol index of each of `inputs` inputs of `f`, with bootstrap
/// intervals at `options.confidence`.
///
/// `f` maps a point u of the unit cube (0, 1)^d (d = `inputs`) to the output; it may be called
/// from several threads at once, and must give the same output for the same point for the result
/// not to depend on the thread count.
///
/// Throws input_error naming the field: `inputs` 0 or above 100000; `base_samples` below 2 or above 10^9;
/// `bootstrap` 0; `confidence` outside (0, 1); `f` empty. Throws input_error at `output` when an
/// evaluation gives a number that is not finite (naming the first one, in evaluation order, and
/// its point) or when every evaluation gives the same output, so there is no variance to share
/// out. An exception thrown by `f` (or by `progress`) stops the other threads and is rethrown.
[[nodiscard]] sobol_result sobol_indices(std::size_t inputs, const std::function<double(std::span<const double>)>& f,
                                         const sobol_options& options = {});

}  // namespace aftermath

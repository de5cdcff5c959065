// The severity distribution of one effect at one time. See severity_mixture.hpp.
#include "severity_mixture.hpp"

#include "normal_table.hpp"

#include <aftermath/detail/normal.hpp>
#include <aftermath/units.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace aftermath::detail {
namespace {

/// Atoms beyond this many are binned onto the grid: past it, one kernel pass is cheaper than
/// summing the atoms near a point.
constexpr std::size_t direct_atoms = 64;
/// Quantiles are solved to this in log severity (a relative 1e-9 in severity).
constexpr double log_tolerance = 1e-9;
/// Grid points per σ, and the kernel's half-width in grid points (8.5σ: Φ is 0 or 1 beyond).
constexpr int per_sigma = 16;
constexpr long half_width = static_cast<long>(normal_table::limit * per_sigma);
constexpr std::size_t kernel_size = 2 * half_width + 1;
/// max|φ'''|, for the binning's bound.
constexpr double max_pdf_third = 0.5505878380565560;
const double log_cap = std::log(severity::max_value);

/// Φ and φ at (half_width − i)/16 for i = 0..2·half_width: the kernel read against bins
/// m − half_width + i to give P(S ≤ s) and its slope at grid point m.
struct grid_kernel {
  std::array<double, kernel_size> cdf;
  std::array<double, kernel_size> pdf;
};

const grid_kernel& kernel() {
  static const grid_kernel k = [] {
    grid_kernel out;
    for (std::size_t i = 0; i < kernel_size; ++i) {
      const double z = static_cast<double>(half_width - static_cast<long>(i)) / per_sigma;
      out.cdf[i] = normal_cdf(z);
      out.pdf[i] = normal_pdf(z);
    }
    return out;
  }();
  return k;
}

/// Cubic Hermite interpolation on [0, 1] of values a, b with slopes (per unit s) da, db.
double hermite(double s, double a, double da, double b, double db) {
  const double s2 = s * s, s3 = s2 * s;
  return (2 * s3 - 3 * s2 + 1) * a + (s3 - 2 * s2 + s) * da + (3 * s2 - 2 * s3) * b + (s3 - s2) * db;
}

/// Its slope in s.
double hermite_slope(double s, double a, double da, double b, double db) {
  const double s2 = s * s;
  return (6 * s2 - 6 * s) * a + (3 * s2 - 4 * s + 1) * da + (6 * s - 6 * s2) * b + (3 * s2 - 2 * s) * db;
}

}  // namespace

void severity_mixture::reset(double sigma, double occurs) {
  sigma_ = sigma;
  occurs_ = occurs;
  zero_ = 0.0;
  error_bound_ = 0.0;
  atoms_.clear();
  below_.clear();
  bins_.clear();
  gridded_ = false;
  below_cap_ = -1.0;
}

void severity_mixture::finish() {
  if (atoms_.size() > direct_atoms) {
    bin_onto_grid();
    return;
  }
  std::sort(atoms_.begin(), atoms_.end(), [](const log_atom& a, const log_atom& b) {
    return a.log_g < b.log_g || (a.log_g == b.log_g && a.weight < b.weight);
  });
  below_.resize(atoms_.size() + 1);
  below_[0] = 0.0;
  for (std::size_t k = 0; k < atoms_.size(); ++k) below_[k + 1] = below_[k] + atoms_[k].weight;
}

void severity_mixture::bin_onto_grid() {
  gridded_ = true;
  step_ = sigma_ / per_sigma;
  const auto [lowest, highest] = std::minmax_element(atoms_.begin(), atoms_.end(), [](const log_atom& a, const log_atom& b) {
    return a.log_g < b.log_g;
  });
  first_bin_ = static_cast<long>(std::floor(lowest->log_g / step_)) - 1;
  const auto last_bin = static_cast<long>(std::floor(highest->log_g / step_)) + 2;
  bins_.assign(static_cast<std::size_t>(last_bin - first_bin_ + 1), 0.0);
  double mass = 0.0;
  const double per_step = 1.0 / step_;
  for (const auto& atom : atoms_) {
    // Cubic Lagrange weights at the grid points −1, 0, 1, 2 around s in [0, 1).
    const double f = atom.log_g * per_step;
    const double lower = std::floor(f), s = f - lower;
    const auto b = static_cast<std::size_t>(static_cast<long>(lower) - 1 - first_bin_);
    const double w = atom.weight;
    bins_[b] += w * (-s * (s - 1.0) * (s - 2.0) / 6.0);
    bins_[b + 1] += w * ((s + 1.0) * (s - 1.0) * (s - 2.0) / 2.0);
    bins_[b + 2] += w * (-(s + 1.0) * s * (s - 2.0) / 2.0);
    bins_[b + 3] += w * ((s + 1.0) * s * (s - 1.0) / 6.0);
    mass += std::abs(w);
  }
  const double h = 1.0 / per_sigma;
  error_bound_ += 9.0 / 16.0 / 24.0 * h * h * h * h * max_pdf_third * mass;
  below_.resize(bins_.size() + 1);
  below_[0] = 0.0;
  for (std::size_t b = 0; b < bins_.size(); ++b) below_[b + 1] = below_[b] + bins_[b];
}

severity_mixture::slope_and_mass severity_mixture::direct_at(double log_s) const {
  const double reach = normal_table::limit * sigma_;
  const auto from = std::upper_bound(atoms_.begin(), atoms_.end(), log_s - reach,
                                     [](double x, const log_atom& a) { return x < a.log_g; });
  double mass = zero_ + below_[static_cast<std::size_t>(from - atoms_.begin())], slope = 0.0, bend = 0.0;
  const double inverse_sigma = 1.0 / sigma_;
  for (auto it = from; it != atoms_.end() && it->log_g < log_s + reach; ++it) {
    const auto [cdf, pdf, pdf_slope] = normal_table::within((log_s - it->log_g) * inverse_sigma);
    mass += it->weight * cdf;
    slope += it->weight * pdf;
    bend += it->weight * pdf_slope;
  }
  return {mass, slope * inverse_sigma, bend * inverse_sigma * inverse_sigma};
}

severity_mixture::slope_and_mass severity_mixture::grid_point(long m) const {
  const auto& k = kernel();
  const long size = static_cast<long>(bins_.size());
  // Bins m − half_width + i for i in [0, 2·half_width], clipped to the bins that exist.
  const long offset = m - half_width - first_bin_;
  const long begin = std::max(0L, -offset), end = std::min(static_cast<long>(kernel_size), size - offset);
  double mass = zero_ + below_[static_cast<std::size_t>(std::clamp(offset, 0L, size))];
  double slope = 0.0;
  if (begin < end) {
    // Four running sums in a fixed order: the same bits on every machine, and four times fewer
    // dependent additions.
    std::array<double, 4> m4{}, s4{};
    long i = begin;
    for (; i + 4 <= end; i += 4)
      for (long u = 0; u < 4; ++u) {
        const double h = bins_[static_cast<std::size_t>(offset + i + u)];
        m4[static_cast<std::size_t>(u)] += h * k.cdf[static_cast<std::size_t>(i + u)];
        s4[static_cast<std::size_t>(u)] += h * k.pdf[static_cast<std::size_t>(i + u)];
      }
    for (; i < end; ++i) {
      const double h = bins_[static_cast<std::size_t>(offset + i)];
      m4[0] += h * k.cdf[static_cast<std::size_t>(i)];
      s4[0] += h * k.pdf[static_cast<std::size_t>(i)];
    }
    mass += (m4[0] + m4[1]) + (m4[2] + m4[3]);
    slope = ((s4[0] + s4[1]) + (s4[2] + s4[3])) / sigma_;
  }
  return {mass, slope};
}

double severity_mixture::grid_mass(double log_s) const {
  const double f = log_s / step_;
  const double lower = std::floor(f);
  const auto m = static_cast<long>(lower);
  const auto a = grid_point(m), b = grid_point(m + 1);
  return hermite(f - lower, a.mass, a.slope * step_, b.mass, b.slope * step_);
}

double severity_mixture::mass_below(double log_s) const {
  if (atoms_.empty()) return zero_;
  return gridded_ ? grid_mass(log_s) : direct_at(log_s).mass;
}

double severity_mixture::percentile(double s) const {
  if (occurs_ <= 0.0 || s >= severity::max_value) return 1.0;
  const double below = s > 0.0 ? mass_below(std::log(s)) : zero_;
  return std::clamp(below / occurs_, 0.0, 1.0);
}

double severity_mixture::visible_chance(double visible) const {
  if (visible > severity::max_value) return 0.0;
  if (!(visible > 0.0)) return std::clamp(occurs_, 0.0, 1.0);
  // What rounding leaves of nothing (the masses are sums of node weights) is no chance at all.
  const double chance = occurs_ - mass_below(std::log(visible));
  return chance < 1e-12 ? 0.0 : std::min(chance, 1.0);
}

double severity_mixture::below_cap() const {
  // Only worth evaluating when the atoms reach within 8.5σ of the cap (else the mass there is
  // everything but what lies above, and no quantile is past it); once per distribution, as every
  // quantile asks.
  if (below_cap_ < 0.0) {
    const bool near_cap = gridded_ || atoms_.back().log_g + normal_table::limit * sigma_ > log_cap;
    below_cap_ = near_cap ? mass_below(log_cap) : occurs_ + 1.0;
  }
  return below_cap_;
}

double severity_mixture::quantile(double q, double guess) const {
  const double target = q * occurs_;
  if (atoms_.empty() || zero_ >= target) return 0.0;
  if (below_cap() < target) return severity::max_value;
  return std::exp(gridded_ ? grid_quantile(target, guess) : direct_quantile(target, guess));
}

double severity_mixture::direct_quantile(double target, double guess) const {
  // The quantile lies within 8.5σ of the atom where the atoms' own cumulative weight reaches the
  // target: below that, every atom further down counts fully; above it, none further up counts.
  const auto reach = normal_table::limit * sigma_;
  const auto k = static_cast<std::size_t>(std::lower_bound(below_.begin() + 1, below_.end(), target - zero_) - below_.begin()) - 1;
  const double centre = atoms_[std::min(k, atoms_.size() - 1)].log_g;
  double lo = centre - reach, hi = std::min(log_cap, centre + reach);
  double x = std::clamp(guess > 0.0 ? std::log(guess) : centre, lo, hi);
  // Safeguarded Halley (bisection whenever a step would leave the bracket or shrink it too
  // slowly), as in Numerical Recipes' rtsafe with Halley's correction: the mixture's curvature
  // costs one more product per atom and saves about one pass in three.
  double step_before = hi - lo, step = step_before;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const auto [mass, slope, bend] = direct_at(x);
    const double f = mass - target;
    if (std::abs(f) <= 1e-13 * occurs_) return x;
    (f < 0.0 ? lo : hi) = x;
    const double newton = slope > 0.0 ? f / slope : 0.0;
    // Halley's step is Newton's over 1 − f·f''/(2f'²); a factor far from 1 means the curve bends
    // too much for either, and Newton's step alone is kept.
    const double halley = 1.0 - 0.5 * newton * bend / slope;
    const double proposed = slope > 0.0 && halley > 0.5 && halley < 2.0 ? newton / halley : newton;
    const bool leaves = slope <= 0.0 || x - proposed <= lo || x - proposed >= hi;
    if (leaves || std::abs(2.0 * proposed) > std::abs(step_before)) {
      step_before = step;
      step = 0.5 * (hi - lo);
      x = lo + step;
    } else {
      step_before = step;
      step = proposed;
      x -= step;
    }
    if (std::abs(step) < log_tolerance || hi - lo < log_tolerance) return x;
  }
  return x;
}

double severity_mixture::grid_quantile(double target, double guess) const {
  // Grid points lo < hi with mass(lo) < target ≤ mass(hi): below the first bin's reach the mass
  // is `zero` (< target); at log 10 it is at least the target. Newton steps from the guess, kept
  // strictly inside that bracket (else halving it), narrow it to neighbours; the cubic between
  // them gives the rest.
  long lo = first_bin_ - half_width - 1;
  long hi = static_cast<long>(std::floor(log_cap / step_)) + 1;
  // The first ends are known without a kernel pass: nothing reaches below, and at hi the mass is
  // whatever it is (found only if hi is still an end at the close).
  slope_and_mass at_lo{zero_, 0.0}, at_hi{-1.0, 0.0};
  long m = guess > 0.0 ? static_cast<long>(std::floor(std::log(guess) / step_))
                       : first_bin_ + static_cast<long>(std::lower_bound(below_.begin(), below_.end(), target - zero_) - below_.begin());
  while (hi - lo > 1) {
    m = std::clamp(m, lo + 1, hi - 1);
    const auto at = grid_point(m);
    const bool below = at.mass < target;
    (below ? lo : hi) = m;
    (below ? at_lo : at_hi) = at;
    long next = lo + (hi - lo) / 2;
    if (at.slope > 0.0) {
      const double jump = (target - at.mass) / (at.slope * step_);
      const double landing = static_cast<double>(m) + (jump > 0.0 ? std::ceil(jump) : std::floor(jump));
      if (landing > static_cast<double>(lo) && landing < static_cast<double>(hi)) next = static_cast<long>(landing);
    }
    m = next;
  }
  if (at_hi.mass < 0.0) at_hi = grid_point(hi);
  return std::min(log_cap, (static_cast<double>(lo) + hermite_root(at_lo, at_hi, target)) * step_);
}

double severity_mixture::hermite_root(const slope_and_mass& at_lo, const slope_and_mass& at_hi, double target) const {
  // Newton on the cubic from the chord's root, kept inside the bracket [s_lo, s_hi] that the
  // cubic's values narrow (halving it when a step would leave): the cubic is nearly linear over
  // one grid step, so two or three steps reach 1e-10.
  const double a = at_lo.mass, da = at_lo.slope * step_, b = at_hi.mass, db = at_hi.slope * step_;
  double s_lo = 0.0, s_hi = 1.0;
  double s = b > a ? std::clamp((target - a) / (b - a), 0.0, 1.0) : 0.5;
  for (int i = 0; i < 60 && s_hi - s_lo > 1e-10; ++i) {
    const double f = hermite(s, a, da, b, db) - target;
    if (f == 0.0) return s;
    (f < 0.0 ? s_lo : s_hi) = s;
    const double slope = hermite_slope(s, a, da, b, db);
    const double next = slope > 0.0 ? s - f / slope : -1.0;
    if (!(next > s_lo && next < s_hi)) {
      s = 0.5 * (s_lo + s_hi);
    } else {
      if (std::abs(next - s) < 1e-10) return next;
      s = next;
    }
  }
  return s;
}

}  // namespace aftermath::detail

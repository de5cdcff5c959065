// A plain Monte Carlo of the personal course, written for obviousness rather than speed: draw
// each patient's occurrences, η_A and η_T; evaluate the severity curve; read quantiles off the
// samples. The projection's quadrature must agree with it.
#pragma once

#include <aftermath/course.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace aftermath::testing {

struct monte_carlo_result {
  double occurs = 0.0;                          // fraction with the effect after some session
  std::vector<double> p05, p50, p95, p_visible;  // per whole day 0..horizon
  double resolved_p50 = 0.0, resolved_p95 = 0.0;
  // The same quantiles at levels four binomial standard errors below and above (q ∓ 4√(q(1−q)/m),
  // m the patients with the effect): where the true quantile lies, given the sampling.
  std::vector<double> p05_low, p05_high, p50_low, p50_high, p95_low, p95_high;
  double resolved_p50_low = 0.0, resolved_p50_high = 0.0, resolved_p95_low = 0.0, resolved_p95_high = 0.0;
};

namespace detail {

/// One simulated patient: the sessions after which the effect occurs, with their curves.
struct patient {
  std::vector<double> starts, amplitudes, ends;
  std::vector<bateman_curve> curves;

  void add(double start, double amplitude, const bateman_curve& curve) {
    starts.push_back(start);
    amplitudes.push_back(amplitude);
    curves.push_back(curve);
    // shape ≤ e^{−k_e u}/height after the lag: beyond this the session adds under 1e-9 points.
    const double excess = amplitude / (curve.peak_height() * 1e-9);
    ends.push_back(start + (excess > 1.0 ? curve.lag().count() + std::log(excess) / curve.decay_rate_per_day() : 0.0));
  }
  void clear() { starts.clear(), amplitudes.clear(), ends.clear(), curves.clear(); }

  double severity(double t) const {
    double s = 0.0;
    for (std::size_t j = 0; j < starts.size(); ++j)
      if (t < ends[j]) s += amplitudes[j] * curves[j](days(t - starts[j]));
    return std::min(10.0, s);
  }

  /// Last time severity ≥ r. Every curve falls after its own peak, so after the last peak the
  /// sum falls too: if it is still ≥ r there, the crossing is found by bisection after it;
  /// otherwise scan back from the last peak.
  double resolution_time(double r) const {
    const double share = r / static_cast<double>(starts.size());
    double end = 0.0, last_peak = 0.0;
    for (std::size_t j = 0; j < starts.size(); ++j) {
      end = std::max(end, starts[j] + curves[j].time_below_for_good(amplitudes[j], share).count());
      last_peak = std::max(last_peak, starts[j] + curves[j].peak_time().count());
    }
    if (severity(last_peak) >= r) {
      double lo = last_peak, hi = std::max(end, last_peak);  // severity(lo) ≥ r > severity(hi)
      for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        (severity(mid) >= r ? lo : hi) = mid;
      }
      return hi;
    }
    constexpr double step = 0.01;
    for (double t = last_peak; t > 0.0; t -= step) {
      if (severity(t) < r) continue;
      double lo = t, hi = t + step;  // severity(lo) ≥ r > severity(hi)
      for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        (severity(mid) >= r ? lo : hi) = mid;
      }
      return hi;
    }
    return 0.0;
  }
};

inline double quantile(std::vector<double>& values, double q) {
  q = std::clamp(q, 1.0 / static_cast<double>(values.size()), 1.0);
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

/// Quantile of a 0–10 histogram with bins of width 1/bins_per_point.
inline double histogram_quantile(const std::vector<std::uint32_t>& counts, std::uint64_t total, double q, double width) {
  const double target = q * static_cast<double>(total);
  double cumulative = 0.0;
  for (std::size_t b = 0; b < counts.size(); ++b) {
    cumulative += counts[b];
    if (cumulative >= target) return std::min(10.0, (static_cast<double>(b) + 0.5) * width);
  }
  return 10.0;
}

}  // namespace detail

inline monte_carlo_result reference_monte_carlo(const effect_course& effect, double visible, double resolved,
                                                int horizon_days, std::size_t samples, std::uint64_t seed) {
  constexpr double width = 0.001;
  const std::size_t bins = static_cast<std::size_t>(10.0 / width) + 1;
  const auto days_count = static_cast<std::size_t>(horizon_days) + 1;
  std::vector<std::vector<std::uint32_t>> histograms(days_count, std::vector<std::uint32_t>(bins, 0));
  std::vector<std::uint64_t> visible_count(days_count, 0);
  std::vector<double> resolution_times;

  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  detail::patient p;
  for (std::size_t i = 0; i < samples; ++i) {
    const double eta_a = effect.peak_sd * normal(rng);
    const double eta_t = effect.healing_time_sd * normal(rng);
    p.clear();
    for (const auto& session : effect.sessions) {
      if (uniform(rng) >= session.occurrence.value()) continue;
      p.add(session.start.count(), session.amplitude * std::exp(eta_a), effect.shape.stretched(session.time_scale * std::exp(eta_t)));
    }
    if (p.starts.empty()) continue;
    for (std::size_t d = 0; d < days_count; ++d) {
      const double s = p.severity(static_cast<double>(d));
      ++histograms[d][std::min(bins - 1, static_cast<std::size_t>(s / width))];
      if (s >= visible) ++visible_count[d];
    }
    resolution_times.push_back(p.resolution_time(resolved));
  }

  monte_carlo_result out;
  const auto occurring = resolution_times.size();
  out.occurs = static_cast<double>(occurring) / static_cast<double>(samples);
  const auto spread = [&](double q) { return 4.0 * std::sqrt(q * (1.0 - q) / static_cast<double>(occurring)); };
  const auto band = [&](std::size_t d, double q) { return detail::histogram_quantile(histograms[d], occurring, q, width); };
  for (std::size_t d = 0; d < days_count; ++d) {
    out.p05.push_back(band(d, 0.05)), out.p05_low.push_back(band(d, 0.05 - spread(0.05))), out.p05_high.push_back(band(d, 0.05 + spread(0.05)));
    out.p50.push_back(band(d, 0.50)), out.p50_low.push_back(band(d, 0.50 - spread(0.50))), out.p50_high.push_back(band(d, 0.50 + spread(0.50)));
    out.p95.push_back(band(d, 0.95)), out.p95_low.push_back(band(d, 0.95 - spread(0.95))), out.p95_high.push_back(band(d, 0.95 + spread(0.95)));
    out.p_visible.push_back(static_cast<double>(visible_count[d]) / static_cast<double>(samples));
  }
  out.resolved_p50 = detail::quantile(resolution_times, 0.50);
  out.resolved_p50_low = detail::quantile(resolution_times, 0.50 - spread(0.50));
  out.resolved_p50_high = detail::quantile(resolution_times, 0.50 + spread(0.50));
  out.resolved_p95 = detail::quantile(resolution_times, 0.95);
  out.resolved_p95_low = detail::quantile(resolution_times, 0.95 - spread(0.95));
  out.resolved_p95_high = detail::quantile(resolution_times, 0.95 + spread(0.95));
  return out;
}

}  // namespace aftermath::testing

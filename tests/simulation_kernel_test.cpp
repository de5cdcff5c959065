// The simulation kernel's exact crossings against brute force: the tabulated inverse of the
// Bateman shape against a root search, and each patient's resolution time and visible days
// against the severity evaluated on a fine grid (bateman_curve, the public curve).
#include <aftermath/detail/bateman_crossings.hpp>
#include <aftermath/io/json.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/cohort_kernel.hpp"

#include <random>

namespace aftermath {
namespace {

/// Where the curve crosses `level` between lo (on one side) and hi (on the other), by bisection.
double root(const bateman_curve& curve, double level, double lo, double hi) {
  const bool rising = curve(days(lo)) < level;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    ((curve(days(mid)) >= level) == rising ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

TEST(BatemanCrossings, MatchARootSearchAtEveryLevel) {
  for (const auto& [tp, hl] : {std::pair{0.1, 0.9}, {1.0, 2.0}, {1.0, 1.2}, {0.05, 0.2}}) {
    const auto curve = bateman_curve::from_clinical(days(0.0), days(tp), days(hl));
    const detail::bateman_crossings crossings(curve);
    const double peak = crossings.peak_offset();
    for (double y = 0.0137; y < 30.0; y += 0.0137) {
      const double level = std::exp(-y);
      // Times to within 1e-9 days.
      EXPECT_NEAR(crossings.fall(y), root(curve, level, peak, 1e4), 1e-9) << "tp " << tp << " y " << y;
      EXPECT_NEAR(crossings.rise(y), root(curve, level, 0.0, peak), 1e-9) << "tp " << tp << " y " << y;
      EXPECT_GE(crossings.rise(y), 0.0);
    }
  }
}

/// A patient's severity of one effect evaluated directly from the personal course.
struct brute_force {
  const effect_course& effect;
  std::vector<int> sessions;
  double peak_factor;
  double healing;

  double severity(double t) const {
    double s = 0.0;
    for (int j : sessions) {
      const auto& term = effect.sessions[static_cast<std::size_t>(j)];
      s += peak_factor * term.amplitude * effect.shape.stretched(term.time_scale * healing)(days(t - term.start.count()));
    }
    return std::min(10.0, s);
  }
};

/// Last time severity ≥ r and total time ≥ v, on a grid of `step` days with the last crossing refined.
std::pair<double, double> on_fine_grid(const brute_force& patient, double v, double r, double end, double step) {
  double last_above = 0.0, visible = 0.0;
  for (double t = step / 2; t < end; t += step) {
    const double s = patient.severity(t);
    if (s >= v) visible += step;
    if (s >= r) last_above = t;
  }
  if (last_above == 0.0) return {0.0, visible};
  double lo = last_above, hi = last_above + step;
  for (int i = 0; i < 60; ++i) (patient.severity(0.5 * (lo + hi)) >= r ? lo : hi) = 0.5 * (lo + hi);
  return {hi, visible};
}

/// Patients of one profile; bruising and redness compared with the grid for random draws.
void expect_exact(const std::string& population_json, std::uint32_t seed, int patients, const model& m = default_model(),
                  double step = 2e-3) {
  const population p = parse_population(population_json, m);
  const detail::cohort_kernel kernel(m, p);
  const personal_course course = detail::course_for(m, p, p.profiles.front().risk_factors);
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<std::uint32_t> words(kernel.effects() * kernel.sessions());
  detail::effect_scratch scratch;
  int compared = 0;
  for (int i = 0; i < patients; ++i) {
    const double z = normal(rng), eta = normal(rng);
    for (auto& w : words) w = static_cast<std::uint32_t>(rng());
    for (std::size_t e : {std::size_t{0}, std::size_t{2}}) {
      std::vector<detail::time_interval> visible;
      const auto outcome = kernel.evaluate(kernel.group(0), e, z, eta, words.data(), scratch, visible);
      if (!outcome.occurred) continue;
      const auto& effect = course.effects[e];
      const brute_force patient{effect, scratch.occurring, std::exp(effect.peak_sd * eta), std::exp(effect.healing_time_sd * z)};
      double slowest = 0.0;  // the grid runs long enough for the slowest bump to settle
      for (int j : scratch.occurring) slowest = std::max(slowest, effect.sessions[static_cast<std::size_t>(j)].time_scale * patient.healing);
      const double end = p.session_days.back() + 60.0 * slowest;
      const auto [resolved, visible_days] = on_fine_grid(patient, 1.0, 0.5, end, step);
      EXPECT_NEAR(outcome.resolved_at, resolved, 1e-6) << effect.id << " patient " << i;
      // Each visible interval's two ends are each within half a grid step.
      EXPECT_NEAR(outcome.visible_days, visible_days, step * static_cast<double>(visible.size() + 1)) << effect.id << " patient " << i;
      ++compared;
    }
  }
  EXPECT_GT(compared, patients / 2);
}

TEST(CohortKernel, OneTimeScaleMatchesAFineGrid) {
  // Sessions three days apart: bruises overlap and the segments carry earlier bumps forward.
  expect_exact(R"({"sessions_days": [0, 3, 6, 14], "n": 1, "profiles": [{"risk_factors": ["bruise_prone", "sensitive_skin"]}]})", 1, 150);
}

TEST(CohortKernel, MixedTimeScalesMatchAFineGrid) {
  // Aspirin stopped a day before wears off over the course: each session's bruise has its own time scale.
  expect_exact(R"({"sessions_days": [0, 2, 5], "n": 1,
                   "profiles": [{"risk_factors": [{"id": "anticoagulant", "stopped_days_before": 1}]}]})",
               2, 150);
}

TEST(CohortKernel, MixedTimeScalesOverALongCourseMatchAFineGrid) {
  // Aspirin stopped three days before wears off by the third session: the first two bruises have
  // their own time scales and every later one shares the last, carried together as one term.
  expect_exact(R"({"sessions_days": [0, 3, 6, 10, 13, 17, 24, 31], "n": 1,
                   "profiles": [{"risk_factors": ["bruise_prone", {"id": "aspirin", "stopped_days_before": 3}]}]})",
               4, 120);
}

/// The default model with an anticoagulant that stretches bruising twelvefold: time scales then
/// spread wider than the curve's k_a/k_e, and the kernel scans instead.
model with_wide_time_scales() {
  auto document = nlohmann::ordered_json::parse(to_json(default_model()));
  for (auto& modifier : document["modifiers"])
    if (modifier["id"] == "anticoagulant") modifier["targets"][0]["duration_multiplier"]["value"] = 12.0;
  return parse_model(document.dump());
}

TEST(CohortKernel, WidelySpreadTimeScalesMatchAFineGrid) {
  expect_exact(R"({"sessions_days": [0, 2, 5], "n": 1,
                   "profiles": [{"risk_factors": [{"id": "anticoagulant", "stopped_days_before": 1}]}]})",
               3, 60, with_wide_time_scales(), 1e-2);
}

}  // namespace
}  // namespace aftermath

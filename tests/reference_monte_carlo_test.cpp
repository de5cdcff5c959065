// The projection's quadrature against a plain Monte Carlo of the same model with 10^6 patients.
// Tolerances (the issue's): bands within 1 % or 0.05 severity points, resolution quantiles
// within 1 %. Monte Carlo error at n = 10^6 is about 0.1 % for these quantiles, so a failure
// here is the quadrature's, not the sampling's. P(visible) within 0.005 (its MC standard error
// is below 0.0005).
#include <aftermath/projection.hpp>

#include <gtest/gtest.h>

#include "support/profiles.hpp"
#include "support/reference_monte_carlo.hpp"

namespace aftermath {
namespace {

constexpr std::size_t samples = 1'000'000;
constexpr int horizon = 45;

void expect_agreement(const personal_course& course, const std::string& id, std::uint64_t seed) {
  const auto& effect = testing::effect_named(course, id);
  const auto projected = project(course, {.horizon = days(horizon)});
  const auto& e = *std::find_if(projected.effects.begin(), projected.effects.end(), [&](const auto& x) { return x.id == id; });
  const auto mc = testing::reference_monte_carlo(effect, course.visible.value(), course.resolved.value(), horizon, samples, seed);

  EXPECT_NEAR(e.occurs.value(), mc.occurs, 0.003) << id;
  for (int d = 0; d <= horizon; ++d) {
    const auto& b = e.curve[static_cast<std::size_t>(d)];
    const auto tolerance = [](double reference) { return std::max(0.05, 0.01 * reference); };
    EXPECT_NEAR(b.p05.value(), mc.p05[d], tolerance(mc.p05[d])) << id << " p05 day " << d;
    EXPECT_NEAR(b.p50.value(), mc.p50[d], tolerance(mc.p50[d])) << id << " p50 day " << d;
    EXPECT_NEAR(b.p95.value(), mc.p95[d], tolerance(mc.p95[d])) << id << " p95 day " << d;
    EXPECT_NEAR(b.p_visible.value(), mc.p_visible[d], 0.005) << id << " p_visible day " << d;
  }
  EXPECT_NEAR(e.resolved.p50.count(), mc.resolved_p50, 0.01 * mc.resolved_p50) << id;
  EXPECT_NEAR(e.resolved.p95.count(), mc.resolved_p95, 0.01 * mc.resolved_p95) << id;
}

class OneSession : public ::testing::TestWithParam<const char*> {};

TEST_P(OneSession, AgreesWithMonteCarlo) {
  expect_agreement(personalise(default_model(), testing::patient_with({})), GetParam(), 11);
}

INSTANTIATE_TEST_SUITE_P(EachEffect, OneSession,
                         ::testing::Values("redness", "swelling", "bruising", "dryness", "pain", "itching"));

class ThreeSessionsWithModifiers : public ::testing::TestWithParam<const char*> {};

// Aspirin stopped two days before the first session leaves different weights at each session;
// sessions a week apart make bruising overlap.
TEST_P(ThreeSessionsWithModifiers, AgreesWithMonteCarlo) {
  const auto profile = testing::patient_with({{"bruise_prone", std::nullopt}, {"sensitive_skin", std::nullopt},
                                              {"aspirin", testing::day(2026, 11, 29)}},
                                             {0, 7, 21});
  expect_agreement(personalise(default_model(), profile), GetParam(), 12);
}

INSTANTIATE_TEST_SUITE_P(OverlappingEffects, ThreeSessionsWithModifiers, ::testing::Values("bruising", "redness", "dryness"));

}  // namespace
}  // namespace aftermath

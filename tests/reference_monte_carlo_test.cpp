// The projection against a plain Monte Carlo of the same model (support/reference_monte_carlo.hpp).
// With 10^6 patients the tolerances are the issue's: bands within 1 % or 0.05 severity points,
// resolution quantiles within 1 %, P(visible) within 0.005. Monte Carlo error at that n is about
// 0.1 % for these quantiles and below 0.0005 for P(visible), so a failure is the projection's,
// not the sampling's. Long courses are checked the same way; 52 weekly sessions, whose Monte
// Carlo costs 7× more per patient, at the 10^5 patients the suite can afford, where the band must
// lie within the Monte Carlo's own 4-standard-error range (the sample quantiles at levels
// q ∓ 4√(q(1−q)/m)) widened by the same 1 % or 0.05 points, and P(visible) within 4 binomial
// standard errors plus 0.005.
#include <aftermath/io/json.hpp>
#include <aftermath/projection.hpp>

#include <gtest/gtest.h>

#include <cmath>

#include "support/profiles.hpp"
#include "support/reference_monte_carlo.hpp"

namespace aftermath {
namespace {

using testing::patient_with;

constexpr std::size_t samples = 1'000'000;

const effect_projection& projected_effect(const projection& p, const std::string& id) {
  return *std::find_if(p.effects.begin(), p.effects.end(), [&](const auto& x) { return x.id == id; });
}

double band_tolerance(double reference) { return std::max(0.05, 0.01 * reference); }

void expect_agreement(const personal_course& course, const std::string& id, std::uint64_t seed, int horizon = 45) {
  const auto projected = project(course, {.horizon = days(horizon)});
  const auto& e = projected_effect(projected, id);
  const auto mc = testing::reference_monte_carlo(testing::effect_named(course, id), course.visible_threshold.value(), course.resolved_threshold.value(),
                                                 horizon, samples, seed);

  EXPECT_NEAR(e.occurs.value(), mc.occurs, 0.003) << id;
  for (int d = 0; d <= horizon; ++d) {
    const auto& b = e.curve[static_cast<std::size_t>(d)];
    EXPECT_NEAR(b.p05.value(), mc.p05[d], band_tolerance(mc.p05[d])) << id << " p05 day " << d;
    EXPECT_NEAR(b.p50.value(), mc.p50[d], band_tolerance(mc.p50[d])) << id << " p50 day " << d;
    EXPECT_NEAR(b.p95.value(), mc.p95[d], band_tolerance(mc.p95[d])) << id << " p95 day " << d;
    EXPECT_NEAR(b.p_visible.value(), mc.p_visible[d], 0.005) << id << " p_visible day " << d;
  }
  EXPECT_NEAR(e.resolved.p50.count(), mc.resolved_p50, 0.01 * mc.resolved_p50) << id;
  EXPECT_NEAR(e.resolved.p95.count(), mc.resolved_p95, 0.01 * mc.resolved_p95) << id;
}

class OneSession : public ::testing::TestWithParam<const char*> {};

TEST_P(OneSession, AgreesWithMonteCarlo) {
  expect_agreement(personalise(default_model(), patient_with({})), GetParam(), 11);
}

INSTANTIATE_TEST_SUITE_P(EachEffect, OneSession,
                         ::testing::Values("redness", "swelling", "bruising", "dryness", "pain", "itching"));

class ThreeSessionsWithModifiers : public ::testing::TestWithParam<const char*> {};

// Aspirin stopped two days before the first session leaves different weights at each session;
// sessions a week apart make bruising overlap.
TEST_P(ThreeSessionsWithModifiers, AgreesWithMonteCarlo) {
  const auto profile = patient_with({{"bruise_prone", std::nullopt}, {"sensitive_skin", std::nullopt},
                                     {"aspirin", testing::day(2026, 11, 29)}},
                                    {0, 7, 21});
  expect_agreement(personalise(default_model(), profile), GetParam(), 12);
}

INSTANTIATE_TEST_SUITE_P(OverlappingEffects, ThreeSessionsWithModifiers, ::testing::Values("bruising", "redness", "dryness"));

// --- courses clinics run, beyond what the exact enumeration could project ---

std::vector<int> every(int days_apart, int sessions, int from = 0) {
  std::vector<int> out;
  for (int j = 0; j < sessions; ++j) out.push_back(from + days_apart * j);
  return out;
}

class LongCourses : public ::testing::TestWithParam<const char*> {};

TEST_P(LongCourses, TwelveWeeklyWithAspirinStoppedTwoDaysBefore) {
  const auto profile = patient_with({{"aspirin", testing::day(2026, 11, 29)}}, every(7, 12));
  expect_agreement(personalise(default_model(), profile), GetParam(), 21, 77 + 30);
}

TEST_P(LongCourses, SixteenTwoWeeksApartForABruisePronePatient) {
  const auto profile = patient_with({{"bruise_prone", std::nullopt}}, every(14, 16));
  expect_agreement(personalise(default_model(), profile), GetParam(), 22, 210 + 30);
}

TEST_P(LongCourses, AScalpYearOfTenWeeklyAndTwelveMonthly) {
  auto sessions = every(7, 10);
  for (int month = 1; month <= 12; ++month) sessions.push_back(63 + 30 * month);
  auto profile = patient_with({}, sessions);
  profile.treatment = "mesotherapy_scalp";
  expect_agreement(personalise(default_model(), profile), GetParam(), 23, 423 + 30);
}

INSTANTIATE_TEST_SUITE_P(OverlappingEffects, LongCourses, ::testing::Values("bruising", "redness"));

TEST(LongCourses, FiftyTwoWeeklyWithinMonteCarloError) {
  constexpr std::size_t affordable = 100'000;
  constexpr int horizon = 357 + 30;
  const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, every(7, 52)));
  const auto projected = project(course);
  const auto& e = projected_effect(projected, "bruising");
  const auto mc = testing::reference_monte_carlo(testing::effect_named(course, "bruising"), course.visible_threshold.value(),
                                                 course.resolved_threshold.value(), horizon, affordable, 24);
  const auto within = [](double value, double low, double high) {
    return value >= low - band_tolerance(low) && value <= high + band_tolerance(high);
  };
  for (int d = 0; d <= horizon; ++d) {
    const auto& b = e.curve[static_cast<std::size_t>(d)];
    EXPECT_TRUE(within(b.p05.value(), mc.p05_low[d], mc.p05_high[d])) << "p05 day " << d << ": " << b.p05.value() << " vs " << mc.p05[d];
    EXPECT_TRUE(within(b.p50.value(), mc.p50_low[d], mc.p50_high[d])) << "p50 day " << d << ": " << b.p50.value() << " vs " << mc.p50[d];
    EXPECT_TRUE(within(b.p95.value(), mc.p95_low[d], mc.p95_high[d])) << "p95 day " << d << ": " << b.p95.value() << " vs " << mc.p95[d];
    const double p = mc.p_visible[d];
    EXPECT_NEAR(b.p_visible.value(), p, 4.0 * std::sqrt(p * (1.0 - p) / affordable) + 0.005) << "p_visible day " << d;
  }
  EXPECT_GE(e.resolved.p50.count(), 0.99 * mc.resolved_p50_low);
  EXPECT_LE(e.resolved.p50.count(), 1.01 * mc.resolved_p50_high);
  EXPECT_GE(e.resolved.p95.count(), 0.99 * mc.resolved_p95_low);
  EXPECT_LE(e.resolved.p95.count(), 1.01 * mc.resolved_p95_high);
}

}  // namespace
}  // namespace aftermath

// The assessment measured on patients drawn from the model itself (support/simulated_patients):
// how often ordinary recoveries raise an alert (specificity), how often really slow healing is
// caught (sensitivity), and whether the personalised update is calibrated. Reports carry the
// model's reporting noise; seeds are fixed, so the figures printed are reproducible.
#include "support/profiles.hpp"
#include "support/simulated_patients.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

namespace aftermath {
namespace {

using testing::draw_patient;
using testing::patient_with;
using testing::reports_on;

/// 99th percentile of the healing-time term: "really slow healing".
constexpr double slow_z = 2.3263478740408408;
/// 95th percentile: the ordinary patients are the other 95 %.
constexpr double ordinary_z_limit = 1.6448536269514722;

double noise_sd() { return default_model().assessment.report_noise_sd.value; }

/// A healing-time term from the model outside the slowest 5 %: those are what the sensitivity
/// tests look for, and a 99th-percentile healer cannot also count as an ordinary one.
double ordinary_healing(std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  for (;;)
    if (const double z = normal(rng); z <= ordinary_z_limit) return z;
}

const testing::simulated_effect& effect_of(const testing::simulated_patient& p, const effect_course& effect) {
  return *std::find_if(p.effects.begin(), p.effects.end(), [&](const auto& e) { return e.effect == &effect; });
}

/// Share of assessments at contact_provider or higher.
struct alert_rate {
  int alerted = 0;
  int assessed = 0;
  double share() const { return static_cast<double>(alerted) / assessed; }
};

/// Ordinary patients (no complication flags), one session, reporting every effect they have on
/// days 1, 3, 7 and 10 (a next-day call, a check-in, one week, the review).
alert_rate ordinary_alerts(int patients, std::uint64_t seed, bool include_slowest) {
  const auto course = personalise(default_model(), patient_with({}));
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  alert_rate rate;
  for (int i = 0; i < patients; ++i) {
    const auto p = draw_patient(course, rng, include_slowest ? normal(rng) : ordinary_healing(rng));
    const auto reports = reports_on(p, {1.0, 3.0, 7.0, 10.0}, noise_sd(), rng);
    if (reports.empty()) continue;  // nothing to report: no effect occurred
    ++rate.assessed;
    if (assess(default_model(), course, reports).triage >= triage_level::contact_provider) ++rate.alerted;
  }
  return rate;
}

TEST(AssessmentStatistics, OrdinaryRecoveriesRarelyRaiseContactProvider) {
  const auto ordinary = ordinary_alerts(2000, 20261123, false);
  std::printf("contact_provider or higher: %d of %d ordinary patients (%.1f %%)\n", ordinary.alerted, ordinary.assessed,
              100.0 * ordinary.share());
  EXPECT_LE(ordinary.share(), 0.05);
  // For the record: the whole population, the slowest 5 % of healers included.
  const auto everyone = ordinary_alerts(2000, 20261124, true);
  std::printf("whole population, slowest healers included: %d of %d (%.1f %%)\n", everyone.alerted, everyone.assessed,
              100.0 * everyone.share());
  EXPECT_LE(everyone.share(), 0.10);
}

/// Patients in whom the effect occurred, healing-time term at the 99th percentile, reporting
/// every effect they have daily on days 7–10: the share flagged contact_provider or higher.
double slow_healers_flagged(const std::string& effect_id, int patients, std::uint64_t seed) {
  const auto course = personalise(default_model(), patient_with({}));
  const auto& effect = testing::effect_named(course, effect_id);
  std::mt19937_64 rng(seed);
  alert_rate rate;
  while (rate.assessed < patients) {
    const auto p = draw_patient(course, rng, slow_z);
    if (!effect_of(p, effect).occurred()) continue;
    ++rate.assessed;
    const auto result = assess(default_model(), course, reports_on(p, {7.0, 8.0, 9.0, 10.0}, noise_sd(), rng));
    if (result.triage >= triage_level::contact_provider) ++rate.alerted;
  }
  std::printf("%s, 99th-percentile healers flagged on days 7-10: %d of %d (%.1f %%)\n", effect_id.c_str(), rate.alerted,
              rate.assessed, 100.0 * rate.share());
  return rate.share();
}

TEST(AssessmentStatistics, SlowBruiseHealingIsFlaggedOnDaysSevenToTen) {
  EXPECT_GE(slow_healers_flagged("bruising", 1000, 7), 0.90);
}

TEST(AssessmentStatistics, SlowDrynessHealingIsFlaggedOnDaysSevenToTen) {
  EXPECT_GE(slow_healers_flagged("dryness", 1000, 8), 0.90);
}

/// Patients with known terms in whom bruising occurred after at least one of `sessions` (days),
/// and three reports of it one, three and five days after the last session: the updated median
/// resolution against the prior's, and the updated 90 % interval against the truth.
struct calibration {
  int closer = 0;
  int covered = 0;
  int patients = 0;
};

calibration update_against_truth(const std::vector<int>& sessions, int patients, std::uint64_t seed) {
  const auto course = personalise(default_model(), patient_with({}, sessions));
  const auto& bruising = testing::effect_named(course, "bruising");
  const double last = sessions.back();
  const double prior_p50 = resolution_quantile(bruising, course.resolved_threshold, 0.5).count();
  std::mt19937_64 rng(seed);
  calibration c;
  while (c.patients < patients) {
    const auto p = draw_patient(course, rng);
    const auto& e = effect_of(p, bruising);
    if (!e.occurred()) continue;
    ++c.patients;
    const double truth = e.curve.resolution_time(course.resolved_threshold.value());
    std::vector<symptom_report> reports;
    for (double day : {1.0, 3.0, 5.0}) reports.push_back(testing::report_of(e, last + day, noise_sd(), rng));
    const auto updated = assess(default_model(), course, reports).updated.front().updated;
    if (std::abs(updated.p50.count() - truth) < std::abs(prior_p50 - truth)) ++c.closer;
    if (updated.p05.count() <= truth && truth <= updated.p95.count()) ++c.covered;
  }
  return c;
}

TEST(AssessmentStatistics, UpdateIsCalibrated) {
  const auto c = update_against_truth({0}, 1000, 99);
  std::printf("one session: updated median closer to the truth than the prior's: %d of %d; 90 %% interval covers it: %d of %d\n",
              c.closer, c.patients, c.covered, c.patients);
  EXPECT_GE(c.closer, 0.80 * c.patients);
  EXPECT_GE(c.covered, 0.85 * c.patients);
  EXPECT_LE(c.covered, 0.95 * c.patients);
}

TEST(AssessmentStatistics, UpdateIsCalibratedAfterTenWeeklySessions) {
  std::vector<int> weekly;
  for (int j = 0; j < 10; ++j) weekly.push_back(7 * j);
  const auto c = update_against_truth(weekly, 1000, 100);
  std::printf("ten weekly sessions: updated median closer to the truth than the prior's: %d of %d; 90 %% interval covers it: %d of %d\n",
              c.closer, c.patients, c.covered, c.patients);
  EXPECT_GE(c.closer, 0.80 * c.patients);
  EXPECT_GE(c.covered, 0.85 * c.patients);
  EXPECT_LE(c.covered, 0.95 * c.patients);
}

}  // namespace
}  // namespace aftermath

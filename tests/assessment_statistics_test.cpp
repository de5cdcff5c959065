// The assessment measured on patients drawn from the model itself (support/simulated_patients):
// how often ordinary recoveries raise an alert (specificity), how often really slow healing is
// caught (sensitivity), and whether the personalised update is calibrated. Reports carry the
// model's reporting noise; seeds are fixed, so the figures printed are reproducible. First with
// ideal reports (every effect, exact numbers), then with diaries as patients keep them
// (support/realistic_diaries: whole numbers, only what they notice, days 1–14 after the last
// session, with risk factors and courses of several sessions).
#include "support/profiles.hpp"
#include "support/realistic_diaries.hpp"
#include "support/simulated_patients.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
    const auto reports = reports_on(p, {1.0, 3.0, 7.0, 10.0}, noise_sd(), rng);  // exact numbers: real_0_10
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
/// every effect they have daily on days 7–10: the share flagged contact_provider or higher,
/// among those whose effect is still visible a week after the session (what triage can see)
/// and, for the record, among all of them.
struct slow_flagged {
  alert_rate visible_after_a_week;
  alert_rate all;
};

slow_flagged slow_healers_flagged(const std::string& effect_id, int patients, std::uint64_t seed) {
  const auto course = personalise(default_model(), patient_with({}));
  const auto& effect = testing::effect_named(course, effect_id);
  std::mt19937_64 rng(seed);
  slow_flagged out;
  while (out.all.assessed < patients) {
    const auto p = draw_patient(course, rng, slow_z);
    const auto& e = effect_of(p, effect);
    if (!e.occurred()) continue;
    const bool visible = e.curve.severity(7.0) >= course.visible_threshold.value();
    const auto result = assess(default_model(), course, reports_on(p, {7.0, 8.0, 9.0, 10.0}, noise_sd(), rng));
    const int alerted = result.triage >= triage_level::contact_provider ? 1 : 0;
    ++out.all.assessed, out.all.alerted += alerted;
    if (visible) ++out.visible_after_a_week.assessed, out.visible_after_a_week.alerted += alerted;
  }
  std::printf("%s, 99th-percentile healers flagged on days 7-10: %d of %d still visible after a week (%.1f %%); %d of all %d (%.1f %%)\n",
              effect_id.c_str(), out.visible_after_a_week.alerted, out.visible_after_a_week.assessed,
              100.0 * out.visible_after_a_week.share(), out.all.alerted, out.all.assessed, 100.0 * out.all.share());
  return out;
}

// The rules are tuned for diaries as patients keep them (below), where these healers are caught
// in 98–99 % of diaries; four exact reports on days 7–10 alone say less about the healing, and
// catch 89 % (bruising) and 95 % (dryness) of those whose effect is still visible after a week.
TEST(AssessmentStatistics, SlowBruiseHealingIsFlaggedOnDaysSevenToTen) {
  EXPECT_GE(slow_healers_flagged("bruising", 1000, 7).visible_after_a_week.share(), 0.85);
}

TEST(AssessmentStatistics, SlowDrynessHealingIsFlaggedOnDaysSevenToTen) {
  EXPECT_GE(slow_healers_flagged("dryness", 1000, 8).visible_after_a_week.share(), 0.90);
}

/// Patients with known terms in whom bruising occurred after at least one of `sessions` (days),
/// and three reports of it one, three and five days after the last session: the updated median
/// resolution against the prior's, and the updated 90 % interval against the truth.
struct calibration {
  int closer = 0;
  int covered = 0;
  int patients = 0;
};

calibration update_against_truth(const std::vector<int>& sessions, int patients, std::uint64_t seed, bool whole_numbers = false) {
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
    for (double day : {1.0, 3.0, 5.0}) {
      if (!whole_numbers) {
        reports.push_back(testing::report_of(e, last + day, noise_sd(), rng));
        continue;
      }
      symptom_report report{days(last + day), "bruising", testing::rating_of(e, last + day, noise_sd(), true, rng), {}};
      report.scale = rating_scale::whole_0_10;
      reports.push_back(std::move(report));
    }
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

TEST(AssessmentStatistics, UpdateIsCalibratedOnWholeNumberReports) {
  for (const auto& sessions : {std::vector<int>{0}, std::vector<int>{0, 14, 28}}) {
    const auto c = update_against_truth(sessions, 1000, 101 + sessions.size(), true);
    std::printf("%zu session(s), whole-number reports: updated median closer to the truth than the prior's: %d of %d; 90 %% interval covers it: %d of %d\n",
                sessions.size(), c.closer, c.patients, c.covered, c.patients);
    EXPECT_GE(c.closer, 0.80 * c.patients);
    EXPECT_GE(c.covered, 0.85 * c.patients);
    EXPECT_LE(c.covered, 0.95 * c.patients);
  }
}

// ---- diaries as patients keep them ----------------------------------------------------------

struct diary_profile {
  const char* name;
  std::vector<risk_factor> factors;
  std::vector<int> sessions;
};

/// Aspirin stopped two days before the first session.
std::vector<risk_factor> aspirin_stopped_two_days_before() { return {{"aspirin", testing::day(2026, 11, 29)}}; }

std::vector<diary_profile> diary_profiles() {
  const std::vector<int> one{0}, three{0, 14, 28};
  return {{"no risk factor, one session", {}, one},
          {"bruise-prone, one session", {{"bruise_prone", std::nullopt}}, one},
          {"aspirin stopped 2 days before, one session", aspirin_stopped_two_days_before(), one},
          {"no risk factor, three sessions two weeks apart", {}, three},
          {"bruise-prone, three sessions two weeks apart", {{"bruise_prone", std::nullopt}}, three},
          {"aspirin stopped 2 days before, three sessions two weeks apart", aspirin_stopped_two_days_before(), three}};
}

/// The upper end of the Wilson 95 % interval of a share k/n.
double wilson_upper(int k, int n) {
  const double z = 1.959963984540054, p = static_cast<double>(k) / n, z2n = z * z / n;
  return (p + z2n / 2 + z * std::sqrt(p * (1 - p) / n + z2n / (4.0 * n))) / (1 + z2n);
}

struct diary_alerts {
  int diaries = 0;   ///< patients who wrote something down
  int alerted = 0;   ///< of those, told at least once to contact the clinic or more
  int answers = 0;   ///< contact-provider-or-higher answers over all entries
  int patients = 0;  ///< every patient drawn
};

diary_alerts ordinary_diary_alerts(const diary_profile& profile, int patients, std::uint64_t seed) {
  const auto course = personalise(default_model(), patient_with(profile.factors, profile.sessions));
  const double last = profile.sessions.back();
  std::mt19937_64 rng(seed);
  diary_alerts out;
  for (out.patients = 0; out.patients < patients; ++out.patients) {
    const auto p = draw_patient(course, rng, ordinary_healing(rng));
    const auto diary = testing::keep_diary(p, last, noise_sd(), {}, rng);
    if (std::all_of(diary.begin(), diary.end(), [](const auto& entry) { return entry.reports.empty(); })) continue;
    ++out.diaries;
    const auto outcome = testing::follow_diary(default_model(), course, diary);
    out.alerted += outcome.alerted() ? 1 : 0;
    out.answers += outcome.contact_or_higher;
  }
  return out;
}

TEST(AssessmentStatistics, WholeNumberDiariesOfOrdinaryHealersRarelyRaiseContactProvider) {
  std::uint64_t seed = 20261201;
  for (const auto& profile : diary_profiles()) {
    const auto a = ordinary_diary_alerts(profile, 1000, seed++);
    const double share = static_cast<double>(a.alerted) / a.diaries;
    std::printf("%s: contact_provider or higher in %d of %d diaries (%.1f %%, 95 %% CI up to %.1f %%); %.1f such answers per 100 patients\n",
                profile.name, a.alerted, a.diaries, 100.0 * share, 100.0 * wilson_upper(a.alerted, a.diaries),
                100.0 * a.answers / a.patients);
    EXPECT_LE(share, 0.05) << profile.name;
  }
}

/// 99th-percentile healers with a symptom still visible a week after the last session: the share
/// whose diary raised contact_provider or higher at least once.
TEST(AssessmentStatistics, WholeNumberDiariesOfSlowHealersWithASymptomAfterAWeekAreFlagged) {
  std::uint64_t seed = 20261211;
  for (const auto& profile : diary_profiles()) {
    const auto course = personalise(default_model(), patient_with(profile.factors, profile.sessions));
    const double last = profile.sessions.back();
    std::mt19937_64 rng(seed++);
    int flagged = 0, slow = 0;
    while (slow < 300) {
      const auto p = draw_patient(course, rng, slow_z);
      const bool visible_after_a_week = std::any_of(p.effects.begin(), p.effects.end(), [&](const auto& e) {
        return e.occurred() && e.curve.severity(last + 7.0) >= course.visible_threshold.value();
      });
      if (!visible_after_a_week) continue;
      ++slow;
      if (testing::follow_diary(default_model(), course, testing::keep_diary(p, last, noise_sd(), {}, rng)).alerted()) ++flagged;
    }
    std::printf("%s: slow healers with a symptom visible after a week flagged in %d of %d diaries (%.1f %%)\n", profile.name, flagged, slow,
                100.0 * flagged / slow);
    EXPECT_GE(flagged, 0.95 * slow) << profile.name;
  }
}

}  // namespace
}  // namespace aftermath

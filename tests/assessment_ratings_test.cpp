// Reports as patients give them: whole numbers read as the range they stand for, grades and
// categories, reports at the session itself, "nothing else", and one report far above the band.
#include "support/assessment_fixture.hpp"
#include "support/profiles.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <tuple>

namespace aftermath {
namespace {

using testing::patient_with;

const model& m() { return default_model(); }

using fixture = testing::assessment_fixture;
using testing::fired;

symptom_report rated(double day, std::string symptom, double severity, rating_scale scale = rating_scale::whole_0_10) {
  return {days(day), std::move(symptom), severity, {}, scale};
}

/// The day after the session when the effect's band p95 first drops below `below`.
double day_band_falls_below(const personal_course& course, const std::string& effect, double below) {
  for (double day = 1.0; day < 60.0; day += 0.25)
    if (severity_band_at(testing::effect_named(course, effect), days(day)).p95.value() < below) return day;
  return 60.0;
}

TEST(AssessmentRatings, AWholeNumberIsTheRangeItStandsFor) {
  // Redness fading below a band p95 of about 1: a real 1.4 lies above the band, a whole-number
  // "1" (anything from 0.5 to 1.5) does not.
  const fixture f;
  const double day = day_band_falls_below(f.course, "redness", 0.9);
  const auto as_real = f.run({rated(day, "redness", 1.4, rating_scale::real_0_10)});
  const auto as_whole = f.run({rated(day, "redness", 1)});
  ASSERT_LT(as_real.reports[0].expected.p95.value(), 0.9);
  EXPECT_EQ(as_real.reports[0].status, report_status::slower_than_expected);
  EXPECT_NE(as_whole.reports[0].status, report_status::slower_than_expected);
  EXPECT_EQ(as_whole.reports[0].scale, rating_scale::whole_0_10);
  // The percentile of a range is the mean of those at its ends.
  const auto& redness = testing::effect_named(f.course, "redness");
  const double expected = 0.5 * (severity_percentile(redness, days(day), 0.5).value() + severity_percentile(redness, days(day), 1.5).value());
  EXPECT_NEAR(as_whole.reports[0].percentile.value(), expected, 1e-9);
  // A whole-number "0" is resolved; a fraction on the whole-number scale is refused, naming the fix.
  EXPECT_EQ(f.run({rated(day, "redness", 0)}).reports[0].status, report_status::resolved);
  try {
    (void)f.run({rated(day, "redness", 1.5)});
    FAIL() << "a fraction on the whole-number scale was accepted";
  } catch (const input_error& error) {
    EXPECT_NE(std::string(error.what()).find("reports[0].severity: 1.5 is not a rating on the scale whole_0_10"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("\"scale\": \"real_0_10\""), std::string::npos);
  }
}

TEST(AssessmentRatings, GradesAndCategoriesAreTheModelsSeverityRanges) {
  const fixture f;
  const auto& a = m().assessment;
  for (rating_scale scale : {rating_scale::grade_0_4, rating_scale::category}) {
    // "severe" is severe_from up to very_severe_from: the rules compare its middle.
    const auto severe = f.run({rated(2.0, "swelling", 3, scale)});
    EXPECT_EQ(severe.reports[0].reported, 3.0);
    EXPECT_GE(0.5 * (a.severe_from.value + a.very_severe_from.value), 7.0) << "the severe range's middle reaches the severe-swelling rule";
    EXPECT_TRUE(fired(severe, "severe_itching_or_swelling")) << to_string(scale);
    EXPECT_EQ(f.run({rated(2.0, "swelling", 0, scale)}).reports[0].status, report_status::resolved);
    EXPECT_THROW((void)f.run({rated(2.0, "swelling", 5, scale)}), input_error);
  }
}

TEST(AssessmentRatings, AReportAtTheSessionIsJudgedAgainstTheInjectionsOwnReaction) {
  // Every curve is 0 at the session itself: redness 4 there is the injection, not a surprise.
  const fixture f;
  for (double hours : {0.0, 1.0, 5.0}) {
    const auto a = f.run({rated(hours / 24.0, "redness", 4)});
    EXPECT_TRUE(a.reports[0].immediate) << hours;
    EXPECT_NE(a.reports[0].status, report_status::unexpected) << hours;
    EXPECT_GT(a.reports[0].expected.p95.value(), 1.0) << hours << " h: the band of the first hours";
    EXPECT_EQ(a.triage, triage_level::self_care) << hours;
    // An immediate report says nothing about healing: the update keeps the prior.
    EXPECT_NEAR(a.healing.mean_z, 0.0, 1e-12) << hours;
    ASSERT_EQ(a.updated.size(), 1u);
    EXPECT_EQ(a.updated[0].updated.p50, a.updated[0].prior.p50);
  }
  const auto later = f.run({rated(0.5, "redness", 4)});
  EXPECT_FALSE(later.reports[0].immediate) << "12 hours after the session is past the default 6";
  // A sign at the session still triages at its level.
  auto airway = rated(0.0, "swelling", 3);
  airway.flags = {"throat_swelling"};
  EXPECT_EQ(f.run({airway}).triage, triage_level::emergency);
}

TEST(AssessmentRatings, NothingElseReadsTheUnreportedSymptomsAsAbsent) {
  const fixture f;
  auto bruising = rated(4.0, "bruising", 2);
  const auto without = f.run({bruising});
  bruising.nothing_else = true;
  const auto with = f.run({bruising});
  // Redness, swelling, pain, itching and dryness absent on day 4: evidence of healing on time
  // or quickly, so the estimated healing is no slower than from bruising alone.
  EXPECT_LT(with.healing.mean_z, without.healing.mean_z);
  ASSERT_EQ(with.updated.size(), 1u) << "only the reported effect is listed";
  EXPECT_EQ(with.reports.size(), 1u);
  EXPECT_EQ(with.triage, without.triage);
}

TEST(AssessmentRatings, OneReportFarAboveTheBandRaisesContactProvider) {
  // Every effect, on days 1–14 after one session: a single whole-number report at least 4 points
  // above the band's 95th percentile and at least 5.
  const fixture f;
  int checked = 0;
  for (const auto& effect : f.course.effects)
    for (double day = 1.0; day <= 14.0; day += 1.0) {
      const double p95 = severity_band_at(testing::effect_named(f.course, effect.id), days(day)).p95.value();
      const double rating = std::max(5.0, std::ceil(p95 + 4.0));
      if (rating > 10.0) continue;
      const auto a = f.run({rated(day, effect.id, rating)});
      EXPECT_GE(a.triage, triage_level::contact_provider) << effect.id << " " << rating << " on day " << day << " (p95 " << p95 << ")";
      ++checked;
    }
  EXPECT_GT(checked, 60);
  // The examples an independent check found: each was self_care when one report was only a status.
  for (const auto& [symptom, rating, day] : {std::tuple{"redness", 6, 5.0}, {"swelling", 6, 3.0}, {"pain", 6, 1.0}}) {
    const auto a = f.run({rated(day, symptom, rating)});
    EXPECT_TRUE(fired(a, "far_above_expected")) << symptom;
    EXPECT_GE(a.triage, triage_level::contact_provider) << symptom;
  }
}

TEST(ReportsJson, ScalesCategoriesAndNothingElseAreReadAndWritten) {
  const profile person = patient_with({});
  const auto reports = parse_reports(R"({"reports": [
      {"day": 2, "symptom": "bruising", "severity": "moderate", "nothing_else": true},
      {"day": 3, "symptom": "redness", "severity": 2, "scale": "grade_0_4"},
      {"day": 3, "symptom": "swelling", "severity": 1.5, "scale": "real_0_10"},
      {"day": 4, "symptom": "pain", "severity": 1}]})",
                                     m(), person);
  ASSERT_EQ(reports.size(), 4u);
  EXPECT_EQ(reports[0].scale, rating_scale::category);
  EXPECT_EQ(reports[0].severity, 2.0);
  EXPECT_TRUE(reports[0].nothing_else);
  EXPECT_EQ(reports[1].scale, rating_scale::grade_0_4);
  EXPECT_EQ(reports[2].scale, rating_scale::real_0_10);
  EXPECT_FALSE(reports[3].scale) << "no scale given: the model's default applies";
  const auto out = nlohmann::json::parse(to_json(assess(m(), personalise(m(), person), reports), m(), person, -1));
  EXPECT_EQ(out["symptoms"][0]["reported"], "moderate");
  EXPECT_EQ(out["symptoms"][0]["scale"], "category");
  EXPECT_EQ(out["symptoms"][3]["scale"], "whole_0_10");
  EXPECT_EQ(out["symptoms"][3]["immediate"], false);
}

TEST(AssessmentRatings, AGradeOrCategoryIsDrawnAndComparedAtTheMiddleOfItsRange) {
  const fixture f;
  const auto& a = m().assessment;
  const auto assessed = f.run({rated(2.0, "bruising", 2, rating_scale::category), rated(3.0, "bruising", 1, rating_scale::grade_0_4)});
  EXPECT_DOUBLE_EQ(assessed.reports[0].read_as, 0.5 * (a.moderate_from.value + a.severe_from.value));
  EXPECT_DOUBLE_EQ(assessed.reports[1].read_as, 0.5 * (a.mild_from.value + a.moderate_from.value));
  EXPECT_EQ(assessed.reports[0].reported, 2.0) << "as given";
}

TEST(ReportsJson, BrokenRatingsAreNamed) {
  const profile person = patient_with({});
  try {
    (void)parse_reports(R"({"reports": [
        {"day": 1, "symptom": "redness", "severity": "awful"},
        {"day": 1, "symptom": "redness", "severity": 2, "scale": "stars"},
        {"day": 1, "symptom": "redness", "severity": "mild", "scale": "whole_0_10"},
        {"day": 1, "symptom": "redness", "severity": 2.5},
        {"day": 1, "symptom": "redness", "severity": 5, "scale": "grade_0_4"},
        {"day": 1, "symptom": "redness", "severity": 2, "nothing_else": "yes"}]})",
                        m(), person);
    FAIL() << "broken ratings were accepted";
  } catch (const input_error& error) {
    const std::string what = error.what();
    for (const char* expected : {"reports[0].severity: 'awful' is not a category", "reports[1].scale: 'stars' is not a rating scale",
                                 "reports[2].severity: 'mild' is a category, and the scale is whole_0_10",
                                 "reports[3].severity: 2.5 is not a rating on the scale whole_0_10",
                                 "reports[4].severity: 5 is not a rating on the scale grade_0_4", "reports[5].nothing_else:"})
      EXPECT_NE(what.find(expected), std::string::npos) << expected << "\n" << what;
  }
}

}  // namespace
}  // namespace aftermath

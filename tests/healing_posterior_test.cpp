// The healing posterior of `assess` against the exact enumeration of every set of live sessions
// (support/exact_posterior.hpp), on courses the enumeration can still do; and on longer courses,
// which it refused, the same properties. Tolerances: the healing-time term within 1e-3, every
// probability within 1e-3, every resolution quantile within 0.3 % or 0.02 days.
#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

#include <gtest/gtest.h>

#include "support/exact_posterior.hpp"
#include "support/profiles.hpp"

namespace aftermath {
namespace {

using testing::patient_with;

struct diary {
  const char* name;
  profile patient;
  std::vector<symptom_report> reports;
};

/// Ten reports on the ten days after day `from`: bruising, redness and swelling in turn, fading.
std::vector<symptom_report> ten_reports_after(double from) {
  std::vector<symptom_report> reports;
  for (int d = 1; d <= 10; ++d)
    reports.push_back({days(from + d), d % 3 == 0 ? "redness" : d % 3 == 1 ? "bruising" : "swelling", 4.0 / d, {}, rating_scale::real_0_10});
  return reports;
}

/// The reports, each on the given scale.
std::vector<symptom_report> on(rating_scale scale, std::vector<symptom_report> reports) {
  for (auto& r : reports) r.scale = scale;
  return reports;
}

/// A diary as patients keep it: whole numbers on days 1, 2, 4, 7, 10 and 14 after `from`, only
/// what they notice; the last entry says there is nothing else when `nothing_else`.
std::vector<symptom_report> whole_number_diary(double from, bool nothing_else) {
  std::vector<symptom_report> reports = on(rating_scale::whole_0_10, {{days(from + 1), "bruising", 3, {}}, {days(from + 1), "redness", 2, {}},
                                                                       {days(from + 2), "bruising", 3, {}}, {days(from + 2), "swelling", 1, {}},
                                                                       {days(from + 4), "bruising", 2, {}}, {days(from + 7), "bruising", 1, {}},
                                                                       {days(from + 10), "bruising", 1, {}}});
  reports.back().nothing_else = nothing_else;
  return reports;
}

std::vector<int> weekly(int sessions) {
  std::vector<int> out;
  for (int j = 0; j < sessions; ++j) out.push_back(7 * j);
  return out;
}

std::vector<diary> diaries() {
  return {
      {"one session, ten reports", patient_with({{"bruise_prone", std::nullopt}}), ten_reports_after(0)},
      {"one session, bruising gone by day 7", patient_with({}), on(rating_scale::real_0_10, {{days(7), "bruising", 0.0, {}}})},
      {"four weekly, ten reports after", patient_with({{"bruise_prone", std::nullopt}}, weekly(4)), ten_reports_after(21)},
      {"six weekly, three bruising reports",
       patient_with({{"bruise_prone", std::nullopt}}, weekly(6)),
       on(rating_scale::real_0_10, {{days(36), "bruising", 3.0, {}}, {days(38), "bruising", 2.0, {}}, {days(41), "bruising", 1.0, {}}})},
      {"aspirin stopped, reports between sessions",
       patient_with({{"bruise_prone", std::nullopt}, {"aspirin", testing::day(2026, 11, 29)}}, {0, 7, 21}),
       on(rating_scale::real_0_10,
          {{days(2), "bruising", 3.0, {}}, {days(9), "bruising", 4.0, {}}, {days(23), "redness", 2.0, {}}, {days(24), "bruising", 0.3, {}}})},
      {"ten weekly, ten reports after", patient_with({{"bruise_prone", std::nullopt}}, weekly(10)), ten_reports_after(63)},
      {"one session, a whole-number diary", patient_with({{"bruise_prone", std::nullopt}}), whole_number_diary(0, false)},
      {"one session, a whole-number diary with nothing else at the end", patient_with({}), whole_number_diary(0, true)},
      {"three sessions two weeks apart, a whole-number diary after the last", patient_with({}, {0, 14, 28}), whole_number_diary(28, true)},
      {"grades and categories, with a report at the session itself",
       patient_with({}),
       {{days(0.05), "redness", 3, {}, rating_scale::whole_0_10}, {days(0.1), "pain", 2, {}, rating_scale::grade_0_4},
        {days(2), "redness", 1, {}, rating_scale::grade_0_4}, {days(3), "bruising", 2, {}, rating_scale::category},
        {days(6), "bruising", 1, {}, rating_scale::category, true}}},
  };
}

void expect_close_days(days a, days b, const std::string& what) {
  EXPECT_NEAR(a.count(), b.count(), std::max(0.02, 0.003 * b.count())) << what;
}

class AgainstExactPosterior : public ::testing::TestWithParam<std::size_t> {};

TEST_P(AgainstExactPosterior, HealingOccurrenceAndResolutionAgree) {
  const auto d = diaries()[GetParam()];
  SCOPED_TRACE(d.name);
  const auto course = personalise(default_model(), d.patient);
  const auto fast = assess(default_model(), course, d.reports);
  const auto exact = testing::exact::updated_healing(default_model(), course, d.reports);
  EXPECT_NEAR(fast.healing.mean_z, exact.healing.mean_z, 1e-3);
  EXPECT_NEAR(fast.healing.sd_z, exact.healing.sd_z, 1e-3);
  EXPECT_NEAR(fast.healing.percentile.value(), exact.healing.percentile.value(), 1e-3);
  ASSERT_EQ(fast.updated.size(), exact.updated.size());
  for (std::size_t e = 0; e < fast.updated.size(); ++e) {
    const auto& a = fast.updated[e];
    const auto& b = exact.updated[e];
    EXPECT_NEAR(a.occurs.value(), b.occurs.value(), 1e-3) << a.id;
    EXPECT_NEAR(a.prior_occurs.value(), b.prior_occurs.value(), 1e-12) << a.id;
    expect_close_days(a.prior.p05, b.prior.p05, a.id + " prior p05");
    expect_close_days(a.prior.p50, b.prior.p50, a.id + " prior p50");
    expect_close_days(a.prior.p95, b.prior.p95, a.id + " prior p95");
    expect_close_days(a.updated.p05, b.updated.p05, a.id + " updated p05");
    expect_close_days(a.updated.p50, b.updated.p50, a.id + " updated p50");
    expect_close_days(a.updated.p95, b.updated.p95, a.id + " updated p95");
  }
}

INSTANTIATE_TEST_SUITE_P(Diaries, AgainstExactPosterior, ::testing::Range<std::size_t>(0, 10));

TEST(HealingPosterior, CoursesTheEnumerationRefusedAreAssessed) {
  // 14 and 52 weekly sessions with reports after the last: more than 12 sessions' bruising is
  // still live at the first report, which the enumeration refused.
  for (int sessions : {14, 52}) {
    const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, weekly(sessions)));
    const double last = 7.0 * (sessions - 1);
    const auto reports = ten_reports_after(last);
    EXPECT_THROW(testing::exact::updated_healing(default_model(), course, reports), input_error);
    const auto a = assess(default_model(), course, reports);
    ASSERT_EQ(a.updated.size(), 3u);
    for (const auto& u : a.updated) {
      EXPECT_LE(u.updated.p05, u.updated.p50) << sessions << " " << u.id;
      EXPECT_LE(u.updated.p50, u.updated.p95) << sessions << " " << u.id;
      EXPECT_GT(u.updated.p50.count(), last) << sessions << " " << u.id;  // still there after the last session
    }
    // Reports of a symptom fading over ten days after the last session: a slower healer than most.
    EXPECT_GT(a.healing.percentile.value(), 0.5) << sessions;
  }
}

TEST(HealingPosterior, ReportsSpanningTooManySessionsAreNamedUpFront) {
  // A report after the first of sixteen daily sessions and one after the last: fifteen sessions
  // start after the first report and would all be enumerated.
  std::vector<int> daily;
  for (int j = 0; j < 16; ++j) daily.push_back(j);
  const auto course = personalise(default_model(), patient_with({}, daily));
  const std::vector<symptom_report> reports{{days(0.5), "bruising", 2, {}}, {days(16), "bruising", 3, {}}};
  const auto problems = check_reports(default_model(), course, reports);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "reports");
  EXPECT_NE(problems[0].message.find("at most 14 can be assessed together"), std::string::npos) << problems[0].message;
  EXPECT_THROW((void)assess(default_model(), course, reports), input_error);
}

}  // namespace
}  // namespace aftermath

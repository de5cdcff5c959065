// Assessment behaviour on constructed reports: statuses, every red-flag sign, the triage
// order, broken reports, determinism, and an update that has nothing to learn from.
#include "support/assessment_fixture.hpp"
#include "support/profiles.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace aftermath {
namespace {

using testing::patient_with;

const model& m() { return default_model(); }

using fixture = testing::assessment_fixture;
using testing::fired;

/// A report on the real 0–10 scale: these tests place exact numbers on the band.
symptom_report report(double day, std::string symptom, double severity, std::vector<std::string> flags = {}) {
  return {days(day), std::move(symptom), severity, std::move(flags), rating_scale::real_0_10};
}

TEST(Assessment, EveryReportIsPlacedOnItsBandInInputOrder) {
  const fixture f;
  const auto a = f.run({report(2.0, "bruising", 2.0), report(1.0, "redness", 1.5), report(3.0, "dryness", 1.0)});
  ASSERT_EQ(a.reports.size(), 3u);
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(a.reports[r].report, r);
    const auto& band = a.reports[r].expected;
    EXPECT_LE(band.p05, band.p50);
    EXPECT_LE(band.p50, band.p95);
    EXPECT_GE(a.reports[r].percentile.value(), 0.0);
    EXPECT_LE(a.reports[r].percentile.value(), 1.0);
  }
  EXPECT_EQ(a.reports[1].symptom, "redness");
  const auto& bruising = testing::effect_named(f.course, "bruising");
  EXPECT_NEAR(a.reports[0].expected.p50.value(), severity_band_at(bruising, days(2.0)).p50.value(), 1e-12);
  EXPECT_NEAR(a.reports[0].percentile.value(), severity_percentile(bruising, days(2.0), 2.0).value(), 1e-12);
}

TEST(Assessment, StatusesFollowTheBandAndTheReportsBefore) {
  const fixture f;
  const auto& bruising = testing::effect_named(f.course, "bruising");
  const auto band = severity_band_at(bruising, days(2.0));
  const auto a = f.run({report(2.0, "bruising", band.p50.value()), report(2.0, "redness", 0.0),
                        report(2.0, "swelling", 9.0), report(4.0, "bruising", 0.2)});
  EXPECT_EQ(a.reports[0].status, report_status::as_expected);
  EXPECT_EQ(a.reports[1].status, report_status::resolved);
  EXPECT_EQ(a.reports[2].status, report_status::slower_than_expected);
  EXPECT_EQ(a.reports[3].status, report_status::resolved);

  const auto low = severity_band_at(bruising, days(1.0));
  const auto better = f.run({report(1.0, "bruising", 0.6 * low.p05.value())});
  if (0.6 * low.p05.value() >= f.course.resolved_threshold.value()) {
    EXPECT_EQ(better.reports[0].status, report_status::better_than_expected);
  }
}

TEST(Assessment, RisingWhileExpectedToFallIsWorseningAndRaisesContactProvider) {
  const fixture f;
  const auto a = f.run({report(3.0, "bruising", 2.0), report(6.0, "bruising", 4.5)});
  EXPECT_EQ(a.reports[0].status, report_status::as_expected);
  EXPECT_EQ(a.reports[1].status, report_status::worsening);
  EXPECT_TRUE(fired(a, "worsening"));
  EXPECT_GE(a.triage, triage_level::contact_provider);
  // A rise smaller than the clinically important change is not worsening.
  EXPECT_NE(f.run({report(3.0, "bruising", 2.0), report(6.0, "bruising", 3.0)}).reports[1].status, report_status::worsening);
}

TEST(Assessment, ASymptomAppearingLongAfterItShouldIsUnexpected) {
  const fixture f;
  const auto a = f.run({report(12.0, "redness", 3.0)});
  EXPECT_EQ(a.reports[0].status, report_status::unexpected);
  EXPECT_TRUE(fired(a, "unexpected_return"));
  EXPECT_GE(a.triage, triage_level::contact_provider);
}

TEST(Assessment, AnOrdinaryReportIsSelfCareWithTheModelsAdvice) {
  const fixture f;
  const auto a = f.run({report(1.0, "redness", 1.5), report(1.0, "swelling", 1.0)});
  EXPECT_EQ(a.triage, triage_level::self_care);
  EXPECT_TRUE(a.reasons.empty());
  EXPECT_EQ(a.advice, m().triage_advice(triage_level::self_care));
}

TEST(Assessment, EveryFlagRaisesAtLeastItsRulesLevelInEveryCase) {
  const fixture f;
  for (const auto& flag : m().report_flags) {
    triage_level least = triage_level::self_care;  // the level of rules that need nothing but the flag
    for (const auto& rule : m().red_flags) {
      const auto& w = rule.when;
      const bool only_flag = w.symptoms_any.empty() && !w.min_severity && !w.from_day && !w.to_day && !w.present_after_day &&
                             w.statuses_any.empty() && w.together.empty();
      if (only_flag && std::find(w.flags_any.begin(), w.flags_any.end(), flag.id) != w.flags_any.end())
        least = std::max(least, rule.level);
    }
    EXPECT_GE(least, triage_level::contact_provider) << flag.id << " raises no alert on its own";
    for (const auto& effect : f.course.effects)
      for (double day : {0.1, 1.0, 3.0, 8.0, 20.0, 60.0, 200.0})
        for (double severity : {0.0, 2.0, 9.0}) {
          const auto a = f.run({report(day, effect.id, severity, {flag.id})});
          EXPECT_GE(a.triage, least) << flag.id << " " << effect.id << " day " << day;
        }
  }
}

TEST(Assessment, RedFlagSignsRaiseTheirLevels) {
  const fixture f;
  const auto level = [&](std::vector<symptom_report> reports) { return f.run(reports).triage; };
  EXPECT_EQ(level({report(0.2, "swelling", 3, {"difficulty_breathing"})}), triage_level::emergency);
  EXPECT_EQ(level({report(0.2, "swelling", 3, {"throat_swelling"})}), triage_level::emergency);
  EXPECT_EQ(level({report(0.1, "pain", 2, {"vision_change"})}), triage_level::emergency);
  EXPECT_EQ(level({report(0.1, "redness", 2, {"skin_blanching"})}), triage_level::emergency);
  EXPECT_GE(level({report(1.0, "itching", 2, {"widespread_hives"})}), triage_level::urgent);
  EXPECT_GE(level({report(0.5, "itching", 5), report(0.5, "swelling", 5)}), triage_level::urgent);
  EXPECT_GE(level({report(0.5, "swelling", 8)}), triage_level::urgent);
  EXPECT_GE(level({report(0.1, "pain", 8)}), triage_level::urgent);
  EXPECT_GE(level({report(0.1, "pain", 3, {"severe_pain"})}), triage_level::urgent);
  for (const char* sign : {"fever", "pus", "warmth", "spreading_redness"})
    EXPECT_GE(level({report(3.0, "redness", 2, {sign})}), triage_level::urgent) << sign;
  EXPECT_GE(level({report(30.0, "swelling", 1, {"new_lump"})}), triage_level::contact_provider);
  EXPECT_TRUE(fired(f.run({report(30.0, "swelling", 1, {"new_lump"})}), "late_lump"));
  // Lasting beyond two weeks, without exception (bruising included).
  const auto late = f.run({report(15.0, "bruising", 1.0)});
  EXPECT_TRUE(fired(late, "present_after_two_weeks"));
  EXPECT_GE(late.triage, triage_level::contact_provider);
}

TEST(Assessment, LastingBeyondAWeekIsExcusedOnlyWithinTheBand) {
  const fixture f;
  const auto& bruising = testing::effect_named(f.course, "bruising");
  const auto band = severity_band_at(bruising, days(8.0));
  const auto within = f.run({report(8.0, "bruising", std::max(1.0, 0.9 * band.p95.value()))});
  EXPECT_FALSE(fired(within, "present_after_one_week"));
  const auto above = f.run({report(8.0, "bruising", band.p95.value() + 0.5)});
  EXPECT_TRUE(fired(above, "present_after_one_week"));
}

TEST(Assessment, TheMostUrgentReasonComesFirstAndSetsTheLevel) {
  const fixture f;
  const auto a = f.run({report(3.0, "redness", 2, {"fever"}), report(0.5, "swelling", 2, {"throat_swelling"}),
                        report(15.0, "bruising", 1.0)});
  ASSERT_GE(a.reasons.size(), 3u);
  EXPECT_EQ(a.triage, triage_level::emergency);
  EXPECT_EQ(a.reasons.front().rule, "airway");
  for (std::size_t i = 1; i < a.reasons.size(); ++i) EXPECT_GE(a.reasons[i - 1].level, a.reasons[i].level);
  for (const auto& reason : a.reasons) {
    EXPECT_FALSE(reason.reports.empty());
    EXPECT_TRUE(!reason.evidence.empty() || reason.convention) << reason.rule;
    for (const auto& key : reason.evidence) EXPECT_NE(m().find_evidence(key), nullptr) << key;
  }
}

TEST(Assessment, AReportWithNothingToSayLeavesThePriorUnchanged) {
  const fixture f;
  // At the moment of the session nothing has developed yet: every curve is 0, so a 0 informs nothing.
  const auto a = f.run({report(0.0, "bruising", 0.0)});
  ASSERT_EQ(a.updated.size(), 1u);
  const auto& u = a.updated.front();
  EXPECT_NEAR(u.occurs.value(), u.prior_occurs.value(), 1e-9);
  EXPECT_NEAR(u.updated.p50.count(), u.prior.p50.count(), 2e-3 * u.prior.p50.count());
  EXPECT_NEAR(u.updated.p95.count(), u.prior.p95.count(), 2e-3 * u.prior.p95.count());
  EXPECT_NEAR(u.updated.p05.count(), u.prior.p05.count(), 2e-3 * u.prior.p05.count());
  EXPECT_NEAR(a.healing.mean_z, 0.0, 1e-9);
}

TEST(Assessment, ReportsMoveTheUpdateTheRightWay) {
  const fixture f;
  const auto slow = f.run({report(2.0, "bruising", 4.0), report(6.0, "bruising", 3.5), report(9.0, "bruising", 3.0)});
  const auto fast = f.run({report(2.0, "bruising", 2.0), report(4.0, "bruising", 0.6)});
  const auto& s = slow.updated.front();
  EXPECT_GT(s.updated.p50, s.prior.p50);
  EXPECT_GT(slow.healing.mean_z, 0.5);
  EXPECT_LT(fast.updated.front().updated.p50, fast.updated.front().prior.p50);
  EXPECT_LT(fast.healing.mean_z, 0.0);
  const auto none = f.run({report(2.0, "bruising", 0.0), report(4.0, "bruising", 0.0)});
  EXPECT_LT(none.updated.front().occurs.value(), 0.2);  // reported none twice: probably never had it
  for (const auto& e : {s, fast.updated.front()}) {
    EXPECT_LE(e.updated.p05, e.updated.p50);
    EXPECT_LE(e.updated.p50, e.updated.p95);
  }
}

TEST(Assessment, TheSameInputGivesTheSameOutput) {
  const fixture f;
  const std::vector<symptom_report> reports{report(1.0, "bruising", 3), report(3.0, "bruising", 2.5), report(2.0, "redness", 1)};
  EXPECT_EQ(to_json(f.run(reports), m(), f.person), to_json(f.run(reports), m(), f.person));
}

TEST(Assessment, BadReportsAreAllNamed) {
  const fixture f;
  try {
    f.run({report(1.0, "sneezing", 3), report(-1.0, "redness", 11), report(2.0, "bruising", 2, {"hiccups"})});
    FAIL() << "bad reports were accepted";
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("reports[0].symptom: 'sneezing' is not a symptom of this model (known: redness, swelling, bruising"),
              std::string::npos) << what;
    EXPECT_NE(what.find("reports[1].severity: 11 is not a rating on the scale real_0_10 (a number from 0 to 10)"), std::string::npos) << what;
    EXPECT_NE(what.find("reports[1].day: -1 is before the first session"), std::string::npos) << what;
    EXPECT_NE(what.find("reports[2].flags[0]: 'hiccups' is not a flag (known: difficulty_breathing"), std::string::npos) << what;
  }
  EXPECT_THROW(f.run({}), input_error);
  EXPECT_THROW(f.run({report(1.0, "redness", std::nan(""))}), input_error);
}

/// Reports as JSON: the reader names every broken report and drops none.
TEST(ReportsJson, DatesDaysAndTimesBecomeDaysSinceTheFirstSession) {
  const fixture f;
  const auto reports = parse_reports(
      R"({"reports": [{"date": "2026-12-03", "symptom": "bruising", "severity": 5},
                      {"day": 2.5, "symptom": "redness", "severity": 2, "flags": ["fever"]},
                      {"date": "2026-12-02", "time": "06:00", "symptom": "pain", "severity": 1}]})",
      m(), f.person);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_DOUBLE_EQ(reports[0].day.count(), 2.5);  // midday
  EXPECT_DOUBLE_EQ(reports[1].day.count(), 2.5);
  EXPECT_EQ(reports[1].flags, std::vector<std::string>{"fever"});
  EXPECT_DOUBLE_EQ(reports[2].day.count(), 1.25);
}

TEST(ReportsJson, BrokenReportsAreAllNamed) {
  const fixture f;
  const auto problems_of = [&](const std::string& text) {
    try {
      (void)parse_reports(text, m(), f.person);
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const auto what = problems_of(R"({"reports": [
      {"date": "2026-11-30", "symptom": "bruising", "severity": 5},
      {"date": "2026-02-30", "symptom": "bruising", "severity": 5},
      {"symptom": "redness", "severity": 2},
      {"date": "2026-12-03", "day": 2, "symptom": "redness", "severity": 2},
      {"day": 2, "symptom": "redness", "severity": "bad"},
      {"day": 2, "symptom": "redness", "severity": 2, "flags": "fever"},
      {"day": 2, "symptom": "redness", "severity": 2, "colour": "red"},
      17]})");
  for (const char* expected : {"reports[0].date: 2026-11-30 is before the first session (2026-12-01)",
                               "reports[1].date: 2026-02-30 is not a date", "reports[2]: needs a date",
                               "reports[3]: gives both date and day", "reports[4].severity:", "reports[5].flags:",
                               "reports[6].colour:", "reports[7]:"})
    EXPECT_NE(what.find(expected), std::string::npos) << expected << "\n" << what;
  EXPECT_NE(problems_of(R"({"reports": [{"day": 1, "symptom": "acne", "severity": 2}]})").find("'acne' is not a symptom"),
            std::string::npos);
  EXPECT_NE(problems_of(R"({"reports": [{"day": 1, "symptom": "redness", "severity": 12}]})").find("12 is not a rating on the scale whole_0_10 (a whole number from 0 to 10"),
            std::string::npos);
  EXPECT_NE(problems_of(R"({"reports": [{"day": 1, "symptom": "redness", "severity": 2, "flags": ["Fever!"]}]})")
                .find("'Fever!' is not a flag"),
            std::string::npos);
  EXPECT_NE(problems_of(R"({"reports": []})").find("no reports"), std::string::npos);
  EXPECT_NE(problems_of(R"({"reports": [{"day": 1, "symptom": "redness", "severity": 2}])").find("malformed JSON"), std::string::npos);
  EXPECT_NE(problems_of(R"({"reprots": []})").find("reprots"), std::string::npos);
}

TEST(ReportsJson, EachProblemCarriesItsCodeAndSource) {
  const fixture f;
  std::vector<input_problem> problems;
  try {
    (void)parse_reports(R"({"reports": [
        {"date": "2026-11-30", "symptom": "bruising", "severity": 5},
        {"date": "2026-12-03", "day": 2, "symptom": "redness", "severity": 2},
        {"day": 1, "symptom": "acne", "severity": 2},
        {"day": 1, "symptom": "redness", "severity": 12, "flags": ["Fever!"]},
        {"day": "two", "symptom": "redness", "severity": 2}]})",
                        m(), f.person, "r.json");
  } catch (const input_error& error) {
    problems = error.problems();
  }
  const auto code_of = [&](const std::string& path) {
    const auto it = std::find_if(problems.begin(), problems.end(), [&](const input_problem& p) { return p.path == path; });
    EXPECT_NE(it, problems.end()) << path;
    return it == problems.end() ? problem_code::malformed : it->code;
  };
  EXPECT_EQ(code_of("reports[0].date"), problem_code::conflict);  // before the first session
  EXPECT_EQ(code_of("reports[1]"), problem_code::conflict);       // both date and day
  EXPECT_EQ(code_of("reports[2].symptom"), problem_code::unknown_id);
  EXPECT_EQ(code_of("reports[3].severity"), problem_code::out_of_range);
  EXPECT_EQ(code_of("reports[3].flags[0]"), problem_code::unknown_id);
  EXPECT_EQ(code_of("reports[4].day"), problem_code::malformed);
  for (const auto& problem : problems) EXPECT_EQ(problem.source, "r.json") << problem.to_string();
}

TEST(ModelRules, BrokenRuleConditionsAreNamed) {
  auto text = to_json(m());
  const auto replace = [](std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  text = replace(text, "\"difficulty_breathing\",\n          \"throat_swelling\"", "\"difficulty_breathing\",\n          \"sneezing\"");
  text = replace(text, "\"statuses_any\": [\n          \"worsening\"", "\"statuses_any\": [\n          \"grumpy\"");
  try {
    (void)parse_model(text);
    FAIL() << "accepted";
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("red_flags[0].when.flags_any[1]: 'sneezing' is not in report_flags"), std::string::npos) << what;
    EXPECT_NE(what.find("'grumpy' is not a status"), std::string::npos) << what;
  }
}

TEST(ModelRules, BrokenAssessmentSettingsAndConditionsAreNamed) {
  auto doc = nlohmann::json::parse(to_json(m()));
  doc["assessment"]["report_noise_sd"]["value"] = 5;
  doc["assessment"].erase("worsening_rise");
  doc["assessment"]["default_scale"] = "stars";
  doc["assessment"]["severe_from"]["value"] = 4.0;
  doc["assessment"]["immediate_reaction_hours"]["value"] = 30;
  doc["red_flags"][0]["when"]["min_reports"] = 1.5;
  doc["red_flags"][1]["when"]["together"] = {"itching"};
  doc["red_flags"][2]["when"] = {{"unless_expected", true}};
  try {
    (void)parse_model(doc.dump());
    FAIL() << "accepted";
  } catch (const input_error& e) {
    const std::string what = e.what();
    for (const char* expected : {"assessment.report_noise_sd.value: is 5, but must be in [0.01, 2]",
                                 "assessment.worsening_rise: is missing", "assessment.default_scale: 'stars' is not a rating scale",
                                 "assessment.severe_from.value: must be above assessment.moderate_from",
                                 "assessment.immediate_reaction_hours.value: is 30, but must be in [0, 24]",
                                 "red_flags[0].when.min_reports: must be a whole number",
                                 "red_flags[1].when.together: needs min_severity",
                                 "red_flags[2].when: has no condition"})
      EXPECT_NE(what.find(expected), std::string::npos) << expected << "\n" << what;
  }
}

}  // namespace
}  // namespace aftermath

#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

#include <gtest/gtest.h>

#include <algorithm>

#include "support/profiles.hpp"

namespace aftermath {
namespace {

using testing::effect_named;
using testing::patient_with;

std::string problems_of(const std::string& text) {
  try {
    (void)parse_profile(text, default_model(), "p.json");
    return {};
  } catch (const input_error& error) {
    return error.what();
  }
}

TEST(ProfileJson, ReadsTheContractExample) {
  const auto p = parse_profile(R"({
    "patient": "anon-17", "treatment": "mesotherapy_face",
    "risk_factors": ["bruise_prone", "sensitive_skin", {"id": "aspirin", "stopped_on": "2026-11-24"}],
    "sessions": ["2026-12-01", {"date": "2026-12-15", "time": "14:30"}]})",
                               default_model());
  EXPECT_EQ(p.patient, "anon-17");
  ASSERT_EQ(p.risk_factors.size(), 3u);
  EXPECT_EQ(*p.risk_factors[2].stopped_on, date(2026, 11, 24));
  ASSERT_EQ(p.sessions.size(), 2u);
  EXPECT_EQ(*p.sessions[1].minute_of_day, 14 * 60 + 30);
}

TEST(ProfileJson, MalformedJson) {
  EXPECT_NE(problems_of("{\"sessions\": [\"2026-12-01\"").find("p.json: sessions[1]: malformed JSON at line 1"), std::string::npos);
}

TEST(ProfileJson, ImpossibleAndMalformedDates) {
  const auto problems = problems_of(R"({"sessions": ["2026-02-30", "2026-13-01", "1/12/2026", 20261201, {"date": "2026-12-01", "time": "25:00"}]})");
  EXPECT_NE(problems.find("sessions[0]: 2026-02-30 is not a date"), std::string::npos) << problems;
  EXPECT_NE(problems.find("sessions[1]: 2026-13-01 is not a date"), std::string::npos) << problems;
  EXPECT_NE(problems.find("sessions[2]: '1/12/2026' is not in YYYY-MM-DD form"), std::string::npos) << problems;
  EXPECT_NE(problems.find("sessions[3]: is a number"), std::string::npos) << problems;
  EXPECT_NE(problems.find("sessions[4].time: 25:00 is not a time of day"), std::string::npos) << problems;
}

TEST(ProfileJson, DuplicateKeysAreRejectedNotSilentlyOverwritten) {
  const auto problems = problems_of(R"({"sessions": ["2026-12-01"], "sessions": ["2026-12-05"]})");
  EXPECT_NE(problems.find("p.json: sessions: appears twice in one object"), std::string::npos) << problems;
}

TEST(ProfileJson, DatesOutsideTheSupportedYears) {
  const auto problems = problems_of(R"({"sessions": ["1850-01-01", "9999-12-01"]})");
  EXPECT_NE(problems.find("sessions[0]: 1850-01-01 is outside the supported years 1900-2199"), std::string::npos) << problems;
  EXPECT_NE(problems.find("sessions[1]: 9999-12-01 is outside the supported years"), std::string::npos) << problems;
}

TEST(ProfileJson, ASessionWithoutATimeCountsFromTheStartOfItsDay) {
  const auto p = parse_profile(R"({"sessions": ["2026-12-01", {"date": "2026-12-02", "time": "08:00"}]})", default_model());
  EXPECT_NEAR(days_since_first(p, p.sessions[1]).count(), 1.0 + 8.0 / 24.0, 1e-12);
}

TEST(ProfileJson, UnknownRiskFactorListsTheKnownOnes) {
  const auto problems = problems_of(R"({"risk_factors": ["bruise_prone", "vampire"], "sessions": ["2026-12-01"]})");
  EXPECT_NE(problems.find("risk_factors[1]: unknown risk factor 'vampire' (known: "), std::string::npos) << problems;
  EXPECT_NE(problems.find("aspirin"), std::string::npos) << problems;
}

TEST(ProfileJson, UnknownTreatmentMisplacedModifierAndBadStopDate) {
  const auto problems = problems_of(R"({"treatment": "botox",
    "risk_factors": ["topical_anaesthetic", {"id": "bruise_prone", "stopped_on": "2026-11-20"}, {"id": "aspirin", "stopped_on": "2026-11-31"}],
    "procedure": ["aspirin"], "sessions": ["2026-12-01"]})");
  EXPECT_NE(problems.find("treatment: unknown treatment 'botox' (known: mesotherapy_face"), std::string::npos) << problems;
  EXPECT_NE(problems.find("risk_factors[0]: 'topical_anaesthetic' is a procedure modifier; list it under procedure"), std::string::npos) << problems;
  EXPECT_NE(problems.find("risk_factors[1].stopped_on: 'bruise_prone' has no washout"), std::string::npos) << problems;
  EXPECT_NE(problems.find("risk_factors[2].stopped_on: 2026-11-31 is not a date"), std::string::npos) << problems;
  EXPECT_NE(problems.find("procedure[0]: 'aspirin' is a patient modifier; list it under risk_factors"), std::string::npos) << problems;
}

TEST(ProfileJson, SessionsMissingOrOutOfOrder) {
  EXPECT_NE(problems_of(R"({"patient": "x"})").find("sessions: is missing"), std::string::npos);
  EXPECT_NE(problems_of(R"({"sessions": []})").find("sessions: at least one session is needed"), std::string::npos);
  EXPECT_NE(problems_of(R"({"sessions": ["2026-12-15", "2026-12-01"]})").find("sessions[1]: 2026-12-01 is not after"), std::string::npos);
}

TEST(ProfileJson, UnknownFieldsAndWrongTypes) {
  const auto problems = problems_of(R"({"risk_factor": ["aspirin"], "patient": 17, "sessions": ["2026-12-01"]})");
  EXPECT_NE(problems.find("risk_factor: unknown field"), std::string::npos) << problems;
  EXPECT_NE(problems.find("patient: is a number, but must be a string"), std::string::npos) << problems;
}

/// The problems parse_profile reports for `text` (read as "p.json"), as values.
std::vector<input_problem> problem_list(const std::string& text) {
  try {
    (void)parse_profile(text, default_model(), "p.json");
  } catch (const input_error& error) {
    return error.problems();
  }
  return {};
}

/// The code of the problem at `path`, which must be there once.
problem_code code_at(const std::vector<input_problem>& problems, const std::string& path) {
  const auto count = std::count_if(problems.begin(), problems.end(), [&](const input_problem& p) { return p.path == path; });
  EXPECT_EQ(count, 1) << path;
  const auto it = std::find_if(problems.begin(), problems.end(), [&](const input_problem& p) { return p.path == path; });
  return it == problems.end() ? problem_code::malformed : it->code;
}

TEST(ProfileJson, ProblemsNameTheirSourceApartFromThePath) {
  const auto problems = problem_list(R"({"risk_factors": ["vampire"], "sessions": ["2026-12-01"]})");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].source, "p.json");
  EXPECT_EQ(problems[0].path, "risk_factors[0]");
  EXPECT_EQ(problems[0].to_string(), "p.json: risk_factors[0]: " + problems[0].message);

  const auto malformed = problem_list("{\"sessions\": [");
  ASSERT_EQ(malformed.size(), 1u);
  EXPECT_EQ(malformed[0].source, "p.json");
  EXPECT_EQ(malformed[0].path, "sessions[0]");  // where the document broke off
  EXPECT_EQ(malformed[0].code, problem_code::malformed);
  EXPECT_EQ(malformed[0].to_string(), "p.json: sessions[0]: " + malformed[0].message);
}

TEST(ProfileJson, EachProblemCarriesItsCode) {
  const auto ids = problem_list(R"({"treatment": "botox", "risk_factors": ["vampire", "bruise_prone", "bruise_prone", "topical_anaesthetic",
    {"id": "bruise_prone", "stopped_on": "2026-11-20"}], "sessions": ["2026-12-15", "2026-12-01", "1850-01-01"]})");
  EXPECT_EQ(code_at(ids, "treatment"), problem_code::unknown_id);
  EXPECT_EQ(code_at(ids, "risk_factors[0]"), problem_code::unknown_id);
  EXPECT_EQ(code_at(ids, "risk_factors[2]"), problem_code::conflict);  // listed twice
  EXPECT_EQ(code_at(ids, "risk_factors[3]"), problem_code::conflict);  // a procedure modifier
  EXPECT_EQ(code_at(ids, "risk_factors[4].stopped_on"), problem_code::conflict);  // no washout
  EXPECT_EQ(code_at(ids, "sessions[1]"), problem_code::conflict);      // out of order
  const auto old = std::count_if(ids.begin(), ids.end(), [](const input_problem& p) {
    return p.path == "sessions[2]" && p.code == problem_code::out_of_range;  // before 1900
  });
  EXPECT_EQ(old, 1);

  const auto types = problem_list(R"({"patient": 17, "colour": "red", "sessions": ["2026-02-30", {"date": "2026-12-01", "time": "7pm"}]})");
  for (const char* path : {"patient", "colour", "sessions[0]", "sessions[1].time"}) EXPECT_EQ(code_at(types, path), problem_code::malformed) << path;
  for (const auto& problem : types) EXPECT_EQ(problem.source, "p.json") << problem.to_string();
}

TEST(InputProblem, CodesHaveNames) {
  EXPECT_EQ(to_string(problem_code::unknown_id), "unknown_id");
  EXPECT_EQ(to_string(problem_code::out_of_range), "out_of_range");
  EXPECT_EQ(to_string(problem_code::malformed), "malformed");
  EXPECT_EQ(to_string(problem_code::conflict), "conflict");
  EXPECT_EQ((input_problem{"", "no reports", problem_code::malformed, ""}).to_string(), "no reports");
  EXPECT_EQ((input_problem{"n", "is 0", problem_code::out_of_range, ""}).to_string(), "n: is 0");
  EXPECT_EQ(input_error("sessions", "at least one session is needed").problems()[0].code, problem_code::malformed);
}

TEST(Personalise, AspirinFadesWithPlateletTurnover) {
  const auto& m = default_model();
  const auto none = personalise(m, patient_with({}));
  const auto at = [&](int stopped_days_before) {
    const auto course = personalise(m, patient_with({{"aspirin", testing::day(2026, 12, 1) - boost::gregorian::days(stopped_days_before)}}));
    return effect_named(course, "bruising").sessions[0].occurrence.value();
  };
  const double base = effect_named(none, "bruising").sessions[0].occurrence.value();
  const double taking = effect_named(personalise(m, patient_with({{"aspirin", std::nullopt}})), "bruising").sessions[0].occurrence.value();
  EXPECT_GT(taking, base);
  EXPECT_NEAR(at(10), base, 1e-12);              // platelets replaced: no effect left
  EXPECT_GT(at(2) - base, 0.7 * (taking - base));  // most of it left two days after stopping
  EXPECT_LT(at(2), taking);
}

TEST(Personalise, AKindReplacesItsBroaderModifier) {
  const auto& m = default_model();
  const auto kind_only = personalise(m, patient_with({{"aspirin", std::nullopt}}));
  const auto both = personalise(m, patient_with({{"blood_thinners", std::nullopt}, {"aspirin", std::nullopt}}));
  EXPECT_EQ(effect_named(kind_only, "bruising").sessions[0].occurrence.value(),
            effect_named(both, "bruising").sessions[0].occurrence.value());
}

/// The default model with `naproxen`, a kind of `nsaid` (itself a kind of `blood_thinners`), whose
/// odds ratio on bruising differs from the NSAID figure so that the tests can tell which acted.
model with_a_kind_of_a_kind() {
  model m = default_model();
  modifier_spec naproxen = *m.find_modifier("nsaid");
  naproxen.id = "naproxen";
  naproxen.kind_of = "nsaid";
  naproxen.targets[0].odds_ratio->value = 3.0;
  m.modifiers.push_back(naproxen);
  return m;
}

TEST(Personalise, AKindReplacesEveryModifierUpItsChain) {
  const model m = with_a_kind_of_a_kind();
  const auto bruising = [&](std::vector<risk_factor> factors) {
    return effect_named(personalise(m, patient_with(std::move(factors))), "bruising").sessions[0].occurrence.value();
  };
  const double kind_only = bruising({{"naproxen", std::nullopt}});
  EXPECT_NE(kind_only, bruising({{"nsaid", std::nullopt}}));
  EXPECT_EQ(bruising({{"nsaid", std::nullopt}, {"naproxen", std::nullopt}}), kind_only);
  EXPECT_EQ(bruising({{"blood_thinners", std::nullopt}, {"naproxen", std::nullopt}}), kind_only);  // two steps up
  EXPECT_EQ(bruising({{"naproxen", std::nullopt}, {"nsaid", std::nullopt}, {"blood_thinners", std::nullopt}}), kind_only);
  // A kind supersedes only what it specialises: aspirin beside naproxen still counts.
  EXPECT_GT(bruising({{"aspirin", std::nullopt}, {"naproxen", std::nullopt}}), kind_only);
}

TEST(Model, IsKindOfFollowsTheChainAndStopsWhereItLoops) {
  model m = with_a_kind_of_a_kind();
  EXPECT_TRUE(m.is_kind_of("naproxen", "nsaid"));
  EXPECT_TRUE(m.is_kind_of("naproxen", "blood_thinners"));
  EXPECT_FALSE(m.is_kind_of("naproxen", "naproxen"));
  EXPECT_FALSE(m.is_kind_of("nsaid", "naproxen"));
  EXPECT_FALSE(m.is_kind_of("naproxen", "aspirin"));
  EXPECT_FALSE(m.is_kind_of("vampire", "nsaid"));
  // A model built in code may loop; the walk ends all the same.
  std::find_if(m.modifiers.begin(), m.modifiers.end(), [](const auto& x) { return x.id == "blood_thinners"; })->kind_of = "naproxen";
  EXPECT_TRUE(m.is_kind_of("nsaid", "naproxen"));
  EXPECT_FALSE(m.is_kind_of("nsaid", "bruise_prone"));
}

TEST(Personalise, SessionTimesGiveFractionalDays) {
  profile p = patient_with({}, {0, 14});
  p.sessions[0].minute_of_day = 9 * 60;
  p.sessions[1].minute_of_day = 15 * 60;
  EXPECT_NEAR(days_since_first(p, p.sessions[1]).count(), 14.25, 1e-12);
  EXPECT_EQ(date_after_first(p, days(0.7)), date(2026, 12, 2));  // 09:00 + 16.8 h is the next day
  EXPECT_EQ(date_after_first(p, days(0.5)), date(2026, 12, 1));
}

TEST(Personalise, ThrowsInputErrorForUnknownIds) {
  EXPECT_THROW((void)personalise(default_model(), patient_with({{"werewolf", std::nullopt}})), input_error);
}

}  // namespace
}  // namespace aftermath

// A population's medicine paused before each session (population_factor's
// paused_days_before_each_session): paused 0 days it is taken, paused for its whole washout it
// is not there; in between every session meets max(0, 1 − d/washout) of it, where a stop before
// the first session leaves that to the first alone. The timing is written back wherever the
// population is, and bad timings are named with their paths.
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/render/text.hpp>
#include <aftermath/simulation.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/cohort_kernel.hpp"
#include "support/profiles.hpp"

#include <algorithm>
#include <cmath>

namespace aftermath {
namespace {

const model& m = default_model();

/// 8.2 days in the default model: platelet turnover.
double aspirin_washout() { return m.find_modifier("aspirin")->washout_days->value; }

std::string paused(int d) { return R"([{"id": "aspirin", "paused_days_before_each_session": )" + std::to_string(d) + "}]"; }

/// face_initial (sessions on days 0, 14, 28, 42) for one kind of patient with these risk factors.
/// Every such population has one profile and seed 5, so any two of them meet the same patients.
population course_with(const std::string& risk_factors, std::uint64_t n = 20000) {
  return parse_population(R"({"protocol": "face_initial", "seed": 5, "n": )" + std::to_string(n) +
                              R"(, "profiles": [{"risk_factors": )" + risk_factors + "}]}",
                          m);
}

void expect_same_tally(const effect_tally& a, const effect_tally& b, const std::string& what) {
  EXPECT_EQ(a.occurrences_by_session, b.occurrences_by_session) << what;
  EXPECT_EQ(a.patients_affected, b.patients_affected) << what;
  EXPECT_EQ(a.resolution.counts, b.resolution.counts) << what;
  EXPECT_EQ(a.resolution.sum_units, b.resolution.sum_units) << what;
  EXPECT_EQ(a.visible.counts, b.visible.counts) << what;
  EXPECT_EQ(a.visible.sum_units, b.visible.sum_units) << what;
  EXPECT_EQ(a.visible_on_day, b.visible_on_day) << what;
}

/// The same patients, counted alike for every effect and for any effect.
void expect_same_outcomes(const population& a, const population& b, const std::string& what) {
  const auto ta = simulate(m, a, {.threads = 2}), tb = simulate(m, b, {.threads = 2});
  for (std::size_t e = 0; e < m.effects.size(); ++e) expect_same_tally(ta.effects[e], tb.effects[e], what + ", " + m.effects[e].id);
  expect_same_tally(ta.any, tb.any, what + ", any");
}

TEST(PausedEachSession, NoDaysIsTakingItAndTheWholeWashoutIsNotHavingIt) {
  expect_same_outcomes(course_with(paused(0)), course_with(R"(["aspirin"])"), "paused 0 days");
  for (int d : {9, 30, 3650}) expect_same_outcomes(course_with(paused(d)), course_with("[]"), "paused " + std::to_string(d) + " days");
}

std::vector<double> bruising_by_session(const population& p) {
  const auto summary = summarise(m, p, simulate(m, p, {.threads = 2}));
  const auto bruising = std::find_if(summary.effects.begin(), summary.effects.end(), [](const auto& e) { return e.id == "bruising"; });
  std::vector<double> out;
  for (auto share : bruising->incidence_by_session) out.push_back(share.value());
  return out;
}

TEST(PausedEachSession, LowersBruisingAtEverySessionWhereAStopBeforeTheFirstLowersTheFirstAlone) {
  const auto taking = bruising_by_session(course_with(R"(["aspirin"])"));
  const auto none = bruising_by_session(course_with("[]"));
  const auto pause = bruising_by_session(course_with(paused(3)));
  const auto stop = bruising_by_session(course_with(R"([{"id": "aspirin", "stopped_days_before": 3}])"));
  ASSERT_EQ(pause.size(), 4u);
  for (std::size_t j = 0; j < pause.size(); ++j) {
    EXPECT_LT(pause[j], taking[j]) << "session " << j + 1;
    EXPECT_GT(pause[j], none[j]) << "session " << j + 1;  // 3 of 8.2 days leave 63 % of aspirin's effect
  }
  // Stopped 3 days before the first session: the first meets what a pause leaves; the later
  // ones, 17 days and more after the stop, meet none of it.
  EXPECT_EQ(stop[0], pause[0]);
  for (std::size_t j = 1; j < stop.size(); ++j) EXPECT_EQ(stop[j], none[j]) << "session " << j + 1;
  // Just short of the washout something is left at every session.
  const auto nearly_washed_out = bruising_by_session(course_with(paused(8)));
  for (std::size_t j = 0; j < nearly_washed_out.size(); ++j) EXPECT_GT(nearly_washed_out[j], none[j]) << "session " << j + 1;
}

/// Bruising after one session on the scales modifiers add on: log-odds, log peak, log duration.
struct bruising_scales {
  double log_odds;
  double log_amplitude;
  double log_time_scale;
};

bruising_scales bruising_at(const personal_course& course, std::size_t session) {
  const auto& term = testing::effect_named(course, "bruising").sessions[session];
  const double p = term.occurrence.value();
  return {std::log(p / (1.0 - p)), std::log(term.amplitude), std::log(term.time_scale)};
}

personal_course course_of(const population& p) { return detail::course_for(m, p, p.profiles.front().risk_factors); }

TEST(PausedEachSession, EverySessionMeetsTheWashoutFractionLeftAfterThePause) {
  const auto taking = course_of(course_with(R"(["aspirin"])", 1)), without = course_of(course_with("[]", 1));
  const std::size_t bruising = 2;
  ASSERT_EQ(m.effects[bruising].id, "bruising");
  for (int d : {0, 1, 3, 8, 9, 20}) {
    const auto population = course_with(paused(d), 1);
    const auto course = course_of(population);
    const double left = std::max(0.0, 1.0 - d / aspirin_washout());
    for (std::size_t j = 0; j < population.session_days.size(); ++j) {
      const auto full = bruising_at(taking, j), none = bruising_at(without, j), got = bruising_at(course, j);
      const std::string where = "paused " + std::to_string(d) + " days, session " + std::to_string(j + 1);
      EXPECT_NEAR(got.log_odds, none.log_odds + left * (full.log_odds - none.log_odds), 1e-12) << where;
      EXPECT_NEAR(got.log_amplitude, none.log_amplitude + left * (full.log_amplitude - none.log_amplitude), 1e-12) << where;
      EXPECT_NEAR(got.log_time_scale, none.log_time_scale + left * (full.log_time_scale - none.log_time_scale), 1e-12) << where;
    }
    // The kernel compiles those terms; one fraction at every session keeps one time scale.
    const detail::cohort_kernel kernel(m, population);
    const auto& group = kernel.group(0);
    EXPECT_TRUE(group.uniform_scale[bruising]) << "paused " << d << " days";
    for (std::size_t j = 0; j < population.session_days.size(); ++j)
      EXPECT_DOUBLE_EQ(group.terms[bruising * kernel.sessions() + j].log_amplitude, bruising_at(course, j).log_amplitude);
  }
}

/// Session j of the course equals session j of `profile`, effect by effect.
void expect_same_session(const personal_course& course, const personal_course& profile, std::size_t j) {
  for (std::size_t e = 0; e < course.effects.size(); ++e) {
    const auto& got = course.effects[e].sessions[j];
    const auto& want = profile.effects[e].sessions[j];
    EXPECT_DOUBLE_EQ(got.occurrence.value(), want.occurrence.value()) << course.effects[e].id << " session " << j + 1;
    EXPECT_DOUBLE_EQ(got.amplitude, want.amplitude) << course.effects[e].id << " session " << j + 1;
    EXPECT_DOUBLE_EQ(got.time_scale, want.time_scale) << course.effects[e].id << " session " << j + 1;
  }
}

TEST(PausedEachSession, EachSessionIsAsPersonaliseHasItForAStopThatManyDaysBeforeIt) {
  // A clinic profile has one stop date, so it can say what a pause leaves at one session at a
  // time: session j of the paused course is session j of a profile stopped d days before it,
  // also beside another medicine stopped once before the first session and wearing off.
  const int d = 4;
  const auto first = testing::day(2026, 12, 1);
  for (const bool with_stop : {false, true}) {
    const auto population = parse_population(R"({"sessions_days": [0, 2, 5, 14], "n": 1, "profiles": [{"risk_factors": [
        {"id": "aspirin", "paused_days_before_each_session": 4}, )" +
                                                 std::string(with_stop ? R"({"id": "nsaid", "stopped_days_before": 1})" : R"("bruise_prone")") +
                                                 "]}]}",
                                             m);
    const auto course = course_of(population);
    for (std::size_t j = 0; j < population.session_days.size(); ++j) {
      const auto aspirin_stopped_on = first + boost::gregorian::days(population.session_days[j] - d);
      std::vector<risk_factor> factors{{"aspirin", aspirin_stopped_on}};
      factors.push_back(with_stop ? risk_factor{"nsaid", first - boost::gregorian::days(1)} : risk_factor{"bruise_prone", std::nullopt});
      SCOPED_TRACE(with_stop ? "beside nsaid stopped a day before" : "beside bruise_prone");
      expect_same_session(course, personalise(m, testing::patient_with(factors, population.session_days)), j);
    }
  }
}

constexpr const char* prevalences_paused = R"({"protocol": "face_initial", "n": 3000, "seed": 9,
  "risk_factors": {"bruise_prone": 0.2, "aspirin": {"prevalence": 0.3, "paused_days_before_each_session": 3}}})";

TEST(PausedEachSession, IsWrittenBackWhereverThePopulationIs) {
  const auto p = parse_population(prevalences_paused, m);
  ASSERT_EQ(p.prevalences[1].factor.paused_days_before_each_session, 3);
  EXPECT_EQ(parse_population(to_json(p), m), p);
  const auto profiles = course_with(paused(5), 10);
  EXPECT_EQ(parse_population(to_json(profiles), m), profiles);

  const auto tally = simulate(m, p, {.threads = 1});
  const auto summary = summarise(m, p, tally);
  const auto echo = nlohmann::ordered_json::parse(to_json(summary))["population"]["risk_factors"]["aspirin"];
  EXPECT_EQ(echo, nlohmann::ordered_json::parse(R"({"prevalence": 0.3, "paused_days_before_each_session": 3})"));
  EXPECT_NE(to_text(summary).find("aspirin paused 3 d before each session"), std::string::npos) << to_text(summary);

  // A shard reads back with the pause, and shards of a run with another pause do not merge with it.
  const auto half = shard_range(p.n, 0, 2), rest = shard_range(p.n, 1, 2);
  auto other = p;
  other.prevalences[1].factor.paused_days_before_each_session = 4;
  const auto first = parse_partial(to_partial_json(m, p, half, simulate(m, p, {.threads = 1, .patients = half})), m, "a.json");
  EXPECT_EQ(first.population, p);
  const auto second = parse_partial(to_partial_json(m, other, rest, simulate(m, other, {.threads = 1, .patients = rest})), m, "b.json");
  EXPECT_THROW((void)merge(m, {first, second}), input_error);
}

/// The problems parse_population reports for `text` (read as "pop.json").
std::vector<input_problem> problems_of(const std::string& text) {
  try {
    (void)parse_population(text, m, "pop.json");
  } catch (const input_error& error) {
    return error.problems();
  }
  return {};
}

/// Exactly one problem at `path`, with this code and message.
void expect_problem(const std::string& text, const std::string& path, problem_code code, const std::string& message) {
  const auto problems = problems_of(text);
  const auto at_path = std::count_if(problems.begin(), problems.end(), [&](const auto& p) { return p.path == path; });
  EXPECT_EQ(at_path, 1) << path << " in " << text;
  for (const auto& problem : problems) {
    if (problem.path != path) continue;
    EXPECT_EQ(problem.code, code) << problem.to_string();
    EXPECT_EQ(problem.message, message) << problem.to_string();
    EXPECT_EQ(problem.source, "pop.json") << problem.to_string();
  }
}

/// A population whose one prevalence `id` carries these extra members beside its prevalence.
std::string with_prevalence(const std::string& id, const std::string& members) {
  return R"({"sessions_days": [0, 14], "n": 5, "risk_factors": {")" + id + R"(": {"prevalence": 0.2, )" + members + "}}}";
}

TEST(PausedEachSession, BadTimingsAreNamedWithTheirPath) {
  const std::string aspirin = "risk_factors.aspirin.paused_days_before_each_session";
  expect_problem(with_prevalence("bruise_prone", R"("paused_days_before_each_session": 3)"),
                 "risk_factors.bruise_prone.paused_days_before_each_session", problem_code::conflict,
                 "'bruise_prone' has no washout in the model, so a stop day before each session cannot be used");
  expect_problem(with_prevalence("aspirin", R"("paused_days_before_each_session": -1)"), aspirin, problem_code::out_of_range,
                 "is -1, but must be in [0, 3650]");
  expect_problem(with_prevalence("aspirin", R"("paused_days_before_each_session": 3651)"), aspirin, problem_code::out_of_range,
                 "is 3651, but must be in [0, 3650]");
  expect_problem(with_prevalence("aspirin", R"("paused_days_before_each_session": 2.5)"), aspirin, problem_code::malformed,
                 "is 2.5, but must be a whole number");
  expect_problem(with_prevalence("aspirin", R"("paused_days_before_each_session": "3")"), aspirin, problem_code::malformed,
                 "is a string, but must be a whole number");
  expect_problem(with_prevalence("aspirin", R"("stopped_days_before": 2, "paused_days_before_each_session": 3)"), aspirin,
                 problem_code::conflict, "is given beside stopped_days_before; give one of the two");

  // In a profile's risk factors, the path is the factor's place in its list.
  const auto in_profile = [](const std::string& factor) {
    return R"({"sessions_days": [0, 14], "n": 5, "profiles": [{"risk_factors": ["bruise_prone", )" + factor + "]}]}";
  };
  const std::string second = "profiles[0].risk_factors[1].paused_days_before_each_session";
  expect_problem(in_profile(R"({"id": "sensitive_skin", "paused_days_before_each_session": 2})"), second, problem_code::conflict,
                 "'sensitive_skin' has no washout in the model, so a stop day before each session cannot be used");
  expect_problem(in_profile(R"({"id": "aspirin", "paused_days_before_each_session": 4000})"), second, problem_code::out_of_range,
                 "is 4000, but must be in [0, 3650]");
  expect_problem(in_profile(R"({"id": "aspirin", "paused_days_before_each_session": 7, "stopped_days_before": 0})"), second,
                 problem_code::conflict, "is given beside stopped_days_before; give one of the two");

  // A population built in C++ is checked alike.
  auto p = parse_population(prevalences_paused, m);
  p.prevalences[1].factor.paused_days_before_each_session = -2;
  const auto problems = check_population(m, p);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems.front().path, aspirin);
  EXPECT_EQ(problems.front().code, problem_code::out_of_range);
}

}  // namespace
}  // namespace aftermath

// A population sweep (parse_population_sweep): one medicine timing given as a list is one arm per
// value, each the population with that value in place; bad lists are named with their paths, and
// each arm, run paired with the first, has the summary it has on its own.
#include <aftermath/comparison.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/simulation.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace aftermath {
namespace {

const model& m = default_model();

std::string with_risk_factors(const std::string& risk_factors, std::uint64_t n = 3000) {
  return R"({"protocol": "face_initial", "seed": 11, "n": )" + std::to_string(n) + R"(, "risk_factors": )" + risk_factors + "}";
}

const std::string aspirin_sweep =
    with_risk_factors(R"({"bruise_prone": 0.15, "aspirin": {"prevalence": 0.5, "stopped_days_before": [0, 3, 7, 10]}})");

std::vector<input_problem> problems_of(const std::string& text) {
  try {
    (void)parse_population_sweep(text, m, "sweep");
  } catch (const input_error& error) {
    return error.problems();
  }
  ADD_FAILURE() << "no input_error for " << text;
  return {};
}

bool has_problem(const std::vector<input_problem>& problems, const std::string& path, const std::string& words) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const input_problem& p) { return p.path == path && p.message.find(words) != std::string::npos; });
}

std::string listed(const std::vector<input_problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.to_string() + "\n";
  return out;
}

const population_factor& aspirin_of(const population& p) {
  const auto found = std::find_if(p.prevalences.begin(), p.prevalences.end(), [](const auto& f) { return f.factor.id == "aspirin"; });
  EXPECT_NE(found, p.prevalences.end());
  return found->factor;
}

TEST(PopulationSweep, FourValuesAreFourArmsEachWithItsValueInPlace) {
  const auto arms = parse_population_sweep(aspirin_sweep, m);
  ASSERT_EQ(arms.size(), 4u);
  const int expected[] = {0, 3, 7, 10};
  for (std::size_t k = 0; k < arms.size(); ++k) {
    EXPECT_EQ(aspirin_of(arms[k]).stopped_days_before, expected[k]) << k;
    EXPECT_FALSE(aspirin_of(arms[k]).paused_days_before_each_session) << k;
    const auto alone = parse_population(
        with_risk_factors(R"({"bruise_prone": 0.15, "aspirin": {"prevalence": 0.5, "stopped_days_before": )" + std::to_string(expected[k]) + "}}"), m);
    EXPECT_EQ(arms[k], alone) << "arm " << k << " is the population with its value written in";
  }
  const auto axis = sweep_axis(arms);
  EXPECT_EQ(axis.factor, "aspirin");
  EXPECT_EQ(axis.field, "stopped_days_before");
  EXPECT_EQ(axis.values, (std::vector<int>{0, 3, 7, 10}));
}

TEST(PopulationSweep, PausesSweepLikeStopsAndOverridesReachEveryArm) {
  const auto arms = parse_population_sweep(with_risk_factors(R"({"nsaid": {"prevalence": 0.2, "paused_days_before_each_session": [5, 1]}})"), m,
                                           "population", {500, 9});
  ASSERT_EQ(arms.size(), 2u);
  ASSERT_EQ(arms[0].prevalences.size(), 1u);
  EXPECT_EQ(arms[0].prevalences[0].factor.id, "nsaid");
  EXPECT_EQ(arms[1].prevalences[0].factor.paused_days_before_each_session, 1);
  for (const auto& arm : arms) {
    EXPECT_EQ(arm.n, 500u);
    EXPECT_EQ(arm.seed, 9u);
  }
  const auto axis = sweep_axis(arms);
  EXPECT_EQ(axis.field, "paused_days_before_each_session");
  EXPECT_EQ(axis.values, (std::vector<int>{5, 1}));
}

TEST(PopulationSweep, WithoutAListItIsTheOnePopulation) {
  const std::string text = with_risk_factors(R"({"aspirin": {"prevalence": 0.5, "stopped_days_before": 3}})");
  const auto arms = parse_population_sweep(text, m);
  ASSERT_EQ(arms.size(), 1u);
  EXPECT_EQ(arms[0], parse_population(text, m));
  EXPECT_THROW((void)sweep_axis(arms), std::invalid_argument);
}

TEST(PopulationSweep, ParsePopulationRefusesAListSayingToSweep) {
  try {
    (void)parse_population(aspirin_sweep, m, "sweep");
    FAIL() << "a list read as one population";
  } catch (const input_error& error) {
    ASSERT_TRUE(has_problem(error.problems(), "risk_factors.aspirin.stopped_days_before", "parse_population_sweep")) << listed(error.problems());
    EXPECT_EQ(error.problems().size(), 1u) << listed(error.problems());
  }
}

TEST(PopulationSweep, BadListsAreNamedWithTheirPaths) {
  auto p = problems_of(with_risk_factors(R"({"aspirin": {"prevalence": 0.5, "stopped_days_before": [0, 3, 4000, 3, 2.5, "x"]}})"));
  EXPECT_TRUE(has_problem(p, "risk_factors.aspirin.stopped_days_before[2]", "is 4000, but must be in [0, 3650]")) << listed(p);
  EXPECT_TRUE(has_problem(p, "risk_factors.aspirin.stopped_days_before[3]", "is 3 again")) << listed(p);
  EXPECT_TRUE(has_problem(p, "risk_factors.aspirin.stopped_days_before[4]", "is 2.5, but must be a whole number")) << listed(p);
  EXPECT_TRUE(has_problem(p, "risk_factors.aspirin.stopped_days_before[5]", "must be a whole number")) << listed(p);
  EXPECT_EQ(p.size(), 4u) << listed(p);
  EXPECT_EQ(p.front().source, "sweep");

  p = problems_of(with_risk_factors(R"({"aspirin": {"prevalence": 0.5, "stopped_days_before": [3]}})"));
  EXPECT_TRUE(has_problem(p, "risk_factors.aspirin.stopped_days_before", "has 1 values, but a sweep takes 2 to 20")) << listed(p);
  p = problems_of(with_risk_factors(R"({"aspirin": {"prevalence": 0.5, "stopped_days_before": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}})"));
  EXPECT_TRUE(has_problem(p, "risk_factors.aspirin.stopped_days_before", "has 21 values")) << listed(p);

  p = problems_of(with_risk_factors(
      R"({"aspirin": {"prevalence": 0.5, "stopped_days_before": [0, 3]}, "nsaid": {"prevalence": 0.1, "paused_days_before_each_session": [1, 2]}})"));
  ASSERT_EQ(p.size(), 1u) << listed(p);
  EXPECT_TRUE(has_problem(p, "risk_factors.nsaid.paused_days_before_each_session", "second list")) << listed(p);
  EXPECT_EQ(p[0].code, problem_code::conflict);
  EXPECT_NE(p[0].message.find("risk_factors.aspirin.stopped_days_before"), std::string::npos) << p[0].message;
}

TEST(PopulationSweep, ListProblemsComeWithTheRestOfThePopulations) {
  const auto p = problems_of(R"({"protocol": "face_initial", "n": 0, "risk_factors": {"werewolf": 0.1,
    "aspirin": {"prevalence": 0.5, "stopped_days_before": [0, -1]}}})");
  EXPECT_TRUE(has_problem(p, "risk_factors.aspirin.stopped_days_before[1]", "is -1, but must be in [0, 3650]")) << listed(p);
  EXPECT_TRUE(has_problem(p, "n", "is 0")) << listed(p);
  EXPECT_TRUE(has_problem(p, "risk_factors.werewolf", "unknown risk factor")) << listed(p);
}

TEST(PopulationSweep, EachArmPairedWithTheFirstHasTheSummaryItHasAlone) {
  const auto arms = parse_population_sweep(aspirin_sweep, m);
  ASSERT_EQ(arms.size(), 4u);
  const simulation_options options{2, std::nullopt, {}, {}};
  for (std::size_t k = 1; k < arms.size(); ++k) {
    const paired_tally paired = simulate_paired(m, arms[0], arms[k], options);
    EXPECT_EQ(to_json(summarise(m, arms[0], paired.population)), to_json(summarise(m, arms[0], simulate(m, arms[0], options)))) << "arm 0 with " << k;
    EXPECT_EQ(to_json(summarise(m, arms[k], paired.compared)), to_json(summarise(m, arms[k], simulate(m, arms[k], options)))) << "arm " << k;
  }
}

}  // namespace
}  // namespace aftermath

// Paired comparisons (comparison.hpp): identical arms differ by nothing, each arm is the run
// `simulate` makes of it alone, the result does not depend on threads or shards, the estimate and
// its standard error equal a slow per-patient reference, and pairing narrows the standard error
// far below that of two independent runs while agreeing with them.
#include <aftermath/comparison.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/simulation.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace aftermath {
namespace {

const model& m = default_model();

constexpr const char* fortnightly = R"({"protocol": "face_initial", "n": 20000, "seed": 42,
  "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}})";
constexpr const char* weekly = R"({"protocol": "face_initial", "interval_days": 7, "n": 20000, "seed": 42,
  "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}})";

/// Everyone takes aspirin, stopped `days` before the first session.
population aspirin_stopped(int days, std::uint64_t n, std::uint64_t seed) {
  return parse_population(R"({"protocol": "face_initial", "n": )" + std::to_string(n) + R"(, "seed": )" + std::to_string(seed) +
                              R"(, "risk_factors": {"aspirin": {"prevalence": 1.0, "stopped_days_before": )" + std::to_string(days) + "}}}",
                          m);
}

std::vector<const effect_difference*> effects_and_any(const cohort_difference& d) {
  std::vector<const effect_difference*> all;
  for (const auto& e : d.effects) all.push_back(&e);
  all.push_back(&d.any);
  return all;
}

std::string paired_json(const population& a, const population& b, const paired_tally& t) {
  return to_json(summarise(m, a, t.population), summarise(m, b, t.compared), summarise_difference(m, a, b, t));
}

TEST(Comparison, IdenticalArmsDifferByExactlyNothing) {
  auto p = parse_population(fortnightly, m);
  p.n = 5000;
  const auto tally = simulate_paired(m, p, p, {.threads = 2});
  const auto difference = summarise_difference(m, p, p, tally);
  EXPECT_EQ(difference.patients, 5000u);
  for (const auto* e : effects_and_any(difference)) {
    for (const auto& figure : {e->probability, e->incidence_per_session, e->visible_days_mean, e->resolution_days_mean}) {
      ASSERT_TRUE(figure) << e->id;
      EXPECT_EQ(figure->estimate, 0.0) << e->id;
      EXPECT_EQ(figure->se, 0.0) << e->id;
      EXPECT_EQ(figure->low, 0.0) << e->id;
      EXPECT_EQ(figure->high, 0.0) << e->id;
    }
  }
  EXPECT_EQ(difference.effects[2].resolution_patients, tally.population.effects[2].patients_affected) << "affected in both: all affected";
}

TEST(Comparison, EachArmIsTheRunSimulateMakesOfItAlone) {
  const auto a = parse_population(fortnightly, m), b = parse_population(weekly, m);
  const auto tally = simulate_paired(m, a, b, {.threads = 2});
  EXPECT_EQ(to_json(summarise(m, a, tally.population)), to_json(summarise(m, a, simulate(m, a, {.threads = 2}))));
  EXPECT_EQ(to_json(summarise(m, b, tally.compared)), to_json(summarise(m, b, simulate(m, b, {.threads = 2}))));
}

TEST(Comparison, VisibleDaysDifferenceIsExactlyTheDifferenceOfTheArmsMeans) {
  const auto a = parse_population(fortnightly, m), b = parse_population(weekly, m);
  const auto tally = simulate_paired(m, a, b, {.threads = 2});
  const auto difference = summarise_difference(m, a, b, tally);
  const auto sa = summarise(m, a, tally.population), sb = summarise(m, b, tally.compared);
  for (std::size_t e = 0; e < sa.effects.size(); ++e) {
    EXPECT_NEAR(difference.effects[e].visible_days_mean->estimate, *sb.effects[e].visible.mean - *sa.effects[e].visible.mean, 1e-12);
    EXPECT_NEAR(difference.effects[e].probability->estimate, sb.effects[e].occurs.value() - sa.effects[e].occurs.value(), 1e-12);
    EXPECT_NEAR(difference.effects[e].incidence_per_session->estimate,
                sb.effects[e].incidence_per_session.value() - sa.effects[e].incidence_per_session.value(), 1e-12);
  }
}

TEST(Comparison, SameBytesForAnyThreadCountAndShardSplit) {
  const auto a = parse_population(fortnightly, m), b = parse_population(weekly, m);
  const std::string one = paired_json(a, b, simulate_paired(m, a, b, {.threads = 1}));
  EXPECT_NE(one.find("\"difference\""), std::string::npos);
  EXPECT_EQ(paired_json(a, b, simulate_paired(m, a, b, {.threads = 2})), one);
  EXPECT_EQ(paired_json(a, b, simulate_paired(m, a, b, {.threads = 4})), one);
  paired_tally shards = empty_paired_tally(m, a, b);
  for (std::uint64_t k = 0; k < 3; ++k) shards += simulate_paired(m, a, b, {.threads = 1, .patients = shard_range(a.n, k, 3)});
  EXPECT_EQ(paired_json(a, b, shards), one);
}

TEST(Comparison, RefusesArmsOfOtherPatientsAndRowSinks) {
  const auto a = parse_population(fortnightly, m);
  auto other_n = a, other_seed = a;
  other_n.n = 100;
  other_seed.seed = 7;
  EXPECT_THROW((void)simulate_paired(m, a, other_n), input_error);
  EXPECT_THROW((void)simulate_paired(m, a, other_seed), input_error);
  EXPECT_THROW((void)simulate_paired(m, a, a, {.outcomes = [](std::span<const patient_outcome>) {}}), input_error);
  try {
    (void)simulate_paired(m, a, other_seed);
  } catch (const input_error& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].source, "compared");
    EXPECT_EQ(error.problems()[0].path, "seed");
  }
}

// ---- against a slow reference: the per-patient differences from two runs' rows ----

struct row {
  std::size_t occurrences = 0;
  std::optional<double> resolved;
  double visible = 0.0;
};

/// Every patient's row per effect and "any", keyed by (patient, effect).
std::map<std::pair<std::uint64_t, std::string>, row> rows_of(const population& p) {
  std::map<std::pair<std::uint64_t, std::string>, row> rows;
  (void)simulate(m, p, {.threads = 2, .outcomes = [&](std::span<const patient_outcome> outcomes) {
                          for (const auto& o : outcomes)
                            rows[{o.patient, std::string(o.effect)}] = {o.sessions.size(), o.resolved_after_last_days, o.visible_days};
                        }});
  return rows;
}

/// Mean and sd(d)/√m of a list, two-pass in long double.
std::pair<double, double> mean_and_se(const std::vector<double>& d) {
  const long double n = static_cast<long double>(d.size());
  long double sum = 0;
  for (double x : d) sum += x;
  const long double mean = sum / n;
  long double squares = 0;
  for (double x : d) squares += (x - mean) * (x - mean);
  return {static_cast<double>(mean), static_cast<double>(std::sqrt(squares / (n - 1) / n))};
}

/// Days as the paired sums define them: to the nearest 1/65536 day, at most 10^5.
double in_day_units(double days) { return days <= 0.0 ? 0.0 : std::round(std::min(days, 1e5) * 65536.0) / 65536.0; }

void expect_matches(const std::optional<difference_estimate>& got, const std::vector<double>& d, const std::string& what) {
  ASSERT_TRUE(got) << what;
  const auto [mean, se] = mean_and_se(d);
  EXPECT_NEAR(got->estimate, mean, 1e-9) << what;
  EXPECT_NEAR(got->se, se, 1e-9) << what;
  EXPECT_NEAR(got->low, mean - 1.96 * se, 1e-4 * se + 1e-12) << what;
  EXPECT_NEAR(got->high, mean + 1.96 * se, 1e-4 * se + 1e-12) << what;
}

TEST(Comparison, EstimatesAndStandardErrorsEqualTheSlowPerPatientReference) {
  // Arms that differ in sessions (4 every two weeks, 3 weekly) and in risk factors.
  const auto a = parse_population(R"({"protocol": "face_initial", "n": 500, "seed": 11,
      "risk_factors": {"bruise_prone": 0.3, "aspirin": {"prevalence": 0.5, "stopped_days_before": 2}}})", m);
  const auto b = parse_population(R"({"sessions_days": [0, 7, 14], "n": 500, "seed": 11,
      "risk_factors": {"bruise_prone": 0.3, "aspirin": {"prevalence": 0.5, "stopped_days_before": 9}}})", m);
  const auto rows_a = rows_of(a), rows_b = rows_of(b);
  const auto difference = summarise_difference(m, a, b, simulate_paired(m, a, b, {.threads = 3}));
  for (const auto* e : effects_and_any(difference)) {
    std::vector<double> occurred, per_session, visible, visible_unrounded, resolution;
    for (std::uint64_t i = 0; i < a.n; ++i) {
      const row& x = rows_a.at({i, e->id}), &y = rows_b.at({i, e->id});
      occurred.push_back(double(y.resolved.has_value()) - double(x.resolved.has_value()));
      per_session.push_back(double(y.occurrences) / 3.0 - double(x.occurrences) / 4.0);
      visible.push_back(in_day_units(y.visible) - in_day_units(x.visible));
      visible_unrounded.push_back(y.visible - x.visible);
      if (x.resolved && y.resolved) resolution.push_back(in_day_units(*y.resolved) - in_day_units(*x.resolved));
    }
    expect_matches(e->probability, occurred, e->id + " probability");
    expect_matches(e->incidence_per_session, per_session, e->id + " incidence_per_session");
    expect_matches(e->visible_days_mean, visible, e->id + " visible_days");
    expect_matches(e->resolution_days_mean, resolution, e->id + " resolution_days");
    EXPECT_EQ(e->resolution_patients, resolution.size()) << e->id;
    EXPECT_NEAR(e->visible_days_mean->estimate, mean_and_se(visible_unrounded).first, 1e-5) << "fixed point moves a mean by < 1/65536 day";
  }
}

// ---- pairing: the same answer in expectation as two independent runs, far more precisely ----

TEST(Comparison, PairingAgreesWithIndependentRunsAndNarrowsTheStandardError) {
  constexpr std::uint64_t n = 40000;
  constexpr std::size_t bruising = 2;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto a = aspirin_stopped(0, n, seed), b = aspirin_stopped(7, n, seed);
    const auto paired = summarise_difference(m, a, b, simulate_paired(m, a, b, {.threads = 2}));
    const auto& figure = *paired.effects[bruising].visible_days_mean;

    // Two independent runs: other patients in each arm.
    const auto alone_a = aspirin_stopped(0, n, 1000 + seed), alone_b = aspirin_stopped(7, n, 2000 + seed);
    const auto tally_a = simulate(m, alone_a, {.threads = 2}), tally_b = simulate(m, alone_b, {.threads = 2});
    const auto& visible_a = tally_a.effects[bruising].visible, &visible_b = tally_b.effects[bruising].visible;
    const double unpaired = *visible_b.mean() - *visible_a.mean();
    const double unpaired_se = std::hypot(*visible_a.sd() / std::sqrt(double(n)), *visible_b.sd() / std::sqrt(double(n)));

    std::printf("seed %llu: bruising visible days, stopped 7 minus 0 days before: paired %.4f (se %.4f), independent %.4f (se %.4f), "
                "se ratio %.1f\n",
                static_cast<unsigned long long>(seed), figure.estimate, figure.se, unpaired, unpaired_se, unpaired_se / figure.se);
    EXPECT_LT(figure.high, 0.0) << "stopping aspirin a week earlier shortens bruising";
    EXPECT_LE(std::abs(figure.estimate - unpaired), 4.0 * std::hypot(figure.se, unpaired_se));
    EXPECT_LE(3.0 * figure.se, unpaired_se);
  }
}

}  // namespace
}  // namespace aftermath

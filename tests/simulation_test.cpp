// Cohort simulation through the public API: the same output for any thread count and shard
// split, agreement with `project` within Monte Carlo error, prevalences as requested, bounded
// and deterministic summaries, bad populations and broken shard files named.
#include <aftermath/io/csv.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/simulation.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/profiles.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace aftermath {
namespace {

const model& m = default_model();

constexpr const char* cohort = R"({"protocol": "face_initial", "n": 40000, "seed": 42,
  "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}})";

std::string summary_json(const population& p, unsigned threads) {
  return to_json(summarise(m, p, simulate(m, p, {.threads = threads})));
}

/// Shards written to partial-summary JSON, read back and merged, as `aftermath merge` does.
std::string merged_json(const population& p, std::uint64_t shards) {
  std::vector<cohort_partial> parts;
  for (std::uint64_t k = 0; k < shards; ++k) {
    const auto range = shard_range(p.n, k, shards);
    const auto text = to_partial_json(m, p, range, simulate(m, p, {.threads = 1, .patients = range}));
    parts.push_back(parse_partial(text, m, "shard" + std::to_string(k)));
  }
  return to_json(summarise(m, p, merge(m, parts)));
}

TEST(Simulation, SameBytesForAnyThreadCountAndShardSplit) {
  const auto p = parse_population(cohort, m);
  const std::string one = summary_json(p, 1);
  EXPECT_EQ(summary_json(p, 2), one);
  EXPECT_EQ(summary_json(p, 4), one);
  EXPECT_EQ(merged_json(p, 1), one);
  EXPECT_EQ(merged_json(p, 3), one);
  EXPECT_EQ(merged_json(p, 7), one);
}

TEST(Simulation, RowsAreTheSameForAnyThreadCountAndAddUpToTheSummary) {
  auto p = parse_population(cohort, m);
  p.n = 9000;  // more than two chunks of work
  std::ostringstream one, four;
  const auto tally = simulate(m, p, {.threads = 1, .outcomes = cohort_rows_csv(one)});
  simulate(m, p, {.threads = 4, .outcomes = cohort_rows_csv(four)});
  EXPECT_EQ(one.str(), four.str());
  std::istringstream rows(one.str());
  std::string line;
  std::getline(rows, line);
  EXPECT_EQ(line, "patient,group,effect,sessions,resolved_after_last_days,visible_days");
  double bruising_visible = 0.0;
  std::size_t count = 0;
  while (std::getline(rows, line)) {
    ++count;
    if (line.find(",bruising,") != std::string::npos) bruising_visible += std::stod(line.substr(line.rfind(',') + 1));
  }
  EXPECT_EQ(count, p.n * (m.effects.size() + 1));
  // Rows are rounded to 1e-4 days; the tally's mean is exact to 1/65536 day.
  EXPECT_NEAR(bruising_visible / static_cast<double>(p.n), *tally.effects[2].visible.mean(), 1e-4);
}

/// |observed − expected| within 4.5 binomial standard errors (plus a 1e-6 rounding allowance).
void expect_within_sampling_error(double observed, double expected, double n, const std::string& what) {
  const double se = std::sqrt(expected * (1.0 - expected) / n);
  EXPECT_NEAR(observed, expected, 4.5 * se + 1e-6) << what;
}

/// The simulated resolution-time distribution puts probability q below the projected q-quantile,
/// within 4.5 binomial standard errors of the fraction (the DKW-style check on the CDF).
void expect_quantile_agrees(const day_histogram& h, double projected_after_last, double q, const std::string& what) {
  const double x = std::max(0.0, projected_after_last);
  std::uint64_t below = 0, up_to = 0;
  for (std::size_t b = 0; b < day_histogram::bins; ++b) {
    const double lo = static_cast<double>(b) / day_histogram::bins_per_day, hi = lo + 1.0 / day_histogram::bins_per_day;
    if (hi <= x) below += h.counts[b];
    if (lo <= x) up_to += h.counts[b];
  }
  const double total = static_cast<double>(h.total), tolerance = 4.5 * std::sqrt(q * (1.0 - q) / total);
  EXPECT_GE(q, static_cast<double>(below) / total - tolerance) << what << " at " << x;
  EXPECT_LE(q, static_cast<double>(up_to) / total + tolerance) << what << " at " << x;
}

/// The profile's risk factors as a clinic profile has them, the first session on 2026-12-01.
std::vector<risk_factor> risk_factors_of(const weighted_profile& profile) {
  std::vector<risk_factor> factors;
  for (const auto& f : profile.risk_factors) {
    risk_factor factor{f.id, std::nullopt};
    if (f.stopped_days_before) factor.stopped_on = testing::day(2026, 12, 1) - boost::gregorian::days(*f.stopped_days_before);
    factors.push_back(factor);
  }
  return factors;
}

void expect_agreement_with_project(const std::string& population_json) {
  const auto p = parse_population(population_json, m);
  const auto tally = simulate(m, p, {.threads = 2});
  const auto course = personalise(m, testing::patient_with(risk_factors_of(p.profiles.front()), p.session_days));
  const auto projected = project(course, {.horizon = days(p.horizon_days)});
  const double n = static_cast<double>(p.n), last = p.session_days.back();
  for (std::size_t e = 0; e < m.effects.size(); ++e) {
    const auto& t = tally.effects[e];
    const auto& id = m.effects[e].id;
    expect_within_sampling_error(static_cast<double>(t.patients_affected) / n, projected.effects[e].occurs.value(), n, id + " probability");
    for (std::size_t j = 0; j < p.session_days.size(); ++j)
      expect_within_sampling_error(static_cast<double>(t.occurrences_by_session[j]) / n, course.effects[e].sessions[j].occurrence.value(), n,
                                   id + " incidence at session " + std::to_string(j));
    for (double q : {0.05, 0.5, 0.95})
      expect_quantile_agrees(t.resolution, resolution_quantile(course.effects[e], course.resolved_threshold, q).count() - last, q,
                             id + " resolution q" + std::to_string(q));
    for (int d = 0; d <= p.horizon_days; ++d)
      expect_within_sampling_error(static_cast<double>(t.visible_on_day[static_cast<std::size_t>(d)]) / n,
                                   projected.effects[e].curve[static_cast<std::size_t>(d)].p_visible.value(), n,
                                   id + " p_visible day " + std::to_string(d));
  }
}

TEST(Simulation, OneSessionAgreesWithProjectWithinMonteCarloError) {
  expect_agreement_with_project(R"({"sessions_days": [0], "n": 1000000, "seed": 7, "profiles": [{"risk_factors": ["bruise_prone"]}]})");
}

TEST(Simulation, OverlappingSessionsWithAspirinWearingOffAgreeWithProject) {
  expect_agreement_with_project(R"({"sessions_days": [0, 7, 21], "n": 400000, "seed": 8,
    "profiles": [{"risk_factors": ["bruise_prone", "sensitive_skin", {"id": "aspirin", "stopped_days_before": 2}]}]})");
}

TEST(Simulation, PrevalencesAndProfileWeightsAreMetWithinSamplingError) {
  const auto p = parse_population(R"({"sessions_days": [0], "n": 100000, "seed": 3,
    "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": 0.10, "nsaid": 0.02, "dark_skin": 0.5}})",
                                  m);
  const auto tally = simulate(m, p, {.threads = 2});
  for (std::size_t k = 0; k < p.prevalences.size(); ++k)
    expect_within_sampling_error(static_cast<double>(tally.group_counts[k]) / 1e5, p.prevalences[k].share.value(), 1e5, p.prevalences[k].factor.id);

  const auto mixture = parse_population(R"({"sessions_days": [0], "n": 100000, "seed": 4,
    "profiles": [{"name": "plain", "weight": 3}, {"name": "bruisers", "weight": 1, "risk_factors": ["bruise_prone"]}]})",
                                        m);
  const auto mixed = simulate(m, mixture, {.threads = 2});
  expect_within_sampling_error(static_cast<double>(mixed.group_counts[0]) / 1e5, 0.75, 1e5, "plain");
  expect_within_sampling_error(static_cast<double>(mixed.group_counts[1]) / 1e5, 0.25, 1e5, "bruisers");
}

TEST(Simulation, SummariesAreBoundedAndConsistent) {
  const auto p = parse_population(cohort, m);
  const auto tally = simulate(m, p, {.threads = 2});
  const auto s = summarise(m, p, tally);
  auto all = s.effects;
  all.push_back(s.any);
  for (const auto& e : all) {
    for (const auto& d : {e.resolution, e.visible}) {
      std::uint64_t total = 0;
      for (auto c : d.per_day) total += c;
      EXPECT_EQ(total, d.patients) << e.id;
      if (!d.p50) continue;
      EXPECT_LE(*d.p05, *d.p50) << e.id;
      EXPECT_LE(*d.p50, *d.p95) << e.id;
      EXPECT_GE(*d.p05, 0.0) << e.id;
    }
    EXPECT_EQ(e.visible.patients, p.n) << e.id;
    EXPECT_LE(e.incidence_per_session, e.occurs) << e.id;
    for (auto v : e.p_visible_by_day) EXPECT_LE(v, e.occurs) << e.id;  // visible only where it occurred
    EXPECT_EQ(e.p_visible_by_day.size(), static_cast<std::size_t>(p.horizon_days) + 1);
  }
  for (std::size_t e = 0; e < s.effects.size(); ++e) {
    EXPECT_LE(s.effects[e].occurs, s.any.occurs);
    EXPECT_LE(*s.effects[e].visible.mean, *s.any.visible.mean + 1e-12);  // the union is at least each part
  }
}

TEST(DayHistogram, QuantilesInterpolateWithinBinsAndKeepExactZeros) {
  day_histogram h;
  for (int i = 0; i < 60; ++i) h.add(0.0);
  for (int i = 0; i < 40; ++i) h.add(2.0 + i / 100.0);  // 2.00 .. 2.39
  EXPECT_EQ(*h.quantile(0.5), 0.0);
  EXPECT_NEAR(*h.quantile(0.8), 2.2, 1.0 / day_histogram::bins_per_day);
  EXPECT_NEAR(*h.mean(), 0.4 * 2.195, 1e-4);
  h.add(600.0);  // beyond the bins: counted, in the mean, no quantile there
  EXPECT_FALSE(h.quantile(0.999).has_value());
  EXPECT_EQ(h.total, 101u);
  EXPECT_FALSE(day_histogram{}.quantile(0.5).has_value());
}

TEST(Simulation, DeterministicAndSeedDependent) {
  auto p = parse_population(cohort, m);
  p.n = 5000;
  const std::string first = summary_json(p, 2);
  EXPECT_EQ(summary_json(p, 2), first);
  p.seed = 43;
  EXPECT_NE(summary_json(p, 2), first);
}

TEST(Simulation, PatientRangesOutsideTheCohortAreRefused) {
  auto p = parse_population(cohort, m);
  EXPECT_THROW(simulate(m, p, {.patients = patient_range{10, p.n + 1}}), input_error);
  EXPECT_THROW((void)shard_range(100, 3, 3), std::invalid_argument);
  EXPECT_EQ(shard_range(10, 2, 3), (patient_range{6, 10}));
}

/// Every expected "path: words" fragment appears among the problems.
void expect_problems(const std::string& population_json, std::vector<std::string> fragments) {
  try {
    (void)parse_population(population_json, m, "pop.json");
    FAIL() << "accepted " << population_json;
  } catch (const input_error& error) {
    const std::string what = error.what();
    for (const auto& fragment : fragments) EXPECT_NE(what.find(fragment), std::string::npos) << fragment << " not in:\n" << what;
  }
}

TEST(Population, BadInputIsNamedWithItsPath) {
  expect_problems(R"({"protocol": "face_initial", "n": 10, "risk_factors": {"bruise_prone": 1.5, "vampire": 0.1}})",
                  {"pop.json: risk_factors.bruise_prone: prevalence is 1.5, but must be in [0, 1]",
                   "pop.json: risk_factors.vampire: unknown risk factor 'vampire' (known: bruise_prone"});
  expect_problems(R"({"protocol": "face_final", "n": 0, "colour": "red"})",
                  {"protocol: unknown protocol 'face_final' (known: face_initial", "n: is 0, but must be in [1, 1000000000]",
                   "colour: unknown field"});
  expect_problems(R"({"sessions_days": [0, 14, 7], "n": 5.5})", {"sessions_days[2]: 7 is not after the session before it", "n: is 5.5, but must be a whole number"});
  expect_problems(R"({"sessions_days": [3, 10], "n": 5})", {"sessions_days[0]: 3, but the first session is day 0"});
  expect_problems(R"({"protocol": "face_initial", "sessions_days": [0], "n": 5})", {"give either protocol or sessions_days, not both"});
  expect_problems(R"({"protocol": "face_initial", "interval_days": 60, "n": 5})", {"interval_days: is 60, but must be in [7, 30]"});
  expect_problems(R"({"sessions_days": [0], "n": 5, "risk_factors": {"bruise_prone": {"prevalence": 0.2, "stopped_days_before": 3}}})",
                  {"risk_factors.bruise_prone.stopped_days_before: 'bruise_prone' has no washout"});
  expect_problems(R"({"sessions_days": [0], "n": 5, "profiles": [{"weight": 0}, {"risk_factors": ["topical_anaesthetic"]}]})",
                  {"profiles[0].weight: is 0, but must be > 0", "profiles[1].risk_factors[0]: unknown risk factor 'topical_anaesthetic'"});
  expect_problems(R"({"sessions_days": [0], "n": 5, "seed": -1, "procedure": ["bruise_prone"], "treatment": "botox"})",
                  {"seed: is -1, but must be a whole number", "procedure[0]: unknown procedure modifier 'bruise_prone'",
                   "treatment: unknown treatment 'botox'"});
  expect_problems(R"({"sessions_days": [0]})", {"n: is missing"});
  expect_problems(R"([1, 2])", {"(top level): is an array, but must be an object"});
}

/// The problems parse_population reports for `text` (read as "pop.json"), as values.
std::vector<input_problem> population_problems(const std::string& text) {
  try {
    (void)parse_population(text, m, "pop.json");
  } catch (const input_error& error) {
    return error.problems();
  }
  return {};
}

bool has_problem(const std::vector<input_problem>& problems, const std::string& path, problem_code code) {
  return std::any_of(problems.begin(), problems.end(), [&](const input_problem& p) { return p.path == path && p.code == code; });
}

TEST(Population, EachProblemCarriesItsCodeAndSource) {
  const auto problems = population_problems(R"({"sessions_days": [0, 14, 7], "n": 0, "seed": 1.5, "treatment": "botox",
    "risk_factors": {"vampire": 0.1, "bruise_prone": 1.5, "aspirin": {"prevalence": 0.1, "stopped_days_before": 4000}}})");
  ASSERT_FALSE(problems.empty());
  for (const auto& problem : problems) {
    EXPECT_EQ(problem.source, "pop.json") << problem.to_string();
    EXPECT_FALSE(problem.path.starts_with("pop.json")) << problem.to_string();
  }
  EXPECT_TRUE(has_problem(problems, "sessions_days[2]", problem_code::conflict));
  EXPECT_TRUE(has_problem(problems, "n", problem_code::out_of_range));
  EXPECT_TRUE(has_problem(problems, "seed", problem_code::malformed));
  EXPECT_TRUE(has_problem(problems, "treatment", problem_code::unknown_id));
  EXPECT_TRUE(has_problem(problems, "risk_factors.vampire", problem_code::unknown_id));
  EXPECT_TRUE(has_problem(problems, "risk_factors.bruise_prone", problem_code::out_of_range));
  EXPECT_TRUE(has_problem(problems, "risk_factors.aspirin.stopped_days_before", problem_code::out_of_range));
  EXPECT_TRUE(has_problem(population_problems(R"({"protocol": "face_initial", "sessions_days": [0], "n": 5})"), "sessions_days",
                          problem_code::conflict));
  EXPECT_TRUE(has_problem(population_problems(R"({"protocol": "face_final", "n": 5})"), "protocol", problem_code::unknown_id));
  EXPECT_TRUE(has_problem(population_problems(R"({"sessions_days": [0], "n": 5, "colour": "red"})"), "colour", problem_code::malformed));
}

TEST(Population, OverridesAndDefaults) {
  const auto p = parse_population(R"({"protocol": "face_initial", "n": 10, "seed": 1})", m, "p", {.n = 99, .seed = 5});
  EXPECT_EQ(p.n, 99u);
  EXPECT_EQ(p.seed, 5u);
  EXPECT_EQ(p.session_days, (std::vector<int>{0, 14, 28, 42}));
  EXPECT_EQ(p.treatment, "mesotherapy_face");
  EXPECT_EQ(p.horizon_days, 72);
  EXPECT_EQ(parse_population(to_json(p), m), p);  // the echo reads back to the same population
  const auto weekly = parse_population(R"({"protocol": "face_initial", "interval_days": 7, "n": 10})", m);
  EXPECT_EQ(weekly.session_days, (std::vector<int>{0, 7, 14, 21}));
}

/// A valid shard file, as JSON to break.
nlohmann::ordered_json shard_document() {
  auto p = parse_population(cohort, m);
  p.n = 2000;
  const auto range = shard_range(p.n, 0, 2);
  return nlohmann::ordered_json::parse(to_partial_json(m, p, range, simulate(m, p, {.threads = 1, .patients = range})));
}

void expect_partial_refused(const nlohmann::ordered_json& document, const std::string& fragment) {
  try {
    (void)parse_partial(document.dump(), m, "a.json");
    FAIL() << "accepted a shard that should fail with " << fragment;
  } catch (const input_error& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << fragment << " not in:\n" << error.what();
  }
}

TEST(Merge, BrokenShardFilesAreNamed) {
  auto doc = shard_document();
  doc["model"]["version"] = "0.9";
  expect_partial_refused(doc, "a.json: model: the shard was simulated with mesotherapy_face 0.9");
  doc = shard_document();
  doc["tally"]["effects"][2]["visible"]["total"] = 5;
  expect_partial_refused(doc, "a.json: tally.effects[2].visible: counts add up to 1000, but total is 5");
  doc = shard_document();
  doc["tally"]["effects"][0]["resolution"]["runs"].push_back(nlohmann::ordered_json::array({16380, {1, 2, 3, 4, 5, 6}}));
  expect_partial_refused(doc, "but the last bin is 16384");
  doc = shard_document();
  doc["tally"]["any"]["visible_on_day"].erase(0);
  expect_partial_refused(doc, "a.json: tally.any.visible_on_day: has 72 entries, but this population needs 73");
  doc = shard_document();
  doc["patients"]["to"] = 5000;
  expect_partial_refused(doc, "a.json: patients: [0, 5000) is not a non-empty range within [0, 2000)");
  doc = shard_document();
  doc["population"]["risk_factors"]["bruise_prone"] = 2;
  expect_partial_refused(doc, "a.json: population: risk_factors.bruise_prone: prevalence is 2");
  doc = shard_document();
  doc["tally"]["effects"][1]["patients_affected"] = -3;
  expect_partial_refused(doc, "a.json: tally.effects[1].patients_affected: is a number that is not a whole number >= 0");
  expect_partial_refused(nlohmann::ordered_json{{"partial_summary", {{"format", 7}}}}, "is not format 1 of an aftermath partial summary");
}

TEST(Merge, ShardsMustCoverTheCohortOnceFromOneRun) {
  auto p = parse_population(cohort, m);
  p.n = 3000;
  const auto shard = [&](std::uint64_t k, std::uint64_t of, std::uint64_t seed) {
    auto q = p;
    q.seed = seed;
    const auto range = shard_range(q.n, k, of);
    return cohort_partial{"s" + std::to_string(k) + "of" + std::to_string(of) + "seed" + std::to_string(seed), q, range,
                          simulate(m, q, {.threads = 1, .patients = range})};
  };
  const auto message = [&](const std::vector<cohort_partial>& parts) {
    try {
      (void)merge(m, parts);
    } catch (const input_error& error) {
      return std::string(error.what());
    }
    return std::string("merged");
  };
  EXPECT_NE(message({shard(0, 3, 42), shard(2, 3, 42)}).find("s2of3seed42: starts at patient 2000, but patients [1000, 2000) are in no shard"),
            std::string::npos);
  EXPECT_NE(message({shard(0, 2, 42), shard(0, 3, 42), shard(1, 2, 42)}).find("overlap"), std::string::npos);
  EXPECT_NE(message({shard(0, 2, 42), shard(1, 2, 43)}).find("s1of2seed43: is a shard of a different run than s0of2seed42: seed (42 and 43) differ"),
            std::string::npos);
  EXPECT_NE(message({shard(0, 2, 42)}).find("patients [1500, 3000) are in no shard"), std::string::npos);
  try {
    (void)merge(m, {shard(0, 2, 42), shard(1, 2, 43)});
    FAIL() << "merged shards of two runs";
  } catch (const input_error& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].source, "s1of2seed43");  // the file, not a path within it
    EXPECT_EQ(error.problems()[0].path, "");
    EXPECT_EQ(error.problems()[0].code, problem_code::conflict);
  }
  // Shards of different splits still add up when they tile the cohort exactly.
  EXPECT_EQ(message({shard(0, 2, 42), shard(2, 4, 42), shard(3, 4, 42)}), "merged");
}

}  // namespace
}  // namespace aftermath

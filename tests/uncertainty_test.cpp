// The model's numbers as random quantities: every number listed under its file path, the SD
// rule and stated intervals, draws that follow the stated distributions and depend only on
// (seed, replicate), constrained pairs kept valid, and replicate intervals that cover the truth
// of a toy model at their nominal rate.
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/uncertainty.hpp>

#include "core/model_parameters.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <numbers>
#include <random>
#include <set>

namespace aftermath {
namespace {

const model& m = default_model();

const uncertain_parameter& find(const std::vector<uncertain_parameter>& list, std::string_view id) {
  for (const auto& p : list)
    if (p.id == id) return p;
  throw std::out_of_range(std::string(id));
}

/// Every {"value": ...} object of the model file, by its path with array items named by id.
void collect_numbers(const nlohmann::json& node, const std::string& path, std::set<std::string>& out) {
  if (node.is_object() && node.contains("value") && (node.contains("evidence") || node.contains("assumption"))) {
    out.insert(path);
    return;
  }
  if (node.is_object())
    for (const auto& [key, value] : node.items()) collect_numbers(value, path.empty() ? key : path + "." + key, out);
  if (node.is_array())
    for (const auto& item : node)
      if (item.is_object() && (item.contains("id") || item.contains("target")))
        collect_numbers(item, path + "." + item.value("id", item.value("target", std::string())), out);
}

TEST(ModelParameters, ListEveryNumberOfTheModelFileUnderItsPath) {
  std::set<std::string> in_file;
  collect_numbers(nlohmann::json::parse(to_json(m)), "", in_file);
  std::set<std::string> listed;
  for (const auto& p : model_parameters(m)) EXPECT_TRUE(listed.insert(p.id).second) << p.id << " is listed twice";
  EXPECT_EQ(listed, in_file);
  for (auto id : {"effects.bruising.curve.half_life_days", "effects.bruising.incidence", "modifiers.aspirin.targets.bruising.odds_ratio",
                  "modifiers.aspirin.washout.days"})
    EXPECT_TRUE(listed.count(id)) << id;
}

TEST(ModelParameters, SdFollowsTheEvidenceRuleOrTheStatedInterval) {
  const auto list = model_parameters(m);
  // label evidence with an assumption: one step wider than 0.15
  EXPECT_DOUBLE_EQ(find(list, "effects.bruising.incidence").sd, 0.25);
  // no source at all: the widest tier
  EXPECT_DOUBLE_EQ(find(list, "effects.bruising.variability.peak_sd").sd, 0.50);
  // a lab source and no assumption: 0.25
  EXPECT_DOUBLE_EQ(find(list, "modifiers.aspirin.washout.days").sd, 0.25);
  // the meta-analysis's interval 0.97-4.13 on the log scale
  EXPECT_NEAR(find(list, "modifiers.aspirin.targets.bruising.odds_ratio").sd, std::log(4.13 / 0.97) / (2 * 1.959963984540054), 1e-12);
  // definitions and choices are fixed; a zero lag has nowhere to spread on the log scale
  EXPECT_EQ(find(list, "severity_scale.visible").sd, 0.0);
  EXPECT_EQ(find(list, "protocols.face_initial.interval_days.target").sd, 0.0);
  EXPECT_EQ(find(list, "effects.bruising.curve.lag_days").sd, 0.0);
  for (const auto& p : list) {
    EXPECT_FALSE(p.basis.empty()) << p.id;
    if (!p.kind.estimate && p.sd > 0.0) ADD_FAILURE() << p.id << " is a choice, yet uncertain without a stated uncertainty";
  }
}

TEST(ModelParameters, ScalesKeepValuesInTheirRange) {
  const auto list = model_parameters(m);
  const auto& incidence = find(list, "effects.bruising.incidence");
  EXPECT_EQ(incidence.kind.scale, parameter_scale::logit);
  for (double z : {-8.0, -1.96, 0.0, 1.96, 8.0}) {
    EXPECT_GT(incidence.at(z), 0.0);
    EXPECT_LT(incidence.at(z), 1.0);
  }
  const auto& peak = find(list, "effects.bruising.curve.typical_peak");
  EXPECT_LT(peak.at(8.0), 10.0);
  const auto& half_life = find(list, "effects.bruising.curve.half_life_days");
  EXPECT_NEAR(half_life.at(1.0), half_life.value * std::exp(half_life.sd), 1e-12);
  EXPECT_DOUBLE_EQ(half_life.at(0.0), half_life.value);
}

TEST(ModelParameters, StatedUncertaintyIsReadWrittenAndChecked) {
  const auto text = to_json(m);
  EXPECT_EQ(to_json(parse_model(text)), text);
  auto doc = nlohmann::json::parse(text);
  auto& incidence = doc["effects"][0]["incidence"];
  incidence["uncertainty"] = {{"interval_95", {0.9, 0.95}}, {"evidence", {"restylane_label"}}};
  try {
    (void)parse_model(doc.dump());
    FAIL() << "an interval that does not hold the value was accepted";
  } catch (const input_error& e) {
    EXPECT_EQ(e.problems().front().path, "effects[0].incidence.uncertainty.interval_95");
  }
  incidence["uncertainty"] = {{"sd", 0.3}};
  try {
    (void)parse_model(doc.dump());
    FAIL() << "an uncertainty without provenance was accepted";
  } catch (const input_error& e) {
    EXPECT_EQ(e.problems().front().path, "effects[0].incidence.uncertainty");
  }
  incidence["uncertainty"] = {{"sd", 0.3}, {"assumption", "a test"}};
  EXPECT_DOUBLE_EQ(find(model_parameters(parse_model(doc.dump())), "effects.redness.incidence").sd, 0.3);
}

TEST(ReplicateValues, DependOnlyOnSeedAndReplicate) {
  const auto list = model_parameters(m);
  EXPECT_EQ(replicate_values(list, 7, 3), replicate_values(list, 7, 3));
  EXPECT_NE(replicate_values(list, 7, 3), replicate_values(list, 7, 4));
  EXPECT_NE(replicate_values(list, 8, 3), replicate_values(list, 7, 3));
  for (const auto& [index, value] : replicate_values(list, 7, 3)) EXPECT_GT(list[index].sd, 0.0) << list[index].id;
}

TEST(ReplicateValues, FollowTheStatedDistribution) {
  const auto list = model_parameters(m);
  std::size_t washout = 0;
  while (list[washout].id != "modifiers.aspirin.washout.days") ++washout;
  constexpr int replicates = 4000;
  double sum = 0.0, squares = 0.0;
  for (int r = 0; r < replicates; ++r)
    for (const auto& [index, value] : replicate_values(list, 11, static_cast<std::uint64_t>(r)))
      if (index == washout) sum += std::log(value / list[washout].value), squares += std::pow(std::log(value / list[washout].value), 2);
  const double mean = sum / replicates, sd = std::sqrt(squares / replicates - mean * mean);
  EXPECT_NEAR(mean, 0.0, 4 * list[washout].sd / std::sqrt(replicates));
  EXPECT_NEAR(sd, list[washout].sd, 4 * list[washout].sd / std::sqrt(2.0 * replicates));
}

TEST(ReplicateValues, KeepEveryCurveRisingBeforeItDecays) {
  const auto list = model_parameters(m);
  const profile patient = parse_profile(R"({"sessions": ["2026-12-01", "2026-12-08", "2026-12-15"]})", m);
  for (std::uint64_t r = 0; r < 2000; ++r) {
    const model drawn = with_parameter_values(m, replicate_values(list, 5, r));
    for (const auto& e : drawn.effects)
      ASSERT_LT(e.curve.time_to_peak_days.value, e.curve.half_life_days.value / std::numbers::ln2) << e.id << " in replicate " << r;
    ASSERT_NO_THROW((void)personalise(drawn, patient)) << "replicate " << r;
  }
}

TEST(WithParameterValues, ReplacesOnlyTheNumbersGiven) {
  const auto list = model_parameters(m);
  std::size_t incidence = 0;
  while (list[incidence].id != "effects.bruising.incidence") ++incidence;
  const std::pair<std::size_t, double> value{incidence, 0.42};
  const model changed = with_parameter_values(m, {&value, 1});
  const auto after = model_parameters(changed);
  for (std::size_t k = 0; k < list.size(); ++k) EXPECT_EQ(after[k].value, k == incidence ? 0.42 : list[k].value) << list[k].id;
  const std::pair<std::size_t, double> beyond{list.size(), 1.0};
  EXPECT_THROW((void)with_parameter_values(m, {&beyond, 1}), std::invalid_argument);
}

TEST(ShareStandardError, IsTheBinomialOne) {
  EXPECT_DOUBLE_EQ(share_standard_error(0.3, 10000), std::sqrt(0.3 * 0.7 / 10000));
  EXPECT_EQ(share_standard_error(0.0, 100), 0.0);
}

TEST(DayHistogram, BinnedSdIsWithinHalfABinOfTheExactSd) {
  std::mt19937_64 random(3);
  std::gamma_distribution<double> days(2.0, 3.0);
  day_histogram h;
  std::vector<double> values;
  for (int i = 0; i < 20000; ++i) values.push_back(i % 5 == 0 ? 0.0 : days(random));
  for (double v : values) h.add(v);
  double mean = 0.0, squares = 0.0;
  for (double v : values) mean += v / static_cast<double>(values.size());
  for (double v : values) squares += (v - mean) * (v - mean);
  EXPECT_NEAR(*h.sd(), std::sqrt(squares / static_cast<double>(values.size())), 0.5 / day_histogram::bins_per_day);
}

// ---- replicates ----

/// The default model with every number fixed but one, whose logit-scale SD is `sd`.
model only_uncertain(std::string_view id, double sd) {
  model out = m;
  detail::for_each_parameter(out, [&](const std::string& name, parameter& p, const parameter_kind&) {
    p.uncertainty = stated_uncertainty{std::nullopt, name == id ? sd : 0.0, {}, "a test", {}};
  });
  return out;
}

population one_session(std::uint64_t n, std::uint64_t seed) {
  return parse_population(R"({"sessions_days": [0], "n": )" + std::to_string(n) + R"(, "seed": )" + std::to_string(seed) + "}", m);
}

TEST(SimulateReplicates, RefusesCountsOutOfRange) {
  const auto p = one_session(100, 1);
  EXPECT_THROW((void)simulate_replicates(m, p, 0), input_error);
  EXPECT_THROW((void)simulate_replicates(m, p, 10001), input_error);
}

TEST(SimulateReplicates, NominalIsThePlainRunAndIntervalsAreOrdered) {
  const auto p = one_session(3000, 9);
  const auto run = simulate_replicates(m, p, 40, {.threads = 2});
  EXPECT_EQ(to_json(run.nominal), to_json(summarise(m, p, simulate(m, p))));
  const auto& u = run.uncertainty;
  EXPECT_EQ(u.replicates, 40u);
  for (std::size_t e = 0; e < run.nominal.effects.size(); ++e) {
    EXPECT_LE(u.low.effects[e].occurs, u.median.effects[e].occurs);
    EXPECT_LE(u.median.effects[e].occurs, u.high.effects[e].occurs);
    EXPECT_LT(u.low.effects[e].occurs, u.high.effects[e].occurs) << m.effects[e].id << ": an uncertain incidence gives an interval";
    EXPECT_LE(*u.low.effects[e].visible.mean, *u.high.effects[e].visible.mean);
  }
}

TEST(SimulateReplicates, AFixedModelHasNoSpread) {
  const model fixed = only_uncertain("", 0.0);
  const auto p = one_session(2000, 4);
  const auto run = simulate_replicates(fixed, p, 5);
  EXPECT_EQ(to_json(run.uncertainty.low), to_json(run.nominal));
  EXPECT_EQ(to_json(run.uncertainty.high), to_json(run.nominal));
}

TEST(SimulateReplicates, SameBytesForAnyThreadCount) {
  const auto p = one_session(9000, 2);
  const auto one = simulate_replicates(m, p, 8, {.threads = 1});
  const auto two = simulate_replicates(m, p, 8, {.threads = 2});
  EXPECT_EQ(to_json(one), to_json(two));
}



TEST(SimulatePairedReplicates, GiveEachDifferenceAnOrderedIntervalAndNoneWhenFixed) {
  const auto a = parse_population(R"({"protocol": "face_initial", "n": 3000, "seed": 5,
    "risk_factors": {"aspirin": {"prevalence": 1.0, "paused_days_before_each_session": 3}}})", m);
  const auto b = parse_population(R"({"protocol": "face_initial", "n": 3000, "seed": 5,
    "risk_factors": {"aspirin": {"prevalence": 1.0, "paused_days_before_each_session": 7}}})", m);
  const auto run = simulate_paired_replicates(m, a, b, 12, {.threads = 2});
  const auto nominal = summarise_difference(m, a, b, run.nominal);
  const auto& u = run.uncertainty;
  EXPECT_EQ(to_json(summarise(m, a, run.nominal.population)), to_json(summarise(m, a, simulate(m, a))));
  const auto& low = u.low.effects[2].visible_days_mean, &median = u.median.effects[2].visible_days_mean, &high = u.high.effects[2].visible_days_mean;
  ASSERT_TRUE(low && median && high);
  EXPECT_LE(low->estimate, median->estimate);
  EXPECT_LE(median->estimate, high->estimate);
  EXPECT_LT(low->estimate, high->estimate);
  EXPECT_LT(nominal.effects[2].visible_days_mean->estimate, 0.0) << "a longer pause, fewer bruising days";
  const model fixed = only_uncertain("", 0.0);
  const auto still = simulate_paired_replicates(fixed, a, b, 3);
  EXPECT_EQ(still.uncertainty.low.effects[2].visible_days_mean->estimate, summarise_difference(fixed, a, b, still.nominal).effects[2].visible_days_mean->estimate);
  EXPECT_THROW((void)simulate_paired_replicates(m, a, b, 0), input_error);
}

// ---- sensitivity ----

TEST(SummaryFigure, ReadsTheNamedFigureAndNamesWhatItCouldBe) {
  const auto p = one_session(2000, 3);
  const auto s = summarise(m, p, simulate(m, p));
  EXPECT_EQ(summary_figure(m, p, "bruising.visible_days.mean").of(s), s.effects[2].visible.mean);
  EXPECT_EQ(summary_figure(m, p, "any.probability").of(s), s.any.occurs.value());
  EXPECT_EQ(summary_figure(m, p, "pain.p_visible_by_day.1").of(s), s.effects[4].p_visible_by_day[1].value());
  EXPECT_EQ(summary_figure(m, p, "results.at_horizon").of(s), s.results_by_day.back());
  EXPECT_NEAR(*summary_figure(m, p, "bruising.probability").standard_error(s), share_standard_error(s.effects[2].occurs.value(), 2000), 1e-15);
  EXPECT_EQ(summary_figure(m, p, "bruising.visible_days.p95").standard_error(s), std::nullopt);
  for (auto bad : {"bruising", "bruise.probability", "bruising.visible_days.p99", "bruising.incidence_by_session.1", "bruising.p_visible_by_day.31"}) {
    try {
      (void)summary_figure(m, p, bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const input_error& e) {
      EXPECT_EQ(e.problems().front().path, "output");
      EXPECT_NE(std::string(e.what()).find("bruising"), std::string::npos) << "lists the effects";
    }
  }
}

// Whether bruising occurs depends on its incidence alone: not on its curve, nor on another
// effect's incidence. Jansen's total index of a number the figure ignores is exactly 0.
TEST(Sensitivity, OnlyTheNumberThatMattersHasAnIndex) {
  const auto p = one_session(2000, 8);
  const summary_figure figure(m, p, "bruising.probability");
  const std::vector<std::string> ids{"effects.redness.incidence", "effects.bruising.incidence", "effects.bruising.curve.half_life_days"};
  sensitivity_options options;
  options.patients = 2000;
  options.sobol.base_samples = 128;
  options.sobol.bootstrap = 100;
  const auto result = sensitivity(m, p, figure, ids, options);
  ASSERT_EQ(result.parameters.size(), 3u);
  EXPECT_EQ(result.parameters[0].id, "effects.bruising.incidence");
  EXPECT_NEAR(result.parameters[0].index.total.estimate, 1.0, 0.1);
  EXPECT_NEAR(result.parameters[0].index.first_order.estimate, 1.0, 0.1);
  for (std::size_t k = 1; k < 3; ++k) {
    EXPECT_EQ(result.parameters[k].index.total.estimate, 0.0) << result.parameters[k].id;
    EXPECT_EQ(result.parameters[k].index.total.high, 0.0) << result.parameters[k].id;
  }
  EXPECT_EQ(result.evaluations, 128u * 5);
  EXPECT_GT(result.noise_share, 0.0);
  EXPECT_LT(result.noise_share, 0.1);
}

TEST(Sensitivity, ParametersMovingAreThoseOfThePopulationAndFigure) {
  const auto p = parse_population(R"({"sessions_days": [0], "n": 400, "seed": 2, "risk_factors": {"aspirin": 1.0}})", m);
  const auto moving = parameters_moving(m, p, summary_figure(m, p, "bruising.probability"), 400);
  const std::set<std::string> found(moving.begin(), moving.end());
  EXPECT_TRUE(found.count("effects.bruising.incidence"));
  EXPECT_TRUE(found.count("modifiers.aspirin.targets.bruising.odds_ratio"));
  EXPECT_FALSE(found.count("effects.redness.incidence"));
  EXPECT_FALSE(found.count("modifiers.anticoagulant.targets.bruising.odds_ratio"));
  EXPECT_FALSE(found.count("effects.bruising.curve.half_life_days")) << "whether it occurs does not depend on how long it lasts";
}

TEST(Sensitivity, NamesBadParameters) {
  const auto p = one_session(100, 1);
  const summary_figure figure(m, p, "bruising.probability");
  try {
    (void)sensitivity(m, p, figure, {"effects.bruising.incidence", "effects.nothing", "severity_scale.visible", "effects.bruising.incidence"});
    FAIL();
  } catch (const input_error& e) {
    ASSERT_EQ(e.problems().size(), 3u);
    EXPECT_EQ(e.problems()[0].path, "parameters[1]");
    EXPECT_EQ(e.problems()[0].code, problem_code::unknown_id);
    EXPECT_EQ(e.problems()[1].path, "parameters[2]");
    EXPECT_NE(e.problems()[1].message.find("fixed"), std::string::npos);
    EXPECT_EQ(e.problems()[2].path, "parameters[3]");
  }
}

}  // namespace
}  // namespace aftermath

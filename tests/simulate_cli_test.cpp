// aftermath simulate and merge as a researcher runs them: the contract's JSON names, shards
// merged byte for byte, per-patient rows, bad populations and broken shard files with exit 2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;
using aftermath::testing::run;
using aftermath::testing::write_file;

constexpr const char* population = R"({"protocol": "face_initial", "n": 20000, "seed": 42,
  "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": 0.10}})";

TEST(SimulateCli, WritesTheContractJson) {
  const auto r = run("simulate --format json --threads 2 --population " + write_file("pop.json", population));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc["n"], 20000);
  EXPECT_EQ(doc["seed"], 42);
  EXPECT_EQ(doc["sessions_days"], json::parse("[0, 14, 28, 42]"));
  ASSERT_EQ(doc["effects"].size(), 6u);
  const auto& bruising = doc["effects"][2];
  EXPECT_EQ(bruising["id"], "bruising");
  EXPECT_GT(bruising["incidence_per_session"].get<double>(), 0.2);
  for (auto key : {"p05", "p50", "p95", "mean"}) EXPECT_TRUE(bruising["resolution_days"].contains(key)) << key;
  for (auto key : {"mean", "p50", "p95"}) EXPECT_TRUE(bruising["visible_days"].contains(key)) << key;
  EXPECT_EQ(bruising["p_visible_by_day"].size(), 73u);  // days 0..last session + 30
  EXPECT_EQ(doc["any_effect"]["p_visible_by_day"].size(), 73u);
  EXPECT_NE(doc["notice"].get<std::string>().find("not medical advice"), std::string::npos);
}

/// p2_5 <= p50 <= p97_5 in every interval of a figure's uncertainty, recursively.
void expect_ordered_intervals(const json& node, const std::string& path) {
  if (node.is_object() && node.contains("p2_5")) {
    EXPECT_LE(node["p2_5"].get<double>(), node["p50"].get<double>()) << path;
    EXPECT_LE(node["p50"].get<double>(), node["p97_5"].get<double>()) << path;
    return;
  }
  if (node.is_object())
    for (const auto& [key, value] : node.items()) expect_ordered_intervals(value, path + "." + key);
  if (node.is_array())
    for (std::size_t k = 0; k < node.size(); ++k) expect_ordered_intervals(node[k], path + "[" + std::to_string(k) + "]");
}

TEST(SimulateCli, ReplicatesGiveEveryFigureAnIntervalAndEveryShareAnMcse) {
  const auto file = write_file("pop-replicates.json", population);
  const auto r = run("simulate --format json --population " + file + " -n 3000 --replicates 20");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc["replicates"]["count"], 20);
  const auto plain = json::parse(run("simulate --format json --population " + file + " -n 3000").out);
  for (std::size_t e = 0; e < doc["effects"].size(); ++e) {
    const auto& effect = doc["effects"][e];
    EXPECT_EQ(effect["probability"], plain["effects"][e]["probability"]) << "the figures are the model's own";
    const auto& u = effect["uncertainty"];
    for (auto key : {"probability", "incidence_per_session"}) EXPECT_TRUE(u[key].contains("p2_5")) << key;
    EXPECT_EQ(u["p_visible_by_day"].size(), effect["p_visible_by_day"].size());
    EXPECT_TRUE(u["visible_days"]["mean"].contains("p97_5"));
    expect_ordered_intervals(u, effect["id"].get<std::string>());
    const double p = effect["probability"].get<double>();
    EXPECT_NEAR(effect["mcse"]["probability"].get<double>(), std::sqrt(p * (1 - p) / 3000), 1e-6);
    EXPECT_GT(effect["mcse"]["visible_days"]["mean"].get<double>(), 0.0);
  }
  expect_ordered_intervals(doc["any_effect"]["uncertainty"], "any");
  const auto text = run("simulate --format text --population " + file + " -n 3000 --replicates 20");
  EXPECT_NE(text.out.find("95 % interval across 20 parameter sets"), std::string::npos) << text.out;
}

TEST(SimulateCli, ReplicatesGiveAPairedDifferenceItsModelUncertainty) {
  const auto a = write_file("pause3.json", R"({"protocol": "face_initial", "n": 2000, "seed": 4,
    "risk_factors": {"aspirin": {"prevalence": 1.0, "paused_days_before_each_session": 3}}})");
  const auto b = write_file("pause7.json", R"({"protocol": "face_initial", "n": 2000, "seed": 4,
    "risk_factors": {"aspirin": {"prevalence": 1.0, "paused_days_before_each_session": 7}}})");
  const auto r = run("simulate --format json --population " + a + " --compare " + b + " --replicates 10");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc["difference"]["replicates"]["count"], 10);
  const auto& bruising = doc["difference"]["effects"][2];
  EXPECT_EQ(bruising["id"], "bruising");
  expect_ordered_intervals(bruising["visible_days"]["mean"]["uncertainty"], "bruising visible");
  expect_ordered_intervals(bruising["probability"]["uncertainty"], "bruising probability");
  const auto plain = json::parse(run("simulate --format json --population " + a + " --compare " + b).out);
  EXPECT_EQ(plain["difference"]["effects"][2]["visible_days"]["mean"]["estimate"], bruising["visible_days"]["mean"]["estimate"]);
  const auto text = run("simulate --format text --population " + a + " --compare " + b + " --replicates 10");
  EXPECT_NE(text.out.find("each difference's 95 % interval across 10 parameter sets"), std::string::npos) << text.out;
}

TEST(SimulateCli, ReplicatesAreChecked) {
  const auto file = write_file("pop-replicates-bad.json", population);
  const auto zero = run("simulate --population " + file + " -n 100 --replicates 0");
  EXPECT_EQ(zero.status, 2);
  EXPECT_NE(zero.out.find("replicates: 0, but must be 1 to 10000"), std::string::npos) << zero.out;
  const auto empty = run("simulate --population " + file + " -n 100 --replicates 2 --shard 1/3");
  EXPECT_EQ(empty.status, 2);
  EXPECT_NE(empty.out.find("--shard: 1/3 of 2 replicates holds none"), std::string::npos) << empty.out;
  const auto rows = run("simulate --population " + file + " -n 100 --replicates 2 --shard 1/2 --rows " + write_file("rows.csv", ""));
  EXPECT_EQ(rows.status, 2);
  EXPECT_NE(rows.out.find("--rows: cannot be combined with --shard and --replicates"), std::string::npos) << rows.out;
}

TEST(SimulateCli, ShardsOfAReplicatedRunMergeToTheSingleRunByteForByte) {
  const auto file = write_file("pop-replicated-shards.json", population);
  const auto whole = run("simulate --format json --population " + file + " -n 2000 --replicates 7");
  ASSERT_EQ(whole.status, 0) << whole.out;
  std::vector<std::string> shards;
  for (int i = 1; i <= 3; ++i) {
    const auto shard = run("simulate --population " + file + " -n 2000 --replicates 7 --threads 1 --shard " + std::to_string(i) + "/3");
    ASSERT_EQ(shard.status, 0) << shard.out;
    shards.push_back(write_file("replicated-shard" + std::to_string(i) + ".json", shard.out));
  }
  const auto merged = run("merge --format json " + shards[2] + " " + shards[0] + " " + shards[1]);
  ASSERT_EQ(merged.status, 0) << merged.out;
  EXPECT_EQ(merged.out, whole.out);

  const auto missing = run("merge " + shards[0] + " " + shards[2]);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.out.find("replicates: starts at replicate 4, but replicates from 2 are in no shard"), std::string::npos) << missing.out;
  const auto plain = run("simulate --population " + file + " -n 2000 --shard 1/1");
  const auto mixed = run("merge " + shards[0] + " " + write_file("plain-shard.json", plain.out));
  EXPECT_EQ(mixed.status, 2);
  EXPECT_NE(mixed.out.find("this shard is not of a replicated run"), std::string::npos) << mixed.out;

  // ordered_json: the population's risk factors keep their order, and with it the run they describe.
  auto broken = nlohmann::ordered_json::parse(run("simulate --population " + file + " -n 2000 --replicates 7 --shard 1/3").out);
  broken["replicates"]["figures"][1][0] = 7.5;  // a share of patients
  const auto misfit = run("merge " + write_file("misfit.json", broken.dump()) + " " + shards[1] + " " + shards[2]);
  EXPECT_EQ(misfit.status, 2);
  EXPECT_NE(misfit.out.find("replicates.figures[1][0]: does not fit its place"), std::string::npos) << misfit.out;
  broken["replicates"]["figures"][1].erase(0);
  const auto short_list = run("merge " + write_file("short.json", broken.dump()));
  EXPECT_EQ(short_list.status, 2);
  EXPECT_NE(short_list.out.find("replicates.figures[1]: has"), std::string::npos) << short_list.out;
}

TEST(SimulateCli, ModelParametersListsEveryIdWithItsDistribution) {
  const auto r = run("model --parameters --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  std::map<std::string, json> by_id;
  for (const auto& p : doc["parameters"]) by_id[p["id"].get<std::string>()] = p;
  const auto& odds = by_id.at("modifiers.aspirin.targets.bruising.odds_ratio");
  EXPECT_EQ(odds["distribution"], "log_normal");
  EXPECT_NEAR(odds["interval_95"][0].get<double>(), 0.97, 0.005);
  EXPECT_NEAR(odds["interval_95"][1].get<double>(), 4.13, 0.005);
  EXPECT_EQ(by_id.at("effects.bruising.incidence")["distribution"], "logit_normal");
  EXPECT_EQ(by_id.at("severity_scale.visible")["distribution"], "fixed");
  EXPECT_TRUE(by_id.count("modifiers.aspirin.washout.days"));
  EXPECT_NE(run("model --parameters --format text").out.find("effects.bruising.curve.half_life_days"), std::string::npos);
}

TEST(SimulateCli, SensitivityRanksTheNamedParametersAndChartsThem) {
  const auto file = write_file("pop-sensitivity.json", R"({"sessions_days": [0], "n": 500, "seed": 3, "risk_factors": {"aspirin": 1.0}})");
  const auto svg = write_file("sensitivity.svg", "");
  const auto r = run("sensitivity --format json --population " + file + " --output bruising.probability -n 300 --base-samples 32 "
                     "--bootstrap 50 --parameters effects.bruising.incidence,modifiers.aspirin.targets.bruising.odds_ratio,effects.redness.incidence "
                     "--svg " + svg);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc["output"], "bruising.probability");
  ASSERT_EQ(doc["parameters"].size(), 3u);
  for (std::size_t k = 0; k + 1 < 3; ++k)
    EXPECT_GE(doc["parameters"][k]["total"]["estimate"].get<double>(), doc["parameters"][k + 1]["total"]["estimate"].get<double>());
  for (const auto& p : doc["parameters"])
    for (auto index : {"first_order", "total"})
      for (auto key : {"estimate", "low", "high"}) EXPECT_TRUE(p[index].contains(key)) << p["id"] << index << key;
  EXPECT_EQ(doc["parameters"][2]["id"], "effects.redness.incidence");
  EXPECT_EQ(doc["evaluations"], 32 * 5);
  std::ifstream chart(svg);
  const std::string drawn((std::istreambuf_iterator<char>(chart)), {});
  EXPECT_NE(drawn.find("effects.bruising.incidence"), std::string::npos);
  const auto bad = run("sensitivity --population " + file + " --output bruising.nothing");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("--output: 'bruising.nothing' names no figure"), std::string::npos) << bad.out;
}

TEST(SimulateCli, ShardsMergeToTheSingleRunByteForByte) {
  const auto file = write_file("pop2.json", population);
  const auto whole = run("simulate --format json --population " + file + " -n 9000 --seed 5");
  ASSERT_EQ(whole.status, 0) << whole.out;
  std::string shards;
  for (int i = 1; i <= 3; ++i) {
    const auto shard = run("simulate --population " + file + " -n 9000 --seed 5 --shard " + std::to_string(i) + "/3");
    ASSERT_EQ(shard.status, 0) << shard.out;
    shards += " " + write_file("shard" + std::to_string(i) + ".json", shard.out);
  }
  const auto merged = run("merge --format json" + shards);
  ASSERT_EQ(merged.status, 0) << merged.out;
  EXPECT_EQ(merged.out, whole.out);
  EXPECT_NE(run("merge --format text" + shards).out.find("Cohort simulation: 9000 patients, seed 5"), std::string::npos);
}

TEST(SimulateCli, CompareAddsThePairedDifferencePerEffectAndFigure) {
  const auto pop = write_file("pop-paired.json", population);
  const auto weekly = write_file("pop-paired-weekly.json", R"({"protocol": "face_initial", "interval_days": 7, "n": 20000, "seed": 42,
    "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": 0.10}})");
  const auto r = run("simulate --format json -n 4000 --threads 2 --population " + pop + " --compare " + weekly);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  ASSERT_TRUE(doc.contains("difference")) << r.out;
  const auto& difference = doc["difference"];
  EXPECT_NE(difference["of"].get<std::string>().find("compared minus population, per patient"), std::string::npos);
  ASSERT_EQ(difference["effects"].size(), 6u);
  const auto expect_figure = [](const json& figure, const std::string& what) {
    for (auto key : {"estimate", "se", "low", "high"}) ASSERT_TRUE(figure.contains(key)) << what << "." << key;
    EXPECT_LE(figure["low"].get<double>(), figure["estimate"].get<double>()) << what;
    EXPECT_LE(figure["estimate"].get<double>(), figure["high"].get<double>()) << what;
    EXPECT_GE(figure["se"].get<double>(), 0.0) << what;
  };
  for (std::size_t e = 0; e < 6; ++e) {
    const auto& effect = difference["effects"][e];
    EXPECT_EQ(effect["id"], doc["effects"][e]["id"]);
    const std::string id = effect["id"];
    expect_figure(effect["probability"], id + ".probability");
    expect_figure(effect["incidence_per_session"], id + ".incidence_per_session");
    expect_figure(effect["visible_days"]["mean"], id + ".visible_days.mean");
    expect_figure(effect["resolution_days"]["mean"], id + ".resolution_days.mean");
    EXPECT_LE(effect["resolution_days"]["patients"].get<std::uint64_t>(), 4000u);
    EXPECT_NEAR(effect["visible_days"]["mean"]["estimate"].get<double>(),
                doc["compared"]["effects"][e]["visible_days"]["mean"].get<double>() - doc["effects"][e]["visible_days"]["mean"].get<double>(),
                2e-3)
        << id << ": the difference of the arms' means (each rounded to 3 decimals)";
  }
  expect_figure(difference["any_effect"]["visible_days"]["mean"], "any.visible_days.mean");

  const auto text = run("simulate --format text -n 4000 --population " + pop + " --compare " + weekly);
  ASSERT_EQ(text.status, 0) << text.out;
  const auto table = text.out.find("Paired difference (compared - population)");
  ASSERT_NE(table, std::string::npos) << text.out;
  EXPECT_LT(text.out.find("== " + weekly + " =="), table) << "after both summaries";
  for (const char* expected : {"chance (pp)", "visible days", "resolved mean", "95 % interval", "Bruising", "Any side effect"})
    EXPECT_NE(text.out.find(expected, table), std::string::npos) << expected << "\n" << text.out.substr(table);
}

std::string aspirin_stopped(const std::string& days) {
  return R"({"protocol": "face_initial", "n": 3000, "seed": 8,
    "risk_factors": {"bruise_prone": 0.15, "aspirin": {"prevalence": 0.5, "stopped_days_before": )" + days + "}}}";
}

TEST(SimulateCli, ASweepRunsEveryArmPairedWithTheFirst) {
  const auto sweep = write_file("sweep.json", aspirin_stopped("[0, 3, 7, 10]"));
  const auto r = run("simulate --format json --threads 2 --population " + sweep);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc["sweep"], json::parse(R"({"factor": "aspirin", "field": "stopped_days_before", "values": [0, 3, 7, 10]})"));
  ASSERT_EQ(doc["arms"].size(), 4u);
  ASSERT_EQ(doc["differences"].size(), 3u);
  const auto first = write_file("sweep-arm-0.json", aspirin_stopped("0"));
  const int values[] = {0, 3, 7, 10};
  EXPECT_EQ(doc["arms"][0], json::parse(run("simulate --format json --population " + first).out)) << "arm 0 as it is alone";
  for (std::size_t k = 1; k < 4; ++k) {
    const auto arm = write_file("sweep-arm-" + std::to_string(k) + ".json", aspirin_stopped(std::to_string(values[k])));
    const auto compared = run("simulate --format json --population " + first + " --compare " + arm);
    ASSERT_EQ(compared.status, 0) << compared.out;
    const auto pair = json::parse(compared.out);
    EXPECT_EQ(doc["arms"][k].dump(), pair["compared"].dump()) << "arm " << k;
    auto difference = doc["differences"][k - 1];
    EXPECT_EQ(difference["value"], values[k]);
    EXPECT_EQ(difference["versus"], 0);
    difference.erase("value");
    difference.erase("versus");
    EXPECT_EQ(difference.dump(), pair["difference"].dump()) << "arm " << k << " minus arm 0, byte for byte";
  }

  const auto text = run("simulate --format text --population " + sweep);
  ASSERT_EQ(text.status, 0) << text.out;
  for (const char* expected : {"aspirin stopped_days_before 0: any side effect", "aspirin stopped_days_before 10: any side effect",
                               "== aspirin stopped_days_before 7 minus 0 ==", "Paired difference (compared - population)", "not medical advice"})
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
}

TEST(SimulateCli, ASweepIsNotCombinedWithCompareShardRowsOrReplicates) {
  const auto sweep = write_file("sweep-combined.json", aspirin_stopped("[0, 3]"));
  const auto other = write_file("sweep-other.json", aspirin_stopped("3"));
  for (const std::string& option : std::vector<std::string>{"--compare " + other, "--shard 1/2", "--rows " + write_file("rows-sweep.csv", ""), "--replicates 5"}) {
    const auto r = run("simulate --population " + sweep + " " + option);
    EXPECT_EQ(r.status, 2) << option << "\n" << r.out;
    const std::string name = option.substr(0, option.find(' '));
    EXPECT_NE(r.out.find(name + ": cannot be combined with a sweep"), std::string::npos) << r.out;
  }
  const auto bad = run("simulate --population " + write_file("sweep-bad.json", aspirin_stopped("[0, 3, 3, 4000]")));
  EXPECT_EQ(bad.status, 2);
  for (const char* expected : {"risk_factors.aspirin.stopped_days_before[2]: is 3 again", "risk_factors.aspirin.stopped_days_before[3]: is 4000"})
    EXPECT_NE(bad.out.find(expected), std::string::npos) << expected << "\n" << bad.out;
}

TEST(SimulateCli, TextNamesEveryEffectAndTheNotice) {
  const auto r = run("simulate --format text -n 2000 --population " + write_file("pop3.json", population));
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* expected : {"Cohort simulation: 2000 patients, seed 42", "Bruising", "Any side effect", "d43", "not medical advice"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
}

TEST(SimulateCli, RowsAreLongFormatCsv) {
  const auto rows = write_file("rows.csv", "");
  const auto r = run("simulate --format json -n 50 --population " + write_file("pop4.json", population) + " --rows " + rows);
  ASSERT_EQ(r.status, 0) << r.out;
  std::ifstream in(rows);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "patient,group,effect,sessions,resolved_after_last_days,visible_days");
  int count = 0;
  while (std::getline(in, line)) ++count;
  EXPECT_EQ(count, 50 * 7);  // six effects and "any" per patient
}

TEST(SimulateCli, BadPopulationsAndShardSpecsExitTwoNamingEachProblem) {
  const auto bad = run("simulate --population " +
                       write_file("bad.json", R"({"protocol": "face_monthly", "n": 0, "risk_factors": {"bruise_prone": 1.2, "werewolf": 0.1}})"));
  EXPECT_EQ(bad.status, 2) << bad.out;
  for (const char* expected : {"protocol: unknown protocol 'face_monthly'", "n: is 0", "risk_factors.bruise_prone: prevalence is 1.2",
                               "risk_factors.werewolf: unknown risk factor"})
    EXPECT_NE(bad.out.find(expected), std::string::npos) << expected << "\n" << bad.out;
  const auto shard = run("simulate --shard 4/3 --population " + write_file("ok.json", population));
  EXPECT_EQ(shard.status, 2);
  EXPECT_NE(shard.out.find("--shard: '4/3' is not i/k with 1 <= i <= k"), std::string::npos) << shard.out;
  EXPECT_EQ(run("simulate --population " + write_file("ok2.json", population) + " -n 0").status, 2);
  EXPECT_EQ(run("simulate --population /nonexistent/pop.json").status, 2);
}

TEST(SimulateCli, MergeNamesTheProblemsOfEveryFile) {
  const auto overflow = run("merge " + write_file("huge1.json", R"({"partial_summary": 1e999})") + " " +
                            write_file("huge2.json", R"({"partial_summary": {"format": 1}, "n": -1e400})"));
  EXPECT_EQ(overflow.status, 2);
  EXPECT_NE(overflow.out.find("huge1.json: partial_summary: is a number too large for a double (1e999)"), std::string::npos)
      << overflow.out;
  EXPECT_NE(overflow.out.find("huge2.json: n: is a number too large for a double (-1e400)"), std::string::npos) << overflow.out;
}

TEST(SimulateCli, BrokenShardFilesExitTwo) {
  const auto file = write_file("pop5.json", population);
  const auto first = write_file("first.json", run("simulate -n 4000 --shard 1/2 --population " + file).out);
  const auto gap = run("merge " + first);
  EXPECT_EQ(gap.status, 2);
  EXPECT_NE(gap.out.find("patients [2000, 4000) are in no shard"), std::string::npos) << gap.out;
  const auto garbage = run("merge " + first + " " + write_file("garbage.json", "{\"partial_summary\": "));
  EXPECT_EQ(garbage.status, 2);
  EXPECT_NE(garbage.out.find("garbage.json: partial_summary: malformed JSON"), std::string::npos) << garbage.out;
}

}  // namespace

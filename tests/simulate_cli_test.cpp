// aftermath simulate and merge as a researcher runs them: the contract's JSON names, shards
// merged byte for byte, per-patient rows, bad populations and broken shard files with exit 2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"

#include <fstream>
#include <sstream>
#include <string>

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

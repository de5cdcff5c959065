// The command's charts: --svg on project, assess, plan and simulate writes a chart and leaves
// stdout as it was; simulate --compare runs a second population beside the first and overlays it on the chart; a path that
// cannot be written and options that cannot go together are named, with exit 2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/svg_tools.hpp"

#include <filesystem>
#include <string>

namespace {

using json = nlohmann::json;
using aftermath::testing::count_class;
using aftermath::testing::expect_renders;
using aftermath::testing::expect_well_formed;
using aftermath::testing::inspect;
using aftermath::testing::read_whole;
using aftermath::testing::run;
using aftermath::testing::write_file;

constexpr const char* profile = R"({"patient": "anon-17", "risk_factors": ["bruise_prone"], "sessions": ["2026-12-01", "2026-12-15"]})";
constexpr const char* reports = R"({"reports": [{"date": "2026-12-03", "symptom": "bruising", "severity": 5},
  {"day": 2.5, "symptom": "redness", "severity": 2}]})";
constexpr const char* request = R"({"profile": {"patient": "p-17", "risk_factors": ["bruise_prone"]},
  "protocol": "face_initial", "earliest": "2026-12-01",
  "events": [{"date": "2027-02-14", "name": "wedding", "require": "no_visible_side_effects"}]})";
constexpr const char* fortnightly = R"({"protocol": "face_initial", "n": 100000, "seed": 42, "risk_factors": {"bruise_prone": 0.15}})";
constexpr const char* weekly = R"({"protocol": "face_initial", "interval_days": 7, "n": 5, "seed": 1, "risk_factors": {"bruise_prone": 0.15}})";

/// A fresh path for a chart (any file left from an earlier run removed).
std::string chart_path(const std::string& name) {
  const auto path = write_file(name, "");
  std::filesystem::remove(path);
  return path;
}

/// Runs the command twice, with and without --svg, and expects the same stdout and a chart.
json expect_chart(const std::string& arguments, const std::string& name) {
  const std::string svg = chart_path(name);
  const auto with_chart = run(arguments + " --svg " + svg);
  EXPECT_EQ(with_chart.status, 0) << with_chart.out;
  EXPECT_EQ(with_chart.out, run(arguments).out) << "--svg leaves stdout as it was";
  EXPECT_TRUE(std::filesystem::exists(svg)) << svg;
  EXPECT_EQ(read_whole(svg).rfind("<?xml", 0), 0u);
  expect_well_formed(svg);
  expect_renders(svg);
  return inspect(svg);
}

TEST(ChartCli, ProjectWritesTheProjectionChart) {
  const auto doc = expect_chart("project --format json --profile " + write_file("c_profile.json", profile), "c_projection.svg");
  EXPECT_EQ(count_class(doc, "panel"), 6);
  EXPECT_EQ(count_class(doc, "session"), 12);
}

TEST(ChartCli, AssessWritesTheReportsOnTheirBands) {
  const auto doc = expect_chart("assess --format json --profile " + write_file("c_profile2.json", profile) + " --reports " +
                                    write_file("c_reports.json", reports),
                                "c_assessment.svg");
  EXPECT_EQ(count_class(doc, "report"), 2);
  EXPECT_EQ(count_class(doc, "panel"), 2);
}

TEST(ChartCli, PlanWritesTheTimelineBesideTheICalendarFile) {
  const std::string ics = chart_path("c_plan.ics");
  const auto doc = expect_chart("plan --format json --dtstamp 20261123T090000Z --ics " + ics + " --request " + write_file("c_request.json", request),
                                "c_plan.svg");
  const auto planned = json::parse(run("plan --format json --request " + write_file("c_request2.json", request)).out);
  EXPECT_EQ(count_class(doc, "item"), static_cast<int>(planned["items"].size()));
  EXPECT_EQ(count_class(doc, "event"), 1);
  EXPECT_TRUE(std::filesystem::exists(ics));
}

TEST(ChartCli, SimulateWritesTheCohortChart) {
  const auto doc = expect_chart("simulate --format json -n 2000 --population " + write_file("c_pop.json", fortnightly), "c_cohort.svg");
  EXPECT_EQ(count_class(doc, "panel"), 2);
}

TEST(ChartCli, CompareSimulatesTheSecondPopulationWithTheSameNAndSeed) {
  const std::string svg = chart_path("c_compared.svg");
  const auto pop = write_file("c_pop2.json", fortnightly), other = write_file("c_weekly.json", weekly);
  const auto r = run("simulate --format json -n 2000 --seed 9 --population " + pop + " --compare " + other + " --svg " + svg);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto out = json::parse(r.out);
  EXPECT_EQ(out["n"], 2000);
  EXPECT_EQ(out["sessions_days"], json::parse("[0, 14, 28, 42]"));
  ASSERT_TRUE(out.contains("compared"));
  EXPECT_EQ(out["compared"]["n"], 2000) << "-n and --seed set both populations";
  EXPECT_EQ(out["compared"]["seed"], 9);
  EXPECT_EQ(out["compared"]["sessions_days"], json::parse("[0, 7, 14, 21]"));
  EXPECT_EQ(out["compared"]["effects"].size(), 6u);
  json first_only = out;
  first_only.erase("compared");
  first_only.erase("difference");
  EXPECT_EQ(json::parse(run("simulate --format json -n 2000 --seed 9 --population " + pop).out), first_only)
      << "the first summary is the one a run without --compare writes";

  expect_well_formed(svg);
  expect_renders(svg);
  const auto doc = inspect(svg);
  EXPECT_EQ(count_class(doc, "visible"), 1) << "the two arms overlaid in one column";
  EXPECT_EQ(count_class(doc, "resolution"), 1);
  EXPECT_GT(count_class(doc, "arm-1"), 0);
  EXPECT_GT(count_class(doc, "arm-2"), 0);
  EXPECT_EQ(count_class(doc, "legend"), 1);
  EXPECT_TRUE(aftermath::testing::has_text(doc, "c_pop2.json")) << "the same protocol: the file names label the arms";
  EXPECT_TRUE(aftermath::testing::has_text(doc, "c_weekly.json"));

  const auto text = run("simulate --format text -n 2000 --seed 9 --population " + pop + " --compare " + other);
  ASSERT_EQ(text.status, 0) << text.out;
  const auto first = text.out.find("== " + pop + " =="), second = text.out.find("== " + other + " ==");
  ASSERT_NE(first, std::string::npos) << text.out;
  ASSERT_NE(second, std::string::npos) << text.out;
  EXPECT_LT(first, second);
  EXPECT_NE(text.out.find("Cohort simulation: 2000 patients", second), std::string::npos);
}

TEST(ChartCli, AnUnwritableChartIsNamed) {
  const std::string nowhere = "/nonexistent-directory/chart.svg";
  for (const std::string& arguments :
       {"project --profile " + write_file("c_profile3.json", profile), "plan --request " + write_file("c_request3.json", request),
        "simulate -n 100 --population " + write_file("c_pop3.json", fortnightly),
        "assess --profile " + write_file("c_profile4.json", profile) + " --reports " + write_file("c_reports4.json", reports)}) {
    const auto r = run(arguments + " --svg " + nowhere);
    EXPECT_EQ(r.status, 2) << arguments << "\n" << r.out;
    EXPECT_NE(r.out.find("--svg"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(nowhere), std::string::npos) << r.out;
  }
}

TEST(ChartCli, CompareDoesNotGoWithShard) {
  const auto pop = write_file("c_pop4.json", fortnightly);
  const auto r = run("simulate -n 100 --population " + pop + " --compare " + pop + " --shard 1/2");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--compare"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--shard"), std::string::npos) << r.out;
}

TEST(ChartCli, ComparedPopulationsMustShareNAndSeedAndNotBothBeStdin) {
  const auto pop = write_file("c_pop5.json", fortnightly), other = write_file("c_pop6.json", weekly);
  const auto n = run("simulate --population " + pop + " --compare " + other + " --seed 1");
  EXPECT_EQ(n.status, 2) << n.out;
  EXPECT_NE(n.out.find("--compare: n is 5 in '" + other + "' but 100000"), std::string::npos) << n.out;
  const auto seed = run("simulate --population " + pop + " --compare " + other + " -n 50");
  EXPECT_EQ(seed.status, 2) << seed.out;
  EXPECT_NE(seed.out.find("--compare: seed is 1 in '" + other + "' but 42"), std::string::npos) << seed.out;
  const auto stdin_twice = run("simulate -n 50 --population - --compare - < " + pop);
  EXPECT_EQ(stdin_twice.status, 2) << stdin_twice.out;
  EXPECT_NE(stdin_twice.out.find("only one of --population and --compare can be stdin"), std::string::npos) << stdin_twice.out;
}

// The README's chart is the command's own output, and stays so: a change to the model or the
// chart that alters it fails here until the image is made again with the command below.
TEST(ChartCli, TheReadmeChartIsWhatTheCommandWrites) {
  const std::string source = AFTERMATH_SOURCE_DIR;
  const std::string svg = chart_path("readme_projection.svg");
  const auto r = run("project --format json --profile " + source + "/examples/profile.json --svg " + svg);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(read_whole(svg) == read_whole(source + "/docs/images/projection.svg"))
      << "docs/images/projection.svg is out of date; make it again with\n"
      << "  build/release/aftermath project --profile examples/profile.json --svg docs/images/projection.svg";
}

}  // namespace

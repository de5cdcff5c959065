// The aftermath command as clinic software calls it: files in, text or JSON out, exit status.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

namespace {

using json = nlohmann::json;

using aftermath::testing::run;
using aftermath::testing::write_file;

constexpr const char* good_profile = R"({"patient": "anon-17", "risk_factors": ["bruise_prone", {"id": "aspirin", "stopped_on": "2026-11-24"}],
  "sessions": ["2026-12-01", {"date": "2026-12-15", "time": "14:30"}]})";

TEST(Cli, DemoPrintsAReadableProjectionWithDates) {
  const auto r = run("demo --format text --out " + std::filesystem::path(write_file("demo.keep", "")).parent_path().string() + "/demo");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("Bruising"), std::string::npos);
  EXPECT_NE(r.out.find("2026-12-"), std::string::npos);
  EXPECT_NE(r.out.find("not medical advice"), std::string::npos);
}

TEST(Cli, ProjectWritesTheContractJson) {
  const auto r = run("project --format json --profile " + write_file("p.json", good_profile));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc["model"]["id"], "mesotherapy_face");
  EXPECT_EQ(doc["patient"], "anon-17");
  EXPECT_EQ(doc["sessions"][1], "2026-12-15");
  const auto& e = doc["effects"][0];
  for (auto key : {"id", "name", "probability", "peak", "resolved", "curve"}) EXPECT_TRUE(e.contains(key)) << key;
  for (auto key : {"day", "p50", "p95"}) EXPECT_TRUE(e["peak"].contains(key)) << key;
  for (auto key : {"p50_day", "p95_day", "p50_date", "p95_date"}) EXPECT_TRUE(e["resolved"].contains(key)) << key;
  for (auto key : {"day", "p05", "p50", "p95", "p_visible"}) EXPECT_TRUE(e["curve"][0].contains(key)) << key;
  EXPECT_TRUE(doc["results"]["curve"][0].contains("p50"));
  EXPECT_TRUE(doc["aftercare"][0].contains("until"));
  for (auto key : {"id", "probability", "window_days", "text"}) EXPECT_TRUE(doc["risks"][0].contains(key)) << key;
  EXPECT_NE(doc["notice"].get<std::string>().find("not medical advice"), std::string::npos);
}

TEST(Cli, ProjectReadsStdinAndHonoursTheHorizon) {
  const auto r = run("project --format json --horizon 10 --profile - < " + write_file("p2.json", good_profile));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(json::parse(r.out)["effects"][0]["curve"].size(), 11u);
}

TEST(Cli, ModelPrintsEffectsWithEvidence) {
  const auto text = run("model --format text");
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("bruising"), std::string::npos);
  EXPECT_NE(text.out.find("assumption"), std::string::npos);
  const auto as_json = run("model --format json");
  ASSERT_EQ(as_json.status, 0);
  EXPECT_GT(json::parse(as_json.out)["evidence"].size(), 5u);
}

constexpr const char* good_reports = R"({"reports": [{"date": "2026-12-03", "symptom": "bruising", "severity": 5},
  {"day": 2.5, "symptom": "redness", "severity": 2, "flags": ["fever", "spreading_redness"]}]})";

TEST(Cli, AssessWritesTheContractJson) {
  const auto r = run("assess --format json --profile " + write_file("ap.json", good_profile) + " --reports " +
                     write_file("ar.json", good_reports));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto a = json::parse(r.out);
  EXPECT_EQ(a["triage"], "urgent");  // fever and spreading redness: signs of infection
  ASSERT_FALSE(a["reasons"].empty());
  EXPECT_EQ(a["reasons"][0]["rule"], "infection_signs");
  EXPECT_FALSE(a["reasons"][0]["evidence"].get<std::string>().empty());
  ASSERT_EQ(a["symptoms"].size(), 2u);
  for (const auto& s : a["symptoms"]) {
    for (const char* key : {"symptom", "day", "reported", "expected", "percentile", "status"}) EXPECT_TRUE(s.contains(key)) << key;
    EXPECT_LE(s["expected"]["p05"].get<double>(), s["expected"]["p95"].get<double>());
  }
  EXPECT_EQ(a["symptoms"][0]["symptom"], "bruising");
  ASSERT_EQ(a["updated"]["effects"].size(), 2u);
  for (const auto& e : a["updated"]["effects"])
    EXPECT_LE(e["resolved"]["p50_day"].get<double>(), e["resolved"]["p95_day"].get<double>());
  EXPECT_NE(a["notice"].get<std::string>().find("not medical advice"), std::string::npos);
}

TEST(Cli, AssessTextNamesTheLevelAndEveryReport) {
  const auto r = run("assess --format text --profile " + write_file("tp.json", good_profile) + " --reports " +
                     write_file("tr.json", good_reports));
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* expected : {"Triage: Get help straight away", "infection_signs", "Bruising", "Redness", "now expected gone by",
                               "Any red flag means contacting a clinician"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  for (const char* id : {"Triage: urgent", "[urgent]", "as_expected"}) EXPECT_EQ(r.out.find(id), std::string::npos) << id << "\n" << r.out;
}

TEST(Cli, AssessRejectsBadReportsNamingEach) {
  const auto r = run("assess --profile " + write_file("bp.json", good_profile) + " --reports " +
                     write_file("br.json", R"({"reports": [{"day": 1, "symptom": "acne", "severity": 2},
                       {"date": "2026-11-20", "symptom": "redness", "severity": 2},
                       {"day": 1, "symptom": "redness", "severity": 11, "flags": ["Fever!"]}]})"));
  EXPECT_EQ(r.status, 2) << r.out;
  for (const char* expected : {"reports[0].symptom: 'acne' is not a symptom of this model (known: redness",
                               "reports[1].date: 2026-11-20 is before the first session",
                               "reports[2].severity: 11 is not a rating on the scale whole_0_10 (a whole number from 0 to 10)", "reports[2].flags[0]: 'Fever!' is not a flag"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  EXPECT_EQ(run("assess --profile " + write_file("bp2.json", good_profile)).status, 2);
}

TEST(Cli, BadInputExitsTwoNamingEachProblem) {
  struct bad_case {
    std::string arguments, expected;
  };
  const std::vector<bad_case> cases{
      {"project --profile " + write_file("m.json", "{\"sessions\": [\"2026-12-01\""), "malformed JSON at line 1"},
      {"project --profile " + write_file("u.json", R"({"risk_factors": ["vampire"], "sessions": ["2026-12-01"]})"),
       "risk_factors[0]: unknown risk factor 'vampire'"},
      {"project --profile " + write_file("t.json", R"({"treatment": "botox", "sessions": ["2026-12-01"]})"),
       "treatment: unknown treatment 'botox'"},
      {"project --profile " + write_file("d.json", R"({"sessions": ["2026-02-30"]})"), "sessions[0]: 2026-02-30 is not a date"},
      {"project --horizon -3 --profile " + write_file("h.json", good_profile), "horizon: -3"},
      {"project --profile /no/such/file.json", "cannot read '/no/such/file.json'"},
      {"project", "--profile: give the patient: --profile F, or --fhir F"},
      {"frobnicate", "A subcommand is required"},
  };
  for (const auto& c : cases) {
    const auto r = run(c.arguments);
    EXPECT_EQ(r.status, 2) << c.arguments << "\n" << r.out;
    EXPECT_NE(r.out.find(c.expected), std::string::npos) << c.arguments << "\n" << r.out;
  }
}

TEST(Cli, BadModelFileExitsTwoNamingEachProblem) {
  auto model = json::parse(run("model --format json").out);
  model["effects"][0]["curve"].erase("half_life_days");
  model["effects"][2]["incidence"]["value"] = 3;
  const auto path = write_file("model.json", model.dump());
  const auto r = run("project --model " + path + " --profile " + write_file("p3.json", good_profile));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("effects[0].curve.half_life_days: is missing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("effects[2].incidence.value: is 3, but must be in (0, 1)"), std::string::npos) << r.out;
}

constexpr const char* plan_request = R"({
  "profile": {"patient": "p-17", "risk_factors": ["bruise_prone", "aspirin"]},
  "protocol": "face_initial", "earliest": "2026-12-01",
  "calendar": {"open_weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "closures": ["2026-12-24"], "holidays": ["us_federal"]},
  "unavailable": [{"from": "2026-12-20", "to": "2027-01-03"}],
  "events": [{"date": "2027-02-14", "name": "wedding", "require": "no_visible_side_effects", "confidence": 0.95}],
  "medication_pause_approved": true})";

TEST(Cli, PlanWritesTheContractJsonAndAnICalendarFile) {
  const auto ics = write_file("plan.ics", "");
  const auto r = run("plan --format json --request " + write_file("request.json", plan_request) + " --ics " + ics + " --dtstamp 20261123T090000Z");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto out = json::parse(r.out);
  EXPECT_TRUE(out["feasible"].get<bool>());
  std::set<std::string> kinds;
  for (const auto& item : out["items"]) kinds.insert(item["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"session", "follow_up", "aftercare", "medication_pause", "maintenance"}));
  EXPECT_TRUE(out["conflicts"].is_array());
  std::ifstream file(ics);
  const std::string calendar{std::istreambuf_iterator<char>(file), {}};
  EXPECT_EQ(calendar.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(calendar.find("DTSTAMP:20261123T090000Z"), std::string::npos);
}

TEST(Cli, BadPlanRequestsExitTwoNamingEachProblem) {
  const auto r = run("plan --request " + write_file("bad_request.json", R"({"profile": {}, "protocol": "face_everything",
      "earliest": "2027-02-30", "calendar": {"open_weekdays": ["Mon", "Funday"], "holidays": ["narnia"]},
      "unavailable": [{"from": "2027-01-03", "to": "2026-12-20"}]})"));
  EXPECT_EQ(r.status, 2) << r.out;
  for (const char* expected : {"earliest: 2027-02-30 is not a date", "calendar.open_weekdays[1]: 'Funday' is not a weekday",
                               "calendar.holidays[0]: unknown holiday set 'narnia'", "protocol"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  const auto reversed = run("plan --request " + write_file("reversed.json", R"({"profile": {}, "protocol": "face_initial",
      "earliest": "2026-12-01", "unavailable": [{"from": "2027-01-03", "to": "2026-12-20"}]})"));
  EXPECT_EQ(reversed.status, 2) << reversed.out;
  EXPECT_NE(reversed.out.find("unavailable[0]: ends (2026-12-20) before it starts (2027-01-03)"), std::string::npos) << reversed.out;
}

}  // namespace

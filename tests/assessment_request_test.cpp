// The assessment request (`POST /assess`): one document with the profile and its reports reads
// as the two documents read apart, and every problem in it is named with its path.
#include <aftermath/io/json.hpp>
#include <aftermath/service/documents.hpp>

#include "support/refused.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

namespace aftermath {
namespace {

const std::string profile_text = R"({"patient": "anon-17", "risk_factors": ["bruise_prone", {"id": "aspirin", "stopped_on": "2026-11-24"}],
  "sessions": ["2026-12-01", {"date": "2026-12-15", "time": "14:30"}]})";
const std::string reports_text = R"([{"date": "2026-12-03", "symptom": "bruising", "severity": 5},
  {"day": 2.5, "symptom": "redness", "severity": 2, "flags": ["fever", "spreading_redness"]}])";

std::string request_text(const std::string& profile, const std::string& reports) {
  return R"({"profile": )" + profile + R"(, "reports": )" + reports + "}";
}

/// The paths of the problems the text is refused for.
std::vector<std::string> refused_paths(const std::string& text) {
  return testing::refused_paths([&] { (void)parse_assessment_request(text, default_model()); }, "request", text);
}

using testing::has;

TEST(AssessmentRequest, ReadsAsTheProfileAndTheReportsApart) {
  const model& m = default_model();
  const assessment_request request = parse_assessment_request(request_text(profile_text, reports_text), m);
  const profile apart = parse_profile(profile_text, m);
  const auto reports = parse_reports(R"({"reports": )" + reports_text + "}", m, apart);
  ASSERT_EQ(request.reports.size(), reports.size());
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(request.reports[i].day, reports[i].day);
    EXPECT_EQ(request.reports[i].symptom, reports[i].symptom);
    EXPECT_EQ(request.reports[i].flags, reports[i].flags);
  }
  ASSERT_EQ(request.patient.sessions.size(), 2u);
  EXPECT_EQ(request.patient.sessions[1].minute_of_day, 14 * 60 + 30);

  const document_service service;
  EXPECT_EQ(service.assess_request(request_text(profile_text, reports_text)),
            service.assess(profile_text, R"({"reports": )" + reports_text + "}"));
}

TEST(AssessmentRequest, NamesEveryProblemWithItsPath) {
  EXPECT_TRUE(has(refused_paths(R"({"reports": []})"), "profile"));
  EXPECT_TRUE(has(refused_paths(R"({"profile": )" + profile_text + "}"), "reports"));
  EXPECT_TRUE(has(refused_paths(request_text(profile_text, R"([{"day": 2, "symptom": "bruising", "severity": 12}])")), "reports[0].severity"));
  EXPECT_TRUE(has(refused_paths(request_text(profile_text, R"([{"day": 2, "symptom": "sunburn", "severity": 1}])")), "reports[0].symptom"));
  EXPECT_TRUE(has(refused_paths(request_text(R"({"sessions": ["2026-02-30"]})", reports_text)), "profile.sessions[0]"));
  EXPECT_TRUE(has(refused_paths(request_text(profile_text, reports_text).insert(1, R"("today": "2026-12-05", )")), "today"));
  EXPECT_TRUE(has(refused_paths(request_text(profile_text, R"({"reports": []})")), "reports"));
  EXPECT_FALSE(refused_paths("[]").empty());
  EXPECT_FALSE(refused_paths(R"({"profile": )").empty());
}

TEST(AssessmentRequest, ReportsAreNotCheckedAgainstAProfileThatCouldNotBeRead) {
  // The bad session is the one problem: reports placed on a broken course would only echo it.
  const auto paths = refused_paths(request_text(R"({"sessions": ["not a date"]})", reports_text));
  EXPECT_TRUE(has(paths, "profile.sessions[0]"));
  EXPECT_TRUE(std::none_of(paths.begin(), paths.end(), [](const std::string& p) { return p.starts_with("reports"); }));
}

}  // namespace
}  // namespace aftermath

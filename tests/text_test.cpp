// The text reports (render/text.hpp) are for clinic staff: where the JSON has an id (a triage
// level, a status, a symptom, a plan item's kind, an aftercare item, a medicine, a protocol),
// the text has the model's word for it. The JSON keeps the ids: they are the contract.
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace aftermath {
namespace {

const model& m() { return default_model(); }

profile one_session() { return parse_profile(R"({"patient": "anon-3", "sessions": ["2026-12-01"]})", m()); }

/// A bruise as expected the day after, and one still there sixteen days on: the clinic is told.
std::vector<symptom_report> a_lasting_bruise() { return {{days(1), "bruising", 3, {}}, {days(16), "bruising", 4, {}}}; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(TextAssessment, NamesTheTriageLevelSymptomsAndStatusesNotTheirIds) {
  const auto patient = one_session();
  const auto assessed = assess(m(), personalise(m(), patient), a_lasting_bruise());
  ASSERT_EQ(assessed.triage, triage_level::contact_provider);
  const std::string text = to_text(assessed, m(), patient);
  EXPECT_TRUE(contains(text, "Triage: Contact your clinic\n")) << text;
  EXPECT_TRUE(contains(text, "[Contact your clinic] ")) << text;
  EXPECT_TRUE(contains(text, "Bruising")) << text;
  for (const auto& report : assessed.reports) EXPECT_TRUE(contains(text, std::string(status_name(m(), report.status)))) << text;
  for (const char* id : {"contact_provider", "self_care", "as_expected", "slower_than_expected", "better_than_expected"})
    EXPECT_FALSE(contains(text, id)) << id << " in\n" << text;
  // The JSON keeps the ids.
  const auto json = nlohmann::json::parse(to_json(assessed, m(), patient));
  EXPECT_EQ(json["triage"], "contact_provider");
  EXPECT_EQ(json["symptoms"][0]["symptom"], "bruising");
  EXPECT_EQ(json["symptoms"][0]["status"], to_string(assessed.reports[0].status));
}

TEST(TextAssessment, TheNamesAreTheModelsWords) {
  model reworded = m();
  for (auto& level : reworded.triage_levels)
    if (level.level == triage_level::contact_provider) level.name = "Praxis anrufen";
  for (auto& name : reworded.wording.staff.statuses) name = "<" + name + ">";
  const auto patient = one_session();
  const auto assessed = assess(reworded, personalise(reworded, patient), a_lasting_bruise());
  const std::string text = to_text(assessed, reworded, patient);
  EXPECT_TRUE(contains(text, "Triage: Praxis anrufen\n")) << text;
  EXPECT_TRUE(contains(text, "<" + std::string(status_name(m(), assessed.reports[0].status)) + ">")) << text;
}

plan_request a_course_with_medicines() {
  return parse_plan_request(R"({"profile": {"patient": "anon-17", "risk_factors": ["bruise_prone", "aspirin", "nsaid_long_acting"]},
      "protocol": "face_initial", "earliest": "2026-12-01",
      "calendar": {"open_weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"]},
      "medication_pause_approved": true, "maintenance_until": "2027-12-31"})",
                            m());
}

TEST(TextPlan, NamesItsItemsInTheModelsWordsNotTheirIds) {
  const auto planned = plan(m(), a_course_with_medicines());
  const std::string text = to_text(planned, m());
  for (const char* words : {"Plan for anon-17: Facial mesotherapy: initial course (model", "session 1 ", "maintenance session 5",
                            "follow-up 1 ", "aftercare 1: Peels, laser and facials", "medication pause 1: Aspirin",
                            "medication pause 1: Long-acting NSAID (such as naproxen)", "about 3.5 days",
                            "\n  - Peels, laser and facials: No chemical peels", "\n  - A quick check two days after the session"})
    EXPECT_TRUE(contains(text, words)) << words << " not in\n" << text;
  for (const char* id : {"peels_and_laser", "medication_pause", "follow_up", "check_in", "face_initial", "nsaid_long_acting", "makeup"})
    EXPECT_FALSE(contains(text, id)) << id << " in\n" << text;
  // The JSON keeps the ids.
  const auto json = nlohmann::json::parse(to_json(planned));
  EXPECT_EQ(json["protocol"], "face_initial");
  std::vector<std::string> ids, kinds;
  for (const auto& item : json["items"]) {
    kinds.push_back(item["kind"]);
    if (item.contains("id")) ids.push_back(item["id"]);
  }
  for (const char* id : {"peels_and_laser", "nsaid_long_acting", "check_in"}) EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "medication_pause"), kinds.end());
}

TEST(TextPlan, AnIdTheModelCannotNameShowsAsItselfAndAModelWithoutStaffWordingGetsEnglish) {
  auto planned = plan(m(), a_course_with_medicines());
  planned.items.push_back({plan_item_kind::aftercare, 1, "clinic_own_advice", date(2026, 12, 10), date(2026, 12, 11), "Ask us.", "", false});
  model unworded = m();
  unworded.wording.staff = {};
  const std::string text = to_text(planned, unworded);
  EXPECT_TRUE(contains(text, "aftercare 1: clinic_own_advice")) << text;
  EXPECT_TRUE(contains(text, "medication pause 1: Aspirin")) << text;
  EXPECT_TRUE(contains(text, "follow-up 1 ")) << text;
}

}  // namespace
}  // namespace aftermath

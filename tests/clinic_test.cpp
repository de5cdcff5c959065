// The clinic overlay: its details read as given, its wording laid over the model's and checked
// as the model's own, every broken overlay refused naming the field and the reason.
#include <aftermath/io/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace aftermath {
namespace {

std::string problems_of(const std::string& text) {
  try {
    (void)parse_clinic(text, default_model(), "clinic.json");
    return {};
  } catch (const input_error& error) {
    return error.what();
  }
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ClinicJson, ReadsTheExampleOverlay) {
  std::ifstream file(AFTERMATH_SOURCE_DIR "/examples/clinic.json");
  std::stringstream text;
  text << file.rdbuf();
  const clinic c = parse_clinic(text.str(), default_model());
  EXPECT_EQ(c.name, "Riverside Skin Clinic");
  EXPECT_EQ(c.phone, "020 7946 0123");
  EXPECT_EQ(c.out_of_hours_phone, "020 7946 0999");
  EXPECT_EQ(c.address, "1 River Street, London");
  ASSERT_TRUE(c.wording.has_value());
  EXPECT_EQ(c.wording->leaflet.title, "Your treatment at Riverside");
  // What it does not override stays the model's.
  EXPECT_EQ(c.wording->leaflet.durations, default_model().wording.leaflet.durations);
  EXPECT_EQ(c.wording->plan.pause, default_model().wording.plan.pause);
  EXPECT_EQ(c.wording->dates.months, default_model().wording.dates.months);
}

TEST(ClinicJson, WithoutWordingTheModelsWordsAreUsed) {
  const clinic c = parse_clinic(R"({"name": "A", "phone": "+44 (0)20 7946-0123"})", default_model());
  EXPECT_FALSE(c.wording.has_value());
  EXPECT_EQ(&wording_for(default_model(), c), &default_model().wording);
  EXPECT_EQ(contact_line(c, default_model().wording), "Your clinic: A, +44 (0)20 7946-0123.");
}

TEST(ClinicJson, OverridesPlanAndDateWordsToo) {
  const clinic c = parse_clinic(R"({"name": "A", "phone": "123", "wording": {"plan": {"days": "{count} jours"},
                                    "durations": {"days": "{count} jours"}}})",
                                default_model());
  ASSERT_TRUE(c.wording.has_value());
  EXPECT_EQ(c.wording->plan.days, "{count} jours");
  EXPECT_EQ(with_clinic_wording(default_model(), c).wording.durations.days, "{count} jours");
}

TEST(ClinicJson, NamesEveryProblemWithItsField) {
  const auto missing = problems_of("{}");
  EXPECT_TRUE(has(missing, "name: is missing")) << missing;
  EXPECT_TRUE(has(missing, "phone: is missing")) << missing;
  const auto bad = problems_of(R"({"name": "", "phone": "call us", "out_of_hours_phone": "12", "address": "a\nb", "fax": "1"})");
  EXPECT_TRUE(has(bad, "clinic.json: ")) << bad;
  EXPECT_TRUE(has(bad, "name: is empty")) << bad;
  EXPECT_TRUE(has(bad, "phone: 'call us' is not a phone number")) << bad;
  EXPECT_TRUE(has(bad, "out_of_hours_phone: '12' has fewer than 3 digits")) << bad;
  EXPECT_TRUE(has(bad, "address: holds a line break")) << bad;
  EXPECT_TRUE(has(bad, "fax")) << bad;
  const auto types = problems_of(R"({"name": 7, "phone": ["1"], "wording": "x"})");
  EXPECT_TRUE(has(types, "name")) << types;
  EXPECT_TRUE(has(types, "phone")) << types;
  EXPECT_TRUE(has(types, "wording")) << types;
}

TEST(ClinicJson, WordingOverridesAreCheckedAsTheModelsOwn) {
  const auto problems = problems_of(R"({"name": "A", "phone": "123", "wording": {
      "leaflet": {"title": "", "durations": "usually gone within {typical}", "gone_by": "by {when}", "colour": "red"},
      "letters": {"x": "y"}, "chart": "big", "dates": {"weekdays": ["Mon"]}}})");
  EXPECT_TRUE(has(problems, "wording.leaflet.title: is empty")) << problems;
  EXPECT_TRUE(has(problems, "wording.leaflet.durations: does not use {most}")) << problems;
  EXPECT_TRUE(has(problems, "wording.leaflet.gone_by: uses {when}")) << problems;
  EXPECT_TRUE(has(problems, "wording.leaflet.colour: unknown field")) << problems;
  EXPECT_TRUE(has(problems, "letters")) << problems;
  EXPECT_TRUE(has(problems, "wording.chart")) << problems;
  EXPECT_TRUE(has(problems, "wording.dates.weekdays: has 1 names, but must have 7")) << problems;
}

TEST(ClinicJson, BrokenJsonIsNamed) {
  EXPECT_TRUE(has(problems_of("{\"name\": "), "malformed JSON")) << problems_of("{\"name\": ");
  EXPECT_TRUE(has(problems_of("[]"), "must be an object")) << problems_of("[]");
  EXPECT_TRUE(has(problems_of(R"({"name": "A", "phone": 1e999})"), "phone")) << problems_of(R"({"name": "A", "phone": 1e999})");
}

}  // namespace
}  // namespace aftermath

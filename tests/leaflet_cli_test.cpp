// The command's leaflet: `aftermath leaflet` writes the HTML page (chart inside) and the Markdown
// (chart beside it), or the Markdown on stdout; `aftermath demo` writes both and says where.
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>

#include "support/run_cli.hpp"
#include "support/svg_tools.hpp"

#include <filesystem>
#include <string>

namespace {

using aftermath::testing::count_class;
using aftermath::testing::expect_renders;
using aftermath::testing::expect_well_formed;
using aftermath::testing::inspect;
using aftermath::testing::read_whole;
using aftermath::testing::run;
using aftermath::testing::write_file;

constexpr const char* profile = R"({"patient": "anon-17", "risk_factors": ["bruise_prone"], "sessions": ["2026-12-01", "2026-12-15"]})";
// One session: no recovery gate to break, so nothing goes to stderr before the Markdown.
constexpr const char* one_session = R"({"patient": "anon-17", "risk_factors": ["bruise_prone"], "sessions": ["2026-12-01"]})";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A fresh directory for one test's files.
std::filesystem::path fresh_directory(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(write_file(name + ".keep", "")).parent_path() / name;
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(LeafletCli, WritesTheHtmlWithItsChartAndTheMarkdownBesideItsChart) {
  const auto dir = fresh_directory("leaflet_files");
  std::filesystem::create_directories(dir);
  const auto html = (dir / "anon-17.html").string(), markdown = (dir / "anon-17.md").string(),
             chart = (dir / "anon-17-chart.svg").string();
  const auto r = run("leaflet --profile " + write_file("l_profile.json", profile) + " --html " + html + " --markdown " + markdown);
  ASSERT_EQ(r.status, 0) << r.out;
  for (const auto& path : {html, markdown, chart}) EXPECT_TRUE(contains(r.out, "wrote " + path)) << r.out;

  const std::string page = read_whole(html);
  const auto& words = aftermath::default_model().wording.leaflet;
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(contains(page, "<h1>" + words.title + "</h1>"));
  EXPECT_TRUE(contains(page, "<figure>\n<svg"));
  EXPECT_TRUE(contains(page, "Prepared for anon-17."));

  const std::string md = read_whole(markdown);
  EXPECT_EQ(md.rfind("# " + words.title + "\n", 0), 0u);
  EXPECT_TRUE(contains(md, "](<anon-17-chart.svg>)")) << "the chart is linked by its name, beside the Markdown";
  expect_well_formed(chart);
  expect_renders(chart);
  EXPECT_EQ(count_class(inspect(chart), "panel"), static_cast<int>(aftermath::default_model().effects.size()));
}

TEST(LeafletCli, ACourseThatBreaksItsGateIsToldToTheClinicOnStderr) {
  const auto dir = fresh_directory("leaflet_gate");
  std::filesystem::create_directories(dir);
  const auto markdown = (dir / "l.md").string();
  const auto r = run("leaflet --profile " + write_file("l_gate.json", profile) + " --markdown " + markdown);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "aftermath: for the clinic: session 2 comes")) << r.out;
  EXPECT_FALSE(contains(read_whole(markdown), "session 2 comes")) << "not on the patient's page";
}

TEST(LeafletCli, WithoutFilesPrintsTheMarkdown) {
  const auto r = run("leaflet --profile " + write_file("l_profile2.json", one_session));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("# " + aftermath::default_model().wording.leaflet.title + "\n", 0), 0u) << r.out;
  EXPECT_FALSE(contains(r.out, "![")) << "no chart file, so no link to one";
}

TEST(LeafletCli, BadProfileAndUnwritableFilesAreNamed) {
  const auto bad = run("leaflet --profile " + write_file("l_bad.json", R"({"sessions": ["2026-02-30"]})"));
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.out, "sessions[0]")) << bad.out;
  const auto unwritable = run("leaflet --profile " + write_file("l_profile3.json", profile) + " --html /nonexistent/dir/l.html");
  EXPECT_EQ(unwritable.status, 2);
  EXPECT_TRUE(contains(unwritable.out, "--html")) << unwritable.out;
  EXPECT_TRUE(contains(unwritable.out, "/nonexistent/dir/l.html")) << unwritable.out;
}

TEST(LeafletCli, AFileWrittenTwiceAndJsonAreRefused) {
  const auto patient = write_file("l_profile4.json", profile);
  const auto dir = fresh_directory("leaflet_twice");
  std::filesystem::create_directories(dir);
  const auto same = run("leaflet --profile " + patient + " --html " + (dir / "x.md").string() + " --markdown " + (dir / "x.md").string());
  EXPECT_EQ(same.status, 2) << same.out;
  EXPECT_TRUE(contains(same.out, "--html: '" + (dir / "x.md").string() + "' is also the --markdown file")) << same.out;
  const auto chart = run("leaflet --profile " + patient + " --html " + (dir / "x-chart.svg").string() + " --markdown " + (dir / "x.md").string());
  EXPECT_EQ(chart.status, 2) << chart.out;
  EXPECT_TRUE(contains(chart.out, "is where the Markdown's chart goes")) << chart.out;
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << "nothing is written when the files collide";
  const auto json = run("leaflet --format json --profile " + patient);
  EXPECT_EQ(json.status, 2) << json.out;
  EXPECT_TRUE(contains(json.out, "--format")) << json.out;
}

constexpr const char* clinic = R"({"name": "Riverside Skin Clinic", "phone": "020 7946 0123", "out_of_hours_phone": "020 7946 0999",
  "wording": {"leaflet": {"title": "Your treatment at Riverside"}, "plan": {"days": "{count} jours"}}})";

TEST(LeafletCli, AClinicOverlayGivesItsNumbersAndWords) {
  const auto r = run("leaflet --profile " + write_file("l_profile5.json", one_session) + " --clinic " + write_file("l_clinic.json", clinic));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("# Your treatment at Riverside\n", 0), 0u) << r.out;
  EXPECT_TRUE(contains(r.out, "Your clinic: Riverside Skin Clinic, 020 7946 0123.")) << r.out;
  EXPECT_TRUE(contains(r.out, "Call 020 7946 0123. Out of hours: 020 7946 0999.")) << r.out;
  // The plan reads the clinic's words too, and its text opens with the clinic's line.
  const auto request = write_file("l_request.json", R"({"profile": {"patient": "anon-17"}, "protocol": "face_initial", "earliest": "2026-12-01"})");
  const auto planned = run("plan --format text --request " + request + " --clinic " + write_file("l_clinic2.json", clinic));
  ASSERT_EQ(planned.status, 0) << planned.out;
  EXPECT_EQ(planned.out.rfind("Your clinic: Riverside Skin Clinic, 020 7946 0123.\n", 0), 0u) << planned.out;
  EXPECT_TRUE(contains(planned.out, " jours")) << planned.out;
}

TEST(LeafletCli, ABrokenClinicOverlayIsNamed) {
  const auto r = run("leaflet --profile " + write_file("l_profile6.json", profile) + " --clinic " +
                     write_file("l_bad_clinic.json", R"({"name": "A", "phone": "call us", "wording": {"leaflet": {"gone_by": "by {when}"}}})"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "phone: 'call us' is not a phone number")) << r.out;
  EXPECT_TRUE(contains(r.out, "wording.leaflet.gone_by: uses {when}")) << r.out;
  const auto missing = run("demo --format text --clinic /nonexistent/clinic.json --out " + fresh_directory("demo_no_clinic").string());
  EXPECT_EQ(missing.status, 2) << missing.out;
  EXPECT_TRUE(contains(missing.out, "--clinic")) << missing.out;
}

TEST(DemoCli, WritesTheChartAndTheLeafletAndSaysWhere) {
  const auto dir = fresh_directory("demo_out");
  const auto r = run("demo --format text --out " + dir.string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Bruising"));
  EXPECT_TRUE(contains(r.out, "not medical advice"));
  for (const char* name : {"leaflet.html", "leaflet.md", "leaflet-chart.svg"}) {
    const auto path = (dir / name).string();
    EXPECT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_TRUE(contains(r.out, path)) << "the demo says where " << name << " went:\n" << r.out;
  }
  expect_renders((dir / "leaflet-chart.svg").string());
}

TEST(DemoCli, AnOutputDirectoryThatCannotBeMadeIsNamedAfterTheProjection) {
  const auto file = write_file("demo_blocker", "a file, not a directory");
  const auto r = run("demo --format text --out " + file + "/inside");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "--out")) << r.out;
  EXPECT_TRUE(contains(r.out, "Bruising")) << "the projection is printed before the files are written";
}

}  // namespace

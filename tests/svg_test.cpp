// The SVG charts (io/svg.hpp): each kind is well-formed XML (xmllint and Python's parser agree),
// renders to a PNG with rsvg-convert, escapes every text, holds one mark per thing it charts,
// never writes nan or inf, and is byte-for-byte deterministic.
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>

#include "support/svg_tools.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

using namespace aftermath;
using aftermath::testing::count_class;
using aftermath::testing::expect_renders;
using aftermath::testing::expect_well_formed;
using aftermath::testing::has_text;
using aftermath::testing::inspect;
using aftermath::testing::save;

constexpr const char* awkward_id = R"(<b>&"'x)";

/// English labels, as a clinic's model file might carry them.
chart_wording english() {
  return {"Your recovery", "Severity (0-10)", "Typical", "5-95 % of patients who get it", "Visible", "Gone",
          "Session {number}", "{percent} chance", {}};
}

profile two_sessions() {
  return parse_profile(R"({"patient": "<b>&\"'x", "risk_factors": ["bruise_prone"], "sessions": ["2026-12-01", "2026-12-15"]})",
                       default_model());
}

const projection& projected_two_sessions() {
  static const projection projected = project(personalise(default_model(), two_sessions()));
  return projected;
}

/// Checks what every chart must be, and returns what the parser read.
nlohmann::json check_document(const std::string& svg, const std::string& name) {
  const std::string path = save(svg, name);
  expect_well_formed(path);
  expect_renders(path);
  auto doc = inspect(path);
  if (doc.is_object()) {
    EXPECT_EQ(doc["root"], "{http://www.w3.org/2000/svg}svg");
    EXPECT_FALSE(doc["view_box"].is_null()) << "a viewBox lets the chart scale to its container";
  }
  // As printf writes them (nan, -nan, inf, infinity, in any case), also glued to a path command
  // ("Lnan"); not followed by a letter, so "evidence-informed" in a notice is not one.
  static const std::regex not_finite("(nan|inf|infinity)(?![a-z])", std::regex::icase);
  std::smatch found;
  EXPECT_FALSE(std::regex_search(svg, found, not_finite)) << name << " has '" << found.str() << "'";
  EXPECT_NE(svg.find("<title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc>"), std::string::npos);
  return doc;
}

TEST(SvgProjection, OnePanelPerEffectWithTheBandAndEverySession) {
  const auto& projected = projected_two_sessions();
  const auto doc = check_document(to_svg(projected, two_sessions(), english()), "projection.svg");
  ASSERT_TRUE(doc.is_object());
  ASSERT_EQ(doc["panels"].size(), projected.effects.size());
  for (const auto& panel : doc["panels"]) {
    EXPECT_EQ(panel["inside"].value("session", 0), 2) << panel;
    EXPECT_EQ(panel["inside"].value("band", 0), 1) << panel;
    EXPECT_EQ(panel["inside"].value("median", 0), 1) << panel;
    EXPECT_EQ(panel["inside"].value("threshold", 0), 2) << panel;
    EXPECT_EQ(panel["inside"].value("effect-name", 0), 1) << panel;
  }
  EXPECT_TRUE(has_text(doc, awkward_id)) << "the patient id, decoded back to the original";
  EXPECT_TRUE(has_text(doc, "Your recovery"));
  EXPECT_TRUE(has_text(doc, "Session 2"));
  EXPECT_TRUE(has_text(doc, "5-95 % of patients who get it"));
  for (const auto& effect : projected.effects) {
    EXPECT_TRUE(has_text(doc, effect.name)) << effect.name;
    const long percent = std::lround(100 * effect.occurs.value());
    if (percent >= 1 && percent <= 99) {
      EXPECT_TRUE(has_text(doc, std::to_string(percent) + " % chance")) << effect.name;
    }
  }
  EXPECT_TRUE(has_text(doc, "1 Dec")) << "the date axis starts at the first session";
}

TEST(SvgProjection, EmptyWordingLeavesOutTheLabelsButNotThePanels) {
  const auto& projected = projected_two_sessions();
  const auto doc = check_document(to_svg(projected, two_sessions(), chart_wording{}), "projection_no_wording.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["panels"].size(), projected.effects.size());
  EXPECT_EQ(count_class(doc, "session"), 2 * static_cast<int>(projected.effects.size()));
  EXPECT_EQ(count_class(doc, "session-label"), 0);
  EXPECT_EQ(count_class(doc, "legend"), 0);
  EXPECT_EQ(count_class(doc, "axis-label"), 0);
  EXPECT_TRUE(has_text(doc, awkward_id));
}

TEST(SvgProjection, TheDefaultModelsWordingCharts) {
  const model& m = default_model();
  const auto svg = to_svg(projected_two_sessions(), two_sessions(), m.wording.chart);
  const auto doc = check_document(svg, "projection_default_wording.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["panels"].size(), m.effects.size());
}

TEST(SvgProjection, TheDateAxisNamesMonthsInTheModelsWords) {
  chart_wording german = default_model().wording.chart;
  german.months = {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"};
  const auto doc = check_document(to_svg(projected_two_sessions(), two_sessions(), german), "projection_german_months.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_TRUE(has_text(doc, "1 Dez"));
  EXPECT_FALSE(has_text(doc, "1 Dec"));
  const auto english = check_document(to_svg(projected_two_sessions(), two_sessions(), default_model().wording.chart), "projection_months.svg");
  EXPECT_TRUE(has_text(english, "1 Dec"));
}

TEST(SvgProjection, ModelTextIsEscaped) {
  model m = default_model();
  const std::string name = R"(Red <&> "ness" 'x')";
  m.effects[0].name = name;
  m.notice = "Estimates <not advice> & more";
  const profile patient = two_sessions();
  chart_wording wording = english();
  wording.session = R"(S<{number}>&")";
  const auto doc = check_document(to_svg(project(personalise(m, patient)), patient, wording), "projection_escaped.svg");
  EXPECT_TRUE(has_text(doc, name));
  EXPECT_TRUE(has_text(doc, "Estimates <not advice> & more"));
  EXPECT_TRUE(has_text(doc, R"(S<1>&")"));
}

TEST(SvgProjection, TextThatIsNotXmlCannotBreakTheDocument) {
  profile patient = two_sessions();
  patient.patient = std::string("ctrl\x01\x1b ok \xff\xfe bad utf-8 \xc3\xa9t\xc3\xa9");
  const auto doc = check_document(to_svg(projected_two_sessions(), patient, english()), "projection_bytes.svg");
  EXPECT_TRUE(has_text(doc, "\xc3\xa9t\xc3\xa9")) << "valid UTF-8 is kept";
}

TEST(SvgProjection, TheSameInputGivesTheSameBytes) {
  EXPECT_EQ(to_svg(projected_two_sessions(), two_sessions(), english()), to_svg(projected_two_sessions(), two_sessions(), english()));
}

/// A projection no computation would give: an effect that never occurs, no curve, times that are
/// not finite. The chart must still be a valid document without nan or inf.
projection degenerate_projection(days horizon) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  projection p;
  p.model_id = "m";
  p.visible_threshold = severity::checked(1);
  p.resolved_threshold = severity::checked(0.5);
  p.horizon = horizon;
  p.session_starts = {days(0), days(inf)};
  const auto zero = severity::checked(0);
  effect_projection never{"never", "Never happens", "", probability::checked(0), {days(nan), zero, zero}, {days(inf), days(nan)}, {}};
  never.curve = {{days(0), zero, zero, zero, probability::checked(0)}, {days(nan), zero, zero, zero, probability::checked(0)},
                 {days(inf), zero, severity::checked(10), zero, probability::checked(0)}};
  effect_projection empty{"empty", "No curve", "", probability::checked(1), {}, {}, {}};
  p.effects = {never, empty};
  return p;
}

TEST(SvgProjection, DegenerateInputGivesNoNanOrInf) {
  profile patient;
  patient.patient = "deg";
  patient.sessions = {{date(2026, 12, 1), 600}};
  const auto doc = check_document(to_svg(degenerate_projection(days(30)), patient, english()), "projection_degenerate.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["panels"].size(), 2u);
  EXPECT_TRUE(has_text(doc, "0 % chance"));
  const days nan_horizon(std::numeric_limits<double>::quiet_NaN());
  check_document(to_svg(degenerate_projection(nan_horizon), patient, english()), "projection_degenerate_nan_horizon.svg");
  profile no_sessions;
  check_document(to_svg(degenerate_projection(days(30)), no_sessions, chart_wording{}), "projection_degenerate_no_sessions.svg");
}

std::vector<symptom_report> some_reports() {
  return {{days(1), "bruising", 4, {}}, {days(3), "bruising", 3, {}}, {days(11), "bruising", 6, {}},
          {days(1.5), "redness", 1, {}}, {days(3), "redness", 6, {"fever"}},   {days(20), "swelling", 0, {}}};
}

TEST(SvgAssessment, OnePointPerReportWithItsStatus) {
  const profile patient = two_sessions();
  const auto course = personalise(default_model(), patient);
  const auto reports = some_reports();
  const auto assessed = assess(default_model(), course, reports);
  const auto svg = to_svg(assessed, projected_two_sessions(), patient, default_model());
  const auto doc = check_document(svg, "assessment.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(count_class(doc, "report"), static_cast<int>(reports.size()));
  std::map<std::string, int> statuses;
  for (const auto& r : assessed.reports) ++statuses[std::string(to_string(r.status))];
  EXPECT_GE(statuses.size(), 2u) << "the reports were chosen to give more than one status";
  for (const auto& [status, count] : statuses) EXPECT_EQ(count_class(doc, status), count) << status;
  ASSERT_EQ(doc["panels"].size(), 3u);  // bruising, redness, swelling
  EXPECT_EQ(doc["panels"][0]["inside"].value("report", 0), 3);
  EXPECT_EQ(doc["panels"][1]["inside"].value("report", 0), 2);
  EXPECT_EQ(doc["panels"][2]["inside"].value("report", 0), 1);
  EXPECT_EQ(doc["panels"][0]["inside"].value("band", 0), 1);
  EXPECT_TRUE(has_text(doc, std::string(default_model().triage_name(assessed.triage))));
  EXPECT_TRUE(has_text(doc, awkward_id));
  for (auto status : {report_status::resolved, report_status::better_than_expected, report_status::as_expected,
                      report_status::slower_than_expected, report_status::worsening, report_status::unexpected})
    EXPECT_TRUE(has_text(doc, std::string(status_name(default_model(), status)))) << "the legend names " << to_string(status);
}

/// The staff's chart speaks about the patient in the staff's words, and shows no id where a
/// word belongs: the classes keep the ids (count_class above finds them), the texts do not.
TEST(SvgAssessment, SpeaksToStaffInWordsNotIdsOrThePatientsWording) {
  const profile patient = two_sessions();
  const auto& m = default_model();
  const auto assessed = assess(m, personalise(m, patient), some_reports());
  const auto svg = to_svg(assessed, projected_two_sessions(), patient, m);
  const auto doc = check_document(svg, "assessment_staff_words.svg");
  EXPECT_EQ(svg.find(m.wording.chart.band), std::string::npos);
  // Only a red-flag rule's own text, quoted as the model gives it, may speak to the patient.
  for (const auto& text : doc["texts"]) {
    const auto shown = text.get<std::string>();
    if (shown.find("people like you") == std::string::npos) continue;
    EXPECT_TRUE(std::any_of(assessed.reasons.begin(), assessed.reasons.end(), [&](const auto& r) {
      return r.text.find("people like you") != std::string::npos && shown.find(r.text) != std::string::npos;
    })) << shown;
  }
  EXPECT_TRUE(has_text(doc, m.wording.staff.band));
  for (const char* id : {"self_care", "contact_provider", "better_than_expected", "as_expected", "slower_than_expected", "triage "})
    EXPECT_FALSE(has_text(doc, id)) << id;
  EXPECT_TRUE(has_text(doc, "Bruising"));
}

TEST(SvgAssessment, ALabelFallsBackToEnglishAndAReportWithoutABandStillShows) {
  const profile patient = two_sessions();
  const auto assessed = assess(default_model(), personalise(default_model(), patient), some_reports());
  model unworded = default_model();
  unworded.wording.staff = {};
  const auto doc = check_document(to_svg(assessed, degenerate_projection(days(30)), patient, unworded), "assessment_no_prior.svg");
  EXPECT_EQ(count_class(doc, "report"), 6);
  EXPECT_TRUE(has_text(doc, "median, given the effect occurs"));
  EXPECT_TRUE(has_text(doc, "as_expected"));  // a status the model does not name shows as its id
}

/// A plan no planner would give, with text that needs escaping and a conflict.
treatment_plan awkward_plan() {
  treatment_plan p;
  p.patient = awkward_id;
  p.protocol = "face_initial";
  p.feasible = false;
  p.notice = "not medical advice";
  const date first(2026, 12, 1);
  p.items = {{plan_item_kind::medication_pause, 1, "aspirin", first - boost::gregorian::days(9), first - boost::gregorian::days(1), "", "", false},
             {plan_item_kind::session, 1, "", first, first, "", "first", true},
             {plan_item_kind::aftercare, 1, "sun & <heat>", first, first + boost::gregorian::days(2), "", "", false},
             {plan_item_kind::follow_up, 1, "check", first + boost::gregorian::days(7), first + boost::gregorian::days(7), "", "", false},
             {plan_item_kind::session, 2, "", first + boost::gregorian::days(14), first + boost::gregorian::days(14), "", "", false},
             {plan_item_kind::maintenance, 1, "", first + boost::gregorian::days(150), first + boost::gregorian::days(150), "", "", false}};
  p.conflicts = {{"event:<party>", "cannot be clear by \"then\" & 'now'", first + boost::gregorian::days(20)}};
  p.events = {{R"(<party & "fun">'s)", first + boost::gregorian::days(16), 0.95, 0.5, false},
              {"wedding", first + boost::gregorian::days(120), 0.95, 0.99, true}};
  return p;
}

TEST(SvgPlan, OneMarkPerItemAndEventAndTheConflictSaid) {
  const auto planned = awkward_plan();
  const auto doc = check_document(to_svg(planned, default_model()), "plan_awkward.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(count_class(doc, "item"), 6);
  EXPECT_EQ(count_class(doc, "session"), 2);
  EXPECT_EQ(count_class(doc, "maintenance"), 1);
  EXPECT_EQ(count_class(doc, "follow_up"), 1);
  EXPECT_EQ(count_class(doc, "aftercare"), 1);
  EXPECT_EQ(count_class(doc, "medication_pause"), 1);
  EXPECT_EQ(count_class(doc, "event"), 2);
  EXPECT_EQ(count_class(doc, "satisfied"), 1);
  EXPECT_EQ(count_class(doc, "unsatisfied"), 1);
  EXPECT_TRUE(has_text(doc, R"(<party & "fun">'s: NOT met)"));
  EXPECT_TRUE(has_text(doc, "wedding: met"));
  EXPECT_TRUE(has_text(doc, awkward_id));
  EXPECT_TRUE(has_text(doc, "NOT FEASIBLE"));
  EXPECT_TRUE(has_text(doc, R"(cannot be clear by "then" & 'now')"));
  EXPECT_TRUE(has_text(doc, "Aftercare: sun & <heat>"));  // an id the model does not have shows as itself
  EXPECT_TRUE(has_text(doc, "Pause: Aspirin"));
}

TEST(SvgPlan, APlannedCourseHasAMarkForEachOfItsItems) {
  const auto request = parse_plan_request(R"({"profile": {"patient": "p-17", "risk_factors": ["bruise_prone", "aspirin"]},
      "protocol": "face_initial", "earliest": "2026-12-01",
      "calendar": {"open_weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "holidays": ["us_federal"]},
      "events": [{"date": "2027-02-14", "name": "wedding & \"party\"", "require": "no_visible_side_effects"}],
      "medication_pause_approved": true})",
                                          default_model());
  const auto planned = plan(default_model(), request);
  const auto doc = check_document(to_svg(planned, default_model()), "plan.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(count_class(doc, "item"), static_cast<int>(planned.items.size()));
  std::map<std::string, int> kinds;
  for (const auto& item : planned.items) ++kinds[std::string(to_string(item.kind))];
  EXPECT_EQ(kinds.size(), 5u) << "every kind of item is in this plan";
  for (const auto& [kind, count] : kinds) EXPECT_EQ(count_class(doc, kind), count) << kind;
  EXPECT_EQ(count_class(doc, "event"), static_cast<int>(planned.events.size()));
  EXPECT_TRUE(has_text(doc, "wedding & \"party\""));
  // Named in the model's words; the ids stay in the classes only.
  EXPECT_TRUE(has_text(doc, "Aftercare: Peels, laser and facials"));
  EXPECT_TRUE(has_text(doc, "medication pause 1: Aspirin"));
  EXPECT_TRUE(has_text(doc, "Facial mesotherapy: initial course"));
  for (const char* id : {"peels_and_laser", "medication_pause", "follow_up", "face_initial", "aspirin"}) EXPECT_FALSE(has_text(doc, id)) << id;
  EXPECT_EQ(count_class(doc, "follow_up"), kinds["follow_up"]);
}

TEST(SvgPlan, AnEmptyPlanIsStillADocument) {
  treatment_plan empty;
  const auto doc = check_document(to_svg(empty, default_model()), "plan_empty.svg");
  EXPECT_EQ(count_class(doc, "item"), 0);
}

cohort_summary simulated(const std::string& population_json) {
  const model& m = default_model();
  const auto pop = parse_population(population_json, m);
  return summarise(m, pop, simulate(m, pop, {.threads = 1}));
}

const cohort_summary& fortnightly() {
  static const auto summary = simulated(R"({"protocol": "face_initial", "n": 2000, "seed": 7, "risk_factors": {"bruise_prone": 0.2}})");
  return summary;
}

const cohort_summary& weekly() {
  static const auto summary =
      simulated(R"({"protocol": "face_initial", "interval_days": 7, "n": 2000, "seed": 7, "risk_factors": {"bruise_prone": 0.2}})");
  return summary;
}

TEST(SvgCohort, OneCohortHasAPanelOfEachKind) {
  const auto doc = check_document(to_svg({{"face_initial <2w>", &fortnightly()}}), "cohort_one.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["panels"].size(), 2u);
  EXPECT_EQ(count_class(doc, "visible"), 1);
  EXPECT_EQ(count_class(doc, "resolution"), 1);
  EXPECT_EQ(count_class(doc, "visible-chance"), static_cast<int>(fortnightly().effects.size()) + 1);  // and "any"
  EXPECT_GT(count_class(doc, "bar"), 0);
  EXPECT_TRUE(has_text(doc, "face_initial <2w>"));
  EXPECT_FALSE(has_text(doc, "people like you"));  // a chart for researchers, not the patient's
}

/// The width of an inspect() document's viewBox ("0 0 width height").
double view_box_width(const nlohmann::json& doc) {
  std::istringstream box(doc["view_box"].get<std::string>());
  double x = 0, y = 0, width = 0;
  box >> x >> y >> width;
  return width;
}

TEST(SvgCohort, TwoCohortsAreOverlaidInEveryStripOfOneColumn) {
  const auto one = check_document(to_svg({{"2-week", &fortnightly()}}), "cohort_one_for_width.svg");
  const auto doc = check_document(to_svg({{"2-week", &fortnightly()}, {"1-week & \"fast\"", &weekly()}}), "cohort_two.svg");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(view_box_width(doc), view_box_width(one)) << "one column's width";
  EXPECT_EQ(doc["panels"].size(), 2u);
  EXPECT_EQ(count_class(doc, "cohort"), 1);
  EXPECT_EQ(count_class(doc, "visible"), 1);
  EXPECT_EQ(count_class(doc, "resolution"), 1);
  const std::size_t effects = fortnightly().effects.size();
  ASSERT_EQ(doc["strips"].size(), (effects + 1) + effects) << "any and each effect, then each effect";
  for (std::size_t k = 0; k < doc["strips"].size(); ++k) {
    const auto& inside = doc["strips"][k]["inside"];
    EXPECT_EQ(inside.value("strip-label", 0), 1) << k;
    if (k <= effects) {
      EXPECT_EQ(inside.value("visible-chance", 0), 2) << "strip " << k << ": " << inside;
    } else {
      EXPECT_GT(inside.value("bar", 0), 0) << "strip " << k << ": arm 1's bars, " << inside;
      EXPECT_EQ(inside.value("bar-outline", 0), 1) << "strip " << k << ": arm 2's outline, " << inside;
    }
    EXPECT_GE(inside.value("arm-1", 0), 1) << k;
    EXPECT_GE(inside.value("arm-2", 0), 1) << k;
  }
  ASSERT_EQ(count_class(doc, "legend"), 1);
  EXPECT_TRUE(has_text(doc, "2-week"));
  EXPECT_TRUE(has_text(doc, "1-week & \"fast\""));
  EXPECT_TRUE(has_text(doc, "sessions on days 0, 7, 14, 21")) << "each arm says what was simulated";
  // The arms differ by pattern, not colour alone: arm 2's marks are dashed, arm 1's are not.
  const auto svg = to_svg({{"2-week", &fortnightly()}, {"1-week", &weekly()}});
  const std::regex arm_two_solid(R"(class="[^"]*arm-2"[^>]*stroke-dasharray="none")"), arm_one_dashed(R"(class="[^"]*arm-1"[^>]*stroke-dasharray="6)");
  EXPECT_FALSE(std::regex_search(svg, arm_two_solid));
  EXPECT_FALSE(std::regex_search(svg, arm_one_dashed));
  EXPECT_TRUE(std::regex_search(svg, std::regex(R"(class="visible-chance arm-2"[^>]*stroke-dasharray="6 4")")));
}

TEST(SvgCohort, OnlyOneOrTwoCohorts) {
  EXPECT_THROW((void)to_svg(std::vector<labelled_cohort>{}), std::invalid_argument);
  EXPECT_THROW((void)to_svg({{"a", &weekly()}, {"b", &weekly()}, {"c", &weekly()}}), std::invalid_argument);
  EXPECT_THROW((void)to_svg({{"a", nullptr}}), std::invalid_argument);
}

TEST(SvgCohort, ACohortWhereNobodyIsAffectedGivesNoNanOrInf) {
  cohort_summary nobody;
  nobody.population.n = 10;
  nobody.population.session_days = {0};
  effect_summary none{"none", "None at all", probability::checked(0), probability::checked(0), {}, {}, {}, {}};
  none.p_visible_by_day = std::vector<probability>(31, probability::checked(0));
  nobody.effects = {none};
  nobody.any = none;
  nobody.any.id = "any";
  const auto doc = check_document(to_svg({{"nobody", &nobody}, {"weekly", &weekly()}}), "cohort_nobody.svg");
  EXPECT_TRUE(has_text(doc, "nobody: no patient had it")) << "the overlay names the arm that had nobody";
  check_document(to_svg({{"empty", &nobody}}), "cohort_empty.svg");
}

}  // namespace

// The assessment chart, for clinic staff: each reported symptom's reports on the patient's band.
//
// One panel per reported symptom, in the order first reported, laid out like the projection
// chart (one column, the same band, median, thresholds and sessions). Each report is one point
// whose colour and shape both say its status; the legend names the statuses in the model's
// words, and its class the status id, as the JSON has it. The labels are the staff's
// (wording.staff): this chart speaks about the patient, where the projection speaks to them.
#include "band_panel.hpp"
#include "chart_axes.hpp"
#include "staff_words.hpp"
#include "svg_writer.hpp"

#include <aftermath/render/svg.hpp>

#include <algorithm>
#include <array>

namespace aftermath::inline render {
namespace {

using chart::plot_area;
using svg::document;

using namespace chart::band_layout;
constexpr double plot_height = 140;
constexpr double panel_height = panel_height_for(plot_height);

struct status_mark {
  report_status status;
  const char* shape;
  const char* colour;
};

/// Shape and colour per status: each pair differs in both, so either alone tells them apart.
constexpr std::array<status_mark, 6> status_marks{{
    {report_status::resolved, "ring", colour::bluish_green},
    {report_status::better_than_expected, "triangle_down", colour::sky_blue},
    {report_status::as_expected, "circle", colour::blue},
    {report_status::slower_than_expected, "triangle_up", colour::orange},
    {report_status::worsening, "diamond", colour::vermillion},
    {report_status::unexpected, "square", colour::reddish_purple},
}};

const status_mark& mark_of(report_status status) {
  for (const auto& mark : status_marks)
    if (mark.status == status) return mark;
  return status_marks[2];
}

/// The wording's label, or the built-in English one when the model has none (staff must see every label).
std::string label_or(const std::string& wording, const char* english) { return wording.empty() ? english : wording; }

/// Reported symptoms in the order first reported.
std::vector<std::string> reported_symptoms(const assessment& assessed) {
  std::vector<std::string> symptoms;
  for (const auto& report : assessed.reports)
    if (std::find(symptoms.begin(), symptoms.end(), report.symptom) == symptoms.end()) symptoms.push_back(report.symptom);
  return symptoms;
}

const effect_projection* find_effect(const projection& prior, const std::string& id) {
  for (const auto& effect : prior.effects)
    if (effect.id == id) return &effect;
  return nullptr;
}

std::string title_of(const assessment& assessed, const profile& profile, const model& m) {
  std::string title = "Assessment";
  if (!profile.patient.empty()) title += " for " + profile.patient;
  return title + ": " + std::string(m.triage_name(assessed.triage));
}

std::string description_of(const assessment& assessed, const profile& profile, const model& m) {
  std::string text = title_of(assessed, profile, m) + ". " + assessed.advice;
  for (const auto& reason : assessed.reasons) text += " [" + reason.rule + "] " + reason.text;
  for (const auto& r : assessed.reports)
    text += " " + staff::effect_name(m, r.symptom) + " on day " + svg::number(r.day.count()) + ": reported " + svg::number(r.read_as) +
            ", expected " + svg::number(r.expected.p05.value()) + " to " + svg::number(r.expected.p95.value()) + ": " +
            std::string(status_name(m, r.status)) + ".";
  return text;
}

std::vector<chart::legend_entry> legend_of(const model& m) {
  const auto& words = m.wording.staff;
  auto entries = chart::band_legend(label_or(words.band, "5-95 % band for this patient, given the effect occurs"),
                                    label_or(words.median, "median, given the effect occurs"), label_or(words.visible, "visible threshold"),
                                    label_or(words.resolved, "resolved threshold"));
  for (const auto& mark : status_marks)
    entries.push_back({std::string(status_name(m, mark.status)), chart::legend_entry::swatch::marker, mark.colour, mark.shape});
  return entries;
}

std::string report_tooltip(const report_assessment& r, const profile& profile, const model& m) {
  std::string when = "day " + svg::number(r.day.count());
  if (!profile.sessions.empty()) when += " (" + iso_date(date_after_first(profile, r.day)) + ")";
  return "Report " + std::to_string(r.report + 1) + ", " + when + ": " + staff::effect_name(m, r.symptom) + " " + svg::number(r.read_as) +
         ", expected " + svg::number(r.expected.p05.value()) + "-" + svg::number(r.expected.p95.value()) + ": " +
         std::string(status_name(m, r.status));
}

struct panel_scales {
  double span;
  double severity_top;
};

void draw_panel(document& out, const std::string& symptom, const assessment& assessed, const projection& prior, const profile& profile,
                const model& m, double top, const panel_scales& scales) {
  const plot_area area{margin_left, top + panel_heading, plot_width, plot_height};
  const chart::linear_scale x(0, scales.span, area.left, area.right());
  const chart::linear_scale y(0, scales.severity_top, area.bottom(), area.top);
  const effect_projection* effect = find_effect(prior, symptom);
  std::size_t count = 0;
  for (const auto& r : assessed.reports) count += r.symptom == symptom ? 1 : 0;

  out.open("g", {{"class", "panel"}});
  out.open("text", {{"x", area.left}, {"y", top + font::heading}, {"font-size", font::heading}, {"fill", colour::black}});
  out.text("tspan", {{"class", "effect-name"}, {"font-weight", "bold"}}, effect ? effect->name : staff::effect_name(m, symptom));
  out.text("tspan", {{"dx", 8}, {"fill", colour::grey}}, std::to_string(count) + (count == 1 ? " report" : " reports"));
  out.close();
  chart::draw_y_axis(out, y, area.left, area.right(), chart::nice_ticks(0, scales.severity_top, 5));
  const auto ticks = chart::patient_time_ticks(profile, scales.span, plot_width, m.wording.chart.months);
  chart::draw_x_axis(out, x, area.bottom(), area.top, ticks.positions, ticks.labels);
  if (effect) chart::draw_band(out, *effect, x, y);
  chart::draw_thresholds(out, prior, x, y);
  chart::draw_sessions(out, prior, x, area, label_or(m.wording.staff.session, "session {number}"));
  for (const auto& r : assessed.reports) {
    if (r.symptom != symptom) continue;
    const auto& mark = mark_of(r.status);
    chart::draw_marker(out, mark.shape, x(r.day.count()), y(r.read_as), 6, mark.colour, "report " + std::string(to_string(r.status)),
                       report_tooltip(r, profile, m));
  }
  out.close();
}

panel_scales scales_of(const assessment& assessed, const projection& prior) {
  panel_scales scales{prior.horizon.count(), chart::severity_axis_top(prior)};
  if (!(scales.span > 0)) scales.span = 1;
  double highest = 0;
  for (const auto& r : assessed.reports) {
    scales.span = std::max(scales.span, r.day.count() + 1);
    highest = std::max(highest, r.read_as);
  }
  scales.severity_top = std::clamp(std::max(scales.severity_top, chart::nice_ceiling(highest)), 2.0, severity::max_value);
  return scales;
}

}  // namespace

std::string to_svg(const assessment& assessed, const projection& prior, const profile& profile, const model& m) {
  const std::string title = title_of(assessed, profile, m);
  const auto title_lines = chart::wrap_lines(title, chart_width - 2 * margin_right, font::title);
  const auto advice_lines = chart::wrap_lines(assessed.advice, chart_width - 2 * margin_right, font::small);
  const auto legend = legend_of(m);
  const auto symptoms = reported_symptoms(assessed);
  const auto notice = chart::wrap_lines(assessed.notice, chart_width - 2 * margin_right, font::small);

  const double title_bottom = margin_top + chart::lines_height(title_lines.size(), font::title);
  const double legend_top = title_bottom + chart::lines_height(advice_lines.size(), font::small) + 6;
  const double panels_top = legend_top + chart::legend_height(legend, chart_width - 2 * margin_right) + 12;
  const double notice_top = panels_top + panel_height * static_cast<double>(symptoms.size()) + 4;
  const double height = notice_top + chart::lines_height(notice.size(), font::small) + margin_top;

  document out(chart_width, height, title, description_of(assessed, profile, m));
  const bool alert = assessed.triage != triage_level::self_care;
  chart::draw_lines(out, title_lines, margin_right, margin_top + font::title, font::title,
                    {{"class", "chart-title"}, {"font-size", font::title}, {"font-weight", "bold"}, {"fill", alert ? colour::vermillion : colour::black}});
  chart::draw_lines(out, advice_lines, margin_right, title_bottom + font::small, font::small, {{"class", "advice"}, {"font-size", font::small}, {"fill", colour::black}});
  chart::draw_legend(out, legend, margin_right, legend_top, chart_width - 2 * margin_right);
  const auto scales = scales_of(assessed, prior);
  for (std::size_t k = 0; k < symptoms.size(); ++k)
    draw_panel(out, symptoms[k], assessed, prior, profile, m, panels_top + panel_height * static_cast<double>(k), scales);
  chart::draw_lines(out, notice, margin_right, notice_top + font::small, font::small, {{"class", "notice"}, {"font-size", font::small}, {"fill", colour::grey}});
  return out.finish();
}

}  // namespace aftermath::render

// The projection chart, patient-facing: one panel per effect in a single column.
//
// One column because the chart is read on phones: at a natural width of 480 px a phone shows it
// at about 0.75 scale, so 13 px text stays legible, and each panel keeps the whole width for its
// date axis (two columns would halve it and leave room for only two or three dates). Phones
// scroll down, not across, and in print six panels fill one portrait page.
#include "band_panel.hpp"
#include "chart_axes.hpp"
#include "../core/wording.hpp"
#include "svg_writer.hpp"

#include <aftermath/render/svg.hpp>

#include <algorithm>

namespace aftermath::inline render {
namespace {

using chart::plot_area;
using svg::document;

using namespace chart::band_layout;

/// The chart on its own, and inside the leaflet, where a phone shows it at about 0.8 scale
/// beside the text and six panels must not take more than about a screen.
struct chart_style {
  double plot_height;
  double gap;   ///< between panels
  bool framed;  ///< the title above and the notice under the chart; the leaflet has its own
  double panel_height() const { return panel_height_for(plot_height) - panel_gap + gap; }
};
constexpr chart_style standalone{120, panel_gap, true};
constexpr chart_style in_leaflet{44, 4, false};

std::string chart_title(const projection& projected, const profile& profile, const chart_wording& wording) {
  std::string title = wording.title;
  if (!profile.patient.empty()) title += (title.empty() ? "" : " — ") + profile.patient;
  return title.empty() ? projected.model_id : title;
}

std::string chance_label(const effect_projection& effect, const chart_wording& wording) {
  return detail::fill(wording.chance, {{"percent", detail::format_percent(effect.occurs.value())}});
}

/// For a screen reader: the title, then each effect with its chance, in the model's words.
std::string description(const projection& projected, const chart_wording& wording, const std::string& title) {
  std::string text = title + ".";
  if (!wording.band.empty()) text += " " + wording.band + ".";
  for (const auto& effect : projected.effects) {
    const std::string chance = chance_label(effect, wording);
    text += " " + effect.name + ": " + (chance.empty() ? detail::format_percent(effect.occurs.value()) : chance) + ".";
  }
  return text;
}

void draw_panel(document& out, const effect_projection& effect, const projection& projected, const profile& profile,
                const chart_wording& wording, double top, double severity_top, double plot_height) {
  const plot_area area{margin_left, top + panel_heading, plot_width, plot_height};
  const chart::linear_scale x(0, projected.horizon.count(), area.left, area.right());
  const chart::linear_scale y(0, severity_top, area.bottom(), area.top);
  out.open("g", {{"class", "panel"}});
  out.open("text", {{"x", area.left}, {"y", top + font::heading}, {"font-size", font::heading}, {"fill", colour::black}});
  out.text("tspan", {{"class", "effect-name"}, {"font-weight", "bold"}}, effect.name);
  out.text("tspan", {{"class", "chance"}, {"dx", 8}, {"fill", colour::grey}}, chance_label(effect, wording));
  out.close();
  chart::draw_y_axis(out, y, area.left, area.right(), chart::nice_ticks(0, severity_top, plot_height < 100 ? 3 : 5));
  const auto ticks = chart::patient_time_ticks(profile, projected.horizon.count(), plot_width, wording.months);
  chart::draw_x_axis(out, x, area.bottom(), area.top, ticks.positions, ticks.labels);
  chart::draw_band(out, effect, x, y);
  chart::draw_thresholds(out, projected, x, y);
  chart::draw_sessions(out, projected, x, area, wording.session);
  if (!wording.severity_axis.empty()) {
    const double cx = 14, cy = area.top + area.height / 2;
    out.text("text", {{"class", "axis-label"}, {"x", cx}, {"y", cy}, {"font-size", font::small}, {"fill", colour::grey},
                      {"text-anchor", "middle"}, {"transform", "rotate(-90 " + svg::number(cx) + " " + svg::number(cy) + ")"}},
             wording.severity_axis);
  }
  out.close();
}

std::string projection_svg(const projection& projected, const profile& profile, const chart_wording& wording, const chart_style& style) {
  const std::string title = chart_title(projected, profile, wording);
  const auto title_lines = style.framed ? chart::wrap_lines(title, chart_width - 2 * margin_right, font::title) : std::vector<std::string>{};
  const auto notice_lines = style.framed ? chart::wrap_lines(projected.notice, chart_width - 2 * margin_right, font::small) : std::vector<std::string>{};
  const double panel_height = style.panel_height();

  const auto legend = chart::band_legend(wording.band, wording.median, wording.visible, wording.resolved);
  const double legend_height = chart::legend_height(legend, chart_width - 2 * margin_right);

  const double header = margin_top + chart::lines_height(title_lines.size(), font::title) + 4;
  const double panels_top = header + legend_height + (legend_height > 0 ? 12 : 0);
  const double notice_top = panels_top + panel_height * static_cast<double>(projected.effects.size()) + 4;
  const double height = notice_top + (notice_lines.empty() ? 0.0 : chart::lines_height(notice_lines.size(), font::small) + margin_top);

  document out(chart_width, height, title, description(projected, wording, title));
  chart::draw_lines(out, title_lines, margin_right, margin_top + font::title, font::title,
                    {{"class", "chart-title"}, {"font-size", font::title}, {"font-weight", "bold"}, {"fill", colour::black}});
  chart::draw_legend(out, legend, margin_right, header, chart_width - 2 * margin_right);
  const double severity_top = chart::severity_axis_top(projected);
  for (std::size_t k = 0; k < projected.effects.size(); ++k)
    draw_panel(out, projected.effects[k], projected, profile, wording, panels_top + panel_height * static_cast<double>(k), severity_top,
               style.plot_height);
  chart::draw_lines(out, notice_lines, margin_right, notice_top + font::small, font::small,
                    {{"class", "notice"}, {"font-size", font::small}, {"fill", colour::grey}});
  return out.finish();
}

}  // namespace

projection chart_projection(const personal_course& course, projection_options options) {
  options.points_per_day = std::max(options.points_per_day, chart_points_per_day);
  return aftermath::project(course, options);
}

projection chart_projection(const model& model, const profile& profile, projection_options options) {
  options.points_per_day = std::max(options.points_per_day, chart_points_per_day);
  return aftermath::project(model, profile, options);
}

std::string to_svg(const projection& projected, const profile& profile, const chart_wording& wording) {
  return projection_svg(projected, profile, wording, standalone);
}

std::string to_leaflet_svg(const projection& projected, const profile& profile, const chart_wording& wording) {
  return projection_svg(projected, profile, wording, in_leaflet);
}

}  // namespace aftermath::render

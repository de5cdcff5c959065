// One effect's band, median, thresholds and sessions in a plot area.
#include "band_panel.hpp"

#include "../core/wording.hpp"

#include <algorithm>
#include <cmath>

namespace aftermath::inline render::chart {

double severity_axis_top(const projection& projected) {
  double highest = 0;
  for (const auto& effect : projected.effects)
    for (const auto& point : effect.curve) highest = std::max(highest, point.p95.value());
  return std::clamp(nice_ceiling(highest), 2.0, severity::max_value);
}

void draw_band(svg::document& out, const effect_projection& effect, const linear_scale& x, const linear_scale& y) {
  if (effect.curve.empty()) return;
  svg::path_data band, median;
  for (const auto& point : effect.curve) {
    if (band.empty()) band.move_to(x(point.day.count()), y(point.p95.value()));
    else band.line_to(x(point.day.count()), y(point.p95.value()));
  }
  for (auto point = effect.curve.rbegin(); point != effect.curve.rend(); ++point) band.line_to(x(point->day.count()), y(point->p05.value()));
  band.close();
  for (const auto& point : effect.curve) {
    if (median.empty()) median.move_to(x(point.day.count()), y(point.p50.value()));
    else median.line_to(x(point.day.count()), y(point.p50.value()));
  }
  out.add("path", {{"class", "band"}, {"d", band.str()}, {"fill", colour::sky_blue}, {"fill-opacity", band_opacity}, {"stroke", "none"}});
  out.add("path", {{"class", "median"}, {"d", median.str()}, {"fill", "none"}, {"stroke", colour::blue}, {"stroke-width", 2.5},
                   {"stroke-linejoin", "round"}});
}

void draw_thresholds(svg::document& out, const projection& projected, const linear_scale& x, const linear_scale& y) {
  const auto line = [&](double level, const char* css_class, const char* colour, const char* dashes) {
    out.add("line", {{"class", css_class}, {"x1", x.range_from()}, {"x2", x.range_to()}, {"y1", y(level)}, {"y2", y(level)},
                     {"stroke", colour}, {"stroke-width", 1.5}, {"stroke-dasharray", dashes}});
  };
  line(projected.visible_threshold.value(), "threshold visible-threshold", colour::vermillion, "6 4");
  line(projected.resolved_threshold.value(), "threshold resolved-threshold", colour::bluish_green, "2 3");
}

void draw_sessions(svg::document& out, const projection& projected, const linear_scale& x, const plot_area& area,
                   std::string_view pattern) {
  double free_from = -1e9;  // where the last label drawn ends
  int number = 0;
  for (const days start : projected.session_starts) {
    ++number;
    const double px = x(start.count());
    out.add("line", {{"class", "session"}, {"x1", px}, {"x2", px}, {"y1", area.top}, {"y2", area.bottom()}, {"stroke", colour::black},
                     {"stroke-width", 1.2}});
    if (pattern.empty()) continue;
    if (px + 3 < free_from) continue;  // sessions closer than a number's width: the first one speaks for them
    std::string label = detail::fill(pattern, {{"number", std::to_string(number)}});
    const bool last = number == static_cast<int>(projected.session_starts.size());
    const double room_until = last ? area.right() : x(projected.session_starts[number].count());
    if (px + 3 + text_width(label, font::small) > room_until) label = std::to_string(number);
    out.text("text", {{"class", "session-label"}, {"x", px + 3}, {"y", area.top + font::small}, {"font-size", font::small},
                      {"fill", colour::black}, {"stroke", "#ffffff"}, {"stroke-width", 3}, {"paint-order", "stroke"}},
             label);
    free_from = px + 3 + text_width(label, font::small) + 4;
  }
}

std::vector<legend_entry> band_legend(std::string band, std::string median, std::string visible, std::string resolved) {
  return {{std::move(band), legend_entry::swatch::band, colour::sky_blue, ""},
          {std::move(median), legend_entry::swatch::line, colour::blue, ""},
          {std::move(visible), legend_entry::swatch::dashed_line, colour::vermillion, ""},
          {std::move(resolved), legend_entry::swatch::dotted_line, colour::bluish_green, ""}};
}

}  // namespace aftermath::render::chart

// The sensitivity chart: one row per model number, by total index, largest first. Each row has
// two bars on a shared 0–1 axis, the total index (what the number explains with its interactions)
// and the first-order index (alone), each with its 95 % bootstrap interval as a whisker; the
// legend names the bars by pattern as well as colour.
#include "chart_axes.hpp"
#include "svg_writer.hpp"

#include <aftermath/render/svg.hpp>

#include <algorithm>

namespace aftermath::inline render {
namespace {

using svg::document;

constexpr double margin = 16;
constexpr double row_height = 34;
constexpr double bar_height = 11;
constexpr double plot_width = 360;
constexpr double axis_room = 30;

double label_room(const figure_sensitivity& s) {
  double widest = 120;
  for (const auto& p : s.parameters) widest = std::max(widest, chart::text_width(p.id, font::small));
  return widest + 12;
}

/// x of a value on the 0–1 axis (estimates may leave [0, 1]: they are drawn at its edge).
double x_of(double value, double left) { return left + plot_width * std::clamp(value, 0.0, 1.0); }

void draw_bar(document& out, const interval_estimate& e, double left, double top, const char* fill, const char* name) {
  out.open("g", {{"class", name}});
  out.tooltip(std::string(name) + " " + svg::number(e.estimate) + " (95 % interval " + svg::number(e.low) + " to " + svg::number(e.high) + ")");
  out.add("rect", {{"x", left}, {"y", top}, {"width", x_of(e.estimate, left) - left}, {"height", bar_height}, {"fill", fill},
                   {"fill-opacity", bar_opacity}});
  const double middle = top + bar_height / 2;
  out.add("line", {{"x1", x_of(e.low, left)}, {"x2", x_of(e.high, left)}, {"y1", middle}, {"y2", middle}, {"stroke", colour::black},
                   {"stroke-width", 1.5}});
  out.close();
}

void draw_axis(document& out, double left, double top, double bottom) {
  for (int tick = 0; tick <= 4; ++tick) {
    const double x = left + plot_width * tick / 4.0;
    out.add("line", {{"x1", x}, {"x2", x}, {"y1", top}, {"y2", bottom}, {"stroke", colour::light_grey}});
    out.text("text", {{"x", x}, {"y", bottom + 16}, {"font-size", font::small}, {"text-anchor", "middle"}, {"fill", colour::grey}},
             svg::number(tick / 4.0));
  }
}

}  // namespace

std::string to_svg(const figure_sensitivity& s) {
  const double left = margin + label_room(s);
  const double width = left + plot_width + margin;
  const double rows_top = margin + 56;
  const double rows_bottom = rows_top + row_height * static_cast<double>(s.parameters.size());
  const double height = rows_bottom + axis_room + margin;
  const std::string title = "What " + s.output + " depends on";
  document out(width, height, title, "Sobol indices of " + s.output + " over the model's uncertain numbers, by total index, largest first");
  out.text("text", {{"x", margin}, {"y", margin + font::title}, {"font-size", font::title}, {"font-weight", "bold"}, {"fill", colour::black}}, title);
  out.text("text", {{"x", margin}, {"y", margin + font::title + 20}, {"font-size", font::small}, {"fill", colour::grey}},
           "upper bar: total index (with interactions); lower bar: first order (alone); whiskers: 95 % intervals");
  draw_axis(out, left, rows_top, rows_bottom);
  for (std::size_t k = 0; k < s.parameters.size(); ++k) {
    const auto& p = s.parameters[k];
    const double top = rows_top + row_height * static_cast<double>(k);
    out.open("g", {{"class", "parameter"}});
    out.text("text", {{"x", left - 8}, {"y", top + bar_height + 3}, {"font-size", font::small}, {"text-anchor", "end"}, {"fill", colour::black}}, p.id);
    draw_bar(out, p.index.total, left, top + 2, colour::blue, "total");
    draw_bar(out, p.index.first_order, left, top + 4 + bar_height, colour::orange, "first order");
    out.close();
  }
  return out.finish();
}

}  // namespace aftermath::render

// Scales, ticks, legends and markers shared by the SVG charts.
#include "chart_axes.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace aftermath::inline render::chart {

using svg::attributes;

namespace {

constexpr double label_gap = 10;  // px between neighbouring tick labels

/// English month abbreviations, for the charts of clinic staff and researchers; the patient's
/// chart takes its month names from the model's wording.
constexpr std::array<const char*, 12> english_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string month_name(date d, const std::vector<std::string>& months) {
  const auto index = static_cast<std::size_t>(d.month().as_number() - 1);
  return index < months.size() ? months[index] : english_months[index];
}

std::string day_month(date d, const std::vector<std::string>& months) {
  return std::to_string(d.day().as_number()) + " " + month_name(d, months);
}
std::string month_year(date d, const std::vector<std::string>& months) { return month_name(d, months) + " " + std::to_string(d.year()); }

double widest(const std::vector<date_tick>& ticks, double size) {
  double most = 0;
  for (const auto& t : ticks) most = std::max(most, text_width(t.label, size));
  return most;
}

std::vector<date_tick> every_n_days(date first, double span, double shift, int step, const std::vector<std::string>& months) {
  std::vector<date_tick> ticks;
  for (int d = 0; d - shift <= span; d += step)
    if (d - shift >= 0) ticks.push_back({d - shift, day_month(first + boost::gregorian::days(d), months)});
  return ticks;
}

std::vector<date_tick> every_n_months(date first, double span, double shift, int step, const std::vector<std::string>& months) {
  std::vector<date_tick> ticks;
  date month_start(first.year(), first.month(), 1);
  if (month_start < first) month_start = month_start + boost::gregorian::months(1);
  // Align to months divisible by the step (Jan, Apr, Jul, Oct for quarters) so the axis reads evenly.
  while ((month_start.month().as_number() - 1) % step != 0) month_start = month_start + boost::gregorian::months(1);
  for (date d = month_start;; d = d + boost::gregorian::months(step)) {
    const double position = static_cast<double>((d - first).days()) - shift;
    if (position > span) break;
    ticks.push_back({position, month_year(d, months)});
  }
  return ticks;
}

void draw_triangle(svg::document& out, double x, double y, double r, double direction, std::string_view colour,
                   std::string_view css_class, std::string_view tooltip) {
  svg::path_data d;
  d.move_to(x, y - direction * r);
  d.line_to(x + r * 0.95, y + direction * r * 0.7);
  d.line_to(x - r * 0.95, y + direction * r * 0.7);
  d.close();
  out.open("path", {{"d", d.str()}, {"fill", colour}, {"stroke", colour}, {"class", css_class}});
  out.tooltip(tooltip);
  out.close();
}

}  // namespace

double text_width(std::string_view text, double size) {
  double characters = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) characters += 1;
  return characters * size * 0.6;
}

std::vector<std::string> wrap_lines(std::string_view text, double width, double size) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = std::min(text.find(' ', i), text.size());
    const std::string_view word = text.substr(i, end - i);
    i = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && text_width(line, size) + text_width(word, size) + size * 0.6 > width) lines.push_back(std::move(line)), line.clear();
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

void draw_lines(svg::document& out, const std::vector<std::string>& lines, double x, double y, double size, attributes style) {
  out.open("g", style);
  for (std::size_t k = 0; k < lines.size(); ++k) out.text("text", {{"x", x}, {"y", y + static_cast<double>(k) * size * 1.3}}, lines[k]);
  out.close();
}

linear_scale::linear_scale(double domain_from, double domain_to, double range_from, double range_to)
    : domain_from_(domain_from), domain_to_(domain_to), range_from_(range_from), range_to_(range_to) {}

double linear_scale::operator()(double value) const {
  const double extent = domain_to_ - domain_from_;
  if (!(std::isfinite(extent) && extent != 0)) return range_from_;
  if (std::isnan(value)) value = domain_from_;
  const double t = std::clamp((value - domain_from_) / extent, 0.0, 1.0);
  return range_from_ + t * (range_to_ - range_from_);
}

double nice_ceiling(double value) {
  if (!(value > 0) || !std::isfinite(value)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * power >= value * (1 - 1e-12)) return m * power;
  return 10 * power;
}

std::vector<double> nice_ticks(double from, double to, int most) {
  if (!std::isfinite(from)) from = 0;
  if (!(std::isfinite(to) && to > from) || most < 2) return {from};
  const double rough = (to - from) / (most - 1);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = 10 * power;
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= rough * (1 - 1e-12)) {
      step = m * power;
      break;
    }
  std::vector<double> ticks;
  for (double k = std::ceil(from / step - 1e-9); k * step <= to + step * 1e-9; ++k) ticks.push_back(k * step == 0 ? 0.0 : k * step);
  return ticks;
}

std::vector<date_tick> date_ticks(date first, double span, double width, double size, double day_zero_at,
                                  const std::vector<std::string>& months) {
  constexpr double longest_span = 20000;  // about 55 years: beyond it a date axis means a broken input
  if (!(std::isfinite(span) && span > 0 && span <= longest_span) || first.is_special()) return {};
  const auto fits = [&](const std::vector<date_tick>& ticks, double step_days) {
    return ticks.size() < 2 || widest(ticks, size) + label_gap <= width * step_days / span;
  };
  for (int step : {1, 2, 7, 14}) {
    auto ticks = every_n_days(first, span, day_zero_at, step, months);
    if (fits(ticks, step)) return ticks;
  }
  for (int step : {1, 2, 3, 6}) {
    auto ticks = every_n_months(first, span, day_zero_at, step, months);
    if (fits(ticks, 28.0 * step)) return ticks;
  }
  return every_n_months(first, span, day_zero_at, 12, months);
}

axis_ticks patient_time_ticks(const profile& profile, double span, double width, const std::vector<std::string>& months) {
  axis_ticks out;
  if (profile.sessions.empty()) {
    for (double d : day_ticks(span, width, font::small)) out.positions.push_back(d), out.labels.push_back(svg::number(d));
    return out;
  }
  const auto& first = profile.sessions.front();
  const double day_zero_at = first.minute_of_day ? *first.minute_of_day / 1440.0 : 0.0;
  for (auto& tick : date_ticks(first.day, span, width, font::small, day_zero_at, months))
    out.positions.push_back(tick.day), out.labels.push_back(std::move(tick.label));
  return out;
}

std::vector<double> day_ticks(double span, double width, double size) {
  for (int most = 12; most > 2; --most) {
    auto ticks = nice_ticks(0, span, most);
    const double spacing = ticks.size() < 2 ? width : width * (ticks[1] - ticks[0]) / span;
    double widest_label = 0;
    for (double t : ticks) widest_label = std::max(widest_label, text_width(svg::number(t), size));
    if (widest_label + label_gap <= spacing) return ticks;
  }
  return nice_ticks(0, span, 2);
}

void draw_x_axis(svg::document& out, const linear_scale& x, double y, double grid_top, const std::vector<double>& positions,
                 const std::vector<std::string>& labels) {
  out.open("g", {{"class", "x-axis"}, {"font-size", font::small}, {"fill", colour::grey}, {"text-anchor", "middle"}});
  out.add("line", {{"x1", x.range_from()}, {"x2", x.range_to()}, {"y1", y}, {"y2", y}, {"stroke", colour::grey}});
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const double px = x(positions[i]);
    out.add("line", {{"x1", px}, {"x2", px}, {"y1", grid_top}, {"y2", y}, {"stroke", colour::light_grey}});
    out.add("line", {{"x1", px}, {"x2", px}, {"y1", y}, {"y2", y + 4}, {"stroke", colour::grey}});
    if (i >= labels.size()) continue;
    // A label at the right end is set flush right so that it stays inside the chart.
    const bool flush_right = px + text_width(labels[i], font::small) / 2 > x.range_to() + 8;
    if (flush_right) out.text("text", {{"x", px}, {"y", y + 4 + font::small}, {"text-anchor", "end"}}, labels[i]);
    else out.text("text", {{"x", px}, {"y", y + 4 + font::small}}, labels[i]);
  }
  out.close();
}

void draw_y_axis(svg::document& out, const linear_scale& y, double x0, double x1, const std::vector<double>& ticks,
                 const std::string& suffix) {
  out.open("g", {{"class", "y-axis"}, {"font-size", font::small}, {"fill", colour::grey}, {"text-anchor", "end"}});
  out.add("line", {{"x1", x0}, {"x2", x0}, {"y1", y.range_from()}, {"y2", y.range_to()}, {"stroke", colour::grey}});
  for (double t : ticks) {
    const double py = y(t);
    out.add("line", {{"x1", x0}, {"x2", x1}, {"y1", py}, {"y2", py}, {"stroke", colour::light_grey}});
    out.text("text", {{"x", x0 - 4}, {"y", py + font::small * 0.35}}, svg::number(t) + suffix);
  }
  out.close();
}

namespace {

constexpr double swatch_width = 26, legend_row = 20, legend_gap = 18;

/// Where each entry with text goes: left to right, a new row when the next would not fit.
struct legend_slot {
  const legend_entry* entry;
  double x, y;
};

std::vector<legend_slot> lay_out(const std::vector<legend_entry>& entries, double x, double y, double width) {
  std::vector<legend_slot> slots;
  double cx = x, cy = y;
  for (const auto& e : entries) {
    if (e.text.empty()) continue;
    const double entry_width = swatch_width + 6 + text_width(e.text, font::body);
    if (!slots.empty() && cx + entry_width > x + width) cx = x, cy += legend_row;
    slots.push_back({&e, cx, cy});
    cx += entry_width + legend_gap;
  }
  return slots;
}

void draw_swatch(svg::document& out, const legend_entry& e, double x, double mid) {
  using swatch = legend_entry::swatch;
  switch (e.kind) {
    case swatch::band:
    case swatch::bar:
      out.add("rect", {{"x", x}, {"y", mid - 6}, {"width", swatch_width}, {"height", 12}, {"fill", e.colour},
                       {"fill-opacity", e.kind == swatch::band ? band_opacity : bar_opacity}});
      break;
    case swatch::line:
    case swatch::dashed_line:
    case swatch::dotted_line:
      out.add("line", {{"x1", x}, {"x2", x + swatch_width}, {"y1", mid}, {"y2", mid}, {"stroke", e.colour}, {"stroke-width", 2.5},
                       {"stroke-dasharray", e.kind == swatch::dashed_line ? "6 4" : e.kind == swatch::dotted_line ? "2 3" : "none"}});
      break;
    case swatch::marker:
      draw_marker(out, e.marker_shape, x + swatch_width / 2, mid, 6, e.colour);
      break;
  }
}

}  // namespace

double legend_height(const std::vector<legend_entry>& entries, double width) {
  const auto slots = lay_out(entries, 0, 0, width);
  return slots.empty() ? 0 : slots.back().y + legend_row;
}

void draw_legend(svg::document& out, const std::vector<legend_entry>& entries, double x, double y, double width) {
  const auto slots = lay_out(entries, x, y, width);
  if (slots.empty()) return;
  out.open("g", {{"class", "legend"}, {"font-size", font::body}, {"fill", colour::black}});
  for (const auto& slot : slots) {
    const double mid = slot.y + legend_row / 2;
    draw_swatch(out, *slot.entry, slot.x, mid);
    out.text("text", {{"x", slot.x + swatch_width + 6}, {"y", mid + font::body * 0.35}}, slot.entry->text);
  }
  out.close();
}

void draw_marker(svg::document& out, std::string_view shape, double x, double y, double r, std::string_view colour,
                 std::string_view css_class, std::string_view tooltip) {
  const auto finish = [&] {
    out.tooltip(tooltip);
    out.close();
  };
  if (shape == "triangle_up") return draw_triangle(out, x, y, r * 1.2, 1, colour, css_class, tooltip);
  if (shape == "triangle_down") return draw_triangle(out, x, y, r * 1.2, -1, colour, css_class, tooltip);
  if (shape == "square") {
    out.open("rect", {{"x", x - r * 0.85}, {"y", y - r * 0.85}, {"width", r * 1.7}, {"height", r * 1.7}, {"fill", colour}, {"class", css_class}});
    return finish();
  }
  if (shape == "diamond" || shape == "star") {
    const bool star = shape == "star";
    const int corners = star ? 10 : 4;  // a star alternates outer and inner corners
    svg::path_data d;
    for (int k = 0; k < corners; ++k) {
      const double radius = star ? (k % 2 ? r * 0.55 : r * 1.3) : r * 1.2;
      const double angle = 2 * std::acos(-1.0) * k / corners;
      const double px = x + radius * std::sin(angle), py = y - radius * std::cos(angle);
      if (d.empty()) d.move_to(px, py);
      else d.line_to(px, py);
    }
    d.close();
    out.open("path", {{"d", d.str()}, {"fill", colour}, {"class", css_class}});
    return finish();
  }
  const bool ring = shape == "ring";
  out.open("circle", {{"cx", x}, {"cy", y}, {"r", ring ? r * 0.85 : r}, {"fill", ring ? "#ffffff" : colour}, {"stroke", colour},
                      {"stroke-width", ring ? 2.5 : 1.0}, {"class", css_class}});
  finish();
}

}  // namespace aftermath::render::chart

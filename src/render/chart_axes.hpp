// What the SVG charts share: scales, "nice" ticks, date ticks, the palette, text sizes, legends
// (wording placeholders are filled by detail::fill, chances written by detail::format_percent).
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include "svg_writer.hpp"

#include <aftermath/profile.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace aftermath::inline render {

/// Okabe & Ito's palette: told apart with every common colour-vision deficiency. The charts
/// still never rely on colour alone.
namespace colour {
inline constexpr const char* black = "#000000";
inline constexpr const char* orange = "#E69F00";
inline constexpr const char* sky_blue = "#56B4E9";
inline constexpr const char* bluish_green = "#009E73";
inline constexpr const char* yellow = "#F0E442";
inline constexpr const char* blue = "#0072B2";
inline constexpr const char* vermillion = "#D55E00";
inline constexpr const char* reddish_purple = "#CC79A7";
inline constexpr const char* grey = "#666666";   ///< axes and secondary text, 5.7:1 on white
inline constexpr const char* light_grey = "#DDDDDD";  ///< grid lines
}  // namespace colour

/// Fill opacities: a band lets the lines over it show; a bar is a mark of its own.
inline constexpr double band_opacity = 0.35;
inline constexpr double bar_opacity = 0.75;

/// Font sizes in px at the natural width: nothing smaller than 12.
namespace font {
inline constexpr double small = 12;
inline constexpr double body = 13;
inline constexpr double heading = 15;
inline constexpr double title = 18;
}  // namespace font

}  // namespace aftermath::render

namespace aftermath::inline render::chart {

/// A rough width of `text` set at `size` px in a sans-serif font, to keep labels apart. UTF-8
/// continuation bytes do not count, so a translated label is measured by its characters.
double text_width(std::string_view text, double size);

/// `text` broken at spaces into lines of at most `width` px at `size` px (a word longer than a
/// line gets a line of its own).
std::vector<std::string> wrap_lines(std::string_view text, double width, double size);

/// Lines of text from (x, y) down, 1.3 line heights apart, in a group with `style`.
void draw_lines(svg::document& out, const std::vector<std::string>& lines, double x, double y, double size, svg::attributes style);

/// Height of `lines` of text at `size` px as draw_lines sets them.
inline double lines_height(std::size_t lines, double size) { return static_cast<double>(lines) * size * 1.3; }

/// Maps [domain_from, domain_to] linearly onto [range_from, range_to], clamping to the range so
/// that an outlying or non-finite value stays on the plot. An empty domain maps to range_from.
class linear_scale {
 public:
  linear_scale(double domain_from, double domain_to, double range_from, double range_to);
  double operator()(double value) const;
  double range_from() const { return range_from_; }
  double range_to() const { return range_to_; }

 private:
  double domain_from_, domain_to_, range_from_, range_to_;
};

/// "Nice" tick values (1, 2 or 5 times a power of ten apart) covering [from, to], at most
/// `most` of them; an empty or non-finite interval gives the single tick `from` (or 0).
std::vector<double> nice_ticks(double from, double to, int most);

/// The smallest nice value (1, 2, 2.5 or 5 times a power of ten) at or above `value` (> 0).
double nice_ceiling(double value);

/// A tick on a time axis: the position in days since `first` and its label.
struct date_tick {
  double day;
  std::string label;
};

/// Ticks for the days [0, span] after `first`: every day, 2 days, week or 2 weeks (labelled
/// "1 Dec") or the first of every 1, 2, 3 or 6 months (labelled "Jan 2027"), the finest step
/// whose labels at `size` px fit `width` px without overlapping. `day_zero_at` is the part of
/// the first day gone by at day 0 (a session at noon: 0.5), so ticks fall on midnights.
/// `months` names the months from January (English abbreviations when empty).
std::vector<date_tick> date_ticks(date first, double span, double width, double size, double day_zero_at = 0,
                                  const std::vector<std::string>& months = {});

/// Positions on a time axis and their labels.
struct axis_ticks {
  std::vector<double> positions;
  std::vector<std::string> labels;
};

/// The time axis of a patient's chart, days since the first session: dates when the profile has
/// sessions (from the first one, its time of day included), day numbers otherwise.
/// `months` as for date_ticks.
axis_ticks patient_time_ticks(const profile& profile, double span, double width, const std::vector<std::string>& months);

/// Ticks for a plain number of days: nice values whose labels fit `width` px.
std::vector<double> day_ticks(double span, double width, double size);

/// Draws a horizontal axis at `y` (tick marks, labels below, light vertical grid lines up to
/// `grid_top`); `labels` at `positions` on the scale's domain.
void draw_x_axis(svg::document& out, const linear_scale& x, double y, double grid_top, const std::vector<double>& positions,
                 const std::vector<std::string>& labels);

/// Draws a vertical axis at the scale's left edge `x0` with labelled ticks and grid lines to `x1`.
void draw_y_axis(svg::document& out, const linear_scale& y, double x0, double x1, const std::vector<double>& ticks,
                 const std::string& suffix = "");

/// One entry of a legend: a swatch (a band, a line of some pattern or a marker), then its text.
struct legend_entry {
  std::string text;
  enum class swatch { band, bar, line, dashed_line, dotted_line, marker } kind = swatch::line;
  std::string colour;
  std::string marker_shape;  ///< for markers: see draw_marker
};

/// The height the legend takes within `width` (0 when every text is empty: an entry without
/// text is not drawn).
double legend_height(const std::vector<legend_entry>& entries, double width);

/// Lays the entries out in rows from (x, y) within `width`, swatch then text.
void draw_legend(svg::document& out, const std::vector<legend_entry>& entries, double x, double y, double width);

/// A marker centred at (x, y): "circle", "ring", "square", "diamond", "triangle_up",
/// "triangle_down" or "star"; `extra` classes and a tooltip make it findable and accessible.
void draw_marker(svg::document& out, std::string_view shape, double x, double y, double radius, std::string_view colour,
                 std::string_view css_class = "", std::string_view tooltip = "");

}  // namespace aftermath::render::chart

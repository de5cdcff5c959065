// One effect's projection drawn in a plot area: the band, the median, the thresholds and the
// sessions. The projection chart and the assessment chart both draw it.
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include "chart_axes.hpp"

#include <aftermath/projection.hpp>

#include <string>
#include <string_view>

namespace aftermath::inline render::chart {

/// A plot area in px: the inside of the axes.
/// The geometry of a chart of band panels (the projection's and the assessment's), shared so
/// that the two line up when shown together; each chart picks its own plot height.
namespace band_layout {
inline constexpr double chart_width = 480;
inline constexpr double margin_left = 56;  // severity ticks and the rotated axis label
inline constexpr double margin_right = 16;
inline constexpr double margin_top = 16;
inline constexpr double plot_width = chart_width - margin_left - margin_right;
inline constexpr double panel_heading = 26;
inline constexpr double axis_labels = 24;
inline constexpr double panel_gap = 14;
/// A panel's whole height for a plot of `plot_height` px.
constexpr double panel_height_for(double plot_height) { return panel_heading + plot_height + axis_labels + panel_gap; }
}  // namespace band_layout

struct plot_area {
  double left, top, width, height;
  double right() const { return left + width; }
  double bottom() const { return top + height; }
};

/// The top of the severity axis shared by every panel of a chart, so panels compare at a
/// glance: the highest 95th percentile rounded up to a nice value, at least 2 (the thresholds
/// stay clear of the axis) and at most 10.
double severity_axis_top(const projection& projected);

/// The 5–95 % band as an area (class "band") and the median as a line (class "median").
void draw_band(svg::document& out, const effect_projection& effect, const linear_scale& x, const linear_scale& y);

/// Dashed at the visible threshold (class "threshold visible-threshold"), dotted at the resolved
/// one ("threshold resolved-threshold"): told apart by pattern, named in the legend.
void draw_thresholds(svg::document& out, const projection& projected, const linear_scale& x, const linear_scale& y);

/// A vertical line at each session start (class "session") with its label from `pattern`
/// ({number} filled in; just the number where the full label would run into the one before).
void draw_sessions(svg::document& out, const projection& projected, const linear_scale& x, const plot_area& area,
                   std::string_view pattern);

/// The legend entries for what draw_band and draw_thresholds draw, with these texts.
std::vector<legend_entry> band_legend(std::string band, std::string median, std::string visible, std::string resolved);

}  // namespace aftermath::render::chart

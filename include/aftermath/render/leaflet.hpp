// aftermath: the leaflet as a standalone HTML page or as Markdown.
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include <aftermath/leaflet.hpp>

#include <string>
#include <string_view>

namespace aftermath::inline render {

/// One self-contained HTML page: styles inline, readable on a phone and in print, with
/// `chart_svg` (an SVG document, e.g. from to_svg) embedded in the chart section. All text is
/// escaped. An empty `chart_svg` leaves the chart section with its caption only.
[[nodiscard]] std::string to_html(const leaflet& leaflet, std::string_view chart_svg);

/// Markdown, with the chart as an image link to `chart_file` (a path relative to the Markdown
/// file; omitted when empty). Characters Markdown would read as formatting or HTML are escaped.
[[nodiscard]] std::string to_markdown(const leaflet& leaflet, std::string_view chart_file);

}  // namespace aftermath::render

// The leaflet as HTML and as Markdown: the same sections, two markups.
#include <aftermath/render/leaflet.hpp>

#include "svg_writer.hpp"

#include <string_view>

namespace aftermath::inline render {
namespace {

// HTML text is escaped as the SVG inside it is: the same entities, and no byte that could break the page.
const auto escape_xml = svg::escape;

// ---- HTML ---------------------------------------------------------------------------------

/// One column, type large enough for a phone, little space between parts: most patients open it
/// on a phone, and each screen should carry as much as it can. When to get help comes first,
/// boxed in red, the emergency signs on red; the print rules keep each part together on paper.
constexpr std::string_view html_style = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 1rem; line-height: 1.35;
       color: #1a1a1a; background: #fff; max-width: 42rem; margin: 0 auto; padding: 0.75rem; overflow-wrap: break-word; }
h1 { font-size: 1.3rem; line-height: 1.2; margin: 0.25rem 0 0.4rem; }
h2 { font-size: 1.2rem; margin: 1rem 0 0.3rem; border-bottom: 2px solid #ddd; }
h3 { font-size: 1.05rem; margin: 0.7rem 0 0.15rem; }
p { margin: 0.25rem 0; }
ul { margin: 0.3rem 0; padding-left: 1.25rem; }
li { margin-bottom: 0.1rem; }
.warnings { border: 3px solid #b00020; border-radius: 6px; padding: 0.25rem 0.75rem 0.5rem; margin-top: 1rem; }
.warnings > h2 { margin-top: 0.25rem; border: none; color: #b00020; }
.warnings > section { border-left: 6px solid #999; padding: 0.1rem 0 0.1rem 0.6rem; margin: 0.6rem 0; }
.warnings > .emergency { border-color: #b00020; background: #fdecee; }
.warnings > .urgent { border-color: #d55e00; }
.warnings > .contact_provider { border-color: #0072b2; }
.warnings h3 { margin-top: 0.2rem; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; }
@media print { body { max-width: none; font-size: 11pt; } section, figure, li { break-inside: avoid; } }
)";

/// The SVG document without its XML declaration, which may not appear inside HTML.
std::string_view svg_element(std::string_view svg) {
  const auto start = svg.find("<svg");
  return start == std::string_view::npos ? std::string_view{} : svg.substr(start);
}

void html_paragraphs(std::string& out, const std::vector<std::string>& paragraphs) {
  for (const auto& p : paragraphs) out += "<p>" + escape_xml(p) + "</p>\n";
}

void html_section(std::string& out, const leaflet_section& section, int depth, std::string_view chart_svg) {
  const std::string h = "h" + std::to_string(depth);
  out += "<section class=\"" + escape_xml(section.id) + "\">\n";
  out += "<" + h + ">" + escape_xml(section.heading) + "</" + h + ">\n";
  html_paragraphs(out, section.paragraphs);
  if (section.id == "chart" && !chart_svg.empty()) out += "<figure>\n" + std::string(svg_element(chart_svg)) + "\n</figure>\n";
  if (!section.items.empty()) {
    out += "<ul>\n";
    for (const auto& item : section.items) out += "<li>" + escape_xml(item) + "</li>\n";
    out += "</ul>\n";
  }
  html_paragraphs(out, section.closing);
  for (const auto& sub : section.subsections) html_section(out, sub, depth + 1, chart_svg);
  out += "</section>\n";
}

// ---- Markdown -----------------------------------------------------------------------------

/// Where a list number at the start ends ("12." or "3)"): the character to escape; npos if none.
std::size_t list_number_end(std::string_view text) {
  const auto end = text.find_first_not_of("0123456789");
  return end != 0 && end != std::string_view::npos && (text[end] == '.' || text[end] == ')') ? end : std::string_view::npos;
}

/// Text that Markdown shows as written, on one line: line breaks become spaces (a new line could
/// start a heading or a list), emphasis, code, link, table and strikethrough characters get a
/// backslash, so does a block marker or a list number at the start, web addresses are not
/// turned into links, and HTML characters become entities (Markdown passes raw HTML through).
std::string escape_markdown(std::string_view text) {
  std::string out;
  const std::size_t number_end = list_number_end(text);
  if (!text.empty() && std::string_view("#+-=").find(text.front()) != std::string_view::npos) out += '\\';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r' || c == '\t') out += ' ';
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else {
      const bool autolink = text.substr(i, 3) == "://" || (c == '.' && i >= 3 && text.substr(i - 3, 3) == "www");
      if (i == number_end || autolink || std::string_view("\\`*_[]!~|").find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

void markdown_section(std::string& out, const leaflet_section& section, int depth, std::string_view chart_file) {
  out += std::string(static_cast<std::size_t>(depth), '#') + " " + escape_markdown(section.heading) + "\n\n";
  for (const auto& p : section.paragraphs) out += escape_markdown(p) + "\n\n";
  if (section.id == "chart" && !chart_file.empty())
    out += "![" + escape_markdown(section.heading) + "](<" + std::string(chart_file) + ">)\n\n";
  for (const auto& item : section.items) out += "- " + escape_markdown(item) + "\n";
  if (!section.items.empty()) out += "\n";
  for (const auto& p : section.closing) out += escape_markdown(p) + "\n\n";
  for (const auto& sub : section.subsections) markdown_section(out, sub, depth + 1, chart_file);
}

}  // namespace

std::string to_html(const leaflet& leaflet, std::string_view chart_svg) {
  std::string out = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    escape_xml(leaflet.title) + "</title>\n<style>" + std::string(html_style) + "</style>\n</head>\n<body>\n";
  out += "<h1>" + escape_xml(leaflet.title) + "</h1>\n";
  html_paragraphs(out, leaflet.intro);
  for (const auto& section : leaflet.sections) html_section(out, section, 2, chart_svg);
  return out + "</body>\n</html>\n";
}

std::string to_markdown(const leaflet& leaflet, std::string_view chart_file) {
  std::string out = "# " + escape_markdown(leaflet.title) + "\n\n";
  for (const auto& p : leaflet.intro) out += escape_markdown(p) + "\n\n";
  for (const auto& section : leaflet.sections) markdown_section(out, section, 2, chart_file);
  return out;
}

}  // namespace aftermath::render

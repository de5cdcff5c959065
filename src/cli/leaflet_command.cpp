#include "leaflet_command.hpp"

#include "output_file.hpp"

#include <aftermath/render/leaflet.hpp>
#include <aftermath/render/svg.hpp>
#include <aftermath/leaflet.hpp>

#include <filesystem>
#include <iostream>

namespace aftermath::cli {
namespace {

/// The chart's file beside the Markdown, linked by its name, so the two move together; "" for none.
std::string chart_beside(const std::string& markdown) {
  if (markdown.empty()) return {};
  std::filesystem::path chart(markdown);
  chart.replace_filename(chart.stem().string() + "-chart.svg");
  return chart.string();
}

/// No file may be written twice: the second would silently replace the first.
void check_distinct(const leaflet_files& files, const std::string& chart_file) {
  const auto same = [](const std::string& a, const std::string& b) {
    return !a.empty() && !b.empty() && std::filesystem::path(a).lexically_normal() == std::filesystem::path(b).lexically_normal();
  };
  if (same(files.html, files.markdown)) throw input_error("--html", "'" + files.html + "' is also the --markdown file", problem_code::conflict);
  if (same(files.html, chart_file))
    throw input_error("--html", "'" + files.html + "' is where the Markdown's chart goes", problem_code::conflict);
}

}  // namespace

std::vector<std::string> write_leaflet(const model& model, const profile& profile, const projection& projected,
                                       const leaflet_files& files, const clinic& clinic, std::ostream& out) {
  const leaflet written = make_leaflet(model, profile, projected, clinic);
  // The clinic hands the page to the patient: what only the clinic should act on goes to stderr.
  for (const auto& warning : written.clinic_warnings) std::cerr << "aftermath: for the clinic: " << warning << "\n";
  if (files.html.empty() && files.markdown.empty() && !files.fhir) {
    out << to_markdown(written, "");
    return {};
  }
  const std::string chart_file = chart_beside(files.markdown);
  check_distinct(files, chart_file);
  const std::string chart = to_leaflet_svg(projected, profile, wording_for(model, clinic).chart);
  if (files.fhir) out << to_fhir_document_reference(to_html(written, chart), profile, *files.fhir) << "\n";
  std::vector<std::string> paths;
  if (!files.html.empty()) {
    write_file(files.html, to_html(written, chart), "--html");
    paths.push_back(files.html);
  }
  if (!files.markdown.empty()) {
    write_file(files.markdown, to_markdown(written, std::filesystem::path(chart_file).filename().string()), "--markdown");
    write_file(chart_file, chart, "--markdown");
    paths.push_back(files.markdown);
    paths.push_back(chart_file);
  }
  return paths;
}

}  // namespace aftermath::cli

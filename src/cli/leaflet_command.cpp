#include "leaflet_command.hpp"

#include "output_file.hpp"

#include <aftermath/io/leaflet.hpp>
#include <aftermath/io/svg.hpp>
#include <aftermath/leaflet.hpp>

#include <filesystem>

namespace aftermath::cli {

std::vector<std::string> write_leaflet(const model& model, const profile& profile, const projection& projected,
                                       const leaflet_files& files, std::ostream& out) {
  const leaflet written = make_leaflet(model, profile, projected);
  if (files.html.empty() && files.markdown.empty()) {
    out << to_markdown(written, "");
    return {};
  }
  const std::string chart = to_svg(projected, profile, model.wording.chart);
  std::vector<std::string> paths;
  if (!files.html.empty()) {
    write_file(files.html, to_html(written, chart), "--html");
    paths.push_back(files.html);
  }
  if (!files.markdown.empty()) {
    // The chart sits beside the Markdown, linked by its file name, so the two move together.
    std::filesystem::path chart_path(files.markdown);
    chart_path.replace_filename(chart_path.stem().string() + "-chart.svg");
    const std::string chart_file = chart_path.string();
    write_file(files.markdown, to_markdown(written, std::filesystem::path(chart_file).filename().string()), "--markdown");
    write_file(chart_file, chart, "--markdown");
    paths.push_back(files.markdown);
    paths.push_back(chart_file);
  }
  return paths;
}

}  // namespace aftermath::cli

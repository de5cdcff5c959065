// The leaflet, as `aftermath leaflet` and `aftermath demo` write it.
#pragma once

#include <aftermath/clinic.hpp>
#include <aftermath/io/fhir.hpp>
#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace aftermath::cli {

struct leaflet_files {
  std::string html;      ///< standalone page with the chart embedded; empty: none
  std::string markdown;  ///< Markdown, with the chart beside it (<name>-chart.svg); empty: none
  /// Write the HTML page to the stream as a FHIR DocumentReference in a Bundle; null: not.
  const fhir_context* fhir = nullptr;
};

/// Writes the patient's leaflet, in the clinic's words and with its numbers, to the files asked
/// for and returns the paths written, chart included; the leaflet's warnings for the clinic (a
/// session before its recovery gate allows) go to stderr, never onto the patient's page. With no file asked for, writes the
/// Markdown (without its chart) to `out`. Throws input_error naming --html or --markdown for a
/// file that cannot be written. With `files.fhir`, writes the FHIR Bundle to `out` instead.
std::vector<std::string> write_leaflet(const model& model, const profile& profile, const projection& projected,
                                       const leaflet_files& files, const clinic& clinic, std::ostream& out);

}  // namespace aftermath::cli

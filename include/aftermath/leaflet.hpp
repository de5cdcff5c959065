// aftermath: a personal "what to expect after your treatment" leaflet.
//
// The leaflet is the projection in the patient's words and dates: each likely side effect with
// the date it should fade by (the 95th percentile of its resolution, given it happens) and the
// date most people are clear (the median); the chart; what helps; the aftercare windows with
// their end dates; when results show; the rare complications and when to watch for them; every
// red-flag sign under the level of help it needs; and the notice that these are estimates.
// Every sentence comes from the model (its wording, effects, results, aftercare, risks, triage
// levels and red-flag signs), so a clinic rewords or translates the model file, not the code.
// Writers for HTML and Markdown are in io/leaflet.hpp.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>

#include <string>
#include <vector>

namespace aftermath {

/// A part of the leaflet: a heading, sentences, a list, sentences after the list, and parts
/// within it (the aftercare of each session, the signs of each level of help).
struct leaflet_section {
  std::string id;  ///< effects, chart, helps, aftercare, results, risks, warnings, notice; session-N; a triage level
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<std::string> items;
  std::vector<std::string> closing;
  std::vector<leaflet_section> subsections;
};

struct leaflet {
  std::string title;
  std::vector<std::string> intro;
  std::vector<leaflet_section> sections;  ///< in reading order; the chart belongs in the one with id "chart"
};

/// The leaflet for this patient. `projected` must be the projection of `profile` under `model`
/// (its effects, aftercare and risks are what the leaflet describes).
[[nodiscard]] leaflet make_leaflet(const model& model, const profile& profile, const projection& projected);

/// A date in the model's words, e.g. "Tuesday 1 December 2026".
[[nodiscard]] std::string format_date(const date_wording& wording, date day);

}  // namespace aftermath

// aftermath: a personal "what to expect after your treatment" leaflet.
//
// The leaflet is the projection in the patient's words and dates, written for a phone: first
// when to get help (the signs a patient can check, under the help each needs, with the clinic's
// number), then each side effect with a word for its chance, how long it usually lasts and the
// date it should have gone by after each session; the chart; the aftercare windows with their
// end dates; what helps; when results show; the rare complications; and the notice that these
// are estimates.
//
// Every sentence comes from the model (or the clinic's overlay of it), and every time a sentence
// states is filled in from the projection, never written into the wording, so that the words
// cannot contradict the numbers:
//   {typical}  the median time to resolution after a session, given the effect happens;
//   {most}     its 90th percentile ("for 9 in 10 people");
//   the "should have gone by" date of each session: its 95th percentile, the same date the
//              "still there after its date" warning sign refers to;
// all rounded up (whole hours below a day, days below four weeks, weeks beyond). The quantiles
// are those of the first session; later sessions get their own dates.
// Writers for HTML and Markdown are in render/leaflet.hpp.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/clinic.hpp>
#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>

#include <string>
#include <vector>

namespace aftermath {

/// A part of the leaflet: a heading, sentences, a list, sentences after the list, and parts
/// within it (the aftercare of each session, the signs of each level of help).
struct leaflet_section {
  std::string id;  ///< warnings, effects, chart, aftercare, helps, results, risks, notice; an effect's id; a triage level
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
  /// For the clinic, not part of the patient's page: each session of the course that came before
  /// its protocol's recovery gate allows (the projection's gate_warnings, in the model's words).
  std::vector<std::string> clinic_warnings;
};

/// The leaflet for this patient, in the clinic's words and with its numbers if it gives them.
/// `projected` must be the projection of `profile` under `model` (its effects, aftercare and
/// risks are what the leaflet describes).
[[nodiscard]] leaflet make_leaflet(const model& model, const profile& profile, const projection& projected, const clinic& clinic = {});

/// A date in the model's words, e.g. "Tuesday 1 December 2026".
[[nodiscard]] std::string format_date(const date_wording& wording, date day);

/// A date in the model's short words, e.g. "Tue 1 Dec".
[[nodiscard]] std::string format_short_date(const date_wording& wording, date day);

/// The model's word for a chance ("likely", "common", ...): the first whose bound it reaches.
[[nodiscard]] std::string chance_in_words(const leaflet_wording& wording, probability chance);

}  // namespace aftermath

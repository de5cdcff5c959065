// Write a patient's "what to expect" leaflet: one HTML page with the chart inside.
#include <aftermath/aftermath.hpp>

#include <fstream>
#include <iostream>

int main() {
  using namespace aftermath;
  const model& model = default_model();  // its `wording` holds every sentence of the leaflet
  const profile patient = parse_profile(R"({
      "patient": "anon-17",
      "risk_factors": ["sensitive_skin"],
      "sessions": ["2026-12-01", "2026-12-15"]})",
                                        model);

  // Eight curve points a day, so that effects peaking within hours show on the chart.
  projection_options options;
  options.points_per_day = 8;
  const projection projected = project(personalise(model, patient), options);
  const leaflet written = make_leaflet(model, patient, projected);

  std::ofstream("write_leaflet.html") << to_html(written, to_leaflet_svg(projected, patient, model.wording.chart));

  // What the page says, part by part: the likely effects, each with how long it lasts and the
  // dates it should be gone by.
  for (const leaflet_section& section : written.sections) {
    std::cout << section.heading << "\n";
    for (const leaflet_section& part : section.id == "effects" ? section.subsections : std::vector<leaflet_section>{})
      std::cout << "  " << part.heading << "\n    " << part.paragraphs.back() << "\n";
  }
  std::cout << "Wrote write_leaflet.html\n";
}

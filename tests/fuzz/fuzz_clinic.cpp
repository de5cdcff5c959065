// The clinic overlay loader: parse_clinic against the default model, then a leaflet in the
// clinic's words for a one-session patient, as HTML, whose text must hold the clinic's phone.
#include "fuzz_support.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/leaflet.hpp>
#include <aftermath/render/leaflet.hpp>

using namespace aftermath;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const clinic overlay = fuzz::load([&] { return parse_clinic(input, m); });
    // One session and a short horizon keep one input fast; the leaflet's times are computed in full.
    static const profile patient = parse_profile(R"({"sessions": ["2026-12-01"]})", m);
    static const projection projected = project(personalise(m, patient), {.horizon = days(2), .points_per_day = 1, .quadrature_nodes = 8});
    const leaflet written = make_leaflet(m, patient, projected, overlay);
    const std::string html = to_html(written, "");
    if (written.intro.empty() || written.sections.empty()) fuzz::finding("the leaflet in the clinic's words is empty");
    // A phone holds only digits, spaces and + - . / ( ), which HTML writes as they are.
    if (!overlay.phone.empty() && html.find(overlay.phone) == std::string::npos)
      fuzz::finding("the clinic's phone '" + overlay.phone + "' is not in its leaflet");
  });
}

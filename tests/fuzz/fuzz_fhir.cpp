// The FHIR R4 loader (`--fhir`, and a CDS Hooks request's prefetch): parse_fhir against the
// default model; a patient with sessions is projected (4 days, 8 nodes) and, with reports,
// assessed, and both are written back as FHIR, whose numbers must be finite and whose bytes
// must be valid JSON.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/fhir.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/recovery_gate.hpp>

#include <nlohmann/json.hpp>

using namespace aftermath;

namespace {

void check_written(const std::string& written, std::string_view input, const std::string& what) {
  fuzz::require_no_nan_text(written, input, what);
  if (!nlohmann::json::accept(written)) fuzz::finding(what + " is not JSON");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const fhir_patient patient = fuzz::load([&] { return parse_fhir(input, m); });
    if (patient.profile.sessions.empty()) return;
    const fhir_context context{.patient_reference = patient.patient_reference, .occurrence = {}, .unused = patient.unused};
    // Bounded as the profile target bounds it: 4 days, 8 quadrature nodes.
    const projection projected = project(m, patient.profile, {.horizon = days(4), .points_per_day = 1, .quadrature_nodes = 8});
    fuzz::check_projection(projected);
    check_written(to_fhir(projected, patient.profile, context, -1), input, "the projection's RiskAssessment");
    if (patient.reports.empty()) return;
    const assessment assessed = assess(m, personalise(m, patient.profile), patient.reports, {.quadrature_nodes = 8});
    fuzz::check_assessment(assessed);
    check_written(to_fhir(assessed, m, patient.profile, context, -1), input, "the assessment's RiskAssessment");
  });
}

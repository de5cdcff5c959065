// The document service: each call reads its documents as the command does, runs the one
// service and writes what `--format json` prints, without the command's final newline.
#include <aftermath/service/documents.hpp>

#include <aftermath/io/json.hpp>
#include <aftermath/leaflet.hpp>
#include <aftermath/render/leaflet.hpp>
#include <aftermath/recovery_gate.hpp>
#include <aftermath/render/svg.hpp>

#include <utility>

namespace aftermath {
namespace {

/// The clinic overlay read against the model; none for an empty text.
clinic clinic_of(std::string_view clinic_json, const model& model) {
  return clinic_json.empty() ? clinic{} : parse_clinic(clinic_json, model, "clinic");
}

/// The assessment's document, as `aftermath assess --format json` prints it.
std::string assessment_document(const model& model, const profile& profile, const std::vector<symptom_report>& reports) {
  return to_json(assess(model, personalise(model, profile), reports), model, profile);
}

}  // namespace

document_service::document_service() : model_(std::make_shared<const aftermath::model>(default_model())) {}

document_service::document_service(std::string_view model_json, std::string_view source)
    : model_(std::make_shared<const aftermath::model>(parse_model(model_json, source))) {}

document_service::document_service(aftermath::model model) : model_(std::make_shared<const aftermath::model>(std::move(model))) {}

std::string document_service::model_document() const { return to_json(*model_); }

std::string document_service::project(std::string_view profile_json) const {
  const profile profile = parse_profile(profile_json, *model_);
  return to_json(aftermath::project(*model_, profile), profile);
}

std::string document_service::assess(std::string_view profile_json, std::string_view reports_json) const {
  const profile profile = parse_profile(profile_json, *model_);
  return assessment_document(*model_, profile, parse_reports(reports_json, *model_, profile));
}

std::string document_service::assess_request(std::string_view request_json) const {
  const assessment_request request = parse_assessment_request(request_json, *model_);
  return assessment_document(*model_, request.patient, request.reports);
}

std::string document_service::plan(std::string_view request_json, std::string_view clinic_json) const {
  const auto plan_with = [&](const aftermath::model& model) { return to_json(aftermath::plan(model, parse_plan_request(request_json, model))); };
  // A clinic's words mean a copy of the model; without them every request shares the one model.
  if (clinic_json.empty()) return plan_with(*model_);
  return plan_with(with_clinic_wording(*model_, clinic_of(clinic_json, *model_)));
}

std::string document_service::simulate(std::string_view population_json, const simulate_settings& settings) const {
  const population population = parse_population(population_json, *model_, "population", {settings.n, settings.seed});
  const cohort_tally tally = aftermath::simulate(*model_, population, {.threads = settings.threads, .progress = settings.progress});
  return to_json(summarise(*model_, population, tally));
}

std::string document_service::leaflet(std::string_view profile_json, std::string_view clinic_json) const {
  const profile profile = parse_profile(profile_json, *model_);
  const clinic clinic = clinic_of(clinic_json, *model_);
  const projection projected = chart_projection(*model_, profile);
  const aftermath::leaflet written = make_leaflet(*model_, profile, projected, clinic);
  const std::string chart = to_leaflet_svg(projected, profile, wording_for(*model_, clinic).chart);
  return leaflet_json(to_html(written, chart), to_markdown(written, ""), written.clinic_warnings);
}

std::string document_service::error_document(const input_error& error) { return to_json(error); }

}  // namespace aftermath

// FHIR R4 out: projections, assessments, plans and leaflets as resources in a Bundle
// (docs/fhir.md, "Out").
#include "format.hpp"
#include "json_reader.hpp"

#include <aftermath/io/fhir.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace aftermath::inline io {
namespace {

constexpr std::string_view ucum_system = "http://unitsofmeasure.org";
constexpr std::string_view flag_category_system = "http://terminology.hl7.org/CodeSystem/flag-category";

/// FHIR strings may not be empty: a text with nothing in it is left out.
void set_text(json& object, std::string_view key, const std::string& text) {
  if (!text.empty()) object[key] = text;
}

/// 64-bit FNV-1a from `seed`: a stable digest of a resource's content, not a secret.
std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
  std::uint64_t hash = seed;
  for (const unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

/// A UUID (version 8: its bits chosen by the application, RFC 9562) derived from `content`, so
/// that the same input gives the same ids and bytes.
std::string content_uuid(std::string_view content) {
  std::uint64_t high = fnv1a(content, 0xcbf29ce484222325ULL);
  std::uint64_t low = fnv1a(content, high ^ 0x9e3779b97f4a7c15ULL);
  high = (high & ~0xF000ULL) | 0x8000ULL;                          // version 8
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC variant
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xFFFF), static_cast<unsigned long long>(high & 0xFFFF),
                static_cast<unsigned long long>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

/// Gives the resource an id derived from the rest of it; the id stays second, after resourceType.
json& with_content_id(json& resource) {
  resource["id"] = "";
  resource["id"] = content_uuid(resource.dump());
  return resource;
}

json new_resource(std::string_view type) { return json{{"resourceType", type}, {"id", ""}}; }

json subject_of(const fhir_context& context, const std::string& patient) {
  if (!context.patient_reference.empty()) return {{"reference", context.patient_reference}};
  if (!patient.empty()) return {{"reference", "Patient/" + patient}};
  return {{"display", "the patient (no Patient id given)"}};
}

json aftermath_concept(std::string_view code, std::string_view display) {
  json coding{{"system", fhir_code_system}, {"code", code}};
  set_text(coding, "display", std::string(display));
  json codeable{{"coding", json::array({std::move(coding)})}};
  set_text(codeable, "text", std::string(display));
  return codeable;
}

constexpr std::string_view snomed_system = "http://snomed.info/sct";

/// aftermath's code for an effect and, where one is well known, its SNOMED CT finding.
json effect_concept(const std::string& id, const std::string& name) {
  json codeable = aftermath_concept(id, name);
  for (const auto& finding : fhir_snomed_findings)
    if (finding.effect == id)
      codeable["coding"].push_back({{"system", snomed_system}, {"code", finding.code}, {"display", finding.display}});
  return codeable;
}

json days_quantity(days value) {
  return {{"value", rounded(value.count(), 2)}, {"unit", "days"}, {"system", ucum_system}, {"code", "d"}};
}

json days_range(days low, days high) { return {{"low", days_quantity(low)}, {"high", days_quantity(high)}}; }

std::string day_text(double day) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", day);
  return text;
}

/// The resources that the input held but the mapping did not use, as information for the reader.
json unused_outcome(const std::vector<fhir_unused>& unused) {
  json outcome = new_resource("OperationOutcome");
  json issues = json::array();
  for (const auto& u : unused)
    issues.push_back({{"severity", "information"}, {"code", "informational"}, {"diagnostics", u.resource + ": not used: " + u.reason}});
  outcome["issue"] = std::move(issues);
  return with_content_id(outcome);
}

/// A Bundle of type collection holding `resources` (their ids set), and the OperationOutcome of
/// what was not used.
std::string bundle_of(std::vector<json> resources, const fhir_context& context, int indent) {
  if (!context.unused.empty()) resources.push_back(unused_outcome(context.unused));
  json bundle = new_resource("Bundle");
  bundle["type"] = "collection";
  json entries = json::array();
  for (auto& resource : resources) {
    const std::string id = resource["id"];
    entries.push_back({{"fullUrl", "urn:uuid:" + id}, {"resource", std::move(resource)}});
  }
  bundle["entry"] = std::move(entries);
  return with_content_id(bundle).dump(indent, ' ', false, json::error_handler_t::replace);
}

json risk_assessment(std::string_view method, const std::string& model_id, const std::string& model_version, const fhir_context& context,
                     const std::string& patient) {
  json assessment = new_resource("RiskAssessment");
  assessment["status"] = "final";
  assessment["method"] = aftermath_concept(method, "aftermath " + std::string(method) + " (" + model_id + " " + model_version + ")");
  assessment["subject"] = subject_of(context, patient);
  if (!context.occurrence.empty()) assessment["occurrenceDateTime"] = context.occurrence;
  return assessment;
}

json effect_prediction(const effect_projection& effect, const profile& profile) {
  const std::string rationale = "If it occurs, resolved by day " + day_text(effect.resolved.p50.count()) + " (median, " +
                                date_string(profile, effect.resolved.p50) + ") and by day " + day_text(effect.resolved.p95.count()) +
                                " (95th percentile, " + date_string(profile, effect.resolved.p95) +
                                ") after the first session; whenRange gives these two times.";
  return {{"outcome", effect_concept(effect.id, effect.name)},
          {"probabilityDecimal", rounded(effect.occurs.value(), 4)},
          {"whenRange", days_range(effect.resolved.p50, effect.resolved.p95)},
          {"rationale", rationale}};
}

json risk_prediction(const risk_projection& risk, const profile& profile) {
  return {{"outcome", aftermath_concept(risk.id, risk.name)},
          {"probabilityDecimal", rounded(risk.occurs.value(), 5)},
          {"whenRange", days_range(risk.watch_from, risk.watch_until)},
          {"rationale", "Watch from " + date_string(profile, risk.watch_from) + " to " + date_string(profile, risk.watch_until) +
                            " (days since the first session in whenRange). " + risk.text}};
}

json notes(const std::vector<std::string>& texts) {
  json list = json::array();
  for (const auto& text : texts)
    if (!text.empty()) list.push_back({{"text", text}});
  return list;
}

json flag_for(const triage_reason& reason, const model& model, const fhir_context& context, const std::string& patient) {
  json flag = new_resource("Flag");
  flag["status"] = "active";
  flag["category"] = json::array(
      {{{"coding", json::array({{{"system", flag_category_system}, {"code", "clinical"}, {"display", "Clinical"}}})}},
       aftermath_concept(to_string(reason.level), model.triage_name(reason.level))});
  flag["code"] = aftermath_concept(reason.rule, reason.text);
  flag["subject"] = subject_of(context, patient);
  if (!context.occurrence.empty()) flag["period"] = {{"start", context.occurrence}};
  return with_content_id(flag);
}

/// RFC 4648 base64, as FHIR's base64Binary holds an attachment's bytes.
std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t chunk = 0;
    for (std::size_t k = 0; k < 3; ++k) chunk = chunk << 8 | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? alphabet[(chunk >> (18 - 6 * k)) & 0x3F] : '=';
  }
  return out;
}

std::string period_start(date day) { return iso_date(day); }

/// A proposed Appointment for a session to come; the plan gives days, the clinic the hour.
json appointment_for(const plan_item& item, const fhir_context& context, const std::string& patient) {
  json appointment = new_resource("Appointment");
  appointment["status"] = "proposed";
  set_text(appointment, "description", item.text);
  appointment["requestedPeriod"] = json::array({{{"start", period_start(item.from)}, {"end", period_start(item.until)}}});
  set_text(appointment, "comment", item.reason);
  appointment["participant"] = json::array({{{"actor", subject_of(context, patient)}, {"status", "needs-action"}}});
  return with_content_id(appointment);
}

json activity_detail(const plan_item& item) {
  const std::string kind(to_string(item.kind));
  json detail{{"code", aftermath_concept(kind, kind)}, {"status", item.done ? "completed" : "not-started"},
              {"scheduledPeriod", {{"start", period_start(item.from)}, {"end", period_start(item.until)}}}};
  set_text(detail, "description", item.reason.empty() || item.text.empty() ? item.text + item.reason : item.text + " (" + item.reason + ")");
  return {{"detail", std::move(detail)}};
}

bool is_session(const plan_item& item) { return item.kind == plan_item_kind::session || item.kind == plan_item_kind::maintenance; }

}  // namespace

std::string to_fhir(const projection& projection, const profile& profile, const fhir_context& context, int indent) {
  json assessment = risk_assessment("projection", projection.model_id, projection.model_version, context, profile.patient);
  json predictions = json::array();
  for (const auto& effect : projection.effects) predictions.push_back(effect_prediction(effect, profile));
  for (const auto& risk : projection.risks) predictions.push_back(risk_prediction(risk, profile));
  assessment["prediction"] = std::move(predictions);
  std::vector<std::string> texts{projection.notice};
  for (const auto& breach : projection.gate_warnings) texts.push_back(breach.text);
  assessment["note"] = notes(texts);
  return bundle_of({with_content_id(assessment)}, context, indent);
}

std::string to_fhir(const assessment& assessed, const model& model, const profile& profile, const fhir_context& context, int indent) {
  json assessment = risk_assessment("assessment", assessed.model_id, assessed.model_version, context, profile.patient);
  json predictions = json::array();
  for (const auto& effect : assessed.updated)
    predictions.push_back({{"outcome", effect_concept(effect.id, effect.name)},
                           {"probabilityDecimal", rounded(effect.occurs.value(), 4)},
                           {"whenRange", days_range(effect.updated.p50, effect.updated.p95)},
                           {"rationale", "After " + std::to_string(effect.reports) + " report(s): if it occurs, resolved by day " +
                                             day_text(effect.updated.p50.count()) + " (median) and by day " +
                                             day_text(effect.updated.p95.count()) + " (95th percentile) after the first session; before "
                                             "the reports, days " + day_text(effect.prior.p50.count()) + " and " +
                                             day_text(effect.prior.p95.count()) + "."}});
  if (!predictions.empty()) assessment["prediction"] = std::move(predictions);
  set_text(assessment, "mitigation", assessed.advice);
  std::vector<std::string> texts{std::string(model.triage_name(assessed.triage)) + ": " + assessed.advice};
  for (const auto& reason : assessed.reasons) texts.push_back(std::string(model.triage_name(reason.level)) + ": " + reason.text);
  texts.push_back(assessed.notice);
  assessment["note"] = notes(texts);
  std::vector<json> resources{with_content_id(assessment)};
  for (const auto& reason : assessed.reasons)
    if (reason.level >= triage_level::contact_provider) resources.push_back(flag_for(reason, model, context, profile.patient));
  return bundle_of(std::move(resources), context, indent);
}

std::string to_fhir(const treatment_plan& plan, const fhir_context& context, int indent) {
  json care_plan = new_resource("CarePlan");
  care_plan["status"] = "draft";
  care_plan["intent"] = "proposal";
  care_plan["title"] = "Treatment plan" + (plan.protocol.empty() ? std::string() : " (" + plan.protocol + ")");
  care_plan["subject"] = subject_of(context, plan.patient);
  std::vector<json> appointments;
  json activities = json::array();
  for (const auto& item : plan.items) {
    if (is_session(item) && !item.done) {
      appointments.push_back(appointment_for(item, context, plan.patient));
      activities.push_back({{"reference", {{"reference", "urn:uuid:" + appointments.back()["id"].get<std::string>()}}}});
    } else {
      activities.push_back(activity_detail(item));
    }
  }
  care_plan["activity"] = std::move(activities);
  std::vector<std::string> texts{plan.feasible ? "" : "Not feasible: the plan breaks a constraint (the notes below say which)."};
  for (const auto& conflict : plan.conflicts) texts.push_back(conflict.text);
  for (const auto& note : plan.notes) texts.push_back(note);
  texts.push_back(plan.notice);
  care_plan["note"] = notes(texts);
  std::vector<json> resources{with_content_id(care_plan)};
  for (auto& appointment : appointments) resources.push_back(std::move(appointment));
  return bundle_of(std::move(resources), context, indent);
}

std::string to_fhir_questionnaire(const model& model, int indent) {
  const auto extension = [](std::string_view which, int value) {
    return json{{"url", "http://hl7.org/fhir/StructureDefinition/" + std::string(which)}, {"valueInteger", value}};
  };
  json ratings = json::array();
  for (const auto& effect : model.effects)
    ratings.push_back({{"linkId", effect.id},
                       {"code", json::array({{{"system", fhir_code_system}, {"code", effect.id}, {"display", effect.name}}})},
                       {"text", effect.name + " now: 0 none, 10 the worst you can imagine"},
                       {"type", "integer"},
                       {"required", true},
                       {"extension", json::array({extension("minValue", 0), extension("maxValue", 10)})}});
  json signs = json::array();
  for (const auto& flag : model.report_flags) signs.push_back({{"linkId", flag.id}, {"text", flag.text}, {"type", "boolean"}});
  json questionnaire{{"resourceType", "Questionnaire"},
                     {"id", "symptom-diary"},
                     {"url", fhir_symptom_diary},
                     {"version", model.id + "-" + model.version},
                     {"name", "AftermathSymptomDiary"},
                     {"title", "How are you since your treatment?"},
                     {"status", "active"},
                     {"subjectType", json::array({"Patient"})},
                     {"description", "Every symptom of the model rated 0-10 and every warning sign yes or no; a response is read as "
                                     "one report per symptom rated (docs/fhir.md). " + model.notice},
                     {"item", json::array({{{"linkId", "symptoms"}, {"text", "How bad is each of these now?"}, {"type", "group"},
                                            {"item", std::move(ratings)}},
                                           {{"linkId", "warning-signs"}, {"text", "Do you have any of these?"}, {"type", "group"},
                                            {"item", std::move(signs)}}})}};
  return questionnaire.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string to_fhir_document_reference(std::string_view html, const profile& profile, const fhir_context& context, int indent) {
  json document = new_resource("DocumentReference");
  document["status"] = "current";
  document["type"] = aftermath_concept("leaflet", "What to expect after your treatment");
  document["subject"] = subject_of(context, profile.patient);
  document["description"] = "Aftercare leaflet for the patient, from the model's projection";
  document["content"] = json::array({{{"attachment", {{"contentType", "text/html"}, {"data", base64(html)}, {"title", "leaflet.html"}}}}});
  return bundle_of({with_content_id(document)}, context, indent);
}

}  // namespace aftermath::io

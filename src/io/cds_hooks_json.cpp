// CDS Hooks 2.0: the request's context and prefetch in, the discovery document and cards out.
#include "dates.hpp"
#include "fhir_reader.hpp"
#include "json_reader.hpp"

#include <aftermath/io/cds_hooks.hpp>

#include <algorithm>
#include <vector>

namespace aftermath::inline io {
namespace {

/// The specification's limit on a card's summary ("Card Attributes": fewer than 140 characters),
/// counted in UTF-8 code points; a longer one is cut at a word and ends in "…".
constexpr std::size_t max_summary_characters = 139;

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string shortened(const std::string& summary) {
  std::vector<std::size_t> starts;  // where each code point begins
  for (std::size_t i = 0; i < summary.size(); ++i)
    if (!is_utf8_continuation(summary[i])) starts.push_back(i);
  if (starts.size() <= max_summary_characters) return summary;
  std::size_t end = starts[max_summary_characters - 1];  // 138 characters and the ellipsis
  if (const auto space = summary.rfind(' ', end); space != std::string::npos && space > end / 2) end = space;
  return summary.substr(0, end) + "…";
}

std::string_view indicator_name(cds_indicator indicator) {
  switch (indicator) {
    case cds_indicator::warning: return "warning";
    case cds_indicator::critical: return "critical";
    case cds_indicator::info: break;
  }
  return "info";
}

/// The appointment's start as a session: its date and the clock time it states (the time zone
/// offset is the clinic's own, so the local time is what the patient keeps).
std::optional<session_date> read_start(reader& in, const std::string& text, const std::string& path) {
  std::string why;
  const auto day = text.size() >= 10 ? parse_iso_date(std::string_view(text).substr(0, 10), why) : std::nullopt;
  if (!day) {
    in.fail(path, "'" + text + "' is not a FHIR instant (YYYY-MM-DDThh:mm:ss with a time zone)");
    return std::nullopt;
  }
  session_date start{*day, std::nullopt};
  if (text.size() >= 16 && text[10] == 'T') start.minute_of_day = parse_time_of_day(std::string_view(text).substr(11, 5), why);
  return start;
}

/// context.appointments: a Bundle of the Appointments being booked; those with status
/// "proposed" are the ones the service looks at (the hook's definition).
std::vector<cds_appointment> read_appointments(reader& in, const json& context) {
  std::vector<cds_appointment> appointments;
  const json* bundle = in.member(context, "context", "appointments", true);
  if (!bundle || !in.expect_object(*bundle, "context.appointments")) return appointments;
  const json* entries = in.member(*bundle, "context.appointments", "entry", false);
  if (!entries || !in.expect_array(*entries, "context.appointments.entry")) return appointments;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const std::string path = index_path("context.appointments.entry", i) + ".resource";
    const json& entry = (*entries)[i];
    const json* resource = entry.is_object() ? in.member(entry, index_path("context.appointments.entry", i), "resource", true) : nullptr;
    if (!resource || !in.expect_object(*resource, path)) continue;
    if (in.string(*resource, path, "resourceType") != "Appointment") {
      in.fail(path + ".resourceType", "context.appointments holds Appointments only");
      continue;
    }
    if (in.string(*resource, path, "status", false) != "proposed") continue;
    cds_appointment appointment;
    appointment.id = in.string(*resource, path, "id", false);
    appointment.start_text = in.string(*resource, path, "start", true);
    appointment.resource = resource->dump();
    if (appointment.start_text.empty()) continue;
    if (auto start = read_start(in, appointment.start_text, path + ".start")) {
      appointment.start = *start;
      appointments.push_back(std::move(appointment));
    }
  }
  return appointments;
}

/// The prefetch's documents, each a Bundle or a resource; null (the client could not fetch
/// it) and absent keys are listed as missing, and an absent required key is a problem.
std::vector<fhir_document> prefetch_documents(reader& in, const json& root, const cds_service_entry& service, cds_request& request) {
  std::vector<fhir_document> documents;
  const json* prefetch = in.member(root, "", "prefetch", !service.required_prefetch.empty());
  if (prefetch && !in.expect_object(*prefetch, "prefetch")) prefetch = nullptr;
  for (const auto& [key, query] : service.prefetch) {
    const auto found = prefetch ? prefetch->find(key) : json::const_iterator{};
    const bool given = prefetch && found != prefetch->end() && !found->is_null();
    const bool required = std::find(service.required_prefetch.begin(), service.required_prefetch.end(), key) != service.required_prefetch.end();
    if (given) documents.push_back({member_path("prefetch", key), &*found});
    else if (required)
      in.fail(member_path("prefetch", key), "required: the service does not query the FHIR server itself, so the client must prefetch " + query);
    else request.missing_prefetch.push_back(key);
  }
  if (prefetch)
    for (const auto& item : prefetch->items()) {
      const std::string& key = item.key();
      if (std::none_of(service.prefetch.begin(), service.prefetch.end(), [&](const auto& p) { return p.first == key; }))
        in.fail(member_path("prefetch", key), "not a prefetch key of " + service.id + " (GET /cds-services lists them)");
    }
  return documents;
}

}  // namespace

cds_request parse_cds_request(std::string_view json_text, const model& model, const cds_service_entry& service, std::string_view source) {
  const json root = parse_json_text(json_text, source);
  reader in;
  cds_request request;
  if (!in.expect_object(root, "")) in.throw_if_failed(source);
  in.reject_unknown_keys(root, "", {"hook", "hookInstance", "fhirServer", "fhirAuthorization", "context", "prefetch"});
  request.hook = in.string(root, "", "hook", true);
  if (!request.hook.empty() && request.hook != service.hook)
    in.fail("hook", "'" + request.hook + "' is not the hook of " + service.id + " (" + service.hook + ")", problem_code::conflict);
  request.hook_instance = in.string(root, "", "hookInstance", true);
  if (const json* context = in.member(root, "", "context", true); context && in.expect_object(*context, "context")) {
    request.patient_id = in.string(*context, "context", "patientId", true);
    if (service.hook == "appointment-book") request.appointments = read_appointments(in, *context);
  }
  const auto documents = prefetch_documents(in, root, service, request);
  if (in.ok()) request.patient = read_fhir_documents(documents, model, in);
  if (in.ok() && !request.patient.profile.patient.empty() && request.patient.profile.patient != request.patient_id)
    in.fail("prefetch.patient.id", "Patient/" + request.patient.profile.patient + " is not context.patientId (" + request.patient_id + ")",
            problem_code::conflict);
  in.set_source(source);
  in.throw_if_failed();
  return request;
}

std::string to_json(const std::vector<cds_service_entry>& services, int indent) {
  json list = json::array();
  for (const auto& service : services) {
    json prefetch = json::object();
    for (const auto& [key, query] : service.prefetch) prefetch[key] = query;
    list.push_back({{"hook", service.hook}, {"id", service.id}, {"title", service.title}, {"description", service.description},
                    {"prefetch", prefetch}});
  }
  return json{{"services", list}}.dump(indent, ' ', false, json::error_handler_t::replace);
}

namespace {

json suggestion_json(const cds_suggestion& suggestion) {
  json resource = json::parse(suggestion.appointment->resource);
  resource["start"] = suggestion.new_start;
  resource.erase("end");  // the appointment's length is the clinic's; a stale end would contradict the start
  return {{"label", suggestion.label},
          {"isRecommended", suggestion.recommended},
          {"actions", json::array({{{"type", "update"},
                                    {"description", "Move the appointment to " + suggestion.new_start.substr(0, 10)},
                                    {"resource", resource}}})}};
}

json card_json(const cds_card& card) {
  json source{{"label", card.source_label}};
  if (!card.source_url.empty()) source["url"] = card.source_url;
  json out{{"summary", shortened(card.summary)}, {"indicator", indicator_name(card.indicator)}, {"source", source}};
  if (!card.detail.empty()) out["detail"] = card.detail;
  if (!card.suggestions.empty()) {
    out["suggestions"] = json::array();
    for (const auto& suggestion : card.suggestions) out["suggestions"].push_back(suggestion_json(suggestion));
    out["selectionBehavior"] = "at-most-one";
  }
  return out;
}

}  // namespace

std::string to_json(const std::vector<cds_card>& cards, int indent) {
  json list = json::array();
  for (const auto& card : cards) list.push_back(card_json(card));
  return json{{"cards", list}}.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace aftermath::io

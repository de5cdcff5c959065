// aftermath: CDS Hooks 2.0 requests in and cards out (https://cds-hooks.hl7.org/2.0/;
// docs/serve.md).
//
// A request carries the hook's context and the FHIR resources the service's discovery entry
// asked for (prefetch); its resources are mapped to a profile and reports as io/fhir.hpp maps a
// Bundle, and every one the mapping cannot use is kept with its reason. The writers produce the
// discovery document and the response's cards in the specification's shapes
// (tests/serve/cds-hooks.schema.json).
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/io/fhir.hpp>
#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aftermath::inline io {

/// An appointment the clinician is booking (appointment-book's context.appointments).
struct cds_appointment {
  std::string id;           ///< the Appointment's id
  session_date start;       ///< its start, as a session (the date and the clock time it states)
  std::string start_text;   ///< `start` as sent, so a suggestion can keep its time and offset
  std::string resource;     ///< the Appointment as sent (JSON), for a suggestion that updates it
};

/// A CDS Hooks request, read against the model.
struct cds_request {
  std::string hook;           ///< "patient-view", "appointment-book"
  std::string hook_instance;
  std::string patient_id;     ///< context.patientId
  fhir_patient patient;       ///< the prefetch's resources, mapped
  /// Prefetch keys the service asks for that the request left out or sent as null (the client
  /// could not fetch them): the cards say what they were not told.
  std::vector<std::string> missing_prefetch;
  std::vector<cds_appointment> appointments;  ///< appointment-book only; proposed ones only
};

/// A service's entry in the discovery document.
struct cds_service_entry {
  std::string hook;
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::pair<std::string, std::string>> prefetch;  ///< key and FHIR query template
  std::vector<std::string> required_prefetch;                 ///< keys without which it cannot answer
};

/// Reads a request for `service`: `hook` must be the service's, `hookInstance` a string,
/// `context.patientId` present and the same as the Patient in the prefetch, every required
/// prefetch key given; each prefetch value a Bundle, a resource or null. Throws input_error
/// naming every problem with its path (`prefetch.procedures.entry[2].resource.performedDateTime`).
[[nodiscard]] cds_request parse_cds_request(std::string_view json_text, const model& model, const cds_service_entry& service,
                                            std::string_view source = "request");

enum class cds_indicator { info, warning, critical };

/// A suggestion that moves a proposed appointment: a CDS Hooks "update" action on it.
struct cds_suggestion {
  std::string label;
  const cds_appointment* appointment = nullptr;  ///< the appointment to move; must outlive the writer's call
  std::string new_start;                         ///< its new `start`
  bool recommended = true;
};

/// A card (CDS Hooks 2.0, "Card Attributes").
struct cds_card {
  std::string summary;  ///< under 140 characters (the writer shortens a longer one)
  std::string detail;   ///< GitHub-flavoured Markdown
  cds_indicator indicator = cds_indicator::info;
  std::string source_label;
  std::string source_url;  ///< empty: left out
  std::vector<cds_suggestion> suggestions;
};

/// {"services": [...]}, the discovery document.
[[nodiscard]] std::string to_json(const std::vector<cds_service_entry>& services, int indent = 2);

/// {"cards": [...]}, the response; a card with suggestions says selectionBehavior "at-most-one".
[[nodiscard]] std::string to_json(const std::vector<cds_card>& cards, int indent = 2);

}  // namespace aftermath::io

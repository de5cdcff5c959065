// aftermath: CDS Hooks services over the model, behind a narrow header (docs/serve.md).
//
// CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): an EHR calls a service when a clinician opens
// a patient's chart (`patient-view`) or books an appointment (`appointment-book`), sending the
// FHIR resources the service asked for in its discovery document ("prefetch"). The service
// answers with cards. Here:
// - aftermath-patient-view: a card with the patient's expected recovery after the last
//   mesotherapy session, and, when the patient's symptom diary is in the prefetch, the
//   assessment's triage: one card per red-flag reason, self_care → info, contact_provider →
//   warning, urgent and emergency → critical, each with its rule's text and evidence.
// - aftermath-appointment-book: a warning card for each proposed session that comes before the
//   protocol's recovery gate allows, suggesting the first date it does.
// The FHIR resources are mapped as io/fhir.hpp maps them (docs/fhir.md). The services inform;
// they do not diagnose, and every card says the model's figures are evidence-informed estimates.
#pragma once
#define AFTERMATH_HEADER_LAYER 4
#include <aftermath/detail/layer.hpp>

#include <aftermath/error.hpp>
#include <aftermath/service/documents.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace aftermath {

/// Thrown for a service id that is not in the discovery document.
class unknown_cds_service : public std::out_of_range {
 public:
  using std::out_of_range::out_of_range;
};

class cds_hooks_service {
 public:
  /// The services over the documents' model; `documents` must outlive this.
  explicit cds_hooks_service(const document_service& documents);

  /// GET /cds-services: {"services": [{"hook", "id", "title", "description", "prefetch"}]}.
  [[nodiscard]] std::string discovery() const;

  /// POST /cds-services/{id}: {"cards": [...]} for a CDS Hooks request. `today` is an ISO date
  /// (the library never reads the clock). Throws unknown_cds_service for an id not in
  /// discovery(), input_error naming every problem of the request with its path (a hook that
  /// is not the service's, a missing prefetch, a resource the mapping refuses).
  [[nodiscard]] std::string respond(std::string_view service_id, std::string_view request_json, std::string_view today) const;

 private:
  const document_service* documents_;
};

}  // namespace aftermath

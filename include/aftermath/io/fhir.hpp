// aftermath: FHIR R4 in and out, for clinic systems (docs/fhir.md).
//
// In: the resources a clinic system holds about one patient (a Bundle, one resource, or an
// array of either) are mapped to a profile and reports. A Patient gives the profile's patient;
// completed Procedures coded with a treatment of the model give the sessions; active
// MedicationStatements and Conditions coded with a modifier give the risk factors (a stopped
// medicine its stop date); QuestionnaireResponses to the symptom diary
// (fhir/Questionnaire-aftermath-symptom-diary.json) and Observations coded with an effect give
// the reports. Codes are the model's own ids in the code system `fhir_code_system`; medicines may
// also be coded with RxNorm (docs/fhir.md lists the codes). Every resource the mapping does not
// use is listed with the reason, never silently dropped; every problem names its path.
//
// Out: a projection or an assessment as a RiskAssessment (with a Flag for each triage reason
// that needs a clinician), a plan as a CarePlan with proposed Appointments, a leaflet as a
// DocumentReference; each in a Bundle of type collection whose ids are derived from its
// content, so the same input gives the same bytes.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/assessment.hpp>
#include <aftermath/model.hpp>
#include <aftermath/plan.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace aftermath::inline io {

/// The code system of aftermath's codes: the model's treatment, modifier, effect, red-flag
/// rule, report flag and triage level ids.
inline constexpr std::string_view fhir_code_system = "http://aftermath.example/fhir/CodeSystem/aftermath";
/// The canonical URL of the symptom diary Questionnaire whose responses are read as reports.
inline constexpr std::string_view fhir_symptom_diary = "http://aftermath.example/fhir/Questionnaire/symptom-diary";

/// A SNOMED CT clinical finding for an effect id, where a well-known concept exists.
struct fhir_snomed_finding {
  std::string_view effect;
  std::string_view code;
  std::string_view display;
};
/// The effects written with a SNOMED CT code beside aftermath's, and read from one
/// (docs/fhir.md, "Codes", cites each). Bruising has none: no single finding concept was confirmed.
inline constexpr fhir_snomed_finding fhir_snomed_findings[] = {
    {"redness", "247441003", "Erythema"},
    {"swelling", "267038008", "Edema"},
    {"itching", "418290006", "Itching"},
};

/// A resource the mapping read but did not use, and why ("Encounter/e1": "resource type
/// Encounter is not used by the mapping").
struct fhir_unused {
  std::string resource;  ///< "Type/id", or the resource's path when it has no id
  std::string reason;
};

/// What the resources say about the patient.
struct fhir_patient {
  std::string patient_reference;  ///< "Patient/<id>"; empty when no Patient was given
  aftermath::profile profile;     ///< checked against the model; without sessions when no Procedure maps
  std::vector<symptom_report> reports;  ///< checked against the model and the profile
  std::vector<fhir_unused> unused;
};

/// Maps FHIR R4 JSON. Throws input_error naming every problem with its path: not FHIR (no
/// resourceType), resources about another patient, treatments that disagree, dates that are not
/// FHIR dates, ratings outside 0–10, unknown diary items, and whatever check_profile and
/// check_reports find in the result (named by the resource it came from).
[[nodiscard]] fhir_patient parse_fhir(std::string_view json_text, const model& model, std::string_view source = "fhir");

/// Who and when the written resources are about.
struct fhir_context {
  /// The subject of every resource ("Patient/p1"); empty: "Patient/<profile.patient>", or a
  /// reference by display only when the profile names no patient.
  std::string patient_reference;
  /// When the projection or assessment was made, a FHIR dateTime; empty: not written.
  std::string occurrence;
  /// Resources of the input not used, written as an OperationOutcome in the Bundle.
  std::vector<fhir_unused> unused;
};

/// A Bundle (collection) with the projection as a RiskAssessment: one prediction per effect
/// (its chance, and when it has resolved if it occurs: median to 95th percentile, days since the
/// first session) and per rare risk, the notice and any recovery-gate warning as notes.
[[nodiscard]] std::string to_fhir(const projection& projection, const profile& profile, const fhir_context& context = {},
                                  int indent = 2);
/// A Bundle with the assessment as a RiskAssessment (the updated expectations of each reported
/// effect, the triage advice as a note) and one Flag per reason at contact_provider or above.
[[nodiscard]] std::string to_fhir(const assessment& assessment, const model& model, const profile& profile,
                                  const fhir_context& context = {}, int indent = 2);
/// A Bundle with the plan as a CarePlan (draft, a proposal) whose activities are its items,
/// and a proposed Appointment for each session not yet done.
[[nodiscard]] std::string to_fhir(const treatment_plan& plan, const fhir_context& context = {}, int indent = 2);
/// The symptom diary as a Questionnaire (canonical `fhir_symptom_diary`): each effect of the
/// model an integer item 0–10, each report flag a boolean item. The shipped
/// fhir/Questionnaire-aftermath-symptom-diary.json is this for the default model.
[[nodiscard]] std::string to_fhir_questionnaire(const model& model, int indent = 2);
/// A Bundle with the leaflet's HTML as a DocumentReference.
[[nodiscard]] std::string to_fhir_document_reference(std::string_view html, const profile& profile, const fhir_context& context = {},
                                                     int indent = 2);

}  // namespace aftermath::io

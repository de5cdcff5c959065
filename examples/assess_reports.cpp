// Assess what a patient reported after their session: the example in the README. A clinic app
// sends the reports; the answer says what to tell the patient and why, and when each reported
// effect is now expected to be gone.
#include <aftermath/aftermath.hpp>

#include <iostream>

int main() {
  using namespace aftermath;
  const model& model = default_model();
  const profile patient = parse_profile(R"({
      "patient": "anon-17",
      "risk_factors": ["bruise_prone"],
      "sessions": ["2026-12-01"]})",
                                        model);

  // Reports as the app collected them: by date, or by day since the session.
  const std::vector<symptom_report> reports = parse_reports(R"({"reports": [
      {"date": "2026-12-02", "symptom": "bruising", "severity": 4},
      {"date": "2026-12-05", "symptom": "bruising", "severity": 3},
      {"day": 1.5, "symptom": "redness", "severity": 1}]})",
                                                            model, patient);

  const assessment result = assess(model, personalise(model, patient), reports);

  // Staff read the model's names; to_string gives the ids the JSON carries.
  std::cout << "Triage: " << model.triage_name(result.triage) << " (" << to_string(result.triage) << ")\n" << result.advice << "\n";
  for (const triage_reason& reason : result.reasons) std::cout << "  because: " << reason.text << "\n";
  for (const report_assessment& r : result.reports)
    std::cout << r.symptom << " on " << iso_date(date_after_first(patient, r.day)) << ": reported " << r.reported
              << ", expected " << r.expected.p05.value() << "-" << r.expected.p95.value() << " -> " << status_name(model, r.status) << "\n";
  for (const updated_effect& e : result.updated)
    std::cout << e.name << " now expected gone by " << iso_date(date_after_first(patient, e.updated.p50))
              << " (90% interval to " << iso_date(date_after_first(patient, e.updated.p95)) << ")\n";
  std::cout << result.notice << "\n";
}

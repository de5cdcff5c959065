// FHIR R4 in and out: the example Bundle maps to the profile and reports it stands for, every
// resource not used is listed with its reason, broken resources are refused with their paths,
// and what is written carries the model's own numbers in deterministic bytes.
#include <aftermath/aftermath.hpp>

#include "support/refused.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <string>

namespace aftermath {
namespace {

using nlohmann::json;

std::string read_source_file(const std::string& relative) {
  std::ifstream file(std::string(AFTERMATH_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(file) << relative;
  return {std::istreambuf_iterator<char>(file), {}};
}

const model& meso() {
  static const model m = default_model();
  return m;
}

const std::string example_bundle = read_source_file("examples/fhir/bundle.json");

/// A Bundle of the given resources, each an entry.
std::string bundle(const std::vector<std::string>& resources) {
  std::string text = R"({"resourceType": "Bundle", "type": "collection", "entry": [)";
  for (std::size_t i = 0; i < resources.size(); ++i) text += (i ? "," : "") + std::string(R"({"resource": )") + resources[i] + "}";
  return text + "]}";
}

const std::string patient = R"({"resourceType": "Patient", "id": "p1"})";

std::string procedure(const std::string& when, const std::string& code = "mesotherapy_face", const std::string& status = "completed") {
  return R"({"resourceType": "Procedure", "id": "s)" + when.substr(0, 10) + R"(", "status": ")" + status +
         R"(", "subject": {"reference": "Patient/p1"}, "code": {"coding": [{"system": "http://aftermath.example/fhir/CodeSystem/aftermath", "code": ")" +
         code + R"("}]}, "performedDateTime": ")" + when + R"("})";
}

std::string diary(const std::string& authored, const std::string& items) {
  return R"({"resourceType": "QuestionnaireResponse", "status": "completed", "subject": {"reference": "Patient/p1"},
    "questionnaire": "http://aftermath.example/fhir/Questionnaire/symptom-diary", "authored": ")" +
         authored + R"(", "item": )" + items + "}";
}

std::string medication(const std::string& system, const std::string& code, const std::string& status, const std::string& end = "") {
  return R"({"resourceType": "MedicationStatement", "status": ")" + status + R"(", "subject": {"reference": "Patient/p1"},
    "medicationCodeableConcept": {"coding": [{"system": ")" + system + R"(", "code": ")" + code + R"("}]})" +
         (end.empty() ? std::string() : R"(, "effectivePeriod": {"end": ")" + end + R"("})") + "}";
}

/// The paths of the problems the text is refused for.
std::vector<std::string> refused_paths(const std::string& text) {
  return testing::refused_paths([&] { (void)parse_fhir(text, meso()); }, "fhir", text);
}

using testing::has;

TEST(FhirIn, TheExampleBundleIsTheExampleProfile) {
  const auto mapped = parse_fhir(example_bundle, meso());
  const auto expected = parse_profile(read_source_file("examples/profile.json"), meso());
  EXPECT_EQ(mapped.patient_reference, "Patient/anon-17");
  EXPECT_EQ(mapped.profile.patient, expected.patient);
  EXPECT_EQ(mapped.profile.treatment, expected.treatment);
  EXPECT_EQ(mapped.profile.procedure, expected.procedure);
  ASSERT_EQ(mapped.profile.sessions.size(), expected.sessions.size());
  for (std::size_t i = 0; i < expected.sessions.size(); ++i) {
    EXPECT_EQ(mapped.profile.sessions[i].day, expected.sessions[i].day);
    EXPECT_EQ(mapped.profile.sessions[i].minute_of_day, expected.sessions[i].minute_of_day);
  }
  ASSERT_EQ(mapped.profile.risk_factors.size(), expected.risk_factors.size());
  for (const auto& factor : expected.risk_factors) {
    const auto found = std::find_if(mapped.profile.risk_factors.begin(), mapped.profile.risk_factors.end(),
                                    [&](const risk_factor& f) { return f.id == factor.id; });
    ASSERT_NE(found, mapped.profile.risk_factors.end()) << factor.id;
    EXPECT_EQ(found->stopped_on, factor.stopped_on) << factor.id;
  }
  // The projection is the one the profile gives, to the byte.
  EXPECT_EQ(to_json(project(meso(), mapped.profile), mapped.profile), to_json(project(meso(), expected), expected));
}

TEST(FhirIn, TheDiaryAndTheObservationAreTheReportsTheyStandFor) {
  const auto mapped = parse_fhir(example_bundle, meso());
  const auto expected = parse_reports(R"({"reports": [
      {"date": "2026-12-03", "time": "09:00", "symptom": "bruising", "severity": 5, "nothing_else": true},
      {"date": "2026-12-03", "time": "09:00", "symptom": "redness", "severity": 2, "nothing_else": true},
      {"date": "2026-12-02", "time": "18:00", "symptom": "swelling", "severity": 3}]})",
                                      meso(), mapped.profile);
  ASSERT_EQ(mapped.reports.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(mapped.reports[i].symptom, expected[i].symptom);
    EXPECT_DOUBLE_EQ(mapped.reports[i].day.count(), expected[i].day.count());
    EXPECT_EQ(mapped.reports[i].severity, expected[i].severity);
    EXPECT_EQ(mapped.reports[i].nothing_else, expected[i].nothing_else);
    EXPECT_EQ(mapped.reports[i].flags, expected[i].flags);
  }
  const auto course = personalise(meso(), mapped.profile);
  EXPECT_EQ(to_json(assess(meso(), course, mapped.reports), meso(), mapped.profile),
            to_json(assess(meso(), course, expected), meso(), mapped.profile));
}

TEST(FhirIn, EveryResourceNotUsedIsListedWithItsReason) {
  const auto mapped = parse_fhir(bundle({patient, procedure("2026-12-01"), R"({"resourceType": "Encounter", "id": "e1"})",
                                         procedure("2026-12-08", "mesotherapy_face", "preparation"),
                                         medication("http://www.nlm.nih.gov/research/umls/rxnorm", "1191", "not-taken"),
                                         medication("http://snomed.info/sct", "387458008", "active"),
                                         R"({"resourceType": "Observation", "status": "final", "code": {"text": "weight"}})"}),
                                 meso());
  ASSERT_EQ(mapped.unused.size(), 5U);
  EXPECT_EQ(mapped.unused[0].resource, "Encounter/e1");
  EXPECT_NE(mapped.unused[0].reason.find("Encounter is not used"), std::string::npos);
  EXPECT_NE(mapped.unused[1].reason.find("status preparation"), std::string::npos);
  EXPECT_NE(mapped.unused[2].reason.find("status not-taken"), std::string::npos);
  EXPECT_NE(mapped.unused[3].reason.find("names no modifier"), std::string::npos);
  EXPECT_EQ(mapped.unused[4].resource, "entry[6].resource");  // no id: named by its path
  EXPECT_EQ(mapped.profile.sessions.size(), 1U);
  EXPECT_TRUE(mapped.profile.risk_factors.empty());
}

TEST(FhirIn, ASubjectMayReferToThePatientByItsFullUrl) {
  const std::string text = R"({"resourceType": "Bundle", "type": "collection", "entry": [
      {"fullUrl": "urn:uuid:2f0c51e6-5d5e-4a4e-9d43-0a7d1e1f9a17", "resource": {"resourceType": "Patient", "id": "p1"}},
      {"resource": {"resourceType": "Procedure", "status": "completed", "subject": {"reference": "urn:uuid:2f0c51e6-5d5e-4a4e-9d43-0a7d1e1f9a17"},
       "code": {"coding": [{"system": "http://aftermath.example/fhir/CodeSystem/aftermath", "code": "mesotherapy_face"}]},
       "performedDateTime": "2026-12-01"}},
      {"resource": {"resourceType": "Procedure", "status": "completed", "subject": {"reference": "https://ehr.example/fhir/Patient/p1"},
       "code": {"coding": [{"system": "http://aftermath.example/fhir/CodeSystem/aftermath", "code": "mesotherapy_face"}]},
       "performedDateTime": "2026-12-08"}}]})";
  EXPECT_EQ(parse_fhir(text, meso()).profile.sessions.size(), 2U);
}

TEST(FhirIn, MedicinesAreReadWithTheirStops) {
  const auto mapped = parse_fhir(bundle({patient, procedure("2026-12-01"), procedure("2026-12-15T10:30:00Z"),
                                         medication("http://www.nlm.nih.gov/research/umls/rxnorm", "5640", "active"),
                                         medication("http://www.nlm.nih.gov/research/umls/rxnorm", "1191", "stopped", "2026-12-08"),
                                         medication("http://aftermath.example/fhir/CodeSystem/aftermath", "fish_oil", "stopped", "2027-01-10"),
                                         medication("http://aftermath.example/fhir/CodeSystem/aftermath", "nsaid_long_acting", "stopped")}),
                                 meso());
  const auto& factors = mapped.profile.risk_factors;
  ASSERT_EQ(factors.size(), 4U);
  EXPECT_EQ(factors[0].id, "nsaid_short_acting");  // ibuprofen
  EXPECT_FALSE(factors[0].stopped_on);
  EXPECT_EQ(factors[1].id, "aspirin");
  EXPECT_EQ(factors[1].stopped_on, date(2026, 12, 8));
  EXPECT_EQ(factors[2].id, "fish_oil");
  EXPECT_FALSE(factors[2].stopped_on);  // stopped after the last session: taken at every one
  EXPECT_EQ(factors[3].id, "nsaid_long_acting");
  EXPECT_FALSE(factors[3].stopped_on);  // no date for the stop: read as still taken
  EXPECT_EQ(mapped.profile.sessions[1].minute_of_day, 10 * 60 + 30);
}

TEST(FhirIn, BrokenResourcesAreRefusedWithTheirPaths) {
  EXPECT_TRUE(has(refused_paths(R"({"id": "x"})"), "resourceType"));
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-1")})), "entry[1].resource.performedDateTime"));
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01T9")})), "entry[1].resource.performedDateTime"));
  EXPECT_TRUE(has(refused_paths(bundle({patient, R"({"resourceType": "Patient", "id": "p2"})"})), "entry[1].resource.id"));
  EXPECT_TRUE(has(refused_paths(bundle({R"({"resourceType": "Patient", "id": "p2"})", procedure("2026-12-01")})),
                  "entry[1].resource.subject.reference"));
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01"), procedure("2026-12-08", "mesotherapy_scalp")})),
                  "entry[2].resource.code"));
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01", "botox")})), "entry[1].resource.code"));
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01"), diary("2026-12-02", R"([{"linkId": "bruising", "answer": [{"valueInteger": 11}]}])")})),
                  "entry[2].resource.item[0].answer[0].valueInteger"));
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01"), diary("2026-12-02", R"([{"linkId": "mood", "answer": [{"valueInteger": 1}]}])")})),
                  "entry[2].resource.item[0].answer[0]"));
  // A warning sign answered yes is never dropped, even with nothing rated beside it.
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01"), diary("2026-12-02", R"([{"linkId": "fever", "answer": [{"valueBoolean": true}]}])")})),
                  "entry[2].resource.item[0].answer[0].valueBoolean"));
  // A report before the first session is named by the resource it came from.
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01"), diary("2026-11-20", R"([{"linkId": "redness", "answer": [{"valueInteger": 1}]}])")})),
                  "entry[2].resource.item[0].answer[0].valueInteger"));
  // A modifier the profile check refuses (a stop for a standing factor) is named by its resource.
  EXPECT_TRUE(has(refused_paths(bundle({patient, procedure("2026-12-01"), procedure("2026-12-09"),
                                        medication("http://aftermath.example/fhir/CodeSystem/aftermath", "bruise_prone", "stopped", "2026-12-05")})),
                  "entry[3].resource.medicationCodeableConcept"));
  EXPECT_TRUE(has(refused_paths(R"({"resourceType": "Patient", "id": 1e999})"), "id"));
  EXPECT_TRUE(has(refused_paths(R"({"resourceType": "Bundle", "entry": [5]})"), "entry[0]"));
  EXPECT_FALSE(refused_paths("[{\"resourceType\": ").empty());
}

TEST(FhirIn, AnObservationMayBeCodedWithSnomedCt) {
  const auto mapped = parse_fhir(bundle({patient, procedure("2026-12-01"),
                                         R"({"resourceType": "Observation", "status": "final", "subject": {"reference": "Patient/p1"},
                                             "code": {"coding": [{"system": "http://snomed.info/sct", "code": "418290006"}]},
                                             "effectiveDateTime": "2026-12-02", "valueInteger": 2})"}),
                                 meso());
  ASSERT_EQ(mapped.reports.size(), 1U);
  EXPECT_EQ(mapped.reports[0].symptom, "itching");
}

TEST(FhirIn, ReportsNeedSessions) {
  EXPECT_TRUE(has(refused_paths(bundle({patient, diary("2026-12-02", R"([{"linkId": "redness", "answer": [{"valueInteger": 1}]}])")})),
                  "entry[1].resource.item[0].answer[0].valueInteger"));
  const auto no_sessions = parse_fhir(bundle({patient}), meso());
  EXPECT_TRUE(no_sessions.profile.sessions.empty());
}

TEST(FhirOut, TheRiskAssessmentCarriesTheProjectionsNumbers) {
  const auto mapped = parse_fhir(example_bundle, meso());
  const auto projected = project(meso(), mapped.profile);
  const json written = json::parse(to_fhir(projected, mapped.profile, {.patient_reference = mapped.patient_reference, .occurrence = "2026-12-03",
                                                                       .unused = mapped.unused}));
  EXPECT_EQ(written["resourceType"], "Bundle");
  EXPECT_EQ(written["type"], "collection");
  const json& risk = written["entry"][0]["resource"];
  EXPECT_EQ(risk["resourceType"], "RiskAssessment");
  EXPECT_EQ(risk["subject"]["reference"], "Patient/anon-17");
  EXPECT_EQ(risk["occurrenceDateTime"], "2026-12-03");
  EXPECT_EQ(written["entry"][0]["fullUrl"], "urn:uuid:" + risk["id"].get<std::string>());
  ASSERT_EQ(risk["prediction"].size(), projected.effects.size() + projected.risks.size());
  for (std::size_t i = 0; i < projected.effects.size(); ++i) {
    const json& prediction = risk["prediction"][i];
    EXPECT_EQ(prediction["outcome"]["coding"][0]["code"], projected.effects[i].id);
    EXPECT_NEAR(prediction["probabilityDecimal"].get<double>(), projected.effects[i].occurs.value(), 5e-5);
    EXPECT_NEAR(prediction["whenRange"]["low"]["value"].get<double>(), projected.effects[i].resolved.p50.count(), 5e-3);
    EXPECT_NEAR(prediction["whenRange"]["high"]["value"].get<double>(), projected.effects[i].resolved.p95.count(), 5e-3);
  }
  EXPECT_EQ(risk["note"][0]["text"], projected.notice);
  // Redness is written with its SNOMED CT finding beside aftermath's code; bruising with none.
  EXPECT_EQ(risk["prediction"][0]["outcome"]["coding"][1]["code"], "247441003");
  EXPECT_EQ(risk["prediction"][2]["outcome"]["coding"].size(), 1U);
  const json& outcome = written["entry"][1]["resource"];
  EXPECT_EQ(outcome["resourceType"], "OperationOutcome");
  EXPECT_NE(outcome["issue"][0]["diagnostics"].get<std::string>().find("Encounter/visit-1"), std::string::npos);
}

TEST(FhirOut, TheSameInputGivesTheSameBytesAndOtherInputOtherIds) {
  const auto mapped = parse_fhir(example_bundle, meso());
  const auto projected = project(meso(), mapped.profile);
  EXPECT_EQ(to_fhir(projected, mapped.profile), to_fhir(projected, mapped.profile));
  auto other = mapped.profile;
  other.patient = "anon-18";
  EXPECT_NE(json::parse(to_fhir(projected, mapped.profile))["id"], json::parse(to_fhir(project(meso(), other), other))["id"]);
}

TEST(FhirOut, EachReasonForAClinicianIsAFlag) {
  const auto mapped = parse_fhir(bundle({patient, procedure("2026-12-01"),
                                         diary("2026-12-03", R"([{"linkId": "redness", "answer": [{"valueInteger": 2}]},
                                                                  {"linkId": "fever", "answer": [{"valueBoolean": true}]},
                                                                  {"linkId": "spreading_redness", "answer": [{"valueBoolean": true}]}])")}),
                                 meso());
  const auto assessed = assess(meso(), personalise(meso(), mapped.profile), mapped.reports);
  ASSERT_GE(assessed.triage, triage_level::contact_provider);
  const json written = json::parse(to_fhir(assessed, meso(), mapped.profile));
  std::size_t flags = 0;
  for (const auto& entry : written["entry"])
    if (entry["resource"]["resourceType"] == "Flag") ++flags;
  const auto needing_clinician = std::count_if(assessed.reasons.begin(), assessed.reasons.end(),
                                               [](const triage_reason& r) { return r.level >= triage_level::contact_provider; });
  EXPECT_EQ(flags, static_cast<std::size_t>(needing_clinician));
  EXPECT_GE(flags, 1U);
  EXPECT_EQ(written["entry"][0]["resource"]["mitigation"], assessed.advice);
}

TEST(FhirOut, APlanIsACarePlanWithAnAppointmentPerSessionToCome) {
  const auto request = parse_plan_request(R"({"profile": {"patient": "p1", "sessions": ["2026-12-01"]}, "protocol": "face_initial",
                                              "earliest": "2026-12-02"})",
                                          meso());
  const auto planned = plan(meso(), request);
  const json written = json::parse(to_fhir(planned));
  const json& care_plan = written["entry"][0]["resource"];
  EXPECT_EQ(care_plan["resourceType"], "CarePlan");
  EXPECT_EQ(care_plan["intent"], "proposal");
  const auto to_come = std::count_if(planned.items.begin(), planned.items.end(), [](const plan_item& item) {
    return (item.kind == plan_item_kind::session || item.kind == plan_item_kind::maintenance) && !item.done;
  });
  ASSERT_GE(to_come, 1);
  ASSERT_EQ(written["entry"].size(), static_cast<std::size_t>(1 + to_come));
  EXPECT_EQ(care_plan["activity"].size(), planned.items.size());
  EXPECT_EQ(written["entry"][1]["resource"]["status"], "proposed");
  // The first session to come is the first activity that refers to an Appointment.
  const auto referring = std::find_if(care_plan["activity"].begin(), care_plan["activity"].end(),
                                      [](const json& activity) { return activity.contains("reference"); });
  ASSERT_NE(referring, care_plan["activity"].end());
  EXPECT_EQ((*referring)["reference"]["reference"], written["entry"][1]["fullUrl"]);
}

std::string base64_decoded(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=') break;
    buffer = buffer << 6 | static_cast<unsigned>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

TEST(FhirOut, TheLeafletIsADocumentReferenceWithTheHtmlInIt) {
  for (const std::string html : {"", "a", "ab", "abc", "<p>Rötung – 3 Tage</p>"}) {
    const json written = json::parse(to_fhir_document_reference(html, parse_profile(R"({"sessions": ["2026-12-01"]})", meso())));
    const json& attachment = written["entry"][0]["resource"]["content"][0]["attachment"];
    EXPECT_EQ(attachment["contentType"], "text/html");
    EXPECT_EQ(base64_decoded(attachment["data"]), html);
  }
}

TEST(FhirOut, TheShippedQuestionnaireIsTheDefaultModelsDiary) {
  EXPECT_EQ(json::parse(read_source_file("fhir/Questionnaire-aftermath-symptom-diary.json")), json::parse(to_fhir_questionnaire(meso())));
}

TEST(FhirRoundTrip, ADiaryWrittenFromTheQuestionnaireReadsBack) {
  // Answer every item of the written Questionnaire: each rating comes back as one report.
  const json questionnaire = json::parse(to_fhir_questionnaire(meso()));
  json items = json::array();
  int rating = 0;
  for (const auto& item : questionnaire["item"][0]["item"])
    items.push_back({{"linkId", item["linkId"]}, {"answer", json::array({{{"valueInteger", rating++ % 11}}})}});
  const json grouped = json::array({{{"linkId", "symptoms"}, {"item", items}}});
  const auto mapped = parse_fhir(bundle({patient, procedure("2026-12-01"), diary("2026-12-04", grouped.dump())}), meso());
  ASSERT_EQ(mapped.reports.size(), meso().effects.size());
  for (std::size_t i = 0; i < mapped.reports.size(); ++i) {
    EXPECT_EQ(mapped.reports[i].symptom, meso().effects[i].id);
    EXPECT_EQ(mapped.reports[i].severity, static_cast<double>(i % 11));
    EXPECT_DOUBLE_EQ(mapped.reports[i].day.count(), 3.0);
  }
}

}  // namespace
}  // namespace aftermath

// The CDS Hooks services: which cards a patient's chart and a booking get, from the projection,
// the assessment and the recovery gate.
#include <aftermath/service/cds_hooks.hpp>

#include <aftermath/assessment.hpp>
#include <aftermath/io/cds_hooks.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/recovery_gate.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace aftermath {
namespace {

constexpr std::string_view patient_view_id = "aftermath-patient-view";
constexpr std::string_view appointment_book_id = "aftermath-appointment-book";

std::vector<std::pair<std::string, std::string>> profile_prefetch() {
  return {{"patient", "Patient/{{context.patientId}}"},
          {"procedures", "Procedure?patient={{context.patientId}}"},
          {"medications", "MedicationStatement?patient={{context.patientId}}"},
          {"conditions", "Condition?patient={{context.patientId}}"}};
}

const std::vector<cds_service_entry>& services() {
  static const std::vector<cds_service_entry> list = [] {
    auto diary_prefetch = profile_prefetch();
    diary_prefetch.emplace_back("diaries",
                                "QuestionnaireResponse?patient={{context.patientId}}&questionnaire=http://aftermath.example/fhir/"
                                "Questionnaire/symptom-diary");
    diary_prefetch.emplace_back("observations", "Observation?patient={{context.patientId}}&category=survey");
    return std::vector<cds_service_entry>{
        {"patient-view", std::string(patient_view_id), "Recovery after mesotherapy",
         "The patient's expected recovery after their mesotherapy sessions, with any side effect past its expected window and "
         "the triage of the patient's symptom diary. Evidence-informed estimates; it informs and does not diagnose.",
         diary_prefetch, {"patient", "procedures"}},
        {"appointment-book", std::string(appointment_book_id), "Mesotherapy recovery gate",
         "Warns when a proposed mesotherapy session comes before the protocol's recovery gate allows, for this patient's risk "
         "factors, and suggests the first date it does.",
         profile_prefetch(), {"patient", "procedures"}},
    };
  }();
  return list;
}

const cds_service_entry& service_named(std::string_view id) {
  for (const auto& service : services())
    if (service.id == id) return service;
  throw unknown_cds_service("no CDS service '" + std::string(id) + "'; GET /cds-services lists them");
}

date parse_today(std::string_view today) {
  try {
    if (today.size() == 10) return boost::gregorian::from_simple_string(std::string(today));
  } catch (const std::exception&) {
  }
  throw input_error("today", "'" + std::string(today) + "' is not a date (YYYY-MM-DD)");
}

std::string iso(date day) { return boost::gregorian::to_iso_extended_string(day); }

date date_at(const profile& profile, days since_first) {
  return profile.sessions.front().day + boost::gregorian::days(static_cast<long>(std::ceil(since_first.count() - 1e-9)));
}

cds_indicator indicator_of(triage_level level) {
  switch (level) {
    case triage_level::self_care: return cds_indicator::info;
    case triage_level::contact_provider: return cds_indicator::warning;
    case triage_level::urgent:
    case triage_level::emergency: break;
  }
  return cds_indicator::critical;
}

std::string model_label(const model& model) {
  return "aftermath model " + model.id + " " + model.version + ", evidence-informed estimates";
}

/// What the figures assume when a prefetch key was not sent.
std::string assumed_without(const std::string& key) {
  if (key == "medications") return "the figures assume no blood thinners";
  if (key == "conditions") return "the figures assume no risk factors such as easy bruising";
  return "no symptom reports of this kind were considered";
}

/// What the request did not tell the service and what it could not use, for every card's detail.
std::string caveats(const cds_request& request) {
  std::string text;
  for (const auto& key : request.missing_prefetch)
    text += "- Not in the request: `" + key + "`; " + assumed_without(key) + ".\n";
  for (const auto& unused : request.patient.unused) text += "- Not used: " + unused.resource + ": " + unused.reason + "\n";
  return text.empty() ? text : "\n\n" + text;
}

/// The names of the effects whose latest report is slower than expected or worsening, in the
/// model's order.
std::string slower_than_expected(const model& model, const assessment& assessed) {
  std::string names;
  for (const auto& effect : model.effects) {
    const report_assessment* latest = nullptr;
    for (const auto& report : assessed.reports)
      if (report.symptom == effect.id && (!latest || report.day >= latest->day)) latest = &report;
    if (latest && (latest->status == report_status::slower_than_expected || latest->status == report_status::worsening))
      names += (names.empty() ? "" : ", ") + effect.name;
  }
  return names;
}

/// The card of the expected recovery: each effect's chance and dates, those past their 95 %
/// window by today, and those the diary shows slower than expected.
cds_card recovery_card(const model& model, const cds_request& request, const projection& projected, const assessment* assessed,
                       date today) {
  const profile& profile = request.patient.profile;
  const auto slowest = std::max_element(projected.effects.begin(), projected.effects.end(),
                                        [](const auto& a, const auto& b) { return a.resolved.p95 < b.resolved.p95; });
  cds_card card;
  card.source_label = model_label(model);
  card.summary = "Mesotherapy on " + iso(profile.sessions.back().day) + ": side effects expected to settle by " +
                 iso(date_at(profile, slowest->resolved.p50)) + " (95 %: by " + iso(date_at(profile, slowest->resolved.p95)) + ")";
  std::string table = "| Side effect | Chance | Half settled by | 95 % settled by |\n|---|---|---|---|\n";
  std::vector<std::string> past_window;
  for (const auto& effect : projected.effects) {
    char chance[16];
    std::snprintf(chance, sizeof chance, "%.0f %%", 100.0 * effect.occurs.value());
    table += "| " + effect.name + " | " + chance + " | " + iso(date_at(profile, effect.resolved.p50)) + " | " +
             iso(date_at(profile, effect.resolved.p95)) + " |\n";
    if (today > date_at(profile, effect.resolved.p95)) past_window.push_back(effect.name);
  }
  card.detail = "Dates are for each side effect if it occurs, from the model's bands for this patient.\n\n" + table;
  if (!past_window.empty() && past_window.size() == projected.effects.size())
    card.detail += "\nBy " + iso(today) + " 95 % of patients have recovered from every side effect: anything still there is past its "
                   "expected window; ask the patient.";
  if (assessed)
    if (const std::string names = slower_than_expected(model, *assessed); !names.empty()) {
      card.summary = names + " slower than expected on the patient's diary (mesotherapy on " + iso(profile.sessions.back().day) + ")";
      card.indicator = cds_indicator::warning;
      card.detail = "The patient's latest ratings of " + names + " are above the band expected for them.\n\n" + card.detail;
    }
  card.detail += "\n\n" + projected.notice + caveats(request);
  return card;
}

/// One card per red-flag reason, most urgent first, at the level the model's rule gives it.
std::vector<cds_card> triage_cards(const model& model, const cds_request& request, const assessment& assessed) {
  std::vector<cds_card> cards;
  for (const auto& reason : assessed.reasons) {
    cds_card card;
    card.indicator = indicator_of(reason.level);
    card.summary = std::string(model.triage_name(reason.level)) + ": " + reason.text;
    std::string cited;
    for (const auto& key : reason.evidence)
      if (const auto* source = model.find_evidence(key)) {
        cited += (cited.empty() ? "" : "; ") + source->source;
        if (card.source_url.empty()) card.source_url = source->url;
        if (card.source_label.empty()) card.source_label = source->source;
      }
    if (card.source_label.empty()) card.source_label = "aftermath red-flag rule " + reason.rule + " (" + model_label(model) + ")";
    card.detail = reason.text + "\n\nAdvice for the patient: " + std::string(model.triage_advice(reason.level)) +
                  "\n\nRule `" + reason.rule + "`" + (cited.empty() ? "" : "; evidence: " + cited) +
                  (reason.convention ? " (clinic or label convention rather than trial evidence)" : "") + ".\n\n" + assessed.notice +
                  caveats(request);
    cards.push_back(std::move(card));
  }
  return cards;
}

std::vector<cds_card> patient_view_cards(const model& model, const cds_request& request, date today) {
  const profile& profile = request.patient.profile;
  if (profile.sessions.empty()) return {};  // no mesotherapy on record: nothing to say
  const projection projected = project(model, profile);
  if (request.patient.reports.empty()) return {recovery_card(model, request, projected, nullptr, today)};
  const assessment assessed = assess(model, personalise(model, profile), request.patient.reports);
  std::vector<cds_card> cards = triage_cards(model, request, assessed);
  cards.push_back(recovery_card(model, request, projected, &assessed, today));
  return cards;
}

/// The profile with a session on the appointment's start, in date order; its index.
std::pair<profile, std::size_t> with_session(profile patient, const session_date& start) {
  const auto at = std::upper_bound(patient.sessions.begin(), patient.sessions.end(), start.day,
                                   [](date day, const session_date& s) { return day < s.day; });
  const auto index = static_cast<std::size_t>(at - patient.sessions.begin());
  patient.sessions.insert(at, start);
  return {std::move(patient), index};
}

cds_card gate_card(const model& model, const cds_request& request, const cds_appointment& appointment, const profile& course,
                   std::size_t index, const gate_breach& breach) {
  cds_card card;
  card.indicator = cds_indicator::warning;
  card.source_label = "aftermath recovery gate of protocol " + breach.protocol + " (" + model_label(model) + ")";
  const bool proposed_too_soon = static_cast<std::size_t>(breach.session) == index + 1;
  const date before = course.sessions[static_cast<std::size_t>(breach.session) - 2].day;
  const date suggested = before + boost::gregorian::days(breach.days_needed);
  card.summary = proposed_too_soon ? "Proposed session on " + iso(appointment.start.day) + " is " + std::to_string(breach.days_since) +
                                         " days after the one before; this patient's recovery gate needs " + std::to_string(breach.days_needed) + " days"
                                   : "The session on " + iso(course.sessions[static_cast<std::size_t>(breach.session) - 1].day) +
                                         " would come too soon after the proposed one on " + iso(appointment.start.day);
  card.detail = breach.text + "\n\n" + model.notice + caveats(request);
  if (proposed_too_soon)
    card.suggestions.push_back({"Move to " + iso(suggested) + ", the first day the recovery gate allows (check the clinic's calendar)", &appointment,
                                iso(suggested) + appointment.start_text.substr(10), true});
  return card;
}

std::vector<cds_card> appointment_cards(const model& model, const cds_request& request) {
  std::vector<cds_card> cards;
  for (const auto& appointment : request.appointments) {
    const auto& sessions = request.patient.profile.sessions;
    if (std::any_of(sessions.begin(), sessions.end(), [&](const session_date& s) { return s.day == appointment.start.day; })) {
      cards.push_back({"A mesotherapy session is already on record on " + iso(appointment.start.day), model.notice + caveats(request),
                       cds_indicator::warning, model_label(model), "", {}});
      continue;
    }
    const auto [course, index] = with_session(request.patient.profile, appointment.start);
    for (const auto& breach : gate_breaches(model, course)) {
      const auto session = static_cast<std::size_t>(breach.session);  // 1-based
      if (session == index + 1 || session == index + 2) cards.push_back(gate_card(model, request, appointment, course, index, breach));
    }
  }
  return cards;
}

}  // namespace

cds_hooks_service::cds_hooks_service(const document_service& documents) : documents_(&documents) {}

std::string cds_hooks_service::discovery() const { return to_json(services()); }

std::string cds_hooks_service::respond(std::string_view service_id, std::string_view request_json, std::string_view today) const {
  const cds_service_entry& service = service_named(service_id);
  const date day = parse_today(today);
  const model& model = documents_->model();
  const cds_request request = parse_cds_request(request_json, model, service);
  const std::vector<cds_card> cards =
      service.id == patient_view_id ? patient_view_cards(model, request, day) : appointment_cards(model, request);
  return to_json(cards);
}

}  // namespace aftermath

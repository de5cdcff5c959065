// FHIR R4 in: a patient's resources mapped to a profile and reports (docs/fhir.md, "In").
#include "dates.hpp"
#include "fhir_reader.hpp"
#include "json_reader.hpp"

#include <aftermath/io/fhir.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aftermath::inline io {
namespace {

constexpr std::string_view rxnorm_system = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr std::string_view snomed_system = "http://snomed.info/sct";

/// RxNorm ingredients (RXCUI) read as the model's modifiers, for systems that code medicines
/// with RxNorm rather than aftermath's own codes.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> rxnorm_modifiers{{
    {"1191", "aspirin"},
    {"11289", "anticoagulant"},  // warfarin
    {"5640", "nsaid_short_acting"},  // ibuprofen
    {"3355", "nsaid_short_acting"},  // diclofenac
    {"7258", "nsaid_long_acting"},   // naproxen
    {"8356", "nsaid_piroxicam"},     // piroxicam
}};

/// The modifier an RxNorm ingredient is read as; "" for none.
std::string_view rxnorm_modifier(std::string_view rxcui) {
  for (const auto& [code, modifier] : rxnorm_modifiers)
    if (code == rxcui) return modifier;
  return {};
}

/// The effect a SNOMED CT finding is read as; "" for none.
std::string_view snomed_effect(std::string_view concept_id) {
  for (const auto& finding : fhir_snomed_findings)
    if (finding.code == concept_id) return finding.effect;
  return {};
}

struct session_found {
  session_date start;
  std::string treatment;
  std::string path;
};

struct factor_found {
  risk_factor factor;
  std::string path;
};

struct report_found {
  symptom_report report;  ///< without its day, which needs the first session
  session_date when;
  std::string path;
};

struct reference_found {
  std::string reference;  ///< "Patient/p1"
  std::string path;
};

/// A FHIR date or dateTime as a day and, when it states one, the clock time as written (the
/// record's local time: the time zone offset is the clinic's, as for the sessions).
std::optional<session_date> read_date_time(reader& in, const std::string& text, const std::string& path) {
  std::string why;
  const auto day = text.size() >= 10 ? parse_iso_date(std::string_view(text).substr(0, 10), why) : std::nullopt;
  if (!day || (text.size() > 10 && text[10] != 'T')) {
    in.fail(path, "'" + text + "' is not a FHIR date or dateTime with a day (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)");
    return std::nullopt;
  }
  session_date when{*day, std::nullopt};
  if (text.size() > 10) {
    const auto minute = text.size() >= 16 ? parse_time_of_day(std::string_view(text).substr(11, 5), why) : std::nullopt;
    if (!minute) {
      in.fail(path, "'" + text + "' has no valid time of day after the T");
      return std::nullopt;
    }
    when.minute_of_day = minute;
  }
  return when;
}

/// The string member if it is one; "" when absent (a wrong type is recorded).
std::string optional_string(reader& in, const json& object, const std::string& path, std::string_view key) {
  return in.string(object, path, key, false);
}

/// The codes of a CodeableConcept, as (system, code) pairs.
std::vector<std::pair<std::string, std::string>> codings(reader& in, const json& codeable, const std::string& path) {
  std::vector<std::pair<std::string, std::string>> found;
  if (!in.expect_object(codeable, path)) return found;
  const json* list = in.member(codeable, path, "coding", false);
  if (!list || !in.expect_array(*list, path + ".coding")) return found;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string coding_path = index_path(path + ".coding", i);
    if (!in.expect_object((*list)[i], coding_path)) continue;
    found.emplace_back(optional_string(in, (*list)[i], coding_path, "system"), optional_string(in, (*list)[i], coding_path, "code"));
  }
  return found;
}

/// The codeable's code in aftermath's code system; "" when it has none.
std::string aftermath_code(reader& in, const json& resource, const std::string& path, std::string_view key) {
  const json* codeable = in.member(resource, path, key, false);
  if (!codeable) return {};
  for (const auto& [system, code] : codings(in, *codeable, member_path(path, key)))
    if (system == fhir_code_system) return code;
  return {};
}

/// The status code of a CodeableConcept member such as Condition.clinicalStatus; "" when absent.
std::string status_code(reader& in, const json& resource, const std::string& path, std::string_view key) {
  const json* codeable = in.member(resource, path, key, false);
  if (!codeable) return {};
  const auto found = codings(in, *codeable, member_path(path, key));
  return found.empty() ? std::string() : found.front().second;
}

class fhir_mapper {
 public:
  fhir_mapper(const model& model, reader& in) : model_(model), in_(in) {}

  void read_document(const json& value, const std::string& path) {
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) read_document(value[i], index_path(path, i));
      return;
    }
    if (!in_.expect_object(value, path)) return;
    if (resource_type(value, path) == "Bundle") read_bundle(value, path);
    else read_resource(value, path);
  }

  fhir_patient finish() {
    fhir_patient out;
    out.patient_reference = patient_id_.empty() ? std::string() : "Patient/" + patient_id_;
    check_subjects();
    out.profile = profile_from_findings();
    check_mapped_profile(out.profile);
    if (!out.profile.sessions.empty() && !reports_.empty() && in_.ok()) out.reports = reports_from_findings(out.profile);
    else if (!reports_.empty() && out.profile.sessions.empty())
      in_.fail(reports_.front().path, "a report needs the sessions it follows: no completed Procedure is coded with a treatment of the model",
               problem_code::conflict);
    out.unused = std::move(unused_);
    return out;
  }

 private:
  std::string resource_type(const json& resource, const std::string& path) {
    const std::string type = in_.string(resource, path, "resourceType", true);
    return type;
  }

  /// "Encounter/e1", or the path when the resource has no id.
  std::string name_of(const json& resource, const std::string& path) {
    const auto type = resource.find("resourceType");
    const auto id = resource.find("id");
    if (type != resource.end() && type->is_string() && id != resource.end() && id->is_string())
      return type->get<std::string>() + "/" + id->get<std::string>();
    return path.empty() ? std::string("the resource") : path;
  }

  void not_used(const json& resource, const std::string& path, std::string reason) {
    unused_.push_back({name_of(resource, path), std::move(reason)});
  }

  void read_bundle(const json& bundle, const std::string& path) {
    const json* entries = in_.member(bundle, path, "entry", false);
    if (!entries || !in_.expect_array(*entries, member_path(path, "entry"))) return;
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const std::string entry_path = index_path(member_path(path, "entry"), i);
      const json& entry = (*entries)[i];
      if (!in_.expect_object(entry, entry_path)) continue;
      const json* resource = in_.member(entry, entry_path, "resource", true);
      full_url_ = optional_string(in_, entry, entry_path, "fullUrl");
      if (resource) read_document(*resource, member_path(entry_path, "resource"));
      full_url_.clear();
    }
  }

  void read_resource(const json& resource, const std::string& path) {
    const std::string type = resource_type(resource, path);
    if (type.empty()) return;
    if (type == "Patient") read_patient(resource, path);
    else if (type == "Procedure") read_procedure(resource, path);
    else if (type == "MedicationStatement") read_medication(resource, path);
    else if (type == "Condition") read_condition(resource, path);
    else if (type == "QuestionnaireResponse") read_diary(resource, path);
    else if (type == "Observation") read_observation(resource, path);
    else not_used(resource, path, "resource type " + type + " is not used by the mapping");
  }

  void read_patient(const json& patient, const std::string& path) {
    const std::string id = in_.string(patient, path, "id", true);
    if (id.empty()) return;
    if (!patient_id_.empty() && id != patient_id_)
      in_.fail(member_path(path, "id"), "a second patient (Patient/" + patient_id_ + " came first): give one patient's resources",
               problem_code::conflict);
    else patient_id_ = id;
    if (!full_url_.empty()) patient_urls_.push_back(full_url_);  // what entries of its Bundle may refer to it by
  }

  /// The subject (or, for MedicationStatement, the subject too) to check against the Patient.
  void note_subject(const json& resource, const std::string& path) {
    const json* subject = in_.member(resource, path, "subject", false);
    if (!subject || !in_.expect_object(*subject, member_path(path, "subject"))) return;
    const std::string reference = optional_string(in_, *subject, member_path(path, "subject"), "reference");
    if (!reference.empty()) subjects_.push_back({reference, member_path(member_path(path, "subject"), "reference")});
  }

  void read_procedure(const json& procedure, const std::string& path) {
    note_subject(procedure, path);
    const std::string status = in_.string(procedure, path, "status", true);
    const std::string treatment = aftermath_code(in_, procedure, path, "code");
    if (treatment.empty()) return not_used(procedure, path, "its code has no " + std::string(fhir_code_system) + " code naming a treatment");
    if (!model_.find_treatment(treatment)) {
      if (const auto* modifier = model_.find_modifier(treatment); modifier && modifier->category == modifier_category::procedure)
        return read_procedure_modifier(procedure, path, status, treatment);
      in_.fail(member_path(path, "code"), "'" + treatment + "' is not a treatment of the model", problem_code::unknown_id);
      return;
    }
    // "stopped" is a procedure begun and not finished: some injections were given.
    if (status != "completed" && status != "in-progress" && status != "stopped")
      return not_used(procedure, path, "status " + status + ": only a procedure done (completed, in-progress or stopped) is a session");
    std::optional<session_date> start;
    if (const json* at = in_.member(procedure, path, "performedDateTime", false)) {
      if (at->is_string()) start = read_date_time(in_, at->get<std::string>(), member_path(path, "performedDateTime"));
      else in_.fail(member_path(path, "performedDateTime"), "must be a string, not " + describe_type(*at));
    } else if (const json* period = in_.member(procedure, path, "performedPeriod", false);
               period && in_.expect_object(*period, member_path(path, "performedPeriod"))) {
      const std::string text = in_.string(*period, member_path(path, "performedPeriod"), "start", true);
      if (!text.empty()) start = read_date_time(in_, text, member_path(member_path(path, "performedPeriod"), "start"));
    } else {
      in_.fail(path, "a session needs performedDateTime or performedPeriod.start");
    }
    if (start) sessions_.push_back({*start, treatment, path});
  }

  /// A procedure modifier given as a Procedure of its own (numbing cream applied).
  void read_procedure_modifier(const json& procedure, const std::string& path, const std::string& status, const std::string& id) {
    if (status != "completed" && status != "in-progress")
      return not_used(procedure, path, "status " + status + ": only a procedure done counts");
    if (std::find(procedure_.begin(), procedure_.end(), id) == procedure_.end()) {
      procedure_.push_back(id);
      procedure_paths_.push_back(path);
    }
  }

  /// The model id the concept at `key` names: its aftermath code, or else what `lookup` reads its
  /// code in `other_system` as ("" when neither names one).
  std::string named_id(const json& resource, const std::string& path, std::string_view key, std::string_view other_system,
                       std::string_view (*lookup)(std::string_view code)) {
    const json* codeable = in_.member(resource, path, key, false);
    if (!codeable) return {};
    std::string other;
    for (const auto& [system, code] : codings(in_, *codeable, member_path(path, key))) {
      if (system == fhir_code_system) return code;
      if (system == other_system && other.empty()) other = std::string(lookup(code));
    }
    return other;
  }

  void read_medication(const json& statement, const std::string& path) {
    note_subject(statement, path);
    const std::string status = in_.string(statement, path, "status", true);
    const std::string id = named_id(statement, path, "medicationCodeableConcept", rxnorm_system, rxnorm_modifier);
    if (id.empty())
      return not_used(statement, path, "its medicationCodeableConcept names no modifier of the model (aftermath or RxNorm code)");
    if (status != "active" && status != "completed" && status != "stopped")
      return not_used(statement, path, "status " + status + ": only a medicine taken (active, completed or stopped) counts");
    risk_factor factor{id, std::nullopt};
    if (status != "active") factor.stopped_on = stop_date(statement, path);
    add_factor(std::move(factor), member_path(path, "medicationCodeableConcept"));
  }

  /// effectivePeriod.end of a stopped medicine. Without it the stop cannot be placed, and the
  /// medicine is read as still taken: the cautious reading for bleeding and bruising.
  std::optional<date> stop_date(const json& statement, const std::string& path) {
    const json* period = in_.member(statement, path, "effectivePeriod", false);
    if (!period || !in_.expect_object(*period, member_path(path, "effectivePeriod"))) return std::nullopt;
    const std::string end = optional_string(in_, *period, member_path(path, "effectivePeriod"), "end");
    if (end.empty()) return std::nullopt;
    const auto when = read_date_time(in_, end, member_path(member_path(path, "effectivePeriod"), "end"));
    return when ? std::optional<date>(when->day) : std::nullopt;
  }

  void read_condition(const json& condition, const std::string& path) {
    note_subject(condition, path);
    const std::string id = aftermath_code(in_, condition, path, "code");
    if (id.empty()) return not_used(condition, path, "its code has no " + std::string(fhir_code_system) + " code naming a modifier");
    const std::string clinical = status_code(in_, condition, path, "clinicalStatus");
    const std::string verification = status_code(in_, condition, path, "verificationStatus");
    if (!clinical.empty() && clinical != "active" && clinical != "recurrence" && clinical != "relapse")
      return not_used(condition, path, "clinicalStatus " + clinical + ": only an active condition counts");
    if (verification == "refuted" || verification == "entered-in-error")
      return not_used(condition, path, "verificationStatus " + verification);
    add_factor({id, std::nullopt}, member_path(path, "code"));
  }

  /// A modifier given twice (a Condition and a MedicationStatement) counts once: taken without a
  /// stop if either says so, else stopped at the later date.
  void add_factor(risk_factor factor, std::string path) {
    const auto* modifier = model_.find_modifier(factor.id);
    if (modifier && modifier->category == modifier_category::procedure) {
      if (std::find(procedure_.begin(), procedure_.end(), factor.id) == procedure_.end()) {
        procedure_.push_back(factor.id);
        procedure_paths_.push_back(std::move(path));
      }
      return;
    }
    for (auto& known : factors_)
      if (known.factor.id == factor.id) {
        if (!factor.stopped_on || !known.factor.stopped_on) known.factor.stopped_on.reset();
        else known.factor.stopped_on = std::max(*known.factor.stopped_on, *factor.stopped_on);
        return;
      }
    factors_.push_back({std::move(factor), std::move(path)});
  }

  /// One diary response: its ratings and the flags answered yes.
  struct diary_entry {
    std::vector<std::pair<std::string, std::pair<double, std::string>>> ratings;  ///< effect, (rating, path)
    std::vector<std::pair<std::string, std::string>> flags;                       ///< flag, path
  };

  void read_diary(const json& response, const std::string& path) {
    std::string questionnaire = in_.string(response, path, "questionnaire", false);
    questionnaire = questionnaire.substr(0, questionnaire.find('|'));  // canonical|version
    if (questionnaire != fhir_symptom_diary)
      return not_used(response, path, "not a response to the symptom diary (" + std::string(fhir_symptom_diary) + ")");
    note_subject(response, path);
    const std::string status = in_.string(response, path, "status", true);
    if (status != "completed" && status != "amended")
      return not_used(response, path, "status " + status + ": only a completed diary entry is read");
    const std::string authored = in_.string(response, path, "authored", true);
    if (authored.empty()) return;
    const auto when = read_date_time(in_, authored, member_path(path, "authored"));
    if (!when) return;
    diary_entry entry;
    if (const json* items = in_.member(response, path, "item", false)) read_items(*items, member_path(path, "item"), entry);
    add_diary_entry(entry, *when, path);
  }

  void read_items(const json& items, const std::string& path, diary_entry& entry) {
    if (!in_.expect_array(items, path)) return;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string item_path = index_path(path, i);
      if (!in_.expect_object(items[i], item_path)) continue;
      const std::string link = in_.string(items[i], item_path, "linkId", true);
      if (const json* nested = in_.member(items[i], item_path, "item", false)) read_items(*nested, member_path(item_path, "item"), entry);
      const json* answers = in_.member(items[i], item_path, "answer", false);
      if (link.empty() || !answers || !in_.expect_array(*answers, member_path(item_path, "answer")) || answers->empty()) continue;
      const std::string answer_path = index_path(member_path(item_path, "answer"), 0);
      if (!in_.expect_object(answers->front(), answer_path)) continue;
      read_answer(link, answers->front(), answer_path, entry);
    }
  }

  void read_answer(const std::string& link, const json& answer, const std::string& path, diary_entry& entry) {
    if (model_.find_effect(link)) {
      if (const auto rating = in_.number(answer, path, "valueInteger", true, number_range::closed(0, 10)))
        entry.ratings.push_back({link, {*rating, member_path(path, "valueInteger")}});
    } else if (model_.find_report_flag(link)) {
      if (in_.boolean(answer, path, "valueBoolean", true)) entry.flags.emplace_back(link, member_path(path, "valueBoolean"));
    } else {
      in_.fail(path, "linkId '" + link + "' is not an item of the symptom diary: an effect or report flag of the model",
               problem_code::unknown_id);
    }
  }

  /// One report per rated effect, each carrying the entry's flags: the diary asks about every
  /// symptom, so what is not rated was not felt. A flag with nothing rated beside it cannot be
  /// placed on a symptom, and is never dropped: it is a problem to fix at the source.
  void add_diary_entry(const diary_entry& entry, const session_date& when, const std::string& path) {
    if (entry.ratings.empty() && !entry.flags.empty()) {
      in_.fail(entry.flags.front().second,
               "'" + entry.flags.front().first + "' is answered yes but no symptom is rated in this response; rate at least one symptom",
               problem_code::conflict);
      return;
    }
    for (const auto& [effect, rating] : entry.ratings) {
      symptom_report report{};
      report.symptom = effect;
      report.severity = rating.first;
      for (const auto& flag : entry.flags) report.flags.push_back(flag.first);
      report.scale = rating_scale::whole_0_10;
      report.nothing_else = true;
      reports_.push_back({std::move(report), when, rating.second.empty() ? path : rating.second});
    }
  }

  void read_observation(const json& observation, const std::string& path) {
    const std::string effect = named_id(observation, path, "code", snomed_system, snomed_effect);
    if (effect.empty() || !model_.find_effect(effect))
      return not_used(observation, path, "its code names no symptom of the model (an aftermath effect code, or a SNOMED CT finding docs/fhir.md lists)");
    note_subject(observation, path);
    const std::string status = in_.string(observation, path, "status", true);
    if (status != "final" && status != "amended" && status != "corrected" && status != "preliminary")
      return not_used(observation, path, "status " + status + ": only a rating given is read");
    const std::string at = in_.string(observation, path, "effectiveDateTime", true);
    std::optional<double> rating;
    if (observation.contains("valueQuantity")) {
      const json& quantity = observation["valueQuantity"];
      if (in_.expect_object(quantity, member_path(path, "valueQuantity")))
        rating = in_.number(quantity, member_path(path, "valueQuantity"), "value", true, number_range::closed(0, 10));
    } else {
      rating = in_.number(observation, path, "valueInteger", true, number_range::closed(0, 10));
    }
    if (at.empty() || !rating) return;
    const auto when = read_date_time(in_, at, member_path(path, "effectiveDateTime"));
    if (!when) return;
    symptom_report report{};
    report.symptom = effect;
    report.severity = *rating;
    reports_.push_back({std::move(report), *when, path});
  }

  /// Every subject must be the Patient given (or, without one, the same patient throughout).
  void check_subjects() {
    const std::string expected = patient_id_.empty() ? (subjects_.empty() ? "" : subjects_.front().reference) : "Patient/" + patient_id_;
    for (const auto& subject : subjects_)
      if (subject.reference != expected && !subject.reference.ends_with("/" + expected) &&
          std::find(patient_urls_.begin(), patient_urls_.end(), subject.reference) == patient_urls_.end())
        in_.fail(subject.path, "'" + subject.reference + "' is not " + expected + ": give one patient's resources", problem_code::conflict);
  }

  profile profile_from_findings() {
    profile out;
    out.patient = patient_id_;
    std::stable_sort(sessions_.begin(), sessions_.end(), [](const session_found& a, const session_found& b) {
      return a.start.day != b.start.day ? a.start.day < b.start.day : a.start.minute_of_day.value_or(0) < b.start.minute_of_day.value_or(0);
    });
    for (const auto& session : sessions_) {
      if (out.treatment.empty()) out.treatment = session.treatment;
      else if (session.treatment != out.treatment)
        in_.fail(member_path(session.path, "code"),
                 "treatment '" + session.treatment + "' differs from '" + out.treatment + "' of an earlier session: one course has one treatment",
                 problem_code::conflict);
      out.sessions.push_back(session.start);
    }
    for (auto& found : factors_) {
      // A stop after the last session changes nothing: every session was with the medicine.
      if (found.factor.stopped_on && !out.sessions.empty() && *found.factor.stopped_on >= out.sessions.back().day)
        found.factor.stopped_on.reset();
      out.risk_factors.push_back(found.factor);
    }
    out.procedure = procedure_;
    return out;
  }

  /// The profile's own checks, each problem named by the resource the value came from.
  void check_mapped_profile(const profile& mapped) {
    for (auto problem : check_profile(model_, mapped)) {
      if (problem.path == "sessions" && mapped.sessions.empty()) continue;  // no session: a caller's question
      problem.path = resource_path(problem.path);
      in_.fail(problem.path, problem.message, problem.code);
    }
  }

  std::vector<symptom_report> reports_from_findings(const profile& mapped) {
    std::vector<symptom_report> reports;
    for (auto& found : reports_) {
      found.report.day = days_since_first(mapped, found.when);
      reports.push_back(found.report);
    }
    for (auto problem : check_reports(model_, mapped, reports)) {
      const auto index = leading_index(problem.path, "reports[");
      in_.fail(index && *index < reports_.size() ? reports_[*index].path : problem.path, problem.message, problem.code);
    }
    return reports;
  }

  /// The index in "prefix<i>]...", if the path starts so.
  static std::optional<std::size_t> leading_index(const std::string& path, std::string_view prefix) {
    if (!path.starts_with(prefix)) return std::nullopt;
    std::size_t index = 0;
    std::size_t i = prefix.size();
    if (i >= path.size() || path[i] < '0' || path[i] > '9') return std::nullopt;
    for (; i < path.size() && path[i] >= '0' && path[i] <= '9'; ++i) index = index * 10 + static_cast<std::size_t>(path[i] - '0');
    return index;
  }

  /// A profile path ("sessions[1].date", "risk_factors[0]") as the path of its resource.
  std::string resource_path(const std::string& profile_path) const {
    if (const auto i = leading_index(profile_path, "sessions["); i && *i < sessions_.size()) return sessions_[*i].path;
    if (const auto i = leading_index(profile_path, "risk_factors["); i && *i < factors_.size()) return factors_[*i].path;
    if (const auto i = leading_index(profile_path, "procedure["); i && *i < procedure_paths_.size()) return procedure_paths_[*i];
    if (profile_path.starts_with("treatment") && !sessions_.empty()) return member_path(sessions_.front().path, "code");
    return profile_path;
  }

  const model& model_;
  reader& in_;
  std::string patient_id_;
  std::vector<std::string> patient_urls_;  ///< the Patient's fullUrl in its Bundle
  std::string full_url_;                   ///< of the Bundle entry being read
  std::vector<reference_found> subjects_;
  std::vector<session_found> sessions_;
  std::vector<factor_found> factors_;
  std::vector<std::string> procedure_;
  std::vector<std::string> procedure_paths_;
  std::vector<report_found> reports_;
  std::vector<fhir_unused> unused_;
};

}  // namespace

fhir_patient read_fhir_documents(std::span<const fhir_document> documents, const model& model, reader& in) {
  fhir_mapper mapper(model, in);
  for (const auto& document : documents) mapper.read_document(*document.value, document.path);
  return mapper.finish();
}

fhir_patient parse_fhir(std::string_view json_text, const model& model, std::string_view source) {
  const json root = parse_json_text(json_text, source);
  reader in;
  const fhir_document document{"", &root};
  auto patient = read_fhir_documents(std::span(&document, 1), model, in);
  in.set_source(source);
  in.throw_if_failed();
  return patient;
}

}  // namespace aftermath::io

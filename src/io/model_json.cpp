// The model file: reading with full validation, and writing it back.
//
// Each object's plain members (ids, names, texts and numbers) are listed once, in field tables
// below, in the order the file writes them: the reader, the writer and the list of known keys
// all walk the same tables. What is special (enumerations, lists, references, checks across
// fields) is written out by hand beside the tables it belongs with.
#include "json_reader.hpp"
#include "wording_json.hpp"

#include <aftermath/curve.hpp>
#include <aftermath/io/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <numbers>
#include <set>

namespace aftermath::detail {
std::string_view default_model_json();  // generated from src/models/mesotherapy_face.json
}  // namespace aftermath::detail

namespace aftermath::inline io {

namespace {


constexpr std::array strengths{"rct", "sr_ma", "cohort", "case_series", "consensus", "label", "review",
                               "standard", "lab", "model", "clinic_page", "ai_summary", "news"};
/// Longest lag, time to peak or half-life a curve may have; beyond a year it is no longer a
/// recovery curve, and a bound keeps every derived date inside the calendar.
constexpr double max_curve_days = 365.0;
/// Longest onset window, aftercare window or interval, in days (ten years).
constexpr double max_window_days = 3650.0;
/// Largest odds ratio or multiplier a modifier may carry.
constexpr double max_factor = 100.0;

constexpr std::array triage_ids{"self_care", "contact_provider", "urgent", "emergency"};
constexpr std::array status_ids{"resolved", "better_than_expected", "as_expected", "slower_than_expected", "worsening", "unexpected"};

std::optional<triage_level> triage_from(std::string_view id) {
  for (std::size_t i = 0; i < triage_ids.size(); ++i)
    if (id == triage_ids[i]) return static_cast<triage_level>(i);
  return std::nullopt;
}

// ---- fields: one key, one member, read and written the same way ---------------------------

/// Whether a text member must be in the file, and whether the writer leaves an empty one out.
enum class text_presence {
  required,            ///< missing is a problem
  optional,            ///< may be missing (read as empty); always written
  omitted_when_empty,  ///< may be missing; written only when not empty
};

/// A string member of T: an id, a name, a text.
template <typename T>
struct text_field {
  std::string_view key;
  std::string T::*member;
  text_presence presence = text_presence::required;
};

/// A parameter member of T: {"value", "evidence" and/or "assumption", "note"}, value in range.
template <typename T>
struct parameter_field {
  std::string_view key;
  parameter T::*member;
  number_range range;
};

/// A parameter member of T that may be absent; the writer leaves an absent one out.
template <typename T>
struct optional_parameter_field {
  std::string_view key;
  std::optional<parameter> T::*member;
  number_range range;
};

/// A bare number member of T that may be absent (a red-flag threshold); left out when absent.
template <typename T>
struct number_field {
  std::string_view key;
  std::optional<double> T::*member;
  number_range range;
};

template <typename F>
concept Field = requires(const F& field) {
  { field.key } -> std::convertible_to<std::string_view>;
};

/// Calls f on a field, or on each field of a table, so that one call can take either.
template <Field F, typename Fn>
void for_each_field(const F& field, Fn&& f) {
  f(field);
}
template <Field F, std::size_t N, typename Fn>
void for_each_field(const F (&table)[N], Fn&& f) {
  for (const auto& field : table) f(field);
}

template <typename T>
void read_field(reader& in, const json& object, const std::string& path, const text_field<T>& field, T& out) {
  out.*field.member = in.string(object, path, field.key, field.presence == text_presence::required);
}
template <typename T>
void read_field(reader& in, const json& object, const std::string& path, const parameter_field<T>& field, T& out) {
  out.*field.member = in.param(object, path, field.key, field.range);
}
/// `required` serves members that are optional only because their parent object is (a washout's
/// days), or required only in some cases (an aftercare item's days).
template <typename T>
void read_field(reader& in, const json& object, const std::string& path, const optional_parameter_field<T>& field, T& out,
                bool required = false) {
  out.*field.member = in.optional_param(object, path, field.key, field.range, required);
}
template <typename T>
void read_field(reader& in, const json& object, const std::string& path, const number_field<T>& field, T& out) {
  out.*field.member = in.number(object, path, field.key, false, field.range);
}

/// Reads fields and tables of fields in the order given, which is the order problems are listed in.
template <typename T, typename... Parts>
void read_fields(reader& in, const json& object, const std::string& path, T& out, const Parts&... parts) {
  (for_each_field(parts, [&](const auto& field) { read_field(in, object, path, field, out); }), ...);
}

/// `evidence`, `assumption` and `note` into `out`, those that are given.
void write_provenance(json& out, const std::vector<std::string>& evidence, const std::string& assumption, const std::string& note) {
  if (!evidence.empty()) out["evidence"] = evidence;
  if (!assumption.empty()) out["assumption"] = assumption;
  if (!note.empty()) out["note"] = note;
}

json to_json_value(const stated_uncertainty& u) {
  json out = json::object();
  if (u.interval_95) out["interval_95"] = *u.interval_95;
  if (u.sd) out["sd"] = *u.sd;
  write_provenance(out, u.evidence, u.assumption, u.note);
  return out;
}

json to_json_value(const parameter& p) {
  json out{{"value", p.value}};
  write_provenance(out, p.evidence, p.assumption, p.note);
  if (p.uncertainty) out["uncertainty"] = to_json_value(*p.uncertainty);
  return out;
}

template <typename T>
void write_field(json& out, const T& object, const text_field<T>& field) {
  const std::string& text = object.*field.member;
  if (field.presence != text_presence::omitted_when_empty || !text.empty()) out[std::string(field.key)] = text;
}
template <typename T>
void write_field(json& out, const T& object, const parameter_field<T>& field) {
  out[std::string(field.key)] = to_json_value(object.*field.member);
}
template <typename T>
void write_field(json& out, const T& object, const optional_parameter_field<T>& field) {
  if (const auto& p = object.*field.member) out[std::string(field.key)] = to_json_value(*p);
}
template <typename T>
void write_field(json& out, const T& object, const number_field<T>& field) {
  if (const auto& x = object.*field.member) out[std::string(field.key)] = *x;
}

/// Appends fields and tables of fields to `out`, in the order given.
template <typename T, typename... Parts>
void write_fields(json& out, const T& object, const Parts&... parts) {
  (for_each_field(parts, [&](const auto& field) { write_field(out, object, field); }), ...);
}

/// A new JSON object with the fields given.
template <typename T, typename... Parts>
json fields_to_json(const T& object, const Parts&... parts) {
  json out = json::object();
  write_fields(out, object, parts...);
  return out;
}

void append_keys(std::vector<std::string_view>& keys, std::string_view key) { keys.push_back(key); }
template <typename Part>
  requires(!std::convertible_to<Part, std::string_view>)
void append_keys(std::vector<std::string_view>& keys, const Part& part) {
  for_each_field(part, [&](const auto& field) { keys.push_back(field.key); });
}

/// The keys an object may have, for reject_unknown_keys: its fields and tables, and the keys read
/// by hand (nested objects, lists, enumerations), in the order the problem message lists them.
template <typename... Parts>
std::vector<std::string_view> known_keys(const Parts&... parts) {
  std::vector<std::string_view> keys;
  (append_keys(keys, parts), ...);
  return keys;
}

// ---- the model's tables, in the order the file writes each object -------------------------

constexpr text_field<model> model_texts[]{{"id", &model::id},
                                          {"version", &model::version},
                                          {"name", &model::name},
                                          {"description", &model::description, text_presence::optional},
                                          {"notice", &model::notice},
                                          {"default_treatment", &model::default_treatment}};
constexpr parameter_field<model> severity_scale_parameters[]{
    {"visible", &model::visible_threshold, number_range::left_open(0.0, 10.0)},
    {"resolved", &model::resolved_threshold, number_range::left_open(0.0, 10.0)}};

constexpr text_field<evidence_source> evidence_texts[]{{"source", &evidence_source::source},
                                                       {"strength", &evidence_source::strength},
                                                       {"url", &evidence_source::url, text_presence::omitted_when_empty}};

/// After "shape", which is read by hand: it has a default and a set of known values.
constexpr parameter_field<curve_spec> curve_parameters[]{
    {"lag_days", &curve_spec::lag_days, number_range::closed(0.0, max_curve_days)},
    {"time_to_peak_days", &curve_spec::time_to_peak_days, number_range::left_open(0.0, max_curve_days)},
    {"half_life_days", &curve_spec::half_life_days, number_range::closed(1e-3, max_curve_days)}};

constexpr text_field<effect_spec> effect_texts[]{{"id", &effect_spec::id}, {"name", &effect_spec::name}, {"text", &effect_spec::text}};
constexpr parameter_field<effect_spec> effect_parameters[]{{"incidence", &effect_spec::incidence, number_range::open(0.0, 1.0)}};
/// An effect's curve carries, after the curve's own fields, the effect's typical peak.
constexpr parameter_field<effect_spec> effect_curve_parameters[]{
    {"typical_peak", &effect_spec::typical_peak, number_range::left_open(0.0, 10.0)}};
constexpr parameter_field<effect_spec> variability_parameters[]{
    {"peak_sd", &effect_spec::peak_sd, number_range::closed(0.05, 2.0)},
    {"healing_time_sd", &effect_spec::healing_time_sd, number_range::closed(0.0, 1.0)}};

constexpr text_field<results_spec> results_texts[]{{"name", &results_spec::name}, {"text", &results_spec::text}};
constexpr parameter_field<results_spec> results_parameters[]{
    {"first_gain", &results_spec::first_gain, number_range::positive()},
    {"repeat_gain_ratio", &results_spec::repeat_gain_ratio, number_range::left_open(0.0, 1.0)}};

constexpr text_field<target_adjustment> target_texts[]{{"target", &target_adjustment::target}};
constexpr optional_parameter_field<target_adjustment> target_factors[]{
    {"odds_ratio", &target_adjustment::odds_ratio, number_range::left_open(0.0, max_factor)},
    {"peak_multiplier", &target_adjustment::peak_multiplier, number_range::left_open(0.0, max_factor)},
    {"duration_multiplier", &target_adjustment::duration_multiplier, number_range::left_open(0.0, max_factor)}};

constexpr text_field<modifier_spec> modifier_texts[]{
    {"id", &modifier_spec::id}, {"name", &modifier_spec::name}, {"text", &modifier_spec::text, text_presence::optional}};
/// Comes after the category, which is read by hand, so it is not in modifier_texts.
constexpr text_field<modifier_spec> modifier_kind_of{"kind_of", &modifier_spec::kind_of, text_presence::omitted_when_empty};
/// In the "washout" object, which only some modifiers have.
constexpr optional_parameter_field<modifier_spec> washout_days{"days", &modifier_spec::washout_days,
                                                               number_range::left_open(0.0, max_window_days)};

constexpr text_field<treatment_spec> treatment_texts[]{{"id", &treatment_spec::id},
                                                       {"name", &treatment_spec::name},
                                                       {"area", &treatment_spec::area, text_presence::optional},
                                                       {"text", &treatment_spec::text, text_presence::optional}};

constexpr text_field<risk_spec> risk_texts[]{{"id", &risk_spec::id}, {"name", &risk_spec::name}, {"text", &risk_spec::text}};
constexpr parameter_field<risk_spec> risk_parameters[]{{"probability", &risk_spec::probability, number_range::open(0.0, 1.0)}};
/// In the "onset_days" object.
constexpr parameter_field<risk_spec> onset_parameters[]{{"from", &risk_spec::onset_from_days, number_range::closed(0.0, max_window_days)},
                                                       {"to", &risk_spec::onset_to_days, number_range::closed(0.0, max_window_days)}};

// An aftercare item is read as id, name, text, kind (its problems are listed in that order) but
// written as id, name, kind, text; so its fields stand alone rather than in one table.
constexpr text_field<aftercare_spec> aftercare_id{"id", &aftercare_spec::id};
constexpr text_field<aftercare_spec> aftercare_name{"name", &aftercare_spec::name};
constexpr text_field<aftercare_spec> aftercare_text{"text", &aftercare_spec::text};
constexpr optional_parameter_field<aftercare_spec> aftercare_days{"days", &aftercare_spec::days,
                                                                  number_range::left_open(0.0, max_window_days)};

/// After the "id", which names the triage level and is read by hand.
constexpr text_field<triage_text> triage_texts[]{{"name", &triage_text::name}, {"text", &triage_text::text}};

constexpr text_field<report_flag_spec> report_flag_texts[]{{"id", &report_flag_spec::id}, {"text", &report_flag_spec::text}};

constexpr parameter_field<assessment_spec> assessment_parameters[]{
    {"report_noise_sd", &assessment_spec::report_noise_sd, number_range::closed(0.01, 2.0)},
    {"outlier_probability", &assessment_spec::outlier_probability, number_range::open(0.0, 0.5)},
    {"worsening_rise", &assessment_spec::worsening_rise, number_range::open(0.0, 10.0)},
    {"worsening_noise_z", &assessment_spec::worsening_noise_z, number_range::closed(0.0, 5.0)},
    {"immediate_reaction_hours", &assessment_spec::immediate_reaction_hours, number_range::closed(0.0, 24.0)},
    {"mild_from", &assessment_spec::mild_from, number_range::open(0.0, 10.0)},
    {"moderate_from", &assessment_spec::moderate_from, number_range::open(0.0, 10.0)},
    {"severe_from", &assessment_spec::severe_from, number_range::open(0.0, 10.0)},
    {"very_severe_from", &assessment_spec::very_severe_from, number_range::open(0.0, 10.0)}};

// A red-flag rule is read as id, text, sign, level but written as id, level, text, sign.
constexpr text_field<red_flag_rule> red_flag_id{"id", &red_flag_rule::id};
constexpr text_field<red_flag_rule> red_flag_texts[]{{"text", &red_flag_rule::text}, {"sign", &red_flag_rule::sign, text_presence::optional}};

// A red-flag condition's bare numbers, in three runs: lists and a flag sit between them.
constexpr number_field<red_flag_condition> severity_and_timing_conditions[]{
    {"min_severity", &red_flag_condition::min_severity, number_range::closed(0.0, 10.0)},
    {"from_day", &red_flag_condition::from_day, number_range::closed(0.0, max_window_days)},
    {"to_day", &red_flag_condition::to_day, number_range::closed(0.0, max_window_days)},
    {"present_after_day", &red_flag_condition::present_after_day, number_range::closed(0.0, max_window_days)}};
constexpr number_field<red_flag_condition> above_p95_conditions[]{
    {"above_p95_by_points", &red_flag_condition::above_p95_by_points, number_range::closed(0.0, 10.0)},
    {"above_p95_by_fraction", &red_flag_condition::above_p95_by_fraction, number_range::closed(0.0, 10.0)}};
constexpr number_field<red_flag_condition> healing_conditions[]{
    {"healing_slower_than", &red_flag_condition::healing_slower_than, number_range::open(0.5, 1.0)},
    {"expected_to_last_beyond_day", &red_flag_condition::expected_to_last_beyond_day, number_range::closed(0.0, max_window_days)}};

constexpr text_field<protocol_spec> protocol_texts[]{{"id", &protocol_spec::id},
                                                     {"name", &protocol_spec::name},
                                                     {"treatment", &protocol_spec::treatment},
                                                     {"text", &protocol_spec::text, text_presence::optional}};
constexpr parameter_field<protocol_spec> protocol_parameters[]{{"sessions", &protocol_spec::sessions, number_range::closed(1.0, 1000.0)}};
/// In the "interval_days" object.
constexpr parameter_field<protocol_spec> interval_parameters[]{
    {"target", &protocol_spec::interval_target_days, number_range::left_open(0.0, max_window_days)},
    {"min", &protocol_spec::interval_min_days, number_range::left_open(0.0, max_window_days)},
    {"max", &protocol_spec::interval_max_days, number_range::left_open(0.0, max_window_days)}};
constexpr parameter_field<maintenance_spec> maintenance_parameters[]{
    {"interval_days", &maintenance_spec::interval_days, number_range::left_open(0.0, max_window_days)},
    {"results_fraction", &maintenance_spec::results_fraction, number_range::open(0.0, 1.0)}};

// A follow-up is read as id, text, after_days, after but written as id, after_days, after, text.
constexpr text_field<follow_up_spec> follow_up_id{"id", &follow_up_spec::id};
constexpr text_field<follow_up_spec> follow_up_text{"text", &follow_up_spec::text};
constexpr parameter_field<follow_up_spec> follow_up_after_days{"after_days", &follow_up_spec::after_days, number_range::non_negative()};

constexpr parameter_field<planning_spec> planning_parameters[]{
    {"recovery_confidence", &planning_spec::recovery_confidence, number_range::open(0.0, 1.0)},
    {"event_confidence", &planning_spec::event_confidence, number_range::open(0.0, 1.0)}};

// ---- reading ------------------------------------------------------------------------------

/// Iterates an array member, calling f(element, path) for each element that is an object.
template <typename F>
void for_each_object(reader& in, const json& parent, const std::string& path, std::string_view key, bool required, F&& f) {
  const json* array = in.member(parent, path, key, required);
  const std::string here = member_path(path, key);
  if (!array || !in.expect_array(*array, here)) return;
  for (std::size_t i = 0; i < array->size(); ++i)
    if (in.expect_object((*array)[i], index_path(here, i))) f((*array)[i], index_path(here, i));
}

/// The member `key` if it is an object; nullptr (and a problem, unless it is optional and
/// missing) otherwise.
const json* member_object(reader& in, const json& parent, const std::string& path, std::string_view key, bool required) {
  const json* object = in.member(parent, path, key, required);
  return object && in.expect_object(*object, member_path(path, key)) ? object : nullptr;
}

/// Reads a nested object that holds nothing but the fields given; false when it is missing or
/// not an object, so that checks across its fields can be skipped.
template <typename T, typename... Parts>
bool read_nested(reader& in, const json& parent, const std::string& path, std::string_view key, bool required, T& out,
                 const Parts&... parts) {
  const json* object = member_object(in, parent, path, key, required);
  if (!object) return false;
  const std::string here = member_path(path, key);
  in.reject_unknown_keys(*object, here, known_keys(parts...));
  read_fields(in, *object, here, out, parts...);
  return true;
}

template <typename T>
void check_unique_ids(reader& in, const std::vector<T>& items, const std::string& path) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].id.empty()) continue;
    if (!seen.insert(items[i].id).second) in.fail(index_path(path, i) + ".id", "'" + items[i].id + "' is used twice", problem_code::conflict);
  }
}

/// The caller rejects unknown keys: an effect's curve has one more than the results curve.
curve_spec read_curve(reader& in, const json& object, const std::string& path) {
  curve_spec curve;
  curve.shape = in.string(object, path, "shape", false);
  if (curve.shape.empty()) curve.shape = "bateman";
  if (curve.shape != "bateman") in.fail(member_path(path, "shape"), "'" + curve.shape + "' is not a known shape (known: bateman)");
  read_fields(in, object, path, curve, curve_parameters);
  const double limit = curve.half_life_days.value / std::numbers::ln2;
  if (curve.half_life_days.value > 0 && curve.time_to_peak_days.value >= limit)
    in.fail(member_path(path, "time_to_peak_days.value"),
            "is " + std::to_string(curve.time_to_peak_days.value) + ", but must be < half_life_days / ln 2 = " +
                std::to_string(limit) + " for a rise-and-decay curve", problem_code::conflict);
  return curve;
}

effect_spec read_effect(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, known_keys(effect_texts, effect_parameters, "curve", "variability"));
  effect_spec effect;
  read_fields(in, object, path, effect, effect_texts, effect_parameters);
  if (const json* curve = member_object(in, object, path, "curve", true)) {
    const std::string here = member_path(path, "curve");
    in.reject_unknown_keys(*curve, here, known_keys("shape", curve_parameters, effect_curve_parameters));
    effect.curve = read_curve(in, *curve, here);
    read_fields(in, *curve, here, effect, effect_curve_parameters);
  }
  // The quadrature resolves the healing-time term on the scale of the peak term; when healing
  // varies far more than the peak, the integrand becomes a step the rule cannot follow.
  if (read_nested(in, object, path, "variability", true, effect, variability_parameters) &&
      effect.healing_time_sd.value > 3.0 * effect.peak_sd.value && effect.peak_sd.value > 0.0)
    in.fail(member_path(path, "variability.healing_time_sd.value"),
            "is more than 3 times peak_sd, beyond what the projection is verified for", problem_code::conflict);
  return effect;
}

std::vector<target_adjustment> read_targets(reader& in, const json& object, const std::string& path) {
  std::vector<target_adjustment> targets;
  for_each_object(in, object, path, "targets", false, [&](const json& t, const std::string& here) {
    in.reject_unknown_keys(t, here, known_keys(target_texts, target_factors));
    read_fields(in, t, here, targets.emplace_back(), target_texts, target_factors);
  });
  return targets;
}

modifier_spec read_modifier(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, known_keys(modifier_texts, "category", modifier_kind_of, "washout", "targets"));
  modifier_spec m;
  read_fields(in, object, path, m, modifier_texts);
  const std::string category = in.string(object, path, "category");
  if (category == "procedure") m.category = modifier_category::procedure;
  else if (category != "patient" && !category.empty())
    in.fail(member_path(path, "category"), "'" + category + "' is not a category (known: patient, procedure)");
  read_field(in, object, path, modifier_kind_of, m);
  if (const json* washout = member_object(in, object, path, "washout", false)) {
    const std::string here = member_path(path, "washout");
    in.reject_unknown_keys(*washout, here, known_keys(washout_days, "plan_may_pause"));
    read_field(in, *washout, here, washout_days, m, /*required=*/true);
    m.plan_may_pause = in.boolean(*washout, here, "plan_may_pause", true);
  }
  m.targets = read_targets(in, object, path);
  return m;
}

treatment_spec read_treatment(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, known_keys(treatment_texts, "targets"));
  treatment_spec t;
  read_fields(in, object, path, t, treatment_texts);
  t.targets = read_targets(in, object, path);
  return t;
}

risk_spec read_risk(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, known_keys(risk_texts, risk_parameters, "onset_days"));
  risk_spec r;
  read_fields(in, object, path, r, risk_texts, risk_parameters);
  if (read_nested(in, object, path, "onset_days", true, r, onset_parameters) && r.onset_to_days.value < r.onset_from_days.value)
    in.fail(member_path(path, "onset_days.to.value"), "is before onset_days.from", problem_code::conflict);
  return r;
}

aftercare_spec read_aftercare(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, known_keys(aftercare_id, aftercare_name, "kind", aftercare_text, aftercare_days));
  aftercare_spec a;
  read_fields(in, object, path, a, aftercare_id, aftercare_name, aftercare_text);
  const std::string kind = in.string(object, path, "kind");
  if (kind == "avoid") a.kind = aftercare_kind::avoid;
  else if (kind == "follow_up") a.kind = aftercare_kind::follow_up;
  else if (kind != "advice" && !kind.empty())
    in.fail(member_path(path, "kind"), "'" + kind + "' is not a kind (known: avoid, advice, follow_up)");
  read_field(in, object, path, aftercare_days, a, /*required=*/a.kind != aftercare_kind::advice);
  // A window's text says how long it lasts with {duration}, filled in from its days, so that the
  // words and the dates cannot disagree; advice has no days to say.
  if (a.kind == aftercare_kind::advice) check_placeholders(in, member_path(path, "text"), a.text, {});
  else check_placeholders(in, member_path(path, "text"), a.text, {"duration"});
  return a;
}

bool read_flag(reader& in, const json& object, const std::string& path, std::string_view key) {
  const json* b = in.member(object, path, key, false);
  if (!b) return false;
  if (!b->is_boolean()) in.fail(member_path(path, key), "is " + io::describe_type(*b) + ", but must be true or false");
  return b->is_boolean() && b->get<bool>();
}

std::vector<std::string> read_statuses(reader& in, const json& when, const std::string& here) {
  std::vector<std::string> statuses = in.string_list(when, here, "statuses_any");
  for (std::size_t i = 0; i < statuses.size(); ++i)
    if (std::find(status_ids.begin(), status_ids.end(), statuses[i]) == status_ids.end())
      in.fail(index_path(member_path(here, "statuses_any"), i),
              "'" + statuses[i] + "' is not a status (known: resolved, better_than_expected, as_expected, "
                                  "slower_than_expected, worsening, unexpected)");
  return statuses;
}

/// Conditions that are each valid but make no sense together, or a rule that would always fire.
void check_condition(reader& in, const json& when, const std::string& here, const red_flag_condition& w) {
  if (w.from_day && w.to_day && *w.to_day < *w.from_day) in.fail(member_path(here, "to_day"), "is before from_day", problem_code::conflict);
  if (!w.together.empty() && !w.min_severity) in.fail(member_path(here, "together"), "needs min_severity", problem_code::conflict);
  if (w.unless_expected && w.present_after_day == std::nullopt && w.statuses_any.empty())
    in.fail(member_path(here, "unless_expected"), "qualifies present_after_day or statuses_any, and neither is given", problem_code::conflict);
  if (when.empty() || (when.size() == 1 && (when.contains("unless_expected") || when.contains("min_reports"))))
    in.fail(here, "has no condition, so the rule would always fire");
}

red_flag_condition read_condition(reader& in, const json& when, const std::string& here) {
  in.reject_unknown_keys(when, here,
                         known_keys("flags_any", "symptoms_any", severity_and_timing_conditions, "unless_expected", "statuses_any",
                                    above_p95_conditions, "together", healing_conditions, "min_reports"));
  red_flag_condition w;
  w.flags_any = in.string_list(when, here, "flags_any");
  w.symptoms_any = in.string_list(when, here, "symptoms_any");
  read_fields(in, when, here, w, severity_and_timing_conditions);
  w.unless_expected = read_flag(in, when, here, "unless_expected");
  w.statuses_any = read_statuses(in, when, here);
  read_fields(in, when, here, w, above_p95_conditions);
  w.together = in.string_list(when, here, "together");
  read_fields(in, when, here, w, healing_conditions);
  if (const auto n = in.number(when, here, "min_reports", false, number_range::closed(1.0, 100.0))) {
    if (*n != std::floor(*n)) in.fail(member_path(here, "min_reports"), "must be a whole number");
    w.min_reports = static_cast<int>(*n);
  }
  check_condition(in, when, here, w);
  return w;
}

red_flag_rule read_red_flag(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, known_keys(red_flag_id, "level", red_flag_texts, "in_leaflet", "when", "evidence", "convention"));
  red_flag_rule rule;
  read_fields(in, object, path, rule, red_flag_id, red_flag_texts);
  if (object.contains("sign") && object["sign"].is_string() && rule.sign.empty()) in.fail(member_path(path, "sign"), "is empty");
  if (rule.sign.empty()) rule.sign = rule.text;
  const std::string level = in.string(object, path, "level");
  if (auto parsed = triage_from(level)) rule.level = *parsed;
  else if (!level.empty())
    in.fail(member_path(path, "level"), "'" + level + "' is not a triage level (known: self_care, contact_provider, urgent, emergency)");
  rule.evidence = in.string_list(object, path, "evidence");
  for (std::size_t i = 0; i < rule.evidence.size(); ++i) in.cite(index_path(member_path(path, "evidence"), i), rule.evidence[i]);
  rule.in_leaflet = !object.contains("in_leaflet") || in.boolean(object, path, "in_leaflet");
  rule.convention = in.boolean(object, path, "convention");
  if (rule.evidence.empty() && !rule.convention) in.fail(path, "cites no evidence and is not marked as a convention");
  if (const json* when = member_object(in, object, path, "when", true)) rule.when = read_condition(in, *when, member_path(path, "when"));
  return rule;
}

follow_up_after read_follow_up_after(reader& in, const json& object, const std::string& path) {
  const std::string after = in.string(object, path, "after", false);
  if (after.empty() || after == "each_session") return follow_up_after::each_session;
  if (after != "last_session")
    in.fail(member_path(path, "after"), "'" + after + "' is not a choice (known: each_session, last_session)");
  return follow_up_after::last_session;
}

follow_up_spec read_follow_up(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, known_keys(follow_up_id, follow_up_after_days, "after", follow_up_text));
  follow_up_spec f;
  read_fields(in, object, path, f, follow_up_id, follow_up_text, follow_up_after_days);
  f.after = read_follow_up_after(in, object, path);
  return f;
}

/// A protocol's recovery gate: its requirement, which reads like a parameter's value (with
/// `evidence` and/or an `assumption`, and a `note`), the effects it looks at and its confidence.
/// The effect ids are checked with the model's other references.
std::optional<gate_spec> read_gate(reader& in, const json& protocol, const std::string& path) {
  const json* object = member_object(in, protocol, path, "gate", false);
  if (!object) return std::nullopt;
  const std::string here = member_path(path, "gate");
  in.reject_unknown_keys(*object, here, {"require", "effects", "confidence", "evidence", "assumption", "note"});
  gate_spec gate;
  const std::string require = in.string(*object, here, "require");
  if (auto named = gate_requirement_named(require)) gate.require = *named;
  else if (!require.empty())
    in.fail(member_path(here, "require"), "'" + require + "' is not a requirement (known: resolved, at_most_mild, not_visible)",
            problem_code::unknown_id);
  gate.effects = in.string_list(*object, here, "effects");
  const std::string effects_path = member_path(here, "effects");
  if (object->contains("effects") && (*object)["effects"].is_array() && (*object)["effects"].empty())
    in.fail(effects_path, "is empty; leave it out for a gate on every effect");
  for (std::size_t i = 0; i < gate.effects.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (gate.effects[k] == gate.effects[i])
        in.fail(index_path(effects_path, i), "'" + gate.effects[i] + "' is listed twice", problem_code::conflict);
  gate.confidence = in.optional_param(*object, here, "confidence", number_range::open(0.0, 1.0));
  in.read_provenance(*object, here, gate.evidence, gate.assumption, gate.note, "a gate needs one, as every number does");
  return gate;
}

protocol_spec read_protocol(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path,
                         known_keys(protocol_texts, protocol_parameters, "interval_days", "gate", "follow_ups", "maintenance"));
  protocol_spec p;
  read_fields(in, object, path, p, protocol_texts, protocol_parameters);
  if (p.sessions.value != std::floor(p.sessions.value))
    in.fail(member_path(path, "sessions.value"), "must be a whole number");
  if (read_nested(in, object, path, "interval_days", true, p, interval_parameters) &&
      !(p.interval_min_days.value <= p.interval_target_days.value && p.interval_target_days.value <= p.interval_max_days.value))
    in.fail(member_path(path, "interval_days"), "must satisfy min <= target <= max", problem_code::conflict);
  p.gate = read_gate(in, object, path);
  for_each_object(in, object, path, "follow_ups", false,
                  [&](const json& f, const std::string& here) { p.follow_ups.push_back(read_follow_up(in, f, here)); });
  if (maintenance_spec maintenance; read_nested(in, object, path, "maintenance", false, maintenance, maintenance_parameters))
    p.maintenance = maintenance;
  return p;
}

void read_evidence(reader& in, const json& root, model& m) {
  const json* table = member_object(in, root, "", "evidence", true);
  if (!table) return;
  for (const auto& [key, entry] : table->items()) {
    const std::string here = member_path("evidence", key);
    if (!in.expect_object(entry, here)) continue;
    in.reject_unknown_keys(entry, here, known_keys(evidence_texts));
    evidence_source source;
    source.key = key;
    read_fields(in, entry, here, source, evidence_texts);
    if (!source.strength.empty() && std::find(strengths.begin(), strengths.end(), source.strength) == strengths.end()) {
      std::string known;
      for (auto s : strengths) known += (known.empty() ? "" : ", ") + std::string(s);
      in.fail(member_path(here, "strength"), "'" + source.strength + "' is not a strength (known: " + known + ")");
    }
    m.evidence.push_back(std::move(source));
  }
}

void read_results(reader& in, const json& root, model& m) {
  const json* results = member_object(in, root, "", "results", true);
  if (!results) return;
  in.reject_unknown_keys(*results, "results", known_keys(results_texts, results_parameters, "curve"));
  read_fields(in, *results, "results", m.results, results_texts, results_parameters);
  if (const json* curve = member_object(in, *results, "results", "curve", true)) {
    in.reject_unknown_keys(*curve, "results.curve", known_keys("shape", curve_parameters));
    m.results.curve = read_curve(in, *curve, "results.curve");
  }
}

void read_severity_scale(reader& in, const json& root, model& m) {
  if (read_nested(in, root, "", "severity_scale", true, m, severity_scale_parameters) &&
      m.resolved_threshold.value > m.visible_threshold.value)
    in.fail("severity_scale.resolved.value", "must not be above severity_scale.visible", problem_code::conflict);
}

/// The assessment's numbers, its default rating scale, and severity ranges in ascending order.
void read_assessment(reader& in, const json& root, model& m) {
  const json* object = member_object(in, root, "", "assessment", true);
  if (!object) return;
  in.reject_unknown_keys(*object, "assessment", known_keys(assessment_parameters, "default_scale"));
  read_fields(in, *object, "assessment", m.assessment, assessment_parameters);
  const std::string scale = in.string(*object, "assessment", "default_scale");
  if (auto named = rating_scale_named(scale)) m.assessment.default_scale = *named;
  else if (object->contains("default_scale"))
    in.fail("assessment.default_scale", "'" + scale + "' is not a rating scale (known: whole_0_10, real_0_10, grade_0_4, category)",
            problem_code::unknown_id);
  const auto& a = m.assessment;
  const std::pair<const char*, const parameter*> ranges[] = {
      {"mild_from", &a.mild_from}, {"moderate_from", &a.moderate_from}, {"severe_from", &a.severe_from}, {"very_severe_from", &a.very_severe_from}};
  for (std::size_t i = 1; i < std::size(ranges); ++i)
    if (ranges[i].second->value <= ranges[i - 1].second->value)
      in.fail(std::string("assessment.") + ranges[i].first + ".value", std::string("must be above assessment.") + ranges[i - 1].first,
              problem_code::conflict);
}

void read_report_flags(reader& in, const json& root, model& m) {
  for_each_object(in, root, "", "report_flags", true, [&](const json& f, const std::string& here) {
    in.reject_unknown_keys(f, here, known_keys(report_flag_texts));
    read_fields(in, f, here, m.report_flags.emplace_back(), report_flag_texts);
  });
}

void read_triage_levels(reader& in, const json& root, model& m) {
  for_each_object(in, root, "", "triage_levels", true, [&](const json& t, const std::string& here) {
    in.reject_unknown_keys(t, here, known_keys("id", triage_texts));
    const std::string id = in.string(t, here, "id");
    if (auto level = triage_from(id)) {
      triage_text& text = m.triage_levels.emplace_back();
      text.level = *level;
      read_fields(in, t, here, text, triage_texts);
      // The name heads the leaflet's list of warning signs at this level: it cannot be blank.
      if (text.name.empty() && t.contains("name")) in.fail(member_path(here, "name"), "is empty");
    }
    else if (!id.empty()) in.fail(member_path(here, "id"), "'" + id + "' is not a triage level");
  });
  for (std::size_t i = 0; i < triage_ids.size(); ++i)
    if (std::none_of(m.triage_levels.begin(), m.triage_levels.end(),
                     [&](const triage_text& t) { return t.level == static_cast<triage_level>(i); }))
      in.fail("triage_levels", std::string("has no text for '") + triage_ids[i] + "'");
}

std::string known_effects(const model& m) {
  std::string out;
  for (const auto& e : m.effects) out += (out.empty() ? "" : ", ") + e.id;
  return out;
}

/// Cross-references: ids that must exist elsewhere in the model.
void check_references(reader& in, const model& m) {
  for (const auto& [path, key] : in.evidence_citations())
    if (!m.find_evidence(key)) in.fail(path, "'" + key + "' is not in the evidence table", problem_code::unknown_id);
  if (!m.default_treatment.empty() && !m.find_treatment(m.default_treatment))
    in.fail("default_treatment", "'" + m.default_treatment + "' is not a treatment in this model", problem_code::unknown_id);
  const auto check_targets = [&](const std::vector<target_adjustment>& targets, const std::string& path) {
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (!targets[i].target.empty() && !m.find_effect(targets[i].target) && !m.find_risk(targets[i].target))
        in.fail(index_path(path, i) + ".target", "'" + targets[i].target + "' is neither an effect nor a risk", problem_code::unknown_id);
  };
  for (std::size_t i = 0; i < m.modifiers.size(); ++i) {
    const auto& modifier = m.modifiers[i];
    check_targets(modifier.targets, index_path("modifiers", i) + ".targets");
    if (!modifier.kind_of.empty() && (!m.find_modifier(modifier.kind_of) || modifier.kind_of == modifier.id))
      in.fail(index_path("modifiers", i) + ".kind_of", "'" + modifier.kind_of + "' is not another modifier", problem_code::unknown_id);
    else if (!modifier.kind_of.empty() && m.is_kind_of(modifier.kind_of, modifier.id))
      in.fail(index_path("modifiers", i) + ".kind_of", "'" + modifier.kind_of + "' is itself a kind of '" + modifier.id +
                                                           "': kinds must lead up to a broadest modifier, not round in a loop",
              problem_code::conflict);
  }
  for (std::size_t i = 0; i < m.treatments.size(); ++i) check_targets(m.treatments[i].targets, index_path("treatments", i) + ".targets");
  for (std::size_t i = 0; i < m.protocols.size(); ++i) {
    const auto& protocol = m.protocols[i];
    if (!protocol.treatment.empty() && !m.find_treatment(protocol.treatment))
      in.fail(index_path("protocols", i) + ".treatment", "'" + protocol.treatment + "' is not a treatment", problem_code::unknown_id);
    if (!protocol.gate) continue;
    for (std::size_t k = 0; k < protocol.gate->effects.size(); ++k)
      if (const auto& id = protocol.gate->effects[k]; !id.empty() && !m.find_effect(id))
        in.fail(index_path(index_path("protocols", i) + ".gate.effects", k), "'" + id + "' is not an effect (known: " + known_effects(m) + ")",
                problem_code::unknown_id);
  }
  for (std::size_t i = 0; i < m.red_flags.size(); ++i) {
    const auto& when = m.red_flags[i].when;
    const std::string here = index_path("red_flags", i) + ".when.";
    const auto check_ids = [&](const std::vector<std::string>& ids, const std::string& key, auto&& known, const char* what) {
      for (std::size_t k = 0; k < ids.size(); ++k)
        if (!known(ids[k])) in.fail(index_path(here + key, k), "'" + ids[k] + "' is not " + what, problem_code::unknown_id);
    };
    const auto is_effect = [&](const std::string& id) { return m.find_effect(id) != nullptr; };
    check_ids(when.symptoms_any, "symptoms_any", is_effect, "an effect");
    check_ids(when.together, "together", is_effect, "an effect");
    check_ids(when.flags_any, "flags_any", [&](const std::string& id) { return m.find_report_flag(id) != nullptr; },
              "in report_flags");
  }
}

// ---- writing ------------------------------------------------------------------------------

json to_json_value(const curve_spec& c) {
  json out{{"shape", c.shape}};
  write_fields(out, c, curve_parameters);
  return out;
}

json to_json_value(const effect_spec& e) {
  json out = fields_to_json(e, effect_texts, effect_parameters);
  out["curve"] = to_json_value(e.curve);
  write_fields(out["curve"], e, effect_curve_parameters);
  out["variability"] = fields_to_json(e, variability_parameters);
  return out;
}

json to_json_value(const std::vector<target_adjustment>& targets) {
  json out = json::array();
  for (const auto& t : targets) out.push_back(fields_to_json(t, target_texts, target_factors));
  return out;
}

json to_json_value(const modifier_spec& mod) {
  json out = fields_to_json(mod, modifier_texts);
  out["category"] = std::string(to_string(mod.category));
  write_field(out, mod, modifier_kind_of);
  if (mod.washout_days) {
    out["washout"] = fields_to_json(mod, washout_days);
    out["washout"]["plan_may_pause"] = mod.plan_may_pause;
  }
  out["targets"] = to_json_value(mod.targets);
  return out;
}

json to_json_value(const treatment_spec& t) {
  json out = fields_to_json(t, treatment_texts);
  out["targets"] = to_json_value(t.targets);
  return out;
}

json to_json_value(const risk_spec& r) {
  json out = fields_to_json(r, risk_texts, risk_parameters);
  out["onset_days"] = fields_to_json(r, onset_parameters);
  return out;
}

json to_json_value(const aftercare_spec& a) {
  json out = fields_to_json(a, aftercare_id, aftercare_name);
  out["kind"] = std::string(to_string(a.kind));
  write_fields(out, a, aftercare_text, aftercare_days);
  return out;
}

json to_json_value(const triage_text& t) {
  json out{{"id", std::string(to_string(t.level))}};
  write_fields(out, t, triage_texts);
  return out;
}

json to_json_value(const red_flag_condition& w) {
  json out = json::object();
  if (!w.flags_any.empty()) out["flags_any"] = w.flags_any;
  if (!w.symptoms_any.empty()) out["symptoms_any"] = w.symptoms_any;
  write_fields(out, w, severity_and_timing_conditions);
  if (w.unless_expected) out["unless_expected"] = true;
  if (!w.statuses_any.empty()) out["statuses_any"] = w.statuses_any;
  write_fields(out, w, above_p95_conditions);
  if (!w.together.empty()) out["together"] = w.together;
  write_fields(out, w, healing_conditions);
  if (w.min_reports > 1) out["min_reports"] = w.min_reports;
  return out;
}

json to_json_value(const red_flag_rule& r) {
  json out = fields_to_json(r, red_flag_id);
  out["level"] = std::string(to_string(r.level));
  write_fields(out, r, red_flag_texts);
  if (!r.in_leaflet) out["in_leaflet"] = false;
  out["when"] = to_json_value(r.when);
  if (!r.evidence.empty()) out["evidence"] = r.evidence;
  if (r.convention) out["convention"] = true;
  return out;
}

json to_json_value(const follow_up_spec& f) {
  json out = fields_to_json(f, follow_up_id, follow_up_after_days);
  out["after"] = std::string(to_string(f.after));
  write_field(out, f, follow_up_text);
  return out;
}

json to_json_value(const gate_spec& g) {
  json out{{"require", std::string(to_string(g.require))}};
  if (!g.effects.empty()) out["effects"] = g.effects;
  if (g.confidence) out["confidence"] = to_json_value(*g.confidence);
  write_provenance(out, g.evidence, g.assumption, g.note);
  return out;
}

json to_json_value(const protocol_spec& p) {
  json out = fields_to_json(p, protocol_texts, protocol_parameters);
  out["interval_days"] = fields_to_json(p, interval_parameters);
  if (p.gate) out["gate"] = to_json_value(*p.gate);
  out["follow_ups"] = json::array();
  for (const auto& f : p.follow_ups) out["follow_ups"].push_back(to_json_value(f));
  if (p.maintenance) out["maintenance"] = fields_to_json(*p.maintenance, maintenance_parameters);
  return out;
}

json to_json_value(const std::vector<evidence_source>& evidence) {
  json out = json::object();
  for (const auto& e : evidence) out[e.key] = fields_to_json(e, evidence_texts);
  return out;
}

}  // namespace

model parse_model(std::string_view json_text, std::string_view source) {
  const json root = io::parse_json_text(json_text, source);
  reader in;
  model m;
  if (!in.expect_object(root, "")) in.throw_if_failed(source);
  in.reject_unknown_keys(root, "",
                         known_keys(model_texts, "severity_scale", "evidence", "effects", "results", "modifiers", "treatments",
                                    "risks", "aftercare", "report_flags", "assessment", "triage_levels", "red_flags", "protocols",
                                    "planning", "wording"));
  read_fields(in, root, "", m, model_texts);
  read_severity_scale(in, root, m);
  read_evidence(in, root, m);
  for_each_object(in, root, "", "effects", true, [&](const json& o, const std::string& p) { m.effects.push_back(read_effect(in, o, p)); });
  if (m.effects.empty() && root.contains("effects")) in.fail("effects", "must list at least one effect");
  read_results(in, root, m);
  for_each_object(in, root, "", "modifiers", false, [&](const json& o, const std::string& p) { m.modifiers.push_back(read_modifier(in, o, p)); });
  for_each_object(in, root, "", "treatments", true, [&](const json& o, const std::string& p) { m.treatments.push_back(read_treatment(in, o, p)); });
  for_each_object(in, root, "", "risks", false, [&](const json& o, const std::string& p) { m.risks.push_back(read_risk(in, o, p)); });
  for_each_object(in, root, "", "aftercare", false, [&](const json& o, const std::string& p) { m.aftercare.push_back(read_aftercare(in, o, p)); });
  read_triage_levels(in, root, m);
  read_report_flags(in, root, m);
  read_assessment(in, root, m);
  for_each_object(in, root, "", "red_flags", false, [&](const json& o, const std::string& p) { m.red_flags.push_back(read_red_flag(in, o, p)); });
  for_each_object(in, root, "", "protocols", false, [&](const json& o, const std::string& p) { m.protocols.push_back(read_protocol(in, o, p)); });
  read_nested(in, root, "", "planning", true, m.planning, planning_parameters);
  io::read_wording(in, root, m);

  check_unique_ids(in, m.effects, "effects");
  check_unique_ids(in, m.modifiers, "modifiers");
  check_unique_ids(in, m.treatments, "treatments");
  check_unique_ids(in, m.risks, "risks");
  check_unique_ids(in, m.aftercare, "aftercare");
  check_unique_ids(in, m.red_flags, "red_flags");
  check_unique_ids(in, m.report_flags, "report_flags");
  check_unique_ids(in, m.protocols, "protocols");
  check_references(in, m);
  if (!in.ok()) {
    in.set_source(source);
    in.throw_if_failed();
  }
  return m;
}

const model& default_model() {
  static const model embedded = parse_model(detail::default_model_json(), "embedded mesotherapy_face model");
  return embedded;
}

std::string to_json(const model& m, int indent) {
  json out = fields_to_json(m, model_texts);
  out["severity_scale"] = fields_to_json(m, severity_scale_parameters);
  out["evidence"] = to_json_value(m.evidence);
  // Every list the reader requires is written, empty or not: an empty one loads, so it must come back.
  out["effects"] = json::array();
  for (const auto& e : m.effects) out["effects"].push_back(to_json_value(e));
  out["results"] = fields_to_json(m.results, results_texts, results_parameters);
  out["results"]["curve"] = to_json_value(m.results.curve);
  out["modifiers"] = json::array();
  for (const auto& mod : m.modifiers) out["modifiers"].push_back(to_json_value(mod));
  out["treatments"] = json::array();
  for (const auto& t : m.treatments) out["treatments"].push_back(to_json_value(t));
  out["risks"] = json::array();
  for (const auto& r : m.risks) out["risks"].push_back(to_json_value(r));
  out["aftercare"] = json::array();
  for (const auto& a : m.aftercare) out["aftercare"].push_back(to_json_value(a));
  out["triage_levels"] = json::array();
  for (const auto& t : m.triage_levels) out["triage_levels"].push_back(to_json_value(t));
  out["report_flags"] = json::array();
  for (const auto& f : m.report_flags) out["report_flags"].push_back(fields_to_json(f, report_flag_texts));
  out["assessment"] = fields_to_json(m.assessment, assessment_parameters);
  out["assessment"]["default_scale"] = to_string(m.assessment.default_scale);
  out["red_flags"] = json::array();
  for (const auto& r : m.red_flags) out["red_flags"].push_back(to_json_value(r));
  out["protocols"] = json::array();
  for (const auto& p : m.protocols) out["protocols"].push_back(to_json_value(p));
  out["planning"] = fields_to_json(m.planning, planning_parameters);
  out["wording"] = wording_to_json(m.wording);
  return out.dump(indent);
}

json wording_to_json(const wording_spec& wording) {
  json out = to_json_value(wording);
  out["leaflet"]["likely_from"] = to_json_value(wording.leaflet.likely_from);
  return out;
}

}  // namespace aftermath::io

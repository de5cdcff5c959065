// The model file: reading with full validation, and writing it back.
#include "json_reader.hpp"
#include "wording_json.hpp"

#include <aftermath/curve.hpp>
#include <aftermath/io/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <set>

namespace aftermath {
namespace detail {
std::string_view default_model_json();  // generated from src/models/mesotherapy_face.json
}  // namespace detail

namespace {

using io::index_path;
using io::json;
using io::member_path;
using io::number_range;
using io::reader;

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

std::optional<triage_level> triage_from(std::string_view id) {
  for (std::size_t i = 0; i < triage_ids.size(); ++i)
    if (id == triage_ids[i]) return static_cast<triage_level>(i);
  return std::nullopt;
}

/// Iterates an array member, calling f(element, path) for each element that is an object.
template <typename F>
void for_each_object(reader& in, const json& parent, const std::string& path, std::string_view key, bool required, F&& f) {
  const json* array = in.member(parent, path, key, required);
  const std::string here = member_path(path, key);
  if (!array || !in.expect_array(*array, here)) return;
  for (std::size_t i = 0; i < array->size(); ++i)
    if (in.expect_object((*array)[i], index_path(here, i))) f((*array)[i], index_path(here, i));
}

template <typename T>
void check_unique_ids(reader& in, const std::vector<T>& items, const std::string& path) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].id.empty()) continue;
    if (!seen.insert(items[i].id).second) in.fail(index_path(path, i) + ".id", "'" + items[i].id + "' is used twice");
  }
}

curve_spec read_curve(reader& in, const json& object, const std::string& path) {
  curve_spec curve;
  curve.shape = in.string(object, path, "shape", false);
  if (curve.shape.empty()) curve.shape = "bateman";
  if (curve.shape != "bateman") in.fail(member_path(path, "shape"), "'" + curve.shape + "' is not a known shape (known: bateman)");
  curve.lag_days = in.param(object, path, "lag_days", number_range::closed(0.0, max_curve_days));
  curve.time_to_peak_days = in.param(object, path, "time_to_peak_days", {0.0, max_curve_days, true, false});
  curve.half_life_days = in.param(object, path, "half_life_days", {1e-3, max_curve_days, false, false});
  const double limit = curve.half_life_days.value / std::numbers::ln2;
  if (curve.half_life_days.value > 0 && curve.time_to_peak_days.value >= limit)
    in.fail(member_path(path, "time_to_peak_days.value"),
            "is " + std::to_string(curve.time_to_peak_days.value) + ", but must be < half_life_days / ln 2 = " +
                std::to_string(limit) + " for a rise-and-decay curve");
  return curve;
}

effect_spec read_effect(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"id", "name", "text", "incidence", "curve", "variability"});
  effect_spec effect;
  effect.id = in.string(object, path, "id");
  effect.name = in.string(object, path, "name");
  effect.text = in.string(object, path, "text");
  effect.incidence = in.param(object, path, "incidence", number_range::open(0.0, 1.0));
  if (const json* curve = in.member(object, path, "curve", true); curve && in.expect_object(*curve, member_path(path, "curve"))) {
    const std::string here = member_path(path, "curve");
    in.reject_unknown_keys(*curve, here, {"shape", "lag_days", "time_to_peak_days", "half_life_days", "typical_peak"});
    effect.curve = read_curve(in, *curve, here);
    effect.typical_peak = in.param(*curve, here, "typical_peak", {0.0, 10.0, true, false});
  }
  if (const json* v = in.member(object, path, "variability", true); v && in.expect_object(*v, member_path(path, "variability"))) {
    const std::string here = member_path(path, "variability");
    in.reject_unknown_keys(*v, here, {"peak_sd", "healing_time_sd"});
    effect.peak_sd = in.param(*v, here, "peak_sd", {0.05, 2.0, false, false});
    effect.healing_time_sd = in.param(*v, here, "healing_time_sd", number_range::closed(0.0, 1.0));
    // The quadrature resolves the healing-time term on the scale of the peak term; when healing
    // varies far more than the peak, the integrand becomes a step the rule cannot follow.
    if (effect.healing_time_sd.value > 3.0 * effect.peak_sd.value && effect.peak_sd.value > 0.0)
      in.fail(member_path(here, "healing_time_sd.value"), "is more than 3 times peak_sd, beyond what the projection is verified for");
  }
  return effect;
}

std::vector<target_adjustment> read_targets(reader& in, const json& object, const std::string& path) {
  std::vector<target_adjustment> targets;
  for_each_object(in, object, path, "targets", false, [&](const json& t, const std::string& here) {
    in.reject_unknown_keys(t, here, {"target", "odds_ratio", "peak_multiplier", "duration_multiplier"});
    targets.push_back({in.string(t, here, "target"), in.optional_param(t, here, "odds_ratio", {0.0, max_factor, true, false}),
                       in.optional_param(t, here, "peak_multiplier", {0.0, max_factor, true, false}),
                       in.optional_param(t, here, "duration_multiplier", {0.0, max_factor, true, false})});
  });
  return targets;
}

modifier_spec read_modifier(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"id", "name", "text", "category", "kind_of", "washout", "targets"});
  modifier_spec m;
  m.id = in.string(object, path, "id");
  m.name = in.string(object, path, "name");
  m.text = in.string(object, path, "text", false);
  const std::string category = in.string(object, path, "category");
  if (category == "procedure") m.category = modifier_category::procedure;
  else if (category != "patient" && !category.empty())
    in.fail(member_path(path, "category"), "'" + category + "' is not a category (known: patient, procedure)");
  m.kind_of = in.string(object, path, "kind_of", false);
  if (const json* washout = in.member(object, path, "washout", false);
      washout && in.expect_object(*washout, member_path(path, "washout"))) {
    in.reject_unknown_keys(*washout, member_path(path, "washout"), {"days", "plan_may_pause"});
    m.washout_days = in.param(*washout, member_path(path, "washout"), "days", {0.0, max_window_days, true, false});
    m.plan_may_pause = in.boolean(*washout, member_path(path, "washout"), "plan_may_pause", true);
  }
  m.targets = read_targets(in, object, path);
  return m;
}

risk_spec read_risk(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"id", "name", "text", "probability", "onset_days"});
  risk_spec r;
  r.id = in.string(object, path, "id");
  r.name = in.string(object, path, "name");
  r.text = in.string(object, path, "text");
  r.probability = in.param(object, path, "probability", number_range::open(0.0, 1.0));
  if (const json* onset = in.member(object, path, "onset_days", true);
      onset && in.expect_object(*onset, member_path(path, "onset_days"))) {
    const std::string here = member_path(path, "onset_days");
    in.reject_unknown_keys(*onset, here, {"from", "to"});
    r.onset_from_days = in.param(*onset, here, "from", number_range::closed(0.0, max_window_days));
    r.onset_to_days = in.param(*onset, here, "to", number_range::closed(0.0, max_window_days));
    if (r.onset_to_days.value < r.onset_from_days.value)
      in.fail(member_path(here, "to.value"), "is before onset_days.from");
  }
  return r;
}

aftercare_spec read_aftercare(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"id", "kind", "text", "days"});
  aftercare_spec a;
  a.id = in.string(object, path, "id");
  a.text = in.string(object, path, "text");
  const std::string kind = in.string(object, path, "kind");
  if (kind == "avoid") a.kind = aftercare_kind::avoid;
  else if (kind == "follow_up") a.kind = aftercare_kind::follow_up;
  else if (kind != "advice" && !kind.empty())
    in.fail(member_path(path, "kind"), "'" + kind + "' is not a kind (known: avoid, advice, follow_up)");
  a.days = in.optional_param(object, path, "days", {0.0, max_window_days, true, false}, a.kind != aftercare_kind::advice);
  return a;
}

bool read_flag(reader& in, const json& object, const std::string& path, std::string_view key) {
  const json* b = in.member(object, path, key, false);
  if (!b) return false;
  if (!b->is_boolean()) in.fail(member_path(path, key), "is " + io::describe_type(*b) + ", but must be true or false");
  return b->is_boolean() && b->get<bool>();
}

constexpr std::array status_ids{"resolved", "better_than_expected", "as_expected", "slower_than_expected", "worsening", "unexpected"};

red_flag_condition read_condition(reader& in, const json& when, const std::string& here) {
  in.reject_unknown_keys(when, here, {"flags_any", "symptoms_any", "min_severity", "from_day", "to_day", "present_after_day",
                                      "unless_expected", "statuses_any", "above_p95_by_points", "above_p95_by_fraction",
                                      "together", "healing_slower_than", "expected_to_last_beyond_day", "min_reports"});
  red_flag_condition w;
  w.flags_any = in.string_list(when, here, "flags_any");
  w.symptoms_any = in.string_list(when, here, "symptoms_any");
  w.min_severity = in.number(when, here, "min_severity", false, number_range::closed(0.0, 10.0));
  w.from_day = in.number(when, here, "from_day", false, number_range::closed(0.0, max_window_days));
  w.to_day = in.number(when, here, "to_day", false, number_range::closed(0.0, max_window_days));
  w.present_after_day = in.number(when, here, "present_after_day", false, number_range::closed(0.0, max_window_days));
  w.unless_expected = read_flag(in, when, here, "unless_expected");
  w.statuses_any = in.string_list(when, here, "statuses_any");
  for (std::size_t i = 0; i < w.statuses_any.size(); ++i)
    if (std::find(status_ids.begin(), status_ids.end(), w.statuses_any[i]) == status_ids.end())
      in.fail(index_path(member_path(here, "statuses_any"), i),
              "'" + w.statuses_any[i] + "' is not a status (known: resolved, better_than_expected, as_expected, "
                                        "slower_than_expected, worsening, unexpected)");
  w.above_p95_by_points = in.number(when, here, "above_p95_by_points", false, number_range::closed(0.0, 10.0));
  w.above_p95_by_fraction = in.number(when, here, "above_p95_by_fraction", false, number_range::closed(0.0, 10.0));
  w.together = in.string_list(when, here, "together");
  w.healing_slower_than = in.number(when, here, "healing_slower_than", false, number_range::open(0.5, 1.0));
  w.expected_to_last_beyond_day =
      in.number(when, here, "expected_to_last_beyond_day", false, number_range::closed(0.0, max_window_days));
  if (const auto n = in.number(when, here, "min_reports", false, number_range::closed(1.0, 100.0))) {
    if (*n != std::floor(*n)) in.fail(member_path(here, "min_reports"), "must be a whole number");
    w.min_reports = static_cast<int>(*n);
  }
  if (w.from_day && w.to_day && *w.to_day < *w.from_day) in.fail(member_path(here, "to_day"), "is before from_day");
  if (!w.together.empty() && !w.min_severity) in.fail(member_path(here, "together"), "needs min_severity");
  if (w.unless_expected && w.present_after_day == std::nullopt && w.statuses_any.empty())
    in.fail(member_path(here, "unless_expected"), "qualifies present_after_day or statuses_any, and neither is given");
  if (when.empty() || (when.size() == 1 && (when.contains("unless_expected") || when.contains("min_reports"))))
    in.fail(here, "has no condition, so the rule would always fire");
  return w;
}

red_flag_rule read_red_flag(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"id", "level", "text", "sign", "when", "evidence", "convention"});
  red_flag_rule rule;
  rule.id = in.string(object, path, "id");
  rule.text = in.string(object, path, "text");
  rule.sign = in.string(object, path, "sign", false);
  if (object.contains("sign") && object["sign"].is_string() && rule.sign.empty()) in.fail(member_path(path, "sign"), "is empty");
  if (rule.sign.empty()) rule.sign = rule.text;
  const std::string level = in.string(object, path, "level");
  if (auto parsed = triage_from(level)) rule.level = *parsed;
  else if (!level.empty())
    in.fail(member_path(path, "level"), "'" + level + "' is not a triage level (known: self_care, contact_provider, urgent, emergency)");
  rule.evidence = in.string_list(object, path, "evidence");
  for (std::size_t i = 0; i < rule.evidence.size(); ++i) in.cite(index_path(member_path(path, "evidence"), i), rule.evidence[i]);
  rule.convention = in.boolean(object, path, "convention");
  if (rule.evidence.empty() && !rule.convention) in.fail(path, "cites no evidence and is not marked as a convention");
  if (const json* when = in.member(object, path, "when", true); when && in.expect_object(*when, member_path(path, "when")))
    rule.when = read_condition(in, *when, member_path(path, "when"));
  return rule;
}

follow_up_after read_follow_up_after(reader& in, const json& object, const std::string& path) {
  const std::string after = in.string(object, path, "after", false);
  if (after.empty() || after == "each_session") return follow_up_after::each_session;
  if (after != "last_session")
    in.fail(member_path(path, "after"), "'" + after + "' is not a choice (known: each_session, last_session)");
  return follow_up_after::last_session;
}

protocol_spec read_protocol(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"id", "name", "treatment", "text", "sessions", "interval_days", "follow_ups", "maintenance"});
  protocol_spec p;
  p.id = in.string(object, path, "id");
  p.name = in.string(object, path, "name");
  p.treatment = in.string(object, path, "treatment");
  p.text = in.string(object, path, "text", false);
  p.sessions = in.param(object, path, "sessions", {1.0, 1000.0, false, false});
  if (p.sessions.value != std::floor(p.sessions.value))
    in.fail(member_path(path, "sessions.value"), "must be a whole number");
  if (const json* interval = in.member(object, path, "interval_days", true);
      interval && in.expect_object(*interval, member_path(path, "interval_days"))) {
    const std::string here = member_path(path, "interval_days");
    in.reject_unknown_keys(*interval, here, {"target", "min", "max"});
    p.interval_target_days = in.param(*interval, here, "target", {0.0, max_window_days, true, false});
    p.interval_min_days = in.param(*interval, here, "min", {0.0, max_window_days, true, false});
    p.interval_max_days = in.param(*interval, here, "max", {0.0, max_window_days, true, false});
    if (!(p.interval_min_days.value <= p.interval_target_days.value && p.interval_target_days.value <= p.interval_max_days.value))
      in.fail(here, "must satisfy min <= target <= max");
  }
  for_each_object(in, object, path, "follow_ups", false, [&](const json& f, const std::string& here) {
    in.reject_unknown_keys(f, here, {"id", "after_days", "after", "text"});
    p.follow_ups.push_back({in.string(f, here, "id"), in.string(f, here, "text"),
                            in.param(f, here, "after_days", number_range::non_negative()), read_follow_up_after(in, f, here)});
  });
  if (const json* m = in.member(object, path, "maintenance", false); m && in.expect_object(*m, member_path(path, "maintenance"))) {
    const std::string here = member_path(path, "maintenance");
    in.reject_unknown_keys(*m, here, {"interval_days", "results_fraction"});
    p.maintenance = maintenance_spec{in.param(*m, here, "interval_days", {0.0, max_window_days, true, false}),
                                     in.param(*m, here, "results_fraction", number_range::open(0.0, 1.0))};
  }
  return p;
}

void read_planning(reader& in, const json& root, model& m) {
  const json* planning = in.member(root, "", "planning", true);
  if (!planning || !in.expect_object(*planning, "planning")) return;
  in.reject_unknown_keys(*planning, "planning", {"recovery_confidence", "event_confidence"});
  m.planning.recovery_confidence = in.param(*planning, "planning", "recovery_confidence", number_range::open(0.0, 1.0));
  m.planning.event_confidence = in.param(*planning, "planning", "event_confidence", number_range::open(0.0, 1.0));
}

void read_evidence(reader& in, const json& root, model& m) {
  const json* table = in.member(root, "", "evidence", true);
  if (!table || !in.expect_object(*table, "evidence")) return;
  for (const auto& [key, entry] : table->items()) {
    const std::string here = member_path("evidence", key);
    if (!in.expect_object(entry, here)) continue;
    in.reject_unknown_keys(entry, here, {"source", "strength", "url"});
    evidence_source source{key, in.string(entry, here, "source"), in.string(entry, here, "strength"), in.string(entry, here, "url", false)};
    if (!source.strength.empty() && std::find(strengths.begin(), strengths.end(), source.strength) == strengths.end()) {
      std::string known;
      for (auto s : strengths) known += (known.empty() ? "" : ", ") + std::string(s);
      in.fail(member_path(here, "strength"), "'" + source.strength + "' is not a strength (known: " + known + ")");
    }
    m.evidence.push_back(std::move(source));
  }
}

void read_results(reader& in, const json& root, model& m) {
  const json* results = in.member(root, "", "results", true);
  if (!results || !in.expect_object(*results, "results")) return;
  in.reject_unknown_keys(*results, "results", {"name", "text", "first_gain", "repeat_gain_ratio", "curve"});
  m.results.name = in.string(*results, "results", "name");
  m.results.text = in.string(*results, "results", "text");
  m.results.first_gain = in.param(*results, "results", "first_gain", number_range::positive());
  m.results.repeat_gain_ratio = in.param(*results, "results", "repeat_gain_ratio", {0.0, 1.0, true, false});
  if (const json* curve = in.member(*results, "results", "curve", true); curve && in.expect_object(*curve, "results.curve")) {
    in.reject_unknown_keys(*curve, "results.curve", {"shape", "lag_days", "time_to_peak_days", "half_life_days"});
    m.results.curve = read_curve(in, *curve, "results.curve");
  }
}

void read_severity_scale(reader& in, const json& root, model& m) {
  const json* scale = in.member(root, "", "severity_scale", true);
  if (!scale || !in.expect_object(*scale, "severity_scale")) return;
  in.reject_unknown_keys(*scale, "severity_scale", {"visible", "resolved"});
  m.visible_threshold = in.param(*scale, "severity_scale", "visible", {0.0, 10.0, true, false});
  m.resolved_threshold = in.param(*scale, "severity_scale", "resolved", {0.0, 10.0, true, false});
  if (m.resolved_threshold.value > m.visible_threshold.value)
    in.fail("severity_scale.resolved.value", "must not be above severity_scale.visible");
}

void read_assessment(reader& in, const json& root, model& m) {
  const json* a = in.member(root, "", "assessment", true);
  if (!a || !in.expect_object(*a, "assessment")) return;
  in.reject_unknown_keys(*a, "assessment", {"report_noise_sd", "outlier_probability", "worsening_rise"});
  m.assessment.report_noise_sd = in.param(*a, "assessment", "report_noise_sd", number_range::closed(0.01, 2.0));
  m.assessment.outlier_probability = in.param(*a, "assessment", "outlier_probability", number_range::open(0.0, 0.5));
  m.assessment.worsening_rise = in.param(*a, "assessment", "worsening_rise", number_range::open(0.0, 10.0));
}

void read_report_flags(reader& in, const json& root, model& m) {
  for_each_object(in, root, "", "report_flags", true, [&](const json& f, const std::string& here) {
    in.reject_unknown_keys(f, here, {"id", "text"});
    m.report_flags.push_back({in.string(f, here, "id"), in.string(f, here, "text")});
  });
}

void read_triage_levels(reader& in, const json& root, model& m) {
  for_each_object(in, root, "", "triage_levels", true, [&](const json& t, const std::string& here) {
    in.reject_unknown_keys(t, here, {"id", "name", "text"});
    const std::string id = in.string(t, here, "id");
    if (auto level = triage_from(id)) {
      m.triage_levels.push_back({*level, in.string(t, here, "name"), in.string(t, here, "text")});
      // The name heads the leaflet's list of warning signs at this level: it cannot be blank.
      if (m.triage_levels.back().name.empty() && t.contains("name")) in.fail(member_path(here, "name"), "is empty");
    }
    else if (!id.empty()) in.fail(member_path(here, "id"), "'" + id + "' is not a triage level");
  });
  for (std::size_t i = 0; i < triage_ids.size(); ++i)
    if (std::none_of(m.triage_levels.begin(), m.triage_levels.end(),
                     [&](const triage_text& t) { return t.level == static_cast<triage_level>(i); }))
      in.fail("triage_levels", std::string("has no text for '") + triage_ids[i] + "'");
}

/// Cross-references: ids that must exist elsewhere in the model.
void check_references(reader& in, const model& m) {
  for (const auto& [path, key] : in.evidence_citations())
    if (!m.find_evidence(key)) in.fail(path, "'" + key + "' is not in the evidence table");
  if (!m.default_treatment.empty() && !m.find_treatment(m.default_treatment))
    in.fail("default_treatment", "'" + m.default_treatment + "' is not a treatment in this model");
  const auto check_targets = [&](const std::vector<target_adjustment>& targets, const std::string& path) {
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (!targets[i].target.empty() && !m.find_effect(targets[i].target) && !m.find_risk(targets[i].target))
        in.fail(index_path(path, i) + ".target", "'" + targets[i].target + "' is neither an effect nor a risk");
  };
  for (std::size_t i = 0; i < m.modifiers.size(); ++i) {
    const auto& modifier = m.modifiers[i];
    check_targets(modifier.targets, index_path("modifiers", i) + ".targets");
    if (!modifier.kind_of.empty() && (!m.find_modifier(modifier.kind_of) || modifier.kind_of == modifier.id))
      in.fail(index_path("modifiers", i) + ".kind_of", "'" + modifier.kind_of + "' is not another modifier");
  }
  for (std::size_t i = 0; i < m.treatments.size(); ++i) check_targets(m.treatments[i].targets, index_path("treatments", i) + ".targets");
  for (std::size_t i = 0; i < m.protocols.size(); ++i)
    if (!m.protocols[i].treatment.empty() && !m.find_treatment(m.protocols[i].treatment))
      in.fail(index_path("protocols", i) + ".treatment", "'" + m.protocols[i].treatment + "' is not a treatment");
  for (std::size_t i = 0; i < m.red_flags.size(); ++i) {
    const auto& when = m.red_flags[i].when;
    const std::string here = index_path("red_flags", i) + ".when.";
    const auto check_ids = [&](const std::vector<std::string>& ids, const std::string& key, auto&& known, const char* what) {
      for (std::size_t k = 0; k < ids.size(); ++k)
        if (!known(ids[k])) in.fail(index_path(here + key, k), "'" + ids[k] + "' is not " + what);
    };
    const auto is_effect = [&](const std::string& id) { return m.find_effect(id) != nullptr; };
    check_ids(when.symptoms_any, "symptoms_any", is_effect, "an effect");
    check_ids(when.together, "together", is_effect, "an effect");
    check_ids(when.flags_any, "flags_any", [&](const std::string& id) { return m.find_report_flag(id) != nullptr; },
              "in report_flags");
  }
}

// ---- writing ------------------------------------------------------------------------------

json to_json_value(const parameter& p) {
  json out{{"value", p.value}};
  if (!p.evidence.empty()) out["evidence"] = p.evidence;
  if (!p.assumption.empty()) out["assumption"] = p.assumption;
  if (!p.note.empty()) out["note"] = p.note;
  return out;
}

json to_json_value(const curve_spec& c) {
  return {{"shape", c.shape}, {"lag_days", to_json_value(c.lag_days)},
          {"time_to_peak_days", to_json_value(c.time_to_peak_days)}, {"half_life_days", to_json_value(c.half_life_days)}};
}

json to_json_value(const std::vector<target_adjustment>& targets) {
  json out = json::array();
  for (const auto& t : targets) {
    json entry{{"target", t.target}};
    if (t.odds_ratio) entry["odds_ratio"] = to_json_value(*t.odds_ratio);
    if (t.peak_multiplier) entry["peak_multiplier"] = to_json_value(*t.peak_multiplier);
    if (t.duration_multiplier) entry["duration_multiplier"] = to_json_value(*t.duration_multiplier);
    out.push_back(std::move(entry));
  }
  return out;
}

json to_json_value(const red_flag_condition& w) {
  json out = json::object();
  if (!w.flags_any.empty()) out["flags_any"] = w.flags_any;
  if (!w.symptoms_any.empty()) out["symptoms_any"] = w.symptoms_any;
  if (w.min_severity) out["min_severity"] = *w.min_severity;
  if (w.from_day) out["from_day"] = *w.from_day;
  if (w.to_day) out["to_day"] = *w.to_day;
  if (w.present_after_day) out["present_after_day"] = *w.present_after_day;
  if (w.unless_expected) out["unless_expected"] = true;
  if (!w.statuses_any.empty()) out["statuses_any"] = w.statuses_any;
  if (w.above_p95_by_points) out["above_p95_by_points"] = *w.above_p95_by_points;
  if (w.above_p95_by_fraction) out["above_p95_by_fraction"] = *w.above_p95_by_fraction;
  if (!w.together.empty()) out["together"] = w.together;
  if (w.healing_slower_than) out["healing_slower_than"] = *w.healing_slower_than;
  if (w.expected_to_last_beyond_day) out["expected_to_last_beyond_day"] = *w.expected_to_last_beyond_day;
  if (w.min_reports > 1) out["min_reports"] = w.min_reports;
  return out;
}

}  // namespace

model parse_model(std::string_view json_text, std::string_view source) {
  const json root = io::parse_json_text(json_text, source);
  reader in;
  model m;
  if (!in.expect_object(root, "")) in.throw_if_failed();
  in.reject_unknown_keys(root, "", {"id", "version", "name", "description", "notice", "default_treatment", "severity_scale",
                                    "evidence", "effects", "results", "modifiers", "treatments", "risks", "aftercare", "report_flags", "assessment",
                                    "triage_levels", "red_flags", "protocols", "planning", "wording"});
  m.id = in.string(root, "", "id");
  m.version = in.string(root, "", "version");
  m.name = in.string(root, "", "name");
  m.description = in.string(root, "", "description", false);
  m.notice = in.string(root, "", "notice");
  m.default_treatment = in.string(root, "", "default_treatment");
  read_severity_scale(in, root, m);
  read_evidence(in, root, m);
  for_each_object(in, root, "", "effects", true, [&](const json& o, const std::string& p) { m.effects.push_back(read_effect(in, o, p)); });
  if (m.effects.empty() && root.contains("effects")) in.fail("effects", "must list at least one effect");
  read_results(in, root, m);
  for_each_object(in, root, "", "modifiers", false, [&](const json& o, const std::string& p) { m.modifiers.push_back(read_modifier(in, o, p)); });
  for_each_object(in, root, "", "treatments", true, [&](const json& o, const std::string& p) {
    in.reject_unknown_keys(o, p, {"id", "name", "area", "text", "targets"});
    m.treatments.push_back({in.string(o, p, "id"), in.string(o, p, "name"), in.string(o, p, "area", false),
                            in.string(o, p, "text", false), read_targets(in, o, p)});
  });
  for_each_object(in, root, "", "risks", false, [&](const json& o, const std::string& p) { m.risks.push_back(read_risk(in, o, p)); });
  for_each_object(in, root, "", "aftercare", false, [&](const json& o, const std::string& p) { m.aftercare.push_back(read_aftercare(in, o, p)); });
  read_triage_levels(in, root, m);
  read_report_flags(in, root, m);
  read_assessment(in, root, m);
  for_each_object(in, root, "", "red_flags", false, [&](const json& o, const std::string& p) { m.red_flags.push_back(read_red_flag(in, o, p)); });
  for_each_object(in, root, "", "protocols", false, [&](const json& o, const std::string& p) { m.protocols.push_back(read_protocol(in, o, p)); });
  read_planning(in, root, m);
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
    for (auto& problem : in.problems()) problem.path = std::string(source) + ": " + problem.path;
    in.throw_if_failed();
  }
  return m;
}

const model& default_model() {
  static const model embedded = parse_model(detail::default_model_json(), "embedded mesotherapy_face model");
  return embedded;
}

std::string to_json(const model& m, int indent) {
  json out{{"id", m.id}, {"version", m.version}, {"name", m.name}, {"description", m.description},
           {"notice", m.notice}, {"default_treatment", m.default_treatment},
           {"severity_scale", {{"visible", to_json_value(m.visible_threshold)}, {"resolved", to_json_value(m.resolved_threshold)}}}};
  json evidence = json::object();
  for (const auto& e : m.evidence) {
    json entry{{"source", e.source}, {"strength", e.strength}};
    if (!e.url.empty()) entry["url"] = e.url;
    evidence[e.key] = std::move(entry);
  }
  out["evidence"] = std::move(evidence);
  for (const auto& e : m.effects) {
    json curve = to_json_value(e.curve);
    curve["typical_peak"] = to_json_value(e.typical_peak);
    out["effects"].push_back({{"id", e.id}, {"name", e.name}, {"text", e.text}, {"incidence", to_json_value(e.incidence)},
                              {"curve", std::move(curve)},
                              {"variability", {{"peak_sd", to_json_value(e.peak_sd)}, {"healing_time_sd", to_json_value(e.healing_time_sd)}}}});
  }
  out["results"] = {{"name", m.results.name}, {"text", m.results.text}, {"first_gain", to_json_value(m.results.first_gain)},
                    {"repeat_gain_ratio", to_json_value(m.results.repeat_gain_ratio)}, {"curve", to_json_value(m.results.curve)}};
  out["modifiers"] = json::array();
  for (const auto& mod : m.modifiers) {
    json entry{{"id", mod.id}, {"name", mod.name}, {"text", mod.text}, {"category", std::string(to_string(mod.category))}};
    if (!mod.kind_of.empty()) entry["kind_of"] = mod.kind_of;
    if (mod.washout_days) entry["washout"] = {{"days", to_json_value(*mod.washout_days)}, {"plan_may_pause", mod.plan_may_pause}};
    entry["targets"] = to_json_value(mod.targets);
    out["modifiers"].push_back(std::move(entry));
  }
  for (const auto& t : m.treatments)
    out["treatments"].push_back({{"id", t.id}, {"name", t.name}, {"area", t.area}, {"text", t.text}, {"targets", to_json_value(t.targets)}});
  out["risks"] = json::array();
  for (const auto& r : m.risks)
    out["risks"].push_back({{"id", r.id}, {"name", r.name}, {"text", r.text}, {"probability", to_json_value(r.probability)},
                            {"onset_days", {{"from", to_json_value(r.onset_from_days)}, {"to", to_json_value(r.onset_to_days)}}}});
  out["aftercare"] = json::array();
  for (const auto& a : m.aftercare) {
    json entry{{"id", a.id}, {"kind", std::string(to_string(a.kind))}, {"text", a.text}};
    if (a.days) entry["days"] = to_json_value(*a.days);
    out["aftercare"].push_back(std::move(entry));
  }
  for (const auto& t : m.triage_levels) out["triage_levels"].push_back({{"id", std::string(to_string(t.level))}, {"name", t.name}, {"text", t.text}});
  for (const auto& f : m.report_flags) out["report_flags"].push_back({{"id", f.id}, {"text", f.text}});
  out["assessment"] = {{"report_noise_sd", to_json_value(m.assessment.report_noise_sd)},
                       {"outlier_probability", to_json_value(m.assessment.outlier_probability)},
                       {"worsening_rise", to_json_value(m.assessment.worsening_rise)}};
  out["red_flags"] = json::array();
  for (const auto& r : m.red_flags) {
    json entry{{"id", r.id}, {"level", std::string(to_string(r.level))}, {"text", r.text}, {"sign", r.sign}, {"when", to_json_value(r.when)}};
    if (!r.evidence.empty()) entry["evidence"] = r.evidence;
    if (r.convention) entry["convention"] = true;
    out["red_flags"].push_back(std::move(entry));
  }
  out["protocols"] = json::array();
  for (const auto& p : m.protocols) {
    json entry{{"id", p.id}, {"name", p.name}, {"treatment", p.treatment}, {"text", p.text}, {"sessions", to_json_value(p.sessions)},
               {"interval_days", {{"target", to_json_value(p.interval_target_days)}, {"min", to_json_value(p.interval_min_days)},
                                  {"max", to_json_value(p.interval_max_days)}}}};
    entry["follow_ups"] = json::array();
    for (const auto& f : p.follow_ups)
      entry["follow_ups"].push_back({{"id", f.id}, {"after_days", to_json_value(f.after_days)},
                                     {"after", std::string(to_string(f.after))}, {"text", f.text}});
    if (p.maintenance)
      entry["maintenance"] = {{"interval_days", to_json_value(p.maintenance->interval_days)},
                              {"results_fraction", to_json_value(p.maintenance->results_fraction)}};
    out["protocols"].push_back(std::move(entry));
  }
  out["planning"] = {{"recovery_confidence", to_json_value(m.planning.recovery_confidence)},
                     {"event_confidence", to_json_value(m.planning.event_confidence)}};
  out["wording"] = io::to_json_value(m.wording);
  out["wording"]["leaflet"]["likely_from"] = to_json_value(m.wording.leaflet.likely_from);
  return out.dump(indent);
}

}  // namespace aftermath

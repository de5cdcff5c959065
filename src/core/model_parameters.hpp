// Every number of a model, visited in the model file's order with its parameter id (its JSON path
// in the model file, array items named by their id: `effects.bruising.curve.half_life_days`) and
// its kind: the scale its uncertainty lives on, and whether it is an estimate or a convention.
// One visitor serves listing, drawing and replacing, so the three cannot disagree on ids.
#pragma once

#include <aftermath/model.hpp>
#include <aftermath/uncertainty.hpp>

#include <string>
#include <type_traits>

namespace aftermath::detail {

template <typename Model>
using parameter_of = std::conditional_t<std::is_const_v<Model>, const parameter, parameter>;

constexpr parameter_kind estimated_duration{parameter_scale::log, 0.0, true};
constexpr parameter_kind estimated_factor{parameter_scale::log, 0.0, true};
constexpr parameter_kind estimated_probability{parameter_scale::logit, 1.0, true};
constexpr parameter_kind estimated_severity{parameter_scale::logit, 10.0, true};
/// A definition (a threshold, a scale's bands, a decision rule) or a clinic's choice (a
/// protocol, an aftercare window): held at its value unless the model states an uncertainty.
constexpr parameter_kind chosen_days{parameter_scale::log, 0.0, false};
constexpr parameter_kind chosen_severity{parameter_scale::logit, 10.0, false};
constexpr parameter_kind chosen_probability{parameter_scale::logit, 1.0, false};
constexpr parameter_kind chosen_number{parameter_scale::log, 0.0, false};

template <typename Target, typename F>
void visit_targets(Target& targets, const std::string& path, F& visit) {
  for (auto& t : targets) {
    const std::string here = path + ".targets." + t.target;
    if (t.odds_ratio) visit(here + ".odds_ratio", *t.odds_ratio, estimated_factor);
    if (t.peak_multiplier) visit(here + ".peak_multiplier", *t.peak_multiplier, estimated_factor);
    if (t.duration_multiplier) visit(here + ".duration_multiplier", *t.duration_multiplier, estimated_factor);
  }
}

template <typename Curve, typename F>
void visit_curve(Curve& curve, const std::string& path, F& visit) {
  visit(path + ".lag_days", curve.lag_days, estimated_duration);
  visit(path + ".time_to_peak_days", curve.time_to_peak_days, estimated_duration);
  visit(path + ".half_life_days", curve.half_life_days, estimated_duration);
}

template <typename Model, typename F>
void visit_effects_and_results(Model& m, F& visit) {
  for (auto& e : m.effects) {
    const std::string path = "effects." + e.id;
    visit(path + ".incidence", e.incidence, estimated_probability);
    visit_curve(e.curve, path + ".curve", visit);
    visit(path + ".curve.typical_peak", e.typical_peak, estimated_severity);
    visit(path + ".variability.peak_sd", e.peak_sd, estimated_factor);
    visit(path + ".variability.healing_time_sd", e.healing_time_sd, estimated_factor);
  }
  visit("results.first_gain", m.results.first_gain, chosen_number);  // the unit of the relative scale
  visit("results.repeat_gain_ratio", m.results.repeat_gain_ratio, estimated_factor);
  visit_curve(m.results.curve, "results.curve", visit);
}

template <typename Model, typename F>
void visit_modifiers_treatments_risks(Model& m, F& visit) {
  for (auto& mod : m.modifiers) {
    const std::string path = "modifiers." + mod.id;
    if (mod.washout_days) visit(path + ".washout.days", *mod.washout_days, estimated_duration);
    visit_targets(mod.targets, path, visit);
  }
  for (auto& t : m.treatments) visit_targets(t.targets, "treatments." + t.id, visit);
  for (auto& r : m.risks) {
    const std::string path = "risks." + r.id;
    visit(path + ".probability", r.probability, estimated_probability);
    visit(path + ".onset_days.from", r.onset_from_days, estimated_duration);
    visit(path + ".onset_days.to", r.onset_to_days, estimated_duration);
  }
  for (auto& a : m.aftercare)
    if (a.days) visit("aftercare." + a.id + ".days", *a.days, chosen_days);
}

template <typename Model, typename F>
void visit_assessment(Model& m, F& visit) {
  auto& a = m.assessment;
  visit("assessment.report_noise_sd", a.report_noise_sd, estimated_factor);
  visit("assessment.outlier_probability", a.outlier_probability, estimated_probability);
  visit("assessment.worsening_rise", a.worsening_rise, chosen_severity);
  visit("assessment.worsening_noise_z", a.worsening_noise_z, chosen_number);
  visit("assessment.immediate_reaction_hours", a.immediate_reaction_hours, chosen_number);
  visit("assessment.mild_from", a.mild_from, chosen_severity);
  visit("assessment.moderate_from", a.moderate_from, chosen_severity);
  visit("assessment.severe_from", a.severe_from, chosen_severity);
  visit("assessment.very_severe_from", a.very_severe_from, chosen_severity);
}

template <typename Model, typename F>
void visit_protocols_and_planning(Model& m, F& visit) {
  for (auto& p : m.protocols) {
    const std::string path = "protocols." + p.id;
    visit(path + ".sessions", p.sessions, chosen_number);
    visit(path + ".interval_days.target", p.interval_target_days, chosen_days);
    visit(path + ".interval_days.min", p.interval_min_days, chosen_days);
    visit(path + ".interval_days.max", p.interval_max_days, chosen_days);
    if (p.gate && p.gate->confidence) visit(path + ".gate.confidence", *p.gate->confidence, chosen_probability);
    for (auto& f : p.follow_ups) visit(path + ".follow_ups." + f.id + ".after_days", f.after_days, chosen_days);
    if (p.maintenance) {
      visit(path + ".maintenance.interval_days", p.maintenance->interval_days, chosen_days);
      visit(path + ".maintenance.results_fraction", p.maintenance->results_fraction, chosen_probability);
    }
  }
  visit("planning.recovery_confidence", m.planning.recovery_confidence, chosen_probability);
  visit("planning.event_confidence", m.planning.event_confidence, chosen_probability);
  visit("wording.leaflet.likely_from", m.wording.leaflet.likely_from, chosen_probability);
}

/// Calls visit(id, parameter, kind) for every number of the model, in the model file's order.
template <typename Model, typename F>
  requires std::is_same_v<std::remove_const_t<Model>, model>
void for_each_parameter(Model& m, F&& visit) {
  visit("severity_scale.visible", m.visible_threshold, chosen_severity);
  visit("severity_scale.resolved", m.resolved_threshold, chosen_severity);
  visit_effects_and_results(m, visit);
  visit_modifiers_treatments_risks(m, visit);
  visit_assessment(m, visit);
  visit_protocols_and_planning(m, visit);
}

}  // namespace aftermath::detail

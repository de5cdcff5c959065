#include <aftermath/model.hpp>

#include "find_by_id.hpp"

#include <algorithm>

namespace aftermath {
using detail::find_by;

const effect_spec* model::find_effect(std::string_view wanted) const { return find_by(effects, wanted, &effect_spec::id); }
const modifier_spec* model::find_modifier(std::string_view wanted) const { return find_by(modifiers, wanted, &modifier_spec::id); }
const treatment_spec* model::find_treatment(std::string_view wanted) const { return find_by(treatments, wanted, &treatment_spec::id); }
const risk_spec* model::find_risk(std::string_view wanted) const { return find_by(risks, wanted, &risk_spec::id); }
const protocol_spec* model::find_protocol(std::string_view wanted) const { return find_by(protocols, wanted, &protocol_spec::id); }
const evidence_source* model::find_evidence(std::string_view wanted) const {
  return find_by(evidence, wanted, &evidence_source::key);
}

const report_flag_spec* model::find_report_flag(std::string_view wanted) const {
  return find_by(report_flags, wanted, &report_flag_spec::id);
}

bool model::is_kind_of(std::string_view kind, std::string_view broader) const {
  const modifier_spec* at = find_modifier(kind);
  // Each step goes one kind up; more steps than there are modifiers means the chain loops.
  for (std::size_t steps = 0; at && !at->kind_of.empty() && steps < modifiers.size(); ++steps) {
    if (at->kind_of == broader) return true;
    at = find_modifier(at->kind_of);
  }
  return false;
}

std::string_view model::triage_advice(triage_level level) const {
  const auto it = std::find_if(triage_levels.begin(), triage_levels.end(), [&](const triage_text& t) { return t.level == level; });
  return it == triage_levels.end() ? std::string_view{} : std::string_view{it->text};
}

std::string_view model::triage_name(triage_level level) const {
  const auto it = std::find_if(triage_levels.begin(), triage_levels.end(), [&](const triage_text& t) { return t.level == level; });
  return it == triage_levels.end() || it->name.empty() ? to_string(level) : std::string_view{it->name};
}

std::string_view to_string(triage_level level) {
  switch (level) {
    case triage_level::self_care: return "self_care";
    case triage_level::contact_provider: return "contact_provider";
    case triage_level::urgent: return "urgent";
    case triage_level::emergency: return "emergency";
  }
  return "unknown";
}

std::string_view to_string(aftercare_kind kind) {
  switch (kind) {
    case aftercare_kind::avoid: return "avoid";
    case aftercare_kind::advice: return "advice";
    case aftercare_kind::follow_up: return "follow_up";
  }
  return "unknown";
}

std::string_view to_string(modifier_category category) {
  return category == modifier_category::patient ? "patient" : "procedure";
}

std::string_view to_string(follow_up_after after) {
  return after == follow_up_after::each_session ? "each_session" : "last_session";
}

std::string_view to_string(gate_requirement requirement) {
  switch (requirement) {
    case gate_requirement::resolved: return "resolved";
    case gate_requirement::at_most_mild: return "at_most_mild";
    case gate_requirement::not_visible: return "not_visible";
  }
  return "unknown";
}

std::optional<gate_requirement> gate_requirement_named(std::string_view name) {
  for (auto requirement : {gate_requirement::resolved, gate_requirement::at_most_mild, gate_requirement::not_visible})
    if (to_string(requirement) == name) return requirement;
  return std::nullopt;
}

namespace {
constexpr rating_scale every_rating_scale[] = {rating_scale::whole_0_10, rating_scale::real_0_10, rating_scale::grade_0_4,
                                               rating_scale::category};
}

std::string_view to_string(rating_scale scale) {
  switch (scale) {
    case rating_scale::whole_0_10: return "whole_0_10";
    case rating_scale::real_0_10: return "real_0_10";
    case rating_scale::grade_0_4: return "grade_0_4";
    case rating_scale::category: return "category";
  }
  return "unknown";
}

std::optional<rating_scale> rating_scale_named(std::string_view name) {
  for (rating_scale scale : every_rating_scale)
    if (to_string(scale) == name) return scale;
  return std::nullopt;
}

}  // namespace aftermath

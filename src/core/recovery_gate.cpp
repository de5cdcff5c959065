// The recovery gate: each protocol's requirement with the model's numbers, the one rule that
// decides it (gate_keeper), and the warnings for a course that breaks it. See recovery_gate.hpp.
#include <aftermath/recovery_gate.hpp>

#include "gate_keeper.hpp"
#include "messages.hpp"
#include "wording.hpp"

#include <aftermath/error.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace aftermath {
namespace detail {
namespace {

void adjust_for_healing(personal_course& course, const healing_estimate& healing) {
  // η_T = σ_T·z with z ~ N(mean, sd²): η_T = σ_T·mean + (σ_T·sd)·z'.
  for (auto& effect : course.effects) {
    for (auto& session : effect.sessions) session.time_scale *= std::exp(effect.healing_time_sd * healing.mean_z);
    effect.healing_time_sd *= healing.sd_z;
  }
}

int days_between(date from, date to) { return static_cast<int>((to - from).days()); }

}  // namespace

personal_course course_for(const model& model, const profile& sessions, const std::optional<healing_estimate>& healing) {
  auto course = personalise(model, sessions);
  if (healing) adjust_for_healing(course, *healing);
  return course;
}

std::vector<effect_engine> engines_for(const personal_course& course) {
  std::vector<effect_engine> engines;
  for (const auto& effect : course.effects) engines.emplace_back(effect, quadrature_nodes);
  return engines;
}

gate_keeper::gate_keeper(const model& model, recovery_gate gate, const profile& patient, std::optional<healing_estimate> healing)
    : model_(model), gate_(std::move(gate)), patient_(patient), healing_(std::move(healing)) {
  if (auto problems = check_gate(model, gate_); !problems.empty()) throw input_error(std::move(problems));
  patient_.sessions.clear();
  for (std::size_t i = 0; i < model.effects.size(); ++i)
    if (gate_.effects.empty() || std::find(gate_.effects.begin(), gate_.effects.end(), model.effects[i].id) != gate_.effects.end())
      gated_.push_back(i);
  stopped_medicine_ = std::any_of(patient_.risk_factors.begin(), patient_.risk_factors.end(), [](const auto& f) { return f.stopped_on.has_value(); });
}

bool gate_keeper::resolves_everything() const {
  return gate_.require == gate_requirement::resolved && gate_.effects.empty();
}

session_aftermath& gate_keeper::aftermath_of(date day) {
  const date key = stopped_medicine_ ? day : date(2000, 1, 1);
  auto& entry = cache_[key];
  if (entry) return *entry;
  entry = std::make_unique<session_aftermath>();
  profile alone = patient_;
  alone.sessions = {{day, std::nullopt}};
  entry->course = course_for(model_, alone, healing_);
  entry->engines = engines_for(entry->course);
  return *entry;
}

double gate_keeper::unresolved(session_aftermath& a, int days_after) {
  if (auto it = a.unresolved.find(days_after); it != a.unresolved.end()) return it->second;
  double sum = 0.0;
  for (auto& engine : a.engines) sum += engine.unresolved_chance(days_after, a.course.resolved_threshold.value());
  return a.unresolved[days_after] = sum;
}

double gate_keeper::unmet(session_aftermath& a, int days_after) {
  if (auto it = a.unmet.find(days_after); it != a.unmet.end()) return it->second;
  if (a.gate_engines.empty())
    for (const std::size_t i : gated_) a.gate_engines.emplace_back(a.course.effects[i], quadrature_nodes);
  double sum = 0.0;
  for (auto& engine : a.gate_engines) sum += engine.unresolved_chance(days_after, gate_.threshold.value());
  return a.unmet[days_after] = sum;
}

bool gate_keeper::met(date previous, date day) {
  const int since = days_between(previous, day);
  const int needed = days_needed(previous);
  auto& a = aftermath_of(previous);
  if (a.gate_within_reach) return since >= needed;
  if (since <= needed) return false;
  // Not met within a year (a model far from this one): ask that day alone, on engines of its
  // own, so that the answer still depends on nothing asked before.
  double sum = 0.0;
  for (const std::size_t i : gated_) sum += effect_engine(a.course.effects[i], quadrature_nodes).unresolved_chance(since, gate_.threshold.value());
  return sum <= 1.0 - gate_.confidence.value();
}

int gate_keeper::days_needed(date day) {
  auto& a = aftermath_of(day);
  if (!a.gate) {
    const double level = 1.0 - gate_.confidence.value();
    a.gate = first_day_below([&](int g) { return unmet(a, g); }, level);
    a.gate_within_reach = unmet(a, *a.gate) <= level;
  }
  return *a.gate;
}

int gate_keeper::reach_after(date day) {
  auto& a = aftermath_of(day);
  if (!a.reach) a.reach = first_day_below([&](int g) { return unresolved(a, g); }, 1e-6);
  return *a.reach;
}

std::string gate_requirement_text(const model& model, const recovery_gate& gate, int previous) {
  const auto& words = model.wording.gate;
  const std::string number = std::to_string(previous);
  std::string effects;
  if (gate.effects.empty()) {
    effects = fill(words.every_effect, {{"previous", number}});
  } else {
    std::string names;
    for (const auto& id : gate.effects) {
      const auto* effect = model.find_effect(id);
      names += (names.empty() ? "" : ", ") + (effect ? effect->name : id);
    }
    effects = fill(words.some_effects, {{"names", names}, {"previous", number}});
  }
  const std::string* pattern = &words.resolved;
  if (gate.require == gate_requirement::at_most_mild) pattern = &words.at_most_mild;
  if (gate.require == gate_requirement::not_visible) pattern = &words.not_visible;
  return fill(*pattern, {{"effects", effects},
                         {"threshold", format_number(gate.threshold.value())},
                         {"confidence", format_percent(gate.confidence.value(), percent_style::exact)}});
}

}  // namespace detail

namespace {

double threshold_for(const model& model, gate_requirement requirement) {
  switch (requirement) {
    case gate_requirement::resolved: return model.resolved_threshold.value;
    case gate_requirement::at_most_mild: return model.assessment.moderate_from.value;
    case gate_requirement::not_visible: return model.visible_threshold.value;
  }
  return model.resolved_threshold.value;
}

/// A number of days in the plan's words: "1 day", "14 days".
std::string day_count(const model& model, int days) {
  return detail::fill(days == 1 ? model.wording.plan.one_day : model.wording.plan.days, {{"count", std::to_string(days)}});
}

}  // namespace

recovery_gate gate_of(const model& model, const protocol_spec& protocol) {
  recovery_gate out;
  out.protocol = protocol.id;
  double confidence = model.planning.recovery_confidence.value;
  if (protocol.gate) {
    out.require = protocol.gate->require;
    out.effects = protocol.gate->effects;
    if (protocol.gate->confidence) confidence = protocol.gate->confidence->value;
  }
  out.threshold = severity::clamped(threshold_for(model, out.require));
  out.confidence = probability::checked(std::clamp(confidence, 0.0, 1.0));
  return out;
}

const protocol_spec* protocol_for(const model& model, const profile& profile) {
  if (!profile.protocol.empty()) return model.find_protocol(profile.protocol);
  const std::string& treatment = profile.treatment.empty() ? model.default_treatment : profile.treatment;
  const auto it = std::find_if(model.protocols.begin(), model.protocols.end(), [&](const auto& p) { return p.treatment == treatment; });
  return it == model.protocols.end() ? nullptr : &*it;
}

std::vector<input_problem> check_gate(const model& model, const recovery_gate& gate) {
  std::vector<input_problem> problems;
  if (!(gate.threshold.value() > 0.0))
    problems.push_back({"gate.threshold", detail::format_number(gate.threshold.value()) + ", but must be in (0, 10]", problem_code::out_of_range});
  if (!(gate.confidence.value() > 0.0 && gate.confidence.value() < 1.0))
    problems.push_back({"gate.confidence", detail::format_number(gate.confidence.value()) + ", but must be in (0, 1)", problem_code::out_of_range});
  for (std::size_t k = 0; k < gate.effects.size(); ++k)
    if (!model.find_effect(gate.effects[k]))
      problems.push_back({"gate.effects[" + std::to_string(k) + "]", "unknown effect '" + gate.effects[k] + "'", problem_code::unknown_id});
  return problems;
}

int gate_days(const model& model, const profile& patient, const recovery_gate& gate, date session) {
  detail::gate_keeper keeper(model, gate, patient, std::nullopt);
  return keeper.days_needed(session);
}

std::vector<gate_breach> gate_breaches(const model& model, const profile& profile, const recovery_gate& gate) {
  if (auto problems = check_profile(model, profile); !problems.empty()) throw input_error(std::move(problems));
  detail::gate_keeper keeper(model, gate, profile, std::nullopt);
  const auto* protocol = model.find_protocol(gate.protocol);
  const std::string protocol_name = protocol ? protocol->name : gate.protocol;
  std::vector<gate_breach> out;
  for (std::size_t k = 1; k < profile.sessions.size(); ++k) {
    const date previous = profile.sessions[k - 1].day, day = profile.sessions[k].day;
    if (keeper.met(previous, day)) continue;
    gate_breach breach;
    breach.session = static_cast<int>(k + 1);
    breach.days_since = detail::days_between(previous, day);
    breach.days_needed = keeper.days_needed(previous);
    breach.protocol = gate.protocol;
    breach.require = gate.require;
    breach.threshold = gate.threshold;
    breach.effects = gate.effects;
    breach.confidence = gate.confidence;
    breach.text = detail::fill(model.wording.gate.warning,
                               {{"number", std::to_string(breach.session)},
                                {"interval", day_count(model, breach.days_since)},
                                {"previous", std::to_string(k)},
                                {"gate", day_count(model, breach.days_needed)},
                                {"requirement", detail::gate_requirement_text(model, gate, static_cast<int>(k))},
                                {"protocol", protocol_name}});
    out.push_back(std::move(breach));
  }
  return out;
}

std::vector<gate_breach> gate_breaches(const model& model, const profile& profile) {
  if (auto problems = check_profile(model, profile); !problems.empty()) throw input_error(std::move(problems));
  const auto* protocol = protocol_for(model, profile);
  if (!protocol) return {};
  return gate_breaches(model, profile, gate_of(model, *protocol));
}

projection project(const model& model, const profile& profile, const projection_options& options) {
  projection out = project(personalise(model, profile), options);
  out.gate_warnings = gate_breaches(model, profile);
  return out;
}

}  // namespace aftermath

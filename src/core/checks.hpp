// Checks that more than one entry point makes, written once so that they say the same thing:
// the modifier ids of a profile and of a population, the stop of a medicine, the order of
// sessions, and the Gauss–Hermite node count of the projection and the assessment.
#pragma once

#include "messages.hpp"

#include <aftermath/error.hpp>
#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath::detail {

inline bool is_patient_modifier(const modifier_spec& m) { return m.category == modifier_category::patient; }
inline bool is_procedure_modifier(const modifier_spec& m) { return m.category == modifier_category::procedure; }

/// Checks a modifier id listed as a risk factor (`wanted` patient) or under procedure, at `path`:
/// "unknown risk factor 'x' (known: ...)" (unknown_id) when the model has no modifier of that
/// category. With `name_other_list`, a modifier of the other category is named as such instead
/// ("'x' is a procedure modifier; list it under procedure", a conflict); a population's lists
/// call it unknown. Returns the modifier when it is of the wanted category, else null.
inline const modifier_spec* check_modifier_id(const model& model, const std::string& id, const std::string& path,
                                              modifier_category wanted, bool name_other_list,
                                              std::vector<input_problem>& problems) {
  const bool patient = wanted == modifier_category::patient;
  const auto* modifier = model.find_modifier(id);
  if (modifier && modifier->category == wanted) return modifier;
  if (modifier && name_other_list) {
    problems.push_back({path, "'" + id + "' is a " + std::string(to_string(modifier->category)) + " modifier; list it under " +
                                  (patient ? "procedure" : "risk_factors"),
                        problem_code::conflict});
  } else {
    problems.push_back({path, "unknown " + std::string(patient ? "risk factor" : "procedure modifier") + " '" + id + "' (known: " +
                                  known_ids(model.modifiers, patient ? is_patient_modifier : is_procedure_modifier) + ")",
                        problem_code::unknown_id});
  }
  return nullptr;
}

/// A stop given at `path` (`stop`: "date" for a profile's stopped_on, "day" for a population's
/// stopped_days_before, "day before each session" for its paused_days_before_each_session) for
/// a modifier with no washout in the model, which cannot use one.
inline void check_stop_has_washout(const modifier_spec& modifier, const std::string& path, std::string_view stop,
                                   std::vector<input_problem>& problems) {
  if (modifier.washout_days) return;
  problems.push_back({path, "'" + modifier.id + "' has no washout in the model, so a stop " + std::string(stop) + " cannot be used",
                      problem_code::conflict});
}

/// A conflict at `risk_factors[i].stopped_on` for each medicine stopped after the latest session:
/// it changed nothing (the patient took it at every session), which in a profile of sessions
/// is a date entered wrongly far more often than a fact worth modelling. Planning is different:
/// a stop after the sessions done may come before the sessions planned.
inline void check_stops_before_last_session(const profile& profile, std::vector<input_problem>& problems) {
  if (profile.sessions.empty()) return;
  // The latest date, not the last listed: sessions out of order are reported on their own.
  const date last = std::max_element(profile.sessions.begin(), profile.sessions.end(),
                                     [](const session_date& a, const session_date& b) { return a.day < b.day; })->day;
  for (std::size_t i = 0; i < profile.risk_factors.size(); ++i) {
    const auto& factor = profile.risk_factors[i];
    if (!factor.stopped_on || *factor.stopped_on <= last) continue;
    problems.push_back({"risk_factors[" + std::to_string(i) + "].stopped_on",
                        iso_date(*factor.stopped_on) + " is after the last session (" + iso_date(last) + "), so the patient took '" +
                            factor.id + "' at every session; give the day it was stopped before a session, or list it without stopped_on",
                        problem_code::conflict});
  }
}

/// A conflict at `list[i]` for each of `count` sessions that does not come after the one before
/// it (`after(i)` says whether session i does); `name(i)` is session i as the input gave it (a
/// date, a day) and `advice` follows the message.
template <typename After, typename Name>
void check_session_order(std::size_t count, const std::string& list, After after, Name name, std::string_view advice,
                         std::vector<input_problem>& problems) {
  for (std::size_t i = 1; i < count; ++i)
    if (!after(i))
      problems.push_back({list + "[" + std::to_string(i) + "]", name(i) + " is not after the session before it" + std::string(advice),
                          problem_code::conflict});
}

/// A problem (out_of_range) unless 8 ≤ nodes ≤ 128, the Gauss–Hermite rules the engines are
/// verified with.
inline std::optional<input_problem> quadrature_node_problem(int nodes) {
  if (nodes >= 8 && nodes <= 128) return std::nullopt;
  return input_problem{"quadrature_nodes", std::to_string(nodes) + ", but must be in [8, 128]", problem_code::out_of_range};
}

/// Throws input_error with that problem.
inline void check_quadrature_nodes(int nodes) {
  if (auto problem = quadrature_node_problem(nodes)) throw input_error(std::vector<input_problem>{std::move(*problem)});
}

}  // namespace aftermath::detail

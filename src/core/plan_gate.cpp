// The planner's questions to the model: has a session's aftermath settled well enough for the
// next one (the protocol's recovery gate, decided by gate_keeper.hpp), and does a set of session
// days leave each event clear?
#include "planner.hpp"

#include <algorithm>
#include <cmath>

namespace aftermath::detail {
namespace {

/// The largest Σ_e P(e visible) at the start, middle and end of the day that starts at `start`
/// (clamped to [0, 1]): an event lasts the whole day, and a sum holds whatever the correlation
/// between effects.
double worst_visible_over_day(std::vector<effect_engine>& engines, double start, double visible) {
  double worst = 0.0;
  for (double t : {start, start + 0.5, start + 1.0}) {
    double sum = 0.0;
    for (auto& engine : engines) sum += engine.severity_at(t).visible_chance(visible);
    worst = std::max(worst, sum);
  }
  return std::min(worst, 1.0);
}

/// Days since 2000-01-01: a compact key for a day in the caches.
long day_key(date day) { return (day - date(2000, 1, 1)).days(); }

}  // namespace

// --- the recovery gate ----------------------------------------------------------------------

session_aftermath& planner::aftermath_of(date day) { return gate_->aftermath_of(day); }

/// Whether a session on `day` may follow the one on `previous`: the protocol's gate, decided by
/// the rule gate_breaches uses too.
bool planner::recovered(date previous, date day) { return gate_->met(previous, day); }

/// Whole days after a session on `day` until the gate opens.
int planner::gate_after(date day) { return gate_->days_needed(day); }

int planner::reach_after(date day) { return gate_->reach_after(day); }

// --- the events -----------------------------------------------------------------------------

/// Lower bound on the chance of no visible side effect on the event's day, under the sessions
/// done and `planned`: 1 − the largest, over the start, middle and end of the day, of
/// Σ_e P(e visible).
/// Sessions beyond their reach are left out; the answer is remembered by the sessions that
/// remain, which backtracking revisits often.
double planner::chance_clear(const plan_event& event, const std::vector<date>& planned) {
  profile p = modelled_;
  const auto within_reach = [&](date day) { return day <= event.day && days_between(day, event.day) <= reach_after(day); };
  for (const auto& s : done_)
    if (within_reach(s.day)) p.sessions.push_back(s);
  std::vector<long> key{day_key(event.day)};
  for (const auto& day : planned)
    if (within_reach(day)) {
      p.sessions.push_back({day, std::nullopt});
      key.push_back(day_key(day));
    }
  if (p.sessions.empty()) return 1.0;
  if (auto it = clear_cache_.find(key); it != clear_cache_.end()) return it->second;
  return clear_cache_[key] = chance_clear_exactly(event, p);
}

double planner::chance_clear_exactly(const plan_event& event, const profile& p) const {
  const auto course = course_for(model_, p, request_.healing);
  auto engines = engines_for(course);
  return 1.0 - worst_visible_over_day(engines, days_since_first(p, {event.day, std::nullopt}).count(), course.visible_threshold.value());
}

/// The same for a session on `session` alone: more sessions only add severity, so a day that
/// fails alone fails with the others too, and this cheap check settles most candidates.
double planner::chance_clear_alone(date session, date event_day) {
  auto& a = aftermath_of(session);
  const int offset = days_between(session, event_day);
  if (auto it = a.clear_alone.find(offset); it != a.clear_alone.end()) return it->second;
  return a.clear_alone[offset] = 1.0 - worst_visible_over_day(a.engines, offset, a.course.visible_threshold.value());
}

/// The chance under the whole plan: only the sessions up to the event's day matter.
double planner::chance_clear_under_plan(const plan_event& event) {
  std::vector<date> before;
  for (date day : placed_)
    if (day <= event.day) before.push_back(day);
  return chance_clear(event, before);
}

/// Events the sessions already done spoil whatever is planned: the search stops trying to keep
/// them clear, and the plan says so once.
void planner::find_events_lost_to_done_sessions() {
  for (std::size_t i = 0; i < request_.events.size(); ++i) {
    const auto& event = request_.events[i];
    if (done_.empty() || event.day < done_.back().day || chance_clear(event, {}) >= event.confidence) continue;
    lost_events_.insert(i);
  }
}

/// Whether adding a session on `day` (after `placed_`) keeps every event clear.
bool planner::events_hold(date day) {
  if (relax_events_) return true;
  std::vector<date> with = placed_;
  with.push_back(day);
  for (std::size_t i = 0; i < request_.events.size(); ++i) {
    const auto& event = request_.events[i];
    if (event.day < day || lost_events_.count(i)) continue;
    if (chance_clear_alone(day, event.day) < event.confidence || chance_clear(event, with) < event.confidence) return false;
  }
  return true;
}

}  // namespace aftermath::detail

// The search for the course's dates: candidate days around each session's target, tried best
// first and backtracked from when they leave no room for a later session; then maintenance.
#include "planner.hpp"

#include <Eigen/Core>

#include <algorithm>

namespace aftermath::detail {
namespace {

/// Candidate days for one session, best first: the target, then outward from it, within
/// [low, high]; `on_a_tie` says which of two days equally far from the target comes first.
std::vector<date> candidates(date low, date target, date high, tie on_a_tie) {
  std::vector<date> out;
  if (high < low) return out;
  target = std::clamp(target, low, high);
  out.push_back(target);
  const int first = on_a_tie == tie::later ? 1 : -1;
  for (int step = 1; plus(target, step) <= high || plus(target, -step) >= low; ++step) {
    for (const int side : {first, -first}) {
      const date day = plus(target, side * step);
      if (low <= day && day <= high) out.push_back(day);
    }
  }
  return out;
}

}  // namespace

// --- the calendar ---------------------------------------------------------------------------

bool day_table::usable(date day) const {
  const auto& year = usable_in(day.year());
  return year[static_cast<std::size_t>(day.day_of_year() - 1)];
}

std::optional<date> day_table::next_usable(date day, int days) const {
  for (int i = 0; i <= days; ++i)
    if (usable(plus(day, i))) return plus(day, i);
  return std::nullopt;
}

const std::vector<bool>& day_table::usable_in(int year) const {
  if (auto it = years_.find(year); it != years_.end()) return it->second;
  const date first(static_cast<unsigned short>(year), 1, 1), last(static_cast<unsigned short>(year), 12, 31);
  const int first_weekday = first.day_of_week().as_number();
  std::vector<bool> usable(static_cast<std::size_t>(last.day_of_year()));
  for (std::size_t i = 0; i < usable.size(); ++i) usable[i] = calendar_.open_weekdays[(first_weekday + i) % 7];
  const auto close = [&](date day) {
    if (day.year() == year) usable[static_cast<std::size_t>(day.day_of_year() - 1)] = false;
  };
  for (const auto& set : calendar_.holidays)
    for (const auto& h : holidays_in_year(set, year)) close(h.day);
  for (const date day : calendar_.closures) close(day);
  for (const auto& range : unavailable_)
    for (date day = std::max(range.from, first); day <= std::min(range.to, last); day += boost::gregorian::days(1)) close(day);
  return years_[year] = std::move(usable);
}

// --- the course -----------------------------------------------------------------------------

std::optional<date> planner::previous_session() const {
  if (!placed_.empty()) return placed_.back();
  if (!done_.empty()) return done_.back().day;
  return std::nullopt;
}

/// The earliest day a new session may take: `earliest`, and a full pause starting no sooner
/// than today.
date planner::first_allowed() const { return std::max(request_.earliest, plus(today_, pause_days_)); }

window planner::course_window() const {
  const auto previous = previous_session();
  if (!previous) {
    const date low = first_allowed();
    return {low, low, plus(low, search_days)};
  }
  const date low = std::max(plus(*previous, whole_days(protocol_.interval_min_days.value)), first_allowed());
  const date high = plus(*previous, relax_interval_ ? search_days : whole_days(protocol_.interval_max_days.value));
  return {low, plus(*previous, whole_days(protocol_.interval_target_days.value)), high};
}

/// A new session may take `day`: the clinic is open, the patient available, the session before
/// has settled, and every event stays clear.
bool planner::fits(date day) {
  const auto previous = previous_session();
  return days_.usable(day) && (!previous || recovered(*previous, day)) && events_hold(day);
}

bool planner::search_course() {
  placed_.clear();
  dead_ends_.clear();
  budget_ = search_budget;
  return place_course_session(static_cast<int>(done_.size()));
}

/// A plan that breaks a constraint, said so, is more use than none: when the strict search
/// fails, the search runs again with the maximum interval relaxed, then with the events relaxed
/// too; the conflicts found in the plan it gives then make it infeasible.
bool planner::search_relaxing_as_needed() {
  if (search_course()) return true;
  strict_search_exhausted_ = budget_ < 0;
  relax_interval_ = true;
  if (search_course()) return true;
  relax_events_ = true;
  return search_course();
}

/// Without events to keep clear, what can follow depends only on how many sessions are placed
/// and the day of the last: a dead end found once is a dead end on every other path.
bool planner::remembers_dead_ends() const { return relax_events_ || request_.events.size() == lost_events_.size(); }

bool planner::place_course_session(int index) {
  if (index >= course_sessions_) return true;
  const window w = course_window();
  // A course session takes the later of two days equally far from the target: more recovery.
  for (date day : candidates(w.low, w.target, w.high, tie::later)) {
    if (--budget_ < 0) return false;
    if (!fits(day) || dead_ends_.count({index, day})) continue;
    placed_.push_back(day);
    if (place_course_session(index + 1)) return true;
    placed_.pop_back();
    if (remembers_dead_ends() && budget_ >= 0) dead_ends_.insert({index, day});
  }
  return false;
}

std::optional<date> planner::first_fitting(date low, date target, date high, tie on_a_tie) {
  for (date day : candidates(low, target, high, on_a_tie))
    if (fits(day)) return day;
  return std::nullopt;
}

// --- maintenance ----------------------------------------------------------------------------

/// The day the results, after the sessions so far, fade to the protocol's fraction of the peak
/// they reached after the last one; no later than the maintenance interval.
date planner::maintenance_due() const {
  const auto& maintenance = *protocol_.maintenance;
  const auto& results = model_.results;
  const auto shape = bateman_curve::from_clinical(days(results.curve.lag_days.value), days(results.curve.time_to_peak_days.value),
                                                  days(results.curve.half_life_days.value));
  const auto sessions = all_session_days();
  const date last = sessions.back();
  const int longest = whole_days(maintenance.interval_days.value);
  const Eigen::ArrayXd since_last = Eigen::ArrayXd::LinSpaced(longest, 1.0, longest);
  Eigen::ArrayXd level = Eigen::ArrayXd::Zero(longest);
  double gain = results.first_gain.value;
  for (const date session : sessions) {
    level += gain * shape(since_last + days_between(session, last));
    gain *= results.repeat_gain_ratio.value;
  }
  double peak = 0.0;
  bool past_peak = false;
  for (int d = 1; d <= longest; ++d) {
    const double now = level(d - 1);
    if (now >= peak) peak = now;
    else past_peak = true;
    if (past_peak && now <= maintenance.results_fraction.value * peak) return plus(last, d);
  }
  return plus(last, longest);
}

/// Top-ups until `maintenance_until` (a year after the course by default). Each is due when the
/// results have faded, and never after the maintenance interval: it takes the fitting day
/// nearest its due day from the protocol's minimum interval up to the maintenance interval, the
/// earlier of two equally near (an early top-up only keeps the results higher, a late one lets
/// them fade further). Only when no day up to the interval fits is it placed later, as a
/// conflict; when none fits within the search's reach either, the plan says so and stops.
void planner::place_maintenance(treatment_plan& out) {
  if (!protocol_.maintenance) return;
  const date until = request_.maintenance_until.value_or(plus(previous_session().value(), 365));
  const int longest = whole_days(protocol_.maintenance->interval_days.value);
  for (int guard = 0; guard < 1000; ++guard) {
    const date due = maintenance_due();
    if (due > until) return;
    const date previous = previous_session().value();
    const date low = std::max(plus(previous, whole_days(protocol_.interval_min_days.value)), first_allowed());
    const date latest = plus(previous, longest);
    auto day = first_fitting(low, due, latest, tie::earlier);
    if (!day) {
      const date after = std::max(low, plus(latest, 1));
      day = first_fitting(after, after, plus(after, search_days), tie::earlier);
      if (!day) {
        describe_no_maintenance_day(out, low, due, latest);
        return;
      }
      describe_late_maintenance(out, low, due, latest, *day);
    }
    maintenance_.push_back({placed_.size(), due});
    placed_.push_back(*day);
  }
}

std::vector<date> planner::all_session_days() const {
  std::vector<date> days;
  for (const auto& s : done_) days.push_back(s.day);
  days.insert(days.end(), placed_.begin(), placed_.end());
  return days;
}

bool planner::is_maintenance(std::size_t placed_index) const {
  return std::any_of(maintenance_.begin(), maintenance_.end(), [&](const auto& m) { return m.first == placed_index; });
}

date planner::due_of(std::size_t placed_index) const {
  for (const auto& [index, due] : maintenance_)
    if (index == placed_index) return due;
  return placed_[placed_index];
}

}  // namespace aftermath::detail

// The planner behind plan(), private to the core. One planner plans one request, in four parts:
//   plan.cpp         the entry points and the outline: medicines, search, explain, in that order;
//   plan_gate.cpp    what the model says about a set of session days: the recovery gate and
//                    whether each event stays clear;
//   plan_search.cpp  the calendar and the backtracking search for the course, then maintenance;
//   plan_explain.cpp every sentence the plan gives (reasons, conflicts, notes), from the model's
//                    wording, and the items built from the sessions.
#pragma once

#include <aftermath/plan.hpp>

#include "effect_engine.hpp"
#include "gate_keeper.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace aftermath::detail {

/// How far past its lower bound the search looks for a session before giving up.
constexpr int search_days = 730;
/// Candidate days one search may try; backtracking over events is the only thing that can make
/// a search long, and a plan that needs more tries than this is reported as not found.
constexpr int search_budget = 20000;

/// Model durations are real numbers of days; the calendar counts whole days, rounding up (a gate
/// of 8.2 days opens on day 9).
inline int whole_days(double days) { return static_cast<int>(std::ceil(days - 1e-9)); }
inline date plus(date day, int days) { return day + boost::gregorian::days(days); }
inline int days_between(date from, date to) { return static_cast<int>((to - from).days()); }

/// Which days the clinic is open and the patient available, worked out a year at a time as the
/// search reaches it.
class day_table {
 public:
  day_table(const clinic_calendar& calendar, const std::vector<date_range>& unavailable)
      : calendar_(calendar), unavailable_(unavailable) {}

  bool usable(date day) const;
  /// The first usable day on or after `day`, within `days`.
  std::optional<date> next_usable(date day, int days) const;

 private:
  const std::vector<bool>& usable_in(int year) const;

  const clinic_calendar& calendar_;
  const std::vector<date_range>& unavailable_;
  mutable std::map<int, std::vector<bool>> years_;
};

/// Which of two days equally far from a session's target a search tries first.
enum class tie { earlier, later };

/// Where one session may fall: no earlier than `low`, ideally on `target`, no later than `high`.
struct window {
  date low;
  date target;
  date high;
};

class planner {
 public:
  planner(const model& model, const plan_request& request);
  treatment_plan run();

 private:
  // plan.cpp: the medicines and the plan's header.
  void classify_medicine(const risk_factor& factor);
  treatment_plan header() const;

  // plan_gate.cpp: the recovery gate, as the protocol's gate_keeper decides it.
  session_aftermath& aftermath_of(date day);
  bool recovered(date previous, date day);
  int gate_after(date day);
  int reach_after(date day);
  // plan_gate.cpp: the events.
  double chance_clear(const plan_event& event, const std::vector<date>& planned);
  double chance_clear_exactly(const plan_event& event, const profile& p) const;
  double chance_clear_alone(date session, date event_day);
  double chance_clear_under_plan(const plan_event& event);
  void find_events_lost_to_done_sessions();
  bool events_hold(date day);

  // plan_search.cpp: the course.
  std::optional<date> previous_session() const;
  date first_allowed() const;
  window course_window() const;
  bool fits(date day);
  bool search_course();
  bool search_relaxing_as_needed();
  bool remembers_dead_ends() const;
  bool place_course_session(int index);
  std::optional<date> first_fitting(date low, date target, date high, tie on_a_tie);
  // plan_search.cpp: maintenance, and which placed session is which.
  date maintenance_due() const;
  void place_maintenance(treatment_plan& out);
  std::vector<date> all_session_days() const;
  bool is_maintenance(std::size_t placed_index) const;
  date due_of(std::size_t placed_index) const;

  // plan_explain.cpp: sentences.
  std::string day_count(int days) const;
  std::string washout_count(double days) const;
  std::string session_name(const plan_item& session) const;
  std::string why_unusable(date day) const;
  std::string first_session_reason(date day) const;
  std::string session_reason(const std::vector<date>& days, std::size_t k);
  std::string gate_reason(std::size_t previous, int gate) const;
  std::string why_off_target(date previous, std::size_t k, int target, int gate) const;
  std::string maintenance_reason(date due, date day) const;
  std::string why_interval_too_long(date previous, std::size_t number, int longest, int gate) const;
  std::string pause_text(const modifier_spec& medicine, date from, date until) const;
  // plan_explain.cpp: conflicts.
  void describe_lost_events(treatment_plan& out) const;
  void describe_no_dates(treatment_plan& out) const;
  void describe_interval_conflicts(treatment_plan& out);
  void describe_late_maintenance(treatment_plan& out, date low, date due, date last_suitable, date late) const;
  void describe_no_maintenance_day(treatment_plan& out, date low, date due, date last_suitable) const;
  void judge_events(treatment_plan& out);
  // plan_explain.cpp: items.
  void assemble_items(treatment_plan& out);
  void add_follow_ups(treatment_plan& out, const plan_item& session, date next, bool last_of_course);
  void describe_unplaced_follow_up(treatment_plan& out, const follow_up_spec& follow_up, const plan_item& session, date due) const;
  void note_served_follow_up(const std::string& id, std::string session);
  void describe_served_follow_ups(treatment_plan& out) const;
  void add_aftercare(treatment_plan& out, const plan_item& session) const;
  void add_pauses(treatment_plan& out, const plan_item& session) const;

  const model& model_;
  const plan_wording& words_;
  const plan_request& request_;
  const protocol_spec& protocol_;
  date today_;
  int course_sessions_;
  day_table days_;
  profile modelled_;
  std::vector<session_date> done_;
  std::vector<const modifier_spec*> paused_;
  int pause_days_ = 0;
  std::vector<std::string> notes_;
  std::set<std::size_t> lost_events_;
  /// Per-session follow-ups the next session serves for: the follow-up's id, the sessions' names.
  std::vector<std::pair<std::string, std::vector<std::string>>> served_follow_ups_;
  std::vector<date> placed_;
  std::vector<std::pair<std::size_t, date>> maintenance_;  ///< index in placed_, due day
  std::optional<gate_keeper> gate_;  ///< set once `modelled_` is known
  std::map<std::vector<long>, double> clear_cache_;  ///< by event day and the sessions within reach
  bool relax_interval_ = false;
  bool relax_events_ = false;
  bool strict_search_exhausted_ = false;
  int budget_ = search_budget;
  std::set<std::pair<int, date>> dead_ends_;  ///< (session index, day) from which no course fits
};

}  // namespace aftermath::detail

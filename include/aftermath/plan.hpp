// aftermath: planning a course of sessions on the clinic's calendar.
//
// `plan` dates the sessions of a protocol (and its maintenance) under every constraint at once:
//  - the clinic is open (weekday, holidays with their observed days, closures) and the patient
//    is available on the day, and no session comes before `earliest`;
//  - the interval since the session before stays within the protocol's minimum and maximum;
//  - the recovery gate: no session until every effect of the session before has resolved with
//    the model's stated confidence (planning.recovery_confidence) for this patient — the chance
//    that some effect is still unresolved, summed over effects, is at most 1 − confidence, so a
//    bruise-prone patient on aspirin waits longer;
//  - each event's requirement, "no visible side effects on that day" with its confidence, checked
//    at the start, middle and end of the day against the whole plan (summed over effects, so it
//    holds whatever the correlation between effects);
//  - medication pauses: with the prescriber's approval, a medicine the model lets a plan pause
//    (aspirin: its washout, 8.2 days of platelet turnover) stops that many whole days before each
//    session; anticoagulants are never paused by a plan.
// Among the dates that satisfy everything, a session takes the protocol's target interval or the
// nearest date to it (the later one on a tie, for more recovery); the search backtracks when a
// choice leaves no room for a later session. Maintenance follows the results curve: a top-up is
// due when the results have faded to the protocol's fraction of the peak the last session
// reached, and no later than its maintenance interval; it takes the fitting day nearest that
// (the earlier one on a tie), later than the interval only when no earlier day fits, as a
// conflict. Follow-ups fall on the first open, available day on or after their due day.
// Nothing the protocol calls for is left out silently: what cannot be placed is a conflict, and
// a follow-up the next session serves for is named in a note.
// A plan is feasible when every constraint holds, which is exactly when it has no conflict. When
// no plan satisfies everything, the best plan with the interval bound (then the events) relaxed
// is returned, and each conflict names its constraint, why it fails and the nearest feasible
// alternative. Rescheduling is the same call with the sessions already done in the profile (no
// more than the course has), and optionally the healing an assessment estimated.
// Deterministic: the same request gives the same plan.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/assessment.hpp>
#include <aftermath/calendar.hpp>
#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>

#include <optional>
#include <string>
#include <vector>

namespace aftermath {

/// Days the patient cannot come in, both ends included.
struct date_range {
  date from;
  date to;
};

/// A day the patient wants free of visible side effects, with the confidence asked for.
struct plan_event {
  std::string name;
  date day;
  double confidence = 0.95;
};

struct plan_request {
  /// Risk factors, treatment and procedure; `sessions` are the sessions already done (empty for
  /// a new course).
  profile patient;
  std::string protocol;
  date earliest;                ///< no new session before this day
  std::optional<date> today;    ///< the day the plan is made (pauses start no earlier); default: earliest
  clinic_calendar calendar;
  std::vector<date_range> unavailable;
  std::vector<plan_event> events;
  bool medication_pause_approved = false;  ///< the prescriber approved pausing pausable medicines
  std::optional<int> sessions;             ///< course length other than the protocol's
  std::optional<date> maintenance_until;   ///< default: a year after the course's last session
  /// Reports on the sessions already done: `plan` assesses them and plans with the healing they
  /// show, unless `healing` is given.
  std::vector<symptom_report> reports;
  std::optional<healing_estimate> healing; ///< what an assessment estimated of this patient's healing
};

enum class plan_item_kind { session, follow_up, aftercare, medication_pause, maintenance };

struct plan_item {
  plan_item_kind kind = plan_item_kind::session;
  int number = 0;       ///< session or maintenance number; for other items, the session they follow
  std::string id;       ///< follow-up, aftercare or medicine id
  date from;            ///< the day (sessions, follow-ups) or the first day of a window
  date until;           ///< the last day of a window; equals `from` for a single day
  std::string text;     ///< what the item asks of the patient, from the model
  std::string reason;   ///< why it falls on this date
  bool done = false;    ///< a session already done
};

/// A constraint the plan could not meet: `constraint` is "interval_max", "maintenance_interval",
/// "event:<name>", "follow_up:<id>" or "search"; `nearest_feasible` is the earliest date that
/// works, when known. Every conflict makes the plan infeasible.
struct plan_conflict {
  std::string constraint;
  std::string text;
  std::optional<date> nearest_feasible;
};

/// How an event fares under the plan.
struct event_outcome {
  std::string name;
  date day;
  double confidence = 0.95;
  double chance_clear = 1.0;  ///< lower bound on the chance of no visible side effect that day
  bool satisfied = true;
};

struct treatment_plan {
  std::string model_id;
  std::string model_version;
  std::string notice;
  std::string patient;
  std::string protocol;
  bool feasible = true;          ///< every constraint holds: `conflicts` is empty
  std::vector<plan_item> items;  ///< in date order
  std::vector<plan_conflict> conflicts;
  std::vector<event_outcome> events;
  std::vector<std::string> notes;  ///< not constraints: e.g. a blood thinner that is not paused, and why
};

/// Every problem with the request against the model, each with its path: unknown protocol,
/// a range that ends before it starts, an event confidence outside (0, 1), a course length
/// below 1, maintenance ending before `earliest`, done sessions after `earliest` or more of them
/// than the course has.
[[nodiscard]] std::vector<input_problem> check_plan_request(const model& model, const plan_request& request);

/// Plans the course. Throws input_error naming every problem (see check_plan_request and
/// check_profile). Infeasibility is a result, not an error.
[[nodiscard]] treatment_plan plan(const model& model, const plan_request& request);

/// The profile to project the plan with: the request's patient, every session of the plan (done
/// and planned, maintenance included), the medicines the plan pauses taken out, with any
/// broader modifier that a named kind supersedes (`nsaid` beside `nsaid_long_acting`), and the
/// plan's protocol, so that project(model, profile) holds it to the same recovery gate.
[[nodiscard]] profile planned_profile(const model& model, const plan_request& request, const treatment_plan& plan);

[[nodiscard]] std::string_view to_string(plan_item_kind kind);

}  // namespace aftermath

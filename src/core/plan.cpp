// Planning: a backtracking search over calendar days, constraint by constraint.
#include <aftermath/plan.hpp>

#include "effect_engine.hpp"
#include "messages.hpp"
#include "wording.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace aftermath {
namespace {

namespace greg = boost::gregorian;

/// How far past its lower bound the search looks for a session before giving up.
constexpr int search_days = 730;
/// Candidate days one search may try; backtracking over events is the only thing that can make
/// a search long, and a plan that needs more tries than this is reported as not found.
constexpr int search_budget = 20000;
/// The longest recovery gate reported; a patient whose effects take longer has a conflict anyway.
constexpr int longest_gate_days = 365;
constexpr int quadrature_nodes = 40;

int whole_days(double days) { return static_cast<int>(std::ceil(days - 1e-9)); }
date plus(date day, int days) { return day + greg::days(days); }
int days_between(date from, date to) { return static_cast<int>((to - from).days()); }

std::string day_count(int days) { return std::to_string(days) + (days == 1 ? " day" : " days"); }
std::string percent(double p) { return detail::format_number(100.0 * p) + " %"; }

/// Which days the clinic is open and the patient available, worked out a year at a time as the
/// search reaches it.
class day_table {
 public:
  day_table(const clinic_calendar& calendar, const std::vector<date_range>& unavailable)
      : calendar_(calendar), unavailable_(unavailable) {}

  bool usable(date day) const {
    const auto& year = usable_in(day.year());
    return year[static_cast<std::size_t>(day.day_of_year() - 1)];
  }

  /// Why a day cannot be used, for reasons and conflicts.
  std::string why_not(date day) const {
    if (auto closed = closed_because(calendar_, day)) return iso_date(day) + " is " + (closed->starts_with("closed") ? "" : "a ") + *closed;
    for (const auto& range : unavailable_)
      if (range.from <= day && day <= range.to)
        return "you are unavailable from " + iso_date(range.from) + " to " + iso_date(range.to);
    return iso_date(day) + " is usable";
  }

  /// The first usable day on or after `day`, within `days`.
  std::optional<date> next_usable(date day, int days) const {
    for (int i = 0; i <= days; ++i)
      if (usable(plus(day, i))) return plus(day, i);
    return std::nullopt;
  }

 private:
  const std::vector<bool>& usable_in(int year) const {
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
      for (date day = std::max(range.from, first); day <= std::min(range.to, last); day += greg::days(1)) close(day);
    return years_[year] = std::move(usable);
  }

  const clinic_calendar& calendar_;
  const std::vector<date_range>& unavailable_;
  mutable std::map<int, std::vector<bool>> years_;
};

/// Candidate days for one session, best first: the target, then outward from it (the later day
/// first on a tie: more recovery), within [low, high].
std::vector<date> candidates(date low, date target, date high) {
  std::vector<date> out;
  if (high < low) return out;
  target = std::clamp(target, low, high);
  out.push_back(target);
  for (int step = 1; plus(target, step) <= high || plus(target, -step) >= low; ++step) {
    if (plus(target, step) <= high) out.push_back(plus(target, step));
    if (plus(target, -step) >= low) out.push_back(plus(target, -step));
  }
  return out;
}

/// What a session's window is and why; filled per session by the planner.
struct window {
  date low;
  date target;
  date high;
};

class planner {
 public:
  planner(const model& model, const plan_request& request)
      : model_(model),
        request_(request),
        protocol_(*model.find_protocol(request.protocol)),
        today_(request.today.value_or(request.earliest)),
        course_sessions_(request.sessions.value_or(static_cast<int>(protocol_.sessions.value))),
        days_(request.calendar, request.unavailable) {
    modelled_ = request.patient;
    modelled_.sessions.clear();
    for (const auto& factor : request.patient.risk_factors) classify_medicine(factor);
    for (const auto& session : request.patient.sessions) done_.push_back(session);
  }

  treatment_plan run() {
    treatment_plan out = header();
    mark_events_lost_to_done_sessions(out);
    bool found = search_course();
    strict_search_exhausted_ = !found && budget_ < 0;
    if (!found) {
      out.feasible = false;
      relax_interval_ = true;
      found = search_course();
      if (!found) {
        relax_events_ = true;
        found = search_course();
      }
    }
    if (!found) {
      out.conflicts.push_back({"search", "no dates within " + std::to_string(search_days) + " days satisfy the calendar, your availability and the recovery gate" +
                                              (budget_ <= 0 ? " (the search stopped after " + std::to_string(search_budget) + " tries)" : ""),
                               std::nullopt});
      placed_.clear();
    } else {
      place_maintenance(out);
    }
    describe_interval_conflicts(out);
    assemble_items(out);
    judge_events(out);
    return out;
  }

 private:
  // --- medicines -------------------------------------------------------------------------

  void classify_medicine(const risk_factor& factor) {
    const auto* modifier = model_.find_modifier(factor.id);
    if (!modifier || !modifier->washout_days || factor.stopped_on) return;  // standing factor or already stopped
    if (modifier->plan_may_pause && request_.medication_pause_approved) {
      paused_.push_back(modifier);
      pause_days_ = std::max(pause_days_, whole_days(modifier->washout_days->value));
      std::erase_if(modelled_.risk_factors, [&](const auto& f) { return f.id == factor.id; });
    } else if (modifier->plan_may_pause) {
      notes_.push_back(detail::fill(model_.wording.plan.pause_not_approved, {{"medicine", modifier->name}}));
    } else {
      notes_.push_back(detail::fill(model_.wording.plan.never_paused, {{"medicine", modifier->name}}));
    }
  }

  // --- the model for a set of session days ------------------------------------------------

  /// The assessment's estimate of the healing term z ~ N(mean, sd²) replaces the population's
  /// N(0, 1): η_T = σ_T·z = σ_T·mean + (σ_T·sd)·z'.
  static void adjust_for_healing(personal_course& course, const healing_estimate& healing) {
    for (auto& effect : course.effects) {
      for (auto& session : effect.sessions) session.time_scale *= std::exp(effect.healing_time_sd * healing.mean_z);
      effect.healing_time_sd *= healing.sd_z;
    }
  }

  /// What one session on a day leaves behind, on the quadrature grid: its effects' engines and,
  /// by whole days after it, the chance that some effect has occurred and not yet resolved
  /// (Σ_e P(e occurred and is unresolved)). The effect terms change with the day only while a
  /// stopped medicine wears off, so one entry serves every day otherwise.
  struct session_aftermath {
    personal_course course;
    std::vector<detail::effect_engine> engines;
    std::map<int, double> unresolved;
    std::map<int, double> clear_alone;  ///< chance of no visible effect, by whole days to an event
    std::optional<int> gate;
    std::optional<int> reach;
  };

  session_aftermath& aftermath_of(date day) {
    const date key = any_stopped_medicine() ? day : date(2000, 1, 1);
    auto& entry = aftermath_cache_[key];
    if (entry) return *entry;
    entry = std::make_unique<session_aftermath>();
    profile alone = modelled_;
    alone.sessions = {{day, std::nullopt}};
    entry->course = personalise(model_, alone);
    if (request_.healing) adjust_for_healing(entry->course, *request_.healing);
    for (const auto& effect : entry->course.effects) entry->engines.emplace_back(effect, quadrature_nodes);
    return *entry;
  }

  static double unresolved(session_aftermath& a, int days_after) {
    if (auto it = a.unresolved.find(days_after); it != a.unresolved.end()) return it->second;
    double sum = 0.0;
    for (auto& engine : a.engines) sum += engine.unresolved_chance(days_after, a.course.resolved.value());
    return a.unresolved[days_after] = sum;
  }

  /// Whether the effects of the session on `previous` have resolved with the model's confidence
  /// by `day`: the recovery gate.
  bool recovered(date previous, date day) {
    return unresolved(aftermath_of(previous), days_between(previous, day)) <= 1.0 - model_.planning.recovery_confidence.value;
  }

  /// Whole days after a session on `day` until the gate opens.
  int gate_after(date day) {
    auto& a = aftermath_of(day);
    if (!a.gate) a.gate = first_day_below([&](int g) { return unresolved(a, g); }, 1.0 - model_.planning.recovery_confidence.value);
    return *a.gate;
  }

  /// Whole days after a session on `day` beyond which its effects cannot matter (the same sum
  /// below 1e-6): later questions leave it out.
  int reach_after(date day) {
    auto& a = aftermath_of(day);
    if (!a.reach) a.reach = first_day_below([&](int g) { return unresolved(a, g); }, 1e-6);
    return *a.reach;
  }

  /// The first whole day g ≥ 1 with f(g) ≤ level, for f falling in g (doubling, then bisection).
  template <typename F>
  static int first_day_below(const F& f, double level) {
    int low = 0, high = 1;
    while (f(high) > level && high < longest_gate_days) low = high, high = std::min(2 * high, longest_gate_days);
    while (high - low > 1) {
      const int mid = (low + high) / 2;
      (f(mid) > level ? low : high) = mid;
    }
    return high;
  }

  bool any_stopped_medicine() const {
    return std::any_of(modelled_.risk_factors.begin(), modelled_.risk_factors.end(), [](const auto& f) { return f.stopped_on.has_value(); });
  }

  // --- events -----------------------------------------------------------------------------

  /// Lower bound on the chance of no visible side effect on the event's day, under the sessions
  /// done and `planned`: 1 − the largest, over the start, middle and end of the day, of
  /// Σ_e P(e visible).
  /// Sessions beyond their reach are left out; the answer is remembered by the sessions that
  /// remain, which backtracking revisits often.
  double chance_clear(const plan_event& event, const std::vector<date>& planned) {
    profile p = modelled_;
    for (const auto& s : done_)
      if (s.day <= event.day && days_between(s.day, event.day) <= reach_after(s.day)) p.sessions.push_back(s);
    std::vector<long> key{(event.day - date(2000, 1, 1)).days()};
    for (const auto& day : planned)
      if (day <= event.day && days_between(day, event.day) <= reach_after(day)) {
        p.sessions.push_back({day, std::nullopt});
        key.push_back((day - date(2000, 1, 1)).days());
      }
    if (p.sessions.empty()) return 1.0;
    if (auto it = clear_cache_.find(key); it != clear_cache_.end()) return it->second;
    return clear_cache_[key] = chance_clear_exactly(event, p);
  }

  double chance_clear_exactly(const plan_event& event, const profile& p) const {
    auto course = personalise(model_, p);
    if (request_.healing) adjust_for_healing(course, *request_.healing);
    std::vector<detail::effect_engine> engines;
    for (const auto& effect : course.effects) engines.emplace_back(effect, quadrature_nodes);
    return 1.0 - worst_visible_over_day(engines, days_since_first(p, {event.day, std::nullopt}).count(), course.visible.value());
  }

  /// The largest Σ_e P(e visible) at the start, middle and end of the day that starts at `start`
  /// (clamped to [0, 1]).
  static double worst_visible_over_day(std::vector<detail::effect_engine>& engines, double start, double visible) {
    double worst = 0.0;
    for (double t : {start, start + 0.5, start + 1.0}) {
      double sum = 0.0;
      for (auto& engine : engines) sum += engine.severity_at(t).visible_chance(visible);
      worst = std::max(worst, sum);
    }
    return std::min(worst, 1.0);
  }

  /// The same for a session on `session` alone: more sessions only add severity, so a day that
  /// fails alone fails with the others too, and this cheap check settles most candidates.
  double chance_clear_alone(date session, date event_day) {
    auto& a = aftermath_of(session);
    const int offset = days_between(session, event_day);
    if (auto it = a.clear_alone.find(offset); it != a.clear_alone.end()) return it->second;
    return a.clear_alone[offset] = 1.0 - worst_visible_over_day(a.engines, offset, a.course.visible.value());
  }

  void mark_events_lost_to_done_sessions(treatment_plan& out) {
    for (std::size_t i = 0; i < request_.events.size(); ++i) {
      const auto& event = request_.events[i];
      if (done_.empty() || event.day < done_.back().day || chance_clear(event, {}) >= event.confidence) continue;
      lost_events_.insert(i);
      out.conflicts.push_back({"event:" + event.name, "the sessions already done leave visible side effects likely on " + iso_date(event.day) +
                                                          ", whatever is planned now", std::nullopt});
    }
  }

  /// Whether adding a session on `day` (after `placed_`) keeps every event clear.
  bool events_hold(date day) {
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

  // --- the course -------------------------------------------------------------------------

  std::optional<date> previous_session() const {
    if (!placed_.empty()) return placed_.back();
    if (!done_.empty()) return done_.back().day;
    return std::nullopt;
  }

  /// The earliest day a new session may take: `earliest`, and a full pause starting no sooner
  /// than today.
  date first_allowed() const { return std::max(request_.earliest, plus(today_, pause_days_)); }

  window course_window() {
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
  bool fits(date day) {
    const auto previous = previous_session();
    return days_.usable(day) && (!previous || recovered(*previous, day)) && events_hold(day);
  }

  bool search_course() {
    placed_.clear();
    dead_ends_.clear();
    budget_ = search_budget;
    return place_course_session(static_cast<int>(done_.size()));
  }

  /// Without events to keep clear, what can follow depends only on how many sessions are placed
  /// and the day of the last: a dead end found once is a dead end on every other path.
  bool remembers_dead_ends() const { return relax_events_ || request_.events.size() == lost_events_.size(); }

  bool place_course_session(int index) {
    if (index >= course_sessions_) return true;
    const window w = course_window();
    for (date day : candidates(w.low, w.target, w.high)) {
      if (--budget_ < 0) return false;
      if (!fits(day) || dead_ends_.count({index, day})) continue;
      placed_.push_back(day);
      if (place_course_session(index + 1)) return true;
      placed_.pop_back();
      if (remembers_dead_ends() && budget_ >= 0) dead_ends_.insert({index, day});
    }
    return false;
  }

  // --- maintenance ------------------------------------------------------------------------

  /// The day the results, after the sessions so far, fade to the protocol's fraction of the peak
  /// they reached after the last one; no later than the maintenance interval.
  date maintenance_due() const {
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

  void place_maintenance(treatment_plan& out) {
    if (!protocol_.maintenance) return;
    const date until = request_.maintenance_until.value_or(plus(previous_session().value(), 365));
    const int slack = whole_days(protocol_.interval_max_days.value - protocol_.interval_target_days.value);
    for (int guard = 0; guard < 1000; ++guard) {
      const date due = maintenance_due();
      if (due > until) return;
      const date previous = previous_session().value();
      const date low = std::max(plus(previous, whole_days(protocol_.interval_min_days.value)), first_allowed());
      const auto day = first_fitting(low, due, plus(due, slack));
      if (day) {
        maintenance_.push_back({placed_.size(), due});
        placed_.push_back(*day);
        continue;
      }
      const auto late = first_fitting(low, due, plus(due, search_days));
      if (!late) return;
      out.feasible = false;
      out.conflicts.push_back({"maintenance_interval",
                               "no day from " + iso_date(low) + " to " + iso_date(plus(due, slack)) + " suits the top-up due on " + iso_date(due) +
                                   " (" + days_.why_not(due) + "); the nearest that does is " + iso_date(*late),
                               *late});
      maintenance_.push_back({placed_.size(), due});
      placed_.push_back(*late);
    }
  }

  std::optional<date> first_fitting(date low, date target, date high) {
    for (date day : candidates(low, target, high))
      if (fits(day)) return day;
    return std::nullopt;
  }

  // --- conflicts and reasons --------------------------------------------------------------

  std::vector<date> all_session_days() const {
    std::vector<date> days;
    for (const auto& s : done_) days.push_back(s.day);
    days.insert(days.end(), placed_.begin(), placed_.end());
    return days;
  }

  bool is_maintenance(std::size_t placed_index) const {
    return std::any_of(maintenance_.begin(), maintenance_.end(), [&](const auto& m) { return m.first == placed_index; });
  }

  void describe_interval_conflicts(treatment_plan& out) {
    const auto days = all_session_days();
    const int longest = whole_days(protocol_.interval_max_days.value);
    for (std::size_t k = std::max<std::size_t>(done_.size(), 1); k < days.size(); ++k) {
      if (is_maintenance(k - done_.size())) continue;
      const int interval = days_between(days[k - 1], days[k]);
      if (interval <= longest) continue;
      const int gate = gate_after(days[k - 1]);
      std::string why;
      if (gate > longest)
        why = "this patient's side effects are expected to need " + day_count(gate) + " to resolve with " +
              percent(model_.planning.recovery_confidence.value) + " confidence";
      else if (days_between(days[k - 1], request_.earliest) > longest)
        why = "no session can come before " + iso_date(request_.earliest);
      else
        why = "no day up to " + iso_date(plus(days[k - 1], longest)) + " is open, available and keeps every event clear" +
              (strict_search_exhausted_ ? " (the search for a later start stopped after " + std::to_string(search_budget) + " tries)" : "");
      out.conflicts.push_back({"interval_max", "session " + std::to_string(k + 1) + " comes " + day_count(interval) + " after session " +
                                                   std::to_string(k) + ", beyond the protocol's maximum of " + day_count(longest) + ": " + why +
                                                   "; relax the maximum interval to " + day_count(interval) + ", or start later",
                               days[k]});
    }
  }

  std::string session_reason(const std::vector<date>& days, std::size_t k) {
    if (k == 0) return first_session_reason(days[0]);
    const date previous = days[k - 1];
    const int target = whole_days(protocol_.interval_target_days.value);
    const int interval = days_between(previous, days[k]);
    const std::string after = day_count(interval) + " after session " + std::to_string(k);
    if (interval == target) return after + ", the protocol's target interval";
    const int gate = gate_after(previous);
    const date target_day = plus(previous, target);
    std::string why;
    if (gate > target)
      why = "this patient's side effects of session " + std::to_string(k) + " are expected to have resolved with " +
            percent(model_.planning.recovery_confidence.value) + " confidence after " + day_count(gate);
    else if (target_day < request_.earliest)
      why = "no new session before " + iso_date(request_.earliest);
    else if (!days_.usable(target_day))
      why = "the target day " + days_.why_not(target_day);
    else
      why = "the target day would leave visible side effects likely on an event day, or no room for a later session";
    return after + " (the target is " + day_count(target) + "): " + why;
  }

  std::string first_session_reason(date day) const {
    std::string reason = "the first day on or after " + iso_date(request_.earliest) + " that the clinic is open and you are available";
    if (pause_days_ > 0 && plus(today_, pause_days_) > request_.earliest)
      reason = "the first day after a full " + std::to_string(pause_days_) + "-day medication pause starting " + iso_date(today_) +
               " that the clinic is open and you are available";
    const auto first_open = days_.next_usable(first_allowed(), search_days);
    if (first_open && *first_open < day) reason = "the first day from which the whole course fits your dates, the recovery gate and the events";
    return reason;
  }

  std::string maintenance_reason(date due, date day) const {
    const auto& m = *protocol_.maintenance;
    std::string reason = "results expected to fade to " + percent(m.results_fraction.value) + " of their peak (or " +
                         day_count(whole_days(m.interval_days.value)) + " passed) on " + iso_date(due);
    if (day != due) reason += "; the nearest suitable day";
    return reason;
  }

  // --- items ------------------------------------------------------------------------------

  void assemble_items(treatment_plan& out) {
    const auto days = all_session_days();
    int course_count = 0;
    for (std::size_t k = 0; k < days.size(); ++k) {
      const bool done = k < done_.size();
      const bool maintenance = !done && is_maintenance(k - done_.size());
      if (!maintenance) ++course_count;
      // Sessions are numbered through maintenance, so every item's (kind, number, id) is unique.
      plan_item item{maintenance ? plan_item_kind::maintenance : plan_item_kind::session, static_cast<int>(k + 1), "",
                     days[k], days[k], "", "", done};
      if (done) item.reason = "done";
      else if (maintenance) item.reason = maintenance_reason(due_of(k - done_.size()), days[k]);
      else item.reason = session_reason(days, k);
      out.items.push_back(item);
      const date next = k + 1 < days.size() ? days[k + 1] : date(greg::max_date_time);
      add_follow_ups(out, item, next, !maintenance && course_count == course_sessions_);
      add_aftercare(out, item);
      if (!done) add_pauses(out, item);
    }
    std::stable_sort(out.items.begin(), out.items.end(), [](const auto& a, const auto& b) {
      return a.from != b.from ? a.from < b.from : static_cast<int>(a.kind) < static_cast<int>(b.kind);
    });
  }

  date due_of(std::size_t placed_index) const {
    for (const auto& [index, due] : maintenance_)
      if (index == placed_index) return due;
    return placed_[placed_index];
  }

  void add_follow_ups(treatment_plan& out, const plan_item& session, date next, bool last_of_course) {
    const std::string which = session.kind == plan_item_kind::maintenance ? "maintenance session " : "session ";
    for (const auto& f : protocol_.follow_ups) {
      const bool applies = f.after == follow_up_after::each_session || last_of_course;
      if (!applies) continue;
      const int after = whole_days(f.after_days.value);
      const date wanted = plus(session.from, after);
      const auto day = days_.next_usable(wanted, 14);
      if (!day || *day < today_) continue;
      if (f.after == follow_up_after::each_session && *day >= next) continue;  // the next session serves
      std::string reason = day_count(after) + " after " + which + std::to_string(session.number);
      if (*day != wanted) reason += " (moved: " + days_.why_not(wanted) + ")";
      out.items.push_back({plan_item_kind::follow_up, session.number, f.id, *day, *day, f.text, reason, false});
    }
  }

  void add_aftercare(treatment_plan& out, const plan_item& session) const {
    const std::string which = session.kind == plan_item_kind::maintenance ? "maintenance session " : "session ";
    for (const auto& a : model_.aftercare) {
      if (a.kind != aftercare_kind::avoid) continue;
      const date until = plus(session.from, whole_days(a.days->value));
      if (until < today_) continue;
      out.items.push_back({plan_item_kind::aftercare, session.number, a.id, session.from, until, a.text,
                           "aftercare for " + day_count(whole_days(a.days->value)) + " after " + which + std::to_string(session.number), false});
    }
  }

  std::string pause_text(const modifier_spec& medicine, date from, date until) const {
    return detail::fill(model_.wording.plan.pause, {{"medicine", medicine.name}, {"from", iso_date(from)}, {"until", iso_date(until)}});
  }

  void add_pauses(treatment_plan& out, const plan_item& session) const {
    for (const auto* medicine : paused_) {
      const int days = whole_days(medicine->washout_days->value);
      const date from = plus(session.from, -days);
      const std::string reason = "its effect on bleeding wears off in about " + detail::format_number(medicine->washout_days->value) +
                                 " days, so bruising risk is back to your baseline by the session";
      // Weekly sessions can make pauses meet: one pause then runs through.
      auto previous = std::find_if(out.items.rbegin(), out.items.rend(), [&](const auto& i) {
        return i.kind == plan_item_kind::medication_pause && i.id == medicine->id;
      });
      if (previous != out.items.rend() && plus(previous->until, 1) >= from) {
        previous->until = session.from;
        previous->text = pause_text(*medicine, previous->from, session.from);
        continue;
      }
      out.items.push_back({plan_item_kind::medication_pause, session.number, medicine->id, from, session.from,
                           pause_text(*medicine, from, session.from), reason, false});
    }
  }

  void judge_events(treatment_plan& out) {
    for (std::size_t i = 0; i < request_.events.size(); ++i) {
      const auto& event = request_.events[i];
      std::vector<date> before;
      for (date day : placed_)
        if (day <= event.day) before.push_back(day);
      const double chance = chance_clear(event, before);
      const bool satisfied = chance >= event.confidence;
      out.events.push_back({event.name, event.day, event.confidence, chance, satisfied});
      if (!satisfied && !lost_events_.count(i)) {
        out.feasible = false;
        out.conflicts.push_back({"event:" + event.name, "visible side effects cannot be ruled out on " + iso_date(event.day) + " with " +
                                                            percent(event.confidence) + " confidence (" + percent(chance) +
                                                            " under this plan); hold the sessions before it further back or choose a later date",
                                 std::nullopt});
      }
    }
  }

  treatment_plan header() const {
    treatment_plan out;
    out.model_id = model_.id;
    out.model_version = model_.version;
    out.notice = model_.notice;
    out.patient = request_.patient.patient;
    out.protocol = protocol_.id;
    out.notes = notes_;
    return out;
  }

  const model& model_;
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
  std::vector<date> placed_;
  std::vector<std::pair<std::size_t, date>> maintenance_;  ///< index in placed_, due day
  std::map<date, std::unique_ptr<session_aftermath>> aftermath_cache_;
  std::map<std::vector<long>, double> clear_cache_;  ///< by event day and the sessions within reach
  bool relax_interval_ = false;
  bool relax_events_ = false;
  bool strict_search_exhausted_ = false;
  int budget_ = search_budget;
  std::set<std::pair<int, date>> dead_ends_;  ///< (session index, day) from which no course fits
};

}  // namespace

std::vector<input_problem> check_plan_request(const model& model, const plan_request& request) {
  std::vector<input_problem> problems;
  if (!model.find_protocol(request.protocol))
    problems.push_back({"protocol", "unknown protocol '" + request.protocol + "' (known: " + detail::known_ids(model.protocols) + ")"});
  for (auto& p : check_profile(model, request.patient))
    if (p.path != "sessions") problems.push_back({"profile." + p.path, p.message});
  for (std::size_t i = 0; i < request.unavailable.size(); ++i)
    if (request.unavailable[i].to < request.unavailable[i].from)
      problems.push_back({"unavailable[" + std::to_string(i) + "]", "ends (" + iso_date(request.unavailable[i].to) + ") before it starts (" +
                                                                        iso_date(request.unavailable[i].from) + ")"});
  for (std::size_t i = 0; i < request.events.size(); ++i)
    if (!(request.events[i].confidence > 0.0 && request.events[i].confidence < 1.0))
      problems.push_back({"events[" + std::to_string(i) + "].confidence", "must be in (0, 1)"});
  if (request.sessions && (*request.sessions < 1 || *request.sessions > 30)) problems.push_back({"sessions", "must be from 1 to 30"});
  if (request.maintenance_until && *request.maintenance_until < request.earliest)
    problems.push_back({"maintenance_until", "is before earliest (" + iso_date(request.earliest) + ")"});
  if (!request.patient.sessions.empty() && request.patient.sessions.back().day > request.earliest)
    problems.push_back({"profile.sessions", "a session done on " + iso_date(request.patient.sessions.back().day) +
                                                " is after earliest (" + iso_date(request.earliest) + "); plan from a later date"});
  if (request.today && *request.today > request.earliest)
    problems.push_back({"today", "is after earliest (" + iso_date(request.earliest) + ")"});
  if (std::none_of(request.calendar.open_weekdays.begin(), request.calendar.open_weekdays.end(), [](bool b) { return b; }))
    problems.push_back({"calendar.open_weekdays", "must name at least one weekday"});
  const date low(1901, 1, 1), high(2150, 12, 31);
  if (request.earliest < low || request.earliest > high) problems.push_back({"earliest", "must be within 1901-2150"});
  return problems;
}

treatment_plan plan(const model& model, const plan_request& request) {
  if (auto problems = check_plan_request(model, request); !problems.empty()) throw input_error(std::move(problems));
  return planner(model, request).run();
}

profile planned_profile(const plan_request& request, const treatment_plan& plan) {
  profile out = request.patient;
  for (const auto& item : plan.items) {
    const bool session = item.kind == plan_item_kind::session || item.kind == plan_item_kind::maintenance;
    if (session && !item.done) out.sessions.push_back({item.from, std::nullopt});
    if (item.kind == plan_item_kind::medication_pause)
      std::erase_if(out.risk_factors, [&](const auto& f) { return f.id == item.id; });
  }
  return out;
}

std::string_view to_string(plan_item_kind kind) {
  switch (kind) {
    case plan_item_kind::session: return "session";
    case plan_item_kind::follow_up: return "follow_up";
    case plan_item_kind::aftercare: return "aftercare";
    case plan_item_kind::medication_pause: return "medication_pause";
    case plan_item_kind::maintenance: return "maintenance";
  }
  return "unknown";
}

}  // namespace aftermath

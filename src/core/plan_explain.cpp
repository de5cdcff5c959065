// Everything the plan says: why each item falls on its day, what could not be met, and the
// items themselves. Every sentence comes from the model's wording (wording.plan), filled in by
// the same filler as the leaflet's, so a clinic that translates the model translates its plans.
#include "planner.hpp"

#include "messages.hpp"
#include "wording.hpp"

#include <algorithm>

namespace aftermath::detail {
namespace {

/// The plan quotes a confidence as the request or the model gave it: 95 %, not ">99 %".
std::string percent(double chance) { return format_percent(chance, percent_style::exact); }

/// The model's name at `index`; empty for a model built in code without one.
std::string_view name_at(const std::vector<std::string>& names, std::size_t index) {
  return index < names.size() ? std::string_view(names[index]) : std::string_view();
}

}  // namespace

// --- sentences ------------------------------------------------------------------------------

std::string planner::day_count(int days) const {
  return fill(days == 1 ? words_.one_day : words_.days, {{"count", std::to_string(days)}});
}

/// A medicine's washout in the same words, as the model gives it: "1 day", "3.5 days".
std::string planner::washout_count(double days) const {
  return fill(days == 1.0 ? words_.one_day : words_.days, {{"count", format_number(days)}});
}

/// "session 3" or "maintenance session 5", for the items that follow a session.
std::string planner::session_name(const plan_item& session) const {
  const auto& pattern = session.kind == plan_item_kind::maintenance ? words_.maintenance_session : words_.session;
  return fill(pattern, {{"number", std::to_string(session.number)}});
}

/// Why a day cannot be used: the clinic's reasons in the order the calendar gives them, then the
/// patient's.
std::string planner::why_unusable(date day) const {
  const std::string on = iso_date(day);
  const auto& calendar = request_.calendar;
  const auto weekday = static_cast<std::size_t>(day.day_of_week().as_number());
  if (!calendar.open_weekdays[weekday]) return fill(words_.day_closed_weekday, {{"date", on}, {"weekday", name_at(words_.weekdays, weekday)}});
  if (std::find(calendar.closures.begin(), calendar.closures.end(), day) != calendar.closures.end()) return fill(words_.day_closure, {{"date", on}});
  for (const auto& set : calendar.holidays)
    for (const auto& h : holidays_in_year(set, day.year()))
      if (h.day == day) return fill(words_.day_holiday, {{"date", on}, {"holiday", h.name}});
  for (const auto& range : request_.unavailable)
    if (range.from <= day && day <= range.to)
      return fill(words_.day_unavailable, {{"from", iso_date(range.from)}, {"until", iso_date(range.to)}});
  return fill(words_.day_usable, {{"date", on}});
}

/// The first session is as early as it can be; what held it there, the latest reason first.
std::string planner::first_session_reason(date day) const {
  const auto first_open = days_.next_usable(first_allowed(), search_days);
  if (first_open && *first_open < day) return words_.first_session_course_fits;
  if (pause_days_ > 0 && plus(today_, pause_days_) > request_.earliest)
    return fill(words_.first_session_after_pause, {{"pause_days", std::to_string(pause_days_)}, {"today", iso_date(today_)}});
  return fill(words_.first_session, {{"earliest", iso_date(request_.earliest)}});
}

std::string planner::session_reason(const std::vector<date>& days, std::size_t k) {
  if (k == 0) return first_session_reason(days[0]);
  const date previous = days[k - 1];
  const int target = whole_days(protocol_.interval_target_days.value);
  const int interval = days_between(previous, days[k]);
  const std::string after = day_count(interval), number = std::to_string(k);
  if (interval == target) return fill(words_.on_target, {{"interval", after}, {"previous", number}});
  const std::string why = why_off_target(previous, k, target, gate_after(previous));
  return fill(words_.off_target, {{"interval", after}, {"previous", number}, {"target", day_count(target)}, {"why", why}});
}

/// Why the recovery gate after session `previous` holds the next one back `gate` days, for a gate
/// other than every effect resolved (the plan's own sentences say that one): in the gate's words.
std::string planner::gate_reason(std::size_t previous, int gate) const {
  return fill(model_.wording.gate.plan_reason, {{"gate", day_count(gate)},
                                                {"requirement", gate_requirement_text(model_, gate_->gate(), static_cast<int>(previous))},
                                                {"previous", std::to_string(previous)}});
}

/// Why a session missed the target interval, checked in the order the search meets them.
std::string planner::why_off_target(date previous, std::size_t k, int target, int gate) const {
  const date target_day = plus(previous, target);
  if (gate > target && !gate_->resolves_everything()) return gate_reason(k, gate);
  if (gate > target)
    return fill(words_.off_target_gate, {{"previous", std::to_string(k)},
                                         {"confidence", percent(gate_->gate().confidence.value())},
                                         {"gate", day_count(gate)}});
  if (target_day < request_.earliest) return fill(words_.off_target_earliest, {{"earliest", iso_date(request_.earliest)}});
  if (!days_.usable(target_day)) return fill(words_.off_target_unusable, {{"why", why_unusable(target_day)}});
  return words_.off_target_events;
}

std::string planner::maintenance_reason(date due, date day) const {
  const auto& m = *protocol_.maintenance;
  const std::string reason = fill(words_.maintenance_due, {{"fraction", percent(m.results_fraction.value)},
                                                           {"interval", day_count(whole_days(m.interval_days.value))},
                                                           {"due", iso_date(due)}});
  return day == due ? reason : fill(words_.maintenance_moved, {{"reason", reason}});
}

std::string planner::pause_text(const modifier_spec& medicine, date from, date until) const {
  return fill(words_.pause, {{"medicine", medicine.name}, {"from", iso_date(from)}, {"until", iso_date(until)}});
}

// --- conflicts ------------------------------------------------------------------------------

void planner::describe_lost_events(treatment_plan& out) const {
  for (const std::size_t i : lost_events_) {
    const auto& event = request_.events[i];
    out.conflicts.push_back({"event:" + event.name, fill(words_.event_lost, {{"date", iso_date(event.day)}, {"event", event.name}}), std::nullopt});
  }
}

void planner::describe_no_dates(treatment_plan& out) const {
  std::string text = fill(words_.no_dates, {{"days", day_count(search_days)}});
  if (budget_ <= 0) text = fill(words_.search_stopped, {{"reason", text}, {"tries", std::to_string(search_budget)}});
  out.conflicts.push_back({"search", text, std::nullopt});
}

/// Course sessions further apart than the protocol allows: the relaxed search placed them so.
void planner::describe_interval_conflicts(treatment_plan& out) {
  const auto days = all_session_days();
  const int longest = whole_days(protocol_.interval_max_days.value);
  for (std::size_t k = std::max<std::size_t>(done_.size(), 1); k < days.size(); ++k) {
    if (is_maintenance(k - done_.size())) continue;
    const int interval = days_between(days[k - 1], days[k]);
    if (interval <= longest) continue;
    const std::string why = why_interval_too_long(days[k - 1], k, longest, gate_after(days[k - 1]));
    const std::string text = fill(words_.interval_too_long, {{"number", std::to_string(k + 1)},
                                                             {"interval", day_count(interval)},
                                                             {"previous", std::to_string(k)},
                                                             {"longest", day_count(longest)},
                                                             {"why", why}});
    out.conflicts.push_back({"interval_max", text, days[k]});
  }
}

std::string planner::why_interval_too_long(date previous, std::size_t number, int longest, int gate) const {
  if (gate > longest && !gate_->resolves_everything()) return gate_reason(number, gate);
  if (gate > longest)
    return fill(words_.interval_gate, {{"gate", day_count(gate)}, {"confidence", percent(gate_->gate().confidence.value())}});
  if (days_between(previous, request_.earliest) > longest) return fill(words_.interval_earliest, {{"earliest", iso_date(request_.earliest)}});
  const std::string no_day = fill(words_.interval_no_day, {{"until", iso_date(plus(previous, longest))}});
  if (!strict_search_exhausted_) return no_day;
  return fill(words_.interval_search_stopped, {{"reason", no_day}, {"tries", std::to_string(search_budget)}});
}

/// A top-up that fits only after the maintenance interval: `late` is the nearest day that does.
void planner::describe_late_maintenance(treatment_plan& out, date low, date due, date last_suitable, date late) const {
  const std::string text = fill(words_.maintenance_late, {{"from", iso_date(low)},
                                                          {"until", iso_date(last_suitable)},
                                                          {"due", iso_date(due)},
                                                          {"why", why_unusable(due)},
                                                          {"nearest", iso_date(late)}});
  out.conflicts.push_back({"maintenance_interval", text, late});
}

/// A top-up that no day fits, up to the maintenance interval or within the search's reach after
/// it: the plan says so, and plans no later top-up.
void planner::describe_no_maintenance_day(treatment_plan& out, date low, date due, date last_suitable) const {
  const std::string text = fill(words_.maintenance_no_day, {{"from", iso_date(low)},
                                                            {"until", iso_date(last_suitable)},
                                                            {"due", iso_date(due)},
                                                            {"why", why_unusable(due)},
                                                            {"days", day_count(search_days)}});
  out.conflicts.push_back({"maintenance_interval", text, std::nullopt});
}

/// Each event's chance under the final plan; one the plan fails (and the done sessions did not
/// already spoil, which is a conflict of its own) is a conflict.
void planner::judge_events(treatment_plan& out) {
  for (std::size_t i = 0; i < request_.events.size(); ++i) {
    const auto& event = request_.events[i];
    const double chance = chance_clear_under_plan(event);
    const bool satisfied = chance >= event.confidence;
    out.events.push_back({event.name, event.day, event.confidence, chance, satisfied});
    if (satisfied || lost_events_.count(i)) continue;
    const std::string text = fill(words_.event_not_clear, {{"date", iso_date(event.day)},
                                                           {"event", event.name},
                                                           {"confidence", percent(event.confidence)},
                                                           {"chance", percent(chance)}});
    out.conflicts.push_back({"event:" + event.name, text, std::nullopt});
  }
}

// --- items ----------------------------------------------------------------------------------

void planner::assemble_items(treatment_plan& out) {
  const auto days = all_session_days();
  int course_count = 0;
  for (std::size_t k = 0; k < days.size(); ++k) {
    const bool done = k < done_.size();
    const bool maintenance = !done && is_maintenance(k - done_.size());
    if (!maintenance) ++course_count;
    // Sessions are numbered through maintenance, so every item's (kind, number, id) is unique.
    plan_item item{maintenance ? plan_item_kind::maintenance : plan_item_kind::session, static_cast<int>(k + 1), "",
                   days[k], days[k], "", "", done};
    if (done) item.reason = words_.done;
    else if (maintenance) item.reason = maintenance_reason(due_of(k - done_.size()), days[k]);
    else item.reason = session_reason(days, k);
    out.items.push_back(item);
    const date next = k + 1 < days.size() ? days[k + 1] : date(boost::gregorian::max_date_time);
    add_follow_ups(out, item, next, !maintenance && course_count == course_sessions_);
    add_aftercare(out, item);
    if (!done) add_pauses(out, item);
  }
  std::stable_sort(out.items.begin(), out.items.end(), [](const auto& a, const auto& b) {
    return a.from != b.from ? a.from < b.from : static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
}

/// Each follow-up on the first open, available day on or after its due day, however far the
/// calendar moves it within the search's reach; none is left out without the plan saying so.
/// The exceptions: one that fell before today is past, and a per-session one the next session
/// comes first for is served by that session (a note lists them).
void planner::add_follow_ups(treatment_plan& out, const plan_item& session, date next, bool last_of_course) {
  for (const auto& f : protocol_.follow_ups) {
    const bool each_session = f.after == follow_up_after::each_session;
    if (!each_session && !last_of_course) continue;
    const int after = whole_days(f.after_days.value);
    const date wanted = plus(session.from, after);
    const auto day = days_.next_usable(wanted, search_days);
    if (day ? *day < today_ : plus(wanted, search_days) < today_) continue;  // in the past: the plan starts today
    if (each_session && (day ? *day >= next : next <= plus(wanted, search_days))) {
      note_served_follow_up(f.id, session_name(session));
      continue;
    }
    if (!day) {
      describe_unplaced_follow_up(out, f, session, wanted);
      continue;
    }
    std::string reason = fill(words_.follow_up, {{"days", day_count(after)}, {"session", session_name(session)}});
    if (*day != wanted) reason = fill(words_.follow_up_moved, {{"reason", reason}, {"why", why_unusable(wanted)}});
    out.items.push_back({plan_item_kind::follow_up, session.number, f.id, *day, *day, f.text, reason, false});
  }
}

void planner::note_served_follow_up(const std::string& id, std::string session) {
  auto it = std::find_if(served_follow_ups_.begin(), served_follow_ups_.end(), [&](const auto& s) { return s.first == id; });
  if (it == served_follow_ups_.end()) it = served_follow_ups_.insert(served_follow_ups_.end(), {id, {}});
  it->second.push_back(std::move(session));
}

/// A follow-up no day within the search's reach suits: a conflict, with the first day after
/// that reach that would do, when there is one.
void planner::describe_unplaced_follow_up(treatment_plan& out, const follow_up_spec& follow_up, const plan_item& session, date due) const {
  const date until = plus(due, search_days);
  const std::string text = fill(words_.follow_up_no_day, {{"follow_up", follow_up.id},
                                                          {"session", session_name(session)},
                                                          {"due", iso_date(due)},
                                                          {"until", iso_date(until)},
                                                          {"why", why_unusable(due)}});
  out.conflicts.push_back({"follow_up:" + follow_up.id, text, days_.next_usable(plus(until, 1), search_days)});
}

/// One note per follow-up the next session served for, naming the sessions.
void planner::describe_served_follow_ups(treatment_plan& out) const {
  for (const auto& [id, sessions] : served_follow_ups_) {
    std::string names;
    for (const auto& name : sessions) names += (names.empty() ? "" : ", ") + name;
    out.notes.push_back(fill(words_.follow_up_served, {{"follow_up", id}, {"sessions", names}}));
  }
}

void planner::add_aftercare(treatment_plan& out, const plan_item& session) const {
  for (const auto& a : model_.aftercare) {
    if (a.kind != aftercare_kind::avoid) continue;
    const int days = whole_days(a.days->value);
    const date until = plus(session.from, days);
    if (until < today_) continue;
    out.items.push_back({plan_item_kind::aftercare, session.number, a.id, session.from, until, aftercare_text(model_, a),
                         fill(words_.aftercare, {{"days", day_count(days)}, {"session", session_name(session)}}), false});
  }
}

void planner::add_pauses(treatment_plan& out, const plan_item& session) const {
  for (const auto* medicine : paused_) {
    const date from = plus(session.from, -whole_days(medicine->washout_days->value));
    // Weekly sessions can make pauses meet: one pause then runs through.
    auto previous = std::find_if(out.items.rbegin(), out.items.rend(), [&](const auto& i) {
      return i.kind == plan_item_kind::medication_pause && i.id == medicine->id;
    });
    if (previous != out.items.rend() && plus(previous->until, 1) >= from) {
      previous->until = session.from;
      previous->text = pause_text(*medicine, previous->from, session.from);
      continue;
    }
    const double washout = medicine->washout_days->value;
    const std::string reason = fill(words_.pause_reason, {{"washout", washout_count(washout)},
                                                          {"washout_days", format_number(washout)},
                                                          {"medicine", medicine->name}});
    out.items.push_back({plan_item_kind::medication_pause, session.number, medicine->id, from, session.from,
                         pause_text(*medicine, from, session.from), reason, false});
  }
}

}  // namespace aftermath::detail

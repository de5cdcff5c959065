// Planning: the entry points, and the planner's outline. How the work is split between
// plan_gate.cpp, plan_search.cpp and plan_explain.cpp is told in planner.hpp.
#include <aftermath/plan.hpp>

#include "kinds.hpp"
#include "messages.hpp"
#include "planner.hpp"
#include "wording.hpp"

#include <algorithm>

namespace aftermath {
namespace detail {

planner::planner(const model& model, const plan_request& request)
    : model_(model),
      words_(model.wording.plan),
      request_(request),
      protocol_(*model.find_protocol(request.protocol)),
      today_(request.today.value_or(request.earliest)),
      course_sessions_(request.sessions.value_or(static_cast<int>(protocol_.sessions.value))),
      days_(request.calendar, request.unavailable) {
  modelled_ = request.patient;
  modelled_.sessions.clear();
  // A broader modifier named beside one of its kinds does not act, so it is neither paused nor
  // noted: pausing `nsaid` beside `nsaid_long_acting` would stop one medicine twice.
  modelled_.risk_factors = counted_factors(model, request.patient.risk_factors);
  for (const auto& factor : counted_factors(model, request.patient.risk_factors)) classify_medicine(factor);
  for (const auto& session : request.patient.sessions) done_.push_back(session);
  gate_.emplace(model_, gate_of(model_, protocol_), modelled_, request_.healing);
}

/// The events the done sessions already spoil are set aside first, so that the search does not
/// try to save them; the explanations come last, when every day is known. A plan is feasible
/// when every constraint holds, which is when it has no conflict: each constraint the plan
/// breaks, whether the search had to relax it or nothing could have met it, is one.
treatment_plan planner::run() {
  treatment_plan out = header();
  find_events_lost_to_done_sessions();
  describe_lost_events(out);
  if (search_relaxing_as_needed()) {
    place_maintenance(out);
  } else {
    describe_no_dates(out);
    placed_.clear();
  }
  describe_interval_conflicts(out);
  assemble_items(out);
  describe_served_follow_ups(out);
  judge_events(out);
  out.feasible = out.conflicts.empty();
  return out;
}

/// A blood thinner the model lets a plan pause is paused, when the prescriber approved, and
/// modelled as stopped; any other stays in the model as taken, and a note says why.
void planner::classify_medicine(const risk_factor& factor) {
  const auto* modifier = model_.find_modifier(factor.id);
  if (!modifier || !modifier->washout_days || factor.stopped_on) return;  // standing factor or already stopped
  if (modifier->plan_may_pause && request_.medication_pause_approved) {
    paused_.push_back(modifier);
    pause_days_ = std::max(pause_days_, whole_days(modifier->washout_days->value));
    std::erase_if(modelled_.risk_factors, [&](const auto& f) { return f.id == factor.id; });
  } else {
    const auto& note = modifier->plan_may_pause ? words_.pause_not_approved : words_.never_paused;
    notes_.push_back(fill(note, {{"medicine", modifier->name}}));
  }
}

treatment_plan planner::header() const {
  treatment_plan out;
  out.model_id = model_.id;
  out.model_version = model_.version;
  out.notice = model_.notice;
  out.patient = request_.patient.patient;
  out.protocol = protocol_.id;
  out.notes = notes_;
  return out;
}

}  // namespace detail

namespace {

/// More sessions done than the course has leaves no course to plan, and no way to tell which
/// of them were the course and which maintenance: the request must say how long the course was.
std::optional<input_problem> too_many_done(const plan_request& request, const protocol_spec& protocol) {
  const std::size_t done = request.patient.sessions.size();
  const int course = request.sessions.value_or(static_cast<int>(protocol.sessions.value));
  if (done <= static_cast<std::size_t>(course)) return std::nullopt;
  const std::string has = request.sessions ? "but sessions asks for a course of " + std::to_string(course)
                                           : "but the protocol has " + std::to_string(course) + " (give sessions for a longer course)";
  return input_problem{"profile.sessions", std::to_string(done) + " sessions done, " + has, problem_code::conflict};
}

}  // namespace

std::vector<input_problem> check_plan_request(const model& model, const plan_request& request) {
  std::vector<input_problem> problems;
  if (!model.find_protocol(request.protocol))
    problems.push_back({"protocol", "unknown protocol '" + request.protocol + "' (known: " + detail::known_ids(model.protocols) + ")",
                          problem_code::unknown_id});
  for (auto& p : check_profile(model, request.patient))
    if (p.path != "sessions") problems.push_back({"profile." + p.path, p.message, p.code});
  if (!request.patient.protocol.empty() && request.patient.protocol != request.protocol && model.find_protocol(request.patient.protocol))
    problems.push_back({"profile.protocol", "is '" + request.patient.protocol + "', but the request plans '" + request.protocol +
                                                "'; leave it out or give the same",
                        problem_code::conflict});
  for (std::size_t i = 0; i < request.unavailable.size(); ++i)
    if (request.unavailable[i].to < request.unavailable[i].from)
      problems.push_back({"unavailable[" + std::to_string(i) + "]", "ends (" + iso_date(request.unavailable[i].to) + ") before it starts (" +
                                                                        iso_date(request.unavailable[i].from) + ")", problem_code::conflict});
  for (std::size_t i = 0; i < request.events.size(); ++i)
    if (!(request.events[i].confidence > 0.0 && request.events[i].confidence < 1.0))
      problems.push_back({"events[" + std::to_string(i) + "].confidence", "must be in (0, 1)", problem_code::out_of_range});
  const bool course_length_valid = !request.sessions || (*request.sessions >= 1 && *request.sessions <= 30);
  if (!course_length_valid) problems.push_back({"sessions", "must be from 1 to 30", problem_code::out_of_range});
  if (const auto* protocol = model.find_protocol(request.protocol); protocol && course_length_valid)
    if (auto problem = too_many_done(request, *protocol)) problems.push_back(std::move(*problem));
  if (request.maintenance_until && *request.maintenance_until < request.earliest)
    problems.push_back({"maintenance_until", "is before earliest (" + iso_date(request.earliest) + ")", problem_code::conflict});
  if (!request.patient.sessions.empty() && request.patient.sessions.back().day > request.earliest)
    problems.push_back({"profile.sessions", "a session done on " + iso_date(request.patient.sessions.back().day) +
                                                " is after earliest (" + iso_date(request.earliest) + "); plan from a later date",
                                                problem_code::conflict});
  if (request.today && *request.today > request.earliest)
    problems.push_back({"today", "is after earliest (" + iso_date(request.earliest) + ")", problem_code::conflict});
  if (std::none_of(request.calendar.open_weekdays.begin(), request.calendar.open_weekdays.end(), [](bool b) { return b; }))
    problems.push_back({"calendar.open_weekdays", "must name at least one weekday"});
  if (!request.reports.empty() && request.patient.sessions.empty())
    problems.push_back({"reports", detail::reports_need_sessions, problem_code::conflict});
  const date low(1901, 1, 1), high(2150, 12, 31);
  if (request.earliest < low || request.earliest > high) problems.push_back({"earliest", "must be within 1901-2150", problem_code::out_of_range});
  return problems;
}

treatment_plan plan(const model& model, const plan_request& request) {
  if (auto problems = check_plan_request(model, request); !problems.empty()) throw input_error(std::move(problems));
  if (request.reports.empty() || request.healing) return detail::planner(model, request).run();
  plan_request informed = request;
  informed.healing = assess(model, personalise(model, request.patient), request.reports).healing;
  return detail::planner(model, informed).run();
}

profile planned_profile(const model& model, const plan_request& request, const treatment_plan& plan) {
  profile out = request.patient;
  out.protocol = plan.protocol;  // so that its projection checks the gate the plan was made under
  out.risk_factors = detail::counted_factors(model, out.risk_factors);  // what the plan paused is what acted
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

// Planning: each constraint on its own, rescheduling, infeasible requests, the request reader,
// and a property test over a few hundred random requests checked against the calendar and the
// projection itself.
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <iostream>
#include <map>
#include <random>
#include <regex>

namespace {

using namespace aftermath;
namespace greg = boost::gregorian;

const model& m() { return default_model(); }

plan_request basic_request() {
  plan_request r;
  r.protocol = "face_initial";
  r.earliest = date(2026, 12, 1);
  r.calendar.holidays.push_back(*find_holiday_set("us_federal"));
  return r;
}

std::vector<const plan_item*> sessions_of(const treatment_plan& p) {
  std::vector<const plan_item*> out;
  for (const auto& i : p.items)
    if (i.kind == plan_item_kind::session || i.kind == plan_item_kind::maintenance) out.push_back(&i);
  return out;
}

std::vector<const plan_item*> course_of(const treatment_plan& p) {
  std::vector<const plan_item*> out;
  for (const auto* s : sessions_of(p))
    if (s->kind == plan_item_kind::session) out.push_back(s);
  return out;
}

long gap(const plan_item* a, const plan_item* b) { return (b->from - a->from).days(); }

/// Σ_e P(e occurred and is unresolved) `days_after` a lone session on `day`: the recovery gate,
/// computed from the projection functions, not from the planner.
double unresolved_after(const profile& patient, date day, long days_after) {
  profile alone = patient;
  alone.sessions = {{day, std::nullopt}};
  const auto course = personalise(m(), alone);
  double sum = 0.0;
  for (const auto& e : course.effects) sum += unresolved_chance(e, course.resolved_threshold, days(static_cast<double>(days_after))).value();
  return sum;
}

/// The same sum under the protocol's own gate: over the effects it looks at, at its threshold;
/// also from the projection functions.
double unmet_after(const profile& patient, const recovery_gate& gate, date day, long days_after) {
  profile alone = patient;
  alone.sessions = {{day, std::nullopt}};
  const auto course = personalise(m(), alone);
  double sum = 0.0;
  for (const auto& e : course.effects)
    if (gate.effects.empty() || std::find(gate.effects.begin(), gate.effects.end(), e.id) != gate.effects.end())
      sum += unresolved_chance(e, gate.threshold, days(static_cast<double>(days_after))).value();
  return sum;
}

/// A copy of the default model whose body course has no gate of its own: the gate every protocol
/// had before (every effect resolved), which this model's bruise-prone patients cannot meet
/// within the course's 14-day maximum.
model with_resolving_body_course(model changed) {
  for (auto& protocol : changed.protocols)
    if (protocol.id == "body_course") protocol.gate.reset();
  return changed;
}

/// The largest Σ_e P(e visible) over the start, middle and end of `day` under the whole plan.
double visible_on(const plan_request& request, const treatment_plan& p, date day) {
  profile planned = planned_profile(m(), request, p);
  std::erase_if(planned.sessions, [&](const auto& s) { return s.day > day; });
  if (planned.sessions.empty()) return 0.0;
  const auto course = personalise(m(), planned);
  const double start = days_since_first(planned, {day, std::nullopt}).count();
  double worst = 0.0;
  for (double t : {start, start + 0.5, start + 1.0}) {
    double sum = 0.0;
    for (const auto& e : course.effects) sum += visible_chance(e, course.visible_threshold, days(t)).value();
    worst = std::max(worst, sum);
  }
  return worst;
}

TEST(Plan, DefaultCourseTakesTheTargetIntervalOnOpenDays) {
  auto r = basic_request();
  r.maintenance_until = date(2026, 12, 31);
  const auto p = plan(m(), r);
  EXPECT_TRUE(p.feasible);
  EXPECT_TRUE(p.conflicts.empty());
  const auto course = course_of(p);
  ASSERT_EQ(course.size(), 4u);
  EXPECT_EQ(course[0]->from, date(2026, 12, 1));
  for (std::size_t k = 1; k < course.size(); ++k) EXPECT_EQ(gap(course[k - 1], course[k]), 14) << k;
  // Seven aftercare windows after each session, the end-of-course assessment once.
  EXPECT_EQ(std::count_if(p.items.begin(), p.items.end(), [](const auto& i) { return i.kind == plan_item_kind::aftercare; }), 28);
  EXPECT_EQ(std::count_if(p.items.begin(), p.items.end(), [](const auto& i) { return i.id == "end_of_course"; }), 1);
  for (const auto& i : p.items) EXPECT_FALSE(closed_because(r.calendar, i.from) && i.kind != plan_item_kind::aftercare &&
                                            i.kind != plan_item_kind::medication_pause) << iso_date(i.from);
  EXPECT_TRUE(std::is_sorted(p.items.begin(), p.items.end(), [](const auto& a, const auto& b) { return a.from < b.from; }));
}

TEST(Plan, HolidaysClosuresAndUnavailableDaysMoveSessionsAndSayWhy) {
  auto r = basic_request();
  r.unavailable.push_back({date(2026, 12, 20), date(2027, 1, 3)});
  r.maintenance_until = date(2027, 2, 1);
  const auto p = plan(m(), r);
  const auto course = course_of(p);
  ASSERT_EQ(course.size(), 4u);
  EXPECT_EQ(course[2]->from, date(2027, 1, 4));  // the target, 2026-12-29, is in the unavailable range
  EXPECT_NE(course[2]->reason.find("unavailable"), std::string::npos) << course[2]->reason;
  EXPECT_EQ(course[3]->from, date(2027, 1, 19));  // 2027-01-18 is Martin Luther King Jr. Day
  EXPECT_NE(course[3]->reason.find("Martin Luther King"), std::string::npos) << course[3]->reason;
}

TEST(Plan, BruiseProneOnAspirinWaitsLongerAndTheGateHolds) {
  auto r = basic_request();
  r.maintenance_until = date(2027, 1, 1);
  const auto typical_plan = plan(m(), r);
  const auto typical = course_of(typical_plan);
  r.patient.risk_factors = {{"bruise_prone", {}}, {"aspirin", {}}};
  const auto p = plan(m(), r);
  const auto prone = course_of(p);
  ASSERT_EQ(prone.size(), 4u);
  EXPECT_GT(gap(prone[0], prone[1]), gap(typical[0], typical[1]));
  const double allowed = 1.0 - m().planning.recovery_confidence.value;
  for (std::size_t k = 1; k < prone.size(); ++k) {
    EXPECT_LE(unresolved_after(r.patient, prone[k - 1]->from, gap(prone[k - 1], prone[k])), allowed);
    // ...and the day before would not have done: the gate, not the calendar, set the date.
    EXPECT_GT(unresolved_after(r.patient, prone[k - 1]->from, gap(prone[k - 1], prone[k]) - 3), allowed);
  }
  EXPECT_FALSE(p.notes.empty());  // aspirin not paused without approval, and the plan says so
}

TEST(Plan, ApprovedPauseStopsAspirinForItsWashoutBeforeEachSessionButNeverAnticoagulants) {
  auto r = basic_request();
  r.maintenance_until = date(2027, 1, 1);
  r.patient.risk_factors = {{"aspirin", {}}, {"anticoagulant", {}}};
  r.medication_pause_approved = true;
  const auto p = plan(m(), r);
  const int washout = static_cast<int>(std::ceil(m().find_modifier("aspirin")->washout_days->value));
  std::vector<const plan_item*> pauses;
  for (const auto& i : p.items) {
    EXPECT_NE(i.id, "anticoagulant");
    if (i.kind == plan_item_kind::medication_pause) pauses.push_back(&i);
  }
  const auto course = course_of(p);
  ASSERT_EQ(pauses.size(), course.size());
  for (std::size_t k = 0; k < course.size(); ++k) {
    EXPECT_EQ(pauses[k]->until, course[k]->from);
    EXPECT_EQ((pauses[k]->until - pauses[k]->from).days(), washout);
  }
  EXPECT_GE(course[0]->from, r.earliest + greg::days(washout));  // a full pause from today
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("never paused"), std::string::npos);
}

TEST(Plan, ABroaderMedicineNamedBesideItsKindIsPausedOnceAsTheKind) {
  model m = default_model();
  modifier_spec naproxen = *m.find_modifier("nsaid");
  naproxen.id = "naproxen";
  naproxen.name = "Naproxen";
  naproxen.kind_of = "nsaid";
  naproxen.washout_days->value = 3.5;
  m.modifiers.push_back(naproxen);
  auto r = basic_request();
  r.patient.risk_factors = {{"nsaid", {}}, {"naproxen", {}}};
  r.medication_pause_approved = true;
  const auto p = plan(m, r);
  std::size_t pauses = 0;
  for (const auto& i : p.items)
    if (i.kind == plan_item_kind::medication_pause) {
      ++pauses;
      EXPECT_EQ(i.id, "naproxen");
      EXPECT_EQ((i.until - i.from).days(), 4);  // 3.5 days, paused in whole days
    }
  EXPECT_EQ(pauses, sessions_of(p).size());  // one before each session and maintenance session
  EXPECT_TRUE(p.notes.empty());
  EXPECT_TRUE(planned_profile(m, r, p).risk_factors.empty());  // neither acts at the planned sessions
}

TEST(Plan, ApprovedPauseStopsNaproxenForItsOwnWashoutBeforeEachSession) {
  auto r = basic_request();
  r.patient.risk_factors = {{"nsaid_long_acting", {}}};
  r.medication_pause_approved = true;
  const auto p = plan(m(), r);
  const int washout = static_cast<int>(std::ceil(m().find_modifier("nsaid_long_acting")->washout_days->value));
  EXPECT_EQ(washout, 4);
  const auto course = course_of(p);
  std::size_t pauses = 0;
  for (const auto& i : p.items)
    if (i.kind == plan_item_kind::medication_pause) {
      ++pauses;
      EXPECT_EQ(i.id, "nsaid_long_acting");
      EXPECT_EQ((i.until - i.from).days(), washout);
    }
  EXPECT_EQ(pauses, sessions_of(p).size());  // one before each session and maintenance session
  EXPECT_GE(course[0]->from, r.earliest + greg::days(washout));  // a full pause from today
  // The short-acting kind needs a day, so its first session can come three days sooner.
  r.patient.risk_factors = {{"nsaid_short_acting", {}}};
  EXPECT_EQ(course_of(plan(m(), r))[0]->from, r.earliest + greg::days(1));
}

TEST(Plan, FishOilIsNeitherPausedNorNotedAndGarlicIsPausedForAWeek) {
  auto r = basic_request();
  r.patient.risk_factors = {{"fish_oil", {}}, {"garlic", {}}};
  r.medication_pause_approved = true;
  const auto p = plan(m(), r);
  for (const auto& i : p.items)
    if (i.kind == plan_item_kind::medication_pause) {
      EXPECT_EQ(i.id, "garlic");
      EXPECT_EQ((i.until - i.from).days(), 7);
    }
  EXPECT_TRUE(p.notes.empty());
}

TEST(Plan, PauseTextAndNotesComeFromTheModelsWording) {
  model reworded = m();
  reworded.wording.plan.pause = "Pausa {medicine}: {from} / {until}";
  reworded.wording.plan.never_paused = "{medicine}: nie pausieren";
  auto r = basic_request();
  r.patient.risk_factors = {{"aspirin", {}}, {"anticoagulant", {}}};
  r.medication_pause_approved = true;
  const auto p = plan(reworded, r);
  const auto pause = std::find_if(p.items.begin(), p.items.end(), [](const auto& i) { return i.kind == plan_item_kind::medication_pause; });
  ASSERT_NE(pause, p.items.end());
  EXPECT_EQ(pause->text, "Pausa " + reworded.find_modifier("aspirin")->name + ": " + iso_date(pause->from) + " / " + iso_date(pause->until));
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_EQ(p.notes[0], reworded.find_modifier("anticoagulant")->name + ": nie pausieren");
}

TEST(Plan, EventIsKeptClearUnderTheProjection) {
  auto r = basic_request();
  r.maintenance_until = date(2027, 1, 1);
  r.events.push_back({"wedding", date(2026, 12, 20), 0.95});
  const auto p = plan(m(), r);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_TRUE(p.events[0].satisfied);
  EXPECT_LE(visible_on(r, p, date(2026, 12, 20)), 0.05 + 1e-12);
  // Without the event the second session would fall five days before it.
  r.events.clear();
  const auto free = plan(m(), r);
  EXPECT_GT(visible_on(r, free, date(2026, 12, 20)), 0.05);
}

TEST(Plan, GateLongerThanTheMaximumIntervalIsInfeasibleWithTheNearestDate) {
  auto r = basic_request();
  r.protocol = "body_course";  // at most 14 days apart
  r.sessions = 3;
  r.patient.risk_factors = {{"bruise_prone", {}}, {"aspirin", {}}};
  const auto p = plan(with_resolving_body_course(m()), r);
  EXPECT_FALSE(p.feasible);
  ASSERT_FALSE(p.conflicts.empty());
  EXPECT_EQ(p.conflicts[0].constraint, "interval_max");
  EXPECT_NE(p.conflicts[0].text.find("to resolve"), std::string::npos) << p.conflicts[0].text;
  ASSERT_TRUE(p.conflicts[0].nearest_feasible.has_value());
  EXPECT_EQ(course_of(p).size(), 3u);  // the relaxed plan is still given
}

TEST(Plan, ReschedulingKeepsDoneSessionsAndUsesTheAssessedHealing) {
  auto r = basic_request();
  r.maintenance_until = date(2027, 1, 1);
  r.patient.sessions = {{date(2026, 11, 2), std::nullopt}, {date(2026, 11, 16), std::nullopt}};
  r.earliest = date(2026, 11, 23);
  const auto typical = plan(m(), r);
  const auto course = course_of(typical);
  ASSERT_EQ(course.size(), 4u);
  EXPECT_TRUE(course[0]->done && course[1]->done && !course[2]->done);
  EXPECT_GE(course[2]->from, r.earliest);
  r.healing = healing_estimate{2.0, 0.3, probability::checked(0.977)};  // reports showed a slow healer
  const auto slow_plan = plan(m(), r);
  const auto slow = course_of(slow_plan);
  r.healing = healing_estimate{-1.0, 0.3, probability::checked(0.16)};
  const auto fast_plan = plan(m(), r);
  const auto fast = course_of(fast_plan);
  EXPECT_GT(gap(slow[2], slow[3]), gap(fast[2], fast[3]));
}

TEST(Plan, SameRequestSamePlan) {
  auto r = basic_request();
  r.patient.risk_factors = {{"sensitive_skin", {}}};
  r.events.push_back({"party", date(2027, 1, 9), 0.9});
  EXPECT_EQ(to_json(plan(m(), r)), to_json(plan(m(), r)));
}

TEST(Plan, BadRequestsNameEveryProblem) {
  auto r = basic_request();
  r.protocol = "face_everything";
  r.unavailable.push_back({date(2027, 1, 3), date(2026, 12, 20)});
  r.events.push_back({"x", date(2027, 1, 1), 1.5});
  r.sessions = 0;
  try {
    (void)plan(m(), r);
    FAIL() << "accepted";
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("protocol: unknown protocol 'face_everything' (known: face_initial"), std::string::npos) << what;
    EXPECT_NE(what.find("unavailable[0]: ends (2026-12-20) before it starts (2027-01-03)"), std::string::npos) << what;
    EXPECT_NE(what.find("events[0].confidence"), std::string::npos) << what;
    EXPECT_NE(what.find("sessions: must be from 1 to 30"), std::string::npos) << what;
  }
}

TEST(PlanRequestJson, ReadsTheContractExample) {
  const auto r = parse_plan_request(R"({
    "profile": {"patient": "p-1", "risk_factors": ["aspirin"]},
    "protocol": "face_initial", "earliest": "2026-12-01",
    "calendar": {"open_weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "closures": ["2026-12-25"], "holidays": ["us_federal"]},
    "unavailable": [{"from": "2026-12-20", "to": "2027-01-03"}],
    "events": [{"date": "2027-02-14", "name": "wedding", "require": "no_visible_side_effects", "confidence": 0.95}],
    "medication_pause_approved": false})", m());
  EXPECT_EQ(r.protocol, "face_initial");
  EXPECT_EQ(r.patient.risk_factors.size(), 1u);
  EXPECT_FALSE(r.calendar.open_weekdays[0]);
  EXPECT_TRUE(r.calendar.open_weekdays[1]);
  EXPECT_EQ(r.calendar.closures.at(0), date(2026, 12, 25));
  EXPECT_EQ(r.events.at(0).day, date(2027, 2, 14));
  EXPECT_EQ(r.unavailable.at(0).to, date(2027, 1, 3));
}

TEST(PlanRequestJson, BrokenRequestsNameEachFieldAndReason) {
  const std::string broken = R"({
    "profile": {"risk_factors": ["bruise_prone", "warfarin"]},
    "protocol": "face_everything", "earliest": "2027-02-30",
    "calendar": {"open_weekdays": ["Mon", "Funday"], "holidays": ["narnia"], "closures": ["2026-13-01"]},
    "unavailable": [{"from": "2026-12-20"}],
    "events": [{"date": "2027-02-14", "name": "wedding", "require": "no_bruises", "confidence": 2}],
    "sessions": 2.5, "colour": "red"})";
  try {
    (void)parse_plan_request(broken, m());
    FAIL() << "accepted";
  } catch (const input_error& e) {
    const std::string what = e.what();
    for (const char* expected :
         {"request: profile.risk_factors[1]: unknown risk factor 'warfarin'", "request: earliest: 2027-02-30 is not a date",
          "request: calendar.open_weekdays[1]: 'Funday' is not a weekday", "request: calendar.holidays[0]: unknown holiday set 'narnia' (known: us_federal",
          "request: calendar.closures[0]: 2026-13-01 is not a date", "request: unavailable[0].to: is missing",
          "request: events[0].require: 'no_bruises' is not a requirement", "request: events[0].confidence", "request: sessions: must be a whole number",
          "request: colour: unknown field"})
      EXPECT_NE(what.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << what;
  }
}

TEST(PlanRequestJson, ProblemsCarryTheRequestAsSourceAndACode) {
  std::vector<input_problem> problems;
  try {
    (void)parse_plan_request(R"({"profile": {"risk_factors": ["warfarin"]}, "protocol": "face_initial", "earliest": "2027-02-30",
      "calendar": {"holidays": ["narnia"]}, "events": [{"date": "2027-02-14", "name": "wedding", "confidence": 2}]})",
                             m(), "req.json");
  } catch (const input_error& error) {
    problems = error.problems();
  }
  const auto has = [&](const std::string& path, problem_code code) {
    return std::any_of(problems.begin(), problems.end(), [&](const input_problem& p) { return p.path == path && p.code == code; });
  };
  EXPECT_TRUE(has("profile.risk_factors[0]", problem_code::unknown_id));
  EXPECT_TRUE(has("earliest", problem_code::malformed));
  EXPECT_TRUE(has("calendar.holidays[0]", problem_code::unknown_id));
  EXPECT_TRUE(has("events[0].confidence", problem_code::out_of_range));
  ASSERT_FALSE(problems.empty());
  for (const auto& problem : problems) EXPECT_EQ(problem.source, "req.json") << problem.to_string();

  // The reports are read as part of the request: their problems keep their paths and codes.
  try {
    (void)parse_plan_request(R"({"profile": {"sessions": ["2026-11-02"]}, "protocol": "face_initial", "earliest": "2026-11-23",
      "reports": [{"date": "2026-11-12", "symptom": "acne", "severity": 4}]})",
                             m(), "req.json");
    FAIL() << "accepted";
  } catch (const input_error& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].source, "req.json");
    EXPECT_EQ(error.problems()[0].path, "reports[0].symptom");
    EXPECT_EQ(error.problems()[0].code, problem_code::unknown_id);
  }
}

TEST(PlanRequestJson, UnknownProtocolAndReversedRangeAfterReading) {
  try {
    (void)parse_plan_request(R"({"profile": {}, "protocol": "nope", "earliest": "2026-12-01",
                                 "unavailable": [{"from": "2027-01-03", "to": "2026-12-20"}]})", m());
    FAIL() << "accepted";
  } catch (const input_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("request: protocol: unknown protocol 'nope'"), std::string::npos) << what;
    EXPECT_NE(what.find("request: unavailable[0]: ends (2026-12-20) before it starts (2027-01-03)"), std::string::npos) << what;
  }
}

TEST(PlanRequestJson, ReportsOnDoneSessionsInformTheHealing) {
  // The reader only reads the reports; plan assesses them and plans with the healing they show.
  const auto r = parse_plan_request(R"({
    "profile": {"sessions": ["2026-11-02"]}, "protocol": "face_initial", "earliest": "2026-11-23",
    "reports": [{"date": "2026-11-12", "symptom": "bruising", "severity": 4}, {"date": "2026-11-16", "symptom": "bruising", "severity": 3}]})", m());
  ASSERT_EQ(r.reports.size(), 2u);
  EXPECT_FALSE(r.healing.has_value());
  const auto healing = assess(m(), personalise(m(), r.patient), r.reports).healing;
  EXPECT_GT(healing.mean_z, 0.5);  // still bruised two weeks on: slower than typical

  plan_request told = r;
  told.reports.clear();
  told.healing = healing;
  plan_request unaware = told;
  unaware.healing.reset();
  const auto first_new_session = [](const treatment_plan& p) {
    for (const auto& item : p.items)
      if (item.kind == plan_item_kind::session && !item.done) return item.from;
    return date();
  };
  EXPECT_EQ(first_new_session(plan(m(), r)), first_new_session(plan(m(), told)));
  EXPECT_GT(first_new_session(plan(m(), r)), first_new_session(plan(m(), unaware)));  // a slow healer waits longer
}

/// A random but valid request: calendar, closures, unavailable ranges, events, risk factors.
plan_request random_request(std::mt19937& rng) {
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const auto coin = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  plan_request r;
  const std::vector<std::string> protocols{"face_initial", "face_weekly", "scalp_course", "body_course", "face_maintenance"};
  r.protocol = protocols[static_cast<std::size_t>(pick(5))];
  r.earliest = date(2026, 1, 1) + greg::days(pick(700));
  r.maintenance_until = r.earliest + greg::days(pick(400));
  for (int d = 0; d < 7; ++d) r.calendar.open_weekdays[static_cast<std::size_t>(d)] = coin(0.6);
  r.calendar.open_weekdays[static_cast<std::size_t>(1 + pick(5))] = true;
  const std::vector<std::string> sets{"us_federal", "uk_england_wales", "germany", "france"};
  if (coin(0.7)) r.calendar.holidays.push_back(*find_holiday_set(sets[static_cast<std::size_t>(pick(4))]));
  for (int i = pick(6); i > 0; --i) r.calendar.closures.push_back(r.earliest + greg::days(pick(200)));
  for (int i = pick(3); i > 0; --i) {
    const date from = r.earliest + greg::days(pick(200));
    r.unavailable.push_back({from, from + greg::days(pick(25))});
  }
  for (int i = pick(3); i > 0; --i)
    r.events.push_back({"event " + std::to_string(i), r.earliest + greg::days(pick(150)), coin(0.5) ? 0.95 : 0.8});
  const std::vector<std::string> factors{"bruise_prone", "sensitive_skin", "aspirin", "anticoagulant", "nsaid", "dark_skin"};
  for (const auto& f : factors)
    if (coin(0.25)) r.patient.risk_factors.push_back({f, std::nullopt});
  r.medication_pause_approved = coin(0.5);
  return r;
}

TEST(PlanProperty, RandomRequestsRespectEveryConstraintOrSayWhichFails) {
  std::mt19937 rng(20261123);
  int infeasible = 0, events_checked = 0;
  for (int n = 0; n < 300; ++n) {
    const auto r = random_request(rng);
    SCOPED_TRACE("request " + std::to_string(n));
    const auto p = plan(m(), r);
    const auto& protocol = *m().find_protocol(r.protocol);
    if (!p.feasible) {
      ++infeasible;
      EXPECT_FALSE(p.conflicts.empty());
    }
    const auto all = sessions_of(p);
    for (const auto* s : all) {
      EXPECT_FALSE(closed_because(r.calendar, s->from).has_value()) << iso_date(s->from);
      for (const auto& range : r.unavailable) EXPECT_FALSE(range.from <= s->from && s->from <= range.to) << iso_date(s->from);
      EXPECT_GE(s->from, r.earliest);
    }
    const bool interval_conflict = std::any_of(p.conflicts.begin(), p.conflicts.end(), [](const auto& c) { return c.constraint == "interval_max"; });
    const auto course = course_of(p);
    for (std::size_t k = 1; k < course.size(); ++k) {
      EXPECT_GE(gap(course[k - 1], course[k]), protocol.interval_min_days.value);
      if (!interval_conflict) {
        EXPECT_LE(gap(course[k - 1], course[k]), protocol.interval_max_days.value);
      }
    }
    const auto gate = gate_of(m(), protocol);
    const double allowed = 1.0 - gate.confidence.value();
    const profile modelled = planned_profile(m(), r, p);
    for (std::size_t k = 1; k < all.size(); ++k)
      EXPECT_LE(unmet_after(modelled, gate, all[k - 1]->from, gap(all[k - 1], all[k])), allowed) << iso_date(all[k]->from);
    EXPECT_TRUE(gate_breaches(m(), modelled).empty());  // the plan's own projection warns of nothing
    for (const auto& e : p.events) {
      if (!e.satisfied) {
        EXPECT_TRUE(std::any_of(p.conflicts.begin(), p.conflicts.end(), [&](const auto& c) { return c.constraint == "event:" + e.name; }));
        continue;
      }
      ++events_checked;
      EXPECT_LE(visible_on(r, p, e.day), 1.0 - e.confidence + 1e-12) << e.name << " " << iso_date(e.day);
    }
  }
  RecordProperty("infeasible", infeasible);
  RecordProperty("events_checked", events_checked);
  EXPECT_GT(events_checked, 50);
}

/// The request of HolidaysClosuresAndUnavailableDaysMoveSessionsAndSayWhy: sessions on target,
/// one moved by an unavailable range, one by a holiday.
plan_request moved_by_holidays_and_absence() {
  auto r = basic_request();
  r.unavailable.push_back({date(2026, 12, 20), date(2027, 1, 3)});
  r.maintenance_until = date(2027, 2, 1);
  return r;
}

const plan_item& item_of(const treatment_plan& p, plan_item_kind kind, int number, const std::string& id) {
  const auto it = std::find_if(p.items.begin(), p.items.end(), [&](const auto& i) { return i.kind == kind && i.number == number && i.id == id; });
  if (it == p.items.end()) throw std::logic_error("no item " + id + " of session " + std::to_string(number));
  return *it;
}

TEST(PlanWording, TheDefaultModelGivesThePlansSentencesWordForWord) {
  const auto p = plan(m(), moved_by_holidays_and_absence());
  const auto course = course_of(p);
  ASSERT_EQ(course.size(), 4u);
  EXPECT_EQ(course[0]->reason, "the first day on or after 2026-12-01 that the clinic is open and you are available");
  EXPECT_EQ(course[1]->reason, "14 days after session 1, the protocol's target interval");
  EXPECT_EQ(course[2]->reason, "20 days after session 2 (the target is 14 days): the target day you are unavailable from 2026-12-20 to 2027-01-03");
  EXPECT_EQ(course[3]->reason.rfind("15 days after session 3 (the target is 14 days): the target day 2027-01-18 is a holiday: ", 0), 0u)
      << course[3]->reason;
  EXPECT_EQ(item_of(p, plan_item_kind::aftercare, 1, "makeup").reason, "aftercare for 1 day after session 1");
  EXPECT_EQ(item_of(p, plan_item_kind::follow_up, 4, "end_of_course").reason, "30 days after session 4");
}

/// The reason of the first medication pause of a plan for `factor`, approved.
std::string pause_reason(const model& wording, const std::string& factor) {
  auto r = basic_request();
  r.patient.risk_factors = {{factor, {}}};
  r.medication_pause_approved = true;
  for (const auto& i : plan(wording, r).items)
    if (i.kind == plan_item_kind::medication_pause) return i.reason;
  throw std::logic_error("no pause for " + factor);
}

TEST(PlanWording, ThePauseReasonCountsTheWashoutInTheModelsWordsForDays) {
  EXPECT_EQ(pause_reason(m(), "nsaid_short_acting"),
            "its effect on bleeding wears off in about 1 day, so bruising risk is back to your baseline by the session");
  EXPECT_EQ(pause_reason(m(), "nsaid_long_acting"),
            "its effect on bleeding wears off in about 3.5 days, so bruising risk is back to your baseline by the session");
  model three = m();
  std::find_if(three.modifiers.begin(), three.modifiers.end(), [](const auto& x) { return x.id == "nsaid_short_acting"; })->washout_days->value = 3;
  EXPECT_EQ(pause_reason(three, "nsaid_short_acting"),
            "its effect on bleeding wears off in about 3 days, so bruising risk is back to your baseline by the session");
  // A translation says "one day" its own way; a model still written with the bare number keeps it.
  model german = m();
  german.wording.plan.one_day = "einem Tag";
  german.wording.plan.days = "{count} Tagen";
  german.wording.plan.pause_reason = "die Wirkung klingt nach etwa {washout} ab";
  EXPECT_EQ(pause_reason(german, "nsaid_short_acting"), "die Wirkung klingt nach etwa einem Tag ab");
  EXPECT_EQ(pause_reason(german, "nsaid_piroxicam"), "die Wirkung klingt nach etwa 10.4 Tagen ab");
  german.wording.plan.pause_reason = "wears off in about {washout_days} days";
  EXPECT_EQ(pause_reason(german, "nsaid_long_acting"), "wears off in about 3.5 days");
}

/// The default model with some of its plan wording in German, as a clinic translating it would.
model german_plan_wording() {
  model reworded = m();
  auto& words = reworded.wording.plan;
  words.days = "{count} Tage";
  words.one_day = "ein Tag";
  words.session = "Sitzung {number}";
  words.maintenance_session = "Auffrischung {number}";
  words.weekdays = {"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"};
  words.day_closed_weekday = "{date} ist {weekday}";
  words.day_unavailable = "abwesend {from} bis {until}";
  words.day_holiday = "{date} Feiertag ({holiday})";
  words.first_session = "ab {earliest}";
  words.on_target = "{interval} nach Sitzung {previous}";
  words.off_target = "{interval} nach Sitzung {previous} statt {target}: {why}";
  words.off_target_unusable = "{why}";
  words.aftercare = "Nachsorge: {days} nach {session}";
  words.follow_up = "{days} nach {session}";
  words.follow_up_moved = "{reason}, verschoben: {why}";
  words.interval_too_long = "Sitzung {number}: {interval} nach {previous}, höchstens {longest}; {why}";
  words.interval_gate = "Abheilung in {gate} ({confidence})";
  return reworded;
}

TEST(PlanWording, ReasonsAndItemsComeFromTheModelsWording) {
  const model reworded = german_plan_wording();
  const auto p = plan(reworded, moved_by_holidays_and_absence());
  const auto course = course_of(p);
  ASSERT_EQ(course.size(), 4u);
  EXPECT_EQ(course[0]->reason, "ab 2026-12-01");
  EXPECT_EQ(course[1]->reason, "14 Tage nach Sitzung 1");
  EXPECT_EQ(course[2]->reason, "20 Tage nach Sitzung 2 statt 14 Tage: abwesend 2026-12-20 bis 2027-01-03");
  EXPECT_EQ(course[3]->reason.rfind("15 Tage nach Sitzung 3 statt 14 Tage: 2027-01-18 Feiertag (", 0), 0u) << course[3]->reason;
  EXPECT_EQ(item_of(p, plan_item_kind::aftercare, 1, "makeup").reason, "Nachsorge: ein Tag nach Sitzung 1");
  EXPECT_EQ(item_of(p, plan_item_kind::follow_up, 4, "end_of_course").reason, "30 Tage nach Sitzung 4");
}

TEST(PlanWording, ConflictsAndMovedFollowUpsComeFromTheModelsWording) {
  const model reworded = with_resolving_body_course(german_plan_wording());
  auto r = basic_request();
  r.protocol = "body_course";  // at most 14 days apart, which this patient's gate exceeds
  r.sessions = 3;
  r.patient.risk_factors = {{"bruise_prone", {}}, {"aspirin", {}}};
  const auto p = plan(reworded, r);
  const auto course = course_of(p);
  ASSERT_EQ(course.size(), 3u);
  ASSERT_FALSE(p.conflicts.empty());
  const std::string& text = p.conflicts[0].text;
  const std::string start = "Sitzung 2: " + std::to_string(gap(course[0], course[1])) + " Tage nach 1, höchstens 14 Tage; Abheilung in ";
  EXPECT_EQ(text.rfind(start, 0), 0u) << text;
  EXPECT_TRUE(text.ends_with(" Tage (95 %)")) << text;

  // Every follow-up the calendar moved says where from, in the model's words and weekday names.
  const auto& follow_ups = m().find_protocol("body_course")->follow_ups;
  int moved = 0;
  for (const auto& i : p.items) {
    if (i.kind != plan_item_kind::follow_up || i.reason.find("verschoben") == std::string::npos) continue;
    const bool maintenance = i.number > 3;  // the course has three sessions
    const auto& session = item_of(p, maintenance ? plan_item_kind::maintenance : plan_item_kind::session, i.number, "");
    const auto f = std::find_if(follow_ups.begin(), follow_ups.end(), [&](const auto& each) { return each.id == i.id; });
    const int after = static_cast<int>(std::ceil(f->after_days.value));
    const date wanted = session.from + greg::days(after);
    const auto weekday = static_cast<std::size_t>(wanted.day_of_week().as_number());
    EXPECT_EQ(i.reason, std::to_string(after) + " Tage nach " + (maintenance ? "Auffrischung " : "Sitzung ") + std::to_string(i.number) +
                            ", verschoben: " + iso_date(wanted) + " ist " + reworded.wording.plan.weekdays[weekday]);
    ++moved;
  }
  EXPECT_GT(moved, 0);
}

TEST(PlanWording, AModelFileWithItsOwnPlanWordingRewordsThePlan) {
  std::string file = to_json(m());
  // The plan's own words: wording.durations holds a "days" sentence too, for the leaflet.
  const auto plan_wording = file.find(R"("plan": {)");
  ASSERT_NE(plan_wording, std::string::npos);
  const auto reword = [&](const std::string& from, const std::string& to) {
    const auto at = file.find(from, plan_wording);
    ASSERT_NE(at, std::string::npos) << from;
    file.replace(at, from.size(), to);
  };
  reword(R"("on_target": "{interval} after session {previous}, the protocol's target interval")", R"("on_target": "{interval} après la séance {previous}")");
  reword(R"("days": "{count} days")", R"("days": "{count} jours")");
  const auto p = plan(parse_model(file, "french.json"), basic_request());
  const auto course = course_of(p);
  ASSERT_GE(course.size(), 2u);
  EXPECT_EQ(course[1]->reason, "14 jours après la séance 1");
}


// --- follow-ups: none left out without the plan saying so ------------------------------------

/// One facial maintenance session on Monday 2027-03-01, the patient away from the next day until
/// 2027-03-25: both follow-ups of the session are due while the patient is away.
plan_request session_before_a_long_absence() {
  plan_request r;
  r.protocol = "face_maintenance";
  r.earliest = date(2027, 3, 1);
  r.unavailable.push_back({date(2027, 3, 2), date(2027, 3, 25)});
  return r;
}

const plan_conflict* conflict_named(const treatment_plan& p, const std::string& constraint) {
  const auto it = std::find_if(p.conflicts.begin(), p.conflicts.end(), [&](const auto& c) { return c.constraint == constraint; });
  return it == p.conflicts.end() ? nullptr : &*it;
}

TEST(PlanFollowUps, AFollowUpTheCalendarMovesFarFallsOnTheFirstDayBack) {
  const auto p = plan(m(), session_before_a_long_absence());
  ASSERT_EQ(item_of(p, plan_item_kind::session, 1, "").from, date(2027, 3, 1));
  for (const char* id : {"check_in", "review"}) {
    const auto& follow_up = item_of(p, plan_item_kind::follow_up, 1, id);
    EXPECT_EQ(follow_up.from, date(2027, 3, 26)) << id;  // Friday, the first day back
    EXPECT_NE(follow_up.reason.find("(moved: you are unavailable from 2027-03-02 to 2027-03-25)"), std::string::npos) << follow_up.reason;
  }
  EXPECT_TRUE(p.feasible);
  EXPECT_TRUE(p.conflicts.empty());
}

TEST(PlanFollowUps, AFollowUpNoDayWithinReachSuitsIsAConflictWithTheNearestDay) {
  auto r = session_before_a_long_absence();
  r.unavailable[0].to = date(2029, 12, 31);  // more than the 730 days the plan looks ahead
  r.maintenance_until = date(2027, 3, 2);    // no top-up either
  const auto p = plan(m(), r);
  EXPECT_FALSE(p.feasible);
  for (const auto& [id, due] : {std::pair<std::string, date>{"check_in", date(2027, 3, 3)}, {"review", date(2027, 3, 11)}}) {
    const auto* conflict = conflict_named(p, "follow_up:" + id);
    ASSERT_NE(conflict, nullptr) << id;
    EXPECT_EQ(conflict->text, id + " after session 1 is due on " + iso_date(due) + ", but no day from " + iso_date(due) + " to " +
                                  iso_date(due + greg::days(730)) + " is open and available (you are unavailable from 2027-03-02 to 2029-12-31)");
    EXPECT_EQ(conflict->nearest_feasible, date(2030, 1, 1)) << id;  // Tuesday, the first day back
  }
  EXPECT_TRUE(std::none_of(p.items.begin(), p.items.end(), [](const auto& i) { return i.kind == plan_item_kind::follow_up; }));
}

TEST(PlanFollowUps, AFollowUpTheNextSessionComesFirstForIsNamedInANote) {
  auto r = basic_request();  // session 1 on Tuesday 2026-12-01; its review is due on 2026-12-11
  r.unavailable.push_back({date(2026, 12, 11), date(2026, 12, 15)});
  r.maintenance_until = date(2027, 1, 1);
  const auto p = plan(m(), r);
  const auto course = course_of(p);
  ASSERT_EQ(course.size(), 4u);
  ASSERT_EQ(course[1]->from, date(2026, 12, 16));  // the review's first day back is session 2's day
  EXPECT_THROW((void)item_of(p, plan_item_kind::follow_up, 1, "review"), std::logic_error);
  EXPECT_EQ(item_of(p, plan_item_kind::follow_up, 1, "check_in").from, date(2026, 12, 3));
  EXPECT_NE(std::find(p.notes.begin(), p.notes.end(),
                      "review is not planned on its own after session 1: it would fall on or after the next session, which serves for it"),
            p.notes.end())
      << ::testing::PrintToString(p.notes);
  EXPECT_TRUE(p.feasible);
}

// --- maintenance: the nearest day, the earlier on a tie, never past the interval if it can be --

/// One facial maintenance session on 2027-03-01 and a year of top-ups, with the clinic open every
/// day, so that only the calendar's closures move a top-up.
plan_request top_ups_on_an_open_calendar() {
  plan_request r;
  r.protocol = "face_maintenance";
  r.earliest = date(2027, 3, 1);
  r.calendar.open_weekdays.fill(true);
  r.maintenance_until = date(2027, 12, 31);
  return r;
}

date first_top_up(const treatment_plan& p) {
  for (const auto* s : sessions_of(p))
    if (s->kind == plan_item_kind::maintenance) return s->from;
  throw std::logic_error("no top-up");
}

TEST(PlanMaintenance, ATopUpWhoseDueDayIsClosedTakesTheEarlierOfTwoEquallyNearDays) {
  auto r = top_ups_on_an_open_calendar();
  const date due = first_top_up(plan(m(), r));  // on an open calendar a top-up falls on its due day
  r.calendar.closures.push_back(due);
  const auto p = plan(m(), r);
  EXPECT_EQ(first_top_up(p), due - greg::days(1));
  EXPECT_TRUE(p.feasible);
}

TEST(PlanMaintenance, ATopUpDueAtTheIntervalIsNotPlacedPastItWhenAnEarlierDayFits) {
  auto r = top_ups_on_an_open_calendar();
  const date due = first_top_up(plan(m(), r));
  const int interval = static_cast<int>(std::ceil(m().find_protocol("face_maintenance")->maintenance->interval_days.value));
  ASSERT_EQ(due, r.earliest + greg::days(interval));  // one session's results outlast the interval
  // The day after the due day is nearer than the day two before, but past the interval.
  r.calendar.closures = {due, due - greg::days(1)};
  const auto p = plan(m(), r);
  EXPECT_EQ(first_top_up(p), due - greg::days(2));
  EXPECT_TRUE(p.feasible);
  // With no day open up to the interval, the nearest after it is taken, as a conflict.
  r.unavailable.push_back({r.earliest + greg::days(1), due});
  const auto late = plan(m(), r);
  EXPECT_EQ(first_top_up(late), due + greg::days(1));
  const auto* conflict = conflict_named(late, "maintenance_interval");
  ASSERT_NE(conflict, nullptr);
  EXPECT_EQ(conflict->nearest_feasible, due + greg::days(1));
  EXPECT_FALSE(late.feasible);
}

// --- feasible: every constraint holds, and only then ----------------------------------------

TEST(PlanFeasible, AnEventTheDoneSessionsSpoilMakesThePlanInfeasible) {
  auto r = basic_request();
  r.patient.sessions = {{date(2026, 11, 30), std::nullopt}};
  r.maintenance_until = date(2027, 1, 1);
  r.events.push_back({"party", date(2026, 12, 1), 0.95});  // the day after a session
  const auto p = plan(m(), r);
  ASSERT_NE(conflict_named(p, "event:party"), nullptr);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_FALSE(p.events[0].satisfied);
  EXPECT_FALSE(p.feasible);
  EXPECT_NE(to_json(p, -1).find("\"feasible\":false"), std::string::npos);
}

// --- more sessions done than the course has --------------------------------------------------

std::vector<session_date> sessions_every_two_weeks(date first, int count) {
  std::vector<session_date> out;
  for (int k = 0; k < count; ++k) out.push_back({first + greg::days(14 * k), std::nullopt});
  return out;
}

std::vector<input_problem> problems_of(const plan_request& r) {
  try {
    (void)plan(m(), r);
  } catch (const input_error& e) {
    return e.problems();
  }
  return {};
}

TEST(Plan, MoreSessionsDoneThanTheCourseHasIsRefused) {
  auto r = basic_request();  // face_initial: four sessions
  r.patient.sessions = sessions_every_two_weeks(date(2026, 9, 1), 5);
  auto problems = problems_of(r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "profile.sessions");
  EXPECT_EQ(problems[0].message, "5 sessions done, but the protocol has 4 (give sessions for a longer course)");
  EXPECT_EQ(problems[0].code, problem_code::conflict);

  r.sessions = 3;
  problems = problems_of(r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].to_string(), "profile.sessions: 5 sessions done, but sessions asks for a course of 3");

  r.sessions = 5;  // the course was five sessions long: it is done, and maintenance follows
  const auto p = plan(m(), r);
  const auto course = course_of(p);
  EXPECT_EQ(course.size(), 5u);
  EXPECT_TRUE(std::all_of(course.begin(), course.end(), [](const auto* s) { return s->done; }));
  EXPECT_GT(sessions_of(p).size(), 5u);  // top-ups are planned
}

TEST(PlanRequestJson, MoreSessionsDoneThanTheCourseHasIsNamed) {
  try {
    (void)parse_plan_request(R"({"profile": {"sessions": ["2026-09-01", "2026-09-15", "2026-09-29"]}, "protocol": "face_maintenance",
                                 "earliest": "2026-12-01"})", m(), "req.json");
    FAIL() << "accepted";
  } catch (const input_error& e) {
    ASSERT_EQ(e.problems().size(), 1u) << e.what();
    EXPECT_EQ(e.problems()[0].to_string(), "req.json: profile.sessions: 3 sessions done, but the protocol has 1 (give sessions for a longer course)");
  }
}

// --- a property test: nothing left out, the maintenance rule, what feasible means ------------

/// A random request as above, and sometimes sessions already done (up to the whole course)
/// and a `today` before `earliest`.
plan_request random_request_with_history(std::mt19937& rng) {
  auto r = random_request(rng);
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const int course = static_cast<int>(m().find_protocol(r.protocol)->sessions.value);
  if (pick(3) == 0) {
    const int done = 1 + pick(course);
    const date last = r.earliest - greg::days(1 + pick(20));
    for (int k = done - 1; k >= 0; --k) r.patient.sessions.push_back({last - greg::days(14 * k), std::nullopt});
  }
  if (pick(3) == 0) r.today = r.earliest - greg::days(pick(10));
  if (pick(12) == 0) {  // away for two years or more: follow-ups and top-ups with no day in reach
    const date from = r.earliest + greg::days(pick(200));
    r.unavailable.push_back({from, from + greg::days(700 + pick(200))});
  }
  return r;
}

/// The clinic open and the patient available, from the calendar and the request alone.
bool usable(const plan_request& r, date day) {
  if (closed_because(r.calendar, day)) return false;
  return std::none_of(r.unavailable.begin(), r.unavailable.end(), [&](const auto& u) { return u.from <= day && day <= u.to; });
}

/// The first usable day on or after `day`, within the 730 days a plan looks ahead.
std::optional<date> first_usable(const plan_request& r, date day) {
  for (int i = 0; i <= 730; ++i)
    if (usable(r, day + greg::days(i))) return day + greg::days(i);
  return std::nullopt;
}

std::string session_word(const plan_item& s) { return (s.kind == plan_item_kind::maintenance ? "maintenance session " : "session ") + std::to_string(s.number); }

bool has_item(const treatment_plan& p, plan_item_kind kind, int number, const std::string& id, date from, date until) {
  return std::any_of(p.items.begin(), p.items.end(), [&](const auto& i) {
    return i.kind == kind && i.number == number && i.id == id && i.from == from && i.until == until;
  });
}

/// The model's note on follow-ups the next session served, filled in as the plan should.
std::string served_note(const std::string& id, const std::string& sessions) {
  std::string note = m().wording.plan.follow_up_served;
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{follow_up}", id}, {"{sessions}", sessions}})
    note.replace(note.find(key), key.size(), value);
  return note;
}

/// Every follow-up the protocol calls for is an item on the first usable day on or after its
/// due day, or served by a next session that comes first (and named in a note), or a
/// follow_up conflict; only one that fell before today is left out.
struct follow_up_counts {
  int moved = 0;     ///< placed on a day other than their due day
  int served = 0;    ///< served by the next session
  int unplaced = 0;  ///< conflicts
};

follow_up_counts check_follow_ups(const plan_request& r, const treatment_plan& p) {
  const auto& protocol = *m().find_protocol(r.protocol);
  const date today = r.today.value_or(r.earliest);
  const auto all = sessions_of(p);
  const auto course = course_of(p);
  const int course_length = r.sessions.value_or(static_cast<int>(protocol.sessions.value));
  const plan_item* last_of_course = static_cast<int>(course.size()) == course_length ? course.back() : nullptr;
  std::map<std::string, std::string> served;
  follow_up_counts counts;
  int expected = 0;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& s = *all[k];
    // The next session's day, or none (not_a_date_time) after the last.
    const date next = k + 1 < all.size() ? all[k + 1]->from : date(greg::not_a_date_time);
    for (const auto& f : protocol.follow_ups) {
      const bool each = f.after == follow_up_after::each_session;
      if (!each && &s != last_of_course) continue;
      const date due = s.from + greg::days(static_cast<int>(std::ceil(f.after_days.value)));
      const auto day = first_usable(r, due);
      SCOPED_TRACE(f.id + " after " + session_word(s) + ", due " + iso_date(due));
      if (day ? *day < today : due + greg::days(730) < today) continue;
      if (each && !next.is_not_a_date() && (day ? *day >= next : next <= due + greg::days(730))) {
        auto& list = served[f.id];
        list += (list.empty() ? "" : ", ") + session_word(s);
        ++counts.served;
        continue;
      }
      if (!day) {
        ++counts.unplaced;
        const auto* c = conflict_named(p, "follow_up:" + f.id);
        EXPECT_TRUE(c && c->text.find(session_word(s) + " is due on " + iso_date(due)) != std::string::npos);
        continue;
      }
      ++expected;
      if (*day != due) ++counts.moved;
      EXPECT_TRUE(has_item(p, plan_item_kind::follow_up, s.number, f.id, *day, *day)) << "expected on " << iso_date(*day);
    }
  }
  for (const auto& [id, sessions] : served)
    EXPECT_TRUE(std::find(p.notes.begin(), p.notes.end(), served_note(id, sessions)) != p.notes.end()) << "no note: " << served_note(id, sessions);
  EXPECT_EQ(std::count_if(p.items.begin(), p.items.end(), [](const auto& i) { return i.kind == plan_item_kind::follow_up; }), expected);
  return counts;
}

/// Every aftercare window after every session, unless it ended before today.
void check_aftercare(const plan_request& r, const treatment_plan& p) {
  const date today = r.today.value_or(r.earliest);
  for (const auto* s : sessions_of(p))
    for (const auto& a : m().aftercare) {
      if (a.kind != aftercare_kind::avoid) continue;
      const date until = s->from + greg::days(static_cast<int>(std::ceil(a.days->value)));
      if (until < today) continue;
      EXPECT_TRUE(has_item(p, plan_item_kind::aftercare, s->number, a.id, s->from, until)) << a.id << " " << session_word(*s);
    }
}

/// The first day a new session may take: `earliest`, and a full pause from today.
date first_allowed(const plan_request& r) {
  date first = r.earliest;
  if (!r.medication_pause_approved) return first;
  for (const auto& f : r.patient.risk_factors) {
    const auto* modifier = m().find_modifier(f.id);
    if (modifier && modifier->washout_days && modifier->plan_may_pause && !f.stopped_on)
      first = std::max(first, r.today.value_or(r.earliest) + greg::days(static_cast<int>(std::ceil(modifier->washout_days->value))));
  }
  return first;
}

/// The due day a top-up's reason quotes: its only date.
date quoted_due(const plan_item& top_up) {
  std::smatch match;
  if (!std::regex_search(top_up.reason, match, std::regex(R"(\d{4}-\d{2}-\d{2})"))) throw std::logic_error("no due day in: " + top_up.reason);
  return greg::from_simple_string(match.str());
}

/// Each top-up comes at least the minimum interval after the session before and no later than
/// the maintenance interval, unless a maintenance_interval conflict gives it as the nearest day
/// that fits; without events (which the check leaves to the planner) no day it could have taken
/// is nearer its due day, or as near and earlier. Returns the top-ups checked.
int check_maintenance(const plan_request& r, const treatment_plan& p) {
  const auto& protocol = *m().find_protocol(r.protocol);
  if (!protocol.maintenance) return 0;
  const int longest = static_cast<int>(std::ceil(protocol.maintenance->interval_days.value));
  const auto gate = gate_of(m(), protocol);
  const double allowed = 1.0 - gate.confidence.value();
  const profile modelled = planned_profile(m(), r, p);
  const auto all = sessions_of(p);
  int checked = 0;
  for (std::size_t k = 1; k < all.size(); ++k) {
    if (all[k]->kind != plan_item_kind::maintenance) continue;
    ++checked;
    const date previous = all[k - 1]->from, day = all[k]->from, due = quoted_due(*all[k]);
    const date low = std::max(previous + greg::days(static_cast<int>(std::ceil(protocol.interval_min_days.value))), first_allowed(r));
    const date latest = previous + greg::days(longest);
    SCOPED_TRACE("top-up on " + iso_date(day) + ", due " + iso_date(due));
    EXPECT_GE(day, low);
    EXPECT_LE(due, latest);
    if (day > latest) {
      EXPECT_TRUE(std::any_of(p.conflicts.begin(), p.conflicts.end(),
                              [&](const auto& c) { return c.constraint == "maintenance_interval" && c.nearest_feasible == day; }));
    }
    if (!r.events.empty()) continue;
    const auto fits = [&](date d) { return usable(r, d) && unmet_after(modelled, gate, previous, (d - previous).days()) <= allowed; };
    const long distance = std::abs((day - due).days());
    for (date d = low; d <= latest; d += greg::days(1)) {
      const long nearer = std::abs((d - due).days());
      const bool better = day > latest || nearer < distance || (nearer == distance && d < day);
      if (!better) continue;
      EXPECT_FALSE(fits(d)) << iso_date(d) << " fits and is better";
    }
  }
  return checked;
}

TEST(PlanProperty, NothingIsLeftOutTopUpsKeepTheirIntervalAndFeasibleMeansNoConflict) {
  std::mt19937 rng(20270301);
  int infeasible = 0, top_ups = 0, with_history = 0;
  follow_up_counts follow_ups;
  std::map<std::string, int> conflicts;  // by kind of constraint
  const int plans = 400;
  for (int n = 0; n < plans; ++n) {
    const auto r = random_request_with_history(rng);
    SCOPED_TRACE("request " + std::to_string(n) + ", protocol " + r.protocol);
    const auto p = plan(m(), r);
    if (!r.patient.sessions.empty()) ++with_history;
    EXPECT_EQ(p.feasible, p.conflicts.empty());
    if (!p.feasible) ++infeasible;
    for (const auto& c : p.conflicts) ++conflicts[c.constraint.substr(0, c.constraint.find(':'))];
    const auto counts = check_follow_ups(r, p);
    follow_ups.moved += counts.moved;
    follow_ups.served += counts.served;
    follow_ups.unplaced += counts.unplaced;
    check_aftercare(r, p);
    top_ups += check_maintenance(r, p);
  }
  std::cout << plans << " plans (" << with_history << " with sessions done), " << infeasible << " infeasible; follow-ups: "
            << follow_ups.moved << " moved, " << follow_ups.served << " served by the next session, " << follow_ups.unplaced
            << " with no day; " << top_ups << " top-ups checked; conflicts:";
  for (const auto& [kind, count] : conflicts) std::cout << " " << kind << " " << count;
  std::cout << "\n";
  RecordProperty("infeasible", infeasible);
  RecordProperty("top_ups", top_ups);
  EXPECT_GT(with_history, 50);
  EXPECT_GT(follow_ups.moved, 50);
  EXPECT_GT(follow_ups.served, 10);
  EXPECT_GT(follow_ups.unplaced, 0);
  EXPECT_GT(top_ups, 100);
}

}  // namespace

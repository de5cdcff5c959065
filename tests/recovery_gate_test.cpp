// The recovery gate as protocol data: each kind of requirement, how the days it needs order, the
// weekly protocol planning weekly under its own gate, the plan and the warnings agreeing (one
// rule decides both), the warnings in the projection and its JSON, and bad gates refused.
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <functional>
#include <string>
#include <vector>

namespace aftermath {
namespace {

using json = nlohmann::ordered_json;
namespace greg = boost::gregorian;

const model& m() { return default_model(); }

const date first_session(2026, 12, 1);

/// The patient of `aftermath demo`: bruise-prone, stopped aspirin three days before the first of
/// two sessions two weeks apart (src/cli/main.cpp).
profile demo_patient() {
  return parse_profile(R"({"patient": "demo-patient", "treatment": "mesotherapy_face",
    "risk_factors": ["bruise_prone", {"id": "aspirin", "stopped_on": "2026-11-28"}],
    "sessions": ["2026-12-01", "2026-12-15"]})", m(), "demo profile");
}

profile patient_with(std::vector<risk_factor> factors) {
  profile p;
  p.patient = "test";
  p.risk_factors = std::move(factors);
  p.sessions = {{first_session, std::nullopt}};
  return p;
}

/// Patients from quick to slow healers, as the plan tests use them.
std::vector<profile> patients() {
  return {patient_with({}), patient_with({{"sensitive_skin", {}}}), patient_with({{"bruise_prone", {}}}), demo_patient(),
          patient_with({{"bruise_prone", {}}, {"aspirin", {}}}), patient_with({{"anticoagulant", {}}, {"dark_skin", {}}})};
}

recovery_gate gate(gate_requirement require, double confidence, std::vector<std::string> effects = {}) {
  recovery_gate out = gate_of(m(), *m().find_protocol("face_initial"));
  out.require = require;
  out.threshold = severity::checked(require == gate_requirement::resolved       ? m().resolved_threshold.value
                                    : require == gate_requirement::at_most_mild ? m().assessment.moderate_from.value
                                                                                : m().visible_threshold.value);
  out.confidence = probability::checked(confidence);
  out.effects = std::move(effects);
  return out;
}

plan_request weekly_request(profile patient, std::string protocol = "face_weekly") {
  plan_request r;
  r.patient = std::move(patient);
  r.patient.sessions.clear();
  r.protocol = std::move(protocol);
  r.earliest = first_session;
  r.calendar.open_weekdays = {true, true, true, true, true, true, true};
  r.maintenance_until = first_session + greg::days(60);
  return r;
}

std::vector<date> course_days(const treatment_plan& p) {
  std::vector<date> out;
  for (const auto& item : p.items)
    if (item.kind == plan_item_kind::session) out.push_back(item.from);
  return out;
}

// --- the gate as data ------------------------------------------------------------------------

TEST(RecoveryGate, EachDefaultProtocolStatesItsGateWithItsReasoning) {
  for (const auto& protocol : m().protocols) {
    SCOPED_TRACE(protocol.id);
    ASSERT_TRUE(protocol.gate.has_value());
    EXPECT_FALSE(protocol.gate->assumption.empty());  // every default gate is a convention, said why
  }
  const auto weekly = gate_of(m(), *m().find_protocol("face_weekly"));
  EXPECT_EQ(weekly.require, gate_requirement::at_most_mild);
  EXPECT_EQ(weekly.threshold.value(), m().assessment.moderate_from.value);  // the model's mild/moderate cut-point
  EXPECT_EQ(weekly.confidence.value(), m().planning.recovery_confidence.value);  // the default confidence
  EXPECT_TRUE(weekly.effects.empty());
  const auto initial = gate_of(m(), *m().find_protocol("face_initial"));
  EXPECT_EQ(initial.require, gate_requirement::resolved);
  EXPECT_EQ(initial.threshold.value(), m().resolved_threshold.value);
  const auto& weekly_spec = *m().find_protocol("face_weekly");
  EXPECT_EQ(weekly_spec.interval_target_days.value, 7.0);
  EXPECT_EQ(weekly_spec.interval_min_days.value, 7.0);
}

TEST(RecoveryGate, AProtocolWithoutAGateKeepsTheGateEveryProtocolHadBefore) {
  model changed = m();
  changed.protocols[0].gate.reset();
  changed.planning.recovery_confidence.value = 0.9;
  const auto g = gate_of(changed, changed.protocols[0]);
  EXPECT_EQ(g.require, gate_requirement::resolved);
  EXPECT_EQ(g.threshold.value(), changed.resolved_threshold.value);
  EXPECT_EQ(g.confidence.value(), 0.9);
  EXPECT_TRUE(g.effects.empty());
  EXPECT_EQ(g.protocol, changed.protocols[0].id);
}

TEST(RecoveryGate, AGateNamingItsConfidenceUsesItAndNotThePlanningDefault) {
  model changed = m();
  auto& spec = *changed.protocols[0].gate;
  spec.confidence = parameter{0.8, {}, "test", "", {}};
  EXPECT_EQ(gate_of(changed, changed.protocols[0]).confidence.value(), 0.8);
}

TEST(RecoveryGate, AModelFileFromBeforeGatesLoadsUnchangedWithTheDefaultGateWording) {
  json file = json::parse(to_json(m()));
  for (auto& protocol : file["protocols"]) protocol.erase("gate");
  file["wording"].erase("gate");
  const model old = parse_model(file.dump(), "old.json");
  for (const auto& protocol : old.protocols) EXPECT_FALSE(protocol.gate.has_value()) << protocol.id;
  EXPECT_EQ(old.wording.gate.warning, m().wording.gate.warning);
  EXPECT_EQ(old.wording.gate.resolved, m().wording.gate.resolved);
  // Its gates are today's rule: every effect resolved with planning.recovery_confidence.
  const auto g = gate_of(old, *old.find_protocol("body_course"));
  EXPECT_EQ(g.require, gate_requirement::resolved);
  EXPECT_EQ(g.confidence.value(), old.planning.recovery_confidence.value);
}

TEST(RecoveryGate, ACourseIsHeldToTheProtocolItNamesOrTheFirstForItsTreatment) {
  profile p = demo_patient();
  EXPECT_EQ(protocol_for(m(), p)->id, "face_initial");  // the first facial protocol in the model
  p.treatment = "mesotherapy_body";
  EXPECT_EQ(protocol_for(m(), p)->id, "body_course");
  p.protocol = "face_weekly";
  EXPECT_EQ(protocol_for(m(), p)->id, "face_weekly");
  model bare = m();
  bare.protocols.clear();
  p.protocol.clear();
  EXPECT_EQ(protocol_for(bare, p), nullptr);
  EXPECT_TRUE(gate_breaches(bare, demo_patient()).empty());  // no protocol, nothing to break
}

// --- the days each kind needs ----------------------------------------------------------------

TEST(RecoveryGateProperty, NoMoreThanMildNeedsNoMoreDaysThanNotVisibleWhichNeedsNoMoreThanResolved) {
  // Below 4.5 (mild at most) is reached before below 1 (not visible), which is reached before
  // below 0.5 (resolved): the thresholds fall, so the days cannot.
  for (const auto& patient : patients()) {
    for (double confidence : {0.8, 0.9, 0.95, 0.99}) {
      SCOPED_TRACE(patient.risk_factors.size());
      const int mild = gate_days(m(), patient, gate(gate_requirement::at_most_mild, confidence), first_session);
      const int visible = gate_days(m(), patient, gate(gate_requirement::not_visible, confidence), first_session);
      const int resolved = gate_days(m(), patient, gate(gate_requirement::resolved, confidence), first_session);
      EXPECT_LE(mild, visible) << confidence;
      EXPECT_LE(visible, resolved) << confidence;
      EXPECT_GE(mild, 1);
      // A gate on bruising alone looks at fewer effects, so needs no more days than on all.
      EXPECT_LE(gate_days(m(), patient, gate(gate_requirement::not_visible, confidence, {"bruising"}), first_session), visible);
    }
  }
}

TEST(RecoveryGateProperty, AHigherConfidenceNeverNeedsFewerDays) {
  for (const auto& patient : patients())
    for (auto require : {gate_requirement::resolved, gate_requirement::at_most_mild, gate_requirement::not_visible}) {
      int before = 0;
      for (double confidence : {0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999}) {
        const int needed = gate_days(m(), patient, gate(require, confidence), first_session);
        EXPECT_GE(needed, before) << to_string(require) << " " << confidence;
        before = needed;
      }
    }
}

TEST(RecoveryGate, TheDaysAreTheFirstWholeDayTheProjectionsSumIsWithinTheConfidence) {
  // Recomputed from the projection functions, not from the gate's own engines. Those answer
  // within their error bound of a fresh engine (3e-4 per effect, effect_engine.hpp), which can
  // move a day whose sum lies that close to the level.
  const auto unmet = [](const profile& patient, const recovery_gate& g, int days_after) {
    profile alone = patient;
    alone.sessions = {{first_session, std::nullopt}};
    const auto course = personalise(m(), alone);
    double sum = 0.0;
    for (const auto& e : course.effects)
      if (g.effects.empty() || std::find(g.effects.begin(), g.effects.end(), e.id) != g.effects.end())
        sum += unresolved_chance(e, g.threshold, days(static_cast<double>(days_after))).value();
    return sum;
  };
  for (const auto& patient : patients())
    for (const auto& g : {gate(gate_requirement::at_most_mild, 0.95), gate(gate_requirement::not_visible, 0.9, {"bruising", "swelling"}),
                          gate(gate_requirement::resolved, 0.99)}) {
      const int needed = gate_days(m(), patient, g, first_session);
      const double tolerance = 3e-4 * static_cast<double>(g.effects.empty() ? m().effects.size() : g.effects.size());
      EXPECT_LE(unmet(patient, g, needed), 1.0 - g.confidence.value() + tolerance);
      if (needed > 1) {
        EXPECT_GT(unmet(patient, g, needed - 1), 1.0 - g.confidence.value() - tolerance);
      }
    }
}

TEST(RecoveryGate, DefaultGatesForTheDemoPatient) {
  // The numbers the model's own reasoning quotes (protocols[].gate.assumption).
  const auto demo = demo_patient();
  const auto needed = [&](const char* protocol) { return gate_days(m(), demo, gate_of(m(), *m().find_protocol(protocol)), first_session); };
  EXPECT_EQ(needed("face_initial"), 23);
  EXPECT_EQ(needed("face_weekly"), 7);
  const auto typical = patient_with({});
  EXPECT_EQ(gate_days(m(), typical, gate_of(m(), *m().find_protocol("face_initial")), first_session), 12);
  EXPECT_EQ(gate_days(m(), typical, gate_of(m(), *m().find_protocol("face_weekly")), first_session), 3);
  EXPECT_EQ(gate_days(m(), patient_with({{"bruise_prone", {}}}), gate_of(m(), *m().find_protocol("face_weekly")), first_session), 5);
}

TEST(RecoveryGate, AGateBuiltByHandIsCheckedWithPaths) {
  recovery_gate bad = gate(gate_requirement::not_visible, 0.9, {"bruising", "sunburn"});
  bad.confidence = probability::checked(1.0);
  const auto problems = check_gate(m(), bad);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].path, "gate.confidence");
  EXPECT_EQ(problems[1].path, "gate.effects[1]");
  EXPECT_THROW((void)gate_days(m(), demo_patient(), bad, first_session), input_error);
}

// --- the weekly protocol ---------------------------------------------------------------------

TEST(RecoveryGate, TheWeeklyProtocolPlansWeeklyUnderItsOwnGateForTheDefaultPatient) {
  const auto p = plan(m(), weekly_request(patient_with({})));
  EXPECT_TRUE(p.feasible);
  const auto days = course_days(p);
  ASSERT_EQ(days.size(), 4u);
  EXPECT_EQ(days[0], first_session);
  for (std::size_t k = 1; k < days.size(); ++k) EXPECT_EQ((days[k] - days[k - 1]).days(), 7) << k;
}

TEST(RecoveryGate, TheSameWeeklyCourseUnderTheResolvedGateCannotBeWeekly) {
  // What the issue found: the old gate (every effect resolved) spaces sessions at least 12 days.
  model strict = m();
  for (auto& protocol : strict.protocols)
    if (protocol.id == "face_weekly") protocol.gate.reset();
  const auto p = plan(strict, weekly_request(patient_with({})));
  const auto days = course_days(p);
  ASSERT_EQ(days.size(), 4u);
  for (std::size_t k = 1; k < days.size(); ++k) EXPECT_EQ((days[k] - days[k - 1]).days(), 12) << k;
}

TEST(RecoveryGate, AWeeklySessionHeldBackByTheGateSaysWhyInTheGatesWords) {
  // Bruise-prone and on aspirin: no more than mild after 8 days, not 7.
  const auto p = plan(m(), weekly_request(patient_with({{"bruise_prone", {}}, {"aspirin", {}}})));
  const auto days = course_days(p);
  ASSERT_EQ(days.size(), 4u);
  EXPECT_EQ((days[1] - days[0]).days(), 8);
  const auto it = std::find_if(p.items.begin(), p.items.end(), [](const auto& i) { return i.kind == plan_item_kind::session && i.number == 2; });
  EXPECT_EQ(it->reason,
            "8 days after session 1 (the target is 7 days): this patient needs 8 days to meet the protocol's recovery gate: every side "
            "effect of session 1 no more than mild (below 4.5 on the 0-10 scale), with 95 % confidence");
}

// --- the plan and the warnings agree ---------------------------------------------------------

TEST(RecoveryGate, TheDemosTwoWeekCourseIsWarnedAboutAsThePlannerWouldRefuseIt) {
  const auto demo = demo_patient();
  const auto breaches = gate_breaches(m(), demo);
  ASSERT_EQ(breaches.size(), 1u);
  const auto& b = breaches[0];
  EXPECT_EQ(b.session, 2);
  EXPECT_EQ(b.days_since, 14);
  EXPECT_EQ(b.days_needed, 23);
  EXPECT_EQ(b.protocol, "face_initial");
  EXPECT_EQ(b.require, gate_requirement::resolved);
  EXPECT_EQ(b.confidence.value(), 0.95);
  EXPECT_EQ(b.text,
            "session 2 comes 14 days after session 1, but this patient needs 23 days to meet the protocol's recovery gate: every side "
            "effect of session 1 resolved, with 95 % confidence");

  // The planner, for the same patient and protocol on an open calendar, puts session 2 exactly
  // that many days after session 1 (the gate, not the target or the calendar, sets the day).
  auto request = weekly_request(demo, "face_initial");
  request.sessions = 2;
  const auto p = plan(m(), request);
  const auto days = course_days(p);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0], date(2026, 12, 1));
  EXPECT_EQ((days[1] - days[0]).days(), b.days_needed);

  // Under the weekly protocol's gate the same course is fine.
  profile weekly = demo;
  weekly.protocol = "face_weekly";
  EXPECT_TRUE(gate_breaches(m(), weekly).empty());
}

TEST(RecoveryGate, APlannedCourseNeverBreachesItsGateAndADayEarlierDoesWhereTheGateSetTheDay) {
  for (const char* protocol : {"face_initial", "face_weekly", "scalp_course", "body_course"})
    for (const auto& patient : patients()) {
      SCOPED_TRACE(std::string(protocol) + ", " + std::to_string(patient.risk_factors.size()) + " risk factors");
      const auto request = weekly_request(patient, protocol);
      const auto p = plan(m(), request);
      const profile planned = planned_profile(default_model(), request, p);
      EXPECT_EQ(planned.protocol, protocol);
      EXPECT_TRUE(gate_breaches(m(), planned).empty());
      const auto g = gate_of(m(), *m().find_protocol(protocol));
      for (std::size_t k = 1; k < planned.sessions.size(); ++k) {
        const int gap = static_cast<int>((planned.sessions[k].day - planned.sessions[k - 1].day).days());
        const int needed = gate_days(m(), planned, g, planned.sessions[k - 1].day);
        EXPECT_GE(gap, needed);
        if (gap != needed || gap <= m().find_protocol(protocol)->interval_min_days.value) continue;
        profile sooner = planned;
        sooner.sessions[k].day -= greg::days(1);  // what the planner refused
        const auto breaches = gate_breaches(m(), sooner);
        ASSERT_FALSE(breaches.empty());
        EXPECT_EQ(breaches[0].session, static_cast<int>(k + 1));
        EXPECT_EQ(breaches[0].days_since, gap - 1);
        EXPECT_EQ(breaches[0].days_needed, needed);
      }
    }
}

TEST(RecoveryGate, AGateOnSomeEffectsNamesThemInItsWarning) {
  profile demo = demo_patient();
  const auto breaches = gate_breaches(m(), demo, gate(gate_requirement::not_visible, 0.95, {"bruising"}));
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].effects, std::vector<std::string>{"bruising"});
  EXPECT_EQ(breaches[0].days_needed, 18);
  EXPECT_NE(breaches[0].text.find(": Bruising from session 1 no longer visible (below 1 on the 0-10 scale), with 95 % confidence"),
            std::string::npos)
      << breaches[0].text;
}

// --- the projection ----------------------------------------------------------------------------

TEST(RecoveryGate, TheProjectionOfAProfileCarriesItsWarningsAndItsJsonListsThem) {
  const auto demo = demo_patient();
  const auto projected = project(m(), demo, {.horizon = days(20)});
  ASSERT_EQ(projected.gate_warnings.size(), 1u);
  EXPECT_TRUE(project(personalise(m(), demo), {.horizon = days(20)}).gate_warnings.empty());  // a course names no protocol
  const auto doc = json::parse(to_json(projected, demo));
  ASSERT_TRUE(doc.contains("gate_warnings"));
  ASSERT_EQ(doc["gate_warnings"].size(), 1u);
  const auto& w = doc["gate_warnings"][0];
  EXPECT_EQ(w["session"], 2);
  EXPECT_EQ(w["date"], "2026-12-15");
  EXPECT_EQ(w["previous"], 1);
  EXPECT_EQ(w["previous_date"], "2026-12-01");
  EXPECT_EQ(w["days_since"], 14);
  EXPECT_EQ(w["days_needed"], 23);
  EXPECT_EQ(w["protocol"], "face_initial");
  EXPECT_EQ(w["require"], "resolved");
  EXPECT_EQ(w["threshold"], 0.5);
  EXPECT_EQ(w["effects"], json::array());
  EXPECT_EQ(w["confidence"], 0.95);
  EXPECT_EQ(w["text"], projected.gate_warnings[0].text);
  const std::string text = to_text(projected, demo);
  EXPECT_NE(text.find("Recovery gate of face_initial: sessions too soon\n  - session 2 comes 14 days after session 1"), std::string::npos)
      << text;

  profile weekly = demo;
  weekly.protocol = "face_weekly";
  const auto fine = json::parse(to_json(project(m(), weekly, {.horizon = days(20)}), weekly));
  EXPECT_EQ(fine["gate_warnings"], json::array());
  EXPECT_EQ(to_text(project(m(), weekly, {.horizon = days(20)}), weekly).find("Recovery gate"), std::string::npos);
}

// --- reading ---------------------------------------------------------------------------------

std::string problems_after(const std::function<void(json&)>& change) {
  json document = json::parse(to_json(m()));
  change(document);
  try {
    (void)parse_model(document.dump(), "m.json");
    return {};
  } catch (const input_error& error) {
    return error.what();
  }
}

json& protocol_named(json& model, const std::string& id) {
  for (auto& p : model["protocols"])
    if (p["id"] == id) return p;
  throw std::out_of_range(id);
}

TEST(RecoveryGateJson, TheDefaultModelsGatesRoundTrip) {
  const json written = json::parse(to_json(m()));
  EXPECT_EQ(protocol_named(const_cast<json&>(written), "face_weekly")["gate"]["require"], "at_most_mild");
  const model again = parse_model(written.dump());
  for (std::size_t i = 0; i < m().protocols.size(); ++i) {
    EXPECT_EQ(again.protocols[i].gate->require, m().protocols[i].gate->require);
    EXPECT_EQ(again.protocols[i].gate->effects, m().protocols[i].gate->effects);
    EXPECT_EQ(again.protocols[i].gate->assumption, m().protocols[i].gate->assumption);
  }
}

TEST(RecoveryGateJson, BadGatesAreRefusedNamingThePath) {
  const auto problems = problems_after([](json& model) {
    protocol_named(model, "face_initial")["gate"]["require"] = "mostly_gone";
    protocol_named(model, "face_maintenance")["gate"]["confidence"] = {{"value", 1.0}, {"assumption", "certain"}};
    protocol_named(model, "face_weekly")["gate"]["confidence"] = {{"value", 0.0}, {"assumption", "never"}};
    protocol_named(model, "scalp_course")["gate"]["effects"] = {"bruising", "sunburn"};
    protocol_named(model, "body_course")["gate"].erase("evidence");
    protocol_named(model, "body_course")["gate"].erase("assumption");
  });
  EXPECT_NE(problems.find("protocols[0].gate.require: 'mostly_gone' is not a requirement (known: resolved, at_most_mild, not_visible)"),
            std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[1].gate.confidence.value: is 1, but must be in (0, 1)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[2].gate.confidence.value: is 0, but must be in (0, 1)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[3].gate.effects[1]: 'sunburn' is not an effect (known: redness, swelling, bruising"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("protocols[4].gate: carries neither evidence nor an assumption"), std::string::npos) << problems;
}

TEST(RecoveryGateJson, AGateWithoutItsRequirementOrWithUnknownKeysIsRefused) {
  const auto problems = problems_after([](json& model) {
    protocol_named(model, "face_initial")["gate"].erase("require");
    protocol_named(model, "face_weekly")["gate"]["wait_days"] = 3;
    protocol_named(model, "scalp_course")["gate"]["effects"] = json::array();
    protocol_named(model, "body_course")["gate"]["effects"] = {"bruising", "bruising"};
    protocol_named(model, "face_maintenance")["gate"]["evidence"] = {"nobody_2030"};
  });
  EXPECT_NE(problems.find("protocols[0].gate.require: is missing"), std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[2].gate.wait_days: unknown field"), std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[3].gate.effects: is empty; leave it out for a gate on every effect"), std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[4].gate.effects[1]: 'bruising' is listed twice"), std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[1].gate.evidence[0]: 'nobody_2030' is not in the evidence table"), std::string::npos) << problems;
}

TEST(RecoveryGateJson, GateWordingIsCheckedLikeEveryOtherSentence) {
  const auto problems = problems_after([](json& model) {
    model["wording"]["gate"]["warning"] = "session {number} is too soon by {weeks}";
    model["wording"]["gate"]["at_most_mild"] = "";
    model["wording"]["gate"]["tone"] = "firm";
  });
  EXPECT_NE(problems.find("wording.gate.warning: uses {weeks}, but the placeholders it may use are: {number}, {interval}, {previous}, {gate}, "
                          "{requirement}, {protocol}"),
            std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.gate.warning: does not use {interval}, which it must"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.gate.at_most_mild: is empty"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.gate.tone: unknown field"), std::string::npos) << problems;
}

TEST(RecoveryGateJson, AProfileMayNameItsProtocolAndAnUnknownOneIsRefused) {
  const auto weekly = parse_profile(R"({"protocol": "face_weekly", "sessions": ["2026-12-01", "2026-12-08"]})", m(), "p.json");
  EXPECT_EQ(weekly.protocol, "face_weekly");
  EXPECT_TRUE(gate_breaches(m(), weekly).empty());
  try {
    (void)parse_profile(R"({"protocol": "face_daily", "sessions": ["2026-12-01"]})", m(), "p.json");
    FAIL() << "an unknown protocol was accepted";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("p.json: protocol: unknown protocol 'face_daily' (known: face_initial, face_maintenance, face_weekly"),
              std::string::npos) << e.what();
  }
}

TEST(RecoveryGateJson, APlanRequestsProfileMayNotNameAnotherProtocol) {
  try {
    (void)parse_plan_request(R"({"profile": {"protocol": "face_weekly"}, "protocol": "face_initial", "earliest": "2026-12-01"})", m(),
                             "req.json");
    FAIL() << "two protocols were accepted";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("req.json: profile.protocol: is 'face_weekly', but the request plans 'face_initial'"),
              std::string::npos) << e.what();
  }
  const auto same = parse_plan_request(R"({"profile": {"protocol": "face_weekly"}, "protocol": "face_weekly", "earliest": "2026-12-01"})",
                                       m(), "req.json");
  EXPECT_EQ(same.patient.protocol, "face_weekly");
}

}  // namespace
}  // namespace aftermath

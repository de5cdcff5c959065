#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/model.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <functional>

namespace aftermath {
namespace {

using json = nlohmann::ordered_json;

json default_model_json() { return json::parse(to_json(default_model())); }

/// Every problem message of parsing `document`; empty if it parsed.
std::string problems_of(const json& document) {
  try {
    (void)parse_model(document.dump(), "m.json");
    return {};
  } catch (const input_error& error) {
    return error.what();
  }
}

std::string problems_after(const std::function<void(json&)>& change) {
  json document = default_model_json();
  change(document);
  return problems_of(document);
}

TEST(DefaultModel, CoversEveryEffectRiskModifierAndAftercareItem) {
  const auto& m = default_model();
  EXPECT_EQ(m.id, "mesotherapy_face");
  for (auto id : {"redness", "swelling", "bruising", "dryness", "pain", "itching"}) EXPECT_TRUE(m.find_effect(id)) << id;
  for (auto id : {"infection", "allergic_reaction", "nodules", "scarring_pigmentation"}) EXPECT_TRUE(m.find_risk(id)) << id;
  for (auto id : {"bruise_prone", "sensitive_skin", "blood_thinners", "aspirin", "nsaid", "anticoagulant", "supplement"})
    EXPECT_TRUE(m.find_modifier(id)) << id;
  for (auto id : {"aspirin", "nsaid", "anticoagulant", "supplement"}) EXPECT_EQ(m.find_modifier(id)->kind_of, "blood_thinners");
  for (auto id : {"nsaid_short_acting", "nsaid_long_acting", "nsaid_piroxicam"}) EXPECT_EQ(m.find_modifier(id)->kind_of, "nsaid") << id;
  EXPECT_TRUE(m.find_modifier("aspirin")->washout_days.has_value());
  EXPECT_TRUE(std::any_of(m.modifiers.begin(), m.modifiers.end(),
                          [](const modifier_spec& s) { return s.category == modifier_category::procedure; }));
  for (auto id : {"sun", "exercise", "exfoliants", "peels_and_laser", "cool_compress", "pain_relief", "moisturiser", "follow_up"})
    EXPECT_TRUE(std::any_of(m.aftercare.begin(), m.aftercare.end(), [&](const aftercare_spec& a) { return a.id == id; })) << id;
  EXPECT_TRUE(m.find_protocol("face_initial"));
  EXPECT_EQ(m.triage_levels.size(), 4u);
  EXPECT_GE(m.red_flags.size(), 8u);
}

/// The washout of each kind of NSAID, as the model gives it, with the evidence behind it: the
/// kinds differ in half-life, and the figure must be the kind's own, not the broad NSAID's.
TEST(DefaultModel, EachKindOfNsaidHasItsOwnWashout) {
  const auto& m = default_model();
  const auto washout = [&](const char* id) -> const parameter& { return *m.find_modifier(id)->washout_days; };
  EXPECT_EQ(washout("nsaid_short_acting").value, 1.0);   // ibuprofen-like: platelets normal within 24 h
  EXPECT_EQ(washout("nsaid_long_acting").value, 3.5);    // naproxen: 5 half-lives of up to 17 h
  EXPECT_EQ(washout("nsaid_piroxicam").value, 10.4);     // piroxicam: 5 half-lives of 50 h
  EXPECT_EQ(washout("nsaid").value, washout("nsaid_long_acting").value);  // type not known: long enough for either common one
  for (auto id : {"nsaid", "nsaid_short_acting", "nsaid_long_acting", "nsaid_piroxicam"}) {
    const auto& modifier = *m.find_modifier(id);
    EXPECT_TRUE(modifier.plan_may_pause) << id;
    EXPECT_FALSE(washout(id).evidence.empty()) << id;
    EXPECT_FALSE(modifier.name.empty() || modifier.text.empty()) << id;
    ASSERT_EQ(modifier.targets.size(), 1u) << id;
    EXPECT_EQ(modifier.targets[0].odds_ratio->value, m.find_modifier("nsaid")->targets[0].odds_ratio->value) << id;
  }
  EXPECT_TRUE(m.find_evidence("naproxen_label") && m.find_evidence("piroxicam_label") && m.find_evidence("ukcpa_nsaids"));
}

/// Supplements by kind: each with what evidence exists or an assumption that says so; fish oil,
/// which a trial found does not increase bleeding, is neither counted nor paused.
TEST(DefaultModel, EachKindOfSupplementSaysWhatItRestsOn) {
  const auto& m = default_model();
  for (auto id : {"fish_oil", "vitamin_e", "ginkgo", "garlic", "supplement_other"}) {
    const auto* modifier = m.find_modifier(id);
    ASSERT_TRUE(modifier) << id;
    EXPECT_EQ(modifier->kind_of, "supplement") << id;
    EXPECT_FALSE(modifier->name.empty() || modifier->text.empty()) << id;
    ASSERT_EQ(modifier->targets.size(), 1u) << id;
    const auto& odds = *modifier->targets[0].odds_ratio;
    EXPECT_FALSE(odds.evidence.empty() && odds.assumption.empty()) << id;
    if (modifier->washout_days) {
      EXPECT_TRUE(modifier->plan_may_pause) << id;
      EXPECT_FALSE(modifier->washout_days->evidence.empty()) << id;
    }
  }
  EXPECT_EQ(m.find_modifier("fish_oil")->targets[0].odds_ratio->value, 1.0);
  EXPECT_FALSE(m.find_modifier("fish_oil")->washout_days.has_value());
  EXPECT_EQ(m.find_modifier("garlic")->washout_days->value, 7.0);
  EXPECT_EQ(m.find_modifier("ginkgo")->washout_days->value, 1.5);
  // Where only the surgical two-week advice exists, the assumption says it is consensus.
  for (auto id : {"supplement", "vitamin_e", "supplement_other"}) {
    const auto& washout = *m.find_modifier(id)->washout_days;
    EXPECT_EQ(washout.value, 14.0) << id;
    EXPECT_NE(washout.assumption.find("consensus"), std::string::npos) << id;
  }
}

TEST(DefaultModel, EveryCitedSourceHasAStrength) {
  for (const auto& e : default_model().evidence) {
    EXPECT_FALSE(e.source.empty()) << e.key;
    EXPECT_FALSE(e.strength.empty()) << e.key;
  }
}

TEST(ModelJson, RoundTripsThroughItsOwnFormat) {
  const std::string once = to_json(default_model());
  EXPECT_EQ(to_json(parse_model(once)), once);
}

TEST(ModelJson, AModelWithoutReportFlagsRoundTrips) {
  // Found by fuzz_model on the smallest model that loads: `"report_flags": []` loads, and was
  // written without the key, which does not.
  auto doc = nlohmann::json::parse(to_json(default_model()));
  doc["report_flags"] = nlohmann::json::array();
  for (auto& rule : doc["red_flags"]) rule["when"].erase("flags_any");
  doc["red_flags"] = nlohmann::json::array();
  const model without = parse_model(doc.dump());
  EXPECT_TRUE(without.report_flags.empty());
  const std::string written = to_json(without);
  EXPECT_EQ(to_json(parse_model(written)), written);
}

TEST(ModelJson, MalformedJsonNamesLineAndColumn) {
  const std::string text = "{\n  \"id\": \"x\",\n  \"effects\": [1, 2,]\n}";
  try {
    (void)parse_model(text, "broken.json");
    FAIL();
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.json: effects[2]: malformed JSON at line 3"), std::string::npos) << e.what();
  }
}

TEST(ModelJson, MissingParameterIsNamedWithItsPath) {
  const auto problems = problems_after([](json& m) { m["effects"][2]["curve"].erase("half_life_days"); });
  EXPECT_NE(problems.find("m.json: effects[2].curve.half_life_days: is missing"), std::string::npos) << problems;
}

TEST(ModelJson, OutOfRangeParameterIsNamedWithValueAndRange) {
  const auto problems = problems_after([](json& m) {
    m["effects"][0]["incidence"]["value"] = 1.4;
    m["effects"][1]["curve"]["typical_peak"]["value"] = 12;
  });
  EXPECT_NE(problems.find("effects[0].incidence.value: is 1.4, but must be in (0, 1)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("effects[1].curve.typical_peak.value: is 12, but must be in (0, 10]"), std::string::npos) << problems;
}

TEST(ModelJson, ImpossibleCurveShapeIsRejected) {
  const auto problems = problems_after([](json& m) {
    m["effects"][0]["curve"]["half_life_days"]["value"] = 1.0;
    m["effects"][0]["curve"]["time_to_peak_days"]["value"] = 2.0;
  });
  EXPECT_NE(problems.find("effects[0].curve.time_to_peak_days.value: is 2"), std::string::npos) << problems;
  EXPECT_NE(problems.find("half_life_days / ln 2"), std::string::npos) << problems;
}

TEST(ModelJson, ANumberWithoutEvidenceOrAssumptionIsRejected) {
  const auto problems = problems_after([](json& m) {
    m["effects"][0]["incidence"].erase("evidence");
    m["effects"][0]["incidence"].erase("assumption");
  });
  EXPECT_NE(problems.find("effects[0].incidence: carries neither evidence nor an assumption"), std::string::npos) << problems;
}

TEST(ModelJson, UnknownReferencesAreRejected) {
  const auto problems = problems_after([](json& m) {
    m["effects"][0]["incidence"]["evidence"] = json::array({"no_such_source"});
    m["modifiers"][0]["targets"][0]["target"] = "freckles";
    m["default_treatment"] = "tattoo";
    m["evidence"].begin().value()["strength"] = "hearsay";
  });
  EXPECT_NE(problems.find("effects[0].incidence.evidence[0]: 'no_such_source' is not in the evidence table"), std::string::npos) << problems;
  EXPECT_NE(problems.find("modifiers[0].targets[0].target: 'freckles' is neither an effect nor a risk"), std::string::npos) << problems;
  EXPECT_NE(problems.find("default_treatment: 'tattoo' is not a treatment"), std::string::npos) << problems;
  EXPECT_NE(problems.find("'hearsay' is not a strength"), std::string::npos) << problems;
}

TEST(ModelJson, ReportsEveryProblemNotJustTheFirst) {
  const auto problems = problems_after([](json& m) {
    m["effects"][0].erase("name");
    m["effects"][3]["variability"]["peak_sd"]["value"] = -1;
    m["risks"][0]["probability"]["value"] = "often";
    m["aftercare"][0]["kind"] = "sometimes";
    m["surprise"] = 1;
  });
  EXPECT_NE(problems.find("effects[0].name: is missing"), std::string::npos) << problems;
  EXPECT_NE(problems.find("effects[3].variability.peak_sd.value: is -1"), std::string::npos) << problems;
  EXPECT_NE(problems.find("risks[0].probability.value: is a string, but must be a number"), std::string::npos) << problems;
  EXPECT_NE(problems.find("aftercare[0].kind: 'sometimes' is not a kind"), std::string::npos) << problems;
  EXPECT_NE(problems.find("surprise: unknown field"), std::string::npos) << problems;
}

TEST(ModelJson, DuplicateIdsAndMissingTriageTextAreRejected) {
  const auto problems = problems_after([](json& m) {
    m["effects"][1]["id"] = m["effects"][0]["id"];
    m["triage_levels"].erase(m["triage_levels"].size() - 1);
  });
  EXPECT_NE(problems.find("effects[1].id: 'redness' is used twice"), std::string::npos) << problems;
  EXPECT_NE(problems.find("triage_levels: has no text for 'emergency'"), std::string::npos) << problems;
}

TEST(ModelJson, ProblemsCarryTheirSourcePathAndCode) {
  json document = default_model_json();
  document["effects"][0]["incidence"]["evidence"] = json::array({"no_such_source"});
  document["effects"][1]["id"] = document["effects"][0]["id"];
  document["effects"][2]["incidence"]["value"] = 1.5;
  document["effects"][3]["name"] = 7;
  try {
    (void)parse_model(document.dump(), "m.json");
    FAIL() << "the broken model was accepted";
  } catch (const input_error& error) {
    const auto code_at = [&](const std::string& path) {
      const auto& all = error.problems();
      const auto it = std::find_if(all.begin(), all.end(), [&](const input_problem& p) { return p.path == path; });
      EXPECT_NE(it, all.end()) << "no problem at " << path << ":\n" << error.what();
      if (it != all.end()) {
        EXPECT_EQ(it->source, "m.json");
      }
      return it == all.end() ? std::string() : std::string(to_string(it->code));
    };
    EXPECT_EQ(code_at("effects[0].incidence.evidence[0]"), "unknown_id");
    EXPECT_EQ(code_at("effects[1].id"), "conflict");
    EXPECT_EQ(code_at("effects[2].incidence.value"), "out_of_range");
    EXPECT_EQ(code_at("effects[3].name"), "malformed");
  }
}

TEST(ModelJson, RedFlagNeedsEvidenceOrConventionAndAKnownLevel) {
  const auto problems = problems_after([](json& m) {
    m["red_flags"][0].erase("evidence");
    m["red_flags"][0]["convention"] = false;
    m["red_flags"][1]["level"] = "panic";
  });
  EXPECT_NE(problems.find("red_flags[0]: cites no evidence and is not marked as a convention"), std::string::npos) << problems;
  EXPECT_NE(problems.find("red_flags[1].level: 'panic' is not a triage level"), std::string::npos) << problems;
}

TEST(ModelJson, DayValuesAndFactorsAreBounded) {
  const auto problems = problems_after([](json& m) {
    m["effects"][0]["curve"]["half_life_days"]["value"] = 1e9;
    m["risks"][0]["onset_days"]["to"]["value"] = 1e300;
    m["modifiers"][0]["targets"][0]["duration_multiplier"]["value"] = 1e300;
    m["effects"][1]["variability"]["healing_time_sd"]["value"] = 1.0;
    m["effects"][1]["variability"]["peak_sd"]["value"] = 0.1;
  });
  EXPECT_NE(problems.find("effects[0].curve.half_life_days.value: is 1e+09, but must be in [0.001, 365]"), std::string::npos) << problems;
  EXPECT_NE(problems.find("risks[0].onset_days.to.value: is 1e+300"), std::string::npos) << problems;
  EXPECT_NE(problems.find("modifiers[0].targets[0].duration_multiplier.value: is 1e+300, but must be in (0, 100]"), std::string::npos) << problems;
  EXPECT_NE(problems.find("effects[1].variability.healing_time_sd.value: is more than 3 times peak_sd"), std::string::npos) << problems;
}

TEST(ModelJson, BrokenPlanningDataIsNamed) {
  const auto problems = problems_after([](json& m) {
    m["planning"]["recovery_confidence"]["value"] = 1.0;
    m["planning"].erase("event_confidence");
    m["protocols"][0]["follow_ups"][0]["after"] = "every_other_session";
    m["protocols"][0]["maintenance"]["results_fraction"]["value"] = 0.0;
    m["modifiers"][3]["washout"]["plan_may_pause"] = "yes";
  });
  EXPECT_NE(problems.find("planning.recovery_confidence.value: is 1, but must be in (0, 1)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("planning.event_confidence: is missing"), std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[0].follow_ups[0].after: 'every_other_session' is not a choice (known: each_session, last_session)"),
            std::string::npos) << problems;
  EXPECT_NE(problems.find("protocols[0].maintenance.results_fraction.value: is 0, but must be in (0, 1)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("modifiers[3].washout.plan_may_pause: is a string, but must be true or false"), std::string::npos) << problems;
  EXPECT_NE(problems_after([](json& m) { m.erase("planning"); }).find("planning: is missing"), std::string::npos);
}

TEST(DefaultModel, OnlyAnticoagulantsAreNeverPausedByAPlan) {
  EXPECT_TRUE(default_model().find_modifier("aspirin")->plan_may_pause);
  EXPECT_FALSE(default_model().find_modifier("anticoagulant")->plan_may_pause);
}

TEST(ModelJson, BrokenWordingIsNamed) {
  const auto problems = problems_after([](json& m) {
    m["wording"]["leaflet"]["gone_by"] = "gone by {fade_date}";
    m["wording"]["leaflet"]["chance_words"]["words"][1]["at_least"] = 0.9;
    m["wording"]["leaflet"]["chance_words"]["words"].erase(3);
    m["aftercare"][0]["text"] = "Avoid sun for {days}.";
    m["wording"]["leaflet"].erase("risks_heading");
    m["wording"]["leaflet"]["likely_from"]["value"] = 0.0;
    m["wording"]["chart"]["legend"] = "extra";
    m["wording"]["dates"]["months"].erase(0);
    m["wording"]["plan"]["pause"] = 12;
    m["triage_levels"][0].erase("name");
  });
  EXPECT_NE(problems.find("wording.leaflet.gone_by: uses {fade_date}, but the placeholders it may use are: {dates}"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("wording.leaflet.chance_words.words[1].at_least: must be below the word before it"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.leaflet.chance_words.words: must end with a word from 0"), std::string::npos) << problems;
  EXPECT_NE(problems.find("aftercare[0].text: uses {days}, but the placeholders it may use are: {duration}"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.leaflet.risks_heading: is missing"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.leaflet.likely_from.value: is 0, but must be in (0, 1)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.chart.legend: unknown field (known: title, severity_axis, median, band, visible, resolved, session, chance, months)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.dates.months: has 11 names, but must have 12, from January"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.plan.pause: is a number, but must be a string"), std::string::npos) << problems;
  EXPECT_NE(problems.find("triage_levels[0].name: is missing"), std::string::npos) << problems;
  EXPECT_NE(problems_after([](json& m) { m.erase("wording"); }).find("wording: is missing"), std::string::npos);

  // A sentence that drops the dates it exists to give, or says nothing, is refused too.
  const auto silent = problems_after([](json& m) {
    m["wording"]["leaflet"]["aftercare_line"] = "{text}";
    m["wording"]["dates"]["format"] = "{weekday}";
    m["wording"]["leaflet"]["title"] = "";
    m["triage_levels"][3]["name"] = "";
    m["red_flags"][0]["sign"] = "";
  });
  EXPECT_NE(silent.find("wording.leaflet.aftercare_line: does not use {until}, which it must: {until}, {text}"), std::string::npos) << silent;
  EXPECT_NE(silent.find("wording.dates.format: does not use {day}"), std::string::npos) << silent;
  EXPECT_NE(silent.find("wording.leaflet.title: is empty"), std::string::npos) << silent;
  EXPECT_NE(silent.find("triage_levels[3].name: is empty"), std::string::npos) << silent;
  EXPECT_NE(silent.find("red_flags[0].sign: is empty"), std::string::npos) << silent;
}

TEST(DefaultModel, EveryRedFlagHasASignInThePatientsWords) {
  for (const auto& rule : default_model().red_flags) {
    EXPECT_FALSE(rule.sign.empty()) << rule.id;
    EXPECT_NE(rule.sign, rule.text) << rule.id << ": the leaflet needs the sign, not the assessment's reply";
  }
}

TEST(ModelJson, NotAnObjectAtTheTop) {
  EXPECT_NE(problems_of(json::array()).find("(top level): is an array, but must be an object"), std::string::npos);
}

TEST(ModelJson, BrokenPlanWordingIsNamed) {
  const auto problems = problems_after([](json& m) {
    m["wording"]["plan"].erase("off_target");
    m["wording"]["plan"]["follow_up"] = "{days} after {visit}";
    m["wording"]["plan"]["interval_too_long"] = "session {number} comes {interval} after session {previous}, beyond {longest}";
    m["wording"]["plan"]["weekdays"].erase(0);
    m["wording"]["plan"]["days"] = "";
    m["wording"]["plan"]["reasons"] = "extra";
  });
  EXPECT_NE(problems.find("wording.plan.off_target: is missing"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.plan.follow_up: uses {visit}, but the placeholders it may use are: {days}, {session}"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("wording.plan.interval_too_long: does not use {why}, which it must: {number}, {interval}, {previous}, {longest}, {why}"),
            std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.plan.weekdays: has 6 names, but must have 7, from Sunday"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.plan.days: is empty"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.plan.reasons: unknown field (known: pause, "), std::string::npos) << problems;
  EXPECT_NE(problems_after([](json& m) { m["wording"]["plan"].erase("weekdays"); }).find("wording.plan.weekdays: is missing"), std::string::npos);
}

TEST(ModelJson, KindsThatLeadRoundInALoopAreRefused) {
  const auto problems = problems_after([](json& m) {
    for (auto& modifier : m["modifiers"])
      if (modifier["id"] == "blood_thinners") modifier["kind_of"] = "nsaid";  // nsaid is a kind of blood_thinners
  });
  EXPECT_NE(problems.find("modifiers[2].kind_of: 'nsaid' is itself a kind of 'blood_thinners'"), std::string::npos) << problems;
  EXPECT_NE(problems.find(".kind_of: 'blood_thinners' is itself a kind of 'nsaid'"), std::string::npos) << problems;
}

TEST(ModelJson, ThePauseReasonMustStateTheWashoutInOneForm) {
  EXPECT_NE(problems_after([](json& m) { m["wording"]["plan"]["pause_reason"] = "it wears off before the session"; })
                .find("wording.plan.pause_reason: uses none of {washout}, {washout_days}, but must use one of them"),
            std::string::npos);
  EXPECT_EQ(problems_after([](json& m) { m["wording"]["plan"]["pause_reason"] = "about {washout_days} days ({medicine})"; }), "");
}

TEST(ModelJson, StaffWordingIsCheckedLikeEveryOtherGroup) {
  const auto problems = problems_after([](json& m) {
    m["wording"]["staff"]["statuses"].erase("worsening");
    m["wording"]["staff"]["statuses"]["late"] = "late";
    m["wording"]["staff"]["aftercare_item"] = "aftercare {number}";
    m["wording"]["staff"]["pause_item"] = "pause {medicine}";
    m["wording"]["staff"]["band"] = "";
    m["wording"]["staff"]["legend"] = "extra";
  });
  EXPECT_NE(problems.find("wording.staff.statuses.worsening: is missing"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.staff.statuses.late: unknown field (known: resolved, better_than_expected, as_expected, "
                          "slower_than_expected, worsening, unexpected)"),
            std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.staff.aftercare_item: does not use {name}, which it must: {name}"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.staff.pause_item: uses {medicine}, but the placeholders it may use are: {number}, {name}"),
            std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.staff.band: is empty"), std::string::npos) << problems;
  EXPECT_NE(problems.find("wording.staff.legend: unknown field (known: band, median, visible, resolved, session, follow_up_item, "
                          "aftercare_item, pause_item, statuses)"),
            std::string::npos) << problems;
  EXPECT_NE(problems_after([](json& m) { m["wording"].erase("staff"); }).find("wording.staff: is missing"), std::string::npos);
  EXPECT_NE(problems_after([](json& m) { m["aftercare"][0].erase("name"); }).find("aftercare[0].name: is missing"), std::string::npos);
}

TEST(ModelJson, StaffWordingAndAftercareNamesAreWrittenBackWhole) {
  std::ifstream file(std::string(AFTERMATH_SOURCE_DIR) + "/src/models/mesotherapy_face.json");
  const json source = json::parse(file);
  const json written = json::parse(to_json(default_model()));
  EXPECT_EQ(written["wording"]["staff"], source["wording"]["staff"]);
  for (std::size_t i = 0; i < source["aftercare"].size(); ++i) EXPECT_EQ(written["aftercare"][i]["name"], source["aftercare"][i]["name"]) << i;
  const auto& m = default_model();
  EXPECT_EQ(status_name(m, report_status::as_expected), "as expected");
  EXPECT_EQ(m.triage_name(triage_level::contact_provider), "Contact your clinic");
  EXPECT_EQ(std::string(m.wording.staff.band).find("people like you"), std::string::npos);
}

TEST(ModelJson, PlanWordingIsWrittenBackWhole) {
  std::ifstream file(std::string(AFTERMATH_SOURCE_DIR) + "/src/models/mesotherapy_face.json");
  const json source = json::parse(file);
  const json written = json::parse(to_json(default_model()));
  std::vector<std::string> source_keys, written_keys;
  for (const auto& [key, value] : source["wording"]["plan"].items()) source_keys.push_back(key);
  for (const auto& [key, value] : written["wording"]["plan"].items()) written_keys.push_back(key);
  std::sort(source_keys.begin(), source_keys.end());
  std::sort(written_keys.begin(), written_keys.end());
  EXPECT_EQ(written_keys, source_keys);
  for (const auto& key : source_keys) EXPECT_EQ(written["wording"]["plan"][key], source["wording"]["plan"][key]) << key;
}

}  // namespace
}  // namespace aftermath

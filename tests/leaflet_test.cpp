// The leaflet: what it must name is checked against the projection it was made from (every
// likely effect with its times and dates, every aftercare window with its end dates, every sign
// meant for patients under its level), never against fixed sentences; every time it states obeys
// the documented rounding rule (include/aftermath/leaflet.hpp); every sentence comes from the
// model or the clinic's overlay.
#include <aftermath/io/json.hpp>
#include <aftermath/leaflet.hpp>
#include <aftermath/recovery_gate.hpp>
#include <aftermath/render/leaflet.hpp>

#include <gtest/gtest.h>

#include "support/profiles.hpp"
#include "core/wording.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <regex>

namespace aftermath {
namespace {

using testing::patient_with;

struct case_under_test {
  profile patient;
  projection projected;
  leaflet written;
};

case_under_test leaflet_for(const model& model, profile patient) {
  auto projected = project(personalise(model, patient));
  auto written = make_leaflet(model, patient, projected);
  return {std::move(patient), std::move(projected), std::move(written)};
}

/// The patients the leaflet is checked for: no risk factor, bruise-prone on aspirin, sensitive
/// skin with three sessions, sessions with a time of day late in the evening, and three
/// sessions months apart.
std::vector<profile> patients() {
  auto evening = patient_with({}, {0, 14});
  for (auto& s : evening.sessions) s.minute_of_day = 22 * 60 + 30;
  return {patient_with({}), patient_with({{"bruise_prone", {}}, {"aspirin", testing::day(2026, 11, 28)}}, {0, 14}),
          patient_with({{"sensitive_skin", {}}}, {0, 14, 28}), evening, patient_with({}, {0, 90, 182})};
}

const leaflet_section& section_of(const leaflet& l, const std::string& id) {
  const auto found = std::find_if(l.sections.begin(), l.sections.end(), [&](const auto& s) { return s.id == id; });
  if (found == l.sections.end()) throw std::out_of_range("no section " + id);
  return *found;
}

const leaflet_section* subsection_of(const leaflet_section& s, const std::string& id) {
  const auto found = std::find_if(s.subsections.begin(), s.subsections.end(), [&](const auto& sub) { return sub.id == id; });
  return found == s.subsections.end() ? nullptr : &*found;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string date_words(const profile& patient, days since_first) {
  return format_date(default_model().wording.dates, date_after_first(patient, since_first));
}

/// The default model, and one where itching is rare, so that an effect falls below the line.
std::vector<model> models() {
  model rare_itching = default_model();
  for (auto& effect : rare_itching.effects)
    if (effect.id == "itching") effect.incidence.value = 0.02;
  return {default_model(), rare_itching};
}

/// The quantiles the leaflet must state for an effect after session j (0-based): the resolution
/// of the effect in the course up to session j, given that it happens after session j.
struct fade_quantiles {
  days p50, p90, p95;
};

fade_quantiles fade_after(const model& m, profile patient, const std::string& effect_id, std::size_t j) {
  patient.sessions.resize(j + 1);
  const auto course = personalise(m, patient);
  effect_course given = testing::effect_named(course, effect_id);
  given.sessions[j].occurrence = probability::checked(1.0);
  const auto q = [&](double p) { return resolution_quantile(given, course.resolved_threshold, p); };
  return {q(0.5), q(0.9), q(0.95)};
}

std::string short_date(const model& m, const profile& patient, days since_first) {
  return format_short_date(m.wording.dates, date_after_first(patient, since_first));
}

/// Every duration in `text`, in days, with its unit: "3 days" → (3, 1). A number is a duration
/// when one of the unit words follows it ("9 in 10" is not). Durations are written in the
/// model's words; a test of a reworded model gives its own.
std::vector<std::pair<double, double>> durations_in(const std::string& text, const std::string& hour, const std::string& day,
                                                    const std::string& week) {
  const std::regex number_and_word(R"((\d+) (\S+))");
  std::vector<std::pair<double, double>> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number_and_word); it != std::sregex_iterator(); ++it) {
    const double n = std::stod((*it)[1]);
    const std::string word = (*it)[2];
    if (word.rfind(hour, 0) == 0) out.emplace_back(n / 24.0, 1.0 / 24.0);
    else if (word.rfind(day, 0) == 0) out.emplace_back(n, 1.0);
    else if (word.rfind(week, 0) == 0) out.emplace_back(7.0 * n, 7.0);
  }
  return out;
}

/// The documented rule: a duration is the quantile rounded up to its unit, so it is at least the
/// quantile and less than one unit above it.
void expect_rounded_up(const std::pair<double, double>& stated, double quantile, const std::string& what) {
  EXPECT_GE(stated.first + 1e-9, quantile) << what;
  EXPECT_LT(stated.first - stated.second, quantile + 1e-9) << what;
}

/// Every likely effect: its text, its typical and 9-in-10 durations (the median and 90th
/// percentile after the first session, rounded up) and the date it should have gone by after
/// each session (the 95th percentile).
void check_effects(const model& m, const profile& patient, const std::string& hours, const std::string& days_word,
                   const std::string& weeks, int& likely, int& unlikely) {
  const auto c = leaflet_for(m, patient);
  const auto& effects = section_of(c.written, "effects");
  for (const auto& effect : c.projected.effects) {
    const auto* part = subsection_of(effects, effect.id);
    if (effect.occurs.value() < m.wording.leaflet.likely_from.value) {
      ++unlikely;
      EXPECT_EQ(part, nullptr) << effect.id << " belongs in the closing line";
      ASSERT_EQ(effects.closing.size(), 1u);
      EXPECT_TRUE(contains(effects.closing[0], effect.name));
      continue;
    }
    ++likely;
    ASSERT_NE(part, nullptr) << effect.id;
    EXPECT_TRUE(contains(part->heading, effect.name));
    EXPECT_TRUE(contains(part->heading, chance_in_words(m.wording.leaflet, effect.occurs))) << part->heading;
    EXPECT_EQ(part->paragraphs.at(0), effect.text);
    const std::string& times = part->paragraphs.at(1);
    const auto first = fade_after(m, patient, effect.id, 0);
    const double start = c.projected.session_starts[0].count();
    const auto stated = durations_in(times, hours, days_word, weeks);
    ASSERT_EQ(stated.size(), 2u) << times;
    expect_rounded_up(stated[0], first.p50.count() - start, effect.id + " typical: " + times);
    expect_rounded_up(stated[1], first.p90.count() - start, effect.id + " for 9 in 10: " + times);
    for (std::size_t j = 0; j < patient.sessions.size(); ++j) {
      const auto fade = fade_after(m, patient, effect.id, j);
      EXPECT_TRUE(contains(times, short_date(m, patient, fade.p95))) << effect.id << " after session " << j + 1 << ": " << times;
      EXPECT_GE(date_after_first(patient, fade.p50), patient.sessions[j].day) << effect.id << " after session " << j + 1;
      EXPECT_GE(fade.p95.count(), fade.p90.count()) << effect.id;
      EXPECT_GE(fade.p90.count(), fade.p50.count()) << effect.id;
    }
  }
}

TEST(Leaflet, StatesEachLikelyEffectsTimesAsTheModelsQuantiles) {
  int likely = 0, unlikely = 0;
  for (const auto& m : models())
    for (const auto& patient : patients()) check_effects(m, patient, "hour", "day", "week", likely, unlikely);
  EXPECT_GT(likely, 0);
  EXPECT_GT(unlikely, 0);
}

// Sessions months apart barely overlap, so the dates after each are those of a single session
// on that day: an independent check of the per-session dates. (The slowest healers' bruises
// from three months before move the 95th percentile by about a second; 1e-3 days allows that.)
TEST(Leaflet, SessionsMonthsApartFadeAsSingleSessionsDo) {
  const auto course = leaflet_for(default_model(), patient_with({}, {0, 90, 182}));
  const auto single = leaflet_for(default_model(), patient_with({}));
  const auto& effects = section_of(course.written, "effects");
  for (const auto& effect : single.projected.effects) {
    if (!subsection_of(effects, effect.id)) continue;
    const auto one = fade_after(default_model(), single.patient, effect.id, 0);
    for (std::size_t j = 0; j < 3; ++j) {
      const auto after_j = fade_after(default_model(), course.patient, effect.id, j);
      const double start = course.projected.session_starts[j].count();
      EXPECT_NEAR(after_j.p50.count() - start, one.p50.count(), 1e-3) << effect.id << " after session " << j + 1;
      EXPECT_NEAR(after_j.p95.count() - start, one.p95.count(), 1e-3) << effect.id << " after session " << j + 1;
    }
  }
}

/// English phrases that state a time: "a day or two", "2 weeks", "a few hours", "one to two weeks".
bool states_a_time(const std::string& text) {
  static const std::regex time_phrase(
      R"(\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|few|couple of|several)\s+(hour|day|week|month)s?\b)",
      std::regex::icase);
  return std::regex_search(text, time_phrase);
}

// The rule that keeps words and numbers together: the model's patient texts state no time of
// their own; every time the leaflet states is filled in from the projection.
TEST(Leaflet, TheModelsPatientTextsStateNoTimeOfTheirOwn) {
  const auto& m = default_model();
  EXPECT_TRUE(states_a_time("It usually fades within a day or two"));  // the checker sees what it must
  EXPECT_TRUE(states_a_time("usually clear within one to two weeks"));
  EXPECT_FALSE(states_a_time("most noticeable on the day of treatment"));
  for (const auto& effect : m.effects) EXPECT_FALSE(states_a_time(effect.text)) << effect.id << ": " << effect.text;
  for (const auto& item : m.aftercare) EXPECT_FALSE(states_a_time(item.text)) << item.id << ": " << item.text;
  for (const auto& risk : m.risks) EXPECT_FALSE(states_a_time(risk.text)) << risk.id << ": " << risk.text;
  EXPECT_FALSE(states_a_time(m.results.text)) << m.results.text;
  for (const auto& rule : m.red_flags)
    if (rule.in_leaflet) {
      EXPECT_FALSE(states_a_time(rule.sign)) << rule.id << ": " << rule.sign;
    }
  const leaflet_wording& words = m.wording.leaflet;
  for (const auto* sentence : {&words.effects_intro, &words.durations, &words.gone_by, &words.warnings_intro, &words.still_there_sign,
                               &words.aftercare_line, &words.follow_up_line, &words.results_line, &words.risk_line, &words.chart_caption})
    EXPECT_FALSE(states_a_time(*sentence)) << *sentence;
}

TEST(Leaflet, AftercareWindowsSayTheirOwnLengthAndEndAfterEverySession) {
  for (const auto& patient : patients()) {
    const auto c = leaflet_for(default_model(), patient);
    const auto& aftercare = section_of(c.written, "aftercare");
    std::size_t kinds = 0;
    for (const auto& item : default_model().aftercare) {
      if (item.kind == aftercare_kind::advice) continue;
      ++kinds;
      const std::string length = detail::format_duration(default_model().wording.durations, item.days->value);
      const auto line = std::find_if(aftercare.items.begin(), aftercare.items.end(),
                                     [&](const std::string& i) { return contains(i, detail::aftercare_text(default_model(), item)); });
      ASSERT_NE(line, aftercare.items.end()) << item.id;
      EXPECT_TRUE(contains(*line, length)) << *line;
      for (const auto& entry : c.projected.aftercare)
        if (entry.id == item.id) {
          const bool follow_up = entry.kind == aftercare_kind::follow_up;
          EXPECT_TRUE(contains(*line, follow_up ? date_words(patient, entry.until) : short_date(default_model(), patient, entry.until)))
              << *line;
        }
    }
    EXPECT_LE(aftercare.items.size(), kinds);  // windows ending on the same dates share a line
  }
}

TEST(Leaflet, ListsTheSignsAPatientCanCheckUnderTheHelpTheyNeed) {
  const auto& m = default_model();
  const auto c = leaflet_for(m, patients()[1]);
  const auto& warnings = section_of(c.written, "warnings");
  // When to get help comes first, so the emergency signs are the first a patient reads.
  EXPECT_EQ(c.written.sections.front().id, "warnings");
  ASSERT_FALSE(warnings.subsections.empty());
  EXPECT_EQ(warnings.subsections.front().id, "emergency");
  std::size_t signs = 0;
  for (const auto& level : warnings.subsections) signs += level.items.size();
  std::size_t in_leaflet = 0;
  for (const auto& rule : m.red_flags) {
    const auto* level = subsection_of(warnings, std::string(to_string(rule.level)));
    const bool listed = level && std::find(level->items.begin(), level->items.end(), rule.sign) != level->items.end();
    EXPECT_EQ(listed, rule.in_leaflet) << rule.id;
    in_leaflet += rule.in_leaflet ? 1 : 0;
  }
  // The one sign not from a rule: still there after its date, the 95th percentile the effects give.
  const auto* contact = subsection_of(warnings, "contact_provider");
  ASSERT_NE(contact, nullptr);
  EXPECT_NE(std::find(contact->items.begin(), contact->items.end(), m.wording.leaflet.still_there_sign), contact->items.end());
  EXPECT_EQ(signs, in_leaflet + 1);
  EXPECT_LE(signs, 10u) << "the list a patient reads stays short";
}

TEST(Leaflet, ExplainsTheRatingScaleWithTheAssessmentsRanges) {
  const auto& m = default_model();
  const auto c = leaflet_for(m, patients()[0]);
  const auto& scale = section_of(c.written, "warnings").paragraphs.at(1);
  // A whole rating r is mild when mild_from ≤ r < moderate_from, and so on: 1–4, 5–6, 7–10.
  const auto first = [](double from) { return static_cast<int>(std::ceil(from)); };
  const auto& a = m.assessment;
  const std::string mild = std::to_string(first(a.mild_from.value)) + "–" + std::to_string(first(a.moderate_from.value) - 1);
  const std::string moderate = std::to_string(first(a.moderate_from.value)) + "–" + std::to_string(first(a.severe_from.value) - 1);
  const std::string severe = std::to_string(first(a.severe_from.value)) + "–10";
  EXPECT_EQ(scale, detail::fill(m.wording.leaflet.scale, {{"mild", mild}, {"moderate", moderate}, {"severe", severe}}));
  EXPECT_TRUE(contains(scale, "1–4")) << scale;
  EXPECT_TRUE(contains(scale, "7–10")) << scale;
}

TEST(Leaflet, ChanceWordsFollowTheModelsBounds) {
  const auto& words = default_model().wording.leaflet;
  EXPECT_EQ(chance_in_words(words, probability::checked(0.94)), "likely");
  EXPECT_EQ(chance_in_words(words, probability::checked(0.5)), "likely");
  EXPECT_EQ(chance_in_words(words, probability::checked(0.28)), "common");
  EXPECT_EQ(chance_in_words(words, probability::checked(0.1)), "common");
  EXPECT_EQ(chance_in_words(words, probability::checked(0.04)), "possible");
  EXPECT_EQ(chance_in_words(words, probability::checked(0.004)), "rare");
  EXPECT_EQ(chance_in_words(words, probability::checked(0.0)), "rare");
}

TEST(Leaflet, WhatHelpsRisksResultsAndTheNoticeComeFromTheProjection) {
  const auto c = leaflet_for(default_model(), patients()[0]);
  const auto& helps = section_of(c.written, "helps");
  for (const auto& entry : c.projected.aftercare) {
    if (entry.kind != aftercare_kind::advice) continue;
    EXPECT_NE(std::find(helps.items.begin(), helps.items.end(), entry.text), helps.items.end()) << entry.id;
  }
  const auto& risks = section_of(c.written, "risks");
  ASSERT_EQ(risks.items.size(), c.projected.risks.size());
  for (std::size_t i = 0; i < risks.items.size(); ++i) {
    EXPECT_TRUE(contains(risks.items[i], c.projected.risks[i].name));
    EXPECT_TRUE(contains(risks.items[i], short_date(default_model(), c.patient, c.projected.risks[i].watch_until)));
  }
  // Results begin to show when one session's results reach half their peak: found here by a
  // plain scan of the curve, to the hour.
  const auto course = personalise(default_model(), c.patient);
  double t = 0.0;
  const double peak = course.results.shape(course.results.shape.peak_time());
  while (course.results.shape(days(t)) < 0.5 * peak) t += 1.0 / 24.0;
  const auto stated = durations_in(section_of(c.written, "results").paragraphs.at(0), "hour", "day", "week");
  ASSERT_EQ(stated.size(), 1u);
  expect_rounded_up(stated[0], t - 1.0 / 24.0, "results");
  EXPECT_EQ(section_of(c.written, "notice").paragraphs.at(0), c.projected.notice);
}

// A clinic's overlay: its number with every level of help, its out-of-hours number where help
// cannot wait, its name in the intro; its words in place of the model's.
TEST(Leaflet, GivesTheClinicsNumbersWithTheHelp) {
  clinic riverside{"Riverside Skin Clinic", "020 7946 0123", "020 7946 0999", "", std::nullopt};
  riverside.wording = default_model().wording;
  riverside.wording->leaflet.title = "After your treatment at Riverside";
  const auto patient = patients()[0];
  const auto projected = project(personalise(default_model(), patient));
  const auto written = make_leaflet(default_model(), patient, projected, riverside);
  EXPECT_EQ(written.title, "After your treatment at Riverside");
  EXPECT_TRUE(contains(written.intro.back(), "020 7946 0123"));
  const auto& warnings = section_of(written, "warnings");
  const auto joined = [](const leaflet_section& s) {
    std::string all;
    for (const auto& p : s.paragraphs) all += p + "\n";
    return all;
  };
  for (const auto* level : {"emergency", "urgent", "contact_provider"}) {
    const auto* part = subsection_of(warnings, level);
    ASSERT_NE(part, nullptr) << level;
    EXPECT_TRUE(contains(joined(*part), "020 7946 0123")) << level;
    EXPECT_EQ(contains(joined(*part), "020 7946 0999"), std::string(level) != "contact_provider") << level;
  }
  // Without a clinic, no number is made up.
  const auto plain = make_leaflet(default_model(), patient, projected);
  for (const auto& level : section_of(plain, "warnings").subsections) EXPECT_TRUE(level.paragraphs.empty()) << level.id;
}

// A course that breaks its protocol's recovery gate is the clinic's to act on: the leaflet
// carries the warnings beside its page, never on it.
TEST(Leaflet, GateWarningsAreForTheClinicNotOnThePage) {
  const auto patient = patients()[1];  // bruise-prone on aspirin, sessions two weeks apart under face_initial
  const auto projected = project(default_model(), patient);
  ASSERT_FALSE(projected.gate_warnings.empty());
  const auto written = make_leaflet(default_model(), patient, projected);
  ASSERT_EQ(written.clinic_warnings.size(), projected.gate_warnings.size());
  EXPECT_EQ(written.clinic_warnings[0], projected.gate_warnings[0].text);
  EXPECT_FALSE(contains(to_html(written, ""), projected.gate_warnings[0].text));
  EXPECT_FALSE(contains(to_markdown(written, ""), projected.gate_warnings[0].text));
  EXPECT_TRUE(make_leaflet(default_model(), patients()[0], project(default_model(), patients()[0])).clinic_warnings.empty());
}

TEST(Leaflet, EverySentenceComesFromTheModel) {
  model german = default_model();
  german.wording.dates = {"{weekday}, {day}. {month} {year}",
                          {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
                          {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
                          "{weekday} {day}. {month}",
                          {"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"},
                          {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"}};
  german.wording.durations = {"{count} Stunde", "{count} Stunden", "{count} Tag", "{count} Tage", "{count} Woche", "{count} Wochen"};
  german.wording.leaflet.title = "Was Sie nach Ihrer Behandlung erwartet";
  german.wording.leaflet.durations = "Wenn sie auftritt, meist nach {typical} vorbei, bei 9 von 10 nach {most}.";
  german.wording.leaflet.gone_by = "Spätestens vorbei: {dates}.";
  german.wording.leaflet.chance_words = {{0.5, "wahrscheinlich"}, {0.0, "möglich"}};
  german.effects[0].name = "Rötung";
  german.triage_levels[3].name = "Notruf 112";
  const auto c = leaflet_for(german, patients()[1]);
  EXPECT_EQ(c.written.title, "Was Sie nach Ihrer Behandlung erwartet");
  EXPECT_TRUE(contains(c.written.intro.back(), "Dienstag, 1. Dezember 2026"));
  const auto& redness = section_of(c.written, "effects").subsections.at(0);
  EXPECT_TRUE(contains(redness.heading, "Rötung"));
  EXPECT_TRUE(contains(redness.heading, "wahrscheinlich"));
  EXPECT_TRUE(redness.paragraphs.at(1).rfind("Wenn sie auftritt, meist nach ", 0) == 0) << redness.paragraphs.at(1);
  EXPECT_TRUE(contains(redness.paragraphs.at(1), "Spätestens vorbei: So ")) << redness.paragraphs.at(1);
  EXPECT_EQ(section_of(c.written, "warnings").subsections.front().heading, "Notruf 112");
  // The reworded model's times obey the same rule as the default's.
  int likely = 0, unlikely = 0;
  for (const auto& patient : patients()) check_effects(german, patient, "Stunde", "Tag", "Woche", likely, unlikely);
  EXPECT_GT(likely, 0);
}

TEST(Leaflet, FormatsDatesAndDurationsInTheModelsWords) {
  const auto& m = default_model();
  EXPECT_EQ(format_date(m.wording.dates, testing::day(2026, 12, 1)), "Tuesday 1 December 2026");
  EXPECT_EQ(format_date(m.wording.dates, testing::day(2027, 2, 28)), "Sunday 28 February 2027");
  EXPECT_EQ(format_short_date(m.wording.dates, testing::day(2026, 12, 1)), "Tue 1 Dec");
  const auto& d = m.wording.durations;
  EXPECT_EQ(detail::format_duration(d, 0.01), "1 hour");
  EXPECT_EQ(detail::format_duration(d, 0.37), "9 hours");  // 8.9 hours, rounded up
  EXPECT_EQ(detail::format_duration(d, 1.0), "1 day");
  EXPECT_EQ(detail::format_duration(d, 1.0000000001), "1 day");  // a hair over is still the number
  EXPECT_EQ(detail::format_duration(d, 2.4), "3 days");
  EXPECT_EQ(detail::format_duration(d, 14.0), "14 days");
  EXPECT_EQ(detail::format_duration(d, 27.5), "4 weeks");
  EXPECT_EQ(detail::format_duration(d, 36.0), "6 weeks");
}

// ---- HTML and Markdown ----------------------------------------------------------------------

profile awkward_patient() {
  auto patient = patient_with({});
  patient.patient = R"(<script>alert("x")</script> & 'co' *bold* [link](x))";
  return patient;
}

TEST(LeafletHtml, EscapesEveryTextAndEmbedsTheChart) {
  model awkward = default_model();
  awkward.effects[0].name = "Red <b>&</b> \"sore\"";
  const auto c = leaflet_for(awkward, awkward_patient());
  const std::string chart = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><g class=\"panel\"/></svg>";
  const std::string html = to_html(c.written, chart);
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_FALSE(contains(html, "<b>&"));
  EXPECT_TRUE(contains(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;"));
  EXPECT_TRUE(contains(html, "Red &lt;b&gt;&amp;&lt;/b&gt; &quot;sore&quot;"));
  EXPECT_TRUE(contains(html, "<svg xmlns=\"http://www.w3.org/2000/svg\"><g class=\"panel\"/></svg>"));
  EXPECT_FALSE(contains(html, "<?xml"));  // not allowed inside an HTML page
  EXPECT_TRUE(contains(html, "<section class=\"emergency\">"));
  EXPECT_TRUE(contains(html, "<meta name=\"viewport\""));
}

TEST(LeafletMarkdown, EscapesFormattingAndLinksTheChart) {
  const auto c = leaflet_for(default_model(), awkward_patient());
  const std::string md = to_markdown(c.written, "leaflet-chart.svg");
  EXPECT_FALSE(contains(md, "<script>"));
  EXPECT_TRUE(contains(md, R"(&lt;script&gt;alert("x")&lt;/script&gt; &amp; 'co' \*bold\* \[link\](x))")) << md;
  EXPECT_TRUE(contains(md, "](<leaflet-chart.svg>)"));
  EXPECT_TRUE(contains(md, "\n## " + section_of(c.written, "warnings").heading + "\n"));
  EXPECT_FALSE(contains(to_markdown(c.written, ""), "!["));  // no chart file, no broken link
}

TEST(LeafletMarkdown, ATextCannotStartABlockOrALink) {
  auto patient = patient_with({});
  patient.patient = "anon\n\n# Call 0900 now\n1. ok\r\n- item ~~gone~~ |a|b| ![x](y) https://example.com www.example.com";
  const auto c = leaflet_for(default_model(), patient);
  const std::string md = to_markdown(c.written, "");
  EXPECT_FALSE(contains(md, "\n# Call")) << md.substr(0, 300);
  EXPECT_FALSE(contains(md, "\n1. ok"));
  EXPECT_FALSE(contains(md, "\n- item"));
  EXPECT_TRUE(contains(md, R"(anon  # Call 0900 now 1. ok  - item \~\~gone\~\~ \|a\|b\| \!\[x\](y) https\://example.com www\.example.com)"))
      << md.substr(0, 400);
  model numbered = default_model();
  numbered.wording.leaflet.title = "1. What to expect";
  EXPECT_EQ(to_markdown(make_leaflet(numbered, c.patient, c.projected), "").rfind("# 1\\. What to expect\n", 0), 0u);
}

TEST(LeafletMarkdown, NamesWhatTheLeafletNames) {
  const auto c = leaflet_for(default_model(), patients()[1]);
  const std::string md = to_markdown(c.written, "");
  const std::function<void(const leaflet_section&)> check = [&](const leaflet_section& s) {
    for (const auto& item : s.items) EXPECT_TRUE(contains(md, "- " + item)) << item;  // plain words need no escaping
    for (const auto& sub : s.subsections) check(sub);
  };
  for (const auto& s : c.written.sections) check(s);
  for (const auto& rule : default_model().red_flags)
    if (rule.in_leaflet) {
      EXPECT_TRUE(contains(md, rule.sign)) << rule.id;
    }
}

}  // namespace
}  // namespace aftermath

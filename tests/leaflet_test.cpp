// The leaflet: what it must name is checked against the projection it was made from (every
// likely effect with its dates, every aftercare window with its end date, every red flag under
// its level), never against fixed sentences; and every sentence comes from the model.
#include <aftermath/io/json.hpp>
#include <aftermath/leaflet.hpp>
#include <aftermath/render/leaflet.hpp>

#include <gtest/gtest.h>

#include "support/profiles.hpp"
#include "core/wording.hpp"

#include <algorithm>
#include <functional>

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

/// The projection of the course up to and including session `j` (0-based).
/// The fade dates the leaflet must give after session j (0-based): the resolution of the effect
/// in the course up to session j, given that it happens after session j.
resolution_summary fade_after(const model& m, profile patient, const std::string& effect_id, std::size_t j) {
  patient.sessions.resize(j + 1);
  const auto course = personalise(m, patient);
  effect_course given = testing::effect_named(course, effect_id);
  given.sessions[j].occurrence = probability::checked(1.0);
  return {resolution_quantile(given, course.resolved_threshold, 0.5), resolution_quantile(given, course.resolved_threshold, 0.95)};
}

std::string expected_fade_line(const model& m, const profile& patient, std::size_t j, const resolution_summary& fade) {
  const auto& words = m.wording.leaflet;
  const std::string by = date_words(patient, fade.p95), typical = date_words(patient, fade.p50);
  return detail::fill(by == typical ? words.fade_line_same_day : words.fade_line,
                      {{"session", date_words(patient, days_since_first(patient, patient.sessions[j]))},
                       {"number", std::to_string(j + 1)},
                       {"fade_by", by},
                       {"fade_typical", typical}});
}

TEST(Leaflet, NamesEveryLikelyEffectWithTheDatesItShouldFadeByAfterEachSession) {
  const double likely_from = default_model().wording.leaflet.likely_from.value;
  int likely = 0, unlikely = 0;
  for (const auto& m : models()) {
    for (const auto& patient : patients()) {
      const auto c = leaflet_for(m, patient);
      const auto& effects = section_of(c.written, "effects");
      for (const auto& effect : c.projected.effects) {
        const auto* part = subsection_of(effects, effect.id);
        if (effect.occurs.value() < likely_from) {
          ++unlikely;
          EXPECT_EQ(part, nullptr) << effect.id << " is below " << likely_from << " and belongs in the closing line";
          ASSERT_EQ(effects.closing.size(), 1u);
          EXPECT_TRUE(contains(effects.closing[0], effect.name));
          continue;
        }
        ++likely;
        ASSERT_NE(part, nullptr) << effect.id << " has a " << effect.occurs.value() << " chance";
        EXPECT_TRUE(contains(part->heading, effect.name));
        EXPECT_EQ(part->paragraphs.at(0), effect.text);
        ASSERT_EQ(part->items.size(), patient.sessions.size());
        for (std::size_t j = 0; j < patient.sessions.size(); ++j) {
          const auto fade = fade_after(m, patient, effect.id, j);
          EXPECT_EQ(part->items[j], expected_fade_line(m, patient, j, fade));
          // Whatever the earlier sessions did, an effect of session j fades after session j.
          EXPECT_GE(date_after_first(patient, fade.p50), patient.sessions[j].day) << effect.id << " after session " << j + 1;
          EXPECT_GE(fade.p95.count(), fade.p50.count()) << effect.id;
        }
      }
    }
  }
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
    const auto* part = subsection_of(effects, effect.id);
    if (!part) continue;
    const auto one = fade_after(default_model(), single.patient, effect.id, 0);
    for (std::size_t j = 0; j < 3; ++j) {
      const auto after_j = fade_after(default_model(), course.patient, effect.id, j);
      const double start = course.projected.session_starts[j].count();
      EXPECT_NEAR(after_j.p50.count() - start, one.p50.count(), 1e-3) << effect.id << " after session " << j + 1;
      EXPECT_NEAR(after_j.p95.count() - start, one.p95.count(), 1e-3) << effect.id << " after session " << j + 1;
    }
  }
}

TEST(Leaflet, NamesEveryAftercareWindowWithItsEndDateUnderItsSession) {
  for (const auto& patient : patients()) {
    const auto c = leaflet_for(default_model(), patient);
    const auto& aftercare = section_of(c.written, "aftercare");
    EXPECT_EQ(aftercare.subsections.size(), c.projected.session_starts.size());
    std::size_t windows = 0;
    for (const auto& entry : c.projected.aftercare) {
      if (entry.kind == aftercare_kind::advice) continue;
      ++windows;
      const auto* session = subsection_of(aftercare, "session-" + std::to_string(entry.session));
      ASSERT_NE(session, nullptr) << entry.id;
      EXPECT_TRUE(contains(session->heading, date_words(patient, c.projected.session_starts[static_cast<std::size_t>(entry.session - 1)])));
      const auto item = std::find_if(session->items.begin(), session->items.end(), [&](const std::string& i) {
        return contains(i, entry.text) && contains(i, date_words(patient, entry.until));
      });
      EXPECT_NE(item, session->items.end()) << entry.id << " after session " << entry.session;
    }
    std::size_t items = 0;
    for (const auto& s : aftercare.subsections) items += s.items.size();
    EXPECT_EQ(items, windows);
  }
}

TEST(Leaflet, NamesEveryRedFlagUnderTheHelpItsLevelNeeds) {
  const auto& m = default_model();
  const auto c = leaflet_for(m, patients()[1]);
  const auto& warnings = section_of(c.written, "warnings");
  for (const auto& rule : m.red_flags) {
    const auto* level = subsection_of(warnings, std::string(to_string(rule.level)));
    ASSERT_NE(level, nullptr) << rule.id;
    EXPECT_NE(std::find(level->items.begin(), level->items.end(), rule.sign), level->items.end()) << rule.id;
    EXPECT_EQ(level->paragraphs.at(0), m.triage_advice(rule.level));
  }
  // The most urgent comes first, so the emergency signs are the first a patient reads.
  ASSERT_FALSE(warnings.subsections.empty());
  EXPECT_EQ(warnings.subsections.front().id, "emergency");
}

TEST(Leaflet, WhatHelpsRisksAndTheNoticeComeFromTheProjection) {
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
    EXPECT_TRUE(contains(risks.items[i], date_words(c.patient, c.projected.risks[i].watch_until)));
  }
  EXPECT_EQ(section_of(c.written, "notice").paragraphs.at(0), c.projected.notice);
}

TEST(Leaflet, EverySentenceComesFromTheModel) {
  model german = default_model();
  german.wording.dates = {"{weekday}, {day}. {month} {year}",
                          {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
                          {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}};
  german.wording.leaflet.title = "Was Sie nach Ihrer Behandlung erwartet";
  german.wording.leaflet.fade_line = "Nach der Sitzung am {session}: abgeklungen bis {fade_by}, meist bis {fade_typical}.";
  german.effects[0].name = "Rötung";
  german.triage_levels[3].name = "Notruf 112";
  const auto c = leaflet_for(german, patients()[0]);
  EXPECT_EQ(c.written.title, "Was Sie nach Ihrer Behandlung erwartet");
  EXPECT_TRUE(contains(c.written.intro.back(), "Dienstag, 1. Dezember 2026"));
  const auto& redness = section_of(c.written, "effects").subsections.at(0);
  EXPECT_TRUE(contains(redness.heading, "Rötung"));
  EXPECT_TRUE(redness.items.at(0).rfind("Nach der Sitzung am Dienstag, 1. Dezember 2026: abgeklungen bis ", 0) == 0) << redness.items.at(0);
  EXPECT_EQ(section_of(c.written, "warnings").subsections.front().heading, "Notruf 112");
}

TEST(Leaflet, FormatsDatesInTheModelsWords) {
  const auto& words = default_model().wording.dates;
  EXPECT_EQ(format_date(words, testing::day(2026, 12, 1)), "Tuesday 1 December 2026");
  EXPECT_EQ(format_date(words, testing::day(2027, 2, 28)), "Sunday 28 February 2027");
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
  for (const auto& rule : default_model().red_flags) EXPECT_TRUE(contains(md, rule.sign)) << rule.id;
}

}  // namespace
}  // namespace aftermath

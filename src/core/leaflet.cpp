#include <aftermath/leaflet.hpp>

#include "find_by_id.hpp"
#include "wording.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace aftermath {
namespace {

using detail::fill;
using detail::format_percent;

leaflet_section section(std::string id, std::string heading, std::vector<std::string> paragraphs = {}) {
  leaflet_section out;
  out.id = std::move(id);
  out.heading = std::move(heading);
  out.paragraphs = std::move(paragraphs);
  return out;
}

/// Builds the leaflet's sections from one projection, in the model's words.
class leaflet_writer {
 public:
  leaflet_writer(const model& model, const profile& profile, const projection& projected)
      : model_(model), words_(model.wording.leaflet), profile_(profile), projected_(projected) {}

  leaflet write() const {
    leaflet out;
    out.title = words_.title;
    if (!profile_.patient.empty()) out.intro.push_back(fill(words_.prepared_for, {{"patient", profile_.patient}}));
    out.intro.push_back(fill(words_.sessions, {{"dates", session_dates()}}));
    out.sections = {effects(), chart(), helps(), aftercare(), results(), risks(), warnings(), notice()};
    return out;
  }

 private:
  std::string day(days since_first) const { return format_date(model_.wording.dates, date_after_first(profile_, since_first)); }

  std::string session_dates() const {
    std::string dates;
    for (const auto start : projected_.session_starts) dates += (dates.empty() ? "" : ", ") + day(start);
    return dates;
  }

  /// Each likely effect as a part of its own: its words from the model, then the date it should
  /// fade by after each session (sessions up to and including that one), so that a patient in
  /// the middle of a course knows what to expect from the session just had.
  leaflet_section effects() const {
    const double likely_from = words_.likely_from.value;
    auto out = section("effects", words_.effects_heading, {fill(words_.effects_intro, {{"percent", format_percent(likely_from)}})});
    const auto courses = courses_up_to_each_session();
    std::string unlikely;
    for (const auto& effect : projected_.effects) {
      if (effect.occurs.value() < likely_from) {
        unlikely += (unlikely.empty() ? "" : ", ") + effect.name;
        continue;
      }
      auto part = section(effect.id, fill(words_.effect_heading, {{"name", effect.name}, {"chance", format_percent(effect.occurs.value())}}),
                          {effect.text});
      for (std::size_t j = 0; j < courses.size(); ++j) part.items.push_back(fade_line(j, fade_after_session(courses[j], effect.id, j)));
      out.subsections.push_back(std::move(part));
    }
    if (!unlikely.empty()) out.closing.push_back(fill(words_.unlikely_line, {{"names", unlikely}}));
    return out;
  }

  /// The dates, one line; a single date when both fall on the same day.
  std::string fade_line(std::size_t session, const resolution_summary& fade) const {
    const std::string by = day(fade.p95), typical = day(fade.p50);
    return fill(by == typical ? words_.fade_line_same_day : words_.fade_line,
                {{"session", day(projected_.session_starts[session])},
                 {"number", std::to_string(session + 1)},
                 {"fade_by", by},
                 {"fade_typical", typical}});
  }

  /// The personal course up to and including each session: what a patient has had by then.
  std::vector<personal_course> courses_up_to_each_session() const {
    std::vector<personal_course> out;
    for (std::size_t j = 0; j < profile_.sessions.size(); ++j) {
      profile so_far = profile_;
      so_far.sessions.resize(j + 1);
      out.push_back(personalise(model_, so_far));
    }
    return out;
  }

  /// When the effect, if it happens after session j, should have faded: its resolution quantiles
  /// with session j's occurrence made certain. Earlier sessions keep their chances (their
  /// effects may still be fading); later ones have not happened yet.
  static resolution_summary fade_after_session(const personal_course& course, const std::string& effect_id, std::size_t j) {
    effect_course given = *detail::find_by_id(course.effects, effect_id);  // present: the course comes from the same model and profile
    given.sessions[j].occurrence = probability::checked(1.0);
    return {resolution_quantile(given, course.resolved_threshold, 0.5), resolution_quantile(given, course.resolved_threshold, 0.95)};
  }

  leaflet_section chart() const { return section("chart", words_.chart_heading, {words_.chart_caption}); }

  leaflet_section helps() const {
    auto out = section("helps", words_.helps_heading);
    for (const auto& entry : projected_.aftercare)
      if (entry.kind == aftercare_kind::advice) out.items.push_back(entry.text);
    return out;
  }

  /// One part per session: the windows that follow it, and any follow-up after it.
  leaflet_section aftercare() const {
    auto out = section("aftercare", words_.aftercare_heading);
    for (std::size_t j = 0; j < projected_.session_starts.size(); ++j) {
      const int number = static_cast<int>(j + 1);
      auto session = section("session-" + std::to_string(number),
                             fill(words_.aftercare_session, {{"date", day(projected_.session_starts[j])}, {"number", std::to_string(number)}}));
      std::vector<const aftercare_entry*> windows;
      for (const auto& entry : projected_.aftercare)
        if (entry.session == number && entry.kind != aftercare_kind::advice) windows.push_back(&entry);
      // Soonest end first, so the list reads as a countdown; the follow-up comes last.
      std::stable_sort(windows.begin(), windows.end(), [](const auto* a, const auto* b) {
        return std::pair(a->kind == aftercare_kind::follow_up, a->until) < std::pair(b->kind == aftercare_kind::follow_up, b->until);
      });
      for (const auto* entry : windows)
        session.items.push_back(fill(entry->kind == aftercare_kind::avoid ? words_.aftercare_line : words_.follow_up_line,
                                     {{"until", day(entry->until)}, {"date", day(entry->until)}, {"text", entry->text}}));
      out.subsections.push_back(std::move(session));
    }
    return out;
  }

  leaflet_section results() const { return section("results", words_.results_heading, {model_.results.text}); }

  leaflet_section risks() const {
    auto out = section("risks", words_.risks_heading);
    for (const auto& risk : projected_.risks)
      out.items.push_back(fill(words_.risk_line, {{"name", risk.name},
                                                  {"chance", format_percent(risk.occurs.value())},
                                                  {"from", day(risk.watch_from)},
                                                  {"until", day(risk.watch_until)},
                                                  {"text", risk.text}}));
    return out;
  }

  /// Every red-flag sign under the help it needs, the most urgent first.
  leaflet_section warnings() const {
    auto out = section("warnings", words_.warnings_heading, {words_.warnings_intro});
    constexpr std::array most_urgent_first{triage_level::emergency, triage_level::urgent, triage_level::contact_provider,
                                           triage_level::self_care};
    for (const auto level : most_urgent_first) {
      auto signs = section(std::string(to_string(level)), level_name(level), {std::string(model_.triage_advice(level))});
      for (const auto& rule : model_.red_flags)
        if (rule.level == level) signs.items.push_back(rule.sign);
      if (!signs.items.empty()) out.subsections.push_back(std::move(signs));
    }
    return out;
  }

  std::string level_name(triage_level level) const {
    for (const auto& t : model_.triage_levels)
      if (t.level == level) return t.name;
    return std::string(to_string(level));  // unreachable: the model reader requires every level
  }

  leaflet_section notice() const { return section("notice", words_.notice_heading, {projected_.notice}); }

  const model& model_;
  const leaflet_wording& words_;
  const profile& profile_;
  const projection& projected_;
};

}  // namespace

leaflet make_leaflet(const model& model, const profile& profile, const projection& projected) {
  if (profile.sessions.size() != projected.session_starts.size() || profile.sessions.empty())
    throw std::invalid_argument("make_leaflet: the projection has " + std::to_string(projected.session_starts.size()) +
                                " sessions and the profile " + std::to_string(profile.sessions.size()) + "; it must be the profile's projection");
  for (const auto& effect : projected.effects)
    if (!model.find_effect(effect.id))
      throw std::invalid_argument("make_leaflet: the projection's effect '" + effect.id + "' is not in the model; project with this model");
  return leaflet_writer(model, profile, projected).write();
}

std::string format_date(const date_wording& wording, date day) {
  const auto weekday = static_cast<std::size_t>(day.day_of_week().as_number());
  const auto month = static_cast<std::size_t>(day.month().as_number()) - 1;
  return detail::fill(wording.format, {{"weekday", weekday < wording.weekdays.size() ? wording.weekdays[weekday] : ""},
                                       {"day", std::to_string(day.day())},
                                       {"month", month < wording.months.size() ? wording.months[month] : ""},
                                       {"year", std::to_string(day.year())}});
}

}  // namespace aftermath

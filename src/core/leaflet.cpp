#include <aftermath/leaflet.hpp>

#include "find_by_id.hpp"
#include "wording.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

namespace aftermath {
namespace {

using detail::fill;
using detail::format_duration;
using detail::format_percent;

leaflet_section section(std::string id, std::string heading, std::vector<std::string> paragraphs = {}) {
  leaflet_section out;
  out.id = std::move(id);
  out.heading = std::move(heading);
  out.paragraphs = std::move(paragraphs);
  return out;
}

/// How one effect resolves if it happens after a session: the quantiles the leaflet states.
struct fade_times {
  days p50, p90, p95;  ///< since the first session
};

/// When the effect, if it happens after session j, should have faded: its resolution quantiles
/// with session j's occurrence made certain. Earlier sessions keep their chances (their effects
/// may still be fading); later ones have not happened yet.
fade_times fade_after_session(const personal_course& course, const std::string& effect_id, std::size_t j) {
  effect_course given = *detail::find_by_id(course.effects, effect_id);  // present: the course comes from the same model and profile
  given.sessions[j].occurrence = probability::checked(1.0);
  const auto q = [&](double p) { return resolution_quantile(given, course.resolved_threshold, p); };
  return {q(0.5), q(0.9), q(0.95)};
}

/// When the results of one session first reach half their peak, since that session.
days results_half_peak(const results_course& results) {
  const bateman_curve& shape = results.shape;
  const double half = 0.5 * shape(shape.peak_time());
  double low = shape.lag().count(), high = shape.peak_time().count();
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (low + high);
    (shape(days(mid)) < half ? low : high) = mid;
  }
  return days(high);
}

/// Builds the leaflet's sections from one projection, in the model's (or the clinic's) words.
class leaflet_writer {
 public:
  leaflet_writer(const model& model, const profile& profile, const projection& projected, const clinic& clinic)
      : model_(model), all_words_(wording_for(model, clinic)), words_(all_words_.leaflet), profile_(profile), projected_(projected),
        clinic_(clinic), courses_(courses_up_to_each_session()) {}

  leaflet write() const {
    leaflet out;
    out.title = words_.title;
    if (!profile_.patient.empty()) out.intro.push_back(fill(words_.prepared_for, {{"patient", profile_.patient}}));
    out.intro.push_back(fill(words_.sessions, {{"dates", session_dates()}}));
    if (clinic_.has_contact()) out.intro.push_back(contact_line(clinic_, all_words_));
    out.sections = {warnings(), effects(), chart(), aftercare(), helps(), results(), risks(), notice()};
    for (const auto& breach : projected_.gate_warnings) out.clinic_warnings.push_back(breach.text);
    return out;
  }

 private:
  date on(days since_first) const { return date_after_first(profile_, since_first); }
  std::string day(days since_first) const { return format_date(all_words_.dates, on(since_first)); }
  std::string short_day(days since_first) const { return format_short_date(all_words_.dates, on(since_first)); }

  std::string session_dates() const {
    std::string dates;
    for (const auto start : projected_.session_starts) dates += (dates.empty() ? "" : ", ") + day(start);
    return dates;
  }

  /// The help a patient can check for, most urgent first: the signs of the rules meant for the
  /// leaflet under each level, with the clinic's numbers; then how to rate a side effect.
  leaflet_section warnings() const {
    auto out = section("warnings", words_.warnings_heading, {words_.warnings_intro, rating_scale_line()});
    constexpr std::array most_urgent_first{triage_level::emergency, triage_level::urgent, triage_level::contact_provider,
                                           triage_level::self_care};
    for (const auto level : most_urgent_first) {
      // The level's name says what to do; its longer advice is for assessments.
      auto signs = section(std::string(to_string(level)), level_name(level));
      for (const auto& rule : model_.red_flags)
        if (rule.level == level && rule.in_leaflet) signs.items.push_back(rule.sign);
      // The fade dates below are the ones this sign refers to: the same 95th percentiles.
      if (level == triage_level::contact_provider) signs.items.push_back(words_.still_there_sign);
      if (signs.items.empty()) continue;
      add_clinic_numbers(signs, level);
      out.subsections.push_back(std::move(signs));
    }
    return out;
  }

  /// The clinic's number, and its out-of-hours number where help cannot wait, in one line.
  void add_clinic_numbers(leaflet_section& signs, triage_level level) const {
    if (!clinic_.has_contact() || level == triage_level::self_care) return;
    std::string line = fill(words_.call_clinic, {{"name", clinic_.name}, {"phone", clinic_.phone}});
    if (!clinic_.out_of_hours_phone.empty() && level != triage_level::contact_provider)
      line += " " + fill(words_.out_of_hours, {{"phone", clinic_.out_of_hours_phone}});
    signs.paragraphs.push_back(std::move(line));
  }

  /// The whole ratings in each of the model's ranges: a whole rating r stands for [r − ½, r + ½)
  /// and belongs to the range its middle, r, falls in.
  std::string rating_scale_line() const {
    const auto& a = model_.assessment;
    const auto first_whole = [](double from) { return static_cast<int>(std::ceil(from)); };
    const auto range = [](int from, int to) { return from == to ? std::to_string(from) : std::to_string(from) + "–" + std::to_string(to); };
    const int mild = first_whole(a.mild_from.value), moderate = first_whole(a.moderate_from.value), severe = first_whole(a.severe_from.value);
    return fill(words_.scale, {{"mild", range(mild, moderate - 1)}, {"moderate", range(moderate, severe - 1)}, {"severe", range(severe, 10)}});
  }

  std::string level_name(triage_level level) const {
    for (const auto& t : model_.triage_levels)
      if (t.level == level) return t.name;
    return std::string(to_string(level));  // unreachable: the model reader requires every level
  }

  /// The chance words with their bounds, e.g. "likely ≥ 50 %, common ≥ 10 %, rare < 10 %": each
  /// from its own bound, the last (from 0) below the one before it. A single word needs none.
  std::string chance_words_listed() const {
    const auto& words = words_.chance_words;
    if (words.size() <= 1) return words.empty() ? std::string() : words.front().word;
    std::string out;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) out += words[i].word + " ≥ " + format_percent(words[i].at_least) + ", ";
    return out + words.back().word + " < " + format_percent(words[words.size() - 2].at_least);
  }

  /// Each effect at least `likely_from` likely as a part of its own: its words from the model,
  /// how long it usually lasts, and the date it should have gone by after each session.
  leaflet_section effects() const {
    auto out = section("effects", words_.effects_heading, {fill(words_.effects_intro, {{"words", chance_words_listed()}})});
    std::string unlikely;
    for (const auto& effect : projected_.effects) {
      if (effect.occurs.value() < words_.likely_from.value) {
        unlikely += (unlikely.empty() ? "" : ", ") + effect.name;
        continue;
      }
      out.subsections.push_back(effect_part(effect));
    }
    if (!unlikely.empty()) out.closing.push_back(fill(words_.unlikely_line, {{"names", unlikely}}));
    return out;
  }

  leaflet_section effect_part(const effect_projection& effect) const {
    const std::string heading = fill(words_.effect_heading, {{"name", effect.name},
                                                             {"likelihood", chance_in_words(words_, effect.occurs)},
                                                             {"chance", format_percent(effect.occurs.value())}});
    const fade_times first = fade_after_session(courses_[0], effect.id, 0);
    const double start = projected_.session_starts[0].count();
    const std::string durations = fill(words_.durations, {{"typical", format_duration(all_words_.durations, first.p50.count() - start)},
                                                          {"most", format_duration(all_words_.durations, first.p90.count() - start)}});
    return section(effect.id, heading, {effect.text, durations + " " + fill(words_.gone_by, {{"dates", gone_by_dates(effect.id)}})});
  }

  /// The 95th-percentile date after each session, "Sun 6 Dec (session 1), Sun 20 Dec (session 2)";
  /// a single session's date alone.
  std::string gone_by_dates(const std::string& effect_id) const {
    std::string dates;
    for (std::size_t j = 0; j < courses_.size(); ++j) {
      const std::string date = short_day(fade_after_session(courses_[j], effect_id, j).p95);
      const std::string entry = courses_.size() == 1 ? date : fill(words_.gone_by_date, {{"date", date}, {"number", std::to_string(j + 1)}});
      dates += (dates.empty() ? "" : ", ") + entry;
    }
    return dates;
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

  leaflet_section chart() const { return section("chart", words_.chart_heading, {words_.chart_caption}); }

  /// One line per set of things to avoid that end on the same dates after every session, with
  /// those dates, soonest first, so that the list reads as a countdown; the follow-up comes last.
  leaflet_section aftercare() const {
    auto out = section("aftercare", words_.aftercare_heading);
    std::vector<std::pair<days, std::string>> windows;  // the length and the id, in the model's order
    std::map<std::string, std::pair<std::string, std::string>> by_id;  // id → text, end dates
    for (const auto& entry : projected_.aftercare) {
      if (entry.kind != aftercare_kind::avoid) continue;
      auto [it, first] = by_id.try_emplace(entry.id, entry.text, "");
      if (first) windows.emplace_back(entry.until - entry.from, entry.id);
      it->second.second += (it->second.second.empty() ? "" : ", ") + short_day(entry.until);
    }
    std::stable_sort(windows.begin(), windows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<std::string, std::string>> lines;  // end dates, the texts that end on them
    for (const auto& [length, id] : windows) {
      const auto& [text, until] = by_id[id];
      if (!lines.empty() && lines.back().first == until) lines.back().second += " " + text;
      else lines.emplace_back(until, text);
    }
    for (const auto& [until, texts] : lines) out.items.push_back(fill(words_.aftercare_line, {{"until", until}, {"text", texts}}));
    for (const auto& entry : projected_.aftercare)
      if (entry.kind == aftercare_kind::follow_up) out.items.push_back(fill(words_.follow_up_line, {{"date", day(entry.until)}, {"text", entry.text}}));
    return out;
  }

  leaflet_section helps() const {
    auto out = section("helps", words_.helps_heading);
    for (const auto& entry : projected_.aftercare)
      if (entry.kind == aftercare_kind::advice) out.items.push_back(entry.text);
    return out;
  }

  leaflet_section results() const {
    const auto visible = format_duration(all_words_.durations, results_half_peak(courses_[0].results).count());
    return section("results", words_.results_heading, {fill(words_.results_line, {{"visible", visible}}), model_.results.text});
  }

  leaflet_section risks() const {
    auto out = section("risks", words_.risks_heading);
    for (const auto& risk : projected_.risks)
      out.items.push_back(fill(words_.risk_line, {{"name", risk.name},
                                                  {"likelihood", chance_in_words(words_, risk.occurs)},
                                                  {"chance", format_percent(risk.occurs.value())},
                                                  {"from", short_day(risk.watch_from)},
                                                  {"until", short_day(risk.watch_until)},
                                                  {"text", risk.text}}));
    return out;
  }

  leaflet_section notice() const { return section("notice", words_.notice_heading, {projected_.notice}); }

  const model& model_;
  const wording_spec& all_words_;
  const leaflet_wording& words_;
  const profile& profile_;
  const projection& projected_;
  const clinic& clinic_;
  std::vector<personal_course> courses_;
};

std::string date_in(const std::string& format, const std::vector<std::string>& weekdays, const std::vector<std::string>& months, date day) {
  const auto weekday = static_cast<std::size_t>(day.day_of_week().as_number());
  const auto month = static_cast<std::size_t>(day.month().as_number()) - 1;
  return detail::fill(format, {{"weekday", weekday < weekdays.size() ? weekdays[weekday] : ""},
                               {"day", std::to_string(day.day())},
                               {"month", month < months.size() ? months[month] : ""},
                               {"year", std::to_string(day.year())}});
}

}  // namespace

leaflet make_leaflet(const model& model, const profile& profile, const projection& projected, const clinic& clinic) {
  if (profile.sessions.size() != projected.session_starts.size() || profile.sessions.empty())
    throw std::invalid_argument("make_leaflet: the projection has " + std::to_string(projected.session_starts.size()) +
                                " sessions and the profile " + std::to_string(profile.sessions.size()) + "; it must be the profile's projection");
  for (const auto& effect : projected.effects)
    if (!model.find_effect(effect.id))
      throw std::invalid_argument("make_leaflet: the projection's effect '" + effect.id + "' is not in the model; project with this model");
  return leaflet_writer(model, profile, projected, clinic).write();
}

std::string format_date(const date_wording& wording, date day) { return date_in(wording.format, wording.weekdays, wording.months, day); }

std::string format_short_date(const date_wording& wording, date day) {
  return date_in(wording.short_format, wording.short_weekdays, wording.short_months, day);
}

std::string contact_line(const clinic& clinic, const wording_spec& wording) {
  if (!clinic.has_contact()) return {};
  return fill(wording.leaflet.clinic, {{"name", clinic.name}, {"phone", clinic.phone}, {"address", clinic.address}});
}

std::string chance_in_words(const leaflet_wording& wording, probability chance) {
  for (const auto& word : wording.chance_words)
    if (chance.value() >= word.at_least) return word.word;
  return wording.chance_words.empty() ? std::string() : wording.chance_words.back().word;
}

}  // namespace aftermath

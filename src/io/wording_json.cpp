#include "wording_json.hpp"

#include "../core/wording.hpp"

#include <aftermath/assessment.hpp>

#include <algorithm>
#include <array>

namespace aftermath::detail {
std::string_view default_model_json();  // generated from src/models/mesotherapy_face.json
}  // namespace aftermath::detail

namespace aftermath::inline io {
namespace {

/// One sentence of a wording group: its key, where it goes, and the placeholders it may use.
/// The tables below are function-local statics: a model may be read during static
/// initialisation (a global in a program or a test), before namespace-scope tables exist.
template <typename Group>
struct sentence {
  std::string_view key;
  std::string Group::*member;
  std::initializer_list<std::string_view> placeholders;  ///< those it may use
  std::initializer_list<std::string_view> required = {};  ///< those it must use: a leaflet without its dates is no leaflet
  std::initializer_list<std::string_view> one_of = {};    ///< it must use at least one of these (two forms of one value)
};

const std::array<sentence<chart_wording>, 9>& chart_sentences() {
  static const std::array<sentence<chart_wording>, 9> table{{
      {"title", &chart_wording::title, {}},
      {"severity_axis", &chart_wording::severity_axis, {}},
      {"median", &chart_wording::median, {}},
      {"band", &chart_wording::band, {}},
      {"visible", &chart_wording::visible, {}},
      {"resolved", &chart_wording::resolved, {}},
      {"session", &chart_wording::session, {"number"}},
      {"chance", &chart_wording::chance, {"percent"}, {"percent"}},
      {"months", nullptr, {}},  // a list, read separately
  }};
  return table;
}

const std::array<sentence<leaflet_wording>, 30>& leaflet_sentences() {
  static const std::array<sentence<leaflet_wording>, 30> table{{
      {"title", &leaflet_wording::title, {}},
      {"prepared_for", &leaflet_wording::prepared_for, {"patient"}, {"patient"}},
      {"sessions", &leaflet_wording::sessions, {"dates"}, {"dates"}},
      {"clinic", &leaflet_wording::clinic, {"name", "phone", "address"}, {"phone"}},
      {"out_of_hours", &leaflet_wording::out_of_hours, {"phone"}, {"phone"}},
      {"warnings_heading", &leaflet_wording::warnings_heading, {}},
      {"warnings_intro", &leaflet_wording::warnings_intro, {}},
      {"call_clinic", &leaflet_wording::call_clinic, {"name", "phone"}, {"phone"}},
      {"still_there_sign", &leaflet_wording::still_there_sign, {}},
      {"scale", &leaflet_wording::scale, {"mild", "moderate", "severe"}, {"mild", "moderate", "severe"}},
      {"effects_heading", &leaflet_wording::effects_heading, {}},
      {"effects_intro", &leaflet_wording::effects_intro, {"words"}},
      {"effect_heading", &leaflet_wording::effect_heading, {"name", "likelihood", "chance"}, {"name"}},
      {"durations", &leaflet_wording::durations, {"typical", "most"}, {"typical", "most"}},
      {"gone_by", &leaflet_wording::gone_by, {"dates"}, {"dates"}},
      {"gone_by_date", &leaflet_wording::gone_by_date, {"date", "number"}, {"date"}},
      {"unlikely_line", &leaflet_wording::unlikely_line, {"names"}, {"names"}},
      {"chart_heading", &leaflet_wording::chart_heading, {}},
      {"chart_caption", &leaflet_wording::chart_caption, {}},
      {"aftercare_heading", &leaflet_wording::aftercare_heading, {}},
      {"aftercare_line", &leaflet_wording::aftercare_line, {"until", "text"}, {"until", "text"}},
      {"follow_up_line", &leaflet_wording::follow_up_line, {"date", "text"}, {"date", "text"}},
      {"helps_heading", &leaflet_wording::helps_heading, {}},
      {"results_heading", &leaflet_wording::results_heading, {}},
      {"results_line", &leaflet_wording::results_line, {"visible"}, {"visible"}},
      {"risks_heading", &leaflet_wording::risks_heading, {}},
      {"risk_line", &leaflet_wording::risk_line, {"name", "likelihood", "chance", "from", "until", "text"}, {"name", "from", "until"}},
      {"notice_heading", &leaflet_wording::notice_heading, {}},
      {"likely_from", nullptr, {}},   // a number with its reasoning, read as a parameter
      {"chance_words", nullptr, {}},  // a list with its reasoning, read separately
  }};
  return table;
}

const std::array<sentence<duration_wording>, 6>& duration_sentences() {
  static const std::array<sentence<duration_wording>, 6> table{{
      {"hour", &duration_wording::hour, {"count"}},  // a language may say "an hour" without the number
      {"hours", &duration_wording::hours, {"count"}, {"count"}},
      {"day", &duration_wording::day, {"count"}},
      {"days", &duration_wording::days, {"count"}, {"count"}},
      {"week", &duration_wording::week, {"count"}},
      {"weeks", &duration_wording::weeks, {"count"}, {"count"}},
  }};
  return table;
}

const std::array<sentence<plan_wording>, 42>& plan_sentences() {
  static const std::array<sentence<plan_wording>, 42> table{{
      {"pause", &plan_wording::pause, {"medicine", "from", "until"}, {"medicine", "from", "until"}},
      {"pause_not_approved", &plan_wording::pause_not_approved, {"medicine"}, {"medicine"}},
      {"never_paused", &plan_wording::never_paused, {"medicine"}, {"medicine"}},
      {"one_day", &plan_wording::one_day, {"count"}},  // a language may say "one day" without the number
      {"days", &plan_wording::days, {"count"}, {"count"}},
      {"session", &plan_wording::session, {"number"}, {"number"}},
      {"maintenance_session", &plan_wording::maintenance_session, {"number"}, {"number"}},
      {"weekdays", nullptr, {}},  // a list, read separately
      {"day_closed_weekday", &plan_wording::day_closed_weekday, {"date", "weekday"}, {"date", "weekday"}},
      {"day_closure", &plan_wording::day_closure, {"date"}, {"date"}},
      {"day_holiday", &plan_wording::day_holiday, {"date", "holiday"}, {"date", "holiday"}},
      {"day_unavailable", &plan_wording::day_unavailable, {"from", "until"}, {"from", "until"}},
      {"day_usable", &plan_wording::day_usable, {"date"}, {"date"}},
      {"done", &plan_wording::done, {}},
      {"first_session", &plan_wording::first_session, {"earliest"}, {"earliest"}},
      {"first_session_after_pause", &plan_wording::first_session_after_pause, {"pause_days", "today"}, {"pause_days", "today"}},
      {"first_session_course_fits", &plan_wording::first_session_course_fits, {}},
      {"on_target", &plan_wording::on_target, {"interval", "previous"}, {"interval", "previous"}},
      {"off_target", &plan_wording::off_target, {"interval", "previous", "target", "why"}, {"interval", "previous", "target", "why"}},
      {"off_target_gate", &plan_wording::off_target_gate, {"previous", "confidence", "gate"}, {"previous", "confidence", "gate"}},
      {"off_target_earliest", &plan_wording::off_target_earliest, {"earliest"}, {"earliest"}},
      {"off_target_unusable", &plan_wording::off_target_unusable, {"why"}, {"why"}},
      {"off_target_events", &plan_wording::off_target_events, {}},
      {"maintenance_due", &plan_wording::maintenance_due, {"fraction", "interval", "due"}, {"fraction", "interval", "due"}},
      {"maintenance_moved", &plan_wording::maintenance_moved, {"reason"}, {"reason"}},
      {"follow_up", &plan_wording::follow_up, {"days", "session"}, {"days", "session"}},
      {"follow_up_moved", &plan_wording::follow_up_moved, {"reason", "why"}, {"reason", "why"}},
      {"aftercare", &plan_wording::aftercare, {"days", "session"}, {"days", "session"}},
      // {washout} in the model's words for days ("1 day", "3.5 days"); {washout_days} the bare number, as models had it
      {"pause_reason", &plan_wording::pause_reason, {"washout", "washout_days", "medicine"}, {}, {"washout", "washout_days"}},
      {"follow_up_served", &plan_wording::follow_up_served, {"follow_up", "sessions"}, {"follow_up", "sessions"}},
      {"no_dates", &plan_wording::no_dates, {"days"}, {"days"}},
      {"search_stopped", &plan_wording::search_stopped, {"reason", "tries"}, {"reason"}},
      {"interval_too_long", &plan_wording::interval_too_long, {"number", "interval", "previous", "longest", "why"},
       {"number", "interval", "previous", "longest", "why"}},
      {"interval_gate", &plan_wording::interval_gate, {"gate", "confidence"}, {"gate", "confidence"}},
      {"interval_earliest", &plan_wording::interval_earliest, {"earliest"}, {"earliest"}},
      {"interval_no_day", &plan_wording::interval_no_day, {"until"}, {"until"}},
      {"interval_search_stopped", &plan_wording::interval_search_stopped, {"reason", "tries"}, {"reason"}},
      {"maintenance_late", &plan_wording::maintenance_late, {"from", "until", "due", "why", "nearest"}, {"from", "until", "due", "why", "nearest"}},
      {"maintenance_no_day", &plan_wording::maintenance_no_day, {"from", "until", "due", "why", "days"}, {"from", "until", "due"}},
      {"follow_up_no_day", &plan_wording::follow_up_no_day, {"follow_up", "session", "due", "until", "why"}, {"follow_up", "session", "due"}},
      {"event_lost", &plan_wording::event_lost, {"date", "event"}, {"date"}},
      {"event_not_clear", &plan_wording::event_not_clear, {"date", "event", "confidence", "chance"}, {"date", "confidence", "chance"}},
  }};
  return table;
}

const std::array<sentence<gate_wording>, 7>& gate_sentences() {
  static const std::array<sentence<gate_wording>, 7> table{{
      {"every_effect", &gate_wording::every_effect, {"previous"}},
      {"some_effects", &gate_wording::some_effects, {"names", "previous"}, {"names"}},
      {"resolved", &gate_wording::resolved, {"effects", "threshold", "confidence"}, {"effects", "confidence"}},
      {"at_most_mild", &gate_wording::at_most_mild, {"effects", "threshold", "confidence"}, {"effects", "confidence"}},
      {"not_visible", &gate_wording::not_visible, {"effects", "threshold", "confidence"}, {"effects", "confidence"}},
      {"plan_reason", &gate_wording::plan_reason, {"gate", "requirement", "previous"}, {"gate", "requirement"}},
      {"warning", &gate_wording::warning, {"number", "interval", "previous", "gate", "requirement", "protocol"},
       {"number", "interval", "gate", "requirement"}},
  }};
  return table;
}

const std::array<sentence<staff_wording>, 9>& staff_sentences() {
  static const std::array<sentence<staff_wording>, 9> table{{
      {"band", &staff_wording::band, {}},
      {"median", &staff_wording::median, {}},
      {"visible", &staff_wording::visible, {}},
      {"resolved", &staff_wording::resolved, {}},
      {"session", &staff_wording::session, {"number"}},
      {"follow_up_item", &staff_wording::follow_up_item, {"number"}},
      {"aftercare_item", &staff_wording::aftercare_item, {"number", "name"}, {"name"}},
      {"pause_item", &staff_wording::pause_item, {"number", "name"}, {"name"}},
      {"statuses", nullptr, {}},  // a name per status, read separately
  }};
  return table;
}

/// The report statuses by id, in the order of report_status (and of staff_wording::statuses).
std::array<std::string_view, 6> status_ids() {
  std::array<std::string_view, 6> ids;
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = to_string(static_cast<report_status>(i));
  return ids;
}

std::string listed(std::initializer_list<std::string_view> names) {
  if (names.size() == 0) return "none";
  std::string out;
  for (auto name : names) out += (out.empty() ? "{" : ", {") + std::string(name) + "}";
  return out;
}

/// A required, non-empty sentence that uses only the allowed placeholders, every required one and
/// at least one of `one_of` (when given).
std::string read_sentence(reader& in, const json& group, const std::string& path, std::string_view key,
                          std::initializer_list<std::string_view> allowed, std::initializer_list<std::string_view> required = {},
                          std::initializer_list<std::string_view> one_of = {}) {
  std::string text = in.string(group, path, key);
  const std::string here = member_path(path, key);
  if (text.empty() && group.contains(key) && group[std::string(key)].is_string()) in.fail(here, "is empty");
  check_placeholders(in, here, text, allowed);
  const auto used = detail::placeholders(text);
  for (auto name : required)
    if (!text.empty() && std::find(used.begin(), used.end(), name) == used.end())
      in.fail(here, "does not use {" + std::string(name) + "}, which it must: " + listed(required));
  const auto uses = [&](std::string_view name) { return std::find(used.begin(), used.end(), name) != used.end(); };
  if (!text.empty() && one_of.size() > 0 && std::none_of(one_of.begin(), one_of.end(), uses))
    in.fail(here, "uses none of " + listed(one_of) + ", but must use one of them");
  return text;
}

/// The group object at wording.<key>, or nullptr (with a problem recorded).
const json* group_at(reader& in, const json& wording, std::string_view key) {
  const json* group = in.member(wording, "wording", key, true);
  return group && in.expect_object(*group, member_path("wording", key)) ? group : nullptr;
}

template <typename Group, std::size_t N>
void read_sentences(reader& in, const json& group, const std::string& path, const std::array<sentence<Group>, N>& sentences,
                    Group& out) {
  for (const auto& s : sentences)
    if (s.member) out.*s.member = read_sentence(in, group, path, s.key, s.placeholders, s.required, s.one_of);
}

/// The keys a group may have: its sentences (and its lists and numbers, which are in the table too).
template <typename Group, std::size_t N>
std::vector<std::string_view> keys_of(const std::array<sentence<Group>, N>& sentences) {
  std::vector<std::string_view> keys;
  for (const auto& s : sentences) keys.push_back(s.key);
  return keys;
}

/// A list of exactly `count` names, e.g. the months from January.
std::vector<std::string> read_names(reader& in, const json& group, const std::string& path, std::string_view key, std::size_t count,
                                    const char* from) {
  auto names = in.string_list(group, path, key);
  if (!group.contains(key)) in.fail(member_path(path, key), "is missing");
  else if (names.size() != count)
    in.fail(member_path(path, key), "has " + std::to_string(names.size()) + " names, but must have " + std::to_string(count) + ", from " + from);
  return names;
}

void read_dates(reader& in, const json& group, date_wording& out) {
  const std::string path = "wording.dates";
  in.reject_unknown_keys(group, path, {"format", "weekdays", "months", "short_format", "short_weekdays", "short_months"});
  out.format = read_sentence(in, group, path, "format", {"weekday", "day", "month", "year"}, {"day", "month", "year"});
  out.weekdays = read_names(in, group, path, "weekdays", 7, "Sunday");
  out.months = read_names(in, group, path, "months", 12, "January");
  out.short_format = read_sentence(in, group, path, "short_format", {"weekday", "day", "month", "year"}, {"day", "month"});
  out.short_weekdays = read_names(in, group, path, "short_weekdays", 7, "Sunday");
  out.short_months = read_names(in, group, path, "short_months", 12, "January");
}

/// The words for chances, most likely first: bounds falling, the last 0, every word given.
void read_chance_words(reader& in, const json& leaflet, leaflet_wording& out) {
  const std::string path = "wording.leaflet.chance_words";
  const json* group = in.member(leaflet, "wording.leaflet", "chance_words", true);
  if (!group || !in.expect_object(*group, path)) return;
  in.reject_unknown_keys(*group, path, {"words", "assumption"});
  out.chance_words_note = in.string(*group, path, "assumption");
  const json* words = in.member(*group, path, "words", true);
  if (!words || !in.expect_array(*words, member_path(path, "words"))) return;
  for (std::size_t i = 0; i < words->size(); ++i) {
    const std::string here = index_path(member_path(path, "words"), i);
    const json& item = (*words)[i];
    if (!in.expect_object(item, here)) continue;
    in.reject_unknown_keys(item, here, {"at_least", "word"});
    chance_word word;
    word.at_least = in.number(item, here, "at_least", true, number_range{0.0, 1.0, false, true}).value_or(0.0);
    word.word = read_sentence(in, item, here, "word", {});
    if (!out.chance_words.empty() && word.at_least >= out.chance_words.back().at_least)
      in.fail(member_path(here, "at_least"), "must be below the word before it (" + std::to_string(out.chance_words.back().at_least) + "): most likely first");
    out.chance_words.push_back(std::move(word));
  }
  if (out.chance_words.empty()) in.fail(member_path(path, "words"), "is empty; give at least one word, from 0");
  else if (out.chance_words.back().at_least != 0.0) in.fail(member_path(path, "words"), "must end with a word from 0, so that every chance has one");
}

/// wording.staff.statuses: a name for every report status, keyed by its id, and nothing else.
void read_status_names(reader& in, const json& staff, staff_wording& out) {
  const std::string path = "wording.staff.statuses";
  const json* names = in.member(staff, "wording.staff", "statuses", true);
  if (!names || !in.expect_object(*names, path)) return;
  const auto ids = status_ids();
  in.reject_unknown_keys(*names, path, std::vector<std::string_view>(ids.begin(), ids.end()));
  for (std::size_t i = 0; i < ids.size(); ++i) out.statuses[i] = read_sentence(in, *names, path, ids[i], {});
}

template <typename Group, std::size_t N>
json sentences_to_json(const Group& group, const std::array<sentence<Group>, N>& sentences) {
  json out = json::object();
  for (const auto& s : sentences)
    if (s.member) out[std::string(s.key)] = group.*s.member;
  return out;
}

void read_gate_wording(reader& in, const json& group, gate_wording& out) {
  in.reject_unknown_keys(group, "wording.gate", keys_of(gate_sentences()));
  read_sentences(in, group, "wording.gate", gate_sentences(), out);
}

/// The embedded model's gate sentences, for a model file written before protocols stated their
/// gates: such a file loads unchanged, and its warnings read as the default model's.
const gate_wording& embedded_gate_wording() {
  static const gate_wording words = [] {
    gate_wording out;
    const json root = parse_json_text(detail::default_model_json(), "embedded mesotherapy_face model");
    reader in;
    read_gate_wording(in, root.at("wording").at("gate"), out);
    return out;
  }();
  return words;
}

}  // namespace

void check_placeholders(reader& in, const std::string& path, std::string_view text, std::initializer_list<std::string_view> allowed) {
  for (auto name : detail::placeholders(text))
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      in.fail(path, "uses {" + std::string(name) + "}, but the placeholders it may use are: " + listed(allowed));
}

void read_wording(reader& in, const json& root, model& m) {
  const json* wording = in.member(root, "", "wording", true);
  if (!wording || !in.expect_object(*wording, "wording")) return;
  in.reject_unknown_keys(*wording, "wording", {"dates", "durations", "chart", "leaflet", "plan", "gate", "staff"});
  if (const json* dates = group_at(in, *wording, "dates")) read_dates(in, *dates, m.wording.dates);
  if (const json* durations = group_at(in, *wording, "durations")) {
    in.reject_unknown_keys(*durations, "wording.durations", keys_of(duration_sentences()));
    read_sentences(in, *durations, "wording.durations", duration_sentences(), m.wording.durations);
  }
  if (const json* chart = group_at(in, *wording, "chart")) {
    in.reject_unknown_keys(*chart, "wording.chart", keys_of(chart_sentences()));
    read_sentences(in, *chart, "wording.chart", chart_sentences(), m.wording.chart);
    m.wording.chart.months = read_names(in, *chart, "wording.chart", "months", 12, "January");
  }
  if (const json* leaflet = group_at(in, *wording, "leaflet")) {
    in.reject_unknown_keys(*leaflet, "wording.leaflet", keys_of(leaflet_sentences()));
    read_sentences(in, *leaflet, "wording.leaflet", leaflet_sentences(), m.wording.leaflet);
    m.wording.leaflet.likely_from = in.param(*leaflet, "wording.leaflet", "likely_from", number_range::open(0.0, 1.0));
    read_chance_words(in, *leaflet, m.wording.leaflet);
  }
  if (const json* plan = group_at(in, *wording, "plan")) {
    in.reject_unknown_keys(*plan, "wording.plan", keys_of(plan_sentences()));
    read_sentences(in, *plan, "wording.plan", plan_sentences(), m.wording.plan);
    m.wording.plan.weekdays = read_names(in, *plan, "wording.plan", "weekdays", 7, "Sunday");
  }
  if (!wording->contains("gate")) m.wording.gate = embedded_gate_wording();
  else if (const json* gate = group_at(in, *wording, "gate")) read_gate_wording(in, *gate, m.wording.gate);
  if (const json* staff = group_at(in, *wording, "staff")) {
    in.reject_unknown_keys(*staff, "wording.staff", keys_of(staff_sentences()));
    read_sentences(in, *staff, "wording.staff", staff_sentences(), m.wording.staff);
    read_status_names(in, *staff, m.wording.staff);
  }
}

json to_json_value(const wording_spec& wording) {
  json chart = sentences_to_json(wording.chart, chart_sentences());
  chart["months"] = wording.chart.months;
  json plan = sentences_to_json(wording.plan, plan_sentences());
  plan["weekdays"] = wording.plan.weekdays;
  json staff = sentences_to_json(wording.staff, staff_sentences());
  json statuses = json::object();
  const auto ids = status_ids();
  for (std::size_t i = 0; i < ids.size(); ++i) statuses[std::string(ids[i])] = wording.staff.statuses[i];
  staff["statuses"] = std::move(statuses);
  json leaflet = sentences_to_json(wording.leaflet, leaflet_sentences());
  json words = json::array();
  for (const auto& w : wording.leaflet.chance_words) words.push_back({{"at_least", w.at_least}, {"word", w.word}});
  leaflet["chance_words"] = {{"words", std::move(words)}, {"assumption", wording.leaflet.chance_words_note}};
  return {{"dates",
           {{"format", wording.dates.format},
            {"weekdays", wording.dates.weekdays},
            {"months", wording.dates.months},
            {"short_format", wording.dates.short_format},
            {"short_weekdays", wording.dates.short_weekdays},
            {"short_months", wording.dates.short_months}}},
          {"durations", sentences_to_json(wording.durations, duration_sentences())},
          {"chart", std::move(chart)},
          {"leaflet", std::move(leaflet)},
          {"plan", std::move(plan)},
          {"gate", sentences_to_json(wording.gate, gate_sentences())},
          {"staff", std::move(staff)}};
}

}  // namespace aftermath::io

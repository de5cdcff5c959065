// Holiday rules and clinic calendars from JSON, every problem named with its path.
#include "calendar_json.hpp"

#include "dates.hpp"
#include "../core/find_by_id.hpp"
#include "../core/messages.hpp"

#include <aftermath/io/json.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace aftermath::detail {
std::string_view holiday_sets_json();  // generated from src/calendars/holidays.json
}  // namespace aftermath::detail

namespace aftermath::inline io {
namespace {

constexpr std::array<std::string_view, 7> full_weekday_names{"sunday", "monday", "tuesday", "wednesday",
                                                             "thursday", "friday", "saturday"};

// The years a rule may name: wide enough for the laws' history, narrow enough to catch a typo.
constexpr int first_rule_year = 1900, last_rule_year = 2199;

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int> whole_number(reader& in, const json& object, const std::string& path, std::string_view key,
                                bool required, int low, int high) {
  const auto value = in.number(object, path, key, required, number_range::closed(low, high));
  if (!value) return std::nullopt;
  if (*value != std::floor(*value)) {
    in.fail(member_path(path, key), "must be a whole number");
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

observance read_observance(reader& in, const json& object, const std::string& path) {
  const std::string observed = in.string(object, path, "observed", false);
  if (observed.empty() || observed == "none") return observance::none;
  if (observed == "nearest_weekday") return observance::nearest_weekday;
  if (observed == "next_weekday") return observance::next_weekday;
  in.fail(member_path(path, "observed"), "'" + observed + "' is not an observance (known: none, nearest_weekday, next_weekday)");
  return observance::none;
}

void read_week(reader& in, const json& object, const std::string& path, holiday_rule& rule) {
  const json* week = in.member(object, path, "week", true);
  if (!week) return;
  if (week->is_string() && week->get<std::string>() == "last") {
    rule.kind = holiday_rule::form::last_weekday;
  } else if (auto n = whole_number(in, object, path, "week", true, 1, 4)) {
    rule.kind = holiday_rule::form::nth_weekday;
    rule.week = *n;
  }
}

void read_month_form(reader& in, const json& object, const std::string& path, holiday_rule& rule) {
  rule.month = whole_number(in, object, path, "month", true, 1, 12).value_or(1);
  const bool by_day = object.contains("day"), by_weekday = object.contains("weekday");
  if (by_day == by_weekday) {
    in.fail(path, "needs either \"day\" (a fixed date) or \"weekday\" with \"week\"", by_day ? problem_code::conflict : problem_code::malformed);
    return;
  }
  if (by_day) {
    rule.kind = holiday_rule::form::fixed_date;
    const int longest = boost::gregorian::gregorian_calendar::end_of_month_day(2001, static_cast<unsigned short>(rule.month));
    rule.day = whole_number(in, object, path, "day", true, 1, 31).value_or(1);
    if (rule.day > longest)
      in.fail(member_path(path, "day"), std::to_string(rule.day) + " is not a day of month " + std::to_string(rule.month) + " in every year",
              problem_code::out_of_range);
    return;
  }
  const std::string weekday = in.string(object, path, "weekday");
  if (auto parsed = parse_weekday(weekday)) rule.weekday = *parsed;
  else if (!weekday.empty()) in.fail(member_path(path, "weekday"), "'" + weekday + "' is not a weekday (known: Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
  read_week(in, object, path, rule);
}

/// {"date": "YYYY-MM-DD"}: a one-off day, kept as a fixed date that applies in its own year only.
void read_one_off_day(reader& in, const json& object, const std::string& path, holiday_rule& rule) {
  for (const char* key : {"month", "day", "weekday", "week", "easter_offset", "from_year", "until_year", "except_years"})
    if (object.contains(key))
      in.fail(member_path(path, key), "does not go with date (a one-off day applies in its own year only)", problem_code::conflict);
  const auto day = read_date(in, object.at("date"), member_path(path, "date"));
  if (!day) return;
  const int year = day->year();
  if (year < first_rule_year || year > last_rule_year) {
    in.fail(member_path(path, "date"), "is in " + std::to_string(year) + ", but must be in " + std::to_string(first_rule_year) + "–" +
                                           std::to_string(last_rule_year), problem_code::out_of_range);
    return;
  }
  rule.kind = holiday_rule::form::fixed_date;
  rule.month = day->month();
  rule.day = day->day();
  rule.from_year = rule.until_year = year;
}

/// One entry of "except_years": a whole year inside the rule's own years.
std::optional<int> read_except_year(reader& in, const json& value, const std::string& at, const holiday_rule& rule) {
  if (!value.is_number()) {
    in.fail(at, "is " + describe_type(value) + ", but must be a year");
    return std::nullopt;
  }
  const double x = value.get<double>();
  if (x != std::floor(x)) {
    in.fail(at, "must be a whole number");
    return std::nullopt;
  }
  if (x < first_rule_year || x > last_rule_year) {
    in.fail(at, "is " + detail::format_number(x) + ", but must be in " + number_range::closed(first_rule_year, last_rule_year).describe(),
            problem_code::out_of_range);
    return std::nullopt;
  }
  const int year = static_cast<int>(x);
  if (rule.from_year && year < *rule.from_year) {
    in.fail(at, std::to_string(year) + " is before from_year " + std::to_string(*rule.from_year), problem_code::conflict);
    return std::nullopt;
  }
  if (rule.until_year && year > *rule.until_year) {
    in.fail(at, std::to_string(year) + " is after until_year " + std::to_string(*rule.until_year), problem_code::conflict);
    return std::nullopt;
  }
  return year;
}

/// "except_years": the years in which the law moved or dropped the day (the moved day is a
/// one-off rule of its own).
std::vector<int> read_except_years(reader& in, const json& object, const std::string& path, const holiday_rule& rule) {
  std::vector<int> years;
  const std::string here = member_path(path, "except_years");
  const json* list = in.member(object, path, "except_years", false);
  if (!list || !in.expect_array(*list, here)) return years;
  if (list->empty()) in.fail(here, "must list at least one year");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = index_path(here, i);
    const auto year = read_except_year(in, (*list)[i], at, rule);
    if (!year) continue;
    if (std::find(years.begin(), years.end(), *year) != years.end())
      in.fail(at, std::to_string(*year) + " is listed twice", problem_code::conflict);
    else
      years.push_back(*year);
  }
  return years;
}

holiday_set read_holiday_set(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"id", "name", "source", "rules"});
  holiday_set set{in.string(object, path, "id"), in.string(object, path, "name"), in.string(object, path, "source", false), {}};
  if (const json* rules = in.member(object, path, "rules", true); rules && in.expect_array(*rules, member_path(path, "rules")))
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const std::string here = index_path(member_path(path, "rules"), i);
      if (in.expect_object((*rules)[i], here)) set.rules.push_back(read_holiday_rule(in, (*rules)[i], here));
    }
  return set;
}

std::array<bool, 7> read_open_weekdays(reader& in, const json& object, const std::string& path) {
  std::array<bool, 7> open{};
  const auto names = in.string_list(object, path, "open_weekdays");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (auto weekday = parse_weekday(names[i])) open[static_cast<std::size_t>(*weekday)] = true;
    else in.fail(index_path(member_path(path, "open_weekdays"), i), "'" + names[i] + "' is not a weekday (known: Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
  }
  if (object.contains("open_weekdays") && names.empty()) in.fail(member_path(path, "open_weekdays"), "must name at least one weekday");
  return open;
}

void read_holidays(reader& in, const json& list, const std::string& path, clinic_calendar& calendar) {
  holiday_set own{"clinic", "The clinic's own holidays", "", {}};
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string here = index_path(path, i);
    if (list[i].is_string()) {
      const auto id = list[i].get<std::string>();
      if (const auto* set = find_holiday_set(id)) calendar.holidays.push_back(*set);
      else in.fail(here, "unknown holiday set '" + id + "' (known: " + known_holiday_sets() + ")", problem_code::unknown_id);
    } else if (list[i].is_object()) {
      own.rules.push_back(read_holiday_rule(in, list[i], here));
    } else {
      in.fail(here, "is " + describe_type(list[i]) + ", but must be a holiday set id or a holiday rule");
    }
  }
  if (!own.rules.empty()) calendar.holidays.push_back(std::move(own));
}

}  // namespace

std::string known_holiday_sets() {
  std::string known;
  for (const auto& set : built_in_holiday_sets()) known += (known.empty() ? "" : ", ") + set.id;
  return known;
}

std::optional<int> parse_weekday(std::string_view text) {
  const std::string wanted = lower(text);
  for (std::size_t i = 0; i < full_weekday_names.size(); ++i)
    if (wanted == full_weekday_names[i] || wanted == full_weekday_names[i].substr(0, 3)) return static_cast<int>(i);
  return std::nullopt;
}

holiday_rule read_holiday_rule(reader& in, const json& object, const std::string& path) {
  in.reject_unknown_keys(object, path, {"name", "date", "month", "day", "weekday", "week", "easter_offset", "observed", "from_year",
                                        "until_year", "except_years", "source"});
  holiday_rule rule;
  rule.name = in.string(object, path, "name");
  rule.source = in.string(object, path, "source", false);
  if (object.contains("source") && object.at("source").is_string() && rule.source.empty())
    in.fail(member_path(path, "source"), "is empty; leave it out or name the law or list the rule follows");
  if (object.contains("date")) {
    read_one_off_day(in, object, path, rule);
    rule.observed = read_observance(in, object, path);
    return rule;
  }
  if (object.contains("easter_offset")) {
    rule.kind = holiday_rule::form::easter_relative;
    rule.easter_offset = whole_number(in, object, path, "easter_offset", true, -100, 100).value_or(0);
    for (const char* key : {"month", "day", "weekday", "week"})
      if (object.contains(key)) in.fail(member_path(path, key), "does not go with easter_offset", problem_code::conflict);
  } else {
    read_month_form(in, object, path, rule);
  }
  rule.observed = read_observance(in, object, path);
  rule.from_year = whole_number(in, object, path, "from_year", false, 1900, 2199);
  rule.until_year = whole_number(in, object, path, "until_year", false, 1900, 2199);
  if (rule.from_year && rule.until_year && *rule.until_year < *rule.from_year)
    in.fail(member_path(path, "until_year"), "is before from_year", problem_code::conflict);
  rule.except_years = read_except_years(in, object, path, rule);
  return rule;
}

std::vector<holiday_set> parse_holiday_sets(std::string_view json_text, std::string_view source) {
  const json root = parse_json_text(json_text, source);
  reader in;
  std::vector<holiday_set> sets;
  if (in.expect_object(root, "")) {
    in.reject_unknown_keys(root, "", {"holiday_sets"});
    if (const json* list = in.member(root, "", "holiday_sets", true); list && in.expect_array(*list, "holiday_sets"))
      for (std::size_t i = 0; i < list->size(); ++i)
        if (in.expect_object((*list)[i], index_path("holiday_sets", i)))
          sets.push_back(read_holiday_set(in, (*list)[i], index_path("holiday_sets", i)));
  }
  in.set_source(source);
  in.throw_if_failed();
  return sets;
}

clinic_calendar read_calendar(reader& in, const json& object, const std::string& path) {
  clinic_calendar calendar;
  in.reject_unknown_keys(object, path, {"open_weekdays", "closures", "holidays"});
  if (object.contains("open_weekdays")) calendar.open_weekdays = read_open_weekdays(in, object, path);
  if (const json* closures = in.member(object, path, "closures", false); closures && in.expect_array(*closures, member_path(path, "closures")))
    for (std::size_t i = 0; i < closures->size(); ++i)
      if (auto day = read_date(in, (*closures)[i], index_path(member_path(path, "closures"), i))) calendar.closures.push_back(*day);
  if (const json* holidays = in.member(object, path, "holidays", false); holidays && in.expect_array(*holidays, member_path(path, "holidays")))
    read_holidays(in, *holidays, member_path(path, "holidays"), calendar);
  return calendar;
}


const std::vector<holiday_set>& built_in_holiday_sets() {
  static const std::vector<holiday_set> sets = parse_holiday_sets(detail::holiday_sets_json(), "embedded holiday sets");
  return sets;
}

const holiday_set* find_holiday_set(std::string_view id) { return detail::find_by_id(built_in_holiday_sets(), id); }

}  // namespace aftermath::io

// aftermath: the clinic's calendar — open weekdays, closures and public holidays.
//
// Holidays are rules, kept as data: a fixed date (12-25), the n-th or last weekday of a month
// (the fourth Thursday of November), or a day relative to Easter Sunday (Good Friday is −2).
// A rule may move to an observed day when it falls on a weekend: to the nearest weekday
// (US federal: Saturday → Friday, Sunday → Monday) or to the next weekday not already a holiday
// (UK substitute days: Christmas on a Saturday is kept on Monday the 27th, Boxing Day on
// Tuesday the 28th). The law's history is data too: a rule applies from one year until
// another, may skip the years in which the law moved its day (`except_years`), and a one-off
// day (a jubilee, a moved bank holiday) is a fixed date that applies in one year only. Each
// rule can cite its source. Built-in sets — `us_federal`, `uk_england_wales`, `germany`,
// `france` — come from an embedded data file; a clinic can add its own rules, and its own
// closures (a refurbishment) are closures, not rules. Calendars live here and in planning only;
// the recovery model never sees a date.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/profile.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath {

/// Where a holiday that falls on a weekend is observed.
enum class observance {
  none,             ///< only on the day itself
  nearest_weekday,  ///< Saturday → the Friday before, Sunday → the Monday after
  next_weekday,     ///< the next weekday that is not already a holiday
};

/// One holiday rule. Exactly one of the forms applies, by `form`. A one-off day is a fixed date
/// whose `from_year` and `until_year` are its year.
struct holiday_rule {
  enum class form { fixed_date, nth_weekday, last_weekday, easter_relative };

  std::string name;
  form kind = form::fixed_date;
  int month = 1;          ///< 1–12, for all but easter_relative
  int day = 1;            ///< fixed_date: day of the month
  int weekday = 1;        ///< nth/last_weekday: 0 = Sunday … 6 = Saturday
  int week = 1;           ///< nth_weekday: 1–4
  int easter_offset = 0;  ///< easter_relative: days after Easter Sunday (−2 = Good Friday)
  observance observed = observance::none;
  std::optional<int> from_year;   ///< the first year the rule applies
  std::optional<int> until_year;  ///< the last year the rule applies
  std::vector<int> except_years;  ///< years inside the range in which the law moved or dropped the day
  std::string source;             ///< the statute, proclamation or list the rule follows
};

struct holiday_set {
  std::string id;
  std::string name;
  std::string source;  ///< the law or authority the rules follow
  std::vector<holiday_rule> rules;
};

/// One closed day: the holiday itself or the weekday where it is observed.
struct holiday {
  date day;
  std::string name;
  bool observed = false;  ///< true for a substitute day
};

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).
[[nodiscard]] date easter_sunday(int year);

/// The date a rule gives in `year` before any observance, or nothing when it does not apply.
[[nodiscard]] std::optional<date> holiday_date(const holiday_rule& rule, int year);

/// Every holiday of the set that falls in `year`, actual and observed days, in date order. A
/// holiday on a Saturday observed on the Friday before can move into the previous year (New
/// Year's Day 2022 was observed on 2021-12-31); it is listed in the year where it is observed.
[[nodiscard]] std::vector<holiday> holidays_in_year(const holiday_set& set, int year);

/// "Mon" … "Sun" for 0 = Sunday … 6 = Saturday.
[[nodiscard]] std::string_view weekday_name(int weekday);

/// A clinic's calendar.
struct clinic_calendar {
  std::array<bool, 7> open_weekdays{false, true, true, true, true, true, false};  ///< by 0 = Sunday
  std::vector<date> closures;
  std::vector<holiday_set> holidays;  ///< built-in sets and the clinic's own rules
};

/// Why the clinic is closed on `day` ("closed on Sun", "holiday: Christmas Day", "closure"),
/// or nothing when it is open.
[[nodiscard]] std::optional<std::string> closed_because(const clinic_calendar& calendar, date day);

}  // namespace aftermath

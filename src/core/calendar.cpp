// Holiday rules on Boost.Date_Time, and the clinic's open days.
#include <aftermath/calendar.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <set>

namespace aftermath {
namespace {

namespace greg = boost::gregorian;

bool is_weekend(date day) {
  const int weekday = day.day_of_week().as_number();
  return weekday == 0 || weekday == 6;
}

greg::months_of_year month_of(int month) { return static_cast<greg::months_of_year>(month); }
greg::greg_weekday weekday_of(int weekday) { return greg::greg_weekday(static_cast<unsigned short>(weekday)); }

bool applies_in(const holiday_rule& rule, int year) {
  const bool in_range = (!rule.from_year || year >= *rule.from_year) && (!rule.until_year || year <= *rule.until_year);
  return in_range && std::find(rule.except_years.begin(), rule.except_years.end(), year) == rule.except_years.end();
}

date nearest_weekday(date day) {
  const int weekday = day.day_of_week().as_number();
  if (weekday == 6) return day - greg::days(1);
  if (weekday == 0) return day + greg::days(1);
  return day;
}

struct dated_rule {
  date day;
  const holiday_rule* rule;
};

/// The rules' own dates over the years around `year`, in date order: observed days can cross
/// the turn of a year.
std::vector<dated_rule> actual_days_around(const holiday_set& set, int year) {
  std::vector<dated_rule> out;
  for (int y = year - 1; y <= year + 1; ++y)
    for (const auto& rule : set.rules)
      if (auto day = holiday_date(rule, y)) out.push_back({*day, &rule});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.day < b.day; });
  return out;
}

/// Substitute days for weekend holidays observed on the next free weekday, taken in date order
/// so that Christmas on a Saturday keeps Monday and Boxing Day moves on to Tuesday.
std::vector<holiday> substitute_days(const std::vector<dated_rule>& actual) {
  std::set<date> taken;
  for (const auto& a : actual)
    if (!is_weekend(a.day)) taken.insert(a.day);
  std::vector<holiday> out;
  for (const auto& a : actual) {
    if (a.rule->observed != observance::next_weekday || !is_weekend(a.day)) continue;
    date day = a.day + greg::days(1);
    while (is_weekend(day) || taken.count(day)) day += greg::days(1);
    taken.insert(day);
    out.push_back({day, a.rule->name + " (substitute day)", true});
  }
  return out;
}

}  // namespace

date easter_sunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(day));
}

std::optional<date> holiday_date(const holiday_rule& rule, int year) {
  if (!applies_in(rule, year)) return std::nullopt;
  const auto y = static_cast<unsigned short>(year);
  switch (rule.kind) {
    case holiday_rule::form::fixed_date:
      return date(y, static_cast<unsigned short>(rule.month), static_cast<unsigned short>(rule.day));
    case holiday_rule::form::nth_weekday:
      return greg::nth_day_of_the_week_in_month(static_cast<greg::nth_day_of_the_week_in_month::week_num>(rule.week),
                                                weekday_of(rule.weekday), month_of(rule.month))
          .get_date(y);
    case holiday_rule::form::last_weekday:
      return greg::last_day_of_the_week_in_month(weekday_of(rule.weekday), month_of(rule.month)).get_date(y);
    case holiday_rule::form::easter_relative:
      return easter_sunday(year) + greg::days(rule.easter_offset);
  }
  return std::nullopt;
}

std::vector<holiday> holidays_in_year(const holiday_set& set, int year) {
  const auto actual = actual_days_around(set, year);
  std::vector<holiday> all = substitute_days(actual);
  for (const auto& a : actual) {
    all.push_back({a.day, a.rule->name, false});
    if (a.rule->observed == observance::nearest_weekday && nearest_weekday(a.day) != a.day)
      all.push_back({nearest_weekday(a.day), a.rule->name + " (observed)", true});
  }
  std::erase_if(all, [&](const holiday& h) { return h.day.year() != year; });
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.day < b.day; });
  return all;
}

std::string_view weekday_name(int weekday) {
  static constexpr std::array<std::string_view, 7> names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return names.at(static_cast<std::size_t>(weekday));
}

std::optional<std::string> closed_because(const clinic_calendar& calendar, date day) {
  const int weekday = day.day_of_week().as_number();
  if (!calendar.open_weekdays[static_cast<std::size_t>(weekday)]) return "closed on " + std::string(weekday_name(weekday));
  if (std::find(calendar.closures.begin(), calendar.closures.end(), day) != calendar.closures.end()) return "closure";
  for (const auto& set : calendar.holidays)
    for (const auto& h : holidays_in_year(set, day.year()))
      if (h.day == day) return "holiday: " + h.name;
  return std::nullopt;
}

}  // namespace aftermath

// The holiday rules reader (the built-in sets' format, src/io/calendar_json.hpp): parse the
// sets, then each set's holidays over a few years, which must be dates of that year in date
// order, and closed days of a clinic calendar with those sets.
#include "fuzz_support.hpp"

#include "io/calendar_json.hpp"

#include <aftermath/calendar.hpp>

using namespace aftermath;

namespace {

/// Both ends of the rules' years, years the built-in sets move days in, and a few around today.
constexpr int years[] = {1900, 1971, 2002, 2012, 2022, 2023, 2026, 2027, 2199};

void check_holidays(const holiday_set& set) {
  for (int year : years) {
    const auto holidays = holidays_in_year(set, year);
    for (std::size_t i = 0; i < holidays.size(); ++i) {
      const std::string what = "holiday set '" + set.id + "', " + std::to_string(year) + ", holiday " + std::to_string(i) + " (" + holidays[i].name + ")";
      if (holidays[i].day.is_special()) fuzz::finding(what + " is not a date");
      if (holidays[i].day.year() != year) fuzz::finding(what + " falls on " + iso_date(holidays[i].day) + ", outside the year");
      if (i > 0 && holidays[i].day < holidays[i - 1].day) fuzz::finding(what + " is out of date order");
    }
  }
}

/// Both a holiday and its observed day are closed (docs/plan-format.md), with a reason.
void check_calendar(const std::vector<holiday_set>& sets) {
  clinic_calendar calendar;
  calendar.holidays = sets;
  for (const auto& set : sets)
    for (const auto& day : holidays_in_year(set, 2026)) {
      const auto why = closed_because(calendar, day.day);
      if (!why || why->empty())
        fuzz::finding("holiday '" + day.name + "' of set '" + set.id + "' on " + iso_date(day.day) + " is not closed, or closed without a reason");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const auto sets = fuzz::load([&] { return parse_holiday_sets(input, "holidays"); });
    for (const auto& set : sets) check_holidays(set);
    check_calendar(sets);
  });
}

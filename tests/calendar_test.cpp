// The clinic calendar: Easter, the built-in holiday sets against their published lists, the
// clinic's open days, and the JSON reader for holiday rules and calendars.
#include <aftermath/calendar.hpp>
#include <aftermath/error.hpp>
#include <aftermath/io/json.hpp>

#include "io/calendar_json.hpp"  // internal: the calendar reader has no public entry point yet

#include <boost/date_time/gregorian/gregorian.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace aftermath {
namespace {

date ymd(int year, int month, int day) {
  return date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(day));
}

const holiday_set& built_in(std::string_view id) {
  const holiday_set* set = find_holiday_set(id);
  if (!set) throw std::runtime_error("no built-in holiday set " + std::string(id));
  return *set;
}

std::vector<date> days_of(const std::vector<holiday>& holidays) {
  std::vector<date> out;
  for (const auto& h : holidays) out.push_back(h.day);
  return out;
}

/// The holidays of `year` that fall Monday to Friday: what OPM and GOV.UK publish (they list
/// the observed or substitute weekday, not the weekend day itself).
std::vector<date> weekday_holidays(const holiday_set& set, int year) {
  std::vector<date> out;
  for (const auto& h : holidays_in_year(set, year)) {
    const int weekday = h.day.day_of_week().as_number();
    if (weekday != 0 && weekday != 6) out.push_back(h.day);
  }
  return out;
}

/// The holiday named on `day`, or "" when there is none.
std::string holiday_on(const holiday_set& set, date day) {
  for (const auto& h : holidays_in_year(set, day.year()))
    if (h.day == day) return h.name;
  return {};
}

// --- Easter ------------------------------------------------------------------------------------

// Western Easter Sunday 1900–2199 as month * 100 + day, generated once with python3-dateutil:
//   from dateutil.easter import easter, EASTER_WESTERN
//   [easter(y, EASTER_WESTERN) for y in range(1900, 2200)]
constexpr int easter_dateutil[] = {
    /* 1900 */ 415, 407, 330, 412, 403, 423, 415, 331, 419, 411,
    /* 1910 */ 327, 416, 407, 323, 412, 404, 423, 408, 331, 420,
    /* 1920 */ 404, 327, 416, 401, 420, 412, 404, 417, 408, 331,
    /* 1930 */ 420, 405, 327, 416, 401, 421, 412, 328, 417, 409,
    /* 1940 */ 324, 413, 405, 425, 409, 401, 421, 406, 328, 417,
    /* 1950 */ 409, 325, 413, 405, 418, 410, 401, 421, 406, 329,
    /* 1960 */ 417, 402, 422, 414, 329, 418, 410, 326, 414, 406,
    /* 1970 */ 329, 411, 402, 422, 414, 330, 418, 410, 326, 415,
    /* 1980 */ 406, 419, 411, 403, 422, 407, 330, 419, 403, 326,
    /* 1990 */ 415, 331, 419, 411, 403, 416, 407, 330, 412, 404,
    /* 2000 */ 423, 415, 331, 420, 411, 327, 416, 408, 323, 412,
    /* 2010 */ 404, 424, 408, 331, 420, 405, 327, 416, 401, 421,
    /* 2020 */ 412, 404, 417, 409, 331, 420, 405, 328, 416, 401,
    /* 2030 */ 421, 413, 328, 417, 409, 325, 413, 405, 425, 410,
    /* 2040 */ 401, 421, 406, 329, 417, 409, 325, 414, 405, 418,
    /* 2050 */ 410, 402, 421, 406, 329, 418, 402, 422, 414, 330,
    /* 2060 */ 418, 410, 326, 415, 406, 329, 411, 403, 422, 414,
    /* 2070 */ 330, 419, 410, 326, 415, 407, 419, 411, 403, 423,
    /* 2080 */ 407, 330, 419, 404, 326, 415, 331, 420, 411, 403,
    /* 2090 */ 416, 408, 330, 412, 404, 424, 415, 331, 420, 412,
    /* 2100 */ 328, 417, 409, 325, 413, 405, 418, 410, 401, 421,
    /* 2110 */ 406, 329, 417, 402, 422, 414, 329, 418, 410, 326,
    /* 2120 */ 414, 406, 329, 411, 402, 422, 414, 330, 418, 410,
    /* 2130 */ 326, 415, 406, 419, 411, 403, 422, 407, 330, 419,
    /* 2140 */ 403, 326, 415, 331, 419, 411, 403, 416, 407, 330,
    /* 2150 */ 412, 404, 423, 415, 331, 420, 411, 327, 416, 408,
    /* 2160 */ 323, 412, 404, 424, 408, 331, 420, 405, 327, 416,
    /* 2170 */ 401, 421, 412, 404, 417, 409, 331, 420, 405, 328,
    /* 2180 */ 416, 401, 421, 413, 328, 417, 409, 325, 413, 405,
    /* 2190 */ 425, 410, 401, 421, 406, 329, 417, 409, 325, 414,
};

TEST(Easter, MatchesDateutilFrom1900To2199) {
  constexpr int first = 1900;
  static_assert(std::size(easter_dateutil) == 300);
  for (int i = 0; i < 300; ++i) {
    const int year = first + i, md = easter_dateutil[i];
    EXPECT_EQ(easter_sunday(year), ymd(year, md / 100, md % 100)) << year;
  }
}

TEST(Easter, FamousDates) {
  EXPECT_EQ(easter_sunday(2000), ymd(2000, 4, 23));
  EXPECT_EQ(easter_sunday(2008), ymd(2008, 3, 23));  // earliest since 1913
  EXPECT_EQ(easter_sunday(1943), ymd(1943, 4, 25));  // latest possible day
  EXPECT_EQ(easter_sunday(2038), ymd(2038, 4, 25));  // latest possible day
  EXPECT_EQ(easter_sunday(1818), ymd(1818, 3, 22));  // earliest possible day
  EXPECT_EQ(easter_sunday(2285), ymd(2285, 3, 22));  // earliest possible day
}

// --- Built-in sets -----------------------------------------------------------------------------

TEST(BuiltInSets, TheFourSetsAreThere) {
  for (const char* id : {"us_federal", "uk_england_wales", "germany", "france"}) {
    const holiday_set* set = find_holiday_set(id);
    ASSERT_NE(set, nullptr) << id;
    EXPECT_FALSE(set->rules.empty()) << id;
  }
  EXPECT_EQ(find_holiday_set("narnia"), nullptr);
}

TEST(BuiltInSets, EveryRuleCitesItsSource) {
  for (const auto& set : built_in_holiday_sets()) {
    EXPECT_FALSE(set.source.empty()) << set.id;
    for (const auto& rule : set.rules) EXPECT_FALSE(rule.source.empty()) << set.id << ": " << rule.name;
  }
}

TEST(BuiltInSets, EveryYearIsInDateOrderAndInsideTheYear) {
  for (const auto& set : built_in_holiday_sets())
    for (int year = 1950; year <= 2150; ++year) {
      const auto holidays = holidays_in_year(set, year);
      ASSERT_FALSE(holidays.empty()) << set.id << " " << year;
      const auto days = days_of(holidays);
      EXPECT_TRUE(std::is_sorted(days.begin(), days.end())) << set.id << " " << year;
      for (const auto& h : holidays) EXPECT_EQ(h.day.year(), year) << set.id << " " << h.name << " " << h.day;
    }
}

// US federal holidays: OPM's "Federal Holidays" lists (opm.gov, policy-data-oversight/pay-leave/
// federal-holidays), which give the observed day when a holiday falls on a weekend.
TEST(UsFederal, Opm2021WithObservedDays) {
  const auto& us = built_in("us_federal");
  const std::vector<date> opm_2021{
      ymd(2021, 1, 1),   ymd(2021, 1, 18),  ymd(2021, 2, 15),  ymd(2021, 5, 31),
      ymd(2021, 6, 18),  // Juneteenth (Sat 19th) observed
      ymd(2021, 7, 5),   // Independence Day (Sun 4th) observed
      ymd(2021, 9, 6),   ymd(2021, 10, 11), ymd(2021, 11, 11), ymd(2021, 11, 25),
      ymd(2021, 12, 24),  // Christmas Day (Sat 25th) observed
      ymd(2021, 12, 31),  // New Year's Day 2022 (Sat) observed; OPM's footnote to 2022
  };
  EXPECT_EQ(weekday_holidays(us, 2021), opm_2021);
  EXPECT_EQ(holiday_on(us, ymd(2021, 6, 19)), "Juneteenth National Independence Day");
  EXPECT_EQ(holiday_on(us, ymd(2021, 12, 31)), "New Year's Day (observed)");
  EXPECT_EQ(holiday_on(us, ymd(2021, 7, 5)), "Independence Day (observed)");
  for (const auto& h : holidays_in_year(us, 2021))
    EXPECT_EQ(h.observed, h.day == ymd(2021, 6, 18) || h.day == ymd(2021, 7, 5) || h.day == ymd(2021, 12, 24) ||
                              h.day == ymd(2021, 12, 31))
        << h.day << " " << h.name;
  // New Year's Day 2022 is not observed a second time in 2022.
  EXPECT_EQ(holiday_on(us, ymd(2022, 1, 3)), "");
}

TEST(UsFederal, Opm2023) {
  const std::vector<date> opm_2023{
      ymd(2023, 1, 2),  // New Year's Day (Sun 1st) observed
      ymd(2023, 1, 16), ymd(2023, 2, 20), ymd(2023, 5, 29), ymd(2023, 6, 19), ymd(2023, 7, 4), ymd(2023, 9, 4),
      ymd(2023, 10, 9),
      ymd(2023, 11, 10),  // Veterans Day (Sat 11th) observed
      ymd(2023, 11, 23), ymd(2023, 12, 25),
  };
  EXPECT_EQ(weekday_holidays(built_in("us_federal"), 2023), opm_2023);
}

TEST(UsFederal, SingleDatesFromOpm) {
  const auto& us = built_in("us_federal");
  EXPECT_EQ(holiday_on(us, ymd(2022, 12, 26)), "Christmas Day (observed)");  // Christmas 2022 on a Sunday
  EXPECT_EQ(holiday_on(us, ymd(2024, 11, 28)), "Thanksgiving Day");
  EXPECT_EQ(holiday_on(us, ymd(2025, 11, 27)), "Thanksgiving Day");
  EXPECT_EQ(holiday_on(us, ymd(2025, 1, 20)), "Birthday of Martin Luther King, Jr.");
  EXPECT_EQ(holiday_on(us, ymd(2025, 2, 17)), "Washington's Birthday");
  EXPECT_EQ(holiday_on(us, ymd(2025, 5, 26)), "Memorial Day");
  EXPECT_EQ(holiday_on(us, ymd(2025, 9, 1)), "Labor Day");
  EXPECT_EQ(holiday_on(us, ymd(2025, 10, 13)), "Columbus Day");
}

TEST(UsFederal, RulesStartInTheYearTheLawDid) {
  const auto& us = built_in("us_federal");
  const auto rule = [&](std::string_view name) -> const holiday_rule& {
    const auto it = std::find_if(us.rules.begin(), us.rules.end(), [&](const auto& r) { return r.name == name; });
    if (it == us.rules.end()) throw std::runtime_error("no rule " + std::string(name));
    return *it;
  };
  // Juneteenth: Pub. L. 117-17, June 2021. MLK Day: first observed on 1986-01-20.
  const auto& juneteenth = rule("Juneteenth National Independence Day");
  EXPECT_EQ(holiday_date(juneteenth, 2020), std::nullopt);
  EXPECT_EQ(holiday_date(juneteenth, 2021), ymd(2021, 6, 19));
  EXPECT_EQ(holiday_on(us, ymd(2020, 6, 19)), "");
  const auto& mlk = rule("Birthday of Martin Luther King, Jr.");
  EXPECT_EQ(holiday_date(mlk, 1985), std::nullopt);
  EXPECT_EQ(holiday_date(mlk, 1986), ymd(1986, 1, 20));
}

// England and Wales: GOV.UK's bank holiday lists (gov.uk/bank-holidays), which name substitute days.
TEST(EnglandWales, NormalYearsAreExactlyTheEightPublishedDays) {
  const auto& uk = built_in("uk_england_wales");
  EXPECT_EQ(days_of(holidays_in_year(uk, 2019)),
            (std::vector<date>{ymd(2019, 1, 1), ymd(2019, 4, 19), ymd(2019, 4, 22), ymd(2019, 5, 6), ymd(2019, 5, 27),
                               ymd(2019, 8, 26), ymd(2019, 12, 25), ymd(2019, 12, 26)}));
  EXPECT_EQ(days_of(holidays_in_year(uk, 2025)),
            (std::vector<date>{ymd(2025, 1, 1), ymd(2025, 4, 18), ymd(2025, 4, 21), ymd(2025, 5, 5), ymd(2025, 5, 26),
                               ymd(2025, 8, 25), ymd(2025, 12, 25), ymd(2025, 12, 26)}));
  EXPECT_EQ(holiday_on(uk, ymd(2025, 5, 5)), "Early May bank holiday");
  EXPECT_EQ(holiday_on(uk, ymd(2025, 5, 26)), "Spring bank holiday");
  EXPECT_EQ(holiday_on(uk, ymd(2025, 8, 25)), "Summer bank holiday");
}

TEST(EnglandWales, ChristmasAndBoxingDayOnAWeekend) {
  const auto& uk = built_in("uk_england_wales");
  // 2021: Christmas on Saturday, Boxing Day on Sunday → Monday 27th and Tuesday 28th.
  EXPECT_EQ(weekday_holidays(uk, 2021),
            (std::vector<date>{ymd(2021, 1, 1), ymd(2021, 4, 2), ymd(2021, 4, 5), ymd(2021, 5, 3), ymd(2021, 5, 31),
                               ymd(2021, 8, 30), ymd(2021, 12, 27), ymd(2021, 12, 28)}));
  EXPECT_EQ(holiday_on(uk, ymd(2021, 12, 27)), "Christmas Day (substitute day)");
  EXPECT_EQ(holiday_on(uk, ymd(2021, 12, 28)), "Boxing Day (substitute day)");
  // 2022: Christmas on Sunday; Boxing Day keeps Monday 26th, Christmas moves to Tuesday 27th.
  EXPECT_EQ(holiday_on(uk, ymd(2022, 12, 26)), "Boxing Day");
  EXPECT_EQ(holiday_on(uk, ymd(2022, 12, 27)), "Christmas Day (substitute day)");
  // 2020: Boxing Day on Saturday → Monday 28th.
  EXPECT_EQ(holiday_on(uk, ymd(2020, 12, 28)), "Boxing Day (substitute day)");
}

TEST(EnglandWales, NewYearAndEaster) {
  const auto& uk = built_in("uk_england_wales");
  EXPECT_EQ(holiday_on(uk, ymd(2022, 1, 3)), "New Year's Day (substitute day)");  // 1 Jan 2022 a Saturday
  EXPECT_EQ(holiday_on(uk, ymd(2023, 1, 2)), "New Year's Day (substitute day)");  // 1 Jan 2023 a Sunday
  EXPECT_EQ(holiday_on(uk, ymd(2024, 3, 29)), "Good Friday");
  EXPECT_EQ(holiday_on(uk, ymd(2024, 4, 1)), "Easter Monday");
}

// Germany: the nine nationwide Feiertage (e.g. bmi.bund.de's list); Einheit since 1990.
TEST(Germany, EasterHolidaysAndUnity) {
  const auto& de = built_in("germany");
  EXPECT_EQ(holiday_on(de, ymd(2024, 5, 9)), "Christi Himmelfahrt");
  EXPECT_EQ(holiday_on(de, ymd(2024, 5, 20)), "Pfingstmontag");
  EXPECT_EQ(days_of(holidays_in_year(de, 2025)),
            (std::vector<date>{ymd(2025, 1, 1), ymd(2025, 4, 18), ymd(2025, 4, 21), ymd(2025, 5, 1), ymd(2025, 5, 29),
                               ymd(2025, 6, 9), ymd(2025, 10, 3), ymd(2025, 12, 25), ymd(2025, 12, 26)}));
  EXPECT_EQ(holiday_on(de, ymd(1989, 10, 3)), "");
  EXPECT_EQ(holiday_on(de, ymd(1990, 10, 3)), "Tag der Deutschen Einheit");
}

// France: the eleven jours fériés of the Code du travail (service-public.fr lists 2025).
TEST(France, JoursFeries2025) {
  const auto& fr = built_in("france");
  EXPECT_EQ(days_of(holidays_in_year(fr, 2025)),
            (std::vector<date>{ymd(2025, 1, 1), ymd(2025, 4, 21), ymd(2025, 5, 1), ymd(2025, 5, 8), ymd(2025, 5, 29),
                               ymd(2025, 6, 9), ymd(2025, 7, 14), ymd(2025, 8, 15), ymd(2025, 11, 1), ymd(2025, 11, 11),
                               ymd(2025, 12, 25)}));
  EXPECT_EQ(holiday_on(fr, ymd(2025, 5, 29)), "Ascension");
  EXPECT_EQ(holiday_on(fr, ymd(2025, 6, 9)), "Lundi de Pentecôte");
  EXPECT_EQ(holiday_on(fr, ymd(2025, 7, 14)), "Fête nationale");
}

// --- The clinic's open days --------------------------------------------------------------------

TEST(ClosedBecause, WeekdaysClosuresAndHolidays) {
  clinic_calendar calendar;  // Monday to Friday
  calendar.closures = {ymd(2025, 8, 14)};
  calendar.holidays = {built_in("uk_england_wales")};
  EXPECT_EQ(closed_because(calendar, ymd(2025, 8, 17)), "closed on Sun");  // a Sunday
  EXPECT_EQ(closed_because(calendar, ymd(2025, 8, 16)), "closed on Sat");
  EXPECT_EQ(closed_because(calendar, ymd(2025, 8, 14)), "closure");
  EXPECT_EQ(closed_because(calendar, ymd(2025, 8, 25)), "holiday: Summer bank holiday");
  EXPECT_EQ(closed_because(calendar, ymd(2021, 12, 28)), "holiday: Boxing Day (substitute day)");
  EXPECT_EQ(closed_because(calendar, ymd(2025, 8, 13)), std::nullopt);  // an ordinary Wednesday
}

TEST(ClosedBecause, ASaturdayClinicClosesOnTheHolidayAndOnTheObservedFriday) {
  clinic_calendar calendar;
  calendar.open_weekdays = {false, true, true, true, true, true, true};  // Monday to Saturday
  calendar.holidays = {built_in("us_federal")};
  // Christmas 2021 fell on a Saturday; OPM observed it on Friday the 24th.
  EXPECT_EQ(closed_because(calendar, ymd(2021, 12, 25)), "holiday: Christmas Day");
  EXPECT_EQ(closed_because(calendar, ymd(2021, 12, 24)), "holiday: Christmas Day (observed)");
  EXPECT_EQ(closed_because(calendar, ymd(2021, 12, 18)), std::nullopt);  // an ordinary Saturday
  // New Year's Day 2022 (a Saturday) closes the Friday of the year before.
  EXPECT_EQ(closed_because(calendar, ymd(2021, 12, 31)), "holiday: New Year's Day (observed)");
}

// --- JSON --------------------------------------------------------------------------------------

/// Reads `text` as a calendar at path "calendar"; the problems, one per line ("" when none).
std::string calendar_problems(const std::string& text, clinic_calendar* out = nullptr) {
  io::reader in;
  const auto calendar = io::read_calendar(in, io::parse_json_text(text, "test"), "calendar");
  if (out) *out = calendar;
  std::string joined;
  for (const auto& problem : in.problems()) joined += problem.to_string() + "\n";
  return joined;
}

/// The problems of one rule, read as the calendar's first holiday.
std::string rule_problems(const std::string& rule) { return calendar_problems(R"({"holidays": [)" + rule + "]}"); }

bool mentions(const std::string& problems, const std::string& wanted) {
  return problems.find(wanted) != std::string::npos;
}

TEST(CalendarJson, ParsesWeekdays) {
  EXPECT_EQ(io::parse_weekday("Sun"), 0);
  EXPECT_EQ(io::parse_weekday("mon"), 1);
  EXPECT_EQ(io::parse_weekday("FRIDAY"), 5);
  EXPECT_EQ(io::parse_weekday("Saturday"), 6);
  EXPECT_EQ(io::parse_weekday("Funday"), std::nullopt);
  EXPECT_EQ(io::parse_weekday("Mo"), std::nullopt);
  EXPECT_EQ(io::parse_weekday(""), std::nullopt);
}

TEST(CalendarJson, ReadsACustomRuleAndBuiltInSets) {
  clinic_calendar calendar;
  const auto problems = calendar_problems(R"({"open_weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    "closures": ["2025-08-14"],
    "holidays": ["uk_england_wales", {"name": "Clinic anniversary", "month": 3, "weekday": "Fri", "week": "last"}]})",
                                          &calendar);
  ASSERT_EQ(problems, "");
  EXPECT_TRUE(calendar.open_weekdays[6]);
  EXPECT_FALSE(calendar.open_weekdays[0]);
  EXPECT_EQ(calendar.closures, std::vector<date>{ymd(2025, 8, 14)});
  ASSERT_EQ(calendar.holidays.size(), 2u);
  EXPECT_EQ(calendar.holidays[0].id, "uk_england_wales");
  ASSERT_EQ(calendar.holidays[1].rules.size(), 1u);
  // The last Friday of March: 2024-03-29, 2025-03-28, 2026-03-27 (31 March is Sun, Mon, Tue).
  const auto& anniversary = calendar.holidays[1].rules[0];
  EXPECT_EQ(holiday_date(anniversary, 2024), ymd(2024, 3, 29));
  EXPECT_EQ(holiday_date(anniversary, 2025), ymd(2025, 3, 28));
  EXPECT_EQ(holiday_date(anniversary, 2026), ymd(2026, 3, 27));
  EXPECT_EQ(closed_because(calendar, ymd(2025, 3, 28)), "holiday: Clinic anniversary");
  EXPECT_EQ(closed_because(calendar, ymd(2025, 3, 21)), std::nullopt);
}

TEST(CalendarJson, ReadsNthWeekdayEasterAndObservedRules) {
  clinic_calendar calendar;
  ASSERT_EQ(calendar_problems(R"({"holidays": [
    {"name": "Staff training day", "month": 11, "weekday": "wednesday", "week": 3},
    {"name": "Fronleichnam", "easter_offset": 60},
    {"name": "Founders' day", "month": 7, "day": 2, "observed": "nearest_weekday", "from_year": 2000, "until_year": 2030}]})",
                              &calendar),
            "");
  ASSERT_EQ(calendar.holidays.size(), 1u);
  const auto& own = calendar.holidays[0];
  ASSERT_EQ(own.rules.size(), 3u);
  EXPECT_EQ(holiday_date(own.rules[0], 2025), ymd(2025, 11, 19));  // third Wednesday of November 2025 (1 Nov a Saturday)
  EXPECT_EQ(holiday_date(own.rules[1], 2025), ymd(2025, 6, 19));   // Fronleichnam 2025 (Corpus Christi)
  EXPECT_EQ(own.rules[2].observed, observance::nearest_weekday);
  EXPECT_EQ(holiday_date(own.rules[2], 1999), std::nullopt);
  EXPECT_EQ(holiday_date(own.rules[2], 2031), std::nullopt);
  EXPECT_EQ(holiday_on(own, ymd(2022, 7, 1)), "Founders' day (observed)");  // 2022-07-02 was a Saturday
}

TEST(CalendarJson, ReadsOneOffDaysExceptYearsAndSources) {
  clinic_calendar calendar;
  ASSERT_EQ(calendar_problems(R"({"holidays": [
    {"name": "Spring bank holiday", "month": 5, "weekday": "Mon", "week": "last", "from_year": 1971, "except_years": [2012, 2022],
     "source": "Banking and Financial Dealings Act 1971, Schedule 1"},
    {"name": "Spring bank holiday", "date": "2022-06-02", "source": "Royal proclamation"},
    {"name": "Leap day party", "date": "2024-02-29"}]})",
                              &calendar),
            "");
  ASSERT_EQ(calendar.holidays.size(), 1u);
  const auto& own = calendar.holidays[0];
  ASSERT_EQ(own.rules.size(), 3u);
  const auto& spring = own.rules[0];
  EXPECT_EQ(spring.except_years, (std::vector<int>{2012, 2022}));
  EXPECT_EQ(spring.source, "Banking and Financial Dealings Act 1971, Schedule 1");
  EXPECT_EQ(holiday_date(spring, 2021), ymd(2021, 5, 31));
  EXPECT_EQ(holiday_date(spring, 2022), std::nullopt);
  EXPECT_EQ(holiday_date(spring, 2023), ymd(2023, 5, 29));
  const auto& moved = own.rules[1];
  EXPECT_EQ(moved.source, "Royal proclamation");
  EXPECT_EQ(moved.from_year, 2022);
  EXPECT_EQ(moved.until_year, 2022);
  EXPECT_EQ(holiday_date(moved, 2022), ymd(2022, 6, 2));
  EXPECT_EQ(holiday_date(moved, 2021), std::nullopt);
  EXPECT_EQ(holiday_date(moved, 2023), std::nullopt);
  EXPECT_EQ(holiday_on(own, ymd(2022, 5, 30)), "");
  EXPECT_EQ(holiday_on(own, ymd(2022, 6, 2)), "Spring bank holiday");
  EXPECT_EQ(holiday_date(own.rules[2], 2024), ymd(2024, 2, 29));  // a one-off day may be 29 February
  EXPECT_EQ(holiday_date(own.rules[2], 2028), std::nullopt);
  EXPECT_EQ(own.rules[2].source, "");
}

TEST(CalendarJson, RejectsBrokenOneOffDaysExceptYearsAndSourcesNamingTheField) {
  const std::string at = "calendar.holidays[0]";
  const auto spring = [](const std::string& extra) {
    return rule_problems(R"({"name": "x", "month": 5, "weekday": "Mon", "week": "last", )" + extra + "}");
  };
  auto p = rule_problems(R"({"name": "x", "date": "2022-02-30"})");
  EXPECT_TRUE(mentions(p, at + ".date: ")) << p;
  p = rule_problems(R"({"name": "x", "date": 20220602})");
  EXPECT_TRUE(mentions(p, at + ".date: is a number, but must be a date string (YYYY-MM-DD)")) << p;
  p = rule_problems(R"({"name": "x", "date": "1800-01-01"})");
  EXPECT_TRUE(mentions(p, at + ".date: is in 1800, but must be in 1900–2199")) << p;
  for (const std::string key : {"month", "day", "easter_offset", "from_year", "until_year", "except_years"}) {
    p = rule_problems(R"({"name": "x", "date": "2022-06-02", ")" + key + R"(": 6})");
    EXPECT_TRUE(mentions(p, at + "." + key + ": does not go with date")) << p;
  }
  p = spring(R"("except_years": 2022)");
  EXPECT_TRUE(mentions(p, at + ".except_years: is a number, but must be an array")) << p;
  p = spring(R"("except_years": [])");
  EXPECT_TRUE(mentions(p, at + ".except_years: must list at least one year")) << p;
  p = spring(R"("except_years": ["2022"])");
  EXPECT_TRUE(mentions(p, at + ".except_years[0]: is a string, but must be a year")) << p;
  p = spring(R"("except_years": [2022.5])");
  EXPECT_TRUE(mentions(p, at + ".except_years[0]: must be a whole number")) << p;
  p = spring(R"("except_years": [2012, 1800])");
  EXPECT_TRUE(mentions(p, at + ".except_years[1]: is 1800, but must be in [1900, 2199]")) << p;
  p = spring(R"("from_year": 2000, "except_years": [1999])");
  EXPECT_TRUE(mentions(p, at + ".except_years[0]: 1999 is before from_year 2000")) << p;
  p = spring(R"("until_year": 2010, "except_years": [2011])");
  EXPECT_TRUE(mentions(p, at + ".except_years[0]: 2011 is after until_year 2010")) << p;
  p = spring(R"("except_years": [2012, 2022, 2012])");
  EXPECT_TRUE(mentions(p, at + ".except_years[2]: 2012 is listed twice")) << p;
  p = spring(R"("source": 7)");
  EXPECT_TRUE(mentions(p, at + ".source: is a number, but must be a string")) << p;
  p = spring(R"("source": "")");
  EXPECT_TRUE(mentions(p, at + ".source: is empty")) << p;
  EXPECT_EQ(spring(R"("except_years": [2012], "source": "the Act")"), "");
}

TEST(CalendarJson, RejectsBrokenRulesNamingPathAndReason) {
  const std::string at = "calendar.holidays[0]";
  auto p = rule_problems(R"({"name": "x", "month": 3, "weekday": "Funday", "week": 1})");
  EXPECT_TRUE(mentions(p, at + ".weekday: 'Funday' is not a weekday")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "weekday": "Mon", "week": 5})");
  EXPECT_TRUE(mentions(p, at + ".week: is 5, but must be in [1, 4]")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "weekday": "Mon", "week": 0})");
  EXPECT_TRUE(mentions(p, at + ".week: is 0, but must be in [1, 4]")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "weekday": "Mon", "week": "first"})");
  EXPECT_TRUE(mentions(p, at + ".week: ")) << p;
  p = rule_problems(R"({"name": "x", "month": 13, "day": 1})");
  EXPECT_TRUE(mentions(p, at + ".month: is 13, but must be in [1, 12]")) << p;
  p = rule_problems(R"({"name": "x", "month": 4, "day": 31})");
  EXPECT_TRUE(mentions(p, at + ".day: 31 is not a day of month 4")) << p;
  p = rule_problems(R"({"name": "x", "month": 2, "day": 29})");
  EXPECT_TRUE(mentions(p, at + ".day: 29 is not a day of month 2")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "day": 1.5})");
  EXPECT_TRUE(mentions(p, at + ".day: must be a whole number")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "day": 1, "weekday": "Mon", "week": 1})");
  EXPECT_TRUE(mentions(p, at + ": needs either \"day\"")) << p;
  p = rule_problems(R"({"name": "x", "month": 3})");
  EXPECT_TRUE(mentions(p, at + ": needs either \"day\"")) << p;
  p = rule_problems(R"({"name": "x", "easter_offset": 1, "month": 3})");
  EXPECT_TRUE(mentions(p, at + ".month: does not go with easter_offset")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "day": 1, "observed": "sometimes"})");
  EXPECT_TRUE(mentions(p, at + ".observed: 'sometimes' is not an observance")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "day": 1, "from_year": 2020, "until_year": 2019})");
  EXPECT_TRUE(mentions(p, at + ".until_year: is before from_year")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "day": 1, "colour": "red"})");
  EXPECT_TRUE(mentions(p, at + ".colour: unknown field")) << p;
  p = rule_problems(R"({"month": 3, "day": 1})");
  EXPECT_TRUE(mentions(p, at + ".name: is missing")) << p;
  p = rule_problems(R"({"name": "x", "month": 3, "weekday": "Mon"})");
  EXPECT_TRUE(mentions(p, at + ".week: is missing")) << p;
}

TEST(CalendarJson, RejectsBrokenCalendarsNamingPathAndReason) {
  auto p = calendar_problems(R"({"holidays": ["us_federal", "narnia"]})");
  EXPECT_TRUE(mentions(p, "calendar.holidays[1]: unknown holiday set 'narnia' (known: us_federal, uk_england_wales, germany, france)"))
      << p;
  p = calendar_problems(R"({"holidays": [7]})");
  EXPECT_TRUE(mentions(p, "calendar.holidays[0]: is a number, but must be a holiday set id or a holiday rule")) << p;
  p = calendar_problems(R"({"open_weekdays": []})");
  EXPECT_TRUE(mentions(p, "calendar.open_weekdays: must name at least one weekday")) << p;
  p = calendar_problems(R"({"open_weekdays": ["Mon", "Funday"]})");
  EXPECT_TRUE(mentions(p, "calendar.open_weekdays[1]: 'Funday' is not a weekday")) << p;
  p = calendar_problems(R"({"closures": ["2025-02-30"]})");
  EXPECT_TRUE(mentions(p, "calendar.closures[0]: ")) << p;
  p = calendar_problems(R"({"holiday": ["us_federal"]})");
  EXPECT_TRUE(mentions(p, "calendar.holiday: unknown field")) << p;
}

TEST(CalendarJson, HolidaySetFilesThrowWithTheirSource) {
  try {
    io::parse_holiday_sets(R"({"holiday_sets": [{"id": "x", "name": "X", "rules": [{"name": "y", "month": 4, "day": 31}], "extra": 1}]})",
                           "sets.json");
    FAIL() << "expected input_error";
  } catch (const input_error& error) {
    const std::string what = error.what();
    EXPECT_TRUE(mentions(what, "sets.json: holiday_sets[0].rules[0].day: 31 is not a day of month 4")) << what;
    EXPECT_TRUE(mentions(what, "sets.json: holiday_sets[0].extra: unknown field")) << what;
  }
}

}  // namespace
}  // namespace aftermath

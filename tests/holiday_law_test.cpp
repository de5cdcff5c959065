// The built-in holiday sets against the law, 2000–2040: for every set and every year, the days
// the set closes are exactly those of its reference list in tests/data/holidays/. The lists are
// published ones (GOV.UK, Etalab) or the statutes' words, written by
// tests/support/holiday_reference.py without the library's rules engine; each file says which.
#include <aftermath/calendar.hpp>
#include <aftermath/io/json.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace aftermath {
namespace {

constexpr int first_year = 2000, last_year = 2040;
const std::vector<std::string> set_ids{"us_federal", "uk_england_wales", "germany", "france"};

date ymd(int year, int month, int day) {
  return date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(day));
}

/// A reference file: each closed day with the names the list gives it.
using reference = std::map<date, std::vector<std::string>>;

/// Reads "YYYY-MM-DD  name" lines, skipping blank lines and "#" comments; a malformed line is a
/// test failure naming the file and line.
reference read_reference(const std::string& set_id) {
  const std::string path = std::string(AFTERMATH_TEST_DATA) + "/holidays/" + set_id + ".txt";
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  reference out;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto gap = line.find("  ");
    try {
      if (gap != 10) throw std::invalid_argument("no date and name");
      out[boost::gregorian::from_simple_string(line.substr(0, 10))].push_back(line.substr(12));
    } catch (const std::exception&) {
      ADD_FAILURE() << path << ":" << number << ": not \"YYYY-MM-DD  name\": " << line;
    }
  }
  return out;
}

const reference& reference_for(const std::string& set_id) {
  static std::map<std::string, reference> cache;
  auto it = cache.find(set_id);
  if (it == cache.end()) it = cache.emplace(set_id, read_reference(set_id)).first;
  return it->second;
}

std::string iso(date day) { return boost::gregorian::to_iso_extended_string(day); }

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : "; ") + name;
  return out;
}

class HolidayLaw : public testing::TestWithParam<std::string> {};

TEST_P(HolidayLaw, EveryYearFrom2000To2040IsTheReferenceList) {
  const std::string& id = GetParam();
  const holiday_set* set = find_holiday_set(id);
  ASSERT_NE(set, nullptr) << id;
  const reference& law = reference_for(id);
  for (int year = first_year; year <= last_year; ++year) {
    std::map<date, std::vector<std::string>> closed;
    for (const auto& h : holidays_in_year(*set, year)) closed[h.day].push_back(h.name);
    std::set<date> listed;
    for (const auto& [day, names] : law)
      if (day.year() == year) listed.insert(day);
    EXPECT_GE(listed.size(), 8u) << id << ": the reference lists too few days for " << year;
    for (const date& day : listed)
      if (!closed.count(day))
        ADD_FAILURE() << id << ": " << iso(day) << " (" << joined(law.at(day)) << ") is a holiday in law, but the set leaves it open";
    for (const auto& [day, names] : closed)
      if (!listed.count(day))
        ADD_FAILURE() << id << ": the set closes " << iso(day) << " (" << joined(names) << "), which the law does not";
  }
}

TEST_P(HolidayLaw, TheReferenceCoversOnly2000To2040) {
  const reference& law = reference_for(GetParam());
  ASSERT_FALSE(law.empty());
  EXPECT_EQ(law.begin()->first.year(), first_year);
  EXPECT_EQ(law.rbegin()->first.year(), last_year);
}

INSTANTIATE_TEST_SUITE_P(BuiltInSets, HolidayLaw, testing::ValuesIn(set_ids),
                         [](const testing::TestParamInfo<std::string>& param_info) { return param_info.param; });

TEST(HolidayLawReference, EveryBuiltInSetHasAReference) {
  std::vector<std::string> built_in;
  for (const auto& set : built_in_holiday_sets()) built_in.push_back(set.id);
  EXPECT_EQ(built_in, set_ids);
}

/// Well-known days, to check the reference lists themselves: each is in the list, or not.
TEST(HolidayLawReference, KnowsTheWellKnownDays) {
  const auto listed = [](const std::string& id, date day) { return reference_for(id).count(day) == 1; };
  // England and Wales: 2027's Christmas on a Saturday, Boxing Day 2020 on a Saturday.
  EXPECT_TRUE(listed("uk_england_wales", ymd(2027, 12, 27)));
  EXPECT_TRUE(listed("uk_england_wales", ymd(2027, 12, 28)));
  EXPECT_TRUE(listed("uk_england_wales", ymd(2020, 12, 28)));
  // The jubilees moved the Spring bank holiday; 2020 moved the early May one to VE Day.
  for (const auto& [moved_from, moved_to] : {std::pair{ymd(2002, 5, 27), ymd(2002, 6, 4)}, {ymd(2012, 5, 28), ymd(2012, 6, 4)},
                                             {ymd(2020, 5, 4), ymd(2020, 5, 8)}, {ymd(2022, 5, 30), ymd(2022, 6, 2)}}) {
    EXPECT_FALSE(listed("uk_england_wales", moved_from)) << moved_from;
    EXPECT_TRUE(listed("uk_england_wales", moved_to)) << moved_to;
  }
  for (const date day : {ymd(2002, 6, 3), ymd(2011, 4, 29), ymd(2012, 6, 5), ymd(2022, 6, 3), ymd(2022, 9, 19), ymd(2023, 5, 8)})
    EXPECT_TRUE(listed("uk_england_wales", day)) << day;
  // US: Juneteenth 2021 (a Saturday) observed on Friday 18 June; nothing in 2020.
  EXPECT_TRUE(listed("us_federal", ymd(2021, 6, 18)));
  EXPECT_FALSE(listed("us_federal", ymd(2020, 6, 19)));
  EXPECT_FALSE(listed("us_federal", ymd(2018, 12, 5)));  // a national day of mourning, by executive order
  // Germany: the Reformation's 500th anniversary, once.
  EXPECT_TRUE(listed("germany", ymd(2017, 10, 31)));
  EXPECT_FALSE(listed("germany", ymd(2018, 10, 31)));
  // France: Lundi de Pentecôte stays a jour férié.
  EXPECT_TRUE(listed("france", ymd(2025, 6, 9)));
}

}  // namespace
}  // namespace aftermath

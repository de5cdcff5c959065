// iCalendar output, read back by an independent parser (Debian's python3-icalendar).
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

namespace {

using namespace aftermath;
using json = nlohmann::json;
namespace fs = std::filesystem;

/// Every event as python3-icalendar reads it: uid, summary, description, start, end.
constexpr const char* reader_script = R"(
import json, sys, icalendar
calendar = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
events = [{'uid': str(e['UID']), 'summary': str(e['SUMMARY']), 'description': str(e['DESCRIPTION']),
           'start': e['DTSTART'].dt.isoformat(), 'end': e['DTEND'].dt.isoformat(), 'stamp': e['DTSTAMP'].dt.isoformat()}
          for e in calendar.walk('VEVENT')]
print(json.dumps({'name': str(calendar['X-WR-CALNAME']), 'events': events}))
)";

json read_with_python(const std::string& ics) {
  const fs::path dir = fs::temp_directory_path() / ("aftermath_ics_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "plan.ics", std::ios::binary) << ics;
  std::ofstream(dir / "read.py") << reader_script;
  const std::string command = "/usr/bin/python3 " + (dir / "read.py").string() + " " + (dir / "plan.ics").string();
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << out;
  return json::parse(out);
}

plan_request request_for(const std::string& patient) {
  plan_request r;
  r.patient.patient = patient;
  r.patient.risk_factors = {{"aspirin", {}}};
  r.medication_pause_approved = true;
  r.protocol = "face_initial";
  r.earliest = date(2026, 12, 1);
  r.maintenance_until = date(2027, 6, 1);
  r.calendar.holidays.push_back(*find_holiday_set("uk_england_wales"));
  return r;
}

TEST(ICalendar, EscapesTextAsRfc5545Says) {
  EXPECT_EQ(escape_icalendar_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
}

TEST(ICalendar, FoldsAt75OctetsWithoutSplittingCharacters) {
  const std::string line = "DESCRIPTION:" + std::string(200, 'x') + "é€😀" + std::string(70, 'y');
  const std::string folded = fold_icalendar_line(line);
  std::string unfolded;
  std::size_t start = 0;
  while (true) {
    const auto end = folded.find("\r\n", start);
    const std::string physical = folded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(physical.size(), 75u);
    // A continuation line starts with the space; no line starts with a UTF-8 continuation byte.
    const std::string content = start == 0 ? physical : physical.substr(1);
    if (!content.empty()) {
      EXPECT_NE(static_cast<unsigned char>(content[0]) & 0xC0, 0x80u);
    }
    unfolded += content;
    if (end == std::string::npos) break;
    start = end + 2;
    EXPECT_EQ(folded[start], ' ');
  }
  EXPECT_EQ(unfolded, line);
}

TEST(ICalendar, AnIndependentParserReadsEveryItemBack) {
  const std::string awkward = "Ann; \"Bo\", \\ <x> & Ünal";
  const auto r = request_for(awkward);
  const auto p = plan(default_model(), r);
  const auto read = read_with_python(to_icalendar(p, {"20261123T090000Z"}));
  EXPECT_EQ(read["name"], "Treatment plan " + awkward);
  const auto& events = read["events"];
  ASSERT_EQ(events.size(), p.items.size());
  std::set<std::string> uids;
  for (std::size_t i = 0; i < p.items.size(); ++i) {
    const auto& item = p.items[i];
    const auto& event = events[i];
    uids.insert(event["uid"].get<std::string>());
    EXPECT_EQ(event["start"], iso_date(item.from));
    EXPECT_EQ(event["end"], iso_date(item.until + boost::gregorian::days(1)));  // all-day, DTEND exclusive
    EXPECT_EQ(event["stamp"], "2026-11-23T09:00:00+00:00");
    EXPECT_NE(event["description"].get<std::string>().find(item.reason), std::string::npos);
  }
  EXPECT_EQ(uids.size(), p.items.size());
}

TEST(ICalendar, UidsStayWhenASessionIsRescheduled) {
  auto r = request_for("p-9");
  const auto first = plan(default_model(), r);
  const auto before = read_with_python(to_icalendar(first, {"20261123T090000Z"}));
  // Sessions 1 and 2 done as planned; the patient is away for a month, so session 3 moves.
  std::vector<date> sessions;
  for (const auto& item : first.items)
    if (item.kind == plan_item_kind::session) sessions.push_back(item.from);
  r.patient.sessions = {{sessions[0], std::nullopt}, {sessions[1], std::nullopt}};
  r.earliest = sessions[1] + boost::gregorian::days(1);
  r.unavailable.push_back({r.earliest, sessions[2] + boost::gregorian::days(10)});
  const auto second = plan(default_model(), r);
  const auto after = read_with_python(to_icalendar(second, {"20261201T090000Z"}));
  const auto uid_of = [](const json& read, const std::string& summary) {
    for (const auto& e : read["events"])
      if (e["summary"] == summary) return std::make_pair(e["uid"].get<std::string>(), e["start"].get<std::string>());
    return std::make_pair(std::string(), std::string());
  };
  const auto [uid_before, start_before] = uid_of(before, "Session 3");
  const auto [uid_after, start_after] = uid_of(after, "Session 3");
  ASSERT_FALSE(uid_before.empty());
  EXPECT_EQ(uid_before, uid_after);
  EXPECT_NE(start_before, start_after);
}

TEST(ICalendar, TimeStampMustBeUtc) {
  const auto p = plan(default_model(), request_for("p-1"));
  EXPECT_THROW((void)to_icalendar(p, {"2026-11-23 09:00"}), input_error);
  EXPECT_THROW((void)to_icalendar(p, {"20261123T090000"}), input_error);
  EXPECT_NO_THROW((void)to_icalendar(p, {"20261123T090000Z"}));
}

}  // namespace

// iCalendar output, read back by an independent parser (Debian's python3-icalendar); Mozilla's
// ical.js reads the command's files in tests/icalendar/check_ical_js.mjs.
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
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

/// Well-formed UTF-8 (RFC 3629): no stray, truncated or overlong sequence, no surrogate.
bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > s.size()) return false;
    unsigned code = length == 1 ? lead : lead & (0xFFu >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < least[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
    i += length;
  }
  return true;
}

/// What breaks RFC 5545 §3.1 in a whole calendar: a line not ended by CRLF, longer than 75
/// octets, not UTF-8 on its own (a fold inside a character), or holding a control character other
/// than HTAB. Empty when every line is sound.
std::vector<std::string> content_line_problems(const std::string& ics) {
  std::vector<std::string> problems;
  if (ics.size() < 2 || ics.substr(ics.size() - 2) != "\r\n") problems.push_back("the calendar does not end in CRLF");
  std::size_t start = 0;
  for (int number = 1; start < ics.size(); ++number) {
    const auto end = ics.find("\r\n", start);
    const std::string line = ics.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string where = "line " + std::to_string(number) + " '" + line + "': ";
    if (line.size() > 75) problems.push_back(where + std::to_string(line.size()) + " octets");
    if (!is_utf8(line)) problems.push_back(where + "not UTF-8");
    for (unsigned char c : line)
      if ((c < 0x20 && c != '\t') || c == 0x7F) problems.push_back(where + "control character " + std::to_string(c));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return problems;
}

std::string ics_for(const treatment_plan& p, std::string dtstamp = "20261123T090000Z", std::string course_id = "") {
  icalendar_options options;
  options.dtstamp = std::move(dtstamp);
  options.course_id = std::move(course_id);
  return to_icalendar(p, options);
}

/// Every UID of a calendar, in order.
std::vector<std::string> uids_of(const std::string& ics) {
  std::vector<std::string> uids;
  for (std::size_t at = ics.find("\r\nUID:"); at != std::string::npos; at = ics.find("\r\nUID:", at + 1))
    uids.push_back(ics.substr(at + 6, ics.find("\r\n", at + 6) - (at + 6)));
  return uids;
}

std::set<std::string> shared(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> out;
  const std::set<std::string> in_b(b.begin(), b.end());
  for (const auto& uid : a)
    if (in_b.count(uid)) out.insert(uid);
  return out;
}

TEST(ICalendar, EscapesTextAsRfc5545Says) {
  EXPECT_EQ(escape_icalendar_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
}

constexpr const char* replacement = "\xEF\xBF\xBD";  // U+FFFD

TEST(ICalendar, EveryLineBreakBecomesBackslashNSoWordsNeverJoin) {
  // A lone CR (old Mac files, some form fields) is a line break like LF and CRLF.
  EXPECT_EQ(escape_icalendar_text("one\rtwo\r\nthree\nfour\n\rfive"), "one\\ntwo\\nthree\\nfour\\n\\nfive");
}

TEST(ICalendar, ControlCharactersBecomeTheReplacementCharacterAndTabsStay) {
  EXPECT_EQ(escape_icalendar_text("ctl\x01id\x7f"), std::string("ctl") + replacement + "id" + replacement);
  EXPECT_EQ(escape_icalendar_text(std::string("a\0b\x1b" "c\td", 7)), std::string("a") + replacement + "b" + replacement + "c\td");
}

TEST(ICalendar, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
  // A truncated sequence, a stray continuation byte, an overlong '/', a UTF-16 surrogate, 0xFF.
  EXPECT_EQ(escape_icalendar_text("a\xC3(b\x80" "c\xC0\xAF" "d\xED\xA0\x80" "e\xFF"),
            std::string("a") + replacement + "(b" + replacement + "c" + replacement + replacement + "d" + replacement +
                replacement + replacement + "e" + replacement);
  EXPECT_EQ(escape_icalendar_text("Ünal 東京 😀"), "Ünal 東京 😀");
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
  const std::string ics = ics_for(p);
  EXPECT_EQ(content_line_problems(ics), std::vector<std::string>{});
  const auto read = read_with_python(ics);
  EXPECT_EQ(read["name"], "Treatment plan " + awkward);
  const auto& events = read["events"];
  ASSERT_EQ(events.size(), p.items.size());
  std::set<std::string> uids;
  const std::regex uid_form("[0-9a-f]{16}@aftermath\\.plan");  // one token: no space, no control character
  for (std::size_t i = 0; i < p.items.size(); ++i) {
    const auto& item = p.items[i];
    const auto& event = events[i];
    const auto uid = event["uid"].get<std::string>();
    EXPECT_TRUE(std::regex_match(uid, uid_form)) << uid;
    uids.insert(uid);
    EXPECT_EQ(event["start"], iso_date(item.from));
    EXPECT_EQ(event["end"], iso_date(item.until + boost::gregorian::days(1)));  // all-day, DTEND exclusive
    EXPECT_EQ(event["stamp"], "2026-11-23T09:00:00+00:00");
    EXPECT_NE(event["description"].get<std::string>().find(item.reason), std::string::npos);
  }
  EXPECT_EQ(uids.size(), p.items.size());
}

TEST(ICalendar, APatientIdWithControlCharactersGivesASoundCalendar) {
  const auto p = plan(default_model(), request_for("ctl\x01id\x7f"));
  const std::string ics = ics_for(p);
  EXPECT_EQ(content_line_problems(ics), std::vector<std::string>{});
  const auto read = read_with_python(ics);
  EXPECT_EQ(read["name"], std::string("Treatment plan ctl") + replacement + "id" + replacement);
  EXPECT_EQ(read["events"].size(), p.items.size());
}

TEST(ICalendar, ALoneCrInATextIsALineBreakForAReader) {
  auto p = plan(default_model(), request_for("p-cr"));
  p.items[0].text = "first line\rsecond line\r\nthird line";
  const std::string ics = ics_for(p);
  EXPECT_EQ(content_line_problems(ics), std::vector<std::string>{});
  const auto description = read_with_python(ics)["events"][0]["description"].get<std::string>();
  EXPECT_EQ(description.rfind("first line\nsecond line\nthird line\n" + p.items[0].reason, 0), 0u) << description;
}

TEST(ICalendar, LongNonAsciiTextIsFoldedBetweenCharacters) {
  // Two-, three- and four-octet characters, shifted by 0-3 octets so that the 75-octet limit
  // falls inside each kind of character on some line; with the characters TEXT escapes.
  const std::string words = "Zoë Ñandú-Łódź, 東京の診療所; 😀 \\ ";
  for (int shift = 0; shift < 4; ++shift) {
    std::string patient(static_cast<std::size_t>(shift), 'x'), text = std::string(static_cast<std::size_t>(shift), 'y');
    for (int i = 0; i < 8; ++i) patient += words, text += words;
    auto p = plan(default_model(), request_for(patient));
    p.items[0].text = text;
    const std::string ics = ics_for(p);
    EXPECT_EQ(content_line_problems(ics), std::vector<std::string>{}) << "shift " << shift;
    const auto read = read_with_python(ics);
    EXPECT_EQ(read["name"], "Treatment plan " + patient);
    EXPECT_EQ(read["events"][0]["description"].get<std::string>().rfind(text + "\n", 0), 0u) << "shift " << shift;
  }
}

TEST(ICalendar, UidsStayWhenASessionIsRescheduled) {
  auto r = request_for("p-9");
  const auto first = plan(default_model(), r);
  const auto before = read_with_python(ics_for(first));
  // Sessions 1 and 2 done as planned; the patient is away for a month, so session 3 moves.
  std::vector<date> sessions;
  for (const auto& item : first.items)
    if (item.kind == plan_item_kind::session) sessions.push_back(item.from);
  r.patient.sessions = {{sessions[0], std::nullopt}, {sessions[1], std::nullopt}};
  r.earliest = sessions[1] + boost::gregorian::days(1);
  r.unavailable.push_back({r.earliest, sessions[2] + boost::gregorian::days(10)});
  const auto second = plan(default_model(), r);
  const auto after = read_with_python(ics_for(second, "20261201T090000Z"));
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

/// The same patient and protocol a year and more later: a second course.
plan_request second_course_for(const std::string& patient) {
  auto r = request_for(patient);
  r.earliest = date(2028, 3, 1);
  r.maintenance_until = date(2028, 9, 1);
  return r;
}

TEST(ICalendar, TwoCoursesOfOnePatientShareNoUid) {
  const auto first = plan(default_model(), request_for("p-2"));
  const auto second = plan(default_model(), second_course_for("p-2"));
  ASSERT_EQ(first.protocol, second.protocol);
  EXPECT_EQ(shared(uids_of(ics_for(first)), uids_of(ics_for(second))), std::set<std::string>{});
}

TEST(ICalendar, TheSameCourseGivesTheSameBytes) {
  const auto once = ics_for(plan(default_model(), request_for("p-3")));
  const auto again = ics_for(plan(default_model(), request_for("p-3")));
  EXPECT_EQ(once, again);
  EXPECT_EQ(uids_of(once).size(), plan(default_model(), request_for("p-3")).items.size());
}

TEST(ICalendar, ACourseIdNamesTheCourseInsteadOfItsFirstSession) {
  // The first session moves before it takes place: by default that is another course, and the
  // calendar's entries are new; with the clinic's course id they are the same entries, moved.
  const auto planned = plan(default_model(), request_for("p-4"));
  auto moved_request = request_for("p-4");
  moved_request.earliest = date(2026, 12, 14);
  moved_request.maintenance_until = *moved_request.maintenance_until + boost::gregorian::days(13);  // the same course, later
  const auto moved = plan(default_model(), moved_request);
  ASSERT_NE(planned.items[0].from, moved.items[0].from);
  EXPECT_EQ(shared(uids_of(ics_for(planned)), uids_of(ics_for(moved))), std::set<std::string>{});
  const auto as_set = [](const std::vector<std::string>& uids) { return std::set<std::string>(uids.begin(), uids.end()); };
  ASSERT_EQ(planned.items.size(), moved.items.size());
  EXPECT_EQ(as_set(uids_of(ics_for(planned, "20261123T090000Z", "course-7"))),
            as_set(uids_of(ics_for(moved, "20261123T090000Z", "course-7"))));
  // Two course ids are two courses, even on the same dates.
  EXPECT_EQ(shared(uids_of(ics_for(planned, "20261123T090000Z", "course-7")), uids_of(ics_for(planned, "20261123T090000Z", "course-8"))),
            std::set<std::string>{});
  // A course id that looks like the default's key is still a course id, not a date.
  EXPECT_NE(uids_of(ics_for(planned, "20261123T090000Z", iso_date(planned.items[0].from))), uids_of(ics_for(planned)));
}

/// The problem to_icalendar reports for this DTSTAMP, or "" when it accepts it.
std::string dtstamp_problem(const std::string& dtstamp) {
  static const auto p = plan(default_model(), request_for("p-1"));
  try {
    (void)ics_for(p, dtstamp);
    return "";
  } catch (const input_error& error) {
    EXPECT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].path, "dtstamp");
    return error.problems()[0].message;
  }
}

TEST(ICalendar, DtstampMustBeARealUtcDateTime) {
  for (const auto& good : {"20261123T090000Z", "19000101T000000Z", "99991231T235959Z", "20240229T120000Z", "20161231T235960Z"})
    EXPECT_EQ(dtstamp_problem(good), "") << good;
  const std::pair<const char*, const char*> bad[] = {
      {"20260231T000000Z", "2026-02 has no day 31"}, {"20270229T000000Z", "2027-02 has no day 29"},
      {"20261100T000000Z", "has no day 00"},          {"20261301T000000Z", "no month 13"},
      {"00000101T000000Z", "1900-9999"},              {"18991231T235959Z", "1900-9999"},
      {"20260101T240000Z", "hour 24"},                {"20260101T006000Z", "minute 60"},
      {"20260101T000061Z", "second 61"},              {"20260101T120060Z", "second 60"},
      {"2026-11-23 09:00", "YYYYMMDDTHHMMSSZ"},       {"20261123T090000", "YYYYMMDDTHHMMSSZ"},
      {"20261123t090000z", "YYYYMMDDTHHMMSSZ"},       {"+2026123T090000Z", "YYYYMMDDTHHMMSSZ"},
      {"", "YYYYMMDDTHHMMSSZ"}};
  for (const auto& [value, reason] : bad) {
    const std::string problem = dtstamp_problem(value);
    EXPECT_NE(problem.find(reason), std::string::npos) << value << ": " << problem;
    EXPECT_NE(problem.find(std::string("'") + value + "'"), std::string::npos) << problem;
  }
}

TEST(ICalendar, UidDomainMustBeAHostName) {
  const auto p = plan(default_model(), request_for("p-1"));
  for (const auto& bad : {"", "a b", "clinic.example\r\n", "a@b", ".example", "x;y"}) {
    icalendar_options options{"20261123T090000Z", bad};
    const auto problems = check_icalendar_options(options);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].path, "uid_domain");
    EXPECT_THROW((void)to_icalendar(p, options), input_error) << bad;
  }
  const auto ics = to_icalendar(p, {"20261123T090000Z", "clinic-7.example.org"});
  EXPECT_NE(ics.find("@clinic-7.example.org\r\n"), std::string::npos);
}

// --- the command: `aftermath plan --ics F --dtstamp T --course-id ID` ---

using aftermath::testing::run;
using aftermath::testing::write_file;

constexpr const char* cli_request = R"({"profile": {"patient": "p-17", "risk_factors": ["bruise_prone"]},
  "protocol": "face_initial", "earliest": "2026-12-01"})";

std::string read_whole(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

TEST(ICalendarCli, ABadDtstampExitsTwoNamingTheOptionAndWritesNothing) {
  const auto request = write_file("ics_request.json", cli_request);
  for (const auto& [value, reason] : {std::pair{"20260231T000000Z", "2026-02 has no day 31"}, std::pair{"00000101T000000Z", "1900-9999"}}) {
    const std::string ics = write_file("bad_dtstamp.ics", "");
    fs::remove(ics);
    const auto r = run("plan --format json --request " + request + " --ics " + ics + " --dtstamp " + value);
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find(std::string("--dtstamp: '") + value + "'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(reason), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(ics)) << value;
  }
}

TEST(ICalendarCli, CourseIdSeparatesCoursesAndKeepsTheBytes) {
  const auto request = write_file("ics_request.json", cli_request);
  const auto calendar = [&](const std::string& name, const std::string& course) {
    const std::string ics = write_file(name, "");
    const auto r = run("plan --format json --request " + request + " --ics " + ics + " --dtstamp 20261123T090000Z" +
                       (course.empty() ? "" : " --course-id " + course));
    EXPECT_EQ(r.status, 0) << r.out;
    return read_whole(ics);
  };
  const auto first = calendar("course_a.ics", "A-2026"), again = calendar("course_a2.ics", "A-2026");
  const auto other = calendar("course_b.ics", "B-2027"), by_date = calendar("course_default.ics", "");
  EXPECT_FALSE(uids_of(first).empty());
  EXPECT_EQ(first, again);
  EXPECT_EQ(shared(uids_of(first), uids_of(other)), std::set<std::string>{});
  EXPECT_EQ(shared(uids_of(first), uids_of(by_date)), std::set<std::string>{});
}

}  // namespace

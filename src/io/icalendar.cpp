// Plans as RFC 5545 iCalendar.
#include <aftermath/io/icalendar.hpp>

#include "../core/utf8.hpp"

#include <aftermath/error.hpp>
#include <aftermath/version.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>

namespace aftermath::inline io {
namespace {

constexpr std::size_t max_line_octets = 75;
constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

/// DTSTAMP's years: a calendar written before 1900 is a typo, and Boost's dates end at 9999.
constexpr int first_dtstamp_year = 1900, last_dtstamp_year = 9999;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int number_at(std::string_view s, std::size_t from, std::size_t length) {
  int value = 0;
  for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (s[i] - '0');
  return value;
}

std::string two_digits(int value) { return (value < 10 ? "0" : "") + std::to_string(value); }

/// Why `s` is not a UTC date-time DTSTAMP can carry, or nothing when it is one.
std::optional<std::string> date_time_problem(std::string_view s) {
  const std::string quoted = "'" + std::string(s) + "'";
  bool form = s.size() == 16 && s[8] == 'T' && s[15] == 'Z';
  for (std::size_t i = 0; form && i < 15; ++i) form = i == 8 || is_digit(s[i]);
  if (!form) return quoted + " is not a UTC date-time in YYYYMMDDTHHMMSSZ form";
  const int year = number_at(s, 0, 4), month = number_at(s, 4, 2), day = number_at(s, 6, 2);
  const int hour = number_at(s, 9, 2), minute = number_at(s, 11, 2), second = number_at(s, 13, 2);
  if (year < first_dtstamp_year || year > last_dtstamp_year)
    return quoted + ": the year " + std::string(s.substr(0, 4)) + " is outside " + std::to_string(first_dtstamp_year) + "-" +
           std::to_string(last_dtstamp_year);
  if (month < 1 || month > 12) return quoted + ": there is no month " + two_digits(month);
  const int days_in_month = boost::gregorian::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(year),
                                                                                   static_cast<unsigned short>(month));
  if (day < 1 || day > days_in_month)
    return quoted + ": " + std::string(s.substr(0, 4)) + "-" + two_digits(month) + " has no day " + two_digits(day);
  if (hour > 23) return quoted + ": the hour " + two_digits(hour) + " is not 00-23";
  if (minute > 59) return quoted + ": the minute " + two_digits(minute) + " is not 00-59";
  // A leap second is the last second of a UTC day, 23:59:60; no other minute has a 60th second.
  if (second > 60 || (second == 60 && (hour != 23 || minute != 59)))
    return quoted + ": the second " + two_digits(second) + " is not 00-59 (or 60, as 23:59:60, for a leap second)";
  return std::nullopt;
}

/// A host name: what the right-hand side of `hash@host` may be, so every UID is one token.
bool is_host_name(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.front() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
  });
}

/// Bytes in the UTF-8 sequence starting at `text[i]` if it is well-formed (RFC 3629), 0 otherwise.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) { return detail::decode_utf8(text, i).length; }

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

std::string basic_date(date day) { return boost::gregorian::to_iso_string(day); }

/// FNV-1a, 64 bits: a stable identifier from the item's identity.
std::string stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

/// Each field with its length in front, so that no two different lists of fields give the same
/// text (a patient "a|b" of protocol "c" is not patient "a" of protocol "b|c").
std::string identity_of(std::initializer_list<std::string_view> fields) {
  std::string out;
  for (const auto field : fields) out += std::to_string(field.size()) + ":" + std::string(field) + ";";
  return out;
}

/// Which course of the patient's the plan is: the caller's id, or the day its first session is.
std::string course_of(const treatment_plan& plan, const icalendar_options& options) {
  if (!options.course_id.empty()) return "course-id:" + options.course_id;
  const auto first = std::find_if(plan.items.begin(), plan.items.end(),
                                  [](const plan_item& item) { return item.kind == plan_item_kind::session; });
  return first == plan.items.end() ? std::string("no-session") : "first-session:" + basic_date(first->from);
}

std::string summary_of(const plan_item& item) {
  switch (item.kind) {
    case plan_item_kind::session: return "Session " + std::to_string(item.number) + (item.done ? " (done)" : "");
    case plan_item_kind::maintenance: return "Maintenance session " + std::to_string(item.number);
    case plan_item_kind::follow_up: return "Follow-up (" + item.id + ") after session " + std::to_string(item.number);
    case plan_item_kind::aftercare: return "Aftercare (" + item.id + ") after session " + std::to_string(item.number);
    case plan_item_kind::medication_pause: return "Medication pause (" + item.id + ") before session " + std::to_string(item.number);
  }
  return "Plan item";
}

void add_line(std::string& out, std::string_view line) { out += fold_icalendar_line(line) + "\r\n"; }

void add_event(std::string& out, const treatment_plan& plan, const plan_item& item, const std::string& course,
               const icalendar_options& options) {
  const std::string identity =
      identity_of({course, plan.patient, plan.protocol, to_string(item.kind), std::to_string(item.number), item.id});
  std::string description = item.text.empty() ? item.reason : item.text + "\n" + item.reason;
  add_line(out, "BEGIN:VEVENT");
  add_line(out, "UID:" + stable_hash(identity) + "@" + options.uid_domain);
  add_line(out, "DTSTAMP:" + options.dtstamp);
  add_line(out, "DTSTART;VALUE=DATE:" + basic_date(item.from));
  add_line(out, "DTEND;VALUE=DATE:" + basic_date(item.until + boost::gregorian::days(1)));
  add_line(out, "SUMMARY:" + escape_icalendar_text(summary_of(item)));
  add_line(out, "DESCRIPTION:" + escape_icalendar_text(description + "\n" + plan.notice));
  add_line(out, "CATEGORIES:" + escape_icalendar_text(std::string(to_string(item.kind))));
  add_line(out, "TRANSP:TRANSPARENT");
  add_line(out, "END:VEVENT");
}

}  // namespace

std::vector<input_problem> check_icalendar_options(const icalendar_options& options) {
  std::vector<input_problem> problems;
  if (const auto problem = date_time_problem(options.dtstamp)) problems.push_back({"dtstamp", *problem});
  if (!is_host_name(options.uid_domain))
    problems.push_back({"uid_domain", "'" + options.uid_domain + "' is not a host name (letters, digits, '.', '-')"});
  return problems;
}

std::string escape_icalendar_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) out += replacement_character, ++i;
      else out.append(text.substr(i, length)), i += length;
      continue;
    }
    if (c == '\\' || c == ';' || c == ',') out += '\\', out += c;
    else if (c == '\r' || c == '\n') {
      out += "\\n";
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;  // CRLF is one line break
    } else if (c == '\t' || !is_control(byte)) out += c;
    else out += replacement_character;
    ++i;
  }
  return out;
}

std::string fold_icalendar_line(std::string_view line) {
  std::string out;
  std::size_t octets = 0;  // on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    // A character: its first byte and the continuation bytes after it (at most three), so a fold
    // never falls inside one, whatever the lead byte claims.
    std::size_t length = 1;
    while (length < 4 && i + length < line.size() && (static_cast<unsigned char>(line[i + length]) & 0xC0) == 0x80) ++length;
    if (octets + length > max_line_octets) {
      out += "\r\n ";
      octets = 1;
    }
    out.append(line.substr(i, length));
    octets += length;
    i += length;
  }
  return out;
}

std::string to_icalendar(const treatment_plan& plan, const icalendar_options& options) {
  if (auto problems = check_icalendar_options(options); !problems.empty()) throw input_error(std::move(problems));
  const std::string course = course_of(plan, options);
  std::string out;
  add_line(out, "BEGIN:VCALENDAR");
  add_line(out, "VERSION:2.0");
  add_line(out, "PRODID:-//aftermath//aftermath " + std::string(version_string) + "//EN");
  add_line(out, "CALSCALE:GREGORIAN");
  add_line(out, "X-WR-CALNAME:" + escape_icalendar_text("Treatment plan " + plan.patient));
  for (const auto& item : plan.items) add_event(out, plan, item, course, options);
  add_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace aftermath::io

// aftermath: a plan as iCalendar (RFC 5545), for the patient's or the clinic's calendar.
//
// One VEVENT per plan item, all-day (sessions and follow-ups on their day; aftercare windows and
// medication pauses over their days, DTEND being the day after the last). Lines end in CRLF and
// are folded at 75 octets without splitting a UTF-8 character.
//
// Text (the calendar's name, SUMMARY, DESCRIPTION, CATEGORIES) is RFC 5545 TEXT: backslash,
// semicolon and comma are escaped; a line break (CR, LF or CRLF) becomes `\n`, so words on either
// side of a lone CR never join; HTAB stays; every other control character (U+0000–U+001F,
// U+007F, which RFC 5545 §3.1 forbids) and every byte that is not UTF-8 becomes U+FFFD, as in the
// charts. A patient id like `ctl\u0001id` still gives a calendar, with the odd character visible.
//
// UIDs are `<16 hex digits>@<uid_domain>`, a hash of the course, the patient, the protocol and the
// item (kind, number, id), not of the item's date: a rescheduled session updates its calendar
// entry instead of adding one, and a second course for the same patient and protocol adds its
// own entries instead of overwriting the first's. The course is `course_id` when given, else the
// date of the plan's first session. The same plan and options give the same bytes.
//
// The library never reads the clock: DTSTAMP is the caller's.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/error.hpp>
#include <aftermath/plan.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace aftermath::inline io {

struct icalendar_options {
  /// When the calendar was written: a UTC date-time YYYYMMDDTHHMMSSZ (RFC 5545 §3.3.5) on a real
  /// day of the years 1900–9999, hours 00–23, minutes 00–59, seconds 00–59, or 60 for a leap
  /// second (23:59:60 only).
  std::string dtstamp;
  /// The right-hand side of every UID: a host name (letters, digits, '.', '-').
  std::string uid_domain = "aftermath.plan";
  /// Which course of the patient's this plan is, e.g. the clinic's record of it; any text (it is
  /// hashed into the UIDs, never written). Empty: the date of the plan's first session. Pass it
  /// when the first session itself may be rescheduled before it takes place, so that the UIDs
  /// stay.
  std::string course_id{};
};

/// Every problem with the options, each with its path (`dtstamp`, `uid_domain`) and why.
[[nodiscard]] std::vector<input_problem> check_icalendar_options(const icalendar_options& options);

/// Throws input_error naming every problem check_icalendar_options finds.
[[nodiscard]] std::string to_icalendar(const treatment_plan& plan, const icalendar_options& options);

/// RFC 5545 TEXT (§3.3.11): `\` `;` `,` escaped, CR, LF and CRLF as `\n`, HTAB kept, other
/// control characters and bytes that are not UTF-8 as U+FFFD.
[[nodiscard]] std::string escape_icalendar_text(std::string_view text);

/// Folds one content line (without its CRLF) into lines of at most 75 octets, continuation
/// lines starting with a space; never splits a UTF-8 sequence.
[[nodiscard]] std::string fold_icalendar_line(std::string_view line);

}  // namespace aftermath::io

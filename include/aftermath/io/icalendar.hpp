// aftermath: a plan as iCalendar (RFC 5545), for the patient's or the clinic's calendar.
//
// One VEVENT per plan item, all-day (sessions and follow-ups on their day; aftercare windows and
// medication pauses over their days, DTEND being the day after the last). UIDs are stable: they
// depend on the patient, the protocol and the item (kind, number, id), not on its date, so a
// rescheduled session updates the calendar entry instead of adding one. Text is escaped
// (backslash, semicolon, comma, newline) and lines are folded at 75 octets without splitting a
// UTF-8 character; lines end in CRLF. The library never reads the clock: DTSTAMP is the
// caller's.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/plan.hpp>

#include <string>
#include <string_view>

namespace aftermath::inline io {

struct icalendar_options {
  /// When the calendar was written, UTC, as YYYYMMDDTHHMMSSZ.
  std::string dtstamp;
  /// The right-hand side of every UID.
  std::string uid_domain = "aftermath.plan";
};

/// Throws input_error when dtstamp is not a UTC date-time (YYYYMMDDTHHMMSSZ).
[[nodiscard]] std::string to_icalendar(const treatment_plan& plan, const icalendar_options& options);

/// RFC 5545 TEXT escaping: \\ ; , and newlines.
[[nodiscard]] std::string escape_icalendar_text(std::string_view text);

/// Folds one content line (without its CRLF) into lines of at most 75 octets, continuation
/// lines starting with a space; never splits a UTF-8 sequence.
[[nodiscard]] std::string fold_icalendar_line(std::string_view line);

}  // namespace aftermath::io

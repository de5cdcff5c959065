// Reading holiday rules and clinic calendars (the built-in sets and planning requests).
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include "json_reader.hpp"

#include <aftermath/calendar.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath::inline io {

/// The built-in holiday set ids, comma-separated, for messages.
std::string known_holiday_sets();

/// "Mon" … "Sun" (or the full English name, any case) → 0 = Sunday … 6 = Saturday.
std::optional<int> parse_weekday(std::string_view text);

/// One rule: {"name", and "month"+"day" | "month"+"weekday"+"week" (1–4 or "last") |
/// "easter_offset" | "date" (a one-off day, YYYY-MM-DD); optional "observed", "source" and, but
/// for a one-off day, "from_year", "until_year", "except_years"}.
holiday_rule read_holiday_rule(reader& in, const json& object, const std::string& path);

/// {"holiday_sets": [{"id", "name", "source", "rules": [...]}]}; throws input_error.
std::vector<holiday_set> parse_holiday_sets(std::string_view json_text, std::string_view source);

/// {"open_weekdays": [...], "closures": [dates], "holidays": [set ids or rules]}.
clinic_calendar read_calendar(reader& in, const json& object, const std::string& path);

}  // namespace aftermath::io

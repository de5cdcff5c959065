// ISO 8601 calendar dates and times of day, strictly: YYYY-MM-DD and HH:MM.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include "json_reader.hpp"

#include <aftermath/profile.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace aftermath::inline io {

/// The date, or nullopt with `why` set ("is not a date", "is not in YYYY-MM-DD form").
std::optional<date> parse_iso_date(std::string_view text, std::string& why);
/// Minutes since midnight, or nullopt with `why` set.
std::optional<int> parse_time_of_day(std::string_view text, std::string& why);
/// A profile object at `path` checked against the model; a planning request's profile may come
/// without sessions (a new course).
profile read_profile(reader& in, const json& root, const std::string& path, const model& model, bool sessions_required);
/// The date string at `path`, or nullopt with a problem recorded.
std::optional<date> read_date(reader& in, const json& value, const std::string& path);

}  // namespace aftermath::io

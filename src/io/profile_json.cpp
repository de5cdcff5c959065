// The profile: a patient's treatment, risk factors, procedure and sessions.
#include "dates.hpp"
#include "json_reader.hpp"
#include "../core/checks.hpp"

#include <aftermath/io/json.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cctype>

namespace aftermath::inline io {

namespace {
bool all_digits(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
}  // namespace

std::optional<date> parse_iso_date(std::string_view text, std::string& why) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
      !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
    why = "'" + std::string(text) + "' is not in YYYY-MM-DD form";
    return std::nullopt;
  }
  const int y = std::stoi(std::string(text.substr(0, 4)));
  const int m = std::stoi(std::string(text.substr(5, 2)));
  const int d = std::stoi(std::string(text.substr(8, 2)));
  try {
    return date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
  } catch (const std::out_of_range&) {
    why = std::string(text) + " is not a date";
    return std::nullopt;
  }
}

std::optional<int> parse_time_of_day(std::string_view text, std::string& why) {
  if (text.size() != 5 || text[2] != ':' || !all_digits(text.substr(0, 2)) || !all_digits(text.substr(3, 2))) {
    why = "'" + std::string(text) + "' is not in HH:MM form";
    return std::nullopt;
  }
  const int h = std::stoi(std::string(text.substr(0, 2)));
  const int m = std::stoi(std::string(text.substr(3, 2)));
  if (h > 23 || m > 59) {
    why = std::string(text) + " is not a time of day";
    return std::nullopt;
  }
  return h * 60 + m;
}


std::optional<date> read_date(reader& in, const json& value, const std::string& path) {
  if (!value.is_string()) {
    in.fail(path, "is " + describe_type(value) + ", but must be a date string (YYYY-MM-DD)");
    return std::nullopt;
  }
  std::string why;
  auto parsed = parse_iso_date(value.get<std::string>(), why);
  if (!parsed) in.fail(path, why);
  return parsed;
}

namespace {

std::optional<session_date> read_session(reader& in, const json& value, const std::string& path) {
  if (value.is_string()) {
    auto day = read_date(in, value, path);
    return day ? std::optional<session_date>({*day, std::nullopt}) : std::nullopt;
  }
  if (!value.is_object()) {
    in.fail(path, "is " + describe_type(value) + ", but must be a date or {\"date\", \"time\"}");
    return std::nullopt;
  }
  in.reject_unknown_keys(value, path, {"date", "time"});
  const json* day_value = in.member(value, path, "date", true);
  const auto day = day_value ? read_date(in, *day_value, member_path(path, "date")) : std::nullopt;
  std::optional<int> minute;
  if (const json* time = in.member(value, path, "time", false)) {
    std::string why;
    if (!time->is_string()) in.fail(member_path(path, "time"), "is " + describe_type(*time) + ", but must be HH:MM");
    else if (!(minute = parse_time_of_day(time->get<std::string>(), why))) in.fail(member_path(path, "time"), why);
  }
  return day ? std::optional<session_date>({*day, minute}) : std::nullopt;
}

/// A risk factor; on a problem, what could be read (an empty id is skipped by the id checks),
/// so that positions in the list stay the positions in the file.
risk_factor read_risk_factor(reader& in, const json& value, const std::string& path) {
  if (value.is_string()) return {value.get<std::string>(), std::nullopt};
  if (!value.is_object()) {
    in.fail(path, "is " + describe_type(value) + ", but must be a modifier id or {\"id\", \"stopped_on\"}");
    return {};
  }
  in.reject_unknown_keys(value, path, {"id", "stopped_on"});
  risk_factor factor{in.string(value, path, "id"), std::nullopt};
  if (const json* stopped = in.member(value, path, "stopped_on", false))
    factor.stopped_on = read_date(in, *stopped, member_path(path, "stopped_on"));
  return factor;
}

}  // namespace

profile read_profile(reader& in, const json& root, const std::string& path, const model& model, bool sessions_required) {
  profile out;
  if (!in.expect_object(root, path)) return out;
  in.reject_unknown_keys(root, path, {"patient", "treatment", "protocol", "risk_factors", "procedure", "sessions"});
  out.patient = in.string(root, path, "patient", false);
  out.treatment = in.string(root, path, "treatment", false);
  out.protocol = in.string(root, path, "protocol", false);
  out.procedure = in.string_list(root, path, "procedure");

  const std::string factors_path = member_path(path, "risk_factors"), sessions_path = member_path(path, "sessions");
  if (const json* factors = in.member(root, path, "risk_factors", false); factors && in.expect_array(*factors, factors_path))
    for (std::size_t i = 0; i < factors->size(); ++i)
      out.risk_factors.push_back(read_risk_factor(in, (*factors)[i], index_path(factors_path, i)));
  bool session_dropped = false;  // reported already; the order of what is left would mislead
  if (const json* sessions = in.member(root, path, "sessions", sessions_required); sessions && in.expect_array(*sessions, sessions_path))
    for (std::size_t i = 0; i < sessions->size(); ++i) {
      if (auto session = read_session(in, (*sessions)[i], index_path(sessions_path, i))) out.sessions.push_back(*session);
      else session_dropped = true;
    }

  auto problems = check_profile(model, out);
  if (sessions_required) detail::check_stops_before_last_session(out, problems);
  const auto reported = in.problems();  // a field the reader named already is not named twice
  for (auto& problem : problems) {
    if (session_dropped && problem.path.starts_with("sessions")) continue;
    if (!sessions_required && problem.path == "sessions" && out.sessions.empty()) continue;
    const std::string at = path.empty() ? problem.path : path + "." + problem.path;
    if (std::any_of(reported.begin(), reported.end(), [&](const input_problem& r) { return r.path == at; })) continue;
    in.fail(at, problem.message, problem.code);
  }
  return out;
}


profile parse_profile(std::string_view json_text, const model& model, std::string_view source) {
  const json root = parse_json_text(json_text, source);
  reader in;
  if (!in.expect_object(root, "")) in.throw_if_failed(source);
  profile out = read_profile(in, root, "", model, true);
  in.set_source(source);
  in.throw_if_failed();
  return out;
}

}  // namespace aftermath::io

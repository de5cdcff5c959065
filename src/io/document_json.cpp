// The documents of the service boundary (aftermath/service/documents.hpp): an input error, a
// failure and the leaflet, as JSON. A message may quote what the caller sent: bytes that are not
// UTF-8 are written as U+FFFD rather than failing the error report itself.
#include "json_reader.hpp"

#include <aftermath/io/json.hpp>

namespace aftermath::inline io {

std::string to_json(const input_error& error, int indent) {
  json problems = json::array();
  for (const auto& problem : error.problems()) {
    json entry = json::object();
    if (!problem.source.empty()) entry["source"] = problem.source;
    if (!problem.path.empty()) entry["path"] = problem.path;
    entry["code"] = to_string(problem.code);
    entry["message"] = problem.message;
    problems.push_back(std::move(entry));
  }
  return json{{"error", "bad_input"}, {"problems", std::move(problems)}}.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string failure_json(std::string_view message, int indent) { return error_json("failed", message, indent); }

std::string error_json(std::string_view error, std::string_view message, int indent) {
  return json{{"error", error}, {"message", message}}.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string leaflet_json(std::string_view html, std::string_view markdown, const std::vector<std::string>& clinic_warnings, int indent) {
  return json{{"html", html}, {"markdown", markdown}, {"clinic_warnings", clinic_warnings}}.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace aftermath::io

#include "json_reader.hpp"

#include "../core/messages.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace aftermath::inline io {

namespace {
using detail::format_number;

/// Line and column (1-based) of a byte offset.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return {line, column};
}
}  // namespace

json parse_json_text(std::string_view text, std::string_view source) {
  // nlohmann keeps the last of two equal keys; a second "sessions" must not silently win.
  std::vector<std::vector<std::string>> keys_per_object;
  std::vector<input_problem> duplicates;
  const json::parser_callback_t check_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys_per_object.emplace_back();
    if (event == json::parse_event_t::object_end && !keys_per_object.empty()) keys_per_object.pop_back();
    if (event == json::parse_event_t::key && !keys_per_object.empty()) {
      auto& seen = keys_per_object.back();
      const auto key = parsed.get<std::string>();
      if (std::find(seen.begin(), seen.end(), key) != seen.end())
        duplicates.push_back({"", "key '" + key + "' appears twice in one object", problem_code::malformed, std::string(source)});
      seen.push_back(key);
    }
    return true;
  };
  try {
    json document = json::parse(text.begin(), text.end(), check_keys);
    if (!duplicates.empty()) throw input_error(std::move(duplicates));
    return document;
  } catch (const json::parse_error& error) {
    const auto [line, column] = line_and_column(text, error.byte == 0 ? 0 : error.byte - 1);
    // nlohmann: "[json.exception.parse_error.101] parse error at line L, column C: <what>".
    std::string what = error.what();
    if (const auto at = what.find(", column "); at != std::string::npos)
      if (const auto colon = what.find(": ", at); colon != std::string::npos) what = what.substr(colon + 2);
    throw input_error(std::vector<input_problem>{{"", "malformed JSON at line " + std::to_string(line) + ", column " +
                                                          std::to_string(column) + ": " + what,
                                                  problem_code::malformed, std::string(source)}});
  }
}

std::string member_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

bool number_range::contains(double x) const {
  if (!std::isfinite(x)) return false;
  const bool above = low_open ? x > low : x >= low;
  const bool below = high_open ? x < high : x <= high;
  return above && below;
}

std::string number_range::describe() const {
  const bool unbounded_high = high >= 1e299;
  if (unbounded_high) return (low_open ? "> " : ">= ") + format_number(low);
  return std::string(low_open ? "(" : "[") + format_number(low) + ", " + format_number(high) + (high_open ? ")" : "]");
}

std::string describe_type(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

void reader::throw_if_failed() {
  if (!problems_.empty()) throw input_error(problems_);
}

bool reader::expect_object(const json& value, const std::string& path) {
  if (value.is_object()) return true;
  fail(path.empty() ? "(top level)" : path, "is " + describe_type(value) + ", but must be an object");
  return false;
}

bool reader::expect_array(const json& value, const std::string& path) {
  if (value.is_array()) return true;
  fail(path, "is " + describe_type(value) + ", but must be an array");
  return false;
}

void reader::reject_unknown_keys(const json& object, const std::string& path, std::span<const std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (auto k : known) found = found || k == key;
    if (found) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    fail(member_path(path, key), "unknown field (known: " + list + ")");
  }
}

const json* reader::member(const json& object, const std::string& path, std::string_view key, bool required) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(key));
  if (it == object.end()) {
    if (required) fail(member_path(path, key), "is missing");
    return nullptr;
  }
  return &*it;
}

std::string reader::string(const json& object, const std::string& path, std::string_view key, bool required) {
  const json* value = member(object, path, key, required);
  if (!value) return {};
  if (!value->is_string()) {
    fail(member_path(path, key), "is " + describe_type(*value) + ", but must be a string");
    return {};
  }
  return value->get<std::string>();
}

bool reader::boolean(const json& object, const std::string& path, std::string_view key, bool required) {
  const json* value = member(object, path, key, required);
  if (!value) return false;
  if (!value->is_boolean()) {
    fail(member_path(path, key), "is " + describe_type(*value) + ", but must be true or false");
    return false;
  }
  return value->get<bool>();
}

std::optional<double> reader::number(const json& object, const std::string& path, std::string_view key, bool required,
                                     number_range range) {
  const json* value = member(object, path, key, required);
  if (!value) return std::nullopt;
  if (!value->is_number()) {
    fail(member_path(path, key), "is " + describe_type(*value) + ", but must be a number");
    return std::nullopt;
  }
  const double x = value->get<double>();
  if (!range.contains(x)) {
    fail(member_path(path, key), "is " + format_number(x) + ", but must be " + (range.high >= 1e299 ? "" : "in ") + range.describe(),
         problem_code::out_of_range);
    return std::nullopt;
  }
  return x;
}

std::vector<std::string> reader::string_list(const json& object, const std::string& path, std::string_view key) {
  std::vector<std::string> out;
  const json* value = member(object, path, key, false);
  if (!value) return out;
  const std::string here = member_path(path, key);
  if (!expect_array(*value, here)) return out;
  for (std::size_t i = 0; i < value->size(); ++i) {
    if ((*value)[i].is_string()) out.push_back((*value)[i].get<std::string>());
    else fail(index_path(here, i), "is " + describe_type((*value)[i]) + ", but must be a string");
  }
  return out;
}

parameter reader::param(const json& object, const std::string& path, std::string_view key, number_range range) {
  return optional_param(object, path, key, range, true).value_or(parameter{});
}

std::optional<parameter> reader::optional_param(const json& object, const std::string& path, std::string_view key,
                                                number_range range, bool required) {
  const json* value = member(object, path, key, required);
  if (!value) return std::nullopt;
  const std::string here = member_path(path, key);
  if (!expect_object(*value, here)) return std::nullopt;
  reject_unknown_keys(*value, here, {"value", "evidence", "assumption", "note"});
  parameter out;
  const auto x = number(*value, here, "value", true, range);
  out.value = x.value_or(0.0);
  out.evidence = string_list(*value, here, "evidence");
  for (std::size_t i = 0; i < out.evidence.size(); ++i) cite(index_path(member_path(here, "evidence"), i), out.evidence[i]);
  out.assumption = string(*value, here, "assumption", false);
  out.note = string(*value, here, "note", false);
  if (out.evidence.empty() && out.assumption.empty())
    fail(here, "carries neither evidence nor an assumption; every number needs one");
  return x ? std::optional<parameter>(out) : std::nullopt;
}

}  // namespace aftermath::io

#include "json_reader.hpp"

#include "../core/messages.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace aftermath::inline io {

using detail::format_number;

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

void reader::fail(std::string path, std::string message, problem_code code) {
  if (problems_.size() < default_json_limits.max_listed_problems) problems_.push_back({std::move(path), std::move(message), code, {}});
  else ++unlisted_;
}

void reader::throw_if_failed() {
  if (problems_.empty()) return;
  if (unlisted_ > 0)
    problems_.push_back({"(top level)", "and " + std::to_string(unlisted_) + " more problems, not listed", problems_.back().code,
                         problems_.back().source});
  throw input_error(problems_);
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
  reject_unknown_keys(*value, here, {"value", "evidence", "assumption", "note", "uncertainty"});
  parameter out;
  const auto x = number(*value, here, "value", true, range);
  out.value = x.value_or(0.0);
  read_provenance(*value, here, out.evidence, out.assumption, out.note, "every number needs one");
  if (const json* stated = member(*value, here, "uncertainty", false); stated && x)
    out.uncertainty = uncertainty(*stated, member_path(here, "uncertainty"), *x, range);
  return x ? std::optional<parameter>(out) : std::nullopt;
}

void reader::read_provenance(const json& object, const std::string& path, std::vector<std::string>& evidence, std::string& assumption,
                             std::string& note, std::string_view why_needed) {
  evidence = string_list(object, path, "evidence");
  for (std::size_t i = 0; i < evidence.size(); ++i) cite(index_path(member_path(path, "evidence"), i), evidence[i]);
  assumption = string(object, path, "assumption", false);
  note = string(object, path, "note", false);
  if (evidence.empty() && assumption.empty()) fail(path, "carries neither evidence nor an assumption; " + std::string(why_needed));
}

// A stated uncertainty: a source's 95 % interval around the value, within the value's own range
// (so that its scale, log or logit, can carry it), or an SD on the number's scale.
std::optional<stated_uncertainty> reader::uncertainty(const json& object, const std::string& path, double value, number_range range) {
  if (!expect_object(object, path)) return std::nullopt;
  reject_unknown_keys(object, path, {"interval_95", "sd", "evidence", "assumption", "note"});
  stated_uncertainty out;
  read_provenance(object, path, out.evidence, out.assumption, out.note, "an uncertainty needs one, as every number does");
  out.sd = number(object, path, "sd", false, number_range::closed(0.0, 3.0));
  if (const json* interval = member(object, path, "interval_95", false)) {
    const std::string here = member_path(path, "interval_95");
    if (!interval->is_array() || interval->size() != 2 || !(*interval)[0].is_number() || !(*interval)[1].is_number())
      fail(here, "must be [low, high], two numbers");
    else {
      const double low = (*interval)[0].get<double>(), high = (*interval)[1].get<double>();
      if (!range.contains(low) || !range.contains(high))
        fail(here, "must lie within the value's range " + range.describe(), problem_code::out_of_range);
      else if (!(low <= value && value <= high && low < high))
        fail(here, "[" + format_number(low) + ", " + format_number(high) + "] must hold the value " + format_number(value), problem_code::conflict);
      else out.interval_95 = std::array{low, high};
    }
  }
  if (out.sd.has_value() == out.interval_95.has_value() && ok())
    fail(path, "needs one of interval_95 and sd", problem_code::conflict);
  return out;
}

}  // namespace aftermath::io

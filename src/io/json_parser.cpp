// Parsing untrusted JSON in linear time and bounded memory, naming the path of every problem.
//
// nlohmann's own DOM parser keeps the last of two equal keys, inserts each member of an ordered
// object by searching the ones before it (quadratic in the members of one object) and throws its
// own exceptions without a path. This builder takes nlohmann's SAX events instead: it appends
// members, finds duplicate keys by sorting each object's keys once, enforces json_limits as it goes and records every
// problem with the path of the value it concerns.
#include "json_reader.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace aftermath::inline io {

namespace {

/// Line and column (1-based) of a byte offset.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return {line, column};
}

std::string top_level_if_empty(std::string path) { return path.empty() ? "(top level)" : path; }

/// nlohmann: "[json.exception.parse_error.101] parse error at line L, column C: <what>; last read:
/// '<bytes>'"; keeps <what>. The bytes last read are left out: they may be the invalid UTF-8 that
/// stopped the parse, and the message must stay printable (and writable as JSON).
std::string reason_of(const nlohmann::detail::exception& error) {
  std::string what = error.what();
  if (const auto at = what.find(", column "); at != std::string::npos)
    if (const auto colon = what.find(": ", at); colon != std::string::npos) what = what.substr(colon + 2);
  if (const auto last_read = what.find("; last read: "); last_read != std::string::npos) what.resize(last_read);
  return what;
}

class bounded_builder {
 public:
  bounded_builder(std::string_view text, const json_limits& limits) : text_(text), limits_(limits) {}

  json& document() { return root_; }
  std::vector<input_problem>& problems() { return problems_; }

  bool null() { return place(nullptr); }
  bool boolean(bool value) { return place(value); }
  bool number_integer(json::number_integer_t value) { return place(value); }
  bool number_unsigned(json::number_unsigned_t value) { return place(value); }
  bool number_float(json::number_float_t value, const json::string_t&) { return place(value); }
  bool string(json::string_t& value) {
    return (value.size() <= limits_.max_string_bytes || refuse_long_string(value.size(), slot_path())) && place(std::move(value));
  }
  bool binary(json::binary_t&) { return refuse(slot_path(), "is binary data, which JSON text cannot hold"); }

  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() {
    report_duplicate_keys(frames_.back());
    return close();
  }
  bool end_array() { return close(); }

  bool key(json::string_t& key) {
    frame& object = frames_.back();
    object.key = std::move(key);
    return object.key.size() <= limits_.max_string_bytes || refuse_long_string(object.key.size(), member_path(object.path, object.key));
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) {
    if (error.id == 406)  // out_of_range.406: the lexer read a number no double can hold
      return refuse(slot_path(), "is a number too large for a double (" + token_at(position) + ")", problem_code::out_of_range);
    const auto [line, column] = line_and_column(text_, position == 0 ? 0 : position - 1);
    record(top_level_if_empty(slot_path()),
           "malformed JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + reason_of(error),
           problem_code::malformed);
    return false;
  }

 private:
  struct frame {
    json* container;
    std::string path;
    std::size_t members = 0;
    std::string key;  // the member being read, for objects
  };

  /// The path of the value about to be read: the pending member, or the next array item.
  std::string slot_path() const {
    if (frames_.empty()) return "";
    const frame& parent = frames_.back();
    return parent.container->is_object() ? member_path(parent.path, parent.key) : index_path(parent.path, parent.members);
  }

  /// Puts a finished value where it belongs and returns it.
  json* insert(json value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    frame& parent = frames_.back();
    ++parent.members;
    if (parent.container->is_array()) {
      auto& items = *parent.container->get_ptr<json::array_t*>();
      items.push_back(std::move(value));
      return &items.back();
    }
    // Appended without nlohmann's search for an equal key: duplicates were found by hashing.
    auto& members = static_cast<json::object_t::Container&>(*parent.container->get_ptr<json::object_t*>());
    members.emplace_back(std::move(parent.key), std::move(value));
    return &members.back().second;
  }

  bool within_container_limit() {
    if (frames_.empty()) return true;
    const frame& parent = frames_.back();
    const bool array = parent.container->is_array();
    const std::size_t limit = array ? limits_.max_array_items : limits_.max_object_members;
    if (parent.members < limit) return true;
    return refuse(top_level_if_empty(parent.path), std::string("has more than ") + std::to_string(limit) +
                                                       (array ? " items" : " members") + ", the limit for one " +
                                                       (array ? "array" : "object"));
  }

  bool refuse_long_string(std::size_t bytes, const std::string& path) {
    return refuse(top_level_if_empty(path),
                  "is a string of " + std::to_string(bytes) + " bytes, more than the limit of " + std::to_string(limits_.max_string_bytes));
  }

  /// Sorting the finished object's keys finds every duplicate in O(n log n) without a copy of
  /// any key: a hash set of 10^5 keys cost more in allocation and cache misses than the sort.
  void report_duplicate_keys(const frame& object) {
    const auto& members = *object.container->get_ptr<const json::object_t*>();
    if (members.size() < 2) return;
    std::vector<std::string_view> keys;
    keys.reserve(members.size());
    for (const auto& member : members) keys.emplace_back(member.first);
    std::sort(keys.begin(), keys.end());
    for (auto first = keys.begin(); first != keys.end();) {
      const auto last = std::find_if(first, keys.end(), [&](std::string_view key) { return key != *first; });
      if (const auto times = last - first; times > 1)
        record(member_path(object.path, *first),
               times == 2 ? "appears twice in one object" : "appears " + std::to_string(times) + " times in one object",
               problem_code::malformed);
      first = last;
    }
  }

  bool place(json value) {
    if (!within_container_limit()) return false;
    insert(std::move(value));
    return true;
  }

  bool open(json empty) {
    if (frames_.size() >= limits_.max_depth)
      return refuse(top_level_if_empty(slot_path()),
                    "is nested more than " + std::to_string(limits_.max_depth) + " objects or arrays deep, the limit");
    if (!within_container_limit()) return false;
    std::string path = slot_path();
    frames_.push_back({insert(std::move(empty)), std::move(path), 0, {}});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  /// The number the lexer stopped in, read from the text (nlohmann's token string escapes it).
  std::string token_at(std::size_t position) const {
    std::size_t end = std::min(position, text_.size()), begin = end;
    const auto numeric = [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; };
    while (begin > 0 && numeric(text_[begin - 1])) --begin;
    while (end < text_.size() && numeric(text_[end])) ++end;
    constexpr std::size_t shown = 40;
    const std::string token(text_.substr(begin, std::min(end - begin, shown)));
    return end - begin > shown ? token + "…" : token;
  }

  void record(std::string path, std::string message, problem_code code) {
    problems_.push_back({std::move(path), std::move(message), code, {}});
  }

  /// Records a problem that stops the parse.
  bool refuse(std::string path, std::string message, problem_code code = problem_code::out_of_range) {
    record(std::move(path), std::move(message), code);
    return false;
  }

  std::string_view text_;
  const json_limits& limits_;
  json root_;
  std::vector<frame> frames_;
  std::vector<input_problem> problems_;
};

}  // namespace

json parse_json_text(std::string_view text, std::string_view source, const json_limits& limits) {
  const auto refuse = [&](std::vector<input_problem> problems) {
    for (auto& problem : problems) problem.source = std::string(source);
    return input_error(std::move(problems));
  };
  if (text.size() > limits.max_document_bytes)
    throw refuse({{"(top level)",
                   "is " + std::to_string(text.size()) + " bytes, more than the limit of " + std::to_string(limits.max_document_bytes),
                   problem_code::out_of_range}});
  bounded_builder builder(text, limits);
  json::sax_parse(text.begin(), text.end(), &builder);
  if (!builder.problems().empty()) throw refuse(std::move(builder.problems()));
  return std::move(builder.document());
}

}  // namespace aftermath::io

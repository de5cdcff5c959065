// Reading untrusted JSON while collecting every problem with its path.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/error.hpp>
#include <aftermath/io/json_limits.hpp>
#include <aftermath/model.hpp>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath::inline io {

using json = nlohmann::ordered_json;

/// Parses text in time linear in its size; throws input_error with `source`, each problem with
/// the path of the value it concerns: "malformed JSON at line L, column C: …" and a key given
/// twice in one object (malformed), a number too large for a double and a bound of `limits`
/// crossed (out_of_range).
json parse_json_text(std::string_view text, std::string_view source, const json_limits& limits = default_json_limits);

std::string member_path(const std::string& path, std::string_view key);
std::string index_path(const std::string& path, std::size_t index);

/// A closed or open interval for numbers, with its own wording ("[0, 10]", "(0, 1)", "> 0").
struct number_range {
  double low = -1e300;
  double high = 1e300;
  bool low_open = false;
  bool high_open = false;

  // constexpr so that the model file's field tables are constant-initialised: other translation
  // units may read the model while their own statics start.
  static constexpr number_range positive() { return {0.0, 1e300, true, false}; }
  static constexpr number_range non_negative() { return {0.0, 1e300, false, false}; }
  static constexpr number_range open(double lo, double hi) { return {lo, hi, true, true}; }
  static constexpr number_range closed(double lo, double hi) { return {lo, hi, false, false}; }
  static constexpr number_range left_open(double lo, double hi) { return {lo, hi, true, false}; }  ///< (lo, hi]
  bool contains(double x) const;
  std::string describe() const;
};

/// Reads values out of a JSON document, recording a problem (with path) for each thing wrong
/// instead of stopping at the first.
class reader {
 public:
  /// Records a problem; one recorded without a code is malformed (wrong type, syntax or key).
  /// Past json_limits::max_listed_problems, problems are only counted.
  void fail(std::string path, std::string message, problem_code code = problem_code::malformed);
  bool ok() const { return problems_.empty(); }
  std::vector<input_problem>& problems() { return problems_; }
  /// Names the input every problem recorded so far was found in ("profile", a file name).
  void set_source(std::string_view source) {
    for (auto& problem : problems_) problem.source = std::string(source);
  }
  /// Every evidence key a parameter cited, with its path, to check against the evidence table.
  const std::vector<std::pair<std::string, std::string>>& evidence_citations() const { return citations_; }
  void cite(std::string path, std::string key) { citations_.emplace_back(std::move(path), std::move(key)); }
  /// Throws input_error when anything was recorded, the unlisted problems counted in a last one.
  void throw_if_failed();
  /// The same, every problem named as found in `source` first.
  void throw_if_failed(std::string_view source) {
    set_source(source);
    throw_if_failed();
  }

  bool expect_object(const json& value, const std::string& path);
  bool expect_array(const json& value, const std::string& path);
  /// Records a problem for each key not in `known`.
  void reject_unknown_keys(const json& object, const std::string& path, std::span<const std::string_view> known);
  void reject_unknown_keys(const json& object, const std::string& path, std::initializer_list<std::string_view> known) {
    reject_unknown_keys(object, path, std::span<const std::string_view>(known.begin(), known.size()));
  }

  /// The member, or nullptr (and a problem if required).
  const json* member(const json& object, const std::string& path, std::string_view key, bool required);
  std::string string(const json& object, const std::string& path, std::string_view key, bool required = true);
  /// A true/false member; false when absent and not required.
  bool boolean(const json& object, const std::string& path, std::string_view key, bool required = false);
  /// A number member; a value outside `range` is recorded as out_of_range.
  std::optional<double> number(const json& object, const std::string& path, std::string_view key, bool required,
                               number_range range = {});
  std::vector<std::string> string_list(const json& object, const std::string& path, std::string_view key);
  /// A parameter object: {"value", "evidence" and/or "assumption", "note"}.
  parameter param(const json& object, const std::string& path, std::string_view key, number_range range);
  std::optional<parameter> optional_param(const json& object, const std::string& path, std::string_view key,
                                          number_range range, bool required = false);
  /// `evidence`, `assumption` and `note` of a number or an uncertainty; one of the first two is needed.
  void read_provenance(const json& object, const std::string& path, std::vector<std::string>& evidence, std::string& assumption,
                       std::string& note, std::string_view why_needed);

 private:
  std::optional<stated_uncertainty> uncertainty(const json& object, const std::string& path, double value, number_range range);

  std::vector<input_problem> problems_;
  std::size_t unlisted_ = 0;
  std::vector<std::pair<std::string, std::string>> citations_;
};

/// "a number", "a string", ... for messages.
std::string describe_type(const json& value);

}  // namespace aftermath::io

// aftermath: errors for untrusted input.
//
// Everything read from outside (model files, profiles, reports, requests) is validated at the
// boundary. A failure throws input_error listing every problem found, each with the input it
// concerns, the JSON path within it and a code, e.g. `profile: sessions[2].date: 2026-02-30 is
// not a date` (malformed). Programs react to the code and the path; people read the message.
// Domain outcomes (slower than expected, no feasible plan) are values, never exceptions.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aftermath {

/// What kind of problem an input has, for programs that react to it (a form that marks the
/// field, an HTTP 4xx body) without reading the English.
enum class problem_code {
  unknown_id,    ///< an id the model does not have: effect, modifier, treatment, protocol, holiday set, flag
  out_of_range,  ///< a number outside its range (a severity of 12, a confidence of 1)
  malformed,     ///< wrong type or syntax, a missing or unknown key, not a date, bad JSON
  conflict,      ///< fields that contradict each other: sessions out of order, duplicates, from after to
};

/// "unknown_id", "out_of_range", "malformed", "conflict".
[[nodiscard]] constexpr std::string_view to_string(problem_code code) noexcept {
  switch (code) {
    case problem_code::unknown_id: return "unknown_id";
    case problem_code::out_of_range: return "out_of_range";
    case problem_code::malformed: return "malformed";
    case problem_code::conflict: return "conflict";
  }
  return "unknown";
}

/// One problem with an input: which input (`source`), where in it (`path`), what kind (`code`)
/// and what is wrong (`message`). A problem recorded without a code is `malformed`.
struct input_problem {
  std::string path;      ///< e.g. `sessions[2].date`, without the source; empty for the input as a whole
  std::string message;   ///< e.g. `2026-02-30 is not a date`
  problem_code code = problem_code::malformed;
  std::string source{};  ///< the input's name: "profile", "request", a file name; empty when not named

  /// `source: path: message`, leaving out the parts that are empty.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    if (!source.empty()) text += source + ": ";
    if (!path.empty()) text += path + ": ";
    return text + message;
  }
};

/// Thrown when input cannot be used; what() lists every problem, one per line.
class input_error : public std::invalid_argument {
 public:
  explicit input_error(std::vector<input_problem> problems)
      : std::invalid_argument(join(problems)), problems_(std::move(problems)) {}
  /// A single problem.
  input_error(std::string path, std::string message, problem_code code = problem_code::malformed)
      : input_error(std::vector<input_problem>{{std::move(path), std::move(message), code, {}}}) {}

  [[nodiscard]] const std::vector<input_problem>& problems() const noexcept { return problems_; }

 private:
  static std::string join(const std::vector<input_problem>& problems) {
    std::string text;
    for (const auto& problem : problems) {
      if (!text.empty()) text += '\n';
      text += problem.to_string();
    }
    return text;
  }
  std::vector<input_problem> problems_;
};

}  // namespace aftermath

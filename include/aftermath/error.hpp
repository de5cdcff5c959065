// aftermath: errors for untrusted input.
//
// Everything read from outside (model files, profiles, reports, requests) is validated at the
// boundary. A failure throws input_error listing every problem found, each with the JSON path
// it concerns, e.g. `sessions[2].date: 2026-02-30 is not a date`. Domain outcomes (slower than
// expected, no feasible plan) are values, never exceptions.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aftermath {

/// One problem with an input: where it is (a JSON path, or a file name) and what is wrong.
struct input_problem {
  std::string path;
  std::string message;

  std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

/// Thrown when input cannot be used; what() lists every problem, one per line.
class input_error : public std::invalid_argument {
 public:
  explicit input_error(std::vector<input_problem> problems)
      : std::invalid_argument(join(problems)), problems_(std::move(problems)) {}
  /// A single problem.
  input_error(std::string path, std::string message)
      : input_error(std::vector<input_problem>{{std::move(path), std::move(message)}}) {}

  const std::vector<input_problem>& problems() const noexcept { return problems_; }

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

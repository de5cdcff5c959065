// The `simulate` and `merge` subcommands of the aftermath command (CONTRACT.md).
#pragma once

#include <aftermath/model.hpp>
#include <aftermath/simulation.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aftermath::cli {

/// Reads a named file, or stdin for "-"; input_error naming the option otherwise.
using input_reader = std::function<std::string(const std::string& path, const std::string& option)>;

class cohort_commands {
 public:
  /// Adds `simulate` and `merge` to the app; `add_common` gives each the options every subcommand has.
  cohort_commands(CLI::App& app, const std::function<void(CLI::App&)>& add_common);

  bool parsed() const { return simulate_->parsed() || merge_->parsed(); }

  /// Runs the one that was parsed; writes to stdout. Throws input_error for bad input.
  int run(const model& model, bool json, const input_reader& read_input) const;

 private:
  int simulate(const model& model, bool json, const input_reader& read_input) const;
  int simulate_compared(const model& model, const population& first, bool json, const input_reader& read_input) const;
  void check_combinations() const;
  int merge(const model& model, bool json, const input_reader& read_input) const;

  CLI::App* simulate_;
  CLI::App* merge_;
  std::string population_file_;
  std::optional<std::uint64_t> n_;
  std::optional<std::uint64_t> seed_;
  unsigned threads_ = 0;
  std::string shard_;
  std::string rows_file_;
  std::string svg_file_;
  std::string compare_file_;
  std::vector<std::string> partial_files_;
};

}  // namespace aftermath::cli

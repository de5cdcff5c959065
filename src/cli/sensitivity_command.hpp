// The `sensitivity` subcommand (docs/uncertainty.md): which of the model's numbers a cohort figure
// depends on, ranked by their Sobol indices.
#pragma once

#include "simulate_command.hpp"

#include <aftermath/model.hpp>
#include <aftermath/uncertainty.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace aftermath::cli {

class sensitivity_command {
 public:
  sensitivity_command(CLI::App& app, const std::function<void(CLI::App&)>& add_common);

  bool parsed() const { return command_->parsed(); }

  /// Runs it; writes to stdout. Throws input_error for bad input.
  int run(const model& model, bool json, const input_reader& read_input) const;

 private:
  std::vector<std::string> parameters(const model& model, const population& population, const summary_figure& figure) const;

  CLI::App* command_;
  std::string population_file_;
  std::string output_;
  std::string parameters_;
  std::string svg_file_;
  std::uint64_t base_samples_ = 1024;
  std::uint64_t bootstrap_ = 500;
  std::uint64_t patients_ = 2000;
  std::optional<std::uint64_t> seed_;
  unsigned threads_ = 0;
};

}  // namespace aftermath::cli

// aftermath sensitivity: the Sobol indices of one figure of a cohort summary over the model's
// uncertain numbers, as text, JSON and a chart.
#include "sensitivity_command.hpp"

#include "common_options.hpp"
#include "output_file.hpp"

#include <aftermath/aftermath.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>

namespace aftermath::cli {
namespace {

/// "a,b , c" → {"a", "b", "c"}; empty items are dropped.
std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto first = item.find_first_not_of(' '), last = item.find_last_not_of(' ');
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

}  // namespace

sensitivity_command::sensitivity_command(CLI::App& app, const std::function<void(CLI::App&)>& add_common) {
  command_ = app.add_subcommand("sensitivity", "Rank the model's uncertain numbers by how much of a cohort figure's spread each explains (Sobol indices)");
  add_common(*command_);
  command_->add_option("--population", population_file_, "Population file (JSON), or - for stdin")->required();
  command_->add_option("--output", output_, "The figure, a dotted path into the cohort summary, e.g. bruising.visible_days.mean")->required();
  command_->add_option("--parameters", parameters_,
                       "Comma-separated parameter ids (aftermath model --parameters); default: every uncertain number that moves the figure");
  command_->add_option("--base-samples", base_samples_, "Saltelli's N: the figure is simulated N x (parameters + 2) times (default 1024)");
  command_->add_option("--bootstrap", bootstrap_, "Bootstrap resamples for the 95 % intervals (default 500)");
  command_->add_option("-n", patients_, "Virtual patients per evaluation, the same in each (default 2000)");
  command_->add_option("--seed", seed_, "Seed of the patients and the design (default: the population's)");
  command_->add_option("--threads", threads_, "Threads (default: one per core); the output does not depend on it");
  command_->add_option("--svg", svg_file_, "Also write the indices as an SVG chart to this file");
}

std::vector<std::string> sensitivity_command::parameters(const model& model, const population& population, const summary_figure& figure) const {
  if (!parameters_.empty()) return comma_list(parameters_);
  auto moving = parameters_moving(model, population, figure, patients_);
  if (moving.empty())
    throw input_error("--output", figure.path() + " does not move with any of the model's uncertain numbers for this population", problem_code::conflict);
  return moving;
}

int sensitivity_command::run(const model& model, bool json, const input_reader& read_input) const {
  const population population = parse_population(read_input(population_file_, "--population"), model, population_file_, {std::nullopt, seed_});
  const summary_figure figure(model, population, output_, "--output");
  sensitivity_options options;
  options.patients = patients_;
  options.sobol = {static_cast<std::size_t>(base_samples_), static_cast<std::size_t>(bootstrap_), 0.95, population.seed, threads_, terminal_progress("sensitivity", "evaluations")};
  const figure_sensitivity result = sensitivity(model, population, figure, parameters(model, population, figure), options);
  if (!svg_file_.empty()) write_file(svg_file_, to_svg(result), "--svg");
  std::cout << (json ? to_json(result) + "\n" : to_text(result));
  return 0;
}

}  // namespace aftermath::cli

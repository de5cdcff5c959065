// aftermath simulate: a cohort summary, or one shard's partial summary; aftermath merge: shards
// added up into the summary a single run would have written, byte for byte.
#include "simulate_command.hpp"

#include "output_file.hpp"

#include <aftermath/aftermath.hpp>

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace aftermath::cli {
namespace {

struct shard_spec {
  std::uint64_t index = 0;  ///< 0-based
  std::uint64_t count = 1;
};

/// "i/k", 1 ≤ i ≤ k ≤ 10^6.
shard_spec parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  std::uint64_t index = 0, count = 0;
  const auto whole = [&](std::string_view part, std::uint64_t& out) {
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), out);
    return error == std::errc() && end == part.data() + part.size() && !part.empty();
  };
  const std::string_view view(text);
  if (slash == std::string::npos || !whole(view.substr(0, slash), index) || !whole(view.substr(slash + 1), count) || index < 1 ||
      index > count || count > 1'000'000)
    throw input_error("--shard", "'" + text + "' is not i/k with 1 <= i <= k <= 1000000 (for example 2/4)");
  return {index - 1, count};
}

/// Draws "simulating: 42% (420000 of 1000000 patients)" on a terminal's stderr; silent otherwise.
std::function<void(std::uint64_t, std::uint64_t)> terminal_progress() {
  if (!isatty(STDERR_FILENO)) return {};
  return [last = -1](std::uint64_t done, std::uint64_t total) mutable {
    const int percent = total ? static_cast<int>(100 * done / total) : 100;
    if (percent == last) return;
    last = percent;
    std::fprintf(stderr, "\rsimulating: %3d%% (%llu of %llu patients)%s", percent, static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), done == total ? "\n" : "");
    std::fflush(stderr);
  };
}

/// The chart's label for a population: its protocol, or the file name when the protocols do not
/// tell the two apart (the same protocol, or sessions given as days).
std::string label_of(const population& cohort, const population* other, const std::string& file) {
  const bool ambiguous = cohort.protocol.empty() || (other && (other->protocol.empty() || other->protocol == cohort.protocol));
  return ambiguous ? file : cohort.protocol;
}

}  // namespace

cohort_commands::cohort_commands(CLI::App& app, const std::function<void(CLI::App&)>& add_common) {
  simulate_ = app.add_subcommand("simulate", "Simulate a cohort: recovery times, visible days and daily chances across a population");
  add_common(*simulate_);
  simulate_->add_option("--population", population_file_, "Population file (JSON), or - for stdin")->required();
  simulate_->add_option("-n", n_, "Patients (replaces the population's n)");
  simulate_->add_option("--seed", seed_, "Seed (replaces the population's seed)");
  simulate_->add_option("--threads", threads_, "Threads (default: one per core); the output does not depend on it");
  simulate_->add_option("--shard", shard_, "Simulate only shard i of k (e.g. 2/4) and write its partial summary (JSON) for merge");
  simulate_->add_option("--rows", rows_file_, "Also write one CSV row per patient and effect to this file");
  simulate_->add_option("--svg", svg_file_, "Also write the summary as an SVG chart to this file");
  simulate_->add_option("--compare", compare_file_,
                        "A second population (JSON) simulated with the same n, seed and threads; both summaries are printed "
                        "and charted side by side");

  merge_ = app.add_subcommand("merge", "Add up the partial summaries of shards into the cohort summary");
  add_common(*merge_);
  merge_->add_option("partials", partial_files_, "Partial summaries written by simulate --shard")->required();
}

int cohort_commands::run(const model& model, bool json, const input_reader& read_input) const {
  return simulate_->parsed() ? simulate(model, json, read_input) : merge(model, json, read_input);
}

void cohort_commands::check_combinations() const {
  if (shard_.empty() && compare_file_.empty()) return;
  std::vector<input_problem> problems;
  if (!shard_.empty() && !compare_file_.empty())
    problems.push_back({"--compare", "cannot be combined with --shard: a shard's partial summary covers one population", problem_code::conflict});
  if (!shard_.empty() && !svg_file_.empty())
    problems.push_back({"--svg", "cannot be combined with --shard: chart the merged summary instead", problem_code::conflict});
  if (!compare_file_.empty() && !rows_file_.empty())
    problems.push_back({"--rows", "cannot be combined with --compare: rows are written for one population at a time", problem_code::conflict});
  if (!problems.empty()) throw input_error(std::move(problems));
}

int cohort_commands::simulate(const model& model, bool json, const input_reader& read_input) const {
  check_combinations();
  const bool sharded = !shard_.empty();
  const shard_spec shard = sharded ? parse_shard(shard_) : shard_spec{};
  const population population = parse_population(read_input(population_file_, "--population"), model, population_file_, {n_, seed_});
  if (!compare_file_.empty()) return simulate_compared(model, population, json, read_input);
  std::ofstream rows;
  if (!rows_file_.empty()) {
    rows.open(rows_file_, std::ios::binary);
    if (!rows) throw input_error("--rows", "cannot write '" + rows_file_ + "'");
  }
  simulation_options options{threads_, std::nullopt, terminal_progress(), rows_file_.empty() ? outcome_sink{} : cohort_rows_csv(rows)};
  if (sharded) options.patients = shard_range(population.n, shard.index, shard.count);
  const cohort_tally tally = aftermath::simulate(model, population, options);
  if (rows.is_open() && !rows.flush()) throw std::runtime_error("could not write all rows to '" + rows_file_ + "'");

  if (sharded) {
    std::cout << to_partial_json(model, population, *options.patients, tally) << "\n";
    return 0;
  }
  const cohort_summary summary = summarise(model, population, tally);
  if (!svg_file_.empty()) write_file(svg_file_, to_svg({{label_of(population, nullptr, population_file_), &summary}}), "--svg");
  std::cout << (json ? to_json(summary) + "\n" : to_text(summary));
  return 0;
}

int cohort_commands::simulate_compared(const model& model, const population& first, bool json, const input_reader& read_input) const {
  if (population_file_ == "-" && compare_file_ == "-")
    throw input_error("--compare", "only one of --population and --compare can be stdin", problem_code::conflict);
  // The comparison is paired, the same virtual patients in both, so both need the same n and
  // seed: -n and --seed set them for both; otherwise the files must agree, and are not overridden.
  const population second = parse_population(read_input(compare_file_, "--compare"), model, compare_file_, {n_, seed_});
  if (second.n != first.n)
    throw input_error("--compare", "n is " + std::to_string(second.n) + " in '" + compare_file_ + "' but " + std::to_string(first.n) + " in '" +
                                       population_file_ + "'; a paired comparison needs one n (give -n to set it for both)",
                      problem_code::conflict);
  if (second.seed != first.seed)
    throw input_error("--compare", "seed is " + std::to_string(second.seed) + " in '" + compare_file_ + "' but " + std::to_string(first.seed) +
                                       " in '" + population_file_ + "'; a paired comparison needs one seed (give --seed to set it for both)",
                      problem_code::conflict);
  const auto summarise_one = [&](const population& p) {
    return summarise(model, p, aftermath::simulate(model, p, {threads_, std::nullopt, terminal_progress(), nullptr}));
  };
  const cohort_summary a = summarise_one(first), b = summarise_one(second);
  const std::string label_a = label_of(first, &second, population_file_), label_b = label_of(second, &first, compare_file_);
  if (!svg_file_.empty()) write_file(svg_file_, to_svg({{label_a, &a}, {label_b, &b}}), "--svg");
  if (json) std::cout << to_json(a, b) << "\n";
  else std::cout << "== " << label_a << " ==\n" << to_text(a) << "\n== " << label_b << " ==\n" << to_text(b);
  return 0;
}

int cohort_commands::merge(const model& model, bool json, const input_reader& read_input) const {
  std::vector<cohort_partial> parts;
  std::vector<input_problem> problems;
  for (const auto& file : partial_files_) {
    try {
      parts.push_back(parse_partial(read_input(file, file), model, file));
    } catch (const input_error& error) {
      problems.insert(problems.end(), error.problems().begin(), error.problems().end());
    }
  }
  if (!problems.empty()) throw input_error(std::move(problems));
  const cohort_tally tally = aftermath::merge(model, parts);
  const auto& population = parts.front().population;
  if (json) std::cout << to_json(summarise(model, population, tally)) << "\n";
  else std::cout << to_text(summarise(model, population, tally));
  return 0;
}

}  // namespace aftermath::cli

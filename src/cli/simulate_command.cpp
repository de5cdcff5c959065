// aftermath simulate: a cohort summary, or one shard's partial summary; aftermath merge: shards
// added up into the summary a single run would have written, byte for byte.
#include "simulate_command.hpp"

#include "common_options.hpp"
#include "output_file.hpp"

#include <aftermath/aftermath.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

namespace aftermath::cli {
namespace {

struct shard_spec {
  std::uint64_t index = 0;  ///< 0-based
  std::uint64_t count = 1;
};

/// A whole number in text, all of it.
bool whole_number(std::string_view text, std::uint64_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

constexpr std::uint64_t most_shards = 1'000'000;

/// "i/k", 1 ≤ i ≤ k ≤ 10^6.
shard_spec parse_explicit_shard(const std::string& text) {
  const auto slash = text.find('/');
  std::uint64_t index = 0, count = 0;
  const std::string_view view(text);
  if (slash == std::string::npos || !whole_number(view.substr(0, slash), index) || !whole_number(view.substr(slash + 1), count) ||
      index < 1 || index > count || count > most_shards)
    throw input_error("--shard", "'" + text + "' is not i/k with 1 <= i <= k <= 1000000 (for example 2/4), nor auto");
  return {index - 1, count};
}

/// A Slurm job array's task as a shard: task (ID − MIN) / STEP of COUNT (sbatch --array=0-15,
/// or 1-16, or 0-30:2 all give shards 1/16 to 16/16).
shard_spec slurm_array_shard() {
  std::vector<input_problem> problems;
  const auto variable = [&](const char* name, std::optional<std::uint64_t> fallback) -> std::uint64_t {
    const char* text = std::getenv(name);
    std::uint64_t value = 0;
    if (!text) {
      if (!fallback) problems.push_back({"--shard", std::string("auto needs ") + name + ", which Slurm sets in a job array's tasks; it is not set"});
      return fallback.value_or(0);
    }
    if (!whole_number(text, value)) problems.push_back({"--shard", std::string("auto: ") + name + " is '" + text + "', not a whole number"});
    return value;
  };
  const std::uint64_t id = variable("SLURM_ARRAY_TASK_ID", std::nullopt), count = variable("SLURM_ARRAY_TASK_COUNT", std::nullopt),
                      min = variable("SLURM_ARRAY_TASK_MIN", std::nullopt), step = variable("SLURM_ARRAY_TASK_STEP", 1);
  if (!problems.empty()) throw input_error(std::move(problems));
  const std::string task = "task " + std::to_string(id) + " (SLURM_ARRAY_TASK_MIN " + std::to_string(min) + ", STEP " + std::to_string(step) +
                           ", COUNT " + std::to_string(count) + ")";
  if (count < 1 || count > most_shards) throw input_error("--shard", "auto: SLURM_ARRAY_TASK_COUNT must be 1 to 1000000, not " + std::to_string(count));
  if (step < 1 || id < min || (id - min) % step != 0 || (id - min) / step >= count)
    throw input_error("--shard", "auto: " + task + " is not one of the array's tasks MIN, MIN + STEP, ... (an array with gaps "
                                 "cannot be told apart from missing shards; give --shard i/k)",
                      problem_code::conflict);
  return {(id - min) / step, count};
}

shard_spec parse_shard(const std::string& text) { return text == "auto" ? slurm_array_shard() : parse_explicit_shard(text); }

/// A shard of a replicated run is a share of its replicates, each over every patient.
patient_range replicate_shard_of(const shard_spec& shard, std::uint64_t replicates) {
  const patient_range range = shard_range(replicates, shard.index, shard.count);
  if (range.first == range.last)
    throw input_error("--shard", std::to_string(shard.index + 1) + "/" + std::to_string(shard.count) + " of " + std::to_string(replicates) +
                                     " replicates holds none; give at most " + std::to_string(replicates) + " shards",
                      problem_code::conflict);
  return range;
}

/// "aspirin stopped_days_before 3".
std::string arm_label(const population_sweep_axis& axis, std::size_t k) {
  return axis.factor + " " + axis.field + " " + std::to_string(axis.values[k]);
}

/// A figure in a short line: "41.2 %", or "-" when no patient had it.
std::string short_figure(std::optional<double> x, double scale, const char* unit) {
  if (!x) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%s", scale * *x, unit);
  return text;
}

/// Each arm's short line, then each arm's paired difference from the first.
std::string sweep_text(const population_sweep_axis& axis, const std::vector<cohort_summary>& arms, const std::vector<cohort_difference>& differences) {
  std::string out = "Sweep of " + axis.factor + " " + axis.field + " over " + std::to_string(arms.size()) + " arms, the same " +
                    std::to_string(arms.front().population.n) + " virtual patients in each (seed " + std::to_string(arms.front().population.seed) +
                    ")\n";
  for (std::size_t k = 0; k < arms.size(); ++k) {
    const auto& any = arms[k].any;
    out += "  " + arm_label(axis, k) + ": any side effect " + short_figure(any.occurs.value(), 100, " %") + ", visible days mean " +
           short_figure(any.visible.mean, 1, "") + ", resolved p50 " + short_figure(any.resolution.p50, 1, " d") + "\n";
  }
  for (std::size_t k = 0; k < differences.size(); ++k)
    out += "\n== " + arm_label(axis, k + 1) + " minus " + std::to_string(axis.values[0]) + " ==\n" + to_text(differences[k]);
  return out + "\n" + arms.front().notice + "\n";
}

/// The chart's label for a population: its protocol, or the file name when the protocols do not
/// tell the two apart (the same protocol, or sessions given as days).
std::string label_of(const population& cohort, const population* other, const std::string& file) {
  const bool ambiguous = cohort.protocol.empty() || (other && (other->protocol.empty() || other->protocol == cohort.protocol));
  return ambiguous ? file : cohort.protocol;
}

}  // namespace

cohort_commands::cohort_commands(CLI::App& app, const std::function<void(CLI::App&)>& add_common, bool simulate_only) {
  simulate_ = app.add_subcommand("simulate", "Simulate a cohort: recovery times, visible days and daily chances across a population");
  add_common(*simulate_);
  simulate_->add_option("--population", population_file_, "Population file (JSON), or - for stdin")->required();
  simulate_->add_option("-n", n_, "Patients (replaces the population's n)");
  simulate_->add_option("--seed", seed_, "Seed (replaces the population's seed)");
  simulate_->add_option("--threads", threads_, "Threads (default: one per core); the output does not depend on it");
  simulate_->add_option("--shard", shard_,
                        "Simulate only shard i of k (e.g. 2/4; auto: from a Slurm job array's SLURM_ARRAY_TASK_* variables) and "
                        "write its partial summary (JSON) for merge");
  simulate_->add_option("--rows", rows_file_, "Also write one CSV row per patient and effect to this file");
  simulate_->add_option("--svg", svg_file_, "Also write the summary as an SVG chart to this file");
  simulate_->add_option("--compare", compare_file_,
                        "A second population (JSON) simulated on the same patients (the same n and seed); both summaries are "
                        "printed, and overlaid on one chart, with each figure's paired difference (compared minus population)");
  simulate_->add_option("--replicates", replicates_,
                        "Also simulate the same patients under R parameter sets (1 to 10000) drawn from the model's uncertainties, "
                        "and give every figure its 95 % interval across them");
  if (simulate_only) return;

  merge_ = app.add_subcommand("merge", "Add up the partial summaries of shards into the cohort summary");
  add_common(*merge_);
  merge_->add_option("partials", partial_files_, "Partial summaries written by simulate --shard")->required();
}

int cohort_commands::run(const model& model, bool json, const input_reader& read_input, const cohort_runner& runner) const {
  return simulate_->parsed() ? simulate(model, json, read_input, runner) : merge(model, json, read_input);
}

void cohort_commands::check_combinations() const {
  std::vector<input_problem> problems;
  if (replicates_ && !shard_.empty() && !rows_file_.empty())
    problems.push_back({"--rows", "cannot be combined with --shard and --replicates: a replicated run's shard splits the replicates, "
                                  "not the patients; write the rows from a run without --shard", problem_code::conflict});
  if (!shard_.empty() && !compare_file_.empty())
    problems.push_back({"--compare", "cannot be combined with --shard: a shard's partial summary covers one population", problem_code::conflict});
  if (!shard_.empty() && !svg_file_.empty())
    problems.push_back({"--svg", "cannot be combined with --shard: chart the merged summary instead", problem_code::conflict});
  if (!compare_file_.empty() && !rows_file_.empty())
    problems.push_back({"--rows", "cannot be combined with --compare: rows are written for one population at a time", problem_code::conflict});
  if (!problems.empty()) throw input_error(std::move(problems));
}

/// A sweep runs every arm paired against the first; what needs one population, or two, does not fit.
void cohort_commands::check_sweep_combinations() const {
  std::vector<input_problem> problems;
  const auto refuse = [&](bool given, const char* option, const char* why) {
    if (given) problems.push_back({option, std::string("cannot be combined with a sweep (a list in --population '") + population_file_ + "'): " + why,
                                   problem_code::conflict});
  };
  refuse(!compare_file_.empty(), "--compare", "each arm is already compared with the first; give the arms as separate files to compare two");
  refuse(!shard_.empty(), "--shard", "a shard's partial summary covers one population");
  refuse(!rows_file_.empty(), "--rows", "rows are written for one population at a time");
  refuse(replicates_.has_value(), "--replicates", "replicates of a sweep are not available yet");
  refuse(!svg_file_.empty(), "--svg", "the chart shows one or two cohorts");
  if (!problems.empty()) throw input_error(std::move(problems));
}

/// What a run reads and opens before it simulates.
struct cohort_commands::prepared_run {
  std::vector<population> sweep;  ///< a sweep's arms, the first also `first`; empty otherwise
  population first;
  std::optional<population> second;    ///< --compare
  std::optional<patient_range> shard;  ///< --shard: the run's patients
  std::optional<patient_range> replicate_shard;  ///< --shard with --replicates: the shard's replicates
  patient_range run;                   ///< the patients of the run: the shard's, or all
  std::unique_ptr<std::ofstream> rows;  ///< this process's rows
  std::string rows_path;
};

cohort_commands::prepared_run cohort_commands::prepare(const model& model, const input_reader& read_input, const cohort_runner& runner) const {
  check_combinations();
  if (replicates_ && runner.distributed())
    throw input_error("--replicates", "is not available in aftermath-mpi yet; run it with aftermath simulate", problem_code::conflict);
  prepared_run run;
  const std::optional<shard_spec> shard = shard_.empty() ? std::nullopt : std::optional(parse_shard(shard_));
  auto arms = parse_population_sweep(read_input(population_file_, "--population"), model, population_file_, {n_, seed_});
  run.first = arms.front();
  if (arms.size() > 1) {
    check_sweep_combinations();
    run.sweep = std::move(arms);
    run.run = {0, run.first.n};
    return run;
  }
  if (!compare_file_.empty()) run.second = parse_compared(model, run.first, read_input);
  if (shard && replicates_) run.replicate_shard = replicate_shard_of(*shard, *replicates_);
  else if (shard) run.shard = shard_range(run.first.n, shard->index, shard->count);
  run.run = run.shard.value_or(patient_range{0, run.first.n});
  if (!rows_file_.empty()) {
    run.rows_path = runner.rows_file(rows_file_, runner.own_patients(run.run));
    run.rows = std::make_unique<std::ofstream>(run.rows_path, std::ios::binary);
    if (!*run.rows) throw input_error("--rows", "cannot write '" + run.rows_path + "'");
  }
  return run;
}

population cohort_commands::parse_compared(const model& model, const population& first, const input_reader& read_input) const {
  if (population_file_ == "-" && compare_file_ == "-")
    throw input_error("--compare", "only one of --population and --compare can be stdin", problem_code::conflict);
  // The comparison is paired, the same virtual patients in both, so both need the same n and
  // seed: -n and --seed set them for both; otherwise the files must agree, and are not overridden.
  population second = parse_population(read_input(compare_file_, "--compare"), model, compare_file_, {n_, seed_});
  if (second.n != first.n)
    throw input_error("--compare", "n is " + std::to_string(second.n) + " in '" + compare_file_ + "' but " + std::to_string(first.n) + " in '" +
                                       population_file_ + "'; a paired comparison needs one n (give -n to set it for both)",
                      problem_code::conflict);
  if (second.seed != first.seed)
    throw input_error("--compare", "seed is " + std::to_string(second.seed) + " in '" + compare_file_ + "' but " + std::to_string(first.seed) +
                                       " in '" + population_file_ + "'; a paired comparison needs one seed (give --seed to set it for both)",
                      problem_code::conflict);
  return second;
}

// Each step that can fail on one process ends in runner.agree, so that under MPI every rank
// learns of it and stops at the same point.
int cohort_commands::simulate(const model& model, bool json, const input_reader& read_input, const cohort_runner& runner) const {
  prepared_run run;
  std::exception_ptr failure;
  try {
    run = prepare(model, read_input, runner);
  } catch (...) {
    failure = std::current_exception();
  }
  runner.agree(failure);

  const auto progress = runner.writes_output() ? terminal_progress("simulating", "patients") : std::function<void(std::uint64_t, std::uint64_t)>{};
  outcome_sink rows;
  if (run.rows)
    rows = cohort_rows_csv(*run.rows, runner.writes_rows_header(runner.own_patients(run.run), run.run) ? csv_header::written : csv_header::left_out);
  if (!run.sweep.empty()) return simulate_sweep(model, run, progress, runner, json);
  if (replicates_) return simulate_replicated(model, run, progress, rows, json);
  // A comparison runs both populations on each patient in one pass, for the per-patient differences.
  const auto paired = run.second ? runner.simulate_paired(model, run.first, *run.second, {threads_, std::nullopt, progress, nullptr}) : std::nullopt;
  const auto tally = run.second ? std::nullopt : runner.simulate(model, run.first, {threads_, run.shard, progress, rows});

  failure = nullptr;
  try {
    if (run.rows && !run.rows->flush()) throw std::runtime_error("could not write all rows to '" + run.rows_path + "'");
    if (runner.writes_output()) {
      if (run.shard) std::cout << to_partial_json(model, run.first, *run.shard, *tally) << "\n";
      else if (run.second) write_comparison(model, run.first, *run.second, *paired, json);
      else write_summary(model, run.first, *tally, json);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  runner.agree(failure);
  return 0;
}

// Every arm after the first runs paired with the first, on the same patients; the first arm's
// summary is that of its first pairing (each pairing simulates it anew, to the same tally).
int cohort_commands::simulate_sweep(const model& model, const prepared_run& run, const progress_callback& progress, const cohort_runner& runner,
                                    bool json) const {
  const population_sweep_axis axis = sweep_axis(run.sweep);
  std::vector<cohort_summary> arms;
  std::vector<cohort_difference> differences;
  for (std::size_t k = 1; k < run.sweep.size(); ++k) {
    const auto paired = runner.simulate_paired(model, run.sweep[0], run.sweep[k], {threads_, std::nullopt, progress, nullptr});
    if (!paired) continue;
    if (arms.empty()) arms.push_back(summarise(model, run.sweep[0], paired->population));
    arms.push_back(summarise(model, run.sweep[k], paired->compared));
    differences.push_back(summarise_difference(model, run.sweep[0], run.sweep[k], *paired));
  }
  std::exception_ptr failure;
  try {
    if (runner.writes_output()) std::cout << (json ? to_json(axis, arms, differences) + "\n" : sweep_text(axis, arms, differences));
  } catch (...) {
    failure = std::current_exception();
  }
  runner.agree(failure);
  return 0;
}

int cohort_commands::simulate_replicated(const model& model, const prepared_run& run, const progress_callback& progress, const outcome_sink& rows,
                                         bool json) const {
  if (run.second) return compare_replicated(model, run, progress, json);
  if (run.replicate_shard) {
    // A shard simulates the run at the model's values too, so that every shard's file is whole.
    const cohort_tally nominal = aftermath::simulate(model, run.first, {threads_, std::nullopt, {}, {}});
    const replicate_part part =
        simulate_replicate_part(model, run.first, *replicates_, run.replicate_shard->first, run.replicate_shard->last, {threads_, std::nullopt, progress, {}});
    std::cout << to_partial_json(model, run.first, nominal, part) << "\n";
    return 0;
  }
  const replicated_cohort result = simulate_replicates(model, run.first, *replicates_, {threads_, std::nullopt, progress, rows});
  if (run.rows && !run.rows->flush()) throw std::runtime_error("could not write all rows to '" + run.rows_path + "'");
  if (!svg_file_.empty()) write_file(svg_file_, to_svg({{label_of(run.first, nullptr, population_file_), &result.nominal}}), "--svg");
  std::cout << (json ? to_json(result) + "\n" : to_text(result));
  return 0;
}

// The two arms' summaries stay those at the model's values; each paired difference gains its
// interval across the parameter sets.
int cohort_commands::compare_replicated(const model& model, const prepared_run& run, const progress_callback& progress, bool json) const {
  const auto result = simulate_paired_replicates(model, run.first, *run.second, *replicates_, {threads_, std::nullopt, progress, nullptr});
  write_comparison(model, run.first, *run.second, result.nominal, json, &result.uncertainty);
  return 0;
}

void cohort_commands::write_summary(const model& model, const population& population, const cohort_tally& tally, bool json) const {
  const cohort_summary summary = summarise(model, population, tally);
  if (!svg_file_.empty()) write_file(svg_file_, to_svg({{label_of(population, nullptr, population_file_), &summary}}), "--svg");
  std::cout << (json ? to_json(summary) + "\n" : to_text(summary));
}

void cohort_commands::write_comparison(const model& model, const population& first, const population& second, const paired_tally& tally,
                                       bool json, const difference_uncertainty* uncertainty) const {
  const cohort_summary a = summarise(model, first, tally.population), b = summarise(model, second, tally.compared);
  const cohort_difference difference = summarise_difference(model, first, second, tally);
  const std::string label_a = label_of(first, &second, population_file_), label_b = label_of(second, &first, compare_file_);
  if (!svg_file_.empty()) write_file(svg_file_, to_svg({{label_a, &a}, {label_b, &b}}), "--svg");
  if (json) std::cout << (uncertainty ? to_json(a, b, difference, *uncertainty) : to_json(a, b, difference)) << "\n";
  else
    std::cout << "== " << label_a << " ==\n" << to_text(a) << "\n== " << label_b << " ==\n" << to_text(b) << "\n== " << label_b << " minus "
              << label_a << " ==\n" << (uncertainty ? to_text(difference, *uncertainty) : to_text(difference));
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
  if (std::any_of(parts.begin(), parts.end(), [](const cohort_partial& p) { return p.replicates.has_value(); })) {
    const replicated_cohort merged = merge_replicated(model, parts);
    std::cout << (json ? to_json(merged) + "\n" : to_text(merged));
    return 0;
  }
  const cohort_tally tally = aftermath::merge(model, parts);
  const auto& population = parts.front().population;
  if (json) std::cout << to_json(summarise(model, population, tally)) << "\n";
  else std::cout << to_text(summarise(model, population, tally));
  return 0;
}

}  // namespace aftermath::cli

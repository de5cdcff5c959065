// The `simulate` and `merge` subcommands of the aftermath command (docs/simulation.md); `simulate` is
// also the whole of aftermath-mpi, which runs it through another cohort_runner.
#pragma once

#include <aftermath/comparison.hpp>
#include <aftermath/model.hpp>
#include <aftermath/simulation.hpp>
#include <aftermath/uncertainty.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aftermath::cli {

/// Reads a named file, or stdin for "-"; input_error naming the option otherwise.
using input_reader = std::function<std::string(const std::string& path, const std::string& option)>;

/// How `simulate` is carried out: here, in this process, every patient; aftermath-mpi's runner
/// splits the run over MPI ranks.
class cohort_runner {
 public:
  virtual ~cohort_runner() = default;
  /// The patients of the run this process simulates (and writes rows for).
  virtual patient_range own_patients(patient_range run) const { return run; }
  /// The file this process writes its rows to, given --rows.
  virtual std::string rows_file(const std::string& file, patient_range /*own*/) const { return file; }
  /// Whether this process's rows begin with the CSV header.
  virtual bool writes_rows_header(patient_range /*own*/, patient_range /*run*/) const { return true; }
  /// Whether the run is split over several processes.
  virtual bool distributed() const { return false; }
  /// Whether this process writes the summary, the chart and the messages.
  virtual bool writes_output() const { return true; }
  /// The run's tally where the output is written; nothing elsewhere.
  virtual std::optional<cohort_tally> simulate(const model& model, const population& population, const simulation_options& options) const {
    return aftermath::simulate(model, population, options);
  }
  /// The paired run of two populations on the same patients, where the output is written.
  virtual std::optional<paired_tally> simulate_paired(const model& model, const population& population, const aftermath::population& compared,
                                                      const simulation_options& options) const {
    return aftermath::simulate_paired(model, population, compared, options);
  }
  /// Every process learns of a failure in any: here, the failure itself is rethrown.
  virtual void agree(std::exception_ptr failure) const {
    if (failure) std::rethrow_exception(failure);
  }
};

class cohort_commands {
 public:
  /// Adds `simulate` (and unless `simulate_only`, `merge`) to the app; `add_common` gives each the
  /// options every subcommand has.
  cohort_commands(CLI::App& app, const std::function<void(CLI::App&)>& add_common, bool simulate_only = false);

  bool parsed() const { return simulate_->parsed() || (merge_ && merge_->parsed()); }

  /// Runs the one that was parsed through `runner`; writes to stdout. Throws input_error for bad input.
  int run(const model& model, bool json, const input_reader& read_input, const cohort_runner& runner = cohort_runner()) const;

 private:
  struct prepared_run;
  prepared_run prepare(const model& model, const input_reader& read_input, const cohort_runner& runner) const;
  population parse_compared(const model& model, const population& first, const input_reader& read_input) const;
  using progress_callback = std::function<void(std::uint64_t, std::uint64_t)>;
  int simulate(const model& model, bool json, const input_reader& read_input, const cohort_runner& runner) const;
  int compare_replicated(const model& model, const prepared_run& run, const progress_callback& progress, bool json) const;
  int simulate_replicated(const model& model, const prepared_run& run, const progress_callback& progress, const outcome_sink& rows,
                          bool json) const;
  void write_summary(const model& model, const population& population, const cohort_tally& tally, bool json) const;
  void write_comparison(const model& model, const population& first, const population& second, const paired_tally& tally, bool json,
                        const difference_uncertainty* uncertainty = nullptr) const;
  void check_combinations() const;
  void check_sweep_combinations() const;
  int simulate_sweep(const model& model, const prepared_run& run, const progress_callback& progress, const cohort_runner& runner,
                     bool json) const;
  int merge(const model& model, bool json, const input_reader& read_input) const;

  CLI::App* simulate_;
  CLI::App* merge_ = nullptr;
  std::string population_file_;
  std::optional<std::uint64_t> n_;
  std::optional<std::uint64_t> seed_;
  unsigned threads_ = 0;
  std::string shard_;
  std::string rows_file_;
  std::string svg_file_;
  std::string compare_file_;
  std::optional<std::uint64_t> replicates_;
  std::vector<std::string> partial_files_;
};

}  // namespace aftermath::cli

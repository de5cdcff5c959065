// aftermath-mpi: `aftermath simulate` over MPI ranks, with the same arguments and the same bytes
// (docs/cluster.md). Run it under mpirun (or srun): every rank reads the inputs, simulates its share
// of the patients with --threads threads, and rank 0 writes the summary from the tallies added up
// exactly. --rows writes one CSV part per rank, named by rank and patient range, which joined in
// rank order are the single run's file. A failure on any rank ends every rank with the same exit
// status and one message, from rank 0.
#include <aftermath/aftermath.hpp>
#include <aftermath/mpi.hpp>

#include "common_options.hpp"
#include "simulate_command.hpp"

#include <CLI/CLI.hpp>

#include <mpi.h>

#include <filesystem>
#include <iostream>
#include <string>

namespace {

using namespace aftermath;

/// Runs the simulation over the ranks of MPI_COMM_WORLD; rank 0 writes the output.
class mpi_runner final : public cli::cohort_runner {
 public:
  mpi_runner() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
  }
  int rank() const { return rank_; }

  bool distributed() const override { return true; }
  patient_range own_patients(patient_range run) const override { return mpi::rank_range(run, rank_, ranks_); }
  /// rows.csv → rows.rank03-of-16.patients-1875000-2499999.csv: the rank zero-padded, so that the
  /// shell lists the parts in rank order.
  std::string rows_file(const std::string& file, patient_range own) const override {
    const std::filesystem::path path(file);
    const std::string width_of = std::to_string(ranks_ - 1);
    std::string rank = std::to_string(rank_);
    rank.insert(0, width_of.size() - rank.size(), '0');
    const std::string last = own.last > own.first ? std::to_string(own.last - 1) : "none";
    const std::string name = path.stem().string() + ".rank" + rank + "-of-" + std::to_string(ranks_) + ".patients-" +
                             std::to_string(own.first) + "-" + last + path.extension().string();
    return (path.parent_path() / name).string();
  }
  bool writes_rows_header(patient_range, patient_range) const override { return rank_ == 0; }
  bool writes_output() const override { return rank_ == 0; }
  std::optional<cohort_tally> simulate(const model& model, const population& population, const simulation_options& options) const override {
    return mpi::simulate(model, population, MPI_COMM_WORLD, options);
  }
  std::optional<paired_tally> simulate_paired(const model& model, const population& population, const aftermath::population& compared,
                                              const simulation_options& options) const override {
    return mpi::simulate_paired(model, population, compared, MPI_COMM_WORLD, options);
  }
  void agree(std::exception_ptr failure) const override { mpi::agree(MPI_COMM_WORLD, failure); }

 private:
  int rank_ = 0;
  int ranks_ = 1;
};

int run(int argc, char** argv, const mpi_runner& runner) {
  CLI::App app{"aftermath-mpi: aftermath simulate over MPI ranks (run under mpirun or srun).\n"
               "Evidence-informed estimates, not medical advice."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(aftermath::version_string));
  cli::common_options options;
  const cli::cohort_commands cohort(app, [&](CLI::App& command) { cli::add_common_options(command, options); }, true);
  // Every rank parses the same arguments and so fails alike; rank 0 alone says why.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = runner.rank() == 0 ? app.exit(error) : (error.get_exit_code() == 0 ? 0 : 1);
    return status == 0 ? 0 : cli::exit_bad_input;
  }
  try {
    std::optional<model> loaded;
    std::exception_ptr failure;
    try {
      loaded = cli::load_model(options);
    } catch (...) {
      failure = std::current_exception();
    }
    runner.agree(failure);
    return cohort.run(*loaded, cli::wants_json(options), cli::read_input, runner);
  } catch (const input_error& error) {
    if (runner.rank() == 0) std::cerr << "aftermath-mpi: bad input\n" << error.what() << "\n";
    return cli::exit_bad_input;
  } catch (const std::exception& error) {
    if (runner.rank() == 0) std::cerr << "aftermath-mpi: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int status = 0;
  {
    const mpi_runner runner;
    status = run(argc, argv, runner);
  }
  MPI_Finalize();
  return status;
}

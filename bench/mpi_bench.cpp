// The cohort simulation over MPI ranks, run under `mpirun -n K` (bench/README in docs/cluster.md):
//  - the baseline: rank 0 alone simulates 10^6 patients on one thread while the others wait;
//  - all K ranks simulate the same 10^6 patients, one thread each, and reduce on rank 0;
//  - the reduction alone: every rank's full tally of this population added up on rank 0.
// Every benchmark has a fixed number of iterations, so that all ranks enter the same collectives;
// times are wall clock on rank 0, which alone reports. The ratios at the end are of those times.
#include <aftermath/aftermath.hpp>
#include <aftermath/mpi.hpp>

#include <benchmark/benchmark.h>

#include <mpi.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

using namespace aftermath;

constexpr std::uint64_t patients = 1'000'000;

population readme_population() {
  return parse_population(R"({"protocol": "face_initial", "seed": 42,
    "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}})",
                          default_model(), "bench", {.n = patients, .seed = std::nullopt});
}

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

void BM_Mpi_OneRankOfAll(benchmark::State& state) {
  const auto p = readme_population();
  for (auto _ : state) {
    if (world_rank() == 0) benchmark::DoNotOptimize(mpi::simulate(default_model(), p, MPI_COMM_SELF, {.threads = 1}));
    MPI_Barrier(MPI_COMM_WORLD);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(patients));
}
BENCHMARK(BM_Mpi_OneRankOfAll)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Mpi_AllRanks(benchmark::State& state) {
  const auto p = readme_population();
  for (auto _ : state) {
    benchmark::DoNotOptimize(mpi::simulate(default_model(), p, MPI_COMM_WORLD, {.threads = 1}));
    MPI_Barrier(MPI_COMM_WORLD);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(patients));
}
BENCHMARK(BM_Mpi_AllRanks)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Mpi_ReduceTally(benchmark::State& state) {
  const auto p = readme_population();
  cohort_tally tally = empty_tally(default_model(), p);
  for (auto _ : state) {
    mpi::reduce(tally, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
  }
}
BENCHMARK(BM_Mpi_ReduceTally)->Iterations(50)->UseRealTime()->Unit(benchmark::kMillisecond);

/// Rank 0's console, then the ratios of wall-clock times; the other ranks stay silent.
class mpi_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) seconds_[run.benchmark_name()] = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    int ranks = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    const auto find = [&](const std::string& prefix) {
      for (const auto& [name, seconds] : seconds_)
        if (name.rfind(prefix, 0) == 0) return seconds;
      return 0.0;
    };
    const double one = find("BM_Mpi_OneRankOfAll"), all = find("BM_Mpi_AllRanks"), reduce = find("BM_Mpi_ReduceTally");
    std::printf("%d ranks: %.3fx faster than one rank; the reduction is %.3f %% of the %d-rank run\n", ranks, one / all,
                100.0 * reduce / all, ranks);
  }

 private:
  std::map<std::string, double> seconds_;
};

class silent_reporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  benchmark::Initialize(&argc, argv);
  if (world_rank() == 0) {
    mpi_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
  } else {
    silent_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
  }
  benchmark::Shutdown();
  MPI_Finalize();
}

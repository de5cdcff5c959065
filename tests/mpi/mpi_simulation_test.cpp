// aftermath::mpi inside a researcher's own MPI program, run under mpirun with 1 to 4 ranks: the
// root's tally is the single-process tally of the same patients, and a failure on one rank
// reaches every rank.
#include <aftermath/aftermath.hpp>
#include <aftermath/mpi.hpp>

#include <gtest/gtest.h>

#include <mpi.h>

#include <stdexcept>

namespace aftermath {
namespace {

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int ranks() {
  int k = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &k);
  return k;
}

population readme_population(std::uint64_t n) {
  return parse_population(R"({"protocol": "face_initial", "seed": 7,
    "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}})",
                          default_model(), "population", {.n = n, .seed = std::nullopt});
}

TEST(MpiSimulation, RootHasTheSingleProcessTally) {
  const population p = readme_population(5003);
  for (unsigned threads : {1u, 2u}) {
    const auto tally = mpi::simulate(default_model(), p, MPI_COMM_WORLD, {.threads = threads});
    ASSERT_EQ(tally.has_value(), rank() == 0);
    if (rank() != 0) continue;
    const auto alone = simulate(default_model(), p, {.threads = 1});
    EXPECT_EQ(to_json(summarise(default_model(), p, *tally)), to_json(summarise(default_model(), p, alone))) << threads << " threads";
  }
}

TEST(MpiSimulation, APatientRangeIsSplitOverTheRanks) {
  const population p = readme_population(4000);
  const patient_range shard{1000, 2500};
  const auto tally = mpi::simulate(default_model(), p, MPI_COMM_WORLD, {.patients = shard});
  if (rank() != 0) return;
  const auto alone = simulate(default_model(), p, {.patients = shard});
  EXPECT_EQ(tally->patients, 1500u);
  EXPECT_EQ(to_partial_json(default_model(), p, shard, *tally), to_partial_json(default_model(), p, shard, alone));
}

TEST(MpiSimulation, RankRangesCoverTheRunOnceInOrder) {
  for (int k = 1; k <= 7; ++k) {
    std::uint64_t next = 10;
    for (int r = 0; r < k; ++r) {
      const auto range = mpi::rank_range({10, 23}, r, k);
      EXPECT_EQ(range.first, next);
      next = range.last;
    }
    EXPECT_EQ(next, 23u);
  }
}

TEST(MpiSimulation, ARankWhoseSinkFailsStopsEveryRank) {
  const population p = readme_population(2000);
  const int failing = ranks() - 1;
  simulation_options options;
  if (rank() == failing) options.outcomes = [](std::span<const patient_outcome>) { throw std::runtime_error("disk full"); };
  try {
    (void)mpi::simulate(default_model(), p, MPI_COMM_WORLD, options);
    FAIL() << "rank " << rank() << " went on";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()), "rank " + std::to_string(failing) + ": disk full");
  }
}

TEST(MpiSimulation, BadInputOnOneRankKeepsItsPathsOnEvery) {
  std::exception_ptr failure;
  if (rank() == ranks() - 1) {
    try {
      throw input_error({{"risk_factors.aspirin", "prevalence is 1.5, but must be in [0, 1]", problem_code::out_of_range, "pop.json"},
                         {"n", "is 0", problem_code::out_of_range, "pop.json"}});
    } catch (...) {
      failure = std::current_exception();
    }
  }
  try {
    mpi::agree(MPI_COMM_WORLD, failure);
    FAIL() << "no failure reached rank " << rank();
  } catch (const input_error& error) {
    ASSERT_EQ(error.problems().size(), 2u);
    EXPECT_EQ(error.problems()[0].path, "risk_factors.aspirin");
    EXPECT_EQ(error.problems()[0].source, "pop.json");
    EXPECT_EQ(error.problems()[0].code, problem_code::out_of_range);
    EXPECT_EQ(error.problems()[1].to_string(), "pop.json: n: is 0");
  }
}

TEST(MpiSimulation, NoFailureMeansNoThrow) { EXPECT_NO_THROW(mpi::agree(MPI_COMM_WORLD, nullptr)); }

}  // namespace
}  // namespace aftermath

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int status = RUN_ALL_TESTS();
  MPI_Finalize();
  return status;
}

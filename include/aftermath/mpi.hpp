// aftermath over MPI: one cohort simulation split over the ranks of a communicator.
//
// Every rank simulates its share of the patients (rank r of k: shard r of k of the range, as
// `shard_range` splits it) with the threads it is given, and the integer tallies are added up on
// the root by MPI_Reduce. Integer addition is exact and order-free, so the root's tally, and the
// summary made from it, are byte for byte those of one process simulating every patient, for
// any number of ranks and threads.
//
// A failure on one rank (bad input, an outcome sink that throws, a full disk) reaches every rank:
// `agree` is collective, and rethrows on each rank the failure of the lowest failing rank, so no
// rank is left waiting in a reduction that never comes.
//
// Needs an MPI implementation (Debian: libopenmpi-dev); the library target is aftermath::mpi,
// built when CMake finds MPI (AFTERMATH_WITH_MPI). MPI must be initialised by the caller.
#pragma once

#include <aftermath/comparison.hpp>
#include <aftermath/simulation.hpp>

#include <mpi.h>

#include <exception>
#include <optional>

namespace aftermath::mpi {

/// The patients rank `rank` of `ranks` simulates: its share of `run`.
[[nodiscard]] patient_range rank_range(patient_range run, int rank, int ranks);

/// Collective over `comm`: every rank passes its own failure, or none. When any rank failed,
/// every rank throws the failure of the lowest failing rank: an input_error with that rank's
/// problems (paths and codes kept), or a std::runtime_error "rank r: what()". Otherwise returns.
void agree(MPI_Comm comm, std::exception_ptr failure);

/// Collective over `comm`: adds every rank's tally (all shaped alike, for one model and
/// population) into the root's, exactly, by one MPI_Reduce of its counts. The others' are left as
/// they were.
void reduce(cohort_tally& tally, MPI_Comm comm, int root = 0);

/// Collective over `comm`: simulates the population's patients (`options.patients`, default all
/// n), each rank its rank_range of them with `options.threads` threads, and adds the tallies up
/// on `root`. Every rank passes the same model, population and patients; `progress` and
/// `outcomes` are each rank's own (a rank's outcomes are its own patients', in patient order).
/// Returns the whole run's tally on the root and nothing elsewhere. Throws on every rank as
/// `agree` does when any rank fails.
[[nodiscard]] std::optional<cohort_tally> simulate(const model& model, const population& population, MPI_Comm comm,
                                                   const simulation_options& options = {}, int root = 0);

/// Collective over `comm`: adds every rank's paired tally into the root's, exactly, as `reduce` does.
void reduce(paired_tally& tally, MPI_Comm comm, int root = 0);

/// Collective over `comm`: `simulate_paired` of the two populations, each rank its rank_range of
/// the patients, the paired tallies added up on `root` as `simulate` does. Returns the whole
/// run's paired tally on the root and nothing elsewhere.
[[nodiscard]] std::optional<paired_tally> simulate_paired(const model& model, const population& population, const aftermath::population& compared,
                                                          MPI_Comm comm, const simulation_options& options = {}, int root = 0);

}  // namespace aftermath::mpi

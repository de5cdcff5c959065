// Patients simulated on threads in chunks: the hand-out of chunks, progress and failures, shared
// by `simulate` and `simulate_paired`. Which thread takes which chunk varies from run to run;
// the callers keep results that do not depend on it (integer tallies, outcomes put in order).
#pragma once

#include <aftermath/simulation.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace aftermath::detail {

/// Patients per unit of work: large enough to amortise the hand-over, small enough to balance.
constexpr std::uint64_t chunk_size = 4096;

using progress_callback = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// The run's patients: `options.patients`, or all n. Throws input_error for a range outside [0, n).
[[nodiscard]] inline patient_range patients_of(const population& population, const simulation_options& options) {
  const patient_range range = options.patients.value_or(patient_range{0, population.n});
  if (!(range.first <= range.last && range.last <= population.n))
    throw input_error("patients", "[" + std::to_string(range.first) + ", " + std::to_string(range.last) + ") is not within [0, n)",
                      problem_code::out_of_range);
  return range;
}

[[nodiscard]] inline std::uint64_t chunks_of(patient_range range) { return (range.last - range.first + chunk_size - 1) / chunk_size; }

/// The threads a run uses: as asked (0: one per hardware thread), at most one per chunk, at least one.
[[nodiscard]] inline unsigned threads_for(patient_range range, unsigned asked) {
  const unsigned wanted = asked ? asked : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::clamp<std::uint64_t>(chunks_of(range), 1, wanted));
}

/// Runs the chunks of `range` on `threads` threads (the calling thread is one of them). Thread t
/// makes its worker once, `make_worker(t)`, and calls `worker(chunk, first, last)` for each chunk
/// it takes, chunks being taken in increasing order. When a worker throws, the other threads stop
/// at their next chunk, `on_failure()` runs (to wake anyone waiting for that chunk), and once all
/// have stopped the failure of the lowest thread is rethrown. `progress` hears of finished
/// patients now and then, one call at a time, and once more at the end.
template <class MakeWorker>
void run_in_chunks(patient_range range, unsigned threads, const progress_callback& progress, MakeWorker make_worker,
                   const std::function<void()>& on_failure = {}) {
  const std::uint64_t chunks = chunks_of(range), total = range.last - range.first;
  std::atomic<std::uint64_t> next_chunk{0}, done{0};
  std::mutex progress_mutex;
  std::vector<std::exception_ptr> errors(threads);
  const auto work = [&](unsigned t) {
    try {
      auto worker = make_worker(t);
      for (std::uint64_t chunk; (chunk = next_chunk++) < chunks;) {
        const std::uint64_t first = range.first + chunk * chunk_size;
        const std::uint64_t last = std::min(range.last, first + chunk_size);
        worker(chunk, first, last);
        const std::uint64_t so_far = done += last - first;
        if (progress && progress_mutex.try_lock()) {
          progress(so_far, total);
          progress_mutex.unlock();
        }
      }
    } catch (...) {
      errors[t] = std::current_exception();
      next_chunk = chunks;  // the others stop at their next chunk
      if (on_failure) on_failure();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work, t);
  work(0);
  for (auto& worker : workers) worker.join();
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
  if (progress) progress(total, total);
}

}  // namespace aftermath::detail

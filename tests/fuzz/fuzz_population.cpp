// The population loader: parse_population against the default model; the population written
// back must read as itself. Then a simulation of its first three patients, summarised (every
// number finite), written as a partial summary that must read back count for count.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/simulation.hpp>

#include <algorithm>

using namespace aftermath;

namespace {

void check_round_trip(const model& m, const population& loaded) {
  const std::string written = to_json(loaded, -1);
  population reread;
  try {
    reread = parse_population(written, m, "the population written back");
  } catch (const input_error& error) {
    fuzz::finding("the population, written back, does not load: " + std::string(error.what()) + "\n" + written);
  }
  if (!(reread == loaded)) fuzz::finding("the population written back reads as another population: " + written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const population loaded = fuzz::load([&] { return parse_population(input, m); });
    check_round_trip(m, loaded);
    // Three patients on one thread keep one input fast; the sessions and horizon are as given.
    population cohort = loaded;
    cohort.n = std::min<std::uint64_t>(cohort.n, 3);
    const cohort_tally tally = simulate(m, cohort, {.threads = 1});
    const cohort_summary summary = summarise(m, cohort, tally);
    fuzz::check_summary(summary);
    fuzz::require_no_nan_text(to_json(summary, -1), input, "the cohort summary");
    fuzz::check_partial_round_trip(m, {"", cohort, {0, cohort.n}, tally}, "the simulated tally");
  });
}

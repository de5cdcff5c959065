// The population loader: parse_population_sweep (and parse_population, which must agree with it)
// against the default model; every arm written back must read as itself. Then a simulation of its first three patients, summarised (every
// number finite), written as a partial summary that must read back count for count.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/simulation.hpp>

#include <algorithm>
#include <vector>

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

/// A sweep's arms each read as themselves; without a list, the one arm is parse_population's
/// population, and with one, parse_population refuses the file.
void check_sweep(const model& m, std::string_view input, const std::vector<population>& arms) {
  if (arms.empty() || arms.size() > 20) fuzz::finding("a sweep of " + std::to_string(arms.size()) + " arms was accepted");
  for (const auto& arm : arms) check_round_trip(m, arm);
  if (arms.size() > 1) {
    try {
      (void)parse_population(input, m);
      fuzz::finding("parse_population accepted a sweep of " + std::to_string(arms.size()) + " arms");
    } catch (const input_error&) {
    }
  } else if (!(parse_population(input, m) == arms.front())) {
    fuzz::finding("parse_population and parse_population_sweep read one population differently");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const std::vector<population> arms = fuzz::load([&] { return parse_population_sweep(input, m); });
    check_sweep(m, input, arms);
    const population& loaded = arms.front();
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

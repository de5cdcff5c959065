// The partial summary reader (`aftermath merge`): parse_partial against the default model; the
// partial written back must read again count for count. A partial that covers its whole cohort
// is merged alone and summarised, and every number must be finite.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/simulation.hpp>

using namespace aftermath;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const cohort_partial part = fuzz::load([&] { return parse_partial(input, m, "partial"); });

    fuzz::check_partial_round_trip(m, part, "the partial summary read");

    // merge refuses, with input_error, a shard that does not cover [0, n) alone.
    const cohort_tally whole = merge(m, {part});
    const cohort_summary summary = summarise(m, part.population, whole);
    fuzz::check_summary(summary);
    fuzz::require_no_nan_text(to_json(summary, -1), input, "the merged summary");
  });
}

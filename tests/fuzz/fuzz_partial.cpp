// The partial summary reader (`aftermath merge`): parse_partial against the default model; the
// partial written back must read again count for count. A partial that covers its whole cohort
// is merged alone and summarised, and every number must be finite; a shard of a replicated run
// writes back figure for figure.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/simulation.hpp>
#include <aftermath/uncertainty.hpp>

#include <cmath>
#include <vector>

using namespace aftermath;

namespace {

bool same_figures(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t r = 0; r < a.size(); ++r) {
    if (a[r].size() != b[r].size()) return false;
    for (std::size_t k = 0; k < a[r].size(); ++k)
      if (!(a[r][k] == b[r][k] || (std::isnan(a[r][k]) && std::isnan(b[r][k])))) return false;
  }
  return true;
}

/// A shard of a replicated run writes back figure for figure, and merged alone (when it holds
/// every replicate) gives a summary with no NaN in it.
void check_replicates(const model& m, const cohort_partial& part, std::string_view input) {
  const std::string written = to_partial_json(m, part.population, part.tally, *part.replicates);
  const cohort_partial reread = parse_partial(written, m, "the replicated partial written back");
  if (!reread.replicates || !same_figures(reread.replicates->figures, part.replicates->figures))
    fuzz::finding("the replicated partial written back reads as other figures: " + written);
  if (part.replicates->first != 0 || part.replicates->last != part.replicates->count) return;
  fuzz::require_no_nan_text(to_json(merge_replicated(m, {part}), -1), input, "the merged replicated summary");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const cohort_partial part = fuzz::load([&] { return parse_partial(input, m, "partial"); });

    fuzz::check_partial_round_trip(m, part, "the partial summary read");

    if (part.replicates) check_replicates(m, part, input);

    // merge refuses, with input_error, a shard that does not cover [0, n) alone.
    const cohort_tally whole = merge(m, {part});
    const cohort_summary summary = summarise(m, part.population, whole);
    fuzz::check_summary(summary);
    fuzz::require_no_nan_text(to_json(summary, -1), input, "the merged summary");
  });
}

// The profile loader: parse_profile against the default model, then personalise and a
// projection over a few days, whose numbers must be finite and percentiles in order.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>

using namespace aftermath;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const profile patient = fuzz::load([&] { return parse_profile(input, m); });
    // A short horizon and the fewest quadrature nodes keep one input fast; the resolution
    // times are computed in full whatever the horizon.
    const projection projected = project(personalise(m, patient), {.horizon = days(4), .points_per_day = 1, .quadrature_nodes = 8});
    fuzz::check_projection(projected);
    fuzz::require_no_nan_text(to_json(projected, patient, -1), input, "the projection");
  });
}

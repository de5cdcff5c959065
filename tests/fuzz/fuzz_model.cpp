// The model loader: parse_model, then the model written back and read again, which must load
// and write the same bytes; and a one-session projection with it, whose numbers must be finite.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>

#include <algorithm>

using namespace aftermath;

namespace {

std::string first_difference(const std::string& a, const std::string& b) {
  const auto [in_a, in_b] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  const auto at = static_cast<std::size_t>(in_a - a.begin());
  const std::size_t from = at < 40 ? 0 : at - 40;
  return "at byte " + std::to_string(at) + ": '" + a.substr(from, 80) + "' became '" + b.substr(from, 80) + "'";
}

void check_round_trip(const model& loaded, std::string_view input) {
  const std::string written = to_json(loaded, -1);
  model reread;
  try {
    reread = parse_model(written, "the model written back");
  } catch (const input_error& error) {
    fuzz::finding(std::string("the model, written back, does not load: ") + error.what());
  }
  const std::string rewritten = to_json(reread, -1);
  if (rewritten != written) fuzz::finding("the model written back and read again is written differently " + first_difference(written, rewritten));
  fuzz::require_no_nan_text(written, input, "the model written back");
}

/// One session of the default treatment, two days of curve, the fewest quadrature nodes: the
/// model's numbers go through the engine without making one input slow.
void check_projection(const model& loaded, std::string_view input) {
  const profile patient = parse_profile(R"({"sessions": ["2026-12-01"]})", loaded);
  const projection projected = project(personalise(loaded, patient), {.horizon = days(2), .points_per_day = 1, .quadrature_nodes = 8});
  fuzz::check_projection(projected);
  fuzz::require_no_nan_text(to_json(projected, patient, -1), input, "the projection");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model loaded = fuzz::load([&] { return parse_model(input); });
    check_round_trip(loaded, input);
    check_projection(loaded, input);
  });
}

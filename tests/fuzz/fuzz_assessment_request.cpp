// The assessment request loader (POST /assess): parse_assessment_request against the default
// model, then assess, whose numbers must be finite and percentiles in order.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

using namespace aftermath;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const assessment_request request = fuzz::load([&] { return parse_assessment_request(input, m); });
    const assessment assessed = assess(m, personalise(m, request.patient), request.reports);
    fuzz::check_assessment(assessed);
    fuzz::require_no_nan_text(to_json(assessed, m, request.patient, -1), input, "the assessment");
  });
}

// The planning request loader: parse_plan_request against the default model, then plan, whose
// dates must be on the calendar, in order, and whose chances must be finite.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/plan.hpp>

using namespace aftermath;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    plan_request request = fuzz::load([&] { return parse_plan_request(input, m); });
    // Maintenance is planned for at most two months after the first possible day, so one input
    // stays fast; everything else is planned as asked.
    const date bound = request.earliest + boost::gregorian::days(60);
    if (!request.maintenance_until || *request.maintenance_until > bound) request.maintenance_until = bound;
    const treatment_plan planned = plan(m, request);
    fuzz::check_plan(planned);
    fuzz::require_no_nan_text(to_json(planned, -1), input, "the plan");
  });
}

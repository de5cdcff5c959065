// Validation up front: the checks each service makes before it computes, gathered in one call.
#include <aftermath/validate.hpp>

#include "checks.hpp"

namespace aftermath {
namespace {

void append(std::vector<input_problem>& to, std::vector<input_problem> more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

std::vector<input_problem> validate(const model& model, const profile& profile, const projection_options& options) {
  auto problems = check_profile(model, profile);
  detail::check_stops_before_last_session(profile, problems);
  append(problems, check_projection_options(options));
  return problems;
}

std::vector<input_problem> validate(const model& model, const profile& profile, const std::vector<symptom_report>& reports,
                                    const assessment_options& options) {
  if (auto nodes = detail::quadrature_node_problem(options.quadrature_nodes)) return {std::move(*nodes)};
  if (auto problems = check_profile(model, profile); !problems.empty()) return problems;
  return check_reports(model, personalise(model, profile), reports);
}

std::vector<input_problem> validate(const model& model, const plan_request& request) {
  if (auto problems = check_plan_request(model, request); !problems.empty()) return problems;
  // Reports are assessed against the done sessions only when no healing estimate is given.
  if (request.reports.empty() || request.healing) return {};
  return check_reports(model, personalise(model, request.patient), request.reports);
}

std::vector<input_problem> validate(const model& model, const population& population) { return check_population(model, population); }

}  // namespace aftermath

// aftermath: every problem an input would raise, found up front.
//
// Each `validate` lists, with their paths, all the problems the service it names would throw as
// input_error for the same arguments, and what the document readers refuse besides (a medicine
// stopped after the last session): a form can mark every field at once, and an empty list means
// the call will not be refused for its input. Validation personalises at
// most (arithmetic on the model's numbers); it never projects, assesses, plans or simulates.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/assessment.hpp>
#include <aftermath/error.hpp>
#include <aftermath/model.hpp>
#include <aftermath/plan.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/simulation.hpp>

#include <vector>

namespace aftermath {

/// What `project(personalise(model, profile), options)` would refuse, and a medicine stopped
/// after the last session, as `parse_profile` refuses it.
[[nodiscard]] std::vector<input_problem> validate(const model& model, const profile& profile, const projection_options& options = {});

/// What `assess(model, personalise(model, profile), reports, options)` would refuse.
[[nodiscard]] std::vector<input_problem> validate(const model& model, const profile& profile, const std::vector<symptom_report>& reports,
                                                  const assessment_options& options);

/// What `plan(model, request)` would refuse, the reports on done sessions included.
[[nodiscard]] std::vector<input_problem> validate(const model& model, const plan_request& request);

/// What `simulate(model, population, ...)` would refuse for the population.
[[nodiscard]] std::vector<input_problem> validate(const model& model, const population& population);

}  // namespace aftermath

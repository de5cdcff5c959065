// One patient with no risk factor and one session, assessed against the default model, and
// whether a rule fired: what the assessment's behaviour tests share.
#pragma once

#include "profiles.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace aftermath::testing {

struct assessment_fixture {
  profile person = patient_with({});
  personal_course course = personalise(default_model(), person);
  assessment run(const std::vector<symptom_report>& reports) const { return assess(default_model(), course, reports); }
};

inline bool fired(const assessment& a, const std::string& rule) {
  return std::any_of(a.reasons.begin(), a.reasons.end(), [&](const triage_reason& r) { return r.rule == rule; });
}

}  // namespace aftermath::testing

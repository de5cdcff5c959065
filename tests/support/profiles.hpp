// Small builders for test profiles.
#pragma once

#include <aftermath/profile.hpp>

#include <string>
#include <vector>

namespace aftermath::testing {

inline date day(int year, int month, int d) {
  return date(static_cast<unsigned short>(year), static_cast<unsigned short>(month), static_cast<unsigned short>(d));
}

/// Sessions on the given days after 2026-12-01, with the given risk factors.
inline profile patient_with(std::vector<risk_factor> factors, std::vector<int> session_days = {0}) {
  profile p;
  p.patient = "test";
  p.risk_factors = std::move(factors);
  for (int d : session_days) p.sessions.push_back({day(2026, 12, 1) + boost::gregorian::days(d), std::nullopt});
  return p;
}

inline const effect_course& effect_named(const personal_course& course, const std::string& id) {
  for (const auto& e : course.effects)
    if (e.id == id) return e;
  throw std::out_of_range("no effect " + id);
}

}  // namespace aftermath::testing

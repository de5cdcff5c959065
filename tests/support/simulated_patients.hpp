// Patients drawn from the model itself, with the reports they would give: one healing-time
// term z shared by every effect, per effect a peak term and occurrence per session, and each
// report the true severity times e^{σ_r ε}. Written for obviousness, as the reference Monte
// Carlo is: the assessment must recognise these patients without knowing their terms.
#pragma once

#include "reference_monte_carlo.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/course.hpp>

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace aftermath::testing {

struct simulated_effect {
  const effect_course* effect = nullptr;
  detail::patient curve;  ///< the sessions after which it occurred, with their curves
  bool occurred() const { return !curve.starts.empty(); }
};

struct simulated_patient {
  double z = 0.0;  ///< healing-time term in standard deviations
  std::vector<simulated_effect> effects;
};

/// Draws a patient; `z` fixes the healing-time term (e.g. the 99th percentile) when given.
inline simulated_patient draw_patient(const personal_course& course, std::mt19937_64& rng, std::optional<double> z = {}) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  simulated_patient p;
  p.z = z ? *z : normal(rng);
  for (const auto& effect : course.effects) {
    simulated_effect e{&effect, {}};
    const double eta_a = effect.peak_sd * normal(rng);
    for (const auto& session : effect.sessions) {
      if (uniform(rng) >= session.occurrence.value()) continue;
      e.curve.add(session.start.count(), session.amplitude * std::exp(eta_a),
                  effect.shape.stretched(session.time_scale * std::exp(effect.healing_time_sd * p.z)));
    }
    p.effects.push_back(std::move(e));
  }
  return p;
}

/// A report of the effect on the given day, with reporting noise, kept within 0–10, as an exact
/// real number.
inline symptom_report report_of(const simulated_effect& e, double day, double noise_sd, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  const double reported = std::min(10.0, e.curve.severity(day) * std::exp(noise_sd * normal(rng)));
  return {days(day), e.effect->id, reported, {}, rating_scale::real_0_10};
}

/// Reports of every effect the patient has, on each of the days.
inline std::vector<symptom_report> reports_on(const simulated_patient& p, const std::vector<double>& report_days,
                                              double noise_sd, std::mt19937_64& rng) {
  std::vector<symptom_report> out;
  for (double day : report_days)
    for (const auto& e : p.effects)
      if (e.occurred()) out.push_back(report_of(e, day, noise_sd, rng));
  return out;
}

}  // namespace aftermath::testing

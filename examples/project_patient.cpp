// Project a patient's recovery with the embedded default model: the example in the README.
#include <aftermath/aftermath.hpp>

#include <cmath>
#include <iostream>

int main() {
  using namespace aftermath;
  const model& model = default_model();  // facial mesotherapy, every number with its evidence

  // A bruise-prone patient who stopped aspirin three days before the first of two sessions.
  const profile patient = parse_profile(R"({
      "patient": "anon-17",
      "risk_factors": ["bruise_prone", {"id": "aspirin", "stopped_on": "2026-11-28"}],
      "sessions": ["2026-12-01", "2026-12-15"]})",
                                        model);

  const projection projected = project(personalise(model, patient), {.horizon = days(45)});

  for (const effect_projection& effect : projected.effects) {
    std::cout << effect.name << ": " << std::lround(100 * effect.occurs.value()) << "% chance; usually gone by "
              << iso_date(date_after_first(patient, effect.resolved.p50)) << ", almost always by "
              << iso_date(date_after_first(patient, effect.resolved.p95)) << "\n";
  }
  std::cout << projected.notice << "\n";
}

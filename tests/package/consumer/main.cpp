// Built against the installed package: projects the default model for one session. The io
// functions are reached through their namespace, as a consumer may name them.
#include <aftermath/aftermath.hpp>

#include <iostream>

int main() {
  aftermath::profile patient;
  patient.sessions.push_back({aftermath::date(2026, 12, 1), std::nullopt});
  const auto projected = aftermath::project(aftermath::personalise(aftermath::io::default_model(), patient));
  if (projected.effects.empty()) return 1;
  std::cout << projected.effects.front().name << " usually resolves by day "
            << projected.effects.front().resolved.p50.count() << "\n";
  return 0;
}

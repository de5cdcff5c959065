// Replicate intervals cover the truth of a toy model at their nominal rate: the default model
// with every number fixed but bruising's incidence, whose truth is drawn by another generator.
#include <aftermath/io/json.hpp>
#include <aftermath/uncertainty.hpp>

#include "core/model_parameters.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace aftermath {
namespace {

const model& m = default_model();

/// The default model with every number fixed but one, whose logit-scale SD is `sd`.
model only_uncertain(std::string_view id, double sd) {
  model out = m;
  detail::for_each_parameter(out, [&](const std::string& name, parameter& p, const parameter_kind&) {
    p.uncertainty = stated_uncertainty{std::nullopt, name == id ? sd : 0.0, {}, "a test", {}};
  });
  return out;
}

population one_session(std::uint64_t n, std::uint64_t seed) {
  return parse_population(R"({"sessions_days": [0], "n": )" + std::to_string(n) + R"(, "seed": )" + std::to_string(seed) + "}", m);
}

// The truth is drawn from the stated distribution by another generator; the 95 % interval of
// R = 199 replicates covers it in 0.95 · (R − 1)/(R + 1) = 94.5 % of repeats, less the little
// Monte Carlo noise of 1000 patients.
TEST(SimulateReplicates, IntervalsCoverTheTruthOfAToyModelAtTheNominalRate) {
  constexpr double sd = 0.6;
  const model toy = only_uncertain("effects.bruising.incidence", sd);
  const double logit = std::log(0.3 / 0.7);
  std::mt19937_64 random(20261202);
  std::normal_distribution<double> z;
  constexpr int repeats = 400;
  const auto bruising = static_cast<std::size_t>(m.find_effect("bruising") - m.effects.data());
  int covered = 0;
  for (int k = 0; k < repeats; ++k) {
    const double truth = 1.0 / (1.0 + std::exp(-(logit + sd * z(random))));
    const auto run = simulate_replicates(toy, one_session(1000, static_cast<std::uint64_t>(k)), 199, {.threads = 1});
    const double low = run.uncertainty.low.effects[bruising].occurs.value(), high = run.uncertainty.high.effects[bruising].occurs.value();
    covered += low <= truth && truth <= high;
  }
  const double rate = static_cast<double>(covered) / repeats;
  EXPECT_GE(rate, 0.93);
  EXPECT_LE(rate, 0.97);
}

}  // namespace
}  // namespace aftermath

// Replicate intervals cover the truth of a toy model at their nominal rate: the default model
// with bruising alone and every number fixed but its incidence, whose truth is drawn by another
// generator.
#include <aftermath/io/json.hpp>
#include <aftermath/uncertainty.hpp>

#include "core/model_parameters.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <iostream>
#include <random>

namespace aftermath {
namespace {

const model& m = default_model();

/// The default model with bruising alone, every number fixed but its incidence, whose logit-scale
/// SD is `sd`.
model toy_model(double sd) {
  model out = m;
  out.effects.erase(std::remove_if(out.effects.begin(), out.effects.end(), [](const effect_spec& e) { return e.id != "bruising"; }),
                    out.effects.end());
  detail::for_each_parameter(out, [&](const std::string& name, parameter& p, const parameter_kind&) {
    p.uncertainty = stated_uncertainty{std::nullopt, name == "effects.bruising.incidence" ? sd : 0.0, {}, "a test", {}};
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
  const model toy = toy_model(sd);
  const double logit = std::log(0.3 / 0.7);
  constexpr int repeats = 400;
  std::vector<double> truths;
  std::mt19937_64 random(20261202);
  std::normal_distribution<double> z;
  for (int k = 0; k < repeats; ++k) truths.push_back(1.0 / (1.0 + std::exp(-(logit + sd * z(random)))));
  // Repeats are independent: half on each of two threads.
  const auto covered_in = [&](int first, int step) {
    int covered = 0;
    for (int k = first; k < repeats; k += step) {
      const auto run = simulate_replicates(toy, one_session(1000, static_cast<std::uint64_t>(k)), 199, {.threads = 1});
      const double low = run.uncertainty.low.effects[0].occurs.value(), high = run.uncertainty.high.effects[0].occurs.value();
      covered += low <= truths[static_cast<std::size_t>(k)] && truths[static_cast<std::size_t>(k)] <= high;
    }
    return covered;
  };
  auto other = std::async(std::launch::async, covered_in, 1, 2);
  const double rate = static_cast<double>(covered_in(0, 2) + other.get()) / repeats;
  EXPECT_GE(rate, 0.93);
  EXPECT_LE(rate, 0.97);
  std::cout << "95 % intervals of 199 replicates covered the truth in " << rate * 100 << " % of " << repeats << " repeats\n";
}

}  // namespace
}  // namespace aftermath

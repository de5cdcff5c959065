// Sobol indices: what the estimator costs beyond the model. A cheap function of d = 20 inputs
// (a few multiply-adds, so the estimator's own work shows), N = 1024 base samples, on one thread,
// against the floor: the same function evaluated N·(d+2) times through the same std::function
// on points already in memory. Reported as ratios to the floor: with the default 500 bootstrap
// resamples, and with one, which leaves the design (drawing A and B, storing by row) and the
// estimators themselves.
#include <aftermath/sensitivity.hpp>

#include <benchmark/benchmark.h>

#include "ratios.hpp"

#include <random>
#include <string>
#include <vector>

namespace {

using namespace aftermath;

constexpr std::size_t inputs = 20;
constexpr std::size_t base_samples = 1024;

/// A cheap model with a little of everything: main effects of different sizes and one interaction.
double cheap_model(std::span<const double> u) {
  double y = u[0] * u[1];
  for (std::size_t i = 0; i < u.size(); ++i) y += static_cast<double>(i + 1) * u[i] * u[i];
  return y;
}

const std::function<double(std::span<const double>)>& model() {
  static const std::function<double(std::span<const double>)> f = cheap_model;
  return f;
}

void BM_Floor_Evaluations(benchmark::State& state) {
  std::mt19937_64 engine(42);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> points(base_samples * inputs);
  for (double& u : points) u = uniform(engine);
  const std::size_t evaluations = base_samples * (inputs + 2);
  for (auto _ : state) {
    double sum = 0;
    for (std::size_t e = 0; e < evaluations; ++e)
      sum += model()(std::span<const double>(points.data() + e % base_samples * inputs, inputs));
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(evaluations));
}
BENCHMARK(BM_Floor_Evaluations)->Unit(benchmark::kMillisecond);

void BM_Sobol_Cheap(benchmark::State& state) {
  const sobol_options options{.base_samples = base_samples, .bootstrap = static_cast<std::size_t>(state.range(0)), .threads = 1};
  for (auto _ : state) benchmark::DoNotOptimize(sobol_indices(inputs, model(), options));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(base_samples * (inputs + 2)));
}
BENCHMARK(BM_Sobol_Cheap)->Arg(500)->Arg(1)->Unit(benchmark::kMillisecond);

const bool ratios_registered = [] {
  auto& ratios = aftermath::bench::registered_ratios();
  ratios.emplace_back("BM_Sobol_Cheap/500", "BM_Floor_Evaluations");
  ratios.emplace_back("BM_Sobol_Cheap/1", "BM_Floor_Evaluations");
  return true;
}();

}  // namespace

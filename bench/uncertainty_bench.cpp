// Simulation with parameter uncertainty: R = 20 replicates of the README's population against a
// single run of the same n, on one thread (the ratio over R is a replicate's cost in runs). A replicate draws its parameters, copies the model,
// personalises the kinds of patient and simulates; the ratio says what that costs beyond a run.
#include <aftermath/aftermath.hpp>

#include <benchmark/benchmark.h>

#include "ratios.hpp"

namespace {

using namespace aftermath;

constexpr std::uint64_t replicates = 20;

population readme_population(std::uint64_t n) {
  return parse_population(R"({"protocol": "face_initial", "seed": 42,
    "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}})",
                          default_model(), "bench", {.n = n, .seed = std::nullopt});
}

void BM_Single_Run(benchmark::State& state) {
  const auto p = readme_population(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(summarise(default_model(), p, simulate(default_model(), p, {.threads = 1})));
}
BENCHMARK(BM_Single_Run)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// R replicates and the nominal run they come with: at most 1.2 · R times a single run.
void BM_Replicates(benchmark::State& state) {
  const auto p = readme_population(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(simulate_replicates(default_model(), p, replicates, {.threads = 1}));
}
BENCHMARK(BM_Replicates)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

const bool ratios_registered = [] {
  auto& ratios = bench::registered_ratios();
  ratios.emplace_back("BM_Replicates/10000", "BM_Single_Run/10000");
  ratios.emplace_back("BM_Replicates/100000", "BM_Single_Run/100000");
  return true;
}();

}  // namespace

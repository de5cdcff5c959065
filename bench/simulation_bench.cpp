// Cohort simulation: the contract's example population (face_initial, four sessions two weeks
// apart, three risk factors) with the default summaries, against
//  - the floor: the least any implementation of the model must do per patient (the same
//    Philox draws and Box–Muller normals, and one exponential per effect and session);
//  - itself on two threads (n = 10^6);
//  - for each population a researcher meets (medicines ongoing or stopped before the course, one
//    to sixteen sessions, the README's population, twelve weekly sessions), the same floor kernel
//    for that population's effects, sessions and risk factors;
//  - a vectorised NumPy simulation of the same model and summaries (bench/peers/numpy_cohort.py),
//    run as a subprocess beside the C++ run in the same benchmark; Python's start-up (interpreter
//    and `import numpy`) is measured separately and reported, and the script times its own compute.
#include <aftermath/aftermath.hpp>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "core/cohort_draws.hpp"
#include "core/cohort_kernel.hpp"
#include "ratios.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

using namespace aftermath;
using clock_type = std::chrono::steady_clock;

population cohort(std::uint64_t n) {
  return parse_population(R"({"protocol": "face_initial", "seed": 42,
    "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": 0.10}})",
                          default_model(), "bench", {.n = n, .seed = std::nullopt});
}

/// The floor for population p: its draws, and one exponential per effect and session.
double floor_kernel(const population& p) {
  const std::size_t effects = default_model().effects.size(), sessions = p.session_days.size();
  detail::patient_draws draws(p.seed, effects + 1, effects * sessions, std::max<std::size_t>(p.prevalences.size(), 1));
  double sum = 0.0;
  for (std::uint64_t i = 0; i < p.n; ++i) {
    draws.draw(i);
    for (std::size_t e = 0; e < effects; ++e)
      for (std::size_t j = 0; j < sessions; ++j)
        sum += std::exp(-0.25 * draws.normals()[e + 1] - 0x1p-32 * draws.occurrences()[j * effects + e] - draws.population()[0] * 0x1p-40);
  }
  return sum;
}

void BM_Floor_Cohort(benchmark::State& state) {
  const auto p = cohort(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(floor_kernel(p));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Floor_Cohort)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Simulate_Cohort(benchmark::State& state) {
  const auto p = cohort(static_cast<std::uint64_t>(state.range(0)));
  const auto threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(simulate(default_model(), p, {.threads = threads}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Simulate_Cohort)->Args({100'000, 1})->Args({1'000'000, 1})->Args({1'000'000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

/// The populations whose speed the README states, each against its own floor (200 000 patients).
struct bench_population {
  std::string name;
  std::string json;
};
const std::vector<bench_population>& bench_populations() {
  const std::string readme_factors = R"("risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30,
      "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}})";
  const auto weekly = [&](int sessions) {
    std::string days;
    for (int j = 0; j < sessions; ++j) days += (j ? ", " : "") + std::to_string(7 * j);
    return R"({"sessions_days": [)" + days + "], " + readme_factors;
  };
  static const std::vector<bench_population> populations{
      {"readme (face_initial, aspirin stopped 3 days before)", R"({"protocol": "face_initial", )" + readme_factors},
      {"medicines ongoing (face_initial: aspirin, anticoagulant)",
       R"({"protocol": "face_initial", "risk_factors": {"bruise_prone": 0.15, "aspirin": 0.10, "anticoagulant": 0.05}})"},
      {"medicines stopped before (anticoagulant 1 day, nsaid 2 days)",
       R"({"protocol": "face_initial", "risk_factors": {"anticoagulant": {"prevalence": 0.3, "stopped_days_before": 1},
           "nsaid": {"prevalence": 0.3, "stopped_days_before": 2}}})"},
      {"1 session", weekly(1)},
      {"2 sessions, 14 days apart", R"({"sessions_days": [0, 14], )" + readme_factors},
      {"8 weekly sessions", weekly(8)},
      {"12 weekly sessions", weekly(12)},
      {"16 weekly sessions", weekly(16)}};
  return populations;
}

population bench_population_at(std::int64_t index) {
  return parse_population(bench_populations().at(static_cast<std::size_t>(index)).json, default_model(), "bench",
                          {.n = 200'000, .seed = 42});
}

void BM_Floor_Population(benchmark::State& state) {
  const auto p = bench_population_at(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(floor_kernel(p));
  state.SetLabel(bench_populations().at(static_cast<std::size_t>(state.range(0))).name);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.n));
}

void BM_Simulate_Population(benchmark::State& state) {
  const auto p = bench_population_at(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(simulate(default_model(), p, {.threads = 1}));
  state.SetLabel(bench_populations().at(static_cast<std::size_t>(state.range(0))).name);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.n));
}
BENCHMARK(BM_Floor_Population)->DenseRange(0, 7)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Simulate_Population)->DenseRange(0, 7)->Unit(benchmark::kMillisecond);

/// The personal courses of every combination of risk factors, as the NumPy peer reads them.
std::string courses_json(const population& p) {
  using json = nlohmann::json;
  const model& m = default_model();
  json groups = json::array();
  json effects = json::array();
  for (std::size_t mask = 0; mask < (std::size_t{1} << p.prevalences.size()); ++mask) {
    std::vector<population_factor> factors;
    for (std::size_t k = 0; k < p.prevalences.size(); ++k)
      if (mask >> k & 1u) factors.push_back(p.prevalences[k].factor);
    const auto course = detail::course_for(m, p, factors);
    json occurrence = json::array(), amplitude = json::array(), scale = json::array();
    for (const auto& effect : course.effects) {
      json o = json::array(), a = json::array(), s = json::array();
      for (const auto& term : effect.sessions) o.push_back(term.occurrence.value()), a.push_back(term.amplitude), s.push_back(term.time_scale);
      occurrence.push_back(o), amplitude.push_back(a), scale.push_back(s);
      if (mask == 0)
        effects.push_back({{"id", effect.id}, {"lag", effect.shape.lag().count()}, {"ka", effect.shape.rise_rate_per_day()},
                           {"ke", effect.shape.decay_rate_per_day()}, {"height", effect.shape.peak_height()},
                           {"peak_sd", effect.peak_sd}, {"healing_sd", effect.healing_time_sd}});
    }
    groups.push_back({{"occurrence", occurrence}, {"amplitude", amplitude}, {"time_scale", scale}});
  }
  json prevalences = json::array();
  for (const auto& f : p.prevalences) prevalences.push_back(f.share.value());
  return json{{"n", p.n}, {"seed", p.seed}, {"session_days", p.session_days}, {"horizon_days", p.horizon_days},
              {"visible", m.visible_threshold.value}, {"resolved", m.resolved_threshold.value}, {"prevalences", prevalences},
              {"effects", effects}, {"groups", groups}}
      .dump();
}

/// Wall-clock seconds to run a command to the end, and what it printed.
std::pair<double, std::string> run_timed(const std::string& command) {
  const auto start = clock_type::now();
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (std::size_t got = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, got);
  if (pclose(pipe) != 0) throw std::runtime_error("failed: " + command);
  return {std::chrono::duration<double>(clock_type::now() - start).count(), out};
}

double seconds_of(const std::function<void()>& work) {
  const auto start = clock_type::now();
  work();
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// One iteration: aftermath on one thread, then the NumPy script on the same population and n.
// The reported time is the script's wall clock; the counters give the ratios.
void BM_NumPy_Peer(benchmark::State& state) {
  const auto p = cohort(static_cast<std::uint64_t>(state.range(0)));
  const auto file = std::filesystem::temp_directory_path() / "aftermath_numpy_courses.json";
  std::ofstream(file) << courses_json(p);
  const std::string python = "/usr/bin/python3";
  const std::string script = std::string(AFTERMATH_SOURCE_DIR) + "/bench/peers/numpy_cohort.py";
  for (auto _ : state) {
    const double ours = seconds_of([&] { benchmark::DoNotOptimize(simulate(default_model(), p, {.threads = 1})); });
    const double startup = run_timed(python + " -c 'import json, numpy'").first;
    const auto [wall, out] = run_timed(python + " " + script + " " + file.string());
    const double compute = nlohmann::json::parse(out)["compute_seconds"].get<double>();
    state.SetIterationTime(wall);
    state.counters["aftermath_s"] = ours;
    state.counters["python_startup_s"] = startup;
    state.counters["numpy_compute_s"] = compute;
    state.counters["x_wall"] = wall / ours;
    state.counters["x_wall_minus_startup"] = (wall - startup) / ours;
    state.counters["x_compute"] = compute / ours;
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_NumPy_Peer)->Arg(20'000)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

const bool ratios_registered = [] {
  auto& ratios = bench::registered_ratios();
  ratios.emplace_back("BM_Simulate_Cohort/100000/1/real_time", "BM_Floor_Cohort/100000");
  ratios.emplace_back("BM_Simulate_Cohort/1000000/1/real_time", "BM_Floor_Cohort/1000000");
  ratios.emplace_back("BM_Simulate_Cohort/1000000/1/real_time", "BM_Simulate_Cohort/1000000/2/real_time");
  for (std::size_t i = 0; i < bench_populations().size(); ++i)
    ratios.emplace_back("BM_Simulate_Population/" + std::to_string(i), "BM_Floor_Population/" + std::to_string(i));
  return true;
}();

}  // namespace

// The Python module's overhead: simulating the contract's example population from Python against
// the same simulation called from C++, in one process, so that both meet the same machine.
//  - BM_Simulate_Service: document_service::simulate on the population's JSON text, threads = 1;
//  - BM_Simulate_Python: aftermath.simulate(population_dict, n=..., threads=1) through the
//    module in an embedded interpreter: the dict written as JSON, the GIL released around the
//    same service call, the summary parsed and its lists made NumPy arrays.
//  - BM_Python_Conversion: the module's own work in that call, without the simulation.
// The reporter prints the Python run's time as a multiple of the C++ run's, and the conversion's;
// the claim is that the first stays within 1.05 at 10^6 patients. Run the two interleaved, several times, on a quiet
// machine:
//   build/release/bench/aftermath_python_bench --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
#include <aftermath/service/documents.hpp>

#include <benchmark/benchmark.h>
#include <pybind11/embed.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {

std::string population_text() {
  std::ifstream in(AFTERMATH_SOURCE_DIR "/tests/docs/pop.json");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void BM_Simulate_Service(benchmark::State& state) {
  const aftermath::document_service service;
  const std::string population = population_text();
  const auto n = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(service.simulate(population, {.n = n, .seed = std::nullopt, .threads = 1}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Simulate_Service)->Arg(1'000'000)->Arg(100'000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Simulate_Python(benchmark::State& state) {
  const py::module_ aftermath = py::module_::import("aftermath");
  const py::object population = py::module_::import("json").attr("loads")(population_text());
  const py::object simulate = aftermath.attr("simulate");
  for (auto _ : state) {
    py::object summary = simulate(population, py::arg("n") = state.range(0), py::arg("threads") = 1);
    benchmark::DoNotOptimize(summary.ptr());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Simulate_Python)->Arg(1'000'000)->Arg(100'000)->UseRealTime()->Unit(benchmark::kMillisecond);

/// What the module adds to the service's call, alone: the population written as JSON, the
/// summary of n patients parsed and its lists made arrays. Short enough to be timed reliably on a
/// busy machine, where the wall times of the two long runs above wander by more than it.
void BM_Python_Conversion(benchmark::State& state) {
  const py::module_ aftermath = py::module_::import("aftermath");
  const py::object population = py::module_::import("json").attr("loads")(population_text());
  const std::string summary =
      aftermath::document_service().simulate(population_text(), {.n = static_cast<std::uint64_t>(state.range(0)), .seed = std::nullopt, .threads = 1});
  const py::str summary_text(summary);
  const py::object to_text = aftermath.attr("_text"), from_json = aftermath.attr("_from_json");
  for (auto _ : state) {
    py::object text = to_text(population, "population");
    py::object document = from_json(summary_text);
    benchmark::DoNotOptimize(text.ptr());
    benchmark::DoNotOptimize(document.ptr());
  }
}
BENCHMARK(BM_Python_Conversion)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

/// Console output, then the Python run's time as a multiple of the C++ run's (the medians when
/// repeated): in wall time, the claim, and in the CPU time of the calling thread, which with one
/// thread is the simulation's and which other work on a busy machine disturbs less.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      const double unit = benchmark::GetTimeUnitMultiplier(run.time_unit);
      const std::string name = run.run_name.str();
      const times measured{run.GetAdjustedRealTime() / unit, run.GetAdjustedCPUTime() / unit};
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median") medians_[name] = measured;
      } else if (!first_.count(name)) {
        first_[name] = measured;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const auto of = [&](const std::string& name) -> std::optional<times> {
      if (medians_.count(name)) return medians_[name];
      if (first_.count(name)) return first_[name];
      return std::nullopt;
    };
    for (const char* n : {"1000000", "100000"}) {
      const std::string python = std::string("BM_Simulate_Python/") + n + "/real_time";
      const std::string service = std::string("BM_Simulate_Service/") + n + "/real_time";
      const auto p = of(python), c = of(service);
      if (!p || !c) continue;
      std::printf("%-40s %8.3fx the wall time, %8.3fx the CPU time of %s\n", python.c_str(), p->wall / c->wall, p->cpu / c->cpu,
                  service.c_str());
    }
    const auto conversion = of("BM_Python_Conversion/1000000/real_time"), service = of("BM_Simulate_Service/1000000/real_time");
    if (conversion && service)
      std::printf("%-40s %8.4fx the wall time of BM_Simulate_Service/1000000/real_time\n", "BM_Python_Conversion/1000000/real_time",
                  conversion->wall / service->wall);
  }

 private:
  struct times {
    double wall = 0, cpu = 0;
  };
  std::map<std::string, times> medians_, first_;
};

}  // namespace

int main(int argc, char** argv) {
  const py::scoped_interpreter interpreter;
  py::module_::import("sys").attr("path").attr("insert")(0, AFTERMATH_PYTHON_DIR);
  benchmark::Initialize(&argc, argv);
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
}

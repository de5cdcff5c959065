// Projecting one patient (all effects, 60-day daily curve) for 1 and 6 sessions, against a
// plain Monte Carlo of the same model in the same run; assessing 10 reports; writing the
// projection chart. The closing
// lines print each time as a multiple of the projection's: the ratio is what to quote.
#include <aftermath/aftermath.hpp>

#include <benchmark/benchmark.h>

#include <map>

#include "ratios.hpp"
#include "support/profiles.hpp"
#include "support/reference_monte_carlo.hpp"

namespace {

using namespace aftermath;

profile patient_with_sessions(int sessions) {
  std::vector<int> days_of;
  for (int j = 0; j < sessions; ++j) days_of.push_back(7 * j);
  return testing::patient_with({{"bruise_prone", std::nullopt}}, days_of);
}

personal_course course_with(int sessions) { return personalise(default_model(), patient_with_sessions(sessions)); }

void BM_Project_Patient(benchmark::State& state) {
  const auto course = course_with(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(project(course, {.horizon = days(60)}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Project_Patient)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond);

// The same answers (bands, P(visible), resolution quantiles for every effect) by sampling.
void BM_MonteCarlo_Patient(benchmark::State& state) {
  const auto course = course_with(static_cast<int>(state.range(0)));
  const auto samples = static_cast<std::size_t>(state.range(1));
  for (auto _ : state)
    for (const auto& effect : course.effects)
      benchmark::DoNotOptimize(testing::reference_monte_carlo(effect, course.visible.value(), course.resolved.value(), 60, samples, 1));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MonteCarlo_Patient)->Args({1, 100'000})->Args({1, 1'000'000})->Args({6, 100'000})->Unit(benchmark::kMillisecond)->Iterations(1);

// The projection chart of the same patient, from its projection: what a chart adds to `project`.
void BM_Svg_Projection(benchmark::State& state) {
  const auto patient = patient_with_sessions(static_cast<int>(state.range(0)));
  const auto projected = project(personalise(default_model(), patient), {.horizon = days(60)});
  for (auto _ : state) benchmark::DoNotOptimize(to_svg(projected, patient, default_model().wording.chart));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Svg_Projection)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond);

// The leaflet as `aftermath leaflet --html` writes it, from a projection on the chart's grid of 8
// points a day: the leaflet (which projects the course up to each earlier session, for the fade
// dates after each), its chart and the page.
void BM_Leaflet_Html(benchmark::State& state) {
  const auto patient = patient_with_sessions(static_cast<int>(state.range(0)));
  const auto projected = project(personalise(default_model(), patient), {.horizon = days(60), .points_per_day = 8});
  for (auto _ : state)
    benchmark::DoNotOptimize(to_html(make_leaflet(default_model(), patient, projected), to_svg(projected, patient, default_model().wording.chart)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Leaflet_Html)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond);

/// Ten reports over the first ten days (bruising, redness, swelling, one with a flag).
std::vector<symptom_report> ten_reports() {
  std::vector<symptom_report> reports;
  for (int d = 1; d <= 10; ++d)
    reports.push_back({days(d), d % 3 == 0 ? "redness" : d % 3 == 1 ? "bruising" : "swelling", 4.0 / d,
                       d == 5 ? std::vector<std::string>{"warmth"} : std::vector<std::string>{}});
  return reports;
}

void BM_Assess_TenReports(benchmark::State& state) {
  const auto course = course_with(static_cast<int>(state.range(0)));
  const auto reports = ten_reports();
  for (auto _ : state) benchmark::DoNotOptimize(assess(default_model(), course, reports));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Assess_TenReports)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

/// A six-session facial course on a Monday-to-Friday calendar with US holidays, then a year of
/// maintenance; `with_event` adds a wedding to keep clear and a bruise-prone patient on aspirin.
plan_request six_sessions_and_a_year(bool with_event) {
  plan_request r;
  r.protocol = "face_initial";
  r.sessions = 6;
  r.earliest = date(2026, 12, 1);
  r.calendar.holidays.push_back(*find_holiday_set("us_federal"));
  r.calendar.closures.push_back(date(2026, 12, 24));
  if (with_event) {
    r.patient.risk_factors = {{"bruise_prone", {}}, {"aspirin", {}}};
    r.events.push_back({"wedding", date(2027, 3, 20), 0.95});
  }
  return r;
}

void BM_Plan_SixSessionsAndAYear(benchmark::State& state) {
  const auto request = six_sessions_and_a_year(state.range(0) != 0);
  for (auto _ : state) benchmark::DoNotOptimize(plan(default_model(), request));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Plan_SixSessionsAndAYear)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

/// Console output plus, at the end, each Monte Carlo run as a multiple of the projection.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs)
      seconds_[run.benchmark_name()] = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const auto ratio = [&](const std::string& mc, const std::string& baseline) {
      if (!seconds_.count(mc) || !seconds_.count(baseline)) return;
      std::printf("%-45s %8.3fx the time of %s\n", mc.c_str(), seconds_[mc] / seconds_[baseline], baseline.c_str());
    };
    ratio("BM_MonteCarlo_Patient/1/100000/iterations:1", "BM_Project_Patient/1");
    ratio("BM_MonteCarlo_Patient/1/1000000/iterations:1", "BM_Project_Patient/1");
    ratio("BM_MonteCarlo_Patient/6/100000/iterations:1", "BM_Project_Patient/6");
    ratio("BM_Assess_TenReports/1", "BM_Project_Patient/1");
    ratio("BM_Assess_TenReports/2", "BM_Project_Patient/1");
    ratio("BM_Plan_SixSessionsAndAYear/0", "BM_Project_Patient/1");
    ratio("BM_Plan_SixSessionsAndAYear/1", "BM_Project_Patient/1");
    ratio("BM_Svg_Projection/1", "BM_Project_Patient/1");
    ratio("BM_Svg_Projection/6", "BM_Project_Patient/6");
    ratio("BM_Leaflet_Html/1", "BM_Project_Patient/1");
    ratio("BM_Leaflet_Html/6", "BM_Project_Patient/6");
    for (const auto& [measured, baseline] : bench::registered_ratios()) ratio(measured, baseline);
  }

 private:
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
}

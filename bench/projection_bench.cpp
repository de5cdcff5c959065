// Projecting one patient (all effects) for courses of 1 to 52 sessions, against the exact
// enumeration it replaced and a plain Monte Carlo of the same model, in the same run; assessing
// ten reports; planning, and rescheduling after a weekly course with reports; writing the
// projection chart and the leaflet. The closing lines print each time as a multiple of a
// baseline's, and the projection's and assessment's time per session of the course: the ratios
// are what to quote.
#include <aftermath/aftermath.hpp>

#include <benchmark/benchmark.h>

#include <map>

#include "ratios.hpp"
#include "support/exact_enumeration.hpp"
#include "support/profiles.hpp"
#include "support/reference_monte_carlo.hpp"

namespace {

using namespace aftermath;

/// The courses of the benchmark, by their number of sessions: weekly for a bruise-prone patient,
/// except 22, the scalp year (ten weekly sessions, then twelve monthly).
profile course_of(int sessions) {
  std::vector<int> days_of;
  if (sessions == 22) {
    for (int j = 0; j < 10; ++j) days_of.push_back(7 * j);
    for (int month = 1; month <= 12; ++month) days_of.push_back(63 + 30 * month);
    auto p = testing::patient_with({{"bruise_prone", std::nullopt}}, days_of);
    p.treatment = "mesotherapy_scalp";
    return p;
  }
  for (int j = 0; j < sessions; ++j) days_of.push_back(7 * j);
  return testing::patient_with({{"bruise_prone", std::nullopt}}, days_of);
}

profile patient_with_sessions(int sessions) { return course_of(sessions); }
personal_course course_with(int sessions) { return personalise(default_model(), course_of(sessions)); }
double last_session(const personal_course& course) { return course.session_starts.back().count(); }

/// The curve covers at least 60 days and 30 days past the last session: the whole course.
projection_options options_for(const personal_course& course) { return {.horizon = days(std::max(60.0, last_session(course) + 30.0))}; }

void BM_Project_Patient(benchmark::State& state) {
  const auto course = course_with(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(project(course, options_for(course)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Project_Patient)->Arg(1)->Arg(4)->Arg(6)->Arg(12)->Arg(22)->Arg(52)->Unit(benchmark::kMillisecond);

// The first release's exact enumeration of every set of overlapping sessions (tests/support).
void BM_Project_Exact(benchmark::State& state) {
  const auto course = course_with(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(testing::exact::project(course, options_for(course)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Project_Exact)->Arg(1)->Arg(4)->Arg(6)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Project_Exact)->Arg(12)->Unit(benchmark::kMillisecond)->Iterations(1);

// The same answers (bands, P(visible), resolution quantiles for every effect) by sampling.
void BM_MonteCarlo_Patient(benchmark::State& state) {
  const auto course = course_with(static_cast<int>(state.range(0)));
  const auto samples = static_cast<std::size_t>(state.range(1));
  const int horizon = static_cast<int>(options_for(course).horizon->count());
  for (auto _ : state)
    for (const auto& effect : course.effects)
      benchmark::DoNotOptimize(testing::reference_monte_carlo(effect, course.visible_threshold.value(), course.resolved_threshold.value(), horizon, samples, 1));
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

/// Ten reports over the ten days after the last session (bruising, redness, swelling, one with a
/// flag): every session of the course is behind them.
std::vector<symptom_report> ten_reports_after(double last) {
  std::vector<symptom_report> reports;
  for (int d = 1; d <= 10; ++d)
    reports.push_back({days(last + d), d % 3 == 0 ? "redness" : d % 3 == 1 ? "bruising" : "swelling", 4.0 / d,
                       d == 5 ? std::vector<std::string>{"warmth"} : std::vector<std::string>{}});
  return reports;
}

void BM_Assess_TenReports(benchmark::State& state) {
  const auto course = course_with(static_cast<int>(state.range(0)));
  const auto reports = ten_reports_after(last_session(course));
  for (auto _ : state) benchmark::DoNotOptimize(assess(default_model(), course, reports));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Assess_TenReports)->Arg(1)->Arg(4)->Arg(12)->Arg(22)->Arg(52)->Unit(benchmark::kMillisecond);

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

/// A twelve-session weekly body course, all twelve done, three bruising reports on the days after
/// the last, a year of maintenance and a wedding to keep clear: what `aftermath plan` does with a
/// request that carries reports (assess them, then plan with the healing they show).
void BM_Plan_RescheduleAfterTwelveWeekly(benchmark::State& state) {
  plan_request r;
  r.protocol = "body_course";
  r.sessions = 12;
  r.patient.treatment = "mesotherapy_body";
  r.patient.risk_factors = {{"bruise_prone", {}}};
  for (int j = 0; j < 12; ++j) r.patient.sessions.push_back({date(2026, 12, 1) + boost::gregorian::days(7 * j), std::nullopt});
  r.earliest = date(2027, 2, 23);
  r.maintenance_until = date(2028, 2, 23);
  r.calendar.holidays.push_back(*find_holiday_set("us_federal"));
  r.events.push_back({"wedding", date(2027, 4, 17), 0.95});
  const double last = 77.0;
  const std::vector<symptom_report> reports{{days(last + 1), "bruising", 4.0, {}}, {days(last + 3), "bruising", 3.0, {}},
                                            {days(last + 6), "bruising", 2.0, {}}};
  for (auto _ : state) {
    auto request = r;
    request.healing = assess(default_model(), personalise(default_model(), request.patient), reports).healing;
    benchmark::DoNotOptimize(plan(default_model(), request));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Plan_RescheduleAfterTwelveWeekly)->Unit(benchmark::kMillisecond);

/// Console output plus, at the end, each run as a multiple of its baseline, and the time per
/// session of the course.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    // With --benchmark_repetitions the median stands for the benchmark; without, its one run.
    for (const auto& run : runs) {
      const double seconds = run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name == "median") medians_[run.run_name.str()] = seconds;
      } else if (!medians_.count(run.run_name.str())) {
        seconds_[run.run_name.str()] = seconds;
      }
    }
    for (const auto& [name, seconds] : medians_) seconds_[name] = seconds;
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const auto ratio = [&](const std::string& measured, const std::string& baseline) {
      if (!seconds_.count(measured) || !seconds_.count(baseline)) return;
      std::printf("%-48s %10.3fx the time of %s\n", measured.c_str(), seconds_[measured] / seconds_[baseline], baseline.c_str());
    };
    ratio("BM_Project_Exact/1", "BM_Project_Patient/1");
    ratio("BM_Project_Exact/4", "BM_Project_Patient/4");
    ratio("BM_Project_Exact/6", "BM_Project_Patient/6");
    ratio("BM_Project_Exact/12/iterations:1", "BM_Project_Patient/12");
    ratio("BM_MonteCarlo_Patient/1/100000/iterations:1", "BM_Project_Patient/1");
    ratio("BM_MonteCarlo_Patient/1/1000000/iterations:1", "BM_Project_Patient/1");
    ratio("BM_MonteCarlo_Patient/6/100000/iterations:1", "BM_Project_Patient/6");
    ratio("BM_Assess_TenReports/1", "BM_Project_Patient/1");
    ratio("BM_Plan_SixSessionsAndAYear/0", "BM_Project_Patient/1");
    ratio("BM_Plan_SixSessionsAndAYear/1", "BM_Project_Patient/1");
    ratio("BM_Plan_RescheduleAfterTwelveWeekly", "BM_Project_Patient/1");
    ratio("BM_Svg_Projection/1", "BM_Project_Patient/1");
    ratio("BM_Svg_Projection/6", "BM_Project_Patient/6");
    ratio("BM_Leaflet_Html/1", "BM_Project_Patient/1");
    ratio("BM_Leaflet_Html/6", "BM_Project_Patient/6");
    for (const auto& [measured, baseline] : bench::registered_ratios()) ratio(measured, baseline);
    for (const char* family : {"BM_Project_Patient", "BM_Assess_TenReports"})
      for (int sessions : {1, 4, 6, 12, 22, 52}) {
        const std::string name = std::string(family) + "/" + std::to_string(sessions);
        if (seconds_.count(name))
          std::printf("%-48s %10.3f ms per session of the course\n", name.c_str(), 1e3 * seconds_[name] / sessions);
      }
  }

 private:
  std::map<std::string, double> seconds_, medians_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
}

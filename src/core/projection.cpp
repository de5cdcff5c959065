// The projection: each effect's engine walked over the time grid, its peaks refined between grid
// points and its resolution quantiles solved for. See projection.hpp and effect_engine.hpp.
#include <aftermath/projection.hpp>

#include "checks.hpp"
#include "effect_engine.hpp"

#include <aftermath/error.hpp>

#include <boost/math/tools/minima.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace aftermath {
namespace {

using detail::check_quadrature_nodes;
using detail::effect_engine;

void check_level(double q) {
  if (!(q > 0.0 && q < 1.0)) throw input_error("q", std::to_string(q) + ", but must be in (0, 1)", problem_code::out_of_range);
}

void check_time(days t) {
  if (!std::isfinite(t.count())) throw input_error("t", "must be finite", problem_code::out_of_range);
}

}  // namespace

std::vector<input_problem> check_projection_options(const projection_options& options) {
  std::vector<input_problem> problems;
  const double h = options.horizon.value_or(days(0.0)).count();
  if (!(std::isfinite(h) && h >= 0.0 && h <= max_course_days))
    problems.push_back({"horizon", detail::format_number(h) + " days, but must be in [0, " + std::to_string(max_course_days) + "]",
                        problem_code::out_of_range});
  if (options.points_per_day < 1 || options.points_per_day > 24)
    problems.push_back({"points_per_day", std::to_string(options.points_per_day) + ", but must be in [1, 24]", problem_code::out_of_range});
  if (auto nodes = detail::quadrature_node_problem(options.quadrature_nodes)) problems.push_back(std::move(*nodes));
  return problems;
}

namespace {

/// The highest point of a quantile curve near grid time t0, by Brent's method on [t0 − step,
/// t0 + step] (in the offset from t0, so that the tolerance, 2⁻⁹ days or 3 minutes, is
/// absolute: some peaks, such as pain's p95 soon after a session, are sharp).
std::pair<double, double> refine_peak(effect_engine& engine, double q, double t0, double step, double value0, double end) {
  const double a = std::max(0.0, t0 - step), b = std::min(end, t0 + step);
  if (b <= a) return {t0, value0};
  const auto minus_quantile = [&](double offset) { return -engine.severity_at(t0 + offset).quantile(q, value0); };
  constexpr int bits = 8;
  boost::uintmax_t iterations = 40;
  const auto [offset, lowest] = boost::math::tools::brent_find_minima(minus_quantile, a - t0, b - t0, bits, iterations);
  return -lowest > value0 ? std::pair{t0 + offset, -lowest} : std::pair{t0, value0};
}

effect_projection project_effect(const effect_course& effect, const personal_course& course,
                                 const Eigen::ArrayXd& grid, int points_per_day, int nodes) {
  effect_engine engine(effect, nodes);
  effect_projection out{effect.id, effect.name, effect.text, probability::checked(engine.occurs()), {}, {}, {}};

  std::size_t peak50 = 0, peak95 = 0;
  out.curve.reserve(static_cast<std::size_t>(grid.size()));
  for (Eigen::Index k = 0; k < grid.size(); ++k) {
    const auto& at = engine.severity_at(grid[k]);
    // Start from the last two points carried on in log severity: exact for a curve that decays
    // exponentially, as every band does after its peak.
    const auto warm = [&](severity band_point::*band) {
      const std::size_t n = out.curve.size();
      if (n == 0) return 0.0;
      const double last = (out.curve[n - 1].*band).value();
      if (n == 1 || last <= 0.0) return last;
      const double before = (out.curve[n - 2].*band).value();
      return before > 0.0 ? last * last / before : last;
    };
    out.curve.push_back({days(grid[k]), severity::clamped(at.quantile(0.05, warm(&band_point::p05))),
                         severity::clamped(at.quantile(0.50, warm(&band_point::p50))),
                         severity::clamped(at.quantile(0.95, warm(&band_point::p95))),
                         probability::checked(at.visible_chance(course.visible_threshold.value()))});
    if (out.curve.back().p50 > out.curve[peak50].p50) peak50 = out.curve.size() - 1;
    if (out.curve.back().p95 > out.curve[peak95].p95) peak95 = out.curve.size() - 1;
  }

  const double step = 1.0 / points_per_day;
  const double end = grid[grid.size() - 1];
  const auto [day50, value50] = refine_peak(engine, 0.50, out.curve[peak50].day.count(), step, out.curve[peak50].p50.value(), end);
  const auto value95 = refine_peak(engine, 0.95, out.curve[peak95].day.count(), step, out.curve[peak95].p95.value(), end).second;
  out.peak = {days(day50), severity::clamped(value50), severity::clamped(value95)};
  const double resolved50 = engine.resolution_quantile(0.50, course.resolved_threshold.value());
  out.resolved = {days(resolved50), days(engine.resolution_quantile(0.95, course.resolved_threshold.value(), resolved50))};
  return out;
}

std::vector<results_point> project_results(const results_course& results, const Eigen::ArrayXd& grid) {
  Eigen::ArrayXd total = Eigen::ArrayXd::Zero(grid.size());
  for (std::size_t j = 0; j < results.starts.size(); ++j)
    total += results.gains[j] * results.shape(grid - results.starts[j].count());
  std::vector<results_point> out;
  for (Eigen::Index k = 0; k < grid.size(); ++k) out.push_back({days(grid[k]), total[k]});
  return out;
}

risk_projection project_risk(const risk_course& risk, const std::vector<days>& starts) {
  double none = 1.0;
  for (auto p : risk.per_session) none *= 1.0 - p.value();
  return {risk.id, risk.name, risk.text, probability::checked(1.0 - none), risk.onset_from, risk.onset_to,
          starts.front() + risk.onset_from, starts.back() + risk.onset_to};
}

}  // namespace

probability occurrence_probability(const effect_course& effect) {
  double log_none = 0.0;
  for (const auto& session : effect.sessions) log_none += std::log1p(-session.occurrence.value());
  return probability::checked(-std::expm1(log_none));
}

severity severity_quantile(const effect_course& effect, days t, double q, int quadrature_nodes) {
  check_quadrature_nodes(quadrature_nodes);
  check_level(q);
  check_time(t);
  effect_engine engine(effect, quadrature_nodes);
  return severity::clamped(engine.severity_at(t.count()).quantile(q));
}

severity_band severity_band_at(const effect_course& effect, days t, int quadrature_nodes) {
  check_quadrature_nodes(quadrature_nodes);
  check_time(t);
  effect_engine engine(effect, quadrature_nodes);
  const auto band = engine.severity_at(t.count()).band();
  return {severity::clamped(band.p05), severity::clamped(band.p50), severity::clamped(band.p95)};
}

probability severity_percentile(const effect_course& effect, days t, double s, int quadrature_nodes) {
  check_quadrature_nodes(quadrature_nodes);
  check_time(t);
  effect_engine engine(effect, quadrature_nodes);
  return probability::checked(engine.severity_at(t.count()).percentile(s));
}

days resolution_quantile(const effect_course& effect, severity resolved, double q, int quadrature_nodes) {
  check_quadrature_nodes(quadrature_nodes);
  check_level(q);
  return days(effect_engine(effect, quadrature_nodes).resolution_quantile(q, resolved.value()));
}

probability unresolved_chance(const effect_course& effect, severity resolved, days t, int quadrature_nodes) {
  check_quadrature_nodes(quadrature_nodes);
  check_time(t);
  effect_engine engine(effect, quadrature_nodes);
  return probability::checked(std::clamp(engine.unresolved_chance(t.count(), resolved.value()), 0.0, 1.0));
}

probability visible_chance(const effect_course& effect, severity visible, days t, int quadrature_nodes) {
  check_quadrature_nodes(quadrature_nodes);
  check_time(t);
  effect_engine engine(effect, quadrature_nodes);
  return probability::checked(engine.severity_at(t.count()).visible_chance(visible.value()));
}

projection project(const personal_course& course, const projection_options& options) {
  if (course.session_starts.empty()) throw input_error("sessions", "at least one session is needed");
  const double last = course.session_starts.back().count();
  if (!(std::isfinite(last) && last <= max_course_days))
    throw input_error("sessions", "the last session is " + detail::format_number(last) + " days after the first, but a course spans at most " +
                                      std::to_string(max_course_days) + " days", problem_code::out_of_range);
  if (auto problems = check_projection_options(options); !problems.empty()) throw input_error(std::move(problems));
  const days horizon = options.horizon.value_or(course.session_starts.back() + days(days_after_last_session));

  const auto points = static_cast<Eigen::Index>(std::floor(horizon.count() * options.points_per_day + 1e-9)) + 1;
  const Eigen::ArrayXd grid = Eigen::ArrayXd::LinSpaced(points, 0.0, static_cast<double>(points - 1) / options.points_per_day);

  projection out;
  out.model_id = course.model_id;
  out.model_version = course.model_version;
  out.notice = course.notice;
  out.visible_threshold = course.visible_threshold;
  out.resolved_threshold = course.resolved_threshold;
  out.horizon = horizon;
  out.session_starts = course.session_starts;
  for (const auto& effect : course.effects)
    out.effects.push_back(project_effect(effect, course, grid, options.points_per_day, options.quadrature_nodes));
  out.results = project_results(course.results, grid);
  for (const auto& risk : course.risks) out.risks.push_back(project_risk(risk, course.session_starts));
  out.aftercare = course.aftercare;
  return out;
}

}  // namespace aftermath

// Assessment: each report against the patient's band, statuses across reports, the red-flag
// rules of the model, and the update of the patient's healing. See assessment.hpp.
#include <aftermath/assessment.hpp>

#include "checks.hpp"
#include "find_by_id.hpp"
#include "healing_posterior.hpp"
#include "messages.hpp"

#include <aftermath/detail/normal.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

namespace aftermath {
namespace {

/// A report this high says "this much or more": the 10-point scale stops at 10.
constexpr double top_of_scale_report = 9.5;
/// Reports further than this after the last session are refused: nothing is modelled there.
constexpr double max_days_after_last_session = 3650.0;
/// Symptoms reported within this many days of each other count as occurring together.
constexpr double together_within_days = 1.0;

const effect_course* find_effect(const personal_course& course, std::string_view id) {
  return detail::find_by_id(course.effects, id);
}

std::string report_path(std::size_t r, std::string_view field) {
  return "reports[" + std::to_string(r) + "]." + std::string(field);
}

/// The effect after the sessions up to time t only: a report describes the sessions so far,
/// and its band is conditional on the effect following one of them.
effect_course sessions_until(const effect_course& effect, double t) {
  effect_course out = effect;
  std::erase_if(out.sessions, [&](const session_term& s) { return s.start.count() > t; });
  return out;
}

/// Start of the latest session at or before t (days since the first session).
double latest_session_start(const personal_course& course, double t) {
  double latest = 0.0;
  for (days start : course.session_starts)
    if (start.count() <= t) latest = start.count();
  return latest;
}

/// Each report against the patient's band at its time, given the effect follows one of the
/// sessions up to then: one engine per effect and number of sessions before the report, shared
/// by the reports after the same sessions; band and percentile from one distribution, the same
/// computation as severity_band_at and severity_percentile.
class report_bands {
 public:
  explicit report_bands(int quadrature_nodes) : nodes_(quadrature_nodes) {}

  std::pair<severity_band, probability> place(const effect_course& effect, const symptom_report& report) {
    auto& engine = engine_for(effect, report.day.count());
    const auto& at = engine.severity_at(report.day.count());
    const auto band = at.band();
    return {{severity::clamped(band.p05), severity::clamped(band.p50), severity::clamped(band.p95)},
            probability::checked(at.percentile(report.severity))};
  }

 private:
  struct prefix {
    std::string effect;
    std::size_t sessions;
    std::unique_ptr<effect_course> course;
    std::unique_ptr<detail::effect_engine> engine;
  };
  detail::effect_engine& engine_for(const effect_course& effect, double t) {
    auto until = sessions_until(effect, t);
    for (auto& p : prefixes_)
      if (p.effect == effect.id && p.sessions == until.sessions.size()) return *p.engine;
    auto course = std::make_unique<effect_course>(std::move(until));
    auto engine = std::make_unique<detail::effect_engine>(*course, nodes_);
    prefixes_.push_back({effect.id, course->sessions.size(), std::move(course), std::move(engine)});
    return *prefixes_.back().engine;
  }

  int nodes_;
  std::vector<prefix> prefixes_;
};

/// Everything the rules need to know about the reports.
struct evaluated_reports {
  const model& m;
  const personal_course& course;
  const std::vector<symptom_report>& reports;
  std::vector<report_assessment> placed;
  healing_estimate healing;
  std::vector<updated_effect> updated;

  /// The latest earlier report of the same symptom, if any.
  std::optional<std::size_t> previous(std::size_t r) const {
    std::optional<std::size_t> best;
    for (std::size_t q = 0; q < reports.size(); ++q) {
      if (q == r || reports[q].symptom != reports[r].symptom) continue;
      const bool earlier = reports[q].day < reports[r].day || (reports[q].day == reports[r].day && q < r);
      if (earlier && (!best || reports[q].day >= reports[*best].day)) best = q;
    }
    return best;
  }

  /// Was the symptom already reported visible since the session the report follows?
  bool visible_earlier(std::size_t r) const {
    const double since = latest_session_start(course, reports[r].day.count());
    for (std::size_t q = 0; q < reports.size(); ++q)
      if (q != r && reports[q].symptom == reports[r].symptom && reports[q].day.count() >= since &&
          reports[q].day <= reports[r].day && reports[q].severity >= course.visible_threshold.value())
        return true;
    return false;
  }

  report_status status_of(std::size_t r) const {
    const double y = reports[r].severity;
    const auto& band = placed[r].expected;
    if (const auto q = previous(r)) {
      const auto& before = placed[*q].expected;
      const bool expected_to_fall = band.p95 < before.p95 && band.p50 <= before.p50;
      if (expected_to_fall && y - reports[*q].severity >= m.assessment.worsening_rise.value) return report_status::worsening;
    }
    if (y >= course.visible_threshold.value() && band.p95.value() < course.resolved_threshold.value() && !visible_earlier(r)) return report_status::unexpected;
    if (y < course.resolved_threshold.value()) return report_status::resolved;
    if (y > band.p95.value()) return report_status::slower_than_expected;
    if (y < band.p05.value()) return report_status::better_than_expected;
    return report_status::as_expected;
  }

  bool together_holds(const red_flag_condition& when, std::size_t r) const {
    const auto named = [&](const std::string& symptom) {
      return std::find(when.together.begin(), when.together.end(), symptom) != when.together.end();
    };
    if (!named(reports[r].symptom)) return false;
    return std::all_of(when.together.begin(), when.together.end(), [&](const std::string& symptom) {
      return std::any_of(reports.begin(), reports.end(), [&](const symptom_report& other) {
        return other.symptom == symptom && other.severity >= when.min_severity.value_or(0.0) &&
               std::abs(other.day.count() - reports[r].day.count()) <= together_within_days;
      });
    });
  }

  bool session_window_holds(const red_flag_condition& when, double t) const {
    const double from = when.from_day.value_or(0.0), to = when.to_day.value_or(max_days_after_last_session);
    return std::any_of(course.session_starts.begin(), course.session_starts.end(), [&](days start) {
      const double since = t - start.count();
      return since >= 0.0 && since >= from && since <= to;
    });
  }

  bool above_band(const red_flag_condition& when, std::size_t r) const {
    const double y = reports[r].severity, p95 = placed[r].expected.p95.value();
    const bool by_points = !when.above_p95_by_points || y - p95 >= *when.above_p95_by_points;
    const bool by_fraction = !when.above_p95_by_fraction || (y > p95 && y >= (1.0 + *when.above_p95_by_fraction) * p95);
    return by_points && by_fraction;
  }

  /// Is the symptom, as the reports now project it, expected to outlast `day` after the session?
  bool lasts_beyond(const symptom_report& report, double t, double day) const {
    const auto it = std::find_if(updated.begin(), updated.end(), [&](const updated_effect& e) { return e.id == report.symptom; });
    return it != updated.end() && it->updated.p50.count() - latest_session_start(course, t) > day;
  }

  bool holds(const red_flag_condition& when, std::size_t r) const {
    const auto& report = reports[r];
    const auto& placed_report = placed[r];
    const double t = report.day.count(), y = report.severity;
    const auto listed = [](const std::vector<std::string>& list, const std::string& id) {
      return std::find(list.begin(), list.end(), id) != list.end();
    };
    if (!when.flags_any.empty() &&
        std::none_of(report.flags.begin(), report.flags.end(), [&](const std::string& f) { return listed(when.flags_any, f); }))
      return false;
    if (!when.symptoms_any.empty() && !listed(when.symptoms_any, report.symptom)) return false;
    if (when.min_severity && y < *when.min_severity) return false;
    if (!when.together.empty() && !together_holds(when, r)) return false;
    if ((when.from_day || when.to_day) && !session_window_holds(when, t)) return false;
    if (when.present_after_day &&
        !(y >= course.visible_threshold.value() && t - latest_session_start(course, t) > *when.present_after_day))
      return false;
    const auto status = placed_report.status;
    if (when.unless_expected && (status == report_status::resolved || status == report_status::better_than_expected ||
                                 status == report_status::as_expected))
      return false;
    if (!when.statuses_any.empty() && !listed(when.statuses_any, std::string(to_string(status)))) return false;
    if ((when.above_p95_by_points || when.above_p95_by_fraction) && !above_band(when, r)) return false;
    if (when.healing_slower_than && healing.percentile.value() < *when.healing_slower_than) return false;
    if (when.expected_to_last_beyond_day && !lasts_beyond(report, t, *when.expected_to_last_beyond_day)) return false;
    return true;
  }
};

/// Keeps the reports whose symptom meets the rule in at least `min_reports` reports.
void keep_persisting(std::vector<std::size_t>& held, const std::vector<symptom_report>& reports, int min_reports) {
  if (min_reports <= 1) return;
  const auto count = [&](const std::string& symptom) {
    return std::count_if(held.begin(), held.end(), [&](std::size_t r) { return reports[r].symptom == symptom; });
  };
  std::vector<std::size_t> kept;
  for (std::size_t r : held)
    if (count(reports[r].symptom) >= min_reports) kept.push_back(r);
  held = std::move(kept);
}

std::vector<triage_reason> fired_rules(const evaluated_reports& evaluated) {
  std::vector<triage_reason> reasons;
  for (const auto& rule : evaluated.m.red_flags) {
    triage_reason reason{rule.id, rule.level, rule.text, rule.evidence, rule.convention, {}};
    for (std::size_t r = 0; r < evaluated.reports.size(); ++r)
      if (evaluated.holds(rule.when, r)) reason.reports.push_back(r);
    keep_persisting(reason.reports, evaluated.reports, rule.when.min_reports);
    if (!reason.reports.empty()) reasons.push_back(std::move(reason));
  }
  std::stable_sort(reasons.begin(), reasons.end(), [](const triage_reason& a, const triage_reason& b) { return a.level > b.level; });
  return reasons;
}

detail::report_model report_model_of(const model& m, const personal_course& course) {
  return {m.assessment.report_noise_sd.value, m.assessment.outlier_probability.value, course.resolved_threshold.value(),
          top_of_scale_report};
}

/// The reported effects' evidence over the sessions up to the latest report, on one engine each.
struct reported_effects {
  std::vector<effect_course> so_far;  ///< the sessions up to the latest report
  std::vector<std::unique_ptr<detail::effect_engine>> engines;
  std::vector<detail::effect_evidence> evidence;
};

/// The posterior over the healing-time term from every reported effect, and what it changes.
void update_healing(const model& m, const personal_course& course, const std::vector<symptom_report>& reports,
                    int quadrature_nodes, assessment& out) {
  const auto observation_model = report_model_of(m, course);
  reported_effects reported;
  reported.so_far.reserve(course.effects.size());
  reported.evidence.reserve(course.effects.size());
  double latest = 0.0;
  for (const auto& report : reports) latest = std::max(latest, report.day.count());
  for (const auto& effect : course.effects) {
    std::vector<detail::observation> observations;
    for (const auto& report : reports)
      if (report.symptom == effect.id) observations.push_back({report.day.count(), report.severity});
    if (observations.empty()) continue;
    reported.so_far.push_back(sessions_until(effect, latest));
    reported.engines.push_back(std::make_unique<detail::effect_engine>(reported.so_far.back(), quadrature_nodes));
    reported.evidence.emplace_back(*reported.engines.back(), std::move(observations), observation_model);
  }
  // Every engine with a healing-time spread has the same nodes; one without has a single node.
  const auto& widest = *std::max_element(reported.engines.begin(), reported.engines.end(),
                                          [](const auto& a, const auto& b) { return a->nodes() < b->nodes(); });
  std::vector<double> prior(widest->nodes());
  for (std::size_t i = 0; i < prior.size(); ++i) prior[i] = widest->node_weight(i);
  std::vector<const detail::effect_evidence*> all;
  for (const auto& e : reported.evidence) all.push_back(&e);
  const auto weights = detail::node_posterior(prior, all);

  double mean = 0.0, square = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double z = widest->node_z(i);
    mean += weights[i] * z, square += weights[i] * z * z;
  }
  out.healing = {mean, std::sqrt(std::max(square - mean * mean, 0.0)), probability::checked(detail::normal_cdf(mean))};

  const double resolved = course.resolved_threshold.value();
  for (std::size_t e = 0; e < reported.so_far.size(); ++e) {
    const auto& effect = reported.so_far[e];
    auto& engine = *reported.engines[e];
    auto& evidence = reported.evidence[e];
    const double prior05 = engine.resolution_quantile(0.05, resolved), prior50 = engine.resolution_quantile(0.50, resolved, prior05);
    const double updated05 = evidence.resolution_quantile(weights, 0.05, resolved);
    const double updated50 = evidence.resolution_quantile(weights, 0.50, resolved, updated05);
    const auto count = static_cast<std::size_t>(
        std::count_if(reports.begin(), reports.end(), [&](const symptom_report& r) { return r.symptom == effect.id; }));
    out.updated.push_back({effect.id, effect.name, count, probability::checked(engine.occurs()),
                           probability::checked(evidence.occurs(weights)),
                           {days(prior05), days(prior50), days(engine.resolution_quantile(0.95, resolved, prior50))},
                           {days(updated05), days(updated50), days(evidence.resolution_quantile(weights, 0.95, resolved, updated50))}});
  }
}

/// The one limit on what can be assessed, checked before any work: the sessions the posterior
/// enumerates (still rising at an effect's first report, or starting after it) at any node.
void check_enumerable(const personal_course& course, const std::vector<symptom_report>& reports, std::vector<input_problem>& problems) {
  double latest = 0.0;
  for (const auto& report : reports) latest = std::max(latest, report.day.count());
  for (const auto& effect : course.effects) {
    double first = -1.0;
    for (const auto& report : reports)
      if (report.symptom == effect.id && (first < 0.0 || report.day.count() < first)) first = report.day.count();
    if (first < 0.0) continue;
    const auto until = sessions_until(effect, latest);
    detail::effect_engine engine(until, assessment_options{}.quadrature_nodes);
    const auto count = detail::effect_evidence::enumerated(engine, first);
    if (count > detail::effect_evidence::max_enumerated)
      problems.push_back({"reports", effect.id + ": " + std::to_string(count) + " sessions are still rising at its first report (day " +
                                         detail::format_number(first) + ") or start after it, and at most " +
                                         std::to_string(detail::effect_evidence::max_enumerated) +
                                         " can be assessed together; assess the reports of the current part of the course",
                          problem_code::out_of_range});
  }
}

}  // namespace

std::string_view to_string(report_status status) {
  switch (status) {
    case report_status::resolved: return "resolved";
    case report_status::better_than_expected: return "better_than_expected";
    case report_status::as_expected: return "as_expected";
    case report_status::slower_than_expected: return "slower_than_expected";
    case report_status::worsening: return "worsening";
    case report_status::unexpected: return "unexpected";
  }
  return "unknown";
}

namespace {

/// The checks on the reports' own fields, against the model's ids and the time of the last session.
std::vector<input_problem> check_report_fields(const model& model, double last, const std::vector<symptom_report>& reports) {
  std::vector<input_problem> problems;
  if (reports.empty()) problems.push_back({"reports", "no reports: at least one is needed"});
  for (std::size_t r = 0; r < reports.size(); ++r) {
    const auto& report = reports[r];
    if (!model.find_effect(report.symptom))
      problems.push_back({report_path(r, "symptom"),
                          "'" + report.symptom + "' is not a symptom of this model (known: " + detail::known_ids(model.effects) + ")",
                          problem_code::unknown_id});
    if (!(report.severity >= 0.0 && report.severity <= severity::max_value))
      problems.push_back({report_path(r, "severity"), detail::format_number(report.severity) + ", but must be in [0, 10]",
                          problem_code::out_of_range});
    const double t = report.day.count();
    if (!std::isfinite(t))
      problems.push_back({report_path(r, "day"), "must be a finite number of days", problem_code::out_of_range});
    else if (t < 0.0)
      problems.push_back({report_path(r, "day"), detail::format_number(t) + " is before the first session (day 0)", problem_code::conflict});
    else if (t > last + max_days_after_last_session)
      problems.push_back({report_path(r, "day"), detail::format_number(t) + " is more than 3650 days after the last session",
                          problem_code::out_of_range});
    for (std::size_t f = 0; f < report.flags.size(); ++f)
      if (!model.find_report_flag(report.flags[f]))
        problems.push_back({report_path(r, "flags[" + std::to_string(f) + "]"),
                            "'" + report.flags[f] + "' is not a flag (known: " + detail::known_ids(model.report_flags) + ")",
                            problem_code::unknown_id});
  }
  return problems;
}

}  // namespace

std::vector<input_problem> check_reports(const model& model, const profile& profile, const std::vector<symptom_report>& reports) {
  const double last = profile.sessions.empty() ? 0.0 : days_since_first(profile, profile.sessions.back()).count();
  return check_report_fields(model, last, reports);
}

std::vector<input_problem> check_reports(const model& model, const personal_course& course,
                                         const std::vector<symptom_report>& reports) {
  auto problems = check_report_fields(model, course.session_starts.empty() ? 0.0 : course.session_starts.back().count(), reports);
  if (problems.empty()) check_enumerable(course, reports, problems);
  return problems;
}

assessment assess(const model& model, const personal_course& course, const std::vector<symptom_report>& reports,
                  const assessment_options& options) {
  detail::check_quadrature_nodes(options.quadrature_nodes);
  if (auto problems = check_reports(model, course, reports); !problems.empty()) throw input_error(std::move(problems));

  assessment out;
  out.model_id = course.model_id;
  out.model_version = course.model_version;
  out.notice = course.notice;

  evaluated_reports evaluated{model, course, reports, {}, {}, {}};
  report_bands bands(options.quadrature_nodes);
  for (std::size_t r = 0; r < reports.size(); ++r) {
    const auto& report = reports[r];
    const auto [band, percentile] = bands.place(*find_effect(course, report.symptom), report);
    evaluated.placed.push_back({r, report.symptom, report.day, report.severity, band, percentile, report_status::as_expected, report.flags});
  }
  for (std::size_t r = 0; r < reports.size(); ++r) evaluated.placed[r].status = evaluated.status_of(r);
  update_healing(model, course, reports, options.quadrature_nodes, out);
  evaluated.healing = out.healing;
  evaluated.updated = out.updated;

  out.reasons = fired_rules(evaluated);
  if (!out.reasons.empty()) out.triage = out.reasons.front().level;
  out.advice = std::string(model.triage_advice(out.triage));
  out.reports = std::move(evaluated.placed);
  return out;
}

}  // namespace aftermath

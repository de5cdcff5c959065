// Assessment: each report against the patient's band, statuses across reports, the red-flag
// rules of the model, and the update of the patient's healing. See assessment.hpp.
#include <aftermath/assessment.hpp>

#include "checks.hpp"
#include "find_by_id.hpp"
#include "healing_posterior.hpp"
#include "messages.hpp"
#include "ratings.hpp"

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
/// Times the immediate window is looked at, evenly from the session to its end.
constexpr int immediate_window_points = 13;

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

rating_scale scale_of(const model& m, const symptom_report& report) { return report.scale.value_or(m.assessment.default_scale); }

detail::rating_reading reading_of(const model& m, const symptom_report& report) {
  return detail::read_rating(m.assessment, scale_of(m, report), report.severity);
}

double immediate_window_days(const model& m) { return m.assessment.immediate_reaction_hours.value / 24.0; }

/// Is the report within the immediate window of the latest session at or before it?
bool is_immediate(const model& m, const personal_course& course, double t) {
  return t - latest_session_start(course, t) <= immediate_window_days(m);
}

/// Each report against the patient's band at its time, given the effect follows the latest
/// session up to then: one engine per effect and number of sessions before the report, shared
/// by the reports after the same sessions; band and percentile from one distribution, the same
/// computation as severity_band_at and severity_percentile. A report in the immediate window
/// is placed at the time of that window when the band reaches highest.
class report_bands {
 public:
  explicit report_bands(int quadrature_nodes) : nodes_(quadrature_nodes) {}

  std::pair<severity_band, probability> place(const effect_course& effect, double t, const detail::rating_reading& rating,
                                              std::optional<double> immediate_window_from, double window_days) {
    auto& engine = engine_for(effect, t);
    const double at_time = immediate_window_from ? strongest_time(engine, *immediate_window_from, window_days) : t;
    const auto& at = engine.severity_at(at_time);
    const auto band = at.band();
    const double percentile = rating.exact() ? at.percentile(rating.value)
                                             : 0.5 * (at.percentile(rating.low) + at.percentile(std::min(rating.high, severity::max_value)));
    return {{severity::clamped(band.p05), severity::clamped(band.p50), severity::clamped(band.p95)}, probability::checked(percentile)};
  }

 private:
  struct prefix {
    std::string effect;
    std::size_t sessions;
    std::unique_ptr<effect_course> course;
    std::unique_ptr<detail::effect_engine> engine;
  };
  static double strongest_time(detail::effect_engine& engine, double from, double window_days) {
    double best_time = from, best_p95 = -1.0;
    for (int k = 0; k < immediate_window_points; ++k) {
      const double t = from + window_days * k / (immediate_window_points - 1);
      if (const double p95 = engine.severity_at(t).band().p95; p95 > best_p95) best_time = t, best_p95 = p95;
    }
    return best_time;
  }

  /// The band is the one given that the effect followed the latest session before the report:
  /// a symptom reported after the third session is compared with what the third session causes
  /// (earlier sessions adding what they may still add), not diluted by patients in whom only
  /// the first session caused it, long since faded.
  detail::effect_engine& engine_for(const effect_course& effect, double t) {
    auto until = sessions_until(effect, t);
    if (!until.sessions.empty()) until.sessions.back().occurrence = probability::checked(1.0);
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
  std::vector<detail::rating_reading> ratings;  ///< per report
  std::vector<report_assessment> placed;
  healing_estimate healing;
  std::vector<updated_effect> updated;

  /// The number the rules compare for report r.
  double value(std::size_t r) const { return ratings[r].value; }

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
          reports[q].day <= reports[r].day && value(q) >= course.visible_threshold.value())
        return true;
    return false;
  }

  /// From report q to report r, a rise of at least worsening_rise points, and more than
  /// reporting noise explains with each rating read as the range it stands for.
  bool rose_beyond_noise(std::size_t q, std::size_t r) const {
    const auto& a = m.assessment;
    const double factor = std::exp(a.worsening_noise_z.value * std::sqrt(2.0) * a.report_noise_sd.value);
    return value(r) - value(q) >= a.worsening_rise.value && ratings[r].low >= factor * ratings[q].high;
  }

  /// Statuses read the rating as the range it stands for: "1" is slower than expected only when
  /// all of 0.5–1.5 lies above the band.
  report_status status_of(std::size_t r) const {
    const double y = value(r);
    const auto& rating = ratings[r];
    const auto& band = placed[r].expected;
    if (const auto q = previous(r)) {
      const auto& before = placed[*q].expected;
      const bool expected_to_fall = band.p95 < before.p95 && band.p50 <= before.p50;
      if (expected_to_fall && rose_beyond_noise(*q, r)) return report_status::worsening;
    }
    if (y >= course.visible_threshold.value() && band.p95.value() < course.resolved_threshold.value() && !visible_earlier(r) &&
        !placed[r].immediate)
      return report_status::unexpected;
    if (y < course.resolved_threshold.value()) return report_status::resolved;
    if (rating.above(band.p95.value())) return report_status::slower_than_expected;
    if (rating.below(band.p05.value())) return report_status::better_than_expected;
    return report_status::as_expected;
  }

  bool together_holds(const red_flag_condition& when, std::size_t r) const {
    const auto named = [&](const std::string& symptom) {
      return std::find(when.together.begin(), when.together.end(), symptom) != when.together.end();
    };
    if (!named(reports[r].symptom)) return false;
    return std::all_of(when.together.begin(), when.together.end(), [&](const std::string& symptom) {
      return std::any_of(reports.begin(), reports.end(), [&](const symptom_report& other) {
        const auto o = static_cast<std::size_t>(&other - reports.data());
        return other.symptom == symptom && value(o) >= when.min_severity.value_or(0.0) &&
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
    const double y = value(r), p95 = placed[r].expected.p95.value();
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
    const double t = report.day.count(), y = value(r);
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

/// What the healing update reads of one effect: its reports outside the immediate window, each
/// as the range its rating stands for, and a 0 wherever a report that says `nothing_else` was
/// given at a time the effect was not reported.
std::vector<detail::observation> observations_of(const model& m, const personal_course& course, const effect_course& effect,
                                                 const std::vector<symptom_report>& reports) {
  std::vector<detail::observation> observations;
  const auto read = [&](double t, const detail::rating_reading& rating) {
    if (!is_immediate(m, course, t)) observations.push_back({t, rating.low, rating.high});
  };
  for (const auto& report : reports)
    if (report.symptom == effect.id) read(report.day.count(), reading_of(m, report));
  const auto reported_then = [&](double t) {
    return std::any_of(reports.begin(), reports.end(), [&](const symptom_report& r) { return r.symptom == effect.id && r.day.count() == t; });
  };
  std::vector<double> absent_at;
  for (const auto& report : reports)
    if (report.nothing_else && !reported_then(report.day.count()) &&
        std::find(absent_at.begin(), absent_at.end(), report.day.count()) == absent_at.end())
      absent_at.push_back(report.day.count());
  for (double t : absent_at) read(t, detail::read_rating(m.assessment, rating_scale::whole_0_10, 0.0));
  return observations;
}

/// The effects the update reads, over the sessions up to the latest report, on one engine each.
struct reported_effects {
  std::vector<effect_course> so_far;  ///< the sessions up to the latest report
  std::vector<std::unique_ptr<detail::effect_engine>> engines;
  std::vector<std::unique_ptr<detail::effect_evidence>> evidence;  ///< null: nothing to read of it
  std::vector<bool> reported;  ///< listed in `updated`: the patient reported it
};

/// The posterior over the healing-time term from every effect the reports say something about,
/// and what it changes for each reported effect. Reports only in the immediate window leave an
/// effect's prior as it was.
void update_healing(const model& m, const personal_course& course, const std::vector<symptom_report>& reports,
                    int quadrature_nodes, assessment& out) {
  const auto observation_model = report_model_of(m, course);
  reported_effects read;
  read.so_far.reserve(course.effects.size());
  double latest = 0.0;
  for (const auto& report : reports) latest = std::max(latest, report.day.count());
  for (const auto& effect : course.effects) {
    auto observations = observations_of(m, course, effect, reports);
    const bool reported = std::any_of(reports.begin(), reports.end(), [&](const symptom_report& r) { return r.symptom == effect.id; });
    if (observations.empty() && !reported) continue;
    read.so_far.push_back(sessions_until(effect, latest));
    read.engines.push_back(std::make_unique<detail::effect_engine>(read.so_far.back(), quadrature_nodes));
    read.evidence.push_back(observations.empty() ? nullptr
                                                 : std::make_unique<detail::effect_evidence>(*read.engines.back(), std::move(observations),
                                                                                             observation_model));
    read.reported.push_back(reported);
  }
  // Every engine with a healing-time spread has the same nodes; one without has a single node.
  const auto& widest = *std::max_element(read.engines.begin(), read.engines.end(),
                                          [](const auto& a, const auto& b) { return a->nodes() < b->nodes(); });
  std::vector<double> prior(widest->nodes());
  for (std::size_t i = 0; i < prior.size(); ++i) prior[i] = widest->node_weight(i);
  std::vector<const detail::effect_evidence*> all;
  for (const auto& e : read.evidence)
    if (e) all.push_back(e.get());
  const auto weights = detail::node_posterior(prior, all);

  double mean = 0.0, square = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double z = widest->node_z(i);
    mean += weights[i] * z, square += weights[i] * z * z;
  }
  out.healing = {mean, std::sqrt(std::max(square - mean * mean, 0.0)), probability::checked(detail::normal_cdf(mean))};

  const double resolved = course.resolved_threshold.value();
  for (std::size_t e = 0; e < read.so_far.size(); ++e) {
    if (!read.reported[e]) continue;
    const auto& effect = read.so_far[e];
    auto& engine = *read.engines[e];
    const double prior05 = engine.resolution_quantile(0.05, resolved), prior50 = engine.resolution_quantile(0.50, resolved, prior05);
    const resolution_interval before{days(prior05), days(prior50), days(engine.resolution_quantile(0.95, resolved, prior50))};
    resolution_interval after = before;
    double occurs = engine.occurs();
    if (auto* evidence = read.evidence[e].get()) {
      const double updated05 = evidence->resolution_quantile(weights, 0.05, resolved);
      const double updated50 = evidence->resolution_quantile(weights, 0.50, resolved, updated05);
      after = {days(updated05), days(updated50), days(evidence->resolution_quantile(weights, 0.95, resolved, updated50))};
      occurs = evidence->occurs(weights);
    }
    const auto count = static_cast<std::size_t>(
        std::count_if(reports.begin(), reports.end(), [&](const symptom_report& r) { return r.symptom == effect.id; }));
    out.updated.push_back({effect.id, effect.name, count, probability::checked(engine.occurs()), probability::checked(occurs), before, after});
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

std::string_view status_name(const model& model, report_status status) {
  const auto index = static_cast<std::size_t>(status);
  const auto& names = model.wording.staff.statuses;
  return index < names.size() && !names[index].empty() ? std::string_view{names[index]} : to_string(status);
}

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

/// What a rating on the scale is; for a fraction on the whole-number scale, how to give one.
std::string scale_rule(rating_scale scale, double severity) {
  switch (scale) {
    case rating_scale::whole_0_10:
      return severity > 0.0 && severity < 10.0 ? "a whole number from 0 to 10; give \"scale\": \"real_0_10\" for ratings with fractions"
                                               : "a whole number from 0 to 10";
    case rating_scale::real_0_10: return "a number from 0 to 10";
    case rating_scale::grade_0_4: return "a whole number from 0 to 4";
    case rating_scale::category: return "none, mild, moderate, severe or very_severe";
  }
  return "";
}

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
    if (const auto scale = report.scale.value_or(model.assessment.default_scale); !detail::is_rating(scale, report.severity))
      problems.push_back({report_path(r, "severity"), detail::format_number(report.severity) + " is not a rating on the scale " +
                                                          std::string(to_string(scale)) + " (" + scale_rule(scale, report.severity) + ")",
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

  evaluated_reports evaluated{model, course, reports, {}, {}, {}, {}};
  report_bands bands(options.quadrature_nodes);
  for (std::size_t r = 0; r < reports.size(); ++r) {
    const auto& report = reports[r];
    const double t = report.day.count();
    const auto rating = evaluated.ratings.emplace_back(reading_of(model, report));
    const bool immediate = is_immediate(model, course, t);
    const auto window_from = immediate ? std::optional<double>(latest_session_start(course, t)) : std::nullopt;
    const auto [band, percentile] = bands.place(*find_effect(course, report.symptom), t, rating, window_from, immediate_window_days(model));
    evaluated.placed.push_back({r, report.symptom, report.day, report.severity, scale_of(model, report), rating.value, band,
                                percentile, report_status::as_expected, report.flags, immediate});
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

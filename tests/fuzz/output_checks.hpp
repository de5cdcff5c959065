// The checks on what the step after a loader computes: every number finite, percentiles in
// order, dates on the calendar. A failed check is a finding (fuzz_support.hpp).
#pragma once

#include "fuzz_support.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/plan.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/simulation.hpp>

#include <string>

namespace aftermath::fuzz {

inline std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

inline void check_projection(const projection& out) {
  require_finite(out.horizon, "projection.horizon");
  for (std::size_t e = 0; e < out.effects.size(); ++e) {
    const auto& effect = out.effects[e];
    const std::string path = at("projection.effects", e) + " (" + effect.id + ")";
    require_finite(effect.occurs, path + ".occurs");
    require_finite(effect.peak.day, path + ".peak.day");
    require_finite(effect.peak.p50, path + ".peak.p50");
    require_finite(effect.peak.p95, path + ".peak.p95");
    require_finite(effect.resolved.p50, path + ".resolved.p50");
    require_finite(effect.resolved.p95, path + ".resolved.p95");
    for (std::size_t i = 0; i < effect.curve.size(); ++i) {
      const auto& point = effect.curve[i];
      const std::string here = at(path + ".curve", i);
      require_finite(point.day, here + ".day");
      require_ordered(point.p05.value(), point.p50.value(), point.p95.value(), here);
      require_finite(point.p_visible, here + ".p_visible");
    }
  }
  for (std::size_t i = 0; i < out.results.size(); ++i) require_finite(out.results[i].p50, at("projection.results", i) + ".p50");
  for (std::size_t r = 0; r < out.risks.size(); ++r) {
    const auto& risk = out.risks[r];
    const std::string path = at("projection.risks", r);
    require_finite(risk.occurs, path + ".occurs");
    for (days d : {risk.onset_from, risk.onset_to, risk.watch_from, risk.watch_until}) require_finite(d, path + " window");
  }
  for (std::size_t a = 0; a < out.aftercare.size(); ++a) {
    require_finite(out.aftercare[a].from, at("projection.aftercare", a) + ".from");
    require_finite(out.aftercare[a].until, at("projection.aftercare", a) + ".until");
  }
}

inline void check_interval(const resolution_interval& interval, const std::string& path) {
  require_ordered(interval.p05.count(), interval.p50.count(), interval.p95.count(), path);
}

inline void check_assessment(const assessment& out) {
  require_finite(out.healing.mean_z, "assessment.healing.mean_z");
  require_finite(out.healing.sd_z, "assessment.healing.sd_z");
  require_finite(out.healing.percentile, "assessment.healing.percentile");
  for (std::size_t r = 0; r < out.reports.size(); ++r) {
    const auto& report = out.reports[r];
    const std::string path = at("assessment.reports", r);
    require_finite(report.day, path + ".day");
    require_finite(report.reported, path + ".reported");
    require_ordered(report.expected.p05.value(), report.expected.p50.value(), report.expected.p95.value(), path + ".expected");
    require_finite(report.percentile, path + ".percentile");
  }
  for (std::size_t e = 0; e < out.updated.size(); ++e) {
    const auto& effect = out.updated[e];
    const std::string path = at("assessment.updated", e) + " (" + effect.id + ")";
    require_finite(effect.prior_occurs, path + ".prior_occurs");
    require_finite(effect.occurs, path + ".occurs");
    check_interval(effect.prior, path + ".prior");
    check_interval(effect.updated, path + ".updated");
  }
}

inline void require_date(const date& day, const std::string& what) {
  if (day.is_special()) finding(what + " is not a date (" + std::string(day.is_not_a_date() ? "not a date" : "special value") + ")");
}

inline void check_plan(const treatment_plan& out) {
  if (out.feasible != out.conflicts.empty())
    finding("the plan is " + std::string(out.feasible ? "feasible" : "infeasible") + " with " + std::to_string(out.conflicts.size()) +
            " conflicts: feasible means no conflict");
  for (std::size_t i = 0; i < out.items.size(); ++i) {
    const auto& item = out.items[i];
    const std::string path = at("plan.items", i);
    require_date(item.from, path + ".from");
    require_date(item.until, path + ".until");
    if (item.until < item.from) finding(path + " ends before it starts");
    if (i > 0 && item.from < out.items[i - 1].from) finding(path + " is out of date order");
  }
  for (std::size_t c = 0; c < out.conflicts.size(); ++c)
    if (out.conflicts[c].nearest_feasible) require_date(*out.conflicts[c].nearest_feasible, at("plan.conflicts", c) + ".nearest_feasible");
  for (std::size_t e = 0; e < out.events.size(); ++e) {
    const auto& event = out.events[e];
    const std::string path = at("plan.events", e);
    require_finite(event.confidence, path + ".confidence");
    require_finite(event.chance_clear, path + ".chance_clear");
    if (!(event.chance_clear >= 0.0 && event.chance_clear <= 1.0)) finding(path + ".chance_clear is not in [0, 1]");
  }
}

inline void check_day_summary(const day_summary& summary, const std::string& path) {
  require_finite(summary.p05, path + ".p05");
  require_finite(summary.p50, path + ".p50");
  require_finite(summary.p95, path + ".p95");
  require_finite(summary.mean, path + ".mean");
  if (summary.p05 && summary.p50 && summary.p95) require_ordered(*summary.p05, *summary.p50, *summary.p95, path);
}

inline void check_effect_summary(const effect_summary& effect, const std::string& path) {
  require_finite(effect.occurs, path + ".occurs");
  require_finite(effect.incidence_per_session, path + ".incidence_per_session");
  for (std::size_t s = 0; s < effect.incidence_by_session.size(); ++s)
    require_finite(effect.incidence_by_session[s], at(path + ".incidence_by_session", s));
  check_day_summary(effect.resolution, path + ".resolution");
  check_day_summary(effect.visible, path + ".visible");
  for (std::size_t d = 0; d < effect.p_visible_by_day.size(); ++d) require_finite(effect.p_visible_by_day[d], at(path + ".p_visible_by_day", d));
}

inline void check_summary(const cohort_summary& out) {
  for (std::size_t g = 0; g < out.group_shares.size(); ++g) require_finite(out.group_shares[g], at("summary.group_shares", g));
  for (std::size_t e = 0; e < out.effects.size(); ++e) check_effect_summary(out.effects[e], at("summary.effects", e) + " (" + out.effects[e].id + ")");
  check_effect_summary(out.any, "summary.any");
  for (std::size_t d = 0; d < out.results_by_day.size(); ++d) require_finite(out.results_by_day[d], at("summary.results_by_day", d));
}

inline bool same_histogram(const day_histogram& a, const day_histogram& b) {
  return a.counts == b.counts && a.total == b.total && a.sum_units == b.sum_units && a.zeros == b.zeros;
}

inline bool same_effect_tally(const effect_tally& a, const effect_tally& b) {
  return a.occurrences_by_session == b.occurrences_by_session && a.patients_affected == b.patients_affected &&
         same_histogram(a.resolution, b.resolution) && same_histogram(a.visible, b.visible) && a.visible_on_day == b.visible_on_day;
}

/// Count for count: what a partial summary must carry through being written and read back.
inline bool same_tally(const cohort_tally& a, const cohort_tally& b) {
  if (a.patients != b.patients || a.group_counts != b.group_counts || a.effects.size() != b.effects.size()) return false;
  for (std::size_t e = 0; e < a.effects.size(); ++e)
    if (!same_effect_tally(a.effects[e], b.effects[e])) return false;
  return same_effect_tally(a.any, b.any);
}

/// The partial summary of `part`, written and read back, must be `part` again: population,
/// patients and every count. A structural comparison, so one input costs one write and one read.
inline void check_partial_round_trip(const model& m, const cohort_partial& part, const std::string& what) {
  const std::string written = to_partial_json(m, part.population, part.patients, part.tally);
  cohort_partial reread;
  try {
    reread = parse_partial(written, m, "the partial summary written");
  } catch (const input_error& error) {
    finding(what + ", written as a partial summary, does not load: " + std::string(error.what()));
  }
  if (!(reread.population == part.population)) finding(what + ", written as a partial summary and read back, has another population");
  if (!(reread.patients == part.patients)) finding(what + ", written as a partial summary and read back, has other patients");
  if (!same_tally(reread.tally, part.tally)) finding(what + ", written as a partial summary and read back, has other counts");
}

}  // namespace aftermath::fuzz

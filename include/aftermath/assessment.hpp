// aftermath: comparing what a patient reports against what the model expects for them.
//
// Each report (a time, a symptom, a rating, optional flags such as `fever`) is placed against
// the patient's own projection: the expected 5th/50th/95th percentile at that time, the
// report's percentile, and a status. A rating is read as what it is: a whole number r on the
// 0–10 scale as "between r − ½ and r + ½", a grade or category as its range (model.hpp,
// rating_scale). A report in the first hours after a session (the model's
// immediate_reaction_hours) is judged against the injection's own reaction: the strongest band
// of those hours, never `unexpected`. The model's red-flag rules, which are data with
// their evidence, then give one triage level with every reason that raised it; the most
// urgent level wins. A report merely outside the band is not an alert: the rules ask for a
// clinically meaningful difference, persistence, or a sign that needs care.
//
// The reports also update the patient's own healing: the posterior over the healing-time
// term (shared by all effects) and, per effect, over occurrence and peak, on the projection's
// quadrature grid. It gives when each reported effect is now expected to resolve, with its
// 90 % interval, after the sessions up to the latest report (sessions still to come are the
// projection's business). Deterministic: the same input gives bit-identical output.
//
// The library informs; it does not diagnose. Any red flag means contacting a clinician.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/course.hpp>
#include <aftermath/error.hpp>
#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/units.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath {

/// One report from the patient.
struct symptom_report {
  days day;                        ///< since the first session
  std::string symptom;             ///< an effect id of the model
  /// As reported on its scale: 0–10 (whole numbers on whole_0_10), a grade 0–4, or for a
  /// category its place among none (0), mild, moderate, severe, very severe (4).
  double severity = 0.0;
  std::vector<std::string> flags;  ///< ids from the model's report_flags
  std::optional<rating_scale> scale = std::nullopt;  ///< empty: the model's assessment.default_scale
  /// The patient was asked about every symptom at this time: those not reported then are
  /// absent, and the healing update reads them as rated 0. Without it, an unreported symptom
  /// says nothing (the patient may simply not have written it down).
  bool nothing_else = false;
};

enum class report_status { resolved, better_than_expected, as_expected, slower_than_expected, worsening, unexpected };

/// "resolved", "better_than_expected", "as_expected", "slower_than_expected", "worsening", "unexpected".
[[nodiscard]] std::string_view to_string(report_status status);
/// The model's name for the status, for staff (wording.staff.statuses: "as expected"), or its id
/// when the model has none.
[[nodiscard]] std::string_view status_name(const model& model, report_status status);

/// One report placed against the patient's projection.
struct report_assessment {
  std::size_t report = 0;  ///< index in the input
  std::string symptom;
  days day;
  double reported = 0.0;  ///< as given, on its scale
  rating_scale scale = rating_scale::whole_0_10;
  /// On the 0–10 scale, what the rules compare and the charts draw: the number given, or the
  /// middle of a grade's or category's range.
  double read_as = 0.0;
  severity_band expected;   ///< the patient's own band at that time, given the effect occurs
  /// P(felt severity ≤ reported | the effect occurs), before the reports; for a rating that
  /// stands for a range, the mean of that chance at its two ends.
  probability percentile;
  report_status status = report_status::as_expected;
  std::vector<std::string> flags;
  bool immediate = false;  ///< within the model's immediate_reaction_hours of a session
};

/// A red-flag rule that fired, with the reports that raised it.
struct triage_reason {
  std::string rule;
  triage_level level = triage_level::self_care;
  std::string text;
  std::vector<std::string> evidence;  ///< keys into the model's evidence table
  bool convention = false;            ///< clinic or label convention rather than evidence
  std::vector<std::size_t> reports;
};

/// 5th, 50th and 95th percentile resolution time, days since the first session.
struct resolution_interval {
  days p05;
  days p50;
  days p95;
};

/// What the reports changed for one reported effect.
struct updated_effect {
  std::string id;
  std::string name;
  std::size_t reports = 0;
  probability prior_occurs;  ///< after at least one session, before the reports
  probability occurs;        ///< after the reports
  resolution_interval prior;    ///< given the effect occurs, before the reports
  resolution_interval updated;  ///< given the effect occurs, after the reports
};

/// The patient's healing-time term as the reports estimate it.
struct healing_estimate {
  double mean_z = 0.0;  ///< posterior mean of z (η_T = σ_T·z); 0 is typical
  double sd_z = 1.0;    ///< posterior standard deviation (1 before any report)
  /// Φ(mean_z): the share of patients estimated to heal faster than this one.
  probability percentile = probability::checked(0.5);
};

struct assessment {
  std::string model_id;
  std::string model_version;
  std::string notice;
  triage_level triage = triage_level::self_care;
  std::string advice;  ///< the model's patient-facing text for the level
  std::vector<triage_reason> reasons;  ///< most urgent first
  std::vector<report_assessment> reports;  ///< in input order, every report
  healing_estimate healing;
  std::vector<updated_effect> updated;  ///< reported effects, in the model's order
};

struct assessment_options {
  /// Gauss–Hermite nodes over the healing-time term (8–128), as for the projection.
  int quadrature_nodes = 40;
};

/// Every problem with the reports' own fields, each with its path (`reports[3].symptom: ...`):
/// unknown symptoms (with the known ones listed) or flags, severities that are not ratings on
/// their scale, times before the first session, more than 3650 days after the last, or not
/// finite. Needs no personalising: this is what a reader checks.
[[nodiscard]] std::vector<input_problem> check_reports(const model& model, const profile& profile,
                                                       const std::vector<symptom_report>& reports);

/// The same, and when those are fine, the one limit on what can be assessed together: at most 14
/// sessions of an effect still rising at its first report or starting after it (older sessions
/// have no limit). Checked in milliseconds, before any work; `assess` checks it too.
[[nodiscard]] std::vector<input_problem> check_reports(const model& model, const personal_course& course,
                                                       const std::vector<symptom_report>& reports);

/// Assesses the reports for the course personalised from `model`. Throws input_error listing
/// every bad report (see check_reports), or when there are none.
[[nodiscard]] assessment assess(const model& model, const personal_course& course, const std::vector<symptom_report>& reports,
                  const assessment_options& options = {});

}  // namespace aftermath

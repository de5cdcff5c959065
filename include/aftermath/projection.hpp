// aftermath: projecting a patient's recovery.
//
// For each effect: the chance it occurs after at least one session; the daily curve of the
// 5th/50th/95th percentile severity (conditional on the effect occurring) and the
// unconditional chance it is visible; the peak of those curves; and the resolution time —
// the last time severity is at or above the resolved threshold — as median and 95th
// percentile. Also the results curve, the rare risks with their windows and the aftercare.
//
// How: η_A scales every session alike, so given η_T and the set U of sessions after which the
// effect occurs, log S(t) = η_A + log G_U(t; η_T) is normal, and
//   P(S(t) ≤ s) = Σ_U P(U) ∫ Φ((log s − log G_U(t; η_T)) / σ_A) dN(η_T)
// — a Gauss–Hermite sum over η_T of a normal CDF. Resolution by t means e^{η_A}·H_U(t) < r,
// where H_U(t) = sup_{t'≥t} G_U(t'), the same sum evaluated at the resolved threshold r.
// Sessions whose contribution is below 1e-4 severity points at every plausible amplitude are
// left out of the sum over U (it stays exact to that tolerance). Deterministic: no sampling,
// bit-identical output for the same input.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/course.hpp>
#include <aftermath/error.hpp>
#include <aftermath/units.hpp>

#include <optional>
#include <string>
#include <vector>

namespace aftermath {

struct projection_options {
  /// Days after the first session the curves cover; default: last session + 30 days.
  std::optional<days> horizon;
  /// Curve points per day (≥ 1).
  int points_per_day = 1;
  /// Gauss–Hermite nodes over the healing-time term (8–128).
  int quadrature_nodes = 40;
};

struct band_point {
  days day;
  severity p05;
  severity p50;
  severity p95;
  probability p_visible;  ///< unconditional: includes the chance the effect does not occur
};

/// The highest points of the median and 95th-percentile curves, and when the median peaks.
struct peak_summary {
  days day;
  severity p50;
  severity p95;
};

/// Resolution time (days since the first session), conditional on the effect occurring.
struct resolution_summary {
  days p50;
  days p95;
};

struct effect_projection {
  std::string id;
  std::string name;
  std::string text;
  probability occurs;  ///< after at least one session
  peak_summary peak;
  resolution_summary resolved;
  std::vector<band_point> curve;
};

struct results_point {
  days day;
  double p50 = 0.0;  ///< relative scale: 1 = one session's peak gain
};

struct risk_projection {
  std::string id;
  std::string name;
  std::string text;
  probability occurs;  ///< after at least one session
  days onset_from;     ///< after a session
  days onset_to;
  days watch_from;     ///< since the first session: first session + onset_from
  days watch_until;    ///< since the first session: last session + onset_to
};

/// A session of the course that comes before its protocol's recovery gate allows
/// (recovery_gate.hpp): the days since the session before, and the days the gate needs after it
/// for this patient.
struct gate_breach {
  int session = 0;      ///< 1-based: the session too soon; the session before is session − 1
  int days_since = 0;   ///< whole calendar days since the session before
  int days_needed = 0;  ///< whole days after the session before until the gate is met (1–365)
  std::string protocol;  ///< the protocol whose gate it is
  gate_requirement require = gate_requirement::resolved;
  severity threshold;                ///< below this, for good, an effect meets the gate
  std::vector<std::string> effects;  ///< the effect ids the gate looks at; empty: every effect
  probability confidence;
  std::string text;  ///< the warning in the model's words (wording.gate.warning)
};

struct projection {
  std::string model_id;
  std::string model_version;
  std::string notice;
  severity visible_threshold;
  severity resolved_threshold;
  days horizon;
  std::vector<days> session_starts;
  std::vector<effect_projection> effects;
  std::vector<results_point> results;
  std::vector<risk_projection> risks;
  std::vector<aftercare_entry> aftercare;
  /// Sessions that break the course's recovery gate: filled by project(model, profile, options)
  /// (recovery_gate.hpp); project(course) leaves it empty, as a course names no protocol.
  std::vector<gate_breach> gate_warnings;
};

/// Every problem with the options, each with its path: a horizon that is negative, not finite
/// or beyond `max_course_days`; points per day outside 1–24; nodes outside 8–128.
[[nodiscard]] std::vector<input_problem> check_projection_options(const projection_options& options);

/// Projects the course. Throws input_error for options out of range (see
/// check_projection_options) or a course with no session or one spanning more than
/// `max_course_days`. With the model and the profile, `project` in recovery_gate.hpp also warns
/// of sessions that break the protocol's recovery gate.
[[nodiscard]] projection project(const personal_course& course, const projection_options& options = {});

/// The conditional severity quantile of one effect at one time (q in (0, 1)); the same
/// computation as the curve, for callers that need other quantiles or times.
[[nodiscard]] severity severity_quantile(const effect_course& effect, days t, double q, int quadrature_nodes = 40);

/// The conditional resolution-time quantile of one effect (q in (0, 1)), days since the first
/// session, for the resolved threshold `resolved_threshold`.
[[nodiscard]] days resolution_quantile(const effect_course& effect, severity resolved_threshold, double q, int quadrature_nodes = 40);

/// The 5th, 50th and 95th percentile severity of one effect at one time, conditional on the
/// effect occurring (the curve's band at an arbitrary time).
struct severity_band {
  severity p05;
  severity p50;
  severity p95;
};
[[nodiscard]] severity_band severity_band_at(const effect_course& effect, days t, int quadrature_nodes = 40);

/// P(severity at t ≤ s | the effect occurs): where a reported severity falls in the band.
[[nodiscard]] probability severity_percentile(const effect_course& effect, days t, double s, int quadrature_nodes = 40);

/// Chance the effect occurs after at least one session: 1 − Π(1 − p_j).
[[nodiscard]] probability occurrence_probability(const effect_course& effect);

/// Unconditional chance that the effect has occurred and not yet resolved for good by t (days
/// since the first session): what a recovery gate before another session asks.
[[nodiscard]] probability unresolved_chance(const effect_course& effect, severity resolved_threshold, days t, int quadrature_nodes = 40);

/// Unconditional chance that the effect is visible (severity ≥ `visible`) at t: what an event
/// ("no visible side effects on the day") asks.
[[nodiscard]] probability visible_chance(const effect_course& effect, severity visible, days t, int quadrature_nodes = 40);

}  // namespace aftermath

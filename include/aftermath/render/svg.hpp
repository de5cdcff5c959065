// aftermath: charts as SVG, written by hand with no runtime dependency.
//
// Four charts, each a complete standalone SVG document (a viewBox with a natural width, so it
// scales to width="100%" on a phone and prints sharp), with a <title> and <desc>, a white
// background, the Okabe–Ito colour-blind-safe palette, and never colour alone: every line and
// status also differs by dash, marker shape or a text label.
//  - The projection (patient-facing, embedded in the leaflet): one panel per effect, stacked in
//    one column, with the 5–95 % band given the effect occurs, the median, the visible and
//    resolved thresholds, the sessions and dates. Its labels come from the model's wording
//    (model.wording.chart), so a clinic can translate them; an empty label is not drawn.
//  - The assessment (clinic staff): each reported symptom's reports on the patient's band,
//    coloured and shaped by status, with the triage level. Its labels are the staff's
//    (model.wording.staff): it speaks about the patient, where the projection speaks to them.
//  - The plan (clinic staff): a dated timeline of sessions, maintenance, follow-ups, aftercare
//    windows, medication pauses and events, named in the model's words.
//  - Cohorts (researchers): the daily chance of visible side effects and the resolution-time
//    histograms, for one cohort or two overlaid on the same strips and scales.
// Every text is XML-escaped; numbers that are not finite are clamped, never written as nan or
// inf. Deterministic: the same input gives the same bytes.
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include <aftermath/assessment.hpp>
#include <aftermath/model.hpp>
#include <aftermath/plan.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/recovery_gate.hpp>
#include <aftermath/simulation.hpp>
#include <aftermath/uncertainty.hpp>

#include <string>
#include <vector>

namespace aftermath::inline render {

/// Curve points per day in charts: pain and itching peak within hours, between the daily points
/// of a table, and a chart drawn from daily points would hide them.
inline constexpr int chart_points_per_day = 8;

/// The projection a chart (and the leaflet, which reads its dates off the chart's curves) is
/// drawn from: the same course and horizon, on a grid of at least chart_points_per_day.
[[nodiscard]] projection chart_projection(const personal_course& course, projection_options options = {});
/// The same for a profile, with its course's recovery-gate warnings.
[[nodiscard]] projection chart_projection(const model& model, const profile& profile, projection_options options = {});

/// The projection chart: one small panel per effect (name and chance in its title) with the
/// 5–95 % band given the effect occurs, the median, dashed lines at the visible and resolved
/// thresholds and the sessions, dated from the profile's first session; the patient id in the
/// title. Labels come from `wording` ({number} and {percent} filled in); empty ones are left out.
[[nodiscard]] std::string to_svg(const projection& projected, const profile& profile, const chart_wording& wording);

/// The same chart made to sit inside the leaflet on a phone: lower panels, and no notice under
/// it (the leaflet gives the notice itself).
[[nodiscard]] std::string to_leaflet_svg(const projection& projected, const profile& profile, const chart_wording& wording);

/// Reports as points on the patient's bands, coloured and shaped by status: one panel per
/// reported symptom, its band from `prior` (the projection before the reports), the triage
/// level's name in the title. The model's staff wording labels the band, median, thresholds,
/// sessions and statuses (built-in English where it has no text); its chart wording gives the
/// month names.
[[nodiscard]] std::string to_svg(const assessment& assessed, const projection& prior, const profile& profile, const model& model);

/// The plan as a timeline: sessions and maintenance (numbered), follow-ups, one row per
/// aftercare window and per medication pause, named by the model's aftercare names and
/// medicine names, and the events with whether each is met; an infeasible plan says so in its
/// title.
[[nodiscard]] std::string to_svg(const treatment_plan& planned, const model& model);

/// A cohort summary with the label it is shown under (e.g. the protocol id or the file name).
struct labelled_cohort {
  std::string label;
  const cohort_summary* summary;
};

/// One cohort, or two overlaid in one column on shared scales: the daily chance (0–100 %, by day
/// since the first session) that each effect and any is visible, and each effect's resolution
/// day after the last session as a histogram of the patients who had it. Two cohorts are two
/// arms on every strip (effects matched by id): arm 1 as a solid line and filled bars, arm 2 as
/// a dashed line and a dashed step outline, in two Okabe–Ito colours, with a legend naming each
/// arm by its label and pattern; their marks carry the classes "arm-1" and "arm-2", and each
/// strip is a group of class "strip". One cohort is drawn in the same column without a legend.
/// Throws std::invalid_argument unless there are 1 or 2 cohorts, none of them null.
[[nodiscard]] std::string to_svg(const std::vector<labelled_cohort>& cohorts);

/// A figure's sensitivity: per model number, its total and first-order Sobol index as bars with
/// their 95 % intervals, largest total first.
[[nodiscard]] std::string to_svg(const figure_sensitivity& sensitivity);

}  // namespace aftermath::render

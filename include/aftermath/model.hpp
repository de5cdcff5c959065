// aftermath: the recovery model as data.
//
// A model lists the side effects of a treatment as severity curves (incidence per session,
// a rise-and-decay shape in clinical terms, a typical peak on the 0–10 scale, and the spread
// between patients), the results curve, the risk modifiers with their odds ratios and
// multipliers, treatments, rare risks with onset windows, aftercare, triage texts, red-flag
// rules and protocols. Every number is a `parameter` that carries its evidence or the
// assumption behind it. Ids are strings from the data, so a clinic can add its own effects and
// modifiers without recompiling. A model is immutable once loaded and safe to share between
// threads.
//
// The default model, `mesotherapy_face`, is compiled in (`default_model()`); any other comes
// from JSON through `parse_model` (aftermath/io/json.hpp). The file format is docs/model-format.md.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath {

/// A published source, or a clinic convention, that a parameter rests on.
struct evidence_source {
  std::string key;
  std::string source;
  std::string strength;  ///< rct, sr_ma, cohort, case_series, consensus, label, review, ...
  std::string url;
};

/// How uncertain a number is, when a source states it (a 95 % confidence interval) or the model
/// states it (an SD on the number's scale). Absent, the uncertainty follows from the strength of
/// the evidence the number cites (uncertainty.hpp). Like the number, it carries its provenance.
struct stated_uncertainty {
  std::optional<std::array<double, 2>> interval_95;  ///< [low, high], around the value
  std::optional<double> sd;                          ///< on the number's scale (log or logit)
  std::vector<std::string> evidence;
  std::string assumption;
  std::string note;
};

/// A number in the model with its provenance: evidence keys, an assumption, or both.
struct parameter {
  double value = 0.0;
  std::vector<std::string> evidence;
  std::string assumption;
  std::string note;
  std::optional<stated_uncertainty> uncertainty;
};

/// Rise-and-decay shape in clinical terms (days).
struct curve_spec {
  std::string shape = "bateman";
  parameter lag_days;
  parameter time_to_peak_days;
  parameter half_life_days;
};

/// One side effect modelled as a severity curve.
struct effect_spec {
  std::string id;
  std::string name;
  std::string text;         ///< patient-facing
  parameter incidence;      ///< chance per session with no modifiers, in (0, 1)
  curve_spec curve;
  parameter typical_peak;   ///< median peak severity (0–10] when the effect occurs
  parameter peak_sd;        ///< SD of the log-normal term on peak (η_A)
  parameter healing_time_sd;///< SD of the log-normal term on healing time (η_T)
};

/// What a modifier or treatment does to one effect or risk.
struct target_adjustment {
  std::string target;                        ///< an effect id or a risk id
  std::optional<parameter> odds_ratio;       ///< on incidence; absent = 1
  std::optional<parameter> peak_multiplier;  ///< absent = 1
  std::optional<parameter> duration_multiplier;  ///< stretches time to peak and half-life; absent = 1
};

enum class modifier_category { patient, procedure };

/// A patient or procedure risk modifier.
struct modifier_spec {
  std::string id;
  std::string name;
  std::string text;
  modifier_category category = modifier_category::patient;
  std::string kind_of;                 ///< id of the broader modifier this one specialises, or empty
  std::optional<parameter> washout_days;  ///< effect left s days after stopping: max(0, 1 − s/days)
  /// A plan may pause it for `washout_days` before each session, when the prescriber approves.
  /// False for medicines that only the prescriber may stop (anticoagulants).
  bool plan_may_pause = false;
  std::vector<target_adjustment> targets;
};

struct treatment_spec {
  std::string id;
  std::string name;
  std::string area;
  std::string text;
  std::vector<target_adjustment> targets;
};

/// A rare complication: a chance per session and an onset window, not a curve.
struct risk_spec {
  std::string id;
  std::string name;
  std::string text;
  parameter probability;
  parameter onset_from_days;
  parameter onset_to_days;
};

struct results_spec {
  std::string name;
  std::string text;
  parameter first_gain;         ///< peak gain of the first session (relative scale)
  parameter repeat_gain_ratio;  ///< session k adds first_gain · ratio^(k−1)
  curve_spec curve;
};

enum class aftercare_kind { avoid, advice, follow_up };

struct aftercare_spec {
  std::string id;
  std::string name;  ///< a short label for clinic staff, where the id would show: "Peels, laser and facials"
  std::string text;  ///< patient-facing
  aftercare_kind kind = aftercare_kind::advice;
  std::optional<parameter> days;  ///< required for avoid and follow_up
};

enum class triage_level { self_care, contact_provider, urgent, emergency };

struct triage_text {
  triage_level level = triage_level::self_care;
  std::string name;  ///< what to do, as a heading: "Call emergency services"
  std::string text;
};

/// All given conditions must hold for a red-flag rule to fire. Report conditions are checked on
/// each report; `together` and `healing_slower_than` look across the patient's reports. Days
/// count from the most recent session at or before the report (`from_day`/`to_day`: from any
/// such session).
struct red_flag_condition {
  std::vector<std::string> flags_any;     ///< the report carries one of these flags
  std::vector<std::string> symptoms_any;  ///< the report is about one of these symptoms
  std::optional<double> min_severity;     ///< reported severity at least this
  std::optional<double> from_day;         ///< some session lies from_day–to_day days before
  std::optional<double> to_day;
  std::optional<double> present_after_day;  ///< visible this many days after the latest session
  bool unless_expected = false;  ///< not when the report lies within the patient's own band
  std::vector<std::string> statuses_any;   ///< the report's status is one of these
  /// Above the patient's 95th percentile by at least this many points, or by this fraction of it.
  std::optional<double> above_p95_by_points;
  std::optional<double> above_p95_by_fraction;
  /// Every one of these symptoms reported at min_severity or more within one day.
  std::vector<std::string> together;
  /// The healing-time term estimated from all reports is beyond this population percentile.
  std::optional<double> healing_slower_than;
  /// The symptom's updated median resolution is more than this many days after the latest session.
  std::optional<double> expected_to_last_beyond_day;
  /// At least this many reports of the same symptom meet the other conditions (persistence).
  int min_reports = 1;
};
struct red_flag_rule {
  std::string id;
  std::string text;  ///< why the rule fired and what to do, for an assessment
  std::string sign;  ///< the warning sign in the patient's words, for the leaflet (the text when not given)
  /// Whether the leaflet lists the sign: only signs a patient can check for themselves belong
  /// in its short list; every rule still triages reports and is shown to staff.
  bool in_leaflet = true;
  triage_level level = triage_level::contact_provider;
  red_flag_condition when;
  std::vector<std::string> evidence;
  bool convention = false;  ///< clinic or label convention rather than evidence
};

/// A flag a report may carry (`fever`, `pus`, ...): the red-flag rules refer to these ids.
struct report_flag_spec {
  std::string id;
  std::string text;
};

/// How a patient gives a rating. A whole number r on the 0–10 scale is read as "between r − ½
/// and r + ½" (0 as below ½, 10 as 9½ or more), a grade 0–4 or a category (none, mild,
/// moderate, severe, very severe) as its range on the 0–10 scale, a real number as itself.
enum class rating_scale { whole_0_10, real_0_10, grade_0_4, category };

/// "whole_0_10", "real_0_10", "grade_0_4", "category".
[[nodiscard]] std::string_view to_string(rating_scale scale);
/// The categories of rating_scale::category in order; a category report's severity is its place
/// here, as a grade's is its number.
inline constexpr std::array<std::string_view, 5> rating_categories{"none", "mild", "moderate", "severe", "very_severe"};
/// The scale with that name, if there is one.
[[nodiscard]] std::optional<rating_scale> rating_scale_named(std::string_view name);

/// How reports relate to the model: the severity a patient feels is the true one times e^ε,
/// ε ~ N(0, report_noise_sd²), and they write it on their scale; with probability
/// outlier_probability a report follows no curve.
struct assessment_spec {
  parameter report_noise_sd;
  parameter outlier_probability;
  parameter worsening_rise;  ///< points a symptom must rise, while expected to fall, to be worsening
  /// And the rise must be more than reporting noise explains: the least the new rating can mean
  /// at least e^{z·√2·report_noise_sd} times the most the earlier one can, z this (one-sided).
  parameter worsening_noise_z;
  /// Reports this many hours after a session, or sooner, describe the injection's own reaction:
  /// they are judged against the strongest band of those hours and do not update the healing.
  parameter immediate_reaction_hours;
  /// Where the mild, moderate, severe and very severe ranges start on the 0–10 scale: grades
  /// 1–4 and the categories are read as these ranges (grade 0, "none", as below mild_from).
  parameter mild_from;
  parameter moderate_from;
  parameter severe_from;
  parameter very_severe_from;
  rating_scale default_scale = rating_scale::whole_0_10;  ///< for reports that do not say theirs
};

/// Which sessions a follow-up follows.
enum class follow_up_after { each_session, last_session };

struct follow_up_spec {
  std::string id;
  std::string text;
  parameter after_days;
  follow_up_after after = follow_up_after::each_session;
};

/// Top-up sessions after a course: due when the results curve has faded to `results_fraction`
/// of its peak, and never more than `interval_days` after the session before.
struct maintenance_spec {
  parameter interval_days;
  parameter results_fraction;
};

/// What a recovery gate asks of each effect of the session before: to have fallen, for good,
/// below the model's resolved threshold (`resolved`), below the assessment's `moderate_from`
/// (`at_most_mild`: no more than mild), or below the visible threshold (`not_visible`).
enum class gate_requirement { resolved, at_most_mild, not_visible };

/// What a protocol requires before its next session, as data: the requirement, the effects it
/// applies to and the confidence, with the evidence or the convention behind the choice (the
/// requirement reads like a parameter's value: `evidence` and/or `assumption`, and a `note`).
struct gate_spec {
  gate_requirement require = gate_requirement::resolved;
  std::vector<std::string> effects;     ///< effect ids it applies to; empty: every effect
  std::optional<parameter> confidence;  ///< in (0, 1); absent: planning.recovery_confidence
  std::vector<std::string> evidence;
  std::string assumption;
  std::string note;
};

struct protocol_spec {
  std::string id;
  std::string name;
  std::string treatment;
  std::string text;
  parameter sessions;
  parameter interval_target_days;
  parameter interval_min_days;
  parameter interval_max_days;
  /// Absent: every effect resolved with planning.recovery_confidence (the gate before protocols
  /// stated their own).
  std::optional<gate_spec> gate;
  std::vector<follow_up_spec> follow_ups;
  std::optional<maintenance_spec> maintenance;
};

/// How plans are judged: the confidence a recovery gate asks for when its protocol names none
/// (and, for a protocol without a gate, the confidence with which every effect must have
/// resolved), and the default confidence for an event's "no visible side effects".
struct planning_spec {
  parameter recovery_confidence;
  parameter event_confidence;
};

/// Dates in patient-facing text: `format` with {weekday}, {day}, {month} and {year}; the
/// leaflet's lists of dates use `short_format` with the short names.
struct date_wording {
  std::string format;
  std::vector<std::string> weekdays;  ///< 7, from Sunday
  std::vector<std::string> months;    ///< 12, from January
  std::string short_format;
  std::vector<std::string> short_weekdays;  ///< 7, from Sunday
  std::vector<std::string> short_months;    ///< 12, from January
};

/// The labels of the patient-facing chart (the projection, which the leaflet embeds). Text in
/// braces is filled in: {number} a session's number, {percent} a chance such as "41 %".
struct chart_wording {
  std::string title;          ///< above the chart
  std::string severity_axis;  ///< the vertical axis
  std::string median;         ///< legend: the median curve
  std::string band;           ///< legend: the 5–95 % band (given the effect happens)
  std::string visible;        ///< the visible threshold's label
  std::string resolved;       ///< the resolved threshold's label
  std::string session;        ///< a session marker: {number}
  std::string chance;         ///< an effect's chance, beside its name: {percent}
  std::vector<std::string> months;  ///< short month names on the date axis, 12 from January
};

/// How long something lasts, in words: `{count}` filled in. A duration is rounded up to whole
/// hours below a day, whole days below four weeks and whole weeks from four weeks, so "within
/// 3 days" is never shorter than the time it stands for.
struct duration_wording {
  std::string hour, hours, day, days, week, weeks;
};

/// A word for a chance: it applies from `at_least` (inclusive) up to the next word's bound.
struct chance_word {
  double at_least = 0.0;
  std::string word;
};

/// The leaflet's headings and sentences; the placeholders each takes are listed in
/// docs/model-format.md and checked when the model is read. Times are never written into these
/// sentences: the leaflet fills them in from the projection ({typical}, {most}, {dates}), so
/// they cannot disagree with the model's numbers.
struct leaflet_wording {
  parameter likely_from;  ///< effects at least this likely are described in full
  /// The words for chances, from the most likely down; the last applies from 0. A convention,
  /// with its reasoning in `chance_words_note`.
  std::vector<chance_word> chance_words;
  std::string chance_words_note;
  std::string title, prepared_for, sessions, clinic, out_of_hours;
  std::string warnings_heading, warnings_intro, call_clinic, still_there_sign, scale;
  std::string effects_heading, effects_intro, effect_heading, durations, gone_by, gone_by_date, unlikely_line;
  std::string chart_heading, chart_caption;
  std::string aftercare_heading, aftercare_line, follow_up_line;
  std::string helps_heading;
  std::string results_heading, results_line;
  std::string risks_heading, risk_line;
  std::string notice_heading;
};

/// Every sentence a plan gives: its items' reasons, its conflicts and its notes. The placeholders
/// each takes are listed in docs/model-format.md and checked when the model is read. Sentences
/// nest: `{why}` and `{reason}` take another of these, `{days}` a `days` or `one_day`.
struct plan_wording {
  std::string pause;               ///< a medication pause the plan makes
  std::string pause_not_approved;  ///< a note: the medicine could be paused, but no approval
  std::string never_paused;        ///< a note: the medicine is never paused by a plan
  // What the other sentences are made of.
  std::string one_day, days;                 ///< a number of days: {count}
  std::string session, maintenance_session;  ///< {number}
  std::vector<std::string> weekdays;         ///< 7 short names from Sunday, for day_closed_weekday
  // Why a day cannot be used.
  std::string day_closed_weekday, day_closure, day_holiday, day_unavailable, day_usable;
  // Why a session falls on its day.
  std::string done;
  std::string first_session, first_session_after_pause, first_session_course_fits;
  std::string on_target, off_target, off_target_gate, off_target_earliest, off_target_unusable, off_target_events;
  std::string maintenance_due, maintenance_moved;
  // Why the other items fall where they do.
  std::string follow_up, follow_up_moved, aftercare, pause_reason;
  std::string follow_up_served;  ///< a note: follow-ups the next session serves for
  // The conflicts.
  std::string no_dates, search_stopped;
  std::string interval_too_long, interval_gate, interval_earliest, interval_no_day, interval_search_stopped;
  std::string maintenance_late, maintenance_no_day, follow_up_no_day, event_lost, event_not_clear;
};

/// How a recovery gate is put in words: its requirement (the reasons of a plan under a stated
/// gate) and the warning when a course breaks it. The placeholders each takes are listed in
/// docs/model-format.md and checked when the model is read; `{days}`-like values ({interval},
/// {gate}) are the plan's `days` or `one_day`.
struct gate_wording {
  std::string every_effect;   ///< what the gate looks at when it looks at every effect: {previous}
  std::string some_effects;   ///< when it looks at some: {names}, {previous}
  std::string resolved, at_most_mild, not_visible;  ///< the requirement: {effects}, {threshold}, {confidence}
  std::string plan_reason;    ///< why a plan waits: {gate}, {requirement}, {previous}
  std::string warning;        ///< a session too soon: {number}, {interval}, {previous}, {gate}, {requirement}, {protocol}
};

/// The words of the outputs for clinic staff: the text reports and the assessment and plan
/// charts. They speak about the patient, not to the patient (the band is this patient's, not
/// "people like you"), and name what the outputs would otherwise show as ids. The placeholders
/// each takes are listed in docs/model-format.md and checked when the model is read.
struct staff_wording {
  std::string band;      ///< the assessment chart's legend: the 5–95 % band, given the effect occurs
  std::string median;    ///< the median, given the effect occurs
  std::string visible;   ///< the visible threshold
  std::string resolved;  ///< the resolved threshold
  std::string session;   ///< a session marker: {number}
  std::string follow_up_item;  ///< a plan's follow-up: {number} (the session it follows)
  std::string aftercare_item;  ///< an aftercare window: {number}, {name} (the aftercare item's)
  std::string pause_item;      ///< a medication pause: {number} (the session it precedes), {name} (the medicine's)
  /// The name of each report status, in the order of report_status: resolved,
  /// better_than_expected, as_expected, slower_than_expected, worsening, unexpected.
  std::array<std::string, 6> statuses;
};

/// Wording that belongs to no single effect or rule, so that a clinic can reword or translate the
/// model file without recompiling: the patient's (dates, chart, leaflet, plan) and the staff's.
struct wording_spec {
  date_wording dates;
  duration_wording durations;
  chart_wording chart;
  leaflet_wording leaflet;
  plan_wording plan;
  gate_wording gate;
  staff_wording staff;
};

/// A complete, validated recovery model.
struct model {
  std::string id;
  std::string version;
  std::string name;
  std::string description;
  std::string notice;  ///< shown with every output: estimates, not medical advice
  std::string default_treatment;
  parameter visible_threshold;   ///< severity at which an effect counts as visible
  parameter resolved_threshold;  ///< severity below which, for good, it counts as resolved
  std::vector<evidence_source> evidence;
  std::vector<effect_spec> effects;
  results_spec results;
  std::vector<modifier_spec> modifiers;
  std::vector<treatment_spec> treatments;
  std::vector<risk_spec> risks;
  std::vector<aftercare_spec> aftercare;
  std::vector<triage_text> triage_levels;
  std::vector<report_flag_spec> report_flags;
  assessment_spec assessment;
  std::vector<red_flag_rule> red_flags;
  std::vector<protocol_spec> protocols;
  planning_spec planning;
  wording_spec wording;

  [[nodiscard]] const effect_spec* find_effect(std::string_view wanted) const;
  [[nodiscard]] const modifier_spec* find_modifier(std::string_view wanted) const;
  [[nodiscard]] const treatment_spec* find_treatment(std::string_view wanted) const;
  [[nodiscard]] const risk_spec* find_risk(std::string_view wanted) const;
  [[nodiscard]] const protocol_spec* find_protocol(std::string_view wanted) const;
  [[nodiscard]] const evidence_source* find_evidence(std::string_view key) const;
  [[nodiscard]] const report_flag_spec* find_report_flag(std::string_view wanted) const;
  /// True when modifier `kind` specialises `broader`: its `kind_of` names it, directly or through
  /// kinds in between (`nsaid_long_acting` → `nsaid` → `blood_thinners`). False for the modifier
  /// itself and for unknown ids. The walk takes at most as many steps as there are modifiers, so
  /// it ends on a chain that loops too (a model built in code may have one; one read from JSON
  /// cannot).
  [[nodiscard]] bool is_kind_of(std::string_view kind, std::string_view broader) const;
  [[nodiscard]] std::string_view triage_advice(triage_level level) const;
  /// The level's name ("Contact your clinic"), or its id when the model has no name for it.
  [[nodiscard]] std::string_view triage_name(triage_level level) const;
};

/// "self_care", "contact_provider", "urgent", "emergency".
[[nodiscard]] std::string_view to_string(triage_level level);
[[nodiscard]] std::string_view to_string(aftercare_kind kind);
[[nodiscard]] std::string_view to_string(modifier_category category);
[[nodiscard]] std::string_view to_string(follow_up_after after);
/// "resolved", "at_most_mild", "not_visible".
[[nodiscard]] std::string_view to_string(gate_requirement requirement);
/// The requirement with that name, if there is one.
[[nodiscard]] std::optional<gate_requirement> gate_requirement_named(std::string_view name);

}  // namespace aftermath

// aftermath: JSON in and out.
//
// Readers validate everything and throw input_error listing every problem with its JSON path;
// malformed JSON is reported with its line and column. Writers produce the documents whose JSON
// Schemas are in schemas/ (docs/schemas.md): the model, the projection, the assessment, the plan,
// the cohort and partial summaries. nlohmann/json is used inside the compiled library only; these
// functions take and return text.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/io/json_limits.hpp>
#include <aftermath/assessment.hpp>
#include <aftermath/calendar.hpp>
#include <aftermath/clinic.hpp>
#include <aftermath/comparison.hpp>
#include <aftermath/error.hpp>
#include <aftermath/model.hpp>
#include <aftermath/plan.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/simulation.hpp>
#include <aftermath/uncertainty.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath::inline io {

/// The embedded default model (`mesotherapy_face`), parsed and validated once.
[[nodiscard]] const model& default_model();

/// The built-in holiday sets (src/calendars/holidays.json), parsed once; a set by its id, or null.
[[nodiscard]] const std::vector<holiday_set>& built_in_holiday_sets();
[[nodiscard]] const holiday_set* find_holiday_set(std::string_view id);

/// Parses and validates a model (docs/model-format.md). `source` names the input in messages.
[[nodiscard]] model parse_model(std::string_view json_text, std::string_view source = "model");

/// Parses a clinic overlay (docs/clinic-format.md): the clinic's name and phone (required), out-of-
/// hours phone and address, and overrides of the model's wording, checked as the model's own.
[[nodiscard]] clinic parse_clinic(std::string_view json_text, const model& model, std::string_view source = "clinic");

/// Parses a profile and checks it against the model (unknown ids, order of sessions, dates).
[[nodiscard]] profile parse_profile(std::string_view json_text, const model& model, std::string_view source = "profile");

/// The model in its file format, evidence included.
[[nodiscard]] std::string to_json(const model& model, int indent = 2);

/// The projection (schemas/projection.schema.json), with dates from the profile's first session.
[[nodiscard]] std::string to_json(const projection& projection, const profile& profile, int indent = 2);

/// Parses reports (`{"reports": [...]}`, each by `date` (+ `time`) or `day`) for the profile's
/// sessions and checks them against the model: every bad report is named, none is dropped.
[[nodiscard]] std::vector<symptom_report> parse_reports(std::string_view json_text, const model& model, const profile& profile,
                                          std::string_view source = "reports");

/// An assessment asked for in one document, as `POST /assess` and a diary's patient give it:
/// {"profile": {…a profile…}, "reports": [{…reports as parse_reports reads them…}]}.
struct assessment_request {
  profile patient;
  std::vector<symptom_report> reports;
};

/// Parses an assessment request: the profile at "profile", the reports at "reports" checked
/// against that profile's sessions; every problem named with its path, no report dropped.
[[nodiscard]] assessment_request parse_assessment_request(std::string_view json_text, const model& model, std::string_view source = "request");

/// The assessment (schemas/assessment.schema.json), with each rule's evidence cited from the model.
[[nodiscard]] std::string to_json(const assessment& assessment, const model& model, const profile& profile, int indent = 2);

/// Parses a planning request (docs/plan-format.md) and checks it against the model: every bad
/// field is named. Reports on the sessions already done (`reports`) are read and checked here;
/// `plan` assesses them.
[[nodiscard]] plan_request parse_plan_request(std::string_view json_text, const model& model, std::string_view source = "request");

/// The plan (schemas/plan.schema.json): feasible, dated items with their reasons, conflicts with
/// the nearest feasible alternative, and how each event fares.
[[nodiscard]] std::string to_json(const treatment_plan& plan, int indent = 2);
/// Values given beside the population file (the command's -n and --seed); they replace the file's.
struct population_overrides {
  std::optional<std::uint64_t> n;
  std::optional<std::uint64_t> seed;
};

/// Parses a population (docs/population-format.md) and checks it against the model: unknown
/// protocol, treatment, risk factor or key, prevalence outside [0, 1], n outside [1, 10^9], ...
[[nodiscard]] population parse_population(std::string_view json_text, const model& model, std::string_view source = "population",
                            const population_overrides& overrides = {});

/// Parses a population whose one medicine timing may be a list (docs/population-format.md,
/// "Sweeps"): `"stopped_days_before": [0, 3, 7, 10]` or `"paused_days_before_each_session": [...]`
/// in one risk factor's object under `risk_factors`, 2 to 20 whole days in [0, 3650], no repeats.
/// One population per value, in the list's order, each with that value in place of the list and
/// otherwise the same (the same n and seed: the same patients). Without a list, the one
/// population parse_population reads. Throws input_error naming every problem with its path.
[[nodiscard]] std::vector<population> parse_population_sweep(std::string_view json_text, const model& model,
                                                             std::string_view source = "population", const population_overrides& overrides = {});

/// What a sweep varies: one risk factor's medicine timing (`field` is "stopped_days_before" or
/// "paused_days_before_each_session"), and its value in each arm.
struct population_sweep_axis {
  std::string factor;
  std::string field;
  std::vector<int> values;
};

/// The axis of parse_population_sweep's arms (at least two). Throws std::invalid_argument when
/// there are fewer, or when arms 0 and 1 do not differ in a medicine timing.
[[nodiscard]] population_sweep_axis sweep_axis(const std::vector<population>& arms);

/// A sweep's document: `sweep` (factor, field, values), `arms` (each arm's cohort summary, as
/// to_json(summary) writes it) and `differences`, one for each arm k >= 1 against arm 0: `value`,
/// `versus` and the members of to_json(summary, compared, difference)'s "difference".
/// `differences[k - 1]` is arm k minus arm 0, per patient.
[[nodiscard]] std::string to_json(const population_sweep_axis& axis, const std::vector<cohort_summary>& arms,
                                  const std::vector<cohort_difference>& differences, int indent = 2);

/// The population with its defaults filled in (sessions, treatment, horizon); parses back to itself.
[[nodiscard]] std::string to_json(const population& population, int indent = 2);

/// The cohort summary (schemas/cohort-summary.schema.json).
[[nodiscard]] std::string to_json(const cohort_summary& summary, int indent = 2);

/// Two cohorts compared: `summary` as above, with `compared` in full as its member "compared".
[[nodiscard]] std::string to_json(const cohort_summary& summary, const cohort_summary& compared, int indent = 2);

/// Two cohorts of the same patients compared: as above, and the member "difference", compared
/// minus population per patient: per effect and for any effect each figure's estimate, se, low
/// and high (docs/simulation.md, "Paired comparison").
[[nodiscard]] std::string to_json(const cohort_summary& summary, const cohort_summary& compared, const cohort_difference& difference,
                                  int indent = 2);

/// A cohort simulated with replicates: the summary at the model's values, each effect gaining
/// `uncertainty` (every figure's p2_5, p50, p97_5 across parameter sets) and `mcse` (every
/// share's and mean's Monte Carlo standard error), and `replicates` saying how many.
/// A paired comparison with replicates: as above, each difference figure gaining `uncertainty`,
/// its estimate's p2_5, p50 and p97_5 across the parameter sets.
[[nodiscard]] std::string to_json(const cohort_summary& summary, const cohort_summary& compared, const cohort_difference& difference,
                                  const difference_uncertainty& uncertainty, int indent = 2);

[[nodiscard]] std::string to_json(const replicated_cohort& run, int indent = 2);

/// The model's numbers with their uncertainties (`aftermath model --parameters`).
[[nodiscard]] std::string to_json(const std::vector<uncertain_parameter>& parameters, const model& model, int indent = 2);

/// A figure's sensitivity (`aftermath sensitivity`): `output`, and `parameters` by total index,
/// each with `first_order` and `total` as {"estimate", "low", "high"}.
[[nodiscard]] std::string to_json(const figure_sensitivity& sensitivity, int indent = 2);

/// One shard's partial summary: model, population, the patients covered and the raw tallies.
[[nodiscard]] std::string to_partial_json(const model& model, const population& population, patient_range patients, const cohort_tally& tally);

/// A shard of a replicated run: the partial summary of the run at the model's values over every
/// patient, with `replicates` {"count", "from", "to", "figures"} holding its replicates' figures.
[[nodiscard]] std::string to_partial_json(const model& model, const population& population, const cohort_tally& nominal,
                                          const replicate_part& replicates);

/// Reads a partial summary back, checking it (format, model, population, counts) with paths.
[[nodiscard]] cohort_partial parse_partial(std::string_view json_text, const model& model, std::string_view source);

/// {"error": "bad_input", "problems": [{"source", "path", "code", "message"}]}: every problem
/// of the error as the command prints it; "source" and "path" are left out when empty.
[[nodiscard]] std::string to_json(const input_error& error, int indent = 2);

/// {"error": "failed", "message"}: a failure that is not the input's (out of memory, a file that
/// could not be written), for boundaries that answer with documents.
[[nodiscard]] std::string failure_json(std::string_view message, int indent = 2);

/// {"error": error, "message": message}: what a boundary answers for a request it refuses before
/// reading any document (an HTTP path that does not exist, a body too large), `error` a stable
/// word for programs ("not_found", "payload_too_large") and the message for people.
[[nodiscard]] std::string error_json(std::string_view error, std::string_view message, int indent = 2);

/// The leaflet as one document: {"html", "markdown", "clinic_warnings"}, its pages as render
/// wrote them (render/leaflet.hpp).
[[nodiscard]] std::string leaflet_json(std::string_view html, std::string_view markdown, const std::vector<std::string>& clinic_warnings,
                                       int indent = 2);

}  // namespace aftermath::io

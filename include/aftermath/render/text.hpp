// aftermath: readable text for a terminal.
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/assessment.hpp>
#include <aftermath/comparison.hpp>
#include <aftermath/plan.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/simulation.hpp>
#include <aftermath/uncertainty.hpp>

#include <string>

namespace aftermath::inline render {

/// A projection as tables with dates: what to expect, when each effect should be gone,
/// aftercare, rare risks, and the model's notice.
[[nodiscard]] std::string to_text(const projection& projection, const profile& profile);

/// An assessment, for clinic staff: the triage level with its advice and reasons, each report
/// against its band, and when each reported effect is now expected to resolve. Levels,
/// symptoms and statuses are shown by the model's names (triage_levels, effects,
/// wording.staff.statuses), not their ids.
[[nodiscard]] std::string to_text(const assessment& assessment, const model& model, const profile& profile);

/// A plan, for clinic staff: its items by date with their reasons, conflicts, events, notes, the
/// aftercare and follow-up texts, and the model's notice. Items are named in the model's words
/// (wording.plan's sessions, wording.staff's items with the aftercare item's or medicine's
/// name), the protocol by its name.
[[nodiscard]] std::string to_text(const treatment_plan& plan, const model& model);
/// A model: effects, modifiers, treatments, risks, aftercare, red flags and protocols, each
/// number with its evidence strength.
[[nodiscard]] std::string to_text(const model& model);

/// A cohort summary: per effect the chance, resolution and visible days, the daily chance of
/// being visible on telling days, and the model's notice.
[[nodiscard]] std::string to_text(const cohort_summary& summary);

/// A paired comparison, compared minus population: per effect the difference in the chance over
/// the course (percentage points), in visible days and in the mean resolution time (patients
/// affected in both), each with its 95 % interval.
[[nodiscard]] std::string to_text(const cohort_difference& difference);

/// A cohort simulated with replicates: the summary, then per effect each main figure's 95 %
/// uncertainty interval across the parameter sets and its Monte Carlo standard error.
[[nodiscard]] std::string to_text(const replicated_cohort& run);

/// A figure's sensitivity: each parameter's first-order and total Sobol index with its interval.
[[nodiscard]] std::string to_text(const figure_sensitivity& sensitivity);

/// A paired difference with its uncertainty across replicate parameter sets.
[[nodiscard]] std::string to_text(const cohort_difference& difference, const difference_uncertainty& uncertainty);

/// The model's numbers with their uncertainties: id, value, distribution, 95 % interval, basis.
[[nodiscard]] std::string to_text(const std::vector<uncertain_parameter>& parameters);

}  // namespace aftermath::render

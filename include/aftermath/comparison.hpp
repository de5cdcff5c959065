// aftermath: two populations compared on the same virtual patients.
//
// Patient i's draws depend only on (seed, i) (simulation.hpp), so two populations with the same
// n and seed are the same patients under two conditions: another schedule, a medicine stopped a
// week earlier. `simulate_paired` runs both arms on each patient in one pass and adds up, per
// effect and for any effect, the patient's own difference d_i = x_i(compared) − x_i(population),
// "compared minus population", of
//
//   occurred (1 or 0) after at least one session                       → probability
//   occurrences / sessions, each arm over its own sessions             → incidence_per_session
//   days visible in all                                                → visible_days.mean
//   days after the last session until resolved, patients affected in
//   both arms only (elsewhere the difference is not defined)           → resolution_days.mean
//
// and reports each as estimate = mean d, se = sd(d)/√m (sd with m − 1; m patients: n, or those
// affected in both arms) and the normal 95 % interval estimate ± 1.96·se. What the arms share
// (the patient's risk factors, healing time, peak and occurrence draws) cancels in d, so se is
// far smaller than √(se_A² + se_B²) of two independent runs.
//
// The sums are integers, as the tallies are: days in 1/65536 day with each value capped at 10⁵
// days as `day_histogram` does (so the visible-days estimate is exactly the difference of the two
// summaries' means), per-session incidence in units of 1/(sessions_A · sessions_B), and Σd² in
// two words that never carry into each other. Paired tallies of threads, shards or MPI ranks add
// up exactly in any order, and the result is the same for any thread count.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/model.hpp>
#include <aftermath/simulation.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aftermath {

/// Exact sums of one per-patient difference d, an integer in the figure's units, |d| < 2³³ (10⁵ days is
/// below 2³³ units of 1/65536 day), over at most 10⁹ patients: no sum can overflow.
struct paired_sum {
  std::uint64_t count = 0;         ///< patients
  std::int64_t sum = 0;            ///< Σd
  std::uint64_t squares_high = 0;  ///< Σ⌊d²/2³²⌋
  std::uint64_t squares_low = 0;   ///< Σ(d² mod 2³²): Σd² = squares_high·2³² + squares_low

  /// Adds one patient's difference.
  void add(std::int64_t difference);
  paired_sum& operator+=(const paired_sum& other);
  friend bool operator==(const paired_sum&, const paired_sum&) = default;
};

/// The paired sums of one effect (or of any effect), compared minus population.
struct effect_difference_tally {
  paired_sum occurred;         ///< units of 1: every patient
  paired_sum per_session;      ///< units of 1/(sessions_A · sessions_B): every patient
  paired_sum visible_days;     ///< units of 1/65536 day: every patient
  paired_sum resolution_days;  ///< units of 1/65536 day: patients affected in both arms
  effect_difference_tally& operator+=(const effect_difference_tally& other);
  friend bool operator==(const effect_difference_tally&, const effect_difference_tally&) = default;
};

/// What a paired run counted: each arm's own tally, as `simulate` would count it, and the
/// differences. Adding paired tallies is exact and order-free.
struct paired_tally {
  cohort_tally population;  ///< arm A, the population
  cohort_tally compared;    ///< arm B, the compared population
  std::vector<effect_difference_tally> effects;  ///< in model order
  effect_difference_tally any;                   ///< any effect, as cohort_tally::any counts it
  paired_tally& operator+=(const paired_tally& other);
};

/// An empty paired tally shaped for these populations and this model.
[[nodiscard]] paired_tally empty_paired_tally(const model& model, const population& population, const aftermath::population& compared);

/// Simulates the same patients (`options.patients`, default all n) under both populations in one
/// pass. Each arm's tally equals `simulate`'s of that arm alone. `options.outcomes` must be empty
/// (rows are written for one population at a time). Throws input_error for a population the model
/// cannot take (the compared one's problems carry the source "compared"), for two populations of
/// different n or seed, or for a patient range outside [0, n).
[[nodiscard]] paired_tally simulate_paired(const model& model, const population& population, const aftermath::population& compared,
                                           const simulation_options& options = {});

/// A paired difference in the figure's own units (a difference of chances, in [−1, 1]; days).
struct difference_estimate {
  double estimate = 0.0;  ///< mean of the per-patient differences
  double se = 0.0;        ///< sd(d)/√m, sd with m − 1
  double low = 0.0;       ///< estimate − 1.96·se
  double high = 0.0;      ///< estimate + 1.96·se
};

/// The estimate from a paired sum whose units are `units_per_value` to one; none below 2 patients.
[[nodiscard]] std::optional<difference_estimate> estimate_difference(const paired_sum& sum, double units_per_value);

struct effect_difference {
  std::string id;
  std::string name;
  std::optional<difference_estimate> probability;
  std::optional<difference_estimate> incidence_per_session;
  std::optional<difference_estimate> visible_days_mean;
  std::optional<difference_estimate> resolution_days_mean;  ///< over the patients affected in both arms
  std::uint64_t resolution_patients = 0;                    ///< how many those are
};

/// Compared minus population, per effect and for any effect (id "any").
struct cohort_difference {
  std::uint64_t patients = 0;
  std::vector<effect_difference> effects;
  effect_difference any;
};

/// The differences of a paired tally of these populations.
[[nodiscard]] cohort_difference summarise_difference(const model& model, const population& population, const aftermath::population& compared,
                                                     const paired_tally& tally);

}  // namespace aftermath

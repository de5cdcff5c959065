// aftermath: simulating a cohort of virtual patients.
//
// A population says who the patients are (independent risk-factor prevalences, or a mixture of
// weighted profiles), which sessions they have (a protocol of the model, or explicit days), and
// how many (n) with which seed. Patient i gets, from a counter-based generator keyed by the seed,
// draws that depend only on (seed, i): a healing-time term z ~ N(0, 1) shared by all effects,
// per effect a peak term η_A ~ N(0, σ_A²), per session and effect an occurrence, and its risk
// factors. For the sessions U after which effect e occurs the patient's severity is, as in
// course.hpp,
//
//   S(t) = min(10, e^{η_A} · Σ_{j∈U} A_j · shape((t − t_j) / (s_j · e^{σ_T z}))).
//
// From S the simulation reads, exactly rather than on a time grid, when the effect is resolved
// for good (the last time S ≥ the resolved threshold, as `project` defines it) and the set of
// times it is visible (S ≥ the visible threshold). Between session starts, a sum of Bateman
// curves with one time scale is itself one shifted Bateman curve, so each crossing is read from
// a per-effect table of the shape's inverse (detail/bateman_crossings.hpp).
//
// Everything summarised is an integer (counts, and sums of days in fixed point), so tallies of
// threads or shards add up exactly: the result is the same, byte for byte, for any thread count
// and any split into shards. Memory does not grow with n; per-patient rows are streamed.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/error.hpp>
#include <aftermath/model.hpp>
#include <aftermath/units.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath {

/// A patient risk factor as a population carries it. A medicine with a washout in the model may
/// carry one of two timings (not both), each in whole days from 0 to 3650:
///  - `stopped_days_before`: stopped that many days before the first session and not taken
///    again, so what is left of it, max(0, 1 − s/washout) s days after the stop, shrinks from
///    session to session;
///  - `paused_days_before_each_session`: paused d days before every session and resumed after
///    it, so every session meets the same max(0, 1 − d/washout) of it (a plan pauses for the
///    whole washout, which leaves nothing).
/// Without either the medicine acts in full at every session.
struct population_factor {
  std::string id;
  std::optional<int> stopped_days_before;
  std::optional<int> paused_days_before_each_session;
  friend bool operator==(const population_factor&, const population_factor&) = default;
};

/// A share of the population with this risk factor, drawn independently of the other factors.
struct factor_prevalence {
  population_factor factor;
  probability share;
  friend bool operator==(const factor_prevalence&, const factor_prevalence&) = default;
};

/// One kind of patient with its relative weight (weights need not add up to 1).
struct weighted_profile {
  std::string name;
  double weight = 1.0;
  std::vector<population_factor> risk_factors;
  friend bool operator==(const weighted_profile&, const weighted_profile&) = default;
};

struct population {
  std::string protocol;              ///< the model protocol the sessions follow; empty when given as days
  std::vector<int> session_days;     ///< whole days since the first session: 0, then ascending
  std::string treatment;             ///< the treatment everyone has (never empty once parsed)
  std::vector<std::string> procedure;  ///< procedure modifiers applied to everyone
  std::vector<factor_prevalence> prevalences;  ///< independent risk factors; or
  std::vector<weighted_profile> profiles;      ///< a mixture of kinds of patient (not both)
  std::uint64_t n = 0;               ///< patients, 1 to 10^9
  std::uint64_t seed = 0;
  int horizon_days = 0;              ///< daily curves cover days 0..horizon since the first session
  friend bool operator==(const population&, const population&) = default;
};

/// Every problem with the population against this model, each with its path.
[[nodiscard]] std::vector<input_problem> check_population(const model& model, const population& population);

/// Patients [first, last): the whole cohort or one shard of it.
struct patient_range {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  friend bool operator==(const patient_range&, const patient_range&) = default;
};

/// Shard `index` (0-based) of `count` equal shares of n patients.
[[nodiscard]] patient_range shard_range(std::uint64_t n, std::uint64_t index, std::uint64_t count);

/// Days in fixed bins of 1/32 day from 0 to 512 days, then one overflow bin; the sum of the
/// values in fixed point (1/65536 day, each value capped at 10^5 days) gives an exact mean.
struct day_histogram {
  static constexpr int bins_per_day = 32;
  static constexpr int days_covered = 512;
  static constexpr std::size_t bins = static_cast<std::size_t>(bins_per_day) * days_covered;
  static constexpr double units_per_day = 65536.0;

  std::vector<std::uint64_t> counts = std::vector<std::uint64_t>(bins + 1, 0);  ///< last: overflow
  std::uint64_t total = 0;
  std::uint64_t sum_units = 0;
  std::uint64_t zeros = 0;  ///< values of exactly 0 (also in the first bin): a median of 0 is reported as 0

  /// Adds one value in days (≥ 0).
  void add(double value) {
    if (value <= 0.0) return add_zero();
    const double capped = value < 1e5 ? value : 1e5;
    const double bin = capped * bins_per_day;
    ++counts[bin < static_cast<double>(bins) ? static_cast<std::size_t>(bin) : bins];
    ++total;
    sum_units += static_cast<std::uint64_t>(capped * units_per_day + 0.5);
  }
  /// Adds a value of zero days (most patients for most effects).
  void add_zero() {
    ++counts[0];
    ++total;
    ++zeros;
  }
  day_histogram& operator+=(const day_histogram& other);
  friend bool operator==(const day_histogram&, const day_histogram&) = default;
  /// The q-quantile (0 within the exact zeros, else linear within its bin); none when empty or
  /// in the overflow bin.
  [[nodiscard]] std::optional<double> quantile(double q) const;
  [[nodiscard]] std::optional<double> mean() const;
  /// The SD of the values as binned (each at its bin's middle, zeros at 0): within 1/64 day of
  /// the exact SD, since no value moves by more than half a bin. None when empty or overflowing.
  [[nodiscard]] std::optional<double> sd() const;
};

/// Integer tallies of one effect (or of "any effect") over the patients simulated.
struct effect_tally {
  std::vector<std::uint64_t> occurrences_by_session;  ///< patients in whom it occurred after session j
  std::uint64_t patients_affected = 0;                ///< after at least one session
  day_histogram resolution;  ///< affected patients: days after the last session until resolved for good
  day_histogram visible;     ///< every patient: days with severity ≥ the visible threshold, in all
  std::vector<std::uint64_t> visible_on_day;  ///< patients visible at day d since the first session
  effect_tally& operator+=(const effect_tally& other);
  friend bool operator==(const effect_tally&, const effect_tally&) = default;
};

/// What a run, a thread or a shard counted. Adding tallies is exact and order-free.
struct cohort_tally {
  std::uint64_t patients = 0;
  std::vector<std::uint64_t> group_counts;  ///< per prevalence: patients with it; per profile: patients of it
  std::vector<effect_tally> effects;        ///< in model order
  effect_tally any;                         ///< any effect: union of visible times; all resolved
  cohort_tally& operator+=(const cohort_tally& other);
  friend bool operator==(const cohort_tally&, const cohort_tally&) = default;
};

/// An empty tally shaped for this population and model.
[[nodiscard]] cohort_tally empty_tally(const model& model, const population& population);

/// One patient's outcome for one effect (or for any effect), as `simulate` streams it on request.
struct patient_outcome {
  std::uint64_t patient = 0;
  std::string_view group;                          ///< the patient's prevalence pattern or profile
  std::string_view effect;                         ///< an effect id, or "any"
  std::span<const int> sessions;                   ///< 0-based sessions after which it occurred
  std::optional<double> resolved_after_last_days;  ///< empty when it did not occur
  double visible_days = 0.0;
};

/// Receives outcomes in patient order, a chunk at a time, from one thread at a time. The views
/// are valid during the call only. io's `cohort_rows_csv` writes them as CSV.
using outcome_sink = std::function<void(std::span<const patient_outcome>)>;

struct simulation_options {
  unsigned threads = 0;                  ///< 0: one per hardware thread
  std::optional<patient_range> patients{};  ///< default: all n
  /// Called now and then with patients done and patients to do, from a worker thread (one call at a time).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress{};
  /// When set, receives every patient's outcome per effect and for "any", in patient order.
  outcome_sink outcomes{};
};

/// Simulates the population's patients. Throws input_error for a population the model cannot
/// take (every problem with its path) or a patient range outside [0, n).
cohort_tally simulate(const model& model, const population& population, const simulation_options& options = {});

/// Quantiles, means and chances from a tally.
struct day_summary {
  std::uint64_t patients = 0;
  std::optional<double> p05, p50, p95, mean;
  std::optional<double> mean_se;       ///< the mean's Monte Carlo standard error, SD/√patients
  std::vector<std::uint64_t> per_day;  ///< the histogram in whole days: [d, d+1); last: ≥ 512
};

struct effect_summary {
  std::string id;
  std::string name;
  probability occurs;                    ///< after at least one session
  probability incidence_per_session;     ///< occurrences / (n · sessions)
  std::vector<probability> incidence_by_session;
  day_summary resolution;                ///< affected patients, days after the last session
  day_summary visible;                   ///< every patient, days visible in all
  std::vector<probability> p_visible_by_day;
};

struct cohort_summary {
  std::string model_id;
  std::string model_version;
  std::string notice;
  aftermath::population population;
  severity visible_threshold;
  severity resolved_threshold;
  std::vector<probability> group_shares;  ///< simulated share per prevalence or profile
  std::vector<effect_summary> effects;
  effect_summary any;                     ///< id "any": visible if any effect is; resolved when all are
  std::vector<double> results_by_day;     ///< results curve, relative scale (1 = one session's peak gain)
};

/// Summarises a complete tally (patients == n). Throws std::invalid_argument otherwise.
[[nodiscard]] cohort_summary summarise(const model& model, const population& population, const cohort_tally& tally);

/// A shard's tally as read back from its file.
/// Replicates [first, last) of a run with `count` replicates (uncertainty.hpp): each one's summary
/// figures, in the order simulate_replicates lists them.
struct replicate_part {
  std::uint64_t count = 0;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::vector<std::vector<double>> figures;  ///< a NaN where the summary has no value
};

/// A shard's tally as read back from its file. A shard of a replicated run covers every patient
/// (its tally is the run at the model's values) and some of the replicates.
struct cohort_partial {
  std::string source;
  aftermath::population population;
  patient_range patients;
  cohort_tally tally;
  std::optional<replicate_part> replicates{};
};

/// Adds shards into the whole cohort's tally. Throws input_error, naming the files, unless all
/// shards have the same population (n and seed included) and their ranges cover [0, n) exactly once.
[[nodiscard]] cohort_tally merge(const model& model, const std::vector<cohort_partial>& parts);

}  // namespace aftermath

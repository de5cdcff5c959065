// The per-patient work of a cohort simulation: the population's kinds of patient compiled once,
// and for one patient and effect, exactly when it is visible and when it is resolved.
#pragma once

#include "cohort_draws.hpp"

#include <aftermath/course.hpp>
#include <aftermath/detail/bateman_crossings.hpp>
#include <aftermath/simulation.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aftermath::detail {

/// The personal course of a patient with these risk factors in this population.
personal_course course_for(const model& model, const population& population, const std::vector<population_factor>& factors);

/// What does not depend on the kind of patient: the effect's shape and spreads.
struct effect_kinetics {
  double lag;
  double ka;
  double ke;
  double log_height;
  double peak_sd;
  double healing_sd;
  bateman_crossings crossings;
};

/// One session's term of one effect for one kind of patient.
struct compiled_term {
  double start;          ///< session day + the effect's lag
  double log_amplitude;  ///< ln A_j
  double raw_amplitude;  ///< A_j / height
  double time_scale;     ///< s_j
  std::uint64_t threshold;  ///< occurs when the patient's word is below this
};

/// One kind of patient: a combination of risk factors, or a profile.
struct compiled_group {
  std::string label;
  std::vector<compiled_term> terms;  ///< [effect · sessions + session]
  std::vector<char> uniform_scale;   ///< per effect: every session has the same time scale
};

struct time_interval {
  double from;
  double to;
};

/// One occurring session's term as the patient has it.
struct bump {
  double start;          ///< session day + lag
  double log_amplitude;  ///< ln(e^{η_A} · A_j)
  double scale;          ///< s_j · e^{σ_T z}
  double raw_amplitude = 0.0;  ///< e^{η_A} · A_j / height: the coefficient of e^{−k_e u} − e^{−k_a u}; set for two or more bumps
};

/// One segment of a sum of same-scale bumps (from one bump's start to the next): one Bateman
/// curve started x0 (in scaled time, ≤ 0) before the segment, with this peak.
struct segment_shape {
  double start;
  double x_end;  ///< the segment's length in scaled time (infinite for the last)
  double x0;
  double log_peak;
};

/// The bumps of one time scale carried together: P·e^{−k_e x/σ} − Q·e^{−k_a x/σ}.
struct scale_group {
  double scale;
  double p;
  double q;
};

/// Reused buffers of one thread.
struct effect_scratch {
  std::vector<int> occurring;  ///< sessions after which the effect occurs
  std::vector<bump> bumps;
  std::vector<segment_shape> segments;  ///< one time scale: one per bump
  std::vector<std::pair<double, double>> crossings;  ///< each segment's normalised rise and fall through the visible level
  std::vector<scale_group> groups;  ///< mixed time scales: the sum's terms
  /// e^{σ_T z} of the current patient (z) for the σ_T met so far: effects often share one.
  double z = 0.0;
  std::vector<std::pair<double, double>> healing;

  double healing_factor(double sigma, double patient_z) {
    if (patient_z != z || healing.empty()) z = patient_z, healing.clear();
    for (const auto& [s, factor] : healing)
      if (s == sigma) return factor;
    healing.emplace_back(sigma, std::exp(sigma * patient_z));
    return healing.back().second;
  }
};

/// One effect in one patient.
struct effect_outcome {
  bool occurred = false;
  double resolved_at = 0.0;  ///< days since the first session; 0 when never at the resolved threshold
  double visible_days = 0.0;
};

class cohort_kernel {
 public:
  cohort_kernel(const model& model, const population& population);

  std::size_t effects() const { return kinetics_.size(); }
  std::size_t sessions() const { return session_days_.size(); }
  std::size_t population_words() const;
  const compiled_group& group(std::size_t index) const { return groups_[index]; }
  const std::string& effect_id(std::size_t e) const { return effect_ids_[e]; }
  double last_session() const { return session_days_.back(); }
  int horizon() const { return horizon_; }

  /// The kind of patient the population words pick; counts it in `group_counts`.
  std::size_t pick_group(const std::uint32_t* words, std::vector<std::uint64_t>& group_counts) const;

  /// Effect e for a patient of `group` with healing term z and standardised peak term `eta`.
  /// `scratch.occurring` receives the sessions after which it occurs; `visible` its visible
  /// intervals (appended, in time order, disjoint).
  effect_outcome evaluate(const compiled_group& group, std::size_t e, double z, double eta, const std::uint32_t* words,
                          effect_scratch& scratch, std::vector<time_interval>& visible) const;

 private:
  effect_outcome single_bump(const effect_kinetics& k, const bump& b, std::vector<time_interval>& visible) const;
  effect_outcome one_time_scale(const effect_kinetics& k, effect_scratch& scratch, std::vector<time_interval>& visible) const;
  const std::vector<segment_shape>& segments_of(const effect_kinetics& k, effect_scratch& scratch) const;
  effect_outcome mixed_time_scales(const effect_kinetics& k, effect_scratch& scratch, std::vector<time_interval>& visible) const;
  effect_outcome scanned_time_scales(const effect_kinetics& k, const std::vector<bump>& bumps, std::vector<time_interval>& visible) const;

  std::vector<double> session_days_;
  std::vector<std::string> effect_ids_;
  std::vector<effect_kinetics> kinetics_;
  std::vector<compiled_group> groups_;
  std::vector<std::uint64_t> prevalence_thresholds_;
  std::vector<std::uint64_t> profile_thresholds_;  ///< cumulative
  double log_visible_;
  double log_resolved_;
  int horizon_;
};

/// A chunk's outcomes, held until it is the chunk's turn to be delivered.
class outcome_buffer {
 public:
  void clear();
  void add(std::uint64_t patient, std::string_view group, std::string_view effect, const std::vector<int>& sessions,
           std::optional<double> resolved_after_last, double visible_days);
  /// The outcomes with their session lists in place; valid until the next add or clear.
  std::span<const patient_outcome> outcomes();

 private:
  std::vector<patient_outcome> outcomes_;
  std::vector<int> sessions_;               ///< every outcome's sessions, one after another
  std::vector<std::size_t> session_starts_;
};

/// Simulates single patients into a tally; one per thread.
class patient_simulator {
 public:
  patient_simulator(const cohort_kernel& kernel, std::uint64_t seed);

  /// Patient `index` into `tally`; with `outcomes`, its outcomes added. The daily counts reach
  /// the tally at `flush`.
  void run(std::uint64_t index, cohort_tally& tally, outcome_buffer* outcomes);

  /// Adds the daily counts gathered since the last flush into the tally.
  void flush(cohort_tally& tally);

 private:
  /// Marks the whole days within the intervals: +1 where a run of days starts, −1 after it ends.
  void count_days(const time_interval* begin, const time_interval* end, std::size_t series);
  /// Counts one effect's outcome; returns its resolution time after the last session (0 when it did not occur).
  double tally_effect(const effect_outcome& outcome, std::size_t first_interval, std::size_t e, effect_tally& t);
  /// Counts "any effect" from the union of all effects' intervals.
  void tally_any(effect_tally& any);
  /// Adds sorted, disjoint intervals to the union in joined_.
  void join(const time_interval* begin, const time_interval* end);

  const cohort_kernel& kernel_;
  patient_draws draws_;
  effect_scratch scratch_;
  std::vector<time_interval> visible_;  ///< every effect's visible intervals, effect after effect
  std::vector<time_interval> joined_;   ///< the union of the effects' intervals so far
  std::vector<time_interval> merged_;   ///< scratch for join
  std::vector<char> any_after_session_;
  effect_outcome any_;
  std::vector<std::int64_t> day_changes_;  ///< per effect and "any": horizon + 2 entries each
};

}  // namespace aftermath::detail

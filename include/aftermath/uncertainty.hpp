// aftermath: how uncertain the model's numbers are, and cohorts simulated with that uncertainty.
//
// Every number of a model has a parameter id, its JSON path in the model file with array items
// named by their id (`effects.bruising.incidence`, `modifiers.aspirin.targets.bruising.odds_ratio`,
// `modifiers.aspirin.washout.days`), and is read as a random quantity whose median is the model's
// value: log-normal for positive numbers (durations, odds ratios, multipliers, spreads),
// logit-normal for numbers bounded above (probabilities; severities, on x/10). Its SD on that
// scale is, in this order:
//   1. stated: the number's `uncertainty` in the model file, an SD or a source's 95 % interval
//      (SD = (g(high) − g(low)) / (2 · 1.96) on the scale g);
//   2. by the evidence rule, from the strongest source the number cites:
//        label, rct, sr_ma, standard                0.15  (95 % within ×/÷ 1.34)
//        cohort, lab, review                        0.25  (×/÷ 1.63)
//        case_series, consensus, clinic_page, other 0.35  (×/÷ 1.99)
//        ai_summary, or no source at all            0.50  (×/÷ 2.66)
//      one step wider (to at most 0.50) when the number also states an assumption: it is
//      borrowed from another procedure or derived by reasoning, not measured;
//   3. none, for definitions and clinic choices (the severity thresholds, the rating bands, a
//      protocol's sessions and intervals, aftercare windows, planning confidences): they are
//      what the model means, not estimates.
// The tiers are a convention, stated here and in docs/uncertainty.md, not a fitted result.
//
// `sensitivity` ranks the numbers a figure depends on by their Sobol indices: "which assumption
// matters most for this answer".
//
// `simulate_replicates` draws R parameter sets — replicate r's draws depend only on (seed, r) —
// and simulates the same virtual patients under each, so that the spread across replicates is
// the answer's sensitivity to the model's numbers rather than Monte Carlo noise.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/comparison.hpp>
#include <aftermath/model.hpp>
#include <aftermath/sensitivity.hpp>
#include <aftermath/simulation.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace aftermath {

/// The scale on which a number's uncertainty is normal: ln x, or logit(x / upper).
enum class parameter_scale { log, logit };

/// What kind of number a parameter is.
struct parameter_kind {
  parameter_scale scale = parameter_scale::log;
  double upper = 0.0;     ///< the bound of a logit scale (1 for probabilities, 10 for severities)
  bool estimate = true;   ///< false for definitions and choices, which the rule holds fixed
};

/// A model number as a random quantity.
struct uncertain_parameter {
  std::string id;
  double value = 0.0;  ///< the model's value: the median
  parameter_kind kind;
  double sd = 0.0;     ///< on the scale; 0: held at its value
  std::string basis;   ///< how the SD was found, in words

  /// The value at standard-normal deviate z: value · e^{sd z}, or the logit-scale equivalent.
  [[nodiscard]] double at(double z) const;
  /// The value at its u-quantile, u in (0, 1) (std::domain_error otherwise): at(Φ⁻¹(u)).
  [[nodiscard]] double at_quantile(double u) const;
  /// The central 95 % interval.
  [[nodiscard]] std::array<double, 2> interval_95() const { return {at(-1.959963984540054), at(1.959963984540054)}; }
};

/// Every number of the model, in the model file's order.
[[nodiscard]] std::vector<uncertain_parameter> model_parameters(const model& model);

/// The model with some numbers replaced: (index into model_parameters(model), value), in
/// ascending order of index. A curve whose time to peak would reach half-life / ln 2 (it would
/// peak after it decays) has its time to peak held just below that bound.
[[nodiscard]] model with_parameter_values(const model& model, std::span<const std::pair<std::size_t, double>> values);

/// Replicate r's values of the uncertain parameters (sd > 0), as (index, value), from a
/// counter-based generator keyed by the seed: they depend only on (seed, r) and the model.
[[nodiscard]] std::vector<std::pair<std::size_t, double>> replicate_values(const std::vector<uncertain_parameter>& parameters,
                                                                           std::uint64_t seed, std::uint64_t replicate);

/// The summary's figures across replicates: each figure of `low`, `median` and `high` is that
/// figure's 2.5 %, 50 % and 97.5 % quantile over the replicates (none where any replicate has none).
struct cohort_uncertainty {
  std::uint64_t replicates = 0;
  cohort_summary low, median, high;
};

struct replicated_cohort {
  cohort_summary nominal;  ///< at the model's values
  cohort_uncertainty uncertainty;
};

/// The nominal run and `replicates` runs (1 to 10 000) of the same patients, each under replicate
/// r's parameters. Progress counts patients over all runs; `outcomes` receives the nominal run's.
/// Throws input_error for a population the model cannot take or a replicate count out of range.
[[nodiscard]] replicated_cohort simulate_replicates(const model& model, const population& population, std::uint64_t replicates,
                                                    const simulation_options& options = {});

/// How many figures one summary of this population has (each replicate's vector's length).
[[nodiscard]] std::size_t figure_count(const model& model, const population& population);

/// Replicates [first, last) of `count`, each simulated as simulate_replicates simulates it: one
/// shard's part of a replicated run. Throws input_error for a range outside [0, count).
[[nodiscard]] replicate_part simulate_replicate_part(const model& model, const population& population, std::uint64_t count,
                                                     std::uint64_t first, std::uint64_t last, const simulation_options& options = {});

/// Shards of a replicated run put together: the same result, byte for byte once written, as
/// simulate_replicates. Throws input_error, naming the files, unless every shard is of the same
/// population and count, with the same run at the model's values, and their replicates cover
/// [0, count) exactly once.
[[nodiscard]] replicated_cohort merge_replicated(const model& model, const std::vector<cohort_partial>& parts);

/// A paired comparison under replicate parameter sets: each difference's estimate at its 2.5 %,
/// 50 % and 97.5 % quantile across the replicates (in `low`, `median`, `high`; their se, low and
/// high are the nominal run's).
struct difference_uncertainty {
  std::uint64_t replicates = 0;
  cohort_difference low, median, high;
};

struct replicated_comparison {
  paired_tally nominal;  ///< at the model's values
  difference_uncertainty uncertainty;
};

/// The paired comparison at the model's values and under `replicates` parameter sets (1 to
/// 10 000), replicate r's drawn as simulate_replicates draws them: the same patients, both arms.
[[nodiscard]] replicated_comparison simulate_paired_replicates(const model& model, const population& population,
                                                               const aftermath::population& compared, std::uint64_t replicates,
                                                               const simulation_options& options = {});

/// One scalar of a cohort summary, named by its dotted path: `EFFECT.probability`,
/// `EFFECT.incidence_per_session`, `EFFECT.incidence_by_session.J`, `EFFECT.resolution_days.Q`
/// and `EFFECT.visible_days.Q` (Q one of p05, p50, p95, mean), `EFFECT.p_visible_by_day.D`, with
/// EFFECT an effect id or `any`; `results.at_horizon`. Throws input_error at `field` for a path
/// that names nothing, listing what it could name.
class summary_figure {
 public:
  summary_figure(const model& model, const population& population, std::string path, std::string field = "output");
  const std::string& path() const { return path_; }
  /// The figure's value; none where the summary has none (a quantile beyond 512 days).
  [[nodiscard]] std::optional<double> of(const cohort_summary& summary) const;
  /// Its Monte Carlo standard error, for a share or a mean; none for a quantile.
  [[nodiscard]] std::optional<double> standard_error(const cohort_summary& summary) const;

 private:
  std::string path_;
  std::function<std::optional<double>(const cohort_summary&)> read_, standard_error_;
};

/// One model number's Sobol indices for a figure.
struct parameter_sensitivity {
  std::string id;
  sobol_index index;
};

struct sensitivity_options {
  sobol_options sobol{};
  std::uint64_t patients = 2000;  ///< per evaluation: the same virtual patients every time
};

/// Which of the model's uncertain numbers a figure depends on, and how much.
struct figure_sensitivity {
  std::string output;
  std::vector<parameter_sensitivity> parameters;  ///< by total index, largest first
  double mean = 0.0, variance = 0.0;              ///< of the figure over the evaluations
  /// The figure's Monte Carlo variance at the model's values (its mcse²) over `variance`: the share
  /// of the spread that is patient sampling rather than the parameters (small is good).
  double noise_share = 0.0;
  std::uint64_t evaluations = 0;
  std::uint64_t patients = 0;
};

/// The uncertain parameters (sd > 0) whose value at their 2.5 % or 97.5 % point, others at their
/// values, moves the figure for these patients: the ones a sensitivity analysis can rank.
[[nodiscard]] std::vector<std::string> parameters_moving(const model& model, const population& population, const summary_figure& figure,
                                                         std::uint64_t patients);

/// First-order and total Sobol indices of the figure over the named parameters (each drawn from
/// its distribution, the rest at their values), by Saltelli's design (sensitivity.hpp): every
/// evaluation simulates the same `patients` virtual patients of the population under one
/// parameter set (with_parameter_values keeps its curves rising before they decay). Throws input_error for an unknown or fixed parameter id
/// ("parameters"), bad options, or a figure with no value at some parameter set ("output").
[[nodiscard]] figure_sensitivity sensitivity(const model& model, const population& population, const summary_figure& figure,
                                             const std::vector<std::string>& parameter_ids, const sensitivity_options& options = {});

/// The Monte Carlo standard error of a share p of n patients: √(p(1 − p)/n).
[[nodiscard]] double share_standard_error(double share, std::uint64_t patients);

}  // namespace aftermath

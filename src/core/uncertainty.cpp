// The model's numbers as random quantities, and cohorts simulated under replicate parameter sets.
// See uncertainty.hpp for the rule that gives each number its SD.
#include <aftermath/uncertainty.hpp>

#include "cohort_draws.hpp"
#include "messages.hpp"
#include "model_parameters.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <functional>
#include <stdexcept>

namespace aftermath {
namespace {

constexpr double z_975 = 1.959963984540054;
constexpr std::uint64_t max_replicates = 10'000;

/// The evidence tiers of the rule, narrowest first.
constexpr double tier_sd[]{0.15, 0.25, 0.35, 0.50};
constexpr std::size_t widest_tier = 3;

std::size_t tier_of_strength(std::string_view strength) {
  for (auto s : {"label", "rct", "sr_ma", "standard"})
    if (strength == s) return 0;
  for (auto s : {"cohort", "lab", "review"})
    if (strength == s) return 1;
  if (strength == "ai_summary") return 3;
  return 2;  // case_series, consensus, clinic_page and any strength the rule does not name
}

double to_scale(const parameter_kind& kind, double x) {
  if (kind.scale == parameter_scale::log) return std::log(x);
  const double p = x / kind.upper;
  return std::log(p) - std::log1p(-p);
}

double from_scale(const parameter_kind& kind, double y) {
  if (kind.scale == parameter_scale::log) return std::exp(y);
  return kind.upper / (1.0 + std::exp(-y));
}

/// The SD by the evidence rule, with its basis in words.
std::pair<double, std::string> rule_sd(const model& m, const parameter& p) {
  std::size_t tier = widest_tier;
  std::string strongest = "no source";
  for (const auto& key : p.evidence) {
    const auto* source = m.find_evidence(key);
    if (!source || (tier_of_strength(source->strength) >= tier && strongest != "no source")) continue;
    tier = tier_of_strength(source->strength);
    strongest = source->strength + " (" + key + ")";
  }
  const bool assumed = !p.assumption.empty() && tier < widest_tier;
  const double sd = tier_sd[assumed ? tier + 1 : tier];
  const std::string cited = strongest == "no source" ? "rule: no source cited" : "rule: strongest source " + strongest;
  return {sd, cited + (assumed ? ", one step wider for its assumption" : "") + ": SD " + detail::format_number(sd)};
}

/// A stated SD, or the SD of a stated 95 % interval on the number's scale.
std::pair<double, std::string> stated_sd(const stated_uncertainty& u, const parameter_kind& kind) {
  if (u.sd) return {*u.sd, "stated SD " + detail::format_number(*u.sd)};
  const auto [low, high] = *u.interval_95;
  const double sd = (to_scale(kind, high) - to_scale(kind, low)) / (2.0 * z_975);
  std::string cited;
  for (const auto& key : u.evidence) cited += (cited.empty() ? " (" : ", ") + key;
  return {sd, "stated 95 % interval " + detail::format_number(low) + "-" + detail::format_number(high) + (cited.empty() ? "" : cited + ")")};
}

uncertain_parameter describe(const model& m, const std::string& id, const parameter& p, const parameter_kind& kind) {
  uncertain_parameter out{id, p.value, kind, 0.0, {}};
  // A zero on the log scale, or a bound on the logit scale, has nowhere to spread.
  const bool spreadable = kind.scale == parameter_scale::log ? p.value > 0.0 : p.value > 0.0 && p.value < kind.upper;
  std::tie(out.sd, out.basis) = p.uncertainty ? stated_sd(*p.uncertainty, kind)
                                : kind.estimate ? rule_sd(m, p)
                                                : std::pair<double, std::string>{0.0, "fixed: a definition or a clinic's choice"};
  if (!spreadable && out.sd > 0.0) out.sd = 0.0, out.basis = "fixed: its value is at the end of its scale";
  return out;
}

/// Calls f on every figure of the summary (shares, quantiles, means, daily chances, results),
/// in one fixed order, so that replicates' figures line up.
template <typename Summary, typename F>
void for_each_figure(Summary& s, F&& f) {
  for (auto& share : s.group_shares) f(share);
  const auto effect = [&](auto& e) {
    f(e.occurs);
    f(e.incidence_per_session);
    for (auto& p : e.incidence_by_session) f(p);
    for (auto* days : {&e.resolution, &e.visible})
      for (auto* figure : {&days->p05, &days->p50, &days->p95, &days->mean}) f(*figure);
    for (auto& p : e.p_visible_by_day) f(p);
  };
  for (auto& e : s.effects) effect(e);
  effect(s.any);
  for (auto& level : s.results_by_day) f(level);
}

constexpr double no_figure = std::numeric_limits<double>::quiet_NaN();

double figure_value(const probability& p) { return p.value(); }
double figure_value(const std::optional<double>& x) { return x.value_or(no_figure); }
double figure_value(double x) { return x; }

void set_figure(probability& p, double x) { p = probability::checked(std::clamp(x, 0.0, 1.0)); }
void set_figure(std::optional<double>& figure, double x) { figure = std::isnan(x) ? std::nullopt : std::optional(x); }
void set_figure(double& figure, double x) { figure = x; }

std::vector<double> figures_of(const cohort_summary& s) {
  std::vector<double> out;
  for_each_figure(s, [&](const auto& figure) { out.push_back(figure_value(figure)); });
  return out;
}

cohort_summary with_figures(cohort_summary s, const std::vector<double>& figures) {
  std::size_t k = 0;
  for_each_figure(s, [&](auto& figure) { set_figure(figure, figures[k++]); });
  return s;
}

/// The q-quantile of the values (linear between order statistics); none when any is none.
double quantile_of(std::vector<double> values, double q) {
  if (std::any_of(values.begin(), values.end(), [](double x) { return std::isnan(x); })) return no_figure;
  std::sort(values.begin(), values.end());
  const double at = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(at);
  const double above = below + 1 < values.size() ? values[below + 1] : values[below];
  return values[below] + (at - static_cast<double>(below)) * (above - values[below]);
}

/// Calls f on every estimate of a paired difference, in one fixed order.
template <typename Difference, typename F>
void for_each_estimate(Difference& d, F&& f) {
  const auto effect = [&](auto& e) {
    for (auto* figure : {&e.probability, &e.incidence_per_session, &e.visible_days_mean, &e.resolution_days_mean}) f(*figure);
  };
  for (auto& e : d.effects) effect(e);
  effect(d.any);
}

std::vector<double> estimates_of(const cohort_difference& d) {
  std::vector<double> out;
  for_each_estimate(d, [&](const std::optional<difference_estimate>& e) { out.push_back(e ? e->estimate : no_figure); });
  return out;
}

cohort_difference with_estimates(cohort_difference d, const std::vector<double>& estimates) {
  std::size_t k = 0;
  for_each_estimate(d, [&](std::optional<difference_estimate>& e) {
    const double x = estimates[k++];
    if (std::isnan(x)) e.reset();
    else if (e) e->estimate = x;
  });
  return d;
}

/// Each position's q-quantile across the replicates' vectors.
std::vector<double> quantiles_across(const std::vector<std::vector<double>>& replicates, double q) {
  std::vector<double> out(replicates.front().size()), values(replicates.size());
  for (std::size_t k = 0; k < out.size(); ++k) {
    for (std::size_t r = 0; r < replicates.size(); ++r) values[r] = replicates[r][k];
    out[k] = quantile_of(values, q);
  }
  return out;
}

void check_replicate_count(std::uint64_t replicates, const simulation_options& options) {
  if (replicates < 1 || replicates > max_replicates)
    throw input_error("replicates", std::to_string(replicates) + ", but must be 1 to 10000", problem_code::out_of_range);
  if (options.patients) throw input_error("replicates", "cover every patient of the population, not a range", problem_code::conflict);
}

cohort_uncertainty across_replicates(const cohort_summary& nominal, const std::vector<std::vector<double>>& replicates) {
  return {replicates.size(), with_figures(nominal, quantiles_across(replicates, 0.025)), with_figures(nominal, quantiles_across(replicates, 0.5)),
          with_figures(nominal, quantiles_across(replicates, 0.975))};
}

/// Whether a value read from a file can stand in a figure's place: a chance in [0, 1], days
/// (or none) at least 0, a results level finite.
bool fits(const probability&, double x) { return x >= 0.0 && x <= 1.0; }
bool fits(const std::optional<double>&, double x) { return std::isnan(x) || x >= 0.0; }
bool fits(double, double x) { return std::isfinite(x); }

/// Every replicate's figures fit their places in the summary; input_error naming the first that does not.
void check_figures(const cohort_summary& nominal, const replicate_part& part, const std::string& source) {
  for (std::size_t r = 0; r < part.figures.size(); ++r) {
    std::size_t k = 0;
    std::optional<std::size_t> misfit;
    for_each_figure(nominal, [&](const auto& figure) {
      if (!misfit && (k >= part.figures[r].size() || !fits(figure, part.figures[r][k]))) misfit = k;
      ++k;
    });
    if (misfit || k != part.figures[r].size())
      throw input_error({{"replicates.figures[" + std::to_string(r) + "][" + std::to_string(misfit.value_or(k)) + "]",
                          "does not fit its place in the summary (a chance in [0, 1], days at least 0)", problem_code::out_of_range, source}});
  }
}

/// Progress over all runs: run k's patients come after k runs' worth.
std::function<void(std::uint64_t, std::uint64_t)> progress_of_run(const simulation_options& options, std::uint64_t run, std::uint64_t runs) {
  if (!options.progress) return {};
  return [&options, run, runs](std::uint64_t done, std::uint64_t total) { options.progress(run * total + done, runs * total); };
}

// ---- replicate draws within the model's constraints ----

/// Sets of normals a replicate draws: a pair of numbers that breaks its constraint is drawn
/// again from the next set, so that the joint distribution is truncated to valid models.
constexpr std::size_t redraws = 16;

/// Pairs (a, b) whose values must satisfy a constraint: a curve's time to peak and half-life
/// (a rise-and-decay curve peaks before it decays: t_peak < t_half / ln 2), a risk's onset window.
std::vector<std::pair<std::size_t, std::size_t>> constrained_pairs(const std::vector<uncertain_parameter>& parameters) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  const auto ends_with = [](const std::string& id, std::string_view suffix) {
    return id.size() >= suffix.size() && id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  for (std::size_t k = 0; k + 1 < parameters.size(); ++k) {
    const auto& a = parameters[k].id;
    const auto& b = parameters[k + 1].id;
    if ((ends_with(a, ".time_to_peak_days") && ends_with(b, ".half_life_days")) || (ends_with(a, ".onset_days.from") && ends_with(b, ".onset_days.to")))
      pairs.emplace_back(k, k + 1);
  }
  return pairs;
}

bool pair_valid(const std::string& first_id, double first, double second) {
  if (first_id.ends_with(".time_to_peak_days")) return first < second / std::numbers::ln2;
  return first <= second;
}

/// The first set of normals in which the pair is valid; past the last, the nominal values.
void redraw_until_valid(const std::vector<uncertain_parameter>& parameters, const std::vector<double>& z, std::size_t first,
                        std::size_t second, std::vector<double>& values) {
  const std::size_t count = parameters.size();
  for (std::size_t set = 0; set < redraws; ++set) {
    values[first] = parameters[first].at(z[set * count + first]);
    values[second] = parameters[second].at(z[set * count + second]);
    if (pair_valid(parameters[first].id, values[first], values[second])) return;
  }
  values[first] = parameters[first].value;
  values[second] = parameters[second].value;
}

}  // namespace

double uncertain_parameter::at(double z) const {
  if (sd == 0.0) return value;
  return from_scale(kind, to_scale(kind, value) + sd * z);
}

double uncertain_parameter::at_quantile(double u) const {
  if (!(u > 0.0 && u < 1.0)) throw std::domain_error("a quantile must lie in (0, 1), not " + detail::format_number(u));
  return at(boost::math::quantile(boost::math::normal(), u));
}

std::vector<uncertain_parameter> model_parameters(const model& m) {
  std::vector<uncertain_parameter> out;
  detail::for_each_parameter(m, [&](const std::string& id, const parameter& p, const parameter_kind& kind) {
    out.push_back(describe(m, id, p, kind));
  });
  return out;
}

model with_parameter_values(const model& m, std::span<const std::pair<std::size_t, double>> values) {
  model out = m;
  std::size_t index = 0;
  auto next = values.begin();
  detail::for_each_parameter(out, [&](const std::string&, parameter& p, const parameter_kind&) {
    for (; next != values.end() && next->first == index; ++next) p.value = next->second;
    ++index;
  });
  if (next != values.end()) throw std::invalid_argument("parameter values must be in ascending order of index, within the model's");
  const auto keep_rising = [](curve_spec& c) {
    const double bound = c.half_life_days.value / std::numbers::ln2;
    if (c.time_to_peak_days.value >= bound) c.time_to_peak_days.value = 0.999 * bound;
  };
  for (auto& e : out.effects) keep_rising(e.curve);
  keep_rising(out.results.curve);
  return out;
}

std::vector<std::pair<std::size_t, double>> replicate_values(const std::vector<uncertain_parameter>& parameters, std::uint64_t seed,
                                                             std::uint64_t replicate) {
  const std::size_t count = parameters.size();
  const auto z = detail::standard_normals(seed, detail::draw_stream::parameters, replicate, count * redraws);
  std::vector<double> values(count);
  for (std::size_t k = 0; k < count; ++k) values[k] = parameters[k].at(z[k]);
  for (const auto& [first, second] : constrained_pairs(parameters))
    redraw_until_valid(parameters, z, first, second, values);
  std::vector<std::pair<std::size_t, double>> out;
  for (std::size_t k = 0; k < count; ++k)
    if (parameters[k].sd > 0.0) out.emplace_back(k, values[k]);
  return out;
}

double share_standard_error(double share, std::uint64_t patients) {
  if (patients == 0) return 0.0;
  return std::sqrt(std::max(0.0, share * (1.0 - share)) / static_cast<double>(patients));
}

std::size_t figure_count(const model& m, const population& population) {
  const std::size_t effect_figures = 2 + population.session_days.size() + 8 + static_cast<std::size_t>(population.horizon_days) + 1;
  const std::size_t groups = population.profiles.empty() ? population.prevalences.size() : population.profiles.size();
  return groups + (m.effects.size() + 1) * effect_figures + static_cast<std::size_t>(population.horizon_days) + 1;
}

replicate_part simulate_replicate_part(const model& m, const population& population, std::uint64_t count, std::uint64_t first,
                                       std::uint64_t last, const simulation_options& options) {
  check_replicate_count(count, options);
  if (!(first <= last && last <= count))
    throw input_error("replicates", "[" + std::to_string(first) + ", " + std::to_string(last) + ") is not within [0, " + std::to_string(count) + ")",
                      problem_code::out_of_range);
  const auto parameters = model_parameters(m);
  simulation_options run = options;
  run.outcomes = {};
  replicate_part part{count, first, last, {}};
  for (std::uint64_t r = first; r < last; ++r) {
    const model drawn = with_parameter_values(m, replicate_values(parameters, population.seed, r));
    run.progress = progress_of_run(options, r - first, last - first);
    part.figures.push_back(figures_of(summarise(drawn, population, simulate(drawn, population, run))));
  }
  return part;
}

replicated_cohort simulate_replicates(const model& m, const population& population, std::uint64_t replicates,
                                      const simulation_options& options) {
  check_replicate_count(replicates, options);
  simulation_options nominal_run = options;
  nominal_run.progress = progress_of_run(options, 0, replicates + 1);
  const cohort_summary nominal = summarise(m, population, simulate(m, population, nominal_run));
  simulation_options rest = options;
  if (options.progress)
    rest.progress = [&options, replicates, n = population.n](std::uint64_t done, std::uint64_t total) {
      (void)total;
      options.progress(n + done, (replicates + 1) * n);
    };
  const auto part = simulate_replicate_part(m, population, replicates, 0, replicates, rest);
  return {nominal, across_replicates(nominal, part.figures)};
}

replicated_cohort merge_replicated(const model& m, const std::vector<cohort_partial>& parts) {
  if (parts.empty()) throw input_error("merge", "no partial summaries given");
  const auto& first = parts.front();
  std::vector<input_problem> problems;
  for (const auto& part : parts) {
    if (!part.replicates) problems.push_back({"replicates", "is missing: this shard is not of a replicated run", problem_code::conflict, part.source});
    else if (!first.replicates || part.replicates->count != first.replicates->count)
      problems.push_back({"replicates.count", "differs from " + first.source + "'s", problem_code::conflict, part.source});
    else if (!(part.population == first.population) || !(part.tally == first.tally))
      problems.push_back({"", "is a shard of a different run than " + first.source, problem_code::conflict, part.source});
  }
  if (!problems.empty()) throw input_error(std::move(problems));
  std::vector<const cohort_partial*> ordered;
  for (const auto& part : parts) ordered.push_back(&part);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->replicates->first < b->replicates->first; });
  std::uint64_t covered = 0;
  std::vector<std::vector<double>> figures;
  for (const auto* part : ordered) {
    if (part->replicates->first != covered)
      problems.push_back({"replicates", "starts at replicate " + std::to_string(part->replicates->first) + ", but replicates from " +
                                            std::to_string(covered) + " are " + (part->replicates->first > covered ? "in no shard" : "in another shard too"),
                          problem_code::conflict, part->source});
    covered = std::max(covered, part->replicates->last);
    figures.insert(figures.end(), part->replicates->figures.begin(), part->replicates->figures.end());
  }
  if (covered < first.replicates->count)
    problems.push_back({"merge", "replicates from " + std::to_string(covered) + " are in no shard", problem_code::conflict});
  if (!problems.empty()) throw input_error(std::move(problems));
  const cohort_summary nominal = summarise(m, first.population, first.tally);
  for (const auto& part : parts) check_figures(nominal, *part.replicates, part.source);
  return {nominal, across_replicates(nominal, figures)};
}

replicated_comparison simulate_paired_replicates(const model& m, const population& population, const aftermath::population& compared,
                                                 std::uint64_t replicates, const simulation_options& options) {
  check_replicate_count(replicates, options);
  const auto parameters = model_parameters(m);
  simulation_options run = options;
  run.progress = progress_of_run(options, 0, replicates + 1);
  paired_tally nominal = simulate_paired(m, population, compared, run);
  const cohort_difference difference = summarise_difference(m, population, compared, nominal);
  std::vector<std::vector<double>> estimates;
  for (std::uint64_t r = 0; r < replicates; ++r) {
    const model drawn = with_parameter_values(m, replicate_values(parameters, population.seed, r));
    run.progress = progress_of_run(options, r + 1, replicates + 1);
    estimates.push_back(estimates_of(summarise_difference(drawn, population, compared, simulate_paired(drawn, population, compared, run))));
  }
  difference_uncertainty u{replicates, with_estimates(difference, quantiles_across(estimates, 0.025)),
                           with_estimates(difference, quantiles_across(estimates, 0.5)), with_estimates(difference, quantiles_across(estimates, 0.975))};
  return {std::move(nominal), std::move(u)};
}

}  // namespace aftermath

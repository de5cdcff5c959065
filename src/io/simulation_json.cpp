// The cohort summary (schemas/cohort-summary.schema.json) and the partial summaries of shards, which
// carry the raw integer tallies so that `aftermath merge` can add them exactly.
#include "format.hpp"
#include "json_reader.hpp"

#include <aftermath/io/json.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace aftermath::inline io {
namespace {


constexpr int partial_format = 1;

json optional_days(const std::optional<double>& value) { return value ? json(rounded(*value, 3)) : json(nullptr); }

/// Per-day counts without the zeros at the end.
json trimmed(const std::vector<std::uint64_t>& counts) {
  std::size_t end = counts.size();
  while (end > 0 && counts[end - 1] == 0) --end;
  return json(std::vector<std::uint64_t>(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(end)));
}

json days_json(const day_summary& d) {
  return {{"patients", d.patients}, {"p05", optional_days(d.p05)}, {"p50", optional_days(d.p50)}, {"p95", optional_days(d.p95)},
          {"mean", optional_days(d.mean)}, {"per_day", trimmed(d.per_day)}};
}

json chances(const std::vector<probability>& values) {
  json out = json::array();
  for (auto p : values) out.push_back(rounded(p.value(), 6));
  return out;
}

json effect_json(const effect_summary& e) {
  json resolution = days_json(e.resolution);
  resolution["after"] = "the last session; patients who had the effect";
  json visible = days_json(e.visible);
  visible["of"] = "every patient, days with severity at or above the visible threshold";
  return {{"id", e.id},
          {"name", e.name},
          {"probability", rounded(e.occurs.value(), 6)},
          {"incidence_per_session", rounded(e.incidence_per_session.value(), 6)},
          {"incidence_by_session", chances(e.incidence_by_session)},
          {"resolution_days", std::move(resolution)},
          {"visible_days", std::move(visible)},
          {"p_visible_by_day", chances(e.p_visible_by_day)}};
}

json groups_json(const cohort_summary& s) {
  const auto& p = s.population;
  json out = json::array();
  double total_weight = 0.0;
  for (const auto& profile : p.profiles) total_weight += profile.weight;
  for (std::size_t g = 0; g < s.group_shares.size(); ++g) {
    if (p.profiles.empty())
      out.push_back({{"id", p.prevalences[g].factor.id}, {"requested", p.prevalences[g].share.value()},
                     {"simulated", rounded(s.group_shares[g].value(), 6)}});
    else
      out.push_back({{"name", p.profiles[g].name}, {"requested", rounded(p.profiles[g].weight / total_weight, 6)},
                     {"simulated", rounded(s.group_shares[g].value(), 6)}});
  }
  return out;
}

// ---- partial summaries: raw tallies ----

/// Non-zero stretches of a histogram as [first bin, [counts...]].
json histogram_json(const day_histogram& h) {
  json runs = json::array();
  for (std::size_t b = 0; b < h.counts.size();) {
    if (h.counts[b] == 0) {
      ++b;
      continue;
    }
    const std::size_t start = b;
    while (b < h.counts.size() && h.counts[b] != 0) ++b;
    runs.push_back({start, std::vector<std::uint64_t>(h.counts.begin() + static_cast<std::ptrdiff_t>(start), h.counts.begin() + static_cast<std::ptrdiff_t>(b))});
  }
  return {{"total", h.total}, {"zeros", h.zeros}, {"sum_units", h.sum_units}, {"runs", std::move(runs)}};
}

json tally_json(const effect_tally& t) {
  return {{"occurrences_by_session", t.occurrences_by_session}, {"patients_affected", t.patients_affected},
          {"resolution", histogram_json(t.resolution)}, {"visible", histogram_json(t.visible)}, {"visible_on_day", t.visible_on_day}};
}

std::optional<std::uint64_t> read_count(reader& in, const json& value, const std::string& path) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  in.fail(path, "is " + describe_type(value) + (value.is_number() ? " that is not a whole number >= 0" : "") + ", but must be a count");
  return std::nullopt;
}

std::uint64_t count_member(reader& in, const json& object, const std::string& path, std::string_view key) {
  const json* value = in.member(object, path, key, true);
  return value ? read_count(in, *value, member_path(path, key)).value_or(0) : 0;
}

/// A list of counts of exactly `size` entries, each at most `most`.
void read_counts(reader& in, const json& object, const std::string& path, std::string_view key, std::vector<std::uint64_t>& out,
                 std::uint64_t most) {
  const json* value = in.member(object, path, key, true);
  const std::string here = member_path(path, key);
  if (!value || !in.expect_array(*value, here)) return;
  if (value->size() != out.size()) {
    in.fail(here, "has " + std::to_string(value->size()) + " entries, but this population needs " + std::to_string(out.size()),
            problem_code::conflict);
    return;
  }
  for (std::size_t k = 0; k < out.size(); ++k)
    if (auto c = read_count(in, (*value)[k], index_path(here, k))) {
      if (*c > most)
        in.fail(index_path(here, k), std::to_string(*c) + " is more than the " + std::to_string(most) + " patients of the shard",
                problem_code::conflict);
      else out[k] = *c;
    }
}

void read_histogram(reader& in, const json& object, const std::string& path, std::string_view key, day_histogram& h) {
  const json* value = in.member(object, path, key, true);
  const std::string here = member_path(path, key);
  if (!value || !in.expect_object(*value, here)) return;
  in.reject_unknown_keys(*value, here, {"total", "zeros", "sum_units", "runs"});
  h.total = count_member(in, *value, here, "total");
  h.zeros = count_member(in, *value, here, "zeros");
  h.sum_units = count_member(in, *value, here, "sum_units");
  const json* runs = in.member(*value, here, "runs", true);
  if (!runs || !in.expect_array(*runs, member_path(here, "runs"))) return;
  std::uint64_t counted = 0;
  for (std::size_t r = 0; r < runs->size(); ++r) {
    const std::string run_path = index_path(member_path(here, "runs"), r);
    const json& run = (*runs)[r];
    if (!run.is_array() || run.size() != 2 || !run[1].is_array()) {
      in.fail(run_path, "must be [first bin, [counts...]]");
      continue;
    }
    const auto start = read_count(in, run[0], index_path(run_path, 0));
    if (!start) continue;
    if (*start + run[1].size() > h.counts.size()) {
      in.fail(run_path, "reaches bin " + std::to_string(*start + run[1].size() - 1) + ", but the last bin is " + std::to_string(h.counts.size() - 1),
              problem_code::out_of_range);
      continue;
    }
    for (std::size_t k = 0; k < run[1].size(); ++k)
      if (auto c = read_count(in, run[1][k], index_path(index_path(run_path, 1), k))) h.counts[*start + k] += *c, counted += *c;
  }
  if (counted != h.total)
    in.fail(here, "counts add up to " + std::to_string(counted) + ", but total is " + std::to_string(h.total), problem_code::conflict);
  if (h.zeros > h.counts[0])
    in.fail(member_path(here, "zeros"), std::to_string(h.zeros) + " is more than the first bin holds", problem_code::conflict);
}

void read_effect_tally(reader& in, const json& value, const std::string& path, effect_tally& t, std::uint64_t patients) {
  if (!in.expect_object(value, path)) return;
  in.reject_unknown_keys(value, path, {"id", "occurrences_by_session", "patients_affected", "resolution", "visible", "visible_on_day"});
  read_counts(in, value, path, "occurrences_by_session", t.occurrences_by_session, patients);
  t.patients_affected = count_member(in, value, path, "patients_affected");
  read_histogram(in, value, path, "resolution", t.resolution);
  read_histogram(in, value, path, "visible", t.visible);
  read_counts(in, value, path, "visible_on_day", t.visible_on_day, patients);
  if (t.resolution.total != t.patients_affected)
    in.fail(member_path(path, "resolution.total"), std::to_string(t.resolution.total) + ", but " +
                                                       std::to_string(t.patients_affected) + " patients were affected",
            problem_code::conflict);
  if (t.visible.total != patients)
    in.fail(member_path(path, "visible.total"), std::to_string(t.visible.total) + ", but the shard has " + std::to_string(patients) + " patients",
            problem_code::conflict);
}

void read_tally(reader& in, const json& root, const model& model, const population& population, cohort_partial& out) {
  const json* tally = in.member(root, "", "tally", true);
  if (!tally || !in.expect_object(*tally, "tally")) return;
  in.reject_unknown_keys(*tally, "tally", {"patients", "group_counts", "effects", "any"});
  out.tally = empty_tally(model, population);
  out.tally.patients = count_member(in, *tally, "tally", "patients");
  const std::uint64_t patients = out.tally.patients;
  if (patients != out.patients.last - out.patients.first)
    in.fail("tally.patients", std::to_string(patients) + ", but the shard's range holds " + std::to_string(out.patients.last - out.patients.first),
            problem_code::conflict);
  read_counts(in, *tally, "tally", "group_counts", out.tally.group_counts, patients);
  const json* effects = in.member(*tally, "tally", "effects", true);
  if (effects && in.expect_array(*effects, "tally.effects")) {
    if (effects->size() != model.effects.size())
      in.fail("tally.effects", "has " + std::to_string(effects->size()) + " effects, but the model has " + std::to_string(model.effects.size()),
              problem_code::conflict);
    else
      for (std::size_t e = 0; e < model.effects.size(); ++e) {
        const std::string path = index_path("tally.effects", e);
        // The id is compared as JSON: a number there must be named, not converted to a string.
        const json* id = (*effects)[e].is_object() ? in.member((*effects)[e], path, "id", false) : nullptr;
        if (id && *id != model.effects[e].id)
          in.fail(member_path(path, "id"), "must be '" + model.effects[e].id + "', the model's effect in this place", problem_code::conflict);
        read_effect_tally(in, (*effects)[e], path, out.tally.effects[e], patients);
      }
  }
  if (const json* any = in.member(*tally, "tally", "any", true)) read_effect_tally(in, *any, "tally.any", out.tally.any, patients);
}

void read_range(reader& in, const json& root, std::uint64_t n, patient_range& out) {
  const json* range = in.member(root, "", "patients", true);
  if (!range || !in.expect_object(*range, "patients")) return;
  in.reject_unknown_keys(*range, "patients", {"from", "to"});
  out.first = count_member(in, *range, "patients", "from");
  out.last = count_member(in, *range, "patients", "to");
  if (!(out.first < out.last && out.last <= n))
    in.fail("patients", "[" + std::to_string(out.first) + ", " + std::to_string(out.last) + ") is not a non-empty range within [0, " +
                            std::to_string(n) + ")",
            problem_code::conflict);
}

/// One replicate's figures: `expected` numbers (null where the summary has none).
std::vector<double> read_figures(reader& in, const json& value, const std::string& path, std::size_t expected) {
  std::vector<double> out;
  if (!in.expect_array(value, path)) return out;
  if (value.size() != expected) {
    in.fail(path, "has " + std::to_string(value.size()) + " figures, but this population's summary has " + std::to_string(expected),
            problem_code::conflict);
    return out;
  }
  for (std::size_t k = 0; k < value.size(); ++k) {
    if (value[k].is_null()) out.push_back(std::numeric_limits<double>::quiet_NaN());
    else if (value[k].is_number() && std::isfinite(value[k].get<double>())) out.push_back(value[k].get<double>());
    else in.fail(index_path(path, k), "is " + describe_type(value[k]) + ", but must be a finite number or null");
  }
  return out;
}

/// A replicated run's part: {"count", "from", "to", "figures": [[...], ...]}, one list per replicate.
replicate_part read_replicates(reader& in, const json& value, std::size_t expected_figures) {
  replicate_part out;
  if (!in.expect_object(value, "replicates")) return out;
  in.reject_unknown_keys(value, "replicates", {"count", "from", "to", "figures"});
  out.count = count_member(in, value, "replicates", "count");
  out.first = count_member(in, value, "replicates", "from");
  out.last = count_member(in, value, "replicates", "to");
  if (!in.ok()) return out;
  if (!(out.count >= 1 && out.count <= 10'000 && out.first < out.last && out.last <= out.count))
    in.fail("replicates", "replicates [" + std::to_string(out.first) + ", " + std::to_string(out.last) + ") of " + std::to_string(out.count) +
                              " is not a non-empty range within 1 to 10000 replicates",
            problem_code::conflict);
  const json* figures = in.member(value, "replicates", "figures", true);
  if (!in.ok() || !figures || !in.expect_array(*figures, "replicates.figures")) return out;
  if (figures->size() != out.last - out.first) {
    in.fail("replicates.figures", "has " + std::to_string(figures->size()) + " replicates, but from and to say " + std::to_string(out.last - out.first),
            problem_code::conflict);
    return out;
  }
  for (std::size_t r = 0; r < figures->size(); ++r)
    out.figures.push_back(read_figures(in, (*figures)[r], index_path("replicates.figures", r), expected_figures));
  return out;
}

void check_model(reader& in, const json& root, const model& model) {
  const json* m = in.member(root, "", "model", true);
  if (!m || !in.expect_object(*m, "model")) return;
  const std::string id = in.string(*m, "model", "id"), version = in.string(*m, "model", "version");
  if (in.ok() && (id != model.id || version != model.version))
    in.fail("model", "the shard was simulated with " + id + " " + version + ", but the model given is " + model.id + " " + model.version,
            problem_code::conflict);
}

void check_format(reader& in, const json& root) {
  const json* format = in.member(root, "", "partial_summary", true);
  if (!format) return;
  // Compared as JSON, never converted: a format of 3e71 must not be cast to an int.
  const bool known = format->is_object() && format->contains("format") && format->at("format").is_number_unsigned() &&
                     format->at("format").get<std::uint64_t>() == partial_format;
  if (!known)
    in.fail("partial_summary", "is not format " + std::to_string(partial_format) + " of an aftermath partial summary");
}

json summary_json(const cohort_summary& s) {
  json out{{"model", {{"id", s.model_id}, {"version", s.model_version}}}, {"notice", s.notice}, {"n", s.population.n}, {"seed", s.population.seed}};
  out["population"] = json::parse(to_json(s.population, -1));
  out["sessions_days"] = s.population.session_days;
  out["thresholds"] = {{"visible", s.visible_threshold.value()}, {"resolved", s.resolved_threshold.value()}};
  out["horizon_days"] = s.population.horizon_days;
  out[s.population.profiles.empty() ? "risk_factors" : "profiles"] = groups_json(s);
  out["effects"] = json::array();
  for (const auto& e : s.effects) out["effects"].push_back(effect_json(e));
  out["any_effect"] = effect_json(s.any);
  json results = json::array();
  for (double level : s.results_by_day) results.push_back(rounded(level, 4));
  out["results"] = {{"scale", "relative: 1 = the peak gain of one session"},
                    {"at_horizon", s.results_by_day.empty() ? 0.0 : rounded(s.results_by_day.back(), 4)},
                    {"by_day", std::move(results)}};
  return out;
}

// ---- with replicates: each figure's interval across parameter sets, each share's and mean's MCSE ----

json interval_json(double low, double median, double high, int decimals) {
  if (std::isnan(low) || std::isnan(high)) return nullptr;
  return {{"p2_5", rounded(low, decimals)}, {"p50", rounded(median, decimals)}, {"p97_5", rounded(high, decimals)}};
}
json interval_json(probability low, probability median, probability high) { return interval_json(low.value(), median.value(), high.value(), 6); }
json interval_json(const std::optional<double>& low, const std::optional<double>& median, const std::optional<double>& high) {
  if (!low || !median || !high) return nullptr;
  return interval_json(*low, *median, *high, 3);
}

template <typename T>
json intervals_json(const std::vector<T>& low, const std::vector<T>& median, const std::vector<T>& high) {
  json out = json::array();
  for (std::size_t k = 0; k < low.size(); ++k) out.push_back(interval_json(low[k], median[k], high[k]));
  return out;
}

json days_interval_json(const day_summary& low, const day_summary& median, const day_summary& high) {
  return {{"p05", interval_json(low.p05, median.p05, high.p05)},
          {"p50", interval_json(low.p50, median.p50, high.p50)},
          {"p95", interval_json(low.p95, median.p95, high.p95)},
          {"mean", interval_json(low.mean, median.mean, high.mean)}};
}

json effect_uncertainty_json(const effect_summary& low, const effect_summary& median, const effect_summary& high) {
  return {{"probability", interval_json(low.occurs, median.occurs, high.occurs)},
          {"incidence_per_session", interval_json(low.incidence_per_session, median.incidence_per_session, high.incidence_per_session)},
          {"incidence_by_session", intervals_json(low.incidence_by_session, median.incidence_by_session, high.incidence_by_session)},
          {"resolution_days", days_interval_json(low.resolution, median.resolution, high.resolution)},
          {"visible_days", days_interval_json(low.visible, median.visible, high.visible)},
          {"p_visible_by_day", intervals_json(low.p_visible_by_day, median.p_visible_by_day, high.p_visible_by_day)}};
}

json shares_se_json(const std::vector<probability>& shares, std::uint64_t n) {
  json out = json::array();
  for (auto p : shares) out.push_back(rounded(share_standard_error(p.value(), n), 6));
  return out;
}

/// The Monte Carlo standard errors of an effect's shares and means. Per session, the chance is a
/// mean of correlated shares: √(p̄(1 − p̄)/n) bounds its standard error from above.
json effect_mcse_json(const effect_summary& e, std::uint64_t n) {
  const auto mean_se = [](const day_summary& d) { return d.mean_se ? json(rounded(*d.mean_se, 4)) : json(nullptr); };
  return {{"probability", rounded(share_standard_error(e.occurs.value(), n), 6)},
          {"incidence_per_session", rounded(share_standard_error(e.incidence_per_session.value(), n), 6)},
          {"incidence_by_session", shares_se_json(e.incidence_by_session, n)},
          {"resolution_days", {{"mean", mean_se(e.resolution)}}},
          {"visible_days", {{"mean", mean_se(e.visible)}}},
          {"p_visible_by_day", shares_se_json(e.p_visible_by_day, n)}};
}

void add_uncertainty(json& effect, const effect_summary& nominal, const effect_summary& low, const effect_summary& median,
                     const effect_summary& high, std::uint64_t n) {
  effect["uncertainty"] = effect_uncertainty_json(low, median, high);
  effect["mcse"] = effect_mcse_json(nominal, n);
}

json replicated_json(const replicated_cohort& run) {
  const auto& [nominal, u] = run;
  json out = summary_json(nominal);
  out["replicates"] = {{"count", u.replicates},
                       {"text", "figures at the model's values; uncertainty: each figure's 2.5, 50 and 97.5 % across parameter sets "
                                "drawn from the model's uncertainties (the same patients in each); mcse: Monte Carlo standard error"}};
  const std::uint64_t n = nominal.population.n;
  for (std::size_t e = 0; e < nominal.effects.size(); ++e)
    add_uncertainty(out["effects"][e], nominal.effects[e], u.low.effects[e], u.median.effects[e], u.high.effects[e], n);
  add_uncertainty(out["any_effect"], nominal.any, u.low.any, u.median.any, u.high.any, n);
  return out;
}

// ---- a paired comparison: compared minus population, per patient ----

json difference_json(const std::optional<difference_estimate>& d, int decimals) {
  if (!d) return nullptr;
  const auto shown = [&](double x) { return rounded(x, decimals) + 0.0; };  // + 0.0: no "-0.0"
  return {{"estimate", shown(d->estimate)}, {"se", shown(d->se)}, {"low", shown(d->low)}, {"high", shown(d->high)}};
}

json effect_difference_json(const effect_difference& e) {
  return {{"id", e.id},
          {"name", e.name},
          {"probability", difference_json(e.probability, 6)},
          {"incidence_per_session", difference_json(e.incidence_per_session, 6)},
          {"visible_days", {{"mean", difference_json(e.visible_days_mean, 4)}}},
          {"resolution_days",
           {{"mean", difference_json(e.resolution_days_mean, 4)}, {"patients", e.resolution_patients}, {"of", "patients affected in both"}}}};
}

json cohort_difference_json(const cohort_difference& d) {
  json effects = json::array();
  for (const auto& e : d.effects) effects.push_back(effect_difference_json(e));
  return {{"of", "compared minus population, per patient (the same virtual patients in both)"},
          {"patients", d.patients},
          {"interval", "95 %, normal: estimate +/- 1.96 se; se: the SD of the per-patient differences / sqrt(patients)"},
          {"effects", std::move(effects)},
          {"any_effect", effect_difference_json(d.any)}};
}

json estimate_interval_json(const std::optional<difference_estimate>& low, const std::optional<difference_estimate>& median,
                            const std::optional<difference_estimate>& high, int decimals) {
  if (!low || !median || !high) return nullptr;
  return interval_json(low->estimate, median->estimate, high->estimate, decimals);
}

/// Adds `uncertainty` to a difference figure that has an estimate (a null one stays null).
void add_estimate_uncertainty(json& figure, json interval) {
  if (figure.is_object()) figure["uncertainty"] = std::move(interval);
}

void add_difference_uncertainty(json& effect, const effect_difference& low, const effect_difference& median, const effect_difference& high) {
  add_estimate_uncertainty(effect["probability"], estimate_interval_json(low.probability, median.probability, high.probability, 6));
  add_estimate_uncertainty(effect["incidence_per_session"],
                           estimate_interval_json(low.incidence_per_session, median.incidence_per_session, high.incidence_per_session, 6));
  add_estimate_uncertainty(effect["visible_days"]["mean"],
                           estimate_interval_json(low.visible_days_mean, median.visible_days_mean, high.visible_days_mean, 4));
  add_estimate_uncertainty(effect["resolution_days"]["mean"],
                           estimate_interval_json(low.resolution_days_mean, median.resolution_days_mean, high.resolution_days_mean, 4));
}

}  // namespace

std::string to_json(const cohort_summary& summary, int indent) { return summary_json(summary).dump(indent); }

std::string to_json(const cohort_summary& summary, const cohort_summary& compared, const cohort_difference& difference,
                    const difference_uncertainty& uncertainty, int indent) {
  json out = summary_json(summary);
  out["compared"] = summary_json(compared);
  json d = cohort_difference_json(difference);
  d["replicates"] = {{"count", uncertainty.replicates},
                     {"text", "each estimate's 2.5, 50 and 97.5 % across parameter sets drawn from the model's uncertainties, as uncertainty"}};
  for (std::size_t e = 0; e < difference.effects.size(); ++e)
    add_difference_uncertainty(d["effects"][e], uncertainty.low.effects[e], uncertainty.median.effects[e], uncertainty.high.effects[e]);
  add_difference_uncertainty(d["any_effect"], uncertainty.low.any, uncertainty.median.any, uncertainty.high.any);
  out["difference"] = std::move(d);
  return out.dump(indent);
}

std::string to_json(const cohort_summary& summary, const cohort_summary& compared, int indent) {
  json out = summary_json(summary);
  out["compared"] = summary_json(compared);
  return out.dump(indent);
}

std::string to_json(const population_sweep_axis& axis, const std::vector<cohort_summary>& arms, const std::vector<cohort_difference>& differences,
                    int indent) {
  if (axis.values.size() != arms.size() || arms.size() != differences.size() + 1)
    throw std::invalid_argument("to_json(sweep): one value and one summary per arm, and one difference per arm after the first");
  json out = json::object();
  out["sweep"] = {{"factor", axis.factor}, {"field", axis.field}, {"values", axis.values}};
  json summaries = json::array();
  for (const auto& arm : arms) summaries.push_back(summary_json(arm));
  out["arms"] = std::move(summaries);
  json against = json::array();
  for (std::size_t k = 0; k < differences.size(); ++k) {
    json d = {{"value", axis.values[k + 1]}, {"versus", axis.values[0]}};
    const json difference = cohort_difference_json(differences[k]);
    for (const auto& [key, value] : difference.items()) d[key] = value;
    against.push_back(std::move(d));
  }
  out["differences"] = std::move(against);
  return out.dump(indent);
}

std::string to_json(const cohort_summary& summary, const cohort_summary& compared, const cohort_difference& difference, int indent) {
  json out = summary_json(summary);
  out["compared"] = summary_json(compared);
  out["difference"] = cohort_difference_json(difference);
  return out.dump(indent);
}

std::string to_partial_json(const model& model, const population& population, patient_range patients, const cohort_tally& tally) {
  json out{{"partial_summary", {{"format", partial_format}, {"text", "one shard of a cohort simulation; add shards with aftermath merge"}}},
           {"model", {{"id", model.id}, {"version", model.version}}}};
  out["population"] = json::parse(to_json(population, -1));
  out["patients"] = {{"from", patients.first}, {"to", patients.last}};
  json effects = json::array();
  for (std::size_t e = 0; e < tally.effects.size(); ++e) {
    json entry{{"id", model.effects[e].id}};
    entry.update(tally_json(tally.effects[e]));
    effects.push_back(std::move(entry));
  }
  out["tally"] = {{"patients", tally.patients}, {"group_counts", tally.group_counts}, {"effects", std::move(effects)}, {"any", tally_json(tally.any)}};
  return out.dump();
}

std::string to_partial_json(const model& model, const population& population, const cohort_tally& nominal, const replicate_part& replicates) {
  json out = json::parse(to_partial_json(model, population, {0, population.n}, nominal));
  json figures = json::array();
  for (const auto& replicate : replicates.figures) {
    json values = json::array();
    for (double x : replicate) values.push_back(std::isnan(x) ? json(nullptr) : json(x));
    figures.push_back(std::move(values));
  }
  out["replicates"] = {{"count", replicates.count}, {"from", replicates.first}, {"to", replicates.last}, {"figures", std::move(figures)}};
  return out.dump();
}

cohort_partial parse_partial(std::string_view json_text, const model& model, std::string_view source) {
  const json root = io::parse_json_text(json_text, source);
  reader in;
  cohort_partial out;
  out.source = std::string(source);
  const auto fail_with_source = [&] {
    in.set_source(source);
    in.throw_if_failed();
  };
  if (!in.expect_object(root, "")) fail_with_source();
  in.reject_unknown_keys(root, "", {"partial_summary", "model", "population", "patients", "tally", "replicates"});
  check_format(in, root);
  check_model(in, root, model);
  if (!in.ok()) fail_with_source();
  const json* population = in.member(root, "", "population", true);
  if (!population) fail_with_source();
  out.population = parse_population(population->dump(), model, std::string(source) + ": population");
  read_range(in, root, out.population.n, out.patients);
  if (in.ok()) read_tally(in, root, model, out.population, out);
  if (in.ok() && root.contains("replicates")) out.replicates = read_replicates(in, root["replicates"], figure_count(model, out.population));
  if (out.replicates && !(out.patients.first == 0 && out.patients.last == out.population.n))
    in.fail("patients", "a shard of a replicated run covers every patient", problem_code::conflict);
  fail_with_source();
  return out;
}

std::string to_json(const replicated_cohort& run, int indent) { return replicated_json(run).dump(indent); }

std::string to_json(const std::vector<uncertain_parameter>& parameters, const model& model, int indent) {
  json list = json::array();
  for (const auto& p : parameters) {
    const auto [low, high] = p.interval_95();
    list.push_back({{"id", p.id}, {"value", p.value}, {"distribution", p.sd == 0.0 ? "fixed" : p.kind.scale == parameter_scale::log ? "log_normal" : "logit_normal"},
                    {"sd", p.sd}, {"interval_95", {low, high}}, {"estimate", p.kind.estimate}, {"basis", p.basis}});
    if (p.kind.scale == parameter_scale::logit) list.back()["upper"] = p.kind.upper;
  }
  return json{{"model", {{"id", model.id}, {"version", model.version}}}, {"parameters", std::move(list)}}.dump(indent);
}

json estimate_json(const interval_estimate& e) {
  return {{"estimate", rounded(e.estimate, 4)}, {"low", rounded(e.low, 4)}, {"high", rounded(e.high, 4)}};
}

std::string to_json(const figure_sensitivity& s, int indent) {
  json parameters = json::array();
  for (const auto& p : s.parameters)
    parameters.push_back({{"id", p.id}, {"first_order", estimate_json(p.index.first_order)}, {"total", estimate_json(p.index.total)}});
  return json{{"output", s.output},
              {"parameters", std::move(parameters)},
              {"text", "first-order and total Sobol indices of the output over the model's uncertain numbers (Saltelli's design; "
                       "first order by Saltelli 2010, total by Jansen 1999), with 95 % bootstrap intervals; by total, largest first"},
              {"output_mean", s.mean},
              {"output_variance", s.variance},
              {"noise_share", rounded(s.noise_share, 6)},
              {"evaluations", s.evaluations},
              {"patients_per_evaluation", s.patients}}
      .dump(indent);
}

}  // namespace aftermath::io

// Which of the model's numbers a summary figure depends on: figures named by path, the numbers
// that move a figure, and their Sobol indices over the numbers' distributions.
#include <aftermath/uncertainty.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

namespace aftermath {
namespace {

using figure_reader = std::function<std::optional<double>(const cohort_summary&)>;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  for (std::size_t from = 0;;) {
    const auto dot = path.find('.', from);
    parts.emplace_back(path.substr(from, dot - from));
    if (dot == std::string_view::npos) return parts;
    from = dot + 1;
  }
}

std::optional<std::size_t> index_in(const std::string& text, std::size_t size) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || value >= size) return std::nullopt;
  return value;
}

const effect_summary& effect_of(const cohort_summary& s, std::optional<std::size_t> effect) { return effect ? s.effects[*effect] : s.any; }

/// A figure of a day_summary: p05, p50, p95 or mean.
std::optional<std::optional<double> day_summary::*> day_figure(const std::string& name) {
  if (name == "p05") return &day_summary::p05;
  if (name == "p50") return &day_summary::p50;
  if (name == "p95") return &day_summary::p95;
  if (name == "mean") return &day_summary::mean;
  return std::nullopt;
}

/// The reader of an effect's figure from the path's parts after the effect, or none.
figure_reader effect_figure(std::optional<std::size_t> e, const std::vector<std::string>& rest, const population& p) {
  const auto one = [&](std::size_t size) { return rest.size() == 2 ? index_in(rest[1], size) : std::nullopt; };
  if (rest.size() == 1 && rest[0] == "probability") return [e](const cohort_summary& s) { return std::optional(effect_of(s, e).occurs.value()); };
  if (rest.size() == 1 && rest[0] == "incidence_per_session")
    return [e](const cohort_summary& s) { return std::optional(effect_of(s, e).incidence_per_session.value()); };
  if (rest[0] == "incidence_by_session")
    if (const auto j = one(p.session_days.size()))
      return [e, j = *j](const cohort_summary& s) { return std::optional(effect_of(s, e).incidence_by_session[j].value()); };
  if (rest[0] == "p_visible_by_day")
    if (const auto d = one(static_cast<std::size_t>(p.horizon_days) + 1))
      return [e, d = *d](const cohort_summary& s) { return std::optional(effect_of(s, e).p_visible_by_day[d].value()); };
  if (rest.size() == 2 && (rest[0] == "resolution_days" || rest[0] == "visible_days"))
    if (const auto member = day_figure(rest[1])) {
      const auto which = rest[0] == "visible_days" ? &effect_summary::visible : &effect_summary::resolution;
      return [e, which, member = *member](const cohort_summary& s) { return effect_of(s, e).*which.*member; };
    }
  return {};
}

std::string known_effects(const model& m) {
  std::string out;
  for (const auto& e : m.effects) out += e.id + ", ";
  return out + "any";
}

population with_patients(population p, std::uint64_t patients) {
  p.n = patients;
  return p;
}

std::optional<double> figure_at(const model& m, const population& p, const summary_figure& figure) {
  return figure.of(summarise(m, p, simulate(m, p, {.threads = 1})));
}

/// Indices into model_parameters of the named ids, each uncertain; every problem named.
std::vector<std::size_t> chosen_parameters(const std::vector<uncertain_parameter>& all, const std::vector<std::string>& ids) {
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < all.size(); ++k) index[all[k].id] = k;
  std::vector<std::size_t> chosen;
  std::vector<input_problem> problems;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto it = index.find(ids[i]);
    const std::string path = "parameters[" + std::to_string(i) + "]";
    if (it == index.end()) problems.push_back({path, "'" + ids[i] + "' is not a parameter id of the model (aftermath model --parameters lists them)", problem_code::unknown_id});
    else if (all[it->second].sd == 0.0) problems.push_back({path, "'" + ids[i] + "' is fixed (" + all[it->second].basis + "); it has no spread to rank", problem_code::conflict});
    else if (std::find(chosen.begin(), chosen.end(), it->second) != chosen.end()) problems.push_back({path, "'" + ids[i] + "' is listed twice", problem_code::conflict});
    else chosen.push_back(it->second);
  }
  if (ids.empty()) problems.push_back({"parameters", "names no parameter; nothing to rank", problem_code::conflict});
  if (!problems.empty()) throw input_error(std::move(problems));
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace

summary_figure::summary_figure(const model& m, const population& p, std::string path, std::string field) : path_(std::move(path)) {
  const auto parts = split_path(path_);
  if (parts.size() == 2 && parts[0] == "results" && parts[1] == "at_horizon")
    read_ = [](const cohort_summary& s) { return s.results_by_day.empty() ? std::nullopt : std::optional(s.results_by_day.back()); };
  else if (parts.size() >= 2) {
    const auto* effect = m.find_effect(parts[0]);
    if (effect || parts[0] == "any") {
      const auto e = effect ? std::optional(static_cast<std::size_t>(effect - m.effects.data())) : std::nullopt;
      read_ = effect_figure(e, {parts.begin() + 1, parts.end()}, p);
    }
  }
  const bool share = parts.size() >= 2 && (parts[1] == "probability" || parts[1].starts_with("incidence") || parts[1] == "p_visible_by_day");
  if (read_ && share)
    standard_error_ = [read = read_](const cohort_summary& s) { return std::optional(share_standard_error(*read(s), s.population.n)); };
  if (read_ && parts.size() == 3 && parts[2] == "mean" && parts[0] != "results") {
    const auto* effect = m.find_effect(parts[0]);
    const auto e = effect ? std::optional(static_cast<std::size_t>(effect - m.effects.data())) : std::nullopt;
    const auto which = parts[1] == "visible_days" ? &effect_summary::visible : &effect_summary::resolution;
    standard_error_ = [e, which](const cohort_summary& s) { return (effect_of(s, e).*which).mean_se; };
  }
  if (!read_)
    throw input_error(field, "'" + path_ + "' names no figure of the summary; give EFFECT.FIGURE with EFFECT one of " + known_effects(m) +
                                 " and FIGURE one of probability, incidence_per_session, incidence_by_session.J, resolution_days.Q, "
                                 "visible_days.Q (Q: p05, p50, p95, mean), p_visible_by_day.D; or results.at_horizon",
                      problem_code::unknown_id);
}

std::optional<double> summary_figure::of(const cohort_summary& summary) const { return read_(summary); }

std::optional<double> summary_figure::standard_error(const cohort_summary& summary) const {
  return standard_error_ ? standard_error_(summary) : std::nullopt;
}

std::vector<std::string> parameters_moving(const model& m, const population& population, const summary_figure& figure, std::uint64_t patients) {
  const auto p = with_patients(population, patients);
  const auto nominal = figure_at(m, p, figure);
  std::vector<std::string> moving;
  const auto all = model_parameters(m);
  for (std::size_t k = 0; k < all.size(); ++k) {
    if (all[k].sd == 0.0) continue;
    for (double value : all[k].interval_95())
      if (const std::pair<std::size_t, double> changed{k, value}; figure_at(with_parameter_values(m, {&changed, 1}), p, figure) != nominal) {
        moving.push_back(all[k].id);
        break;
      }
  }
  return moving;
}

figure_sensitivity sensitivity(const model& m, const population& population, const summary_figure& figure,
                               const std::vector<std::string>& parameter_ids, const sensitivity_options& options) {
  if (options.patients < 1 || options.patients > 1'000'000)
    throw input_error("patients", std::to_string(options.patients) + ", but must be 1 to 1000000 per evaluation", problem_code::out_of_range);
  const auto all = model_parameters(m);
  const auto chosen = chosen_parameters(all, parameter_ids);
  const auto p = with_patients(population, options.patients);
  const auto f = [&](std::span<const double> u) {
    std::vector<std::pair<std::size_t, double>> values;
    for (std::size_t i = 0; i < chosen.size(); ++i) values.emplace_back(chosen[i], all[chosen[i]].at_quantile(u[i]));
    const auto value = figure_at(with_parameter_values(m, values), p, figure);
    if (!value) throw input_error("output", figure.path() + " has no value for some parameter sets (beyond 512 days)", problem_code::out_of_range);
    return *value;
  };
  const sobol_result result = sobol_indices(chosen.size(), f, options.sobol);

  figure_sensitivity out{figure.path(), {}, result.mean, result.variance, 0.0, result.evaluations, options.patients};
  for (std::size_t i = 0; i < chosen.size(); ++i) out.parameters.push_back({all[chosen[i]].id, result.indices[i]});
  std::stable_sort(out.parameters.begin(), out.parameters.end(),
                   [](const auto& a, const auto& b) { return a.index.total.estimate > b.index.total.estimate; });
  if (const auto se = figure.standard_error(summarise(m, p, simulate(m, p, {.threads = 1}))))
    out.noise_share = result.variance > 0.0 ? *se * *se / result.variance : 0.0;
  return out;
}

}  // namespace aftermath

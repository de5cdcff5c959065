// The cohort summary as readable tables.
#include "text_table.hpp"

#include "../core/messages.hpp"

#include <aftermath/render/text.hpp>

#include <cmath>
#include <set>

namespace aftermath::inline render {
namespace {


std::string days_or_dash(const std::optional<double>& value) { return value ? fixed(*value, 1) : "-"; }

/// " stopped 3 d before", " paused 2 d before each session", or nothing.
std::string medicine_timing(const population_factor& f) {
  if (f.stopped_days_before) return " stopped " + std::to_string(*f.stopped_days_before) + " d before";
  if (f.paused_days_before_each_session) return " paused " + std::to_string(*f.paused_days_before_each_session) + " d before each session";
  return "";
}

std::string describe_population(const population& p, const std::vector<probability>& shares) {
  std::string out = "Sessions on days";
  for (int day : p.session_days) out += " " + std::to_string(day);
  if (!p.protocol.empty()) out += " (protocol " + p.protocol + ")";
  out += "; treatment " + p.treatment;
  for (const auto& id : p.procedure) out += ", " + id;
  out += "\n";
  if (p.profiles.empty() && p.prevalences.empty()) return out + "No risk factors.\n";
  out += p.profiles.empty() ? "Risk factors (requested -> simulated):" : "Profiles (weight -> simulated share):";
  for (std::size_t g = 0; g < shares.size(); ++g) {
    if (p.profiles.empty()) {
      const auto& f = p.prevalences[g];
      out += " " + f.factor.id + medicine_timing(f.factor) + " " + percent(f.share.value()) + " -> " + percent(shares[g].value()) + ";";
    } else {
      out += " " + p.profiles[g].name + " " + fixed(p.profiles[g].weight, 2) + " -> " + percent(shares[g].value()) + ";";
    }
  }
  return out + "\n";
}

void add_effect_row(table& t, const effect_summary& e) {
  t.add({e.name, percent(e.occurs.value()), percent(e.incidence_per_session.value()), days_or_dash(e.resolution.p50),
         days_or_dash(e.resolution.p95), days_or_dash(e.resolution.mean), days_or_dash(e.visible.mean), days_or_dash(e.visible.p50),
         days_or_dash(e.visible.p95)});
}

/// A few telling days: 1, 3 and 7 days after the first and the last session, and the horizon.
std::vector<int> shown_days(const population& p) {
  std::set<int> shown;
  for (int session : {p.session_days.front(), p.session_days.back()})
    for (int after : {1, 3, 7})
      if (session + after <= p.horizon_days) shown.insert(session + after);
  shown.insert(p.horizon_days);
  return {shown.begin(), shown.end()};
}

std::vector<const effect_summary*> effects_and_any(const cohort_summary& s) {
  std::vector<const effect_summary*> all;
  for (const auto& effect : s.effects) all.push_back(&effect);
  all.push_back(&s.any);
  return all;
}

std::string range_or_dash(const std::optional<double>& low, const std::optional<double>& high) {
  return low && high ? fixed(*low, 1) + "-" + fixed(*high, 1) : "-";
}

std::string percent_range(probability low, probability high) { return percent(low.value()) + "-" + percent(high.value()); }

/// Three significant digits: 0.208, 3.26, 13.4.
std::string significant(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", x);
  return buffer;
}

std::string se_or_dash(const std::optional<double>& se) { return se ? fixed(*se, 2) : "-"; }

void add_uncertainty_row(table& t, const effect_summary& nominal, const effect_summary& low, const effect_summary& high, std::uint64_t n) {
  t.add({nominal.name, percent(nominal.occurs.value()), percent_range(low.occurs, high.occurs),
         percent(share_standard_error(nominal.occurs.value(), n)), days_or_dash(nominal.visible.mean),
         range_or_dash(low.visible.mean, high.visible.mean), se_or_dash(nominal.visible.mean_se), days_or_dash(nominal.resolution.p95),
         range_or_dash(low.resolution.p95, high.resolution.p95)});
}

/// "+1.25", "-0.40", "0.00": a difference shows its sign.
std::string signed_fixed(double x, int decimals) {
  const std::string digits = fixed(x, decimals);
  return digits.find_first_not_of("-0.") == std::string::npos ? fixed(0.0, decimals) : (x > 0 ? "+" : "") + digits;
}

/// The estimate and its interval as two columns, scaled (100 for percentage points).
std::vector<std::string> difference_columns(const std::optional<difference_estimate>& d, double scale, int decimals) {
  if (!d) return {"-", "-"};
  return {signed_fixed(scale * d->estimate, decimals), signed_fixed(scale * d->low, decimals) + " to " + signed_fixed(scale * d->high, decimals)};
}

void add_difference_row(table& t, const effect_difference& e) {
  std::vector<std::string> row{e.name};
  for (const auto& columns : {difference_columns(e.probability, 100.0, 2), difference_columns(e.visible_days_mean, 1.0, 2),
                              difference_columns(e.resolution_days_mean, 1.0, 2)})
    row.insert(row.end(), columns.begin(), columns.end());
  row.push_back(std::to_string(e.resolution_patients));
  t.add(std::move(row));
}

}  // namespace

std::string to_text(const cohort_difference& d) {
  std::string out = "Paired difference (compared - population), per patient: the same " + std::to_string(d.patients) +
                    " virtual patients in both;\n"
                    "chance over the course in percentage points; resolution mean over the patients affected in both; 95 % intervals\n";
  table t({"effect", "chance (pp)", "95 % interval", "visible days", "95 % interval", "resolved mean", "95 % interval", "affected in both"});
  for (const auto& e : d.effects) add_difference_row(t, e);
  add_difference_row(t, d.any);
  return out + t.str();
}

std::string to_text(const cohort_difference& d, const difference_uncertainty& u) {
  std::string out = to_text(d) + "\nModel uncertainty: each difference's 95 % interval across " + std::to_string(u.replicates) +
                    " parameter sets drawn from the model's uncertainties (the same patients in each)\n";
  table t({"effect", "chance (pp)", "95 % interval", "visible days", "95 % interval", "resolved mean", "95 % interval"});
  const auto points = [](const std::optional<difference_estimate>& e) { return e ? fixed(100 * e->estimate, 1) : "-"; };
  const auto days = [](const std::optional<difference_estimate>& e) { return e ? fixed(e->estimate, 2) : "-"; };
  const auto across = [](const std::optional<difference_estimate>& low, const std::optional<difference_estimate>& high, double scale, int decimals) {
    return low && high ? fixed(scale * low->estimate, decimals) + " to " + fixed(scale * high->estimate, decimals) : "-";
  };
  for (std::size_t e = 0; e <= d.effects.size(); ++e) {
    const auto& nominal = e < d.effects.size() ? d.effects[e] : d.any;
    const auto& low = e < d.effects.size() ? u.low.effects[e] : u.low.any;
    const auto& high = e < d.effects.size() ? u.high.effects[e] : u.high.any;
    t.add({nominal.name, points(nominal.probability), across(low.probability, high.probability, 100, 1), days(nominal.visible_days_mean),
           across(low.visible_days_mean, high.visible_days_mean, 1, 2), days(nominal.resolution_days_mean),
           across(low.resolution_days_mean, high.resolution_days_mean, 1, 2)});
  }
  return out + t.str();
}

std::string to_text(const cohort_summary& s) {
  const auto& p = s.population;
  std::string out = "Cohort simulation: " + std::to_string(p.n) + " patients, seed " + std::to_string(p.seed) + " (model " + s.model_id +
                    " " + s.model_version + ")\n" + describe_population(p, s.group_shares) + "\n";

  out += "Per effect: chance over the course, chance per session; days after the last session until resolved\n"
         "(patients who had it); days visible in all (every patient, severity >= " + fixed(s.visible_threshold.value(), 1) + ")\n";
  table effects({"effect", "chance", "per session", "resolved p50", "p95", "mean", "visible days mean", "p50", "p95"});
  for (const auto* e : effects_and_any(s)) add_effect_row(effects, *e);
  out += effects.str() + "\n";

  out += "Chance of being visible, by day since the first session\n";
  const auto shown = shown_days(p);
  std::vector<std::string> header{"effect"};
  for (int d : shown) header.push_back("d" + std::to_string(d));
  table visible(header);
  for (const auto* e : effects_and_any(s)) {
    std::vector<std::string> row{e->name};
    for (int d : shown) row.push_back(percent(e->p_visible_by_day[static_cast<std::size_t>(d)].value()));
    visible.add(std::move(row));
  }
  out += visible.str() + "\n";
  if (!s.results_by_day.empty())
    out += "Results on day " + std::to_string(p.horizon_days) + ": " + fixed(s.results_by_day.back(), 2) +
           "x one session's peak gain (the same for every patient in the model).\n\n";
  out += wrap(s.notice, 92, "");
  return out;
}

std::string to_text(const replicated_cohort& run) {
  const auto& [s, u] = run;
  std::string out = to_text(s);
  out += "\n\nModel uncertainty: each figure's 95 % interval across " + std::to_string(u.replicates) +
         " parameter sets drawn from the model's uncertainties\n(the same patients in each); mcse: the Monte Carlo standard error at the "
         "model's values\n";
  table t({"effect", "chance", "95 % interval", "mcse", "visible days mean", "95 % interval", "mcse", "resolved p95", "95 % interval"});
  for (std::size_t e = 0; e < s.effects.size(); ++e) add_uncertainty_row(t, s.effects[e], u.low.effects[e], u.high.effects[e], s.population.n);
  add_uncertainty_row(t, s.any, u.low.any, u.high.any, s.population.n);
  return out + t.str();
}

std::string to_text(const figure_sensitivity& s) {
  table t({"parameter", "total", "95 % interval", "first order", "95 % interval"});
  const auto interval = [](const interval_estimate& e) { return fixed(e.low, 3) + " to " + fixed(e.high, 3); };
  for (const auto& p : s.parameters)
    t.add({p.id, fixed(p.index.total.estimate, 3), interval(p.index.total), fixed(p.index.first_order.estimate, 3), interval(p.index.first_order)});
  return "Sensitivity of " + s.output + " (mean " + significant(s.mean) + ", SD " + significant(std::sqrt(s.variance)) +
         " across parameter sets)\nSobol indices: the share of its variance each number explains alone (first order) and with its "
         "interactions (total)\n" + t.str() + std::to_string(s.evaluations) + " evaluations of " + std::to_string(s.patients) +
         " virtual patients each; patient sampling is " + percent(s.noise_share) + " of the variance.\n";
}

std::string to_text(const std::vector<uncertain_parameter>& parameters) {
  table t({"parameter", "value", "distribution", "95 % interval", "basis"});
  for (const auto& p : parameters) {
    const auto [low, high] = p.interval_95();
    const std::string distribution = p.sd == 0.0 ? "fixed" : (p.kind.scale == parameter_scale::log ? "log-normal" : "logit-normal") +
                                                              std::string(" sd ") + fixed(p.sd, 2);
    t.add({p.id, detail::format_number(p.value), distribution, p.sd == 0.0 ? "-" : significant(low) + "-" + significant(high), p.basis});
  }
  return "Every number of the model with its uncertainty (parameter ids as the model file's paths)\n" + t.str();
}

}  // namespace aftermath::render

// The cohort summary as readable tables.
#include "text_table.hpp"

#include <aftermath/render/text.hpp>

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

}  // namespace

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

}  // namespace aftermath::render

// Readable text for a terminal: the projection, the assessment and the model as tables.
#include "../io/dates.hpp"
#include "../io/format.hpp"
#include "staff_words.hpp"
#include "text_table.hpp"

#include <aftermath/render/text.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace aftermath::inline render {
namespace {


using io::date_string;

std::string evidence_tag(const model& m, const parameter& p) {
  std::string tag;
  for (const auto& key : p.evidence)
    if (const auto* e = m.find_evidence(key)) tag += (tag.empty() ? "" : ",") + e->strength;
  if (!p.assumption.empty()) tag += (tag.empty() ? "" : "+") + std::string("assumption");
  return tag;
}

std::string with_evidence(const model& m, const parameter& p, int decimals) {
  return fixed(p.value, decimals) + " [" + evidence_tag(m, p) + "]";
}

/// A rating as the patient gave it: "3", "2.5", "grade 2", "moderate".
std::string as_reported(const report_assessment& r) {
  const auto place = static_cast<std::size_t>(r.reported);
  switch (r.scale) {
    case rating_scale::whole_0_10: return fixed(r.reported, 0);
    case rating_scale::real_0_10: return fixed(r.reported, 1);
    case rating_scale::grade_0_4: return "grade " + fixed(r.reported, 0);
    case rating_scale::category: return place < rating_categories.size() ? std::string(rating_categories[place]) : fixed(r.reported, 0);
  }
  return fixed(r.reported, 1);
}

}  // namespace

std::string to_text(const projection& p, const profile& profile) {
  std::string out = "Recovery projection";
  if (!profile.patient.empty()) out += " for " + profile.patient;
  out += " (model " + p.model_id + " " + p.model_version + ")\n";
  out += "Sessions:";
  for (const auto& session : profile.sessions) out += " " + iso_date(session.day);
  out += "\n\n";
  if (!p.gate_warnings.empty()) {
    out += "Recovery gate of " + p.gate_warnings.front().protocol + ": sessions too soon\n";
    for (const auto& b : p.gate_warnings) out += wrap(b.text, 92, "  - ");
    out += "\n";
  }

  out += "What to expect (severity on the 0-10 scale; a peak and a resolution time are for patients who get the effect)\n";
  table effects({"effect", "chance", "peak day", "typical peak", "high peak (95%)", "usually gone by", "almost always by (95%)"});
  for (const auto& e : p.effects)
    effects.add({e.name, percent(e.occurs.value()), fixed(e.peak.day.count(), 1), fixed(e.peak.p50.value(), 1),
                 fixed(e.peak.p95.value(), 1), date_string(profile, e.resolved.p50) + " (day " + fixed(e.resolved.p50.count(), 1) + ")",
                 date_string(profile, e.resolved.p95) + " (day " + fixed(e.resolved.p95.count(), 1) + ")"});
  out += effects.str() + "\n";

  out += "Chance each effect is visible (severity >= " + fixed(p.visible_threshold.value(), 1) + "), by day since the first session\n";
  std::vector<std::string> header{"effect"};
  const std::vector<int> shown_days{0, 1, 2, 3, 5, 7, 10, 14, 21, 28};
  for (int d : shown_days)
    if (d <= p.horizon.count()) header.push_back("d" + std::to_string(d));
  table visible(header);
  for (const auto& e : p.effects) {
    std::vector<std::string> row{e.name};
    for (int d : shown_days) {
      if (d > p.horizon.count()) continue;
      const auto it = std::find_if(e.curve.begin(), e.curve.end(), [&](const band_point& b) { return b.day.count() >= d - 1e-9; });
      row.push_back(it == e.curve.end() ? "" : percent(it->p_visible.value()));
    }
    visible.add(std::move(row));
  }
  out += visible.str() + "\n";

  if (!p.results.empty()) {
    const auto best = std::max_element(p.results.begin(), p.results.end(), [](auto& a, auto& b) { return a.p50 < b.p50; });
    const auto half = std::find_if(p.results.begin(), p.results.end(), [&](auto& r) { return r.p50 >= 0.5 * best->p50; });
    out += "Results: half of the benefit shows by " + date_string(profile, half->day) + "; the most, about " +
           fixed(best->p50, 2) + "x one session's gain, around " + date_string(profile, best->day) + " (within the horizon).\n\n";
  }

  out += "Aftercare\n";
  for (const auto& a : p.aftercare) {
    if (a.kind == aftercare_kind::avoid && a.session != static_cast<int>(p.session_starts.size())) continue;
    std::string when;
    if (a.kind == aftercare_kind::avoid) when = "until " + date_string(profile, a.until) + ": ";
    if (a.kind == aftercare_kind::follow_up) when = "on " + date_string(profile, a.from) + ": ";
    out += wrap(when + a.text, 92, "  - ");
  }
  if (p.session_starts.size() > 1) out += "  (avoid-windows shown for the last session; each session has its own)\n";
  out += "\nRare risks (over all sessions)\n";
  table risks({"risk", "chance", "watch from", "until"});
  for (const auto& r : p.risks)
    risks.add({r.name, percent(r.occurs.value()), date_string(profile, r.watch_from), date_string(profile, r.watch_until)});
  out += risks.str() + "\n";
  out += wrap(p.notice, 92, "");
  return out;
}

std::string to_text(const assessment& a, const model& m, const profile& profile) {
  std::string out = "Assessment";
  if (!profile.patient.empty()) out += " for " + profile.patient;
  out += " (model " + a.model_id + " " + a.model_version + ")\n\n";
  out += "Triage: " + std::string(m.triage_name(a.triage)) + "\n" + wrap(a.advice, 92, "  ") + "\n";
  if (!a.reasons.empty()) out += "Why\n";
  for (const auto& r : a.reasons) {
    std::string which;
    for (std::size_t k : r.reports) which += (which.empty() ? "" : ",") + std::to_string(k + 1);
    out += wrap("[" + std::string(m.triage_name(r.level)) + "] " + r.text + " (rule " + r.rule + ", report " + which + ")", 92, "  - ");
  }
  out += "\nReports against what was expected for this patient (severity 0-10; band: 5th-95th percentile)\n";
  table reports({"#", "date", "day", "symptom", "reported", "expected (band)", "percentile", "status"});
  for (const auto& r : a.reports)
    reports.add({std::to_string(r.report + 1), date_string(profile, r.day), fixed(r.day.count(), 1), staff::effect_name(m, r.symptom),
                 as_reported(r),
                 fixed(r.expected.p50.value(), 1) + " (" + fixed(r.expected.p05.value(), 1) + "-" + fixed(r.expected.p95.value(), 1) + ")",
                 fixed(100.0 * r.percentile.value(), 0), std::string(status_name(m, r.status))});
  out += reports.str() + "\n";
  out += "Updated with these reports: when each reported effect should now be gone (90% interval)\n";
  table updated({"effect", "chance", "now expected gone by", "interval", "before the reports"});
  for (const auto& e : a.updated)
    updated.add({e.name, percent(e.occurs.value()), date_string(profile, e.updated.p50) + " (day " + fixed(e.updated.p50.count(), 1) + ")",
                 date_string(profile, e.updated.p05) + " to " + date_string(profile, e.updated.p95),
                 date_string(profile, e.prior.p50) + " (day " + fixed(e.prior.p50.count(), 1) + ")"});
  out += updated.str();
  out += "Healing speed estimated from the reports: slower than " + fixed(100.0 * a.healing.percentile.value(), 0) +
         "% of patients (0% fastest, 50% typical).\n\n";
  out += wrap(a.notice, 92, "") + "Any red flag means contacting a clinician.\n";
  return out;
}

std::string to_text(const treatment_plan& plan, const model& m) {
  std::string out = "Plan";
  if (!plan.patient.empty()) out += " for " + plan.patient;
  out += ": " + staff::protocol_name(m, plan.protocol) + " (model " + plan.model_id + " " + plan.model_version + ")\n";
  out += plan.feasible ? "Every constraint is met.\n\n" : "NOT FEASIBLE as asked: see the conflicts below.\n\n";
  table items({"date", "until", "item", "why"});
  for (const auto& item : plan.items) {
    std::string what = staff::item_label(m, item);
    if (item.done) what += " (" + (m.wording.plan.done.empty() ? std::string("done") : m.wording.plan.done) + ")";
    items.add({iso_date(item.from), item.until != item.from ? iso_date(item.until) : "", what, item.reason});
  }
  out += items.str();
  if (!plan.conflicts.empty()) out += "\nConflicts\n";
  for (const auto& c : plan.conflicts)
    out += wrap("[" + c.constraint + "] " + c.text + (c.nearest_feasible ? " (nearest feasible: " + iso_date(*c.nearest_feasible) + ")" : ""), 92, "  - ");
  if (!plan.events.empty()) out += "\nEvents (no visible side effects wanted)\n";
  for (const auto& e : plan.events)
    out += "  " + iso_date(e.day) + " " + e.name + ": chance clear at least " + percent(e.chance_clear) + ", asked " + percent(e.confidence) +
           (e.satisfied ? " - met" : " - NOT met") + "\n";
  if (!plan.notes.empty()) out += "\nNotes\n";
  for (const auto& n : plan.notes) out += wrap(n, 92, "  - ");
  // Each aftercare item by its name; a follow-up, which the model does not name, by its text alone.
  const auto texts = [&](plan_item_kind kind, const std::string& heading) {
    std::vector<std::string> seen;
    for (const auto& item : plan.items)
      if (item.kind == kind && std::find(seen.begin(), seen.end(), item.id) == seen.end()) {
        if (seen.empty()) out += "\n" + heading + "\n";
        seen.push_back(item.id);
        out += wrap(kind == plan_item_kind::aftercare ? staff::aftercare_name(m, item.id) + ": " + item.text : item.text, 92, "  - ");
      }
  };
  texts(plan_item_kind::aftercare, "Aftercare after each session");
  texts(plan_item_kind::follow_up, "Follow-ups");
  out += "\n" + wrap(plan.notice, 92, "") + "Any red flag means contacting a clinician.\n";
  return out;
}

std::string to_text(const model& m) {
  std::string out = m.name + " (" + m.id + " " + m.version + ")\n" + wrap(m.description, 92, "") + "\n";
  out += "Effects (value [evidence strength])\n";
  table effects({"effect", "incidence", "lag d", "time to peak d", "half-life d", "typical peak", "peak sd", "healing sd"});
  for (const auto& e : m.effects)
    effects.add({e.id, with_evidence(m, e.incidence, 2), with_evidence(m, e.curve.lag_days, 1),
                 with_evidence(m, e.curve.time_to_peak_days, 2), with_evidence(m, e.curve.half_life_days, 1),
                 with_evidence(m, e.typical_peak, 1), with_evidence(m, e.peak_sd, 2), with_evidence(m, e.healing_time_sd, 2)});
  out += effects.str() + "\n";

  out += "Modifiers (odds ratio / peak x / duration x)\n";
  table modifiers({"modifier", "category", "target", "odds ratio", "peak x", "duration x", "washout d"});
  for (const auto& mod : m.modifiers)
    for (const auto& t : mod.targets)
      modifiers.add({mod.id + (mod.kind_of.empty() ? "" : " (" + mod.kind_of + ")"), std::string(to_string(mod.category)), t.target,
                     t.odds_ratio ? with_evidence(m, *t.odds_ratio, 2) : "-",
                     t.peak_multiplier ? with_evidence(m, *t.peak_multiplier, 2) : "-",
                     t.duration_multiplier ? with_evidence(m, *t.duration_multiplier, 2) : "-",
                     mod.washout_days ? with_evidence(m, *mod.washout_days, 1) : "-"});
  out += modifiers.str() + "\n";

  out += "Treatments:";
  for (const auto& t : m.treatments) out += " " + t.id;
  out += "\n\nRare risks\n";
  table risks({"risk", "chance per session", "onset from d", "to d"});
  for (const auto& r : m.risks)
    risks.add({r.id, with_evidence(m, r.probability, 4), with_evidence(m, r.onset_from_days, 0), with_evidence(m, r.onset_to_days, 0)});
  out += risks.str() + "\nAftercare\n";
  for (const auto& a : m.aftercare)
    out += wrap(std::string(to_string(a.kind)) + (a.days ? " " + with_evidence(m, *a.days, 0) + " d" : "") + " - " + a.id +
                    (a.name.empty() ? "" : " (" + a.name + ")") + ": " + a.text,
                92, "  - ");
  out += "\nRed flags\n";
  for (const auto& r : m.red_flags)
    out += wrap(std::string(to_string(r.level)) + " - " + r.id + (r.convention ? " (convention)" : "") + ": " + r.text, 92, "  - ");
  out += "\nProtocols\n";
  table protocols({"protocol", "treatment", "sessions", "interval d (min-target-max)", "maintenance d"});
  for (const auto& p : m.protocols)
    protocols.add({p.id, p.treatment, fixed(p.sessions.value, 0),
                   fixed(p.interval_min_days.value, 0) + "-" + fixed(p.interval_target_days.value, 0) + "-" + fixed(p.interval_max_days.value, 0),
                   p.maintenance ? fixed(p.maintenance->interval_days.value, 0) : "-"});
  out += protocols.str() + "\n" + std::to_string(m.evidence.size()) + " evidence sources (aftermath model --format json lists them).\n";
  out += wrap(m.notice, 92, "");
  return out;
}

}  // namespace aftermath::render

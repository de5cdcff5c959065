// The projection document (schemas/projection.schema.json; docs/projection.md).
#include "dates.hpp"
#include "format.hpp"
#include "json_reader.hpp"

#include <aftermath/io/json.hpp>

#include <cmath>

namespace aftermath::inline io {
namespace {


json effect_json(const effect_projection& e, const profile& profile) {
  json curve = json::array();
  for (const auto& point : e.curve)
    curve.push_back({{"day", rounded(point.day.count(), 4)}, {"p05", rounded(point.p05.value(), 3)},
                     {"p50", rounded(point.p50.value(), 3)}, {"p95", rounded(point.p95.value(), 3)},
                     {"p_visible", rounded(point.p_visible.value(), 4)}});
  return {{"id", e.id},
          {"name", e.name},
          {"text", e.text},
          {"probability", rounded(e.occurs.value(), 4)},
          {"peak", {{"day", rounded(e.peak.day.count(), 2)}, {"p50", rounded(e.peak.p50.value(), 3)}, {"p95", rounded(e.peak.p95.value(), 3)}}},
          {"resolved",
           {{"p50_day", rounded(e.resolved.p50.count(), 2)}, {"p95_day", rounded(e.resolved.p95.count(), 2)},
            {"p50_date", date_string(profile, e.resolved.p50)}, {"p95_date", date_string(profile, e.resolved.p95)}}},
          {"curve", std::move(curve)}};
}

json aftercare_json(const aftercare_entry& a, const profile& profile) {
  json out{{"id", a.id}, {"kind", std::string(to_string(a.kind))}};
  switch (a.kind) {
    case aftercare_kind::avoid:
      out["session"] = a.session;
      out["from"] = date_string(profile, a.from);
      out["until"] = date_string(profile, a.until);
      break;
    case aftercare_kind::follow_up: out["on"] = date_string(profile, a.from); break;
    case aftercare_kind::advice: break;
  }
  out["text"] = a.text;
  return out;
}

json risk_json(const risk_projection& r, const profile& profile) {
  return {{"id", r.id},
          {"name", r.name},
          {"probability", rounded(r.occurs.value(), 5)},
          {"window_days", {rounded(r.onset_from.count(), 2), rounded(r.onset_to.count(), 2)}},
          {"watch_from", date_string(profile, r.watch_from)},
          {"watch_until", date_string(profile, r.watch_until)},
          {"text", r.text}};
}

/// A session too soon for its protocol's recovery gate; `effects` empty means every effect.
json gate_warning_json(const gate_breach& b, const profile& profile) {
  const auto date_of = [&](int number) {
    const auto index = static_cast<std::size_t>(number - 1);
    return number >= 1 && index < profile.sessions.size() ? json(iso_date(profile.sessions[index].day)) : json(nullptr);
  };
  return {{"session", b.session},
          {"date", date_of(b.session)},
          {"previous", b.session - 1},
          {"previous_date", date_of(b.session - 1)},
          {"days_since", b.days_since},
          {"days_needed", b.days_needed},
          {"protocol", b.protocol},
          {"require", std::string(to_string(b.require))},
          {"threshold", b.threshold.value()},
          {"effects", b.effects},
          {"confidence", rounded(b.confidence.value(), 4)},
          {"text", b.text}};
}

}  // namespace

std::string to_json(const projection& p, const profile& profile, int indent) {
  json out{{"model", {{"id", p.model_id}, {"version", p.model_version}}}, {"notice", p.notice}, {"patient", profile.patient}};
  out["sessions"] = json::array();
  for (const auto& session : profile.sessions) out["sessions"].push_back(iso_date(session.day));
  out["session_days"] = json::array();
  for (const auto& start : p.session_starts) out["session_days"].push_back(rounded(start.count(), 4));
  out["thresholds"] = {{"visible", p.visible_threshold.value()}, {"resolved", p.resolved_threshold.value()}};
  out["horizon_days"] = p.horizon.count();
  out["effects"] = json::array();
  for (const auto& e : p.effects) out["effects"].push_back(effect_json(e, profile));
  json results = json::array();
  for (const auto& point : p.results) results.push_back({{"day", rounded(point.day.count(), 4)}, {"p50", rounded(point.p50, 4)}});
  out["results"] = {{"scale", "relative: 1 = the peak gain of one session"}, {"curve", std::move(results)}};
  out["aftercare"] = json::array();
  for (const auto& a : p.aftercare) out["aftercare"].push_back(aftercare_json(a, profile));
  out["risks"] = json::array();
  for (const auto& r : p.risks) out["risks"].push_back(risk_json(r, profile));
  out["gate_warnings"] = json::array();
  for (const auto& b : p.gate_warnings) out["gate_warnings"].push_back(gate_warning_json(b, profile));
  return out.dump(indent);
}

}  // namespace aftermath::io

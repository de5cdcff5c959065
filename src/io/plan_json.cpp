// Planning requests in, plans out.
#include "calendar_json.hpp"
#include "dates.hpp"
#include "format.hpp"
#include "json_reader.hpp"
#include "reports_json.hpp"
#include "../core/messages.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/plan.hpp>

#include <algorithm>
#include <cmath>

namespace aftermath::inline io {
namespace {

std::optional<date> date_member(reader& in, const json& object, const std::string& path, std::string_view key, bool required) {
  const json* value = in.member(object, path, key, required);
  return value ? read_date(in, *value, member_path(path, key)) : std::nullopt;
}

void read_unavailable(reader& in, const json& root, plan_request& request) {
  const json* list = in.member(root, "", "unavailable", false);
  if (!list || !in.expect_array(*list, "unavailable")) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string here = index_path("unavailable", i);
    if (!in.expect_object((*list)[i], here)) continue;
    in.reject_unknown_keys((*list)[i], here, {"from", "to"});
    const auto from = date_member(in, (*list)[i], here, "from", true);
    const auto to = date_member(in, (*list)[i], here, "to", true);
    if (from && to) request.unavailable.push_back({*from, *to});
  }
}

void read_events(reader& in, const json& root, const model& model, plan_request& request) {
  const json* list = in.member(root, "", "events", false);
  if (!list || !in.expect_array(*list, "events")) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string here = index_path("events", i);
    if (!in.expect_object((*list)[i], here)) continue;
    const json& e = (*list)[i];
    in.reject_unknown_keys(e, here, {"date", "name", "require", "confidence"});
    plan_event event{in.string(e, here, "name"), date(), model.planning.event_confidence.value};
    const std::string require = in.string(e, here, "require", false);
    if (!require.empty() && require != "no_visible_side_effects")
      in.fail(member_path(here, "require"), "'" + require + "' is not a requirement (known: no_visible_side_effects)");
    if (auto confidence = in.number(e, here, "confidence", false, number_range::open(0.0, 1.0))) event.confidence = *confidence;
    if (auto day = date_member(in, e, here, "date", true)) {
      event.day = *day;
      request.events.push_back(std::move(event));
    }
  }
}

void read_course_length(reader& in, const json& root, plan_request& request) {
  const auto sessions = in.number(root, "", "sessions", false, number_range::closed(1.0, 30.0));
  if (!sessions) return;
  if (*sessions != std::floor(*sessions)) in.fail("sessions", "must be a whole number");
  else request.sessions = static_cast<int>(*sessions);
}

/// Reports on the sessions already done, read only when the rest could be: they are dated
/// against the profile's sessions. `plan` assesses them.
void read_reports(reader& in, const json& root, const model& model, plan_request& request) {
  const json* reports = in.member(root, "", "reports", false);
  if (!reports || !in.ok()) return;
  if (request.patient.sessions.empty()) in.fail("reports", detail::reports_need_sessions, problem_code::conflict);
  else request.reports = io::read_reports(in, *reports, model, request.patient);
}

json item_json(const plan_item& item) {
  json out{{"kind", std::string(to_string(item.kind))}};
  const bool single_day = item.kind == plan_item_kind::session || item.kind == plan_item_kind::maintenance ||
                          item.kind == plan_item_kind::follow_up;
  if (item.kind != plan_item_kind::aftercare && item.kind != plan_item_kind::medication_pause) out["number"] = item.number;
  else out["session"] = item.number;
  if (!item.id.empty()) out["id"] = item.id;
  if (single_day) {
    out["date"] = iso_date(item.from);
  } else {
    out["from"] = iso_date(item.from);
    out["until"] = iso_date(item.until);
  }
  if (!item.text.empty()) out["text"] = item.text;
  out["reason"] = item.reason;
  if (item.done) out["done"] = true;
  return out;
}

}  // namespace

plan_request parse_plan_request(std::string_view json_text, const model& model, std::string_view source) {
  const json root = parse_json_text(json_text, source);
  reader in;
  plan_request request;
  if (!in.expect_object(root, "")) in.throw_if_failed(source);
  in.reject_unknown_keys(root, "", {"profile", "protocol", "earliest", "today", "calendar", "unavailable", "events",
                                    "medication_pause_approved", "sessions", "maintenance_until", "reports"});
  if (const json* p = in.member(root, "", "profile", true)) request.patient = read_profile(in, *p, "profile", model, false);
  request.protocol = in.string(root, "", "protocol");
  if (auto day = date_member(in, root, "", "earliest", true)) request.earliest = *day;
  request.today = date_member(in, root, "", "today", false);
  if (const json* calendar = in.member(root, "", "calendar", false); calendar && in.expect_object(*calendar, "calendar"))
    request.calendar = read_calendar(in, *calendar, "calendar");
  read_unavailable(in, root, request);
  read_events(in, root, model, request);
  request.medication_pause_approved = in.boolean(root, "", "medication_pause_approved");
  read_course_length(in, root, request);
  request.maintenance_until = date_member(in, root, "", "maintenance_until", false);
  // Checked on what could be read, so that an unknown protocol or a reversed range is named
  // beside the fields that could not be read; a problem already named is not repeated.
  for (auto& problem : check_plan_request(model, request)) {
    const bool unread = !in.ok() && problem.path != "protocol" && !problem.path.starts_with("unavailable");
    const bool named = std::any_of(in.problems().begin(), in.problems().end(), [&](const auto& p) { return p.path == problem.path; });
    if (!unread && !named) in.fail(problem.path, problem.message, problem.code);
  }
  read_reports(in, root, model, request);
  in.set_source(source);
  in.throw_if_failed();
  return request;
}

std::string to_json(const treatment_plan& plan, int indent) {
  json out{{"model", {{"id", plan.model_id}, {"version", plan.model_version}}}, {"notice", plan.notice},
           {"patient", plan.patient}, {"protocol", plan.protocol}, {"feasible", plan.feasible}};
  out["items"] = json::array();
  for (const auto& item : plan.items) out["items"].push_back(item_json(item));
  out["conflicts"] = json::array();
  for (const auto& c : plan.conflicts) {
    json entry{{"constraint", c.constraint}, {"text", c.text}};
    entry["nearest_feasible"] = c.nearest_feasible ? json(iso_date(*c.nearest_feasible)) : json(nullptr);
    out["conflicts"].push_back(std::move(entry));
  }
  out["events"] = json::array();
  for (const auto& e : plan.events)
    out["events"].push_back({{"name", e.name}, {"date", iso_date(e.day)}, {"require", "no_visible_side_effects"},
                             {"confidence", rounded(e.confidence, 4)}, {"chance_clear", rounded(e.chance_clear, 4)},
                             {"satisfied", e.satisfied}});
  out["notes"] = plan.notes;
  return out.dump(indent);
}

}  // namespace aftermath::io

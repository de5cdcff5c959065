// Reports in, the assessment out (schemas/reports.schema.json, schemas/assessment.schema.json).
#include "dates.hpp"
#include "format.hpp"
#include "json_reader.hpp"
#include "reports_json.hpp"

#include <aftermath/io/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace aftermath::inline io {
namespace {


/// A report given by date counts from midday, or from the first session if that is later the
/// same day: a patient describes how the day has been.
constexpr int report_minute_without_time = 12 * 60;

/// Days since the first session of a report's `date` (and optional `time`).
std::optional<double> read_report_date(reader& in, const json& report, const std::string& path, const profile& profile) {
  const json* value = in.member(report, path, "date", false);
  if (!value) return std::nullopt;
  std::string why;
  std::optional<date> day;
  if (!value->is_string()) in.fail(member_path(path, "date"), "is " + describe_type(*value) + ", but must be a date string (YYYY-MM-DD)");
  else if (!(day = io::parse_iso_date(value->get<std::string>(), why))) in.fail(member_path(path, "date"), why);
  std::optional<int> minute;
  if (const json* time = in.member(report, path, "time", false)) {
    if (!time->is_string()) in.fail(member_path(path, "time"), "is " + describe_type(*time) + ", but must be HH:MM");
    else if (!(minute = io::parse_time_of_day(time->get<std::string>(), why))) in.fail(member_path(path, "time"), why);
  }
  if (!day || profile.sessions.empty()) return std::nullopt;
  const auto& first = profile.sessions.front();
  if (*day < first.day) {
    in.fail(member_path(path, "date"), iso_date(*day) + " is before the first session (" + iso_date(first.day) + ")", problem_code::conflict);
    return std::nullopt;
  }
  if (!minute) minute = *day == first.day ? std::max(report_minute_without_time, first.minute_of_day.value_or(0))
                                          : report_minute_without_time;
  const double t = days_since_first(profile, {*day, minute}).count();
  if (t < 0.0) in.fail(member_path(path, "time"), "is before the first session", problem_code::conflict);
  return t;
}

std::optional<rating_scale> read_scale(reader& in, const json& value, const std::string& path) {
  if (!value.contains("scale")) return std::nullopt;
  const std::string name = in.string(value, path, "scale");
  if (auto scale = rating_scale_named(name)) return scale;
  if (value["scale"].is_string())
    in.fail(member_path(path, "scale"), "'" + name + "' is not a rating scale (known: whole_0_10, real_0_10, grade_0_4, category)",
            problem_code::unknown_id);
  return std::nullopt;
}

/// A number, or for the category scale (which a name implies) the category's place.
void read_severity(reader& in, const json& value, const std::string& path, symptom_report& report) {
  const json* given = in.member(value, path, "severity", true);
  if (!given || !given->is_string()) {
    if (const auto s = in.number(value, path, "severity", true)) report.severity = *s;
    return;
  }
  const std::string name = given->get<std::string>();
  if (report.scale && *report.scale != rating_scale::category) {
    in.fail(member_path(path, "severity"), "'" + name + "' is a category, and the scale is " + std::string(to_string(*report.scale)),
            problem_code::conflict);
    return;
  }
  report.scale = rating_scale::category;
  const auto it = std::find(rating_categories.begin(), rating_categories.end(), name);
  if (it == rating_categories.end())
    in.fail(member_path(path, "severity"), "'" + name + "' is not a category (known: none, mild, moderate, severe, very_severe)",
            problem_code::unknown_id);
  else
    report.severity = static_cast<double>(it - rating_categories.begin());
}

json reported_json(const report_assessment& r) {
  const auto place = static_cast<std::size_t>(r.reported);
  if (r.scale == rating_scale::category && place < rating_categories.size()) return std::string(rating_categories[place]);
  return r.reported;
}

symptom_report read_report(reader& in, const json& value, const std::string& path, const profile& profile) {
  symptom_report report{days(std::nan("")), "", std::nan(""), {}};
  if (!in.expect_object(value, path)) return report;
  in.reject_unknown_keys(value, path, {"date", "time", "day", "symptom", "severity", "scale", "flags", "nothing_else"});
  const bool dated = value.contains("date"), counted = value.contains("day");
  if (dated && counted) in.fail(path, "gives both date and day; give one", problem_code::conflict);
  else if (!dated && !counted) in.fail(path, "needs a date (YYYY-MM-DD) or a day (days since the first session)");
  if (value.contains("time") && !dated) in.fail(member_path(path, "time"), "goes with a date, and there is none", problem_code::conflict);
  if (const auto t = read_report_date(in, value, path, profile)) report.day = days(*t);
  if (const auto d = in.number(value, path, "day", false)) report.day = days(*d);
  report.symptom = in.string(value, path, "symptom");
  report.scale = read_scale(in, value, path);
  read_severity(in, value, path, report);
  report.flags = in.string_list(value, path, "flags");
  report.nothing_else = in.boolean(value, path, "nothing_else");
  return report;
}

json band_json(const severity_band& band) {
  return {{"p05", rounded(band.p05.value(), 2)}, {"p50", rounded(band.p50.value(), 2)}, {"p95", rounded(band.p95.value(), 2)}};
}

json resolution_json(const resolution_interval& r, const profile& profile) {
  return {{"p05_day", rounded(r.p05.count(), 2)}, {"p50_day", rounded(r.p50.count(), 2)}, {"p95_day", rounded(r.p95.count(), 2)},
          {"p05_date", date_string(profile, r.p05)}, {"p50_date", date_string(profile, r.p50)},
          {"p95_date", date_string(profile, r.p95)}};
}

/// The cited sources of a rule, as one line for people and as keys for programs.
std::string citations(const model& model, const std::vector<std::string>& keys, bool convention) {
  std::string out;
  for (const auto& key : keys)
    if (const auto* source = model.find_evidence(key)) out += (out.empty() ? "" : "; ") + source->source;
  if (convention) out += std::string(out.empty() ? "" : ". ") + "Clinic or label convention rather than trial evidence.";
  return out;
}

}  // namespace

std::vector<symptom_report> read_reports(reader& in, const json& list, const model& model, const profile& profile) {
  std::vector<symptom_report> reports;
  if (!in.expect_array(list, "reports")) return reports;
  for (std::size_t i = 0; i < list.size(); ++i) reports.push_back(read_report(in, list[i], index_path("reports", i), profile));
  for (auto& problem : check_reports(model, profile, reports)) {
    const bool unread = std::any_of(reports.begin(), reports.end(), [&](const symptom_report& r) {
      const auto i = static_cast<std::size_t>(&r - reports.data());
      return (std::isnan(r.day.count()) && problem.path == index_path("reports", i) + ".day") ||
             (std::isnan(r.severity) && problem.path == index_path("reports", i) + ".severity");
    });
    if (!unread) in.fail(problem.path, problem.message, problem.code);
  }
  return reports;
}

std::vector<symptom_report> parse_reports(std::string_view json_text, const model& model, const profile& profile,
                                          std::string_view source) {
  const json root = io::parse_json_text(json_text, source);
  reader in;
  std::vector<symptom_report> reports;
  if (!in.expect_object(root, "")) in.throw_if_failed(source);
  in.reject_unknown_keys(root, "", {"reports"});
  if (const json* list = in.member(root, "", "reports", true)) reports = read_reports(in, *list, model, profile);
  in.set_source(source);
  in.throw_if_failed();
  return reports;
}

assessment_request parse_assessment_request(std::string_view json_text, const model& model, std::string_view source) {
  const json root = io::parse_json_text(json_text, source);
  reader in;
  assessment_request request;
  if (!in.expect_object(root, "")) in.throw_if_failed(source);
  in.reject_unknown_keys(root, "", {"profile", "reports"});
  if (const json* profile = in.member(root, "", "profile", true)) request.patient = read_profile(in, *profile, "profile", model, true);
  // Reports are placed by the profile's sessions: against a profile that could not be read they
  // would only repeat its problems.
  if (const json* list = in.member(root, "", "reports", true); list && in.ok())
    request.reports = read_reports(in, *list, model, request.patient);
  in.set_source(source);
  in.throw_if_failed();
  return request;
}

std::string to_json(const assessment& a, const model& model, const profile& profile, int indent) {
  json out{{"model", {{"id", a.model_id}, {"version", a.model_version}}}, {"notice", a.notice}, {"patient", profile.patient},
           {"triage", std::string(to_string(a.triage))}, {"advice", a.advice}};
  out["reasons"] = json::array();
  for (const auto& r : a.reasons)
    out["reasons"].push_back({{"rule", r.rule}, {"level", std::string(to_string(r.level))}, {"text", r.text},
                              {"evidence", citations(model, r.evidence, r.convention)}, {"evidence_keys", r.evidence},
                              {"convention", r.convention}, {"reports", r.reports}});
  out["symptoms"] = json::array();
  for (const auto& r : a.reports)
    out["symptoms"].push_back({{"report", r.report}, {"symptom", r.symptom}, {"day", rounded(r.day.count(), 3)},
                               {"date", date_string(profile, r.day)}, {"reported", reported_json(r)},
                               {"scale", std::string(to_string(r.scale))}, {"immediate", r.immediate},
                               {"expected", band_json(r.expected)}, {"percentile", rounded(r.percentile.value(), 3)},
                               {"status", std::string(to_string(r.status))}, {"flags", r.flags}});
  json effects = json::array();
  for (const auto& e : a.updated)
    effects.push_back({{"id", e.id}, {"name", e.name}, {"reports", e.reports},
                       {"probability", rounded(e.occurs.value(), 4)}, {"prior_probability", rounded(e.prior_occurs.value(), 4)},
                       {"resolved", resolution_json(e.updated, profile)}, {"prior_resolved", resolution_json(e.prior, profile)}});
  out["updated"] = {{"healing", {{"z", rounded(a.healing.mean_z, 3)}, {"sd", rounded(a.healing.sd_z, 3)},
                                 {"percentile", rounded(a.healing.percentile.value(), 3)}}},
                    {"effects", std::move(effects)}};
  return out.dump(indent);
}

}  // namespace aftermath::io

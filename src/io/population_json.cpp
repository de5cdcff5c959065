// The population of a cohort simulation (schemas/population.schema.json; docs/population-format.md).
#include "json_reader.hpp"

#include "../core/messages.hpp"

#include <aftermath/io/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aftermath::inline io {
namespace {


/// A whole number in [low, high], or nullopt with the problem recorded.
std::optional<std::int64_t> read_whole(reader& in, const json& value, const std::string& path, std::int64_t low, std::int64_t high) {
  if (!value.is_number()) {
    in.fail(path, "is " + describe_type(value) + ", but must be a whole number");
    return std::nullopt;
  }
  const double x = value.get<double>();
  if (!(std::isfinite(x) && x == std::floor(x))) {
    in.fail(path, "is " + detail::format_number(x) + ", but must be a whole number");
    return std::nullopt;
  }
  if (x < static_cast<double>(low) || x > static_cast<double>(high)) {
    in.fail(path, "is " + detail::format_number(x) + ", but must be in [" + std::to_string(low) + ", " + std::to_string(high) + "]",
            problem_code::out_of_range);
    return std::nullopt;
  }
  return value.is_number_integer() ? value.get<std::int64_t>() : static_cast<std::int64_t>(x);
}

/// The seed: any whole number from 0 to 2^64 − 1, read exactly.
std::optional<std::uint64_t> read_seed(reader& in, const json& value, const std::string& path) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  // A whole number (negative, or beyond 2^64 − 1) is out of range; anything else is no seed.
  const bool whole = value.is_number() && value.get<double>() == std::floor(value.get<double>());
  in.fail(path, "is " + (value.is_number() ? detail::format_number(value.get<double>()) : describe_type(value)) +
                    ", but must be a whole number from 0 to 18446744073709551615",
          whole ? problem_code::out_of_range : problem_code::malformed);
  return std::nullopt;
}

/// A medicine's optional timing member `key` of a risk factor's object: whole days in [0, 3650].
/// Under `risk_factors` (`sweepable`) a list there is a sweep (parse_population_sweep), which one
/// population cannot hold.
std::optional<int> read_medicine_days(reader& in, const json& object, const std::string& path, std::string_view key, bool sweepable) {
  const json* value = in.member(object, path, key, false);
  if (!value) return std::nullopt;
  if (sweepable && value->is_array()) {
    in.fail(member_path(path, key), "is a list of values, a sweep with one population per value; read it with parse_population_sweep "
                                    "(aftermath simulate runs each value as an arm)");
    return std::nullopt;
  }
  if (auto d = read_whole(in, *value, member_path(path, key), 0, 3650)) return static_cast<int>(*d);
  return std::nullopt;
}

/// Both timings as given; that at most one may be is check_population's to say.
void read_medicine_timing(reader& in, const json& object, const std::string& path, population_factor& factor, bool sweepable) {
  factor.stopped_days_before = read_medicine_days(in, object, path, "stopped_days_before", sweepable);
  factor.paused_days_before_each_session = read_medicine_days(in, object, path, "paused_days_before_each_session", sweepable);
}

/// A factor with no medicine timing (what a bare id means).
population_factor factor_named(std::string id) {
  population_factor factor;
  factor.id = std::move(id);
  return factor;
}

population_factor read_factor(reader& in, const json& value, const std::string& path) {
  if (value.is_string()) return factor_named(value.get<std::string>());
  if (!value.is_object()) {
    in.fail(path, "is " + describe_type(value) +
                      ", but must be a risk factor id or {\"id\", \"stopped_days_before\" or \"paused_days_before_each_session\"}");
    return {};
  }
  in.reject_unknown_keys(value, path, {"id", "stopped_days_before", "paused_days_before_each_session"});
  population_factor factor = factor_named(in.string(value, path, "id"));
  read_medicine_timing(in, value, path, factor, false);
  return factor;
}

/// {"bruise_prone": 0.15, "aspirin": {"prevalence": 0.1, "stopped_days_before": 3},
///  "nsaid": {"prevalence": 0.05, "paused_days_before_each_session": 2}}
std::vector<factor_prevalence> read_prevalences(reader& in, const json& object) {
  std::vector<factor_prevalence> out;
  if (!in.expect_object(object, "risk_factors")) return out;
  for (const auto& [id, value] : object.items()) {
    const std::string path = member_path("risk_factors", id);
    factor_prevalence entry{factor_named(id), {}};
    std::optional<double> share;
    if (value.is_object()) {
      in.reject_unknown_keys(value, path, {"prevalence", "stopped_days_before", "paused_days_before_each_session"});
      share = in.number(value, path, "prevalence", true, io::number_range::closed(0.0, 1.0));
      read_medicine_timing(in, value, path, entry.factor, true);
    } else if (value.is_number()) {
      const double x = value.get<double>();
      if (io::number_range::closed(0.0, 1.0).contains(x)) share = x;
      else in.fail(path, "prevalence is " + detail::format_number(x) + ", but must be in [0, 1]", problem_code::out_of_range);
    } else {
      in.fail(path, "is " + describe_type(value) +
                        ", but must be a prevalence in [0, 1] or {\"prevalence\", \"stopped_days_before\" or \"paused_days_before_each_session\"}");
    }
    if (share) entry.share = probability::checked(*share), out.push_back(std::move(entry));
  }
  return out;
}

std::vector<weighted_profile> read_profiles(reader& in, const json& array) {
  std::vector<weighted_profile> out;
  if (!in.expect_array(array, "profiles")) return out;
  if (array.empty()) in.fail("profiles", "is empty; give at least one profile, or leave profiles out");
  for (std::size_t g = 0; g < array.size(); ++g) {
    const std::string path = index_path("profiles", g);
    const json& value = array[g];
    if (!in.expect_object(value, path)) continue;
    in.reject_unknown_keys(value, path, {"name", "weight", "risk_factors"});
    weighted_profile profile{in.string(value, path, "name", false), 1.0, {}};
    if (profile.name.empty()) profile.name = "profile " + std::to_string(g + 1);
    profile.weight = in.number(value, path, "weight", false, io::number_range::positive()).value_or(1.0);
    if (const json* factors = in.member(value, path, "risk_factors", false); factors && in.expect_array(*factors, member_path(path, "risk_factors")))
      for (std::size_t k = 0; k < factors->size(); ++k)
        profile.risk_factors.push_back(read_factor(in, (*factors)[k], index_path(member_path(path, "risk_factors"), k)));
    out.push_back(std::move(profile));
  }
  return out;
}

/// Sessions from the model's protocol at its target interval (or `interval_days` within its range).
void read_protocol_sessions(reader& in, const json& root, const model& model, population& out) {
  out.protocol = in.string(root, "", "protocol");
  const auto* protocol = model.find_protocol(out.protocol);
  if (!protocol) {
    if (!out.protocol.empty())
      in.fail("protocol", "unknown protocol '" + out.protocol + "' (known: " + detail::known_ids(model.protocols) + ")", problem_code::unknown_id);
    return;
  }
  auto interval = static_cast<std::int64_t>(std::lround(protocol->interval_target_days.value));
  if (const json* given = in.member(root, "", "interval_days", false)) {
    const auto low = static_cast<std::int64_t>(std::ceil(protocol->interval_min_days.value));
    const auto high = static_cast<std::int64_t>(std::floor(protocol->interval_max_days.value));
    if (auto d = read_whole(in, *given, "interval_days", low, high)) interval = *d;
  }
  const auto sessions = static_cast<int>(std::lround(protocol->sessions.value));
  for (int j = 0; j < sessions; ++j) out.session_days.push_back(static_cast<int>(j * interval));
  if (out.treatment.empty()) out.treatment = protocol->treatment;
}

void read_sessions(reader& in, const json& root, const model& model, population& out) {
  const bool by_protocol = root.contains("protocol"), by_days = root.contains("sessions_days");
  if (by_protocol == by_days) {
    if (by_days) in.fail("sessions_days", "give either protocol or sessions_days, not both", problem_code::conflict);
    else in.fail("sessions_days", "is missing (or give a protocol)");
    return;
  }
  if (by_protocol) return read_protocol_sessions(in, root, model, out);
  if (root.contains("interval_days")) in.fail("interval_days", "goes with a protocol, and there is none", problem_code::conflict);
  const json& days = root["sessions_days"];
  if (!in.expect_array(days, "sessions_days")) return;
  for (std::size_t j = 0; j < days.size(); ++j)
    if (auto d = read_whole(in, days[j], index_path("sessions_days", j), 0, 3650)) out.session_days.push_back(static_cast<int>(*d));
}

std::optional<std::uint64_t> read_count(reader& in, const json& root) {
  const json* value = in.member(root, "", "n", false);
  if (!value) return std::nullopt;
  if (auto n = read_whole(in, *value, "n", 1, 1'000'000'000)) return static_cast<std::uint64_t>(*n);
  return std::nullopt;
}

/// Whether a check's problem only repeats one found while reading: the same field or one inside
/// the other, or any session when a session day could not be read (the order checks would mislead).
bool same_concern(std::string_view read, std::string_view checked) {
  const auto within = [](std::string_view inner, std::string_view outer) {
    return inner.starts_with(outer) && (inner.size() == outer.size() || inner[outer.size()] == '.' || inner[outer.size()] == '[');
  };
  if (within(read, checked) || within(checked, read)) return true;
  return read.starts_with("sessions_days") && checked.starts_with("sessions_days");
}

bool has_timing(const population_factor& f) { return f.stopped_days_before || f.paused_days_before_each_session; }

/// The factor's object with its medicine timing added, as read_medicine_timing reads it back.
json with_timing(json object, const population_factor& f) {
  if (f.stopped_days_before) object["stopped_days_before"] = *f.stopped_days_before;
  if (f.paused_days_before_each_session) object["paused_days_before_each_session"] = *f.paused_days_before_each_session;
  return object;
}

/// The population in `root`, every problem recorded in `in` (which the caller throws).
population read_population(reader& in, const json& root, const model& model, const population_overrides& overrides) {
  population out;
  in.reject_unknown_keys(root, "", {"protocol", "interval_days", "sessions_days", "treatment", "procedure", "risk_factors",
                                    "profiles", "n", "seed", "horizon_days"});
  out.treatment = in.string(root, "", "treatment", false);
  out.procedure = in.string_list(root, "", "procedure");
  read_sessions(in, root, model, out);
  if (out.treatment.empty()) out.treatment = model.default_treatment;
  if (const json* factors = in.member(root, "", "risk_factors", false)) out.prevalences = read_prevalences(in, *factors);
  if (const json* profiles = in.member(root, "", "profiles", false)) out.profiles = read_profiles(in, *profiles);

  const auto n = read_count(in, root);
  if (overrides.n) out.n = *overrides.n;
  else if (n) out.n = *n;
  else if (!root.contains("n")) in.fail("n", "is missing (give it in the population or with -n)");
  if (const json* seed = in.member(root, "", "seed", false))
    if (auto s = read_seed(in, *seed, "seed")) out.seed = *s;
  if (overrides.seed) out.seed = *overrides.seed;
  const int last_session = out.session_days.empty() ? 0 : out.session_days.back();
  out.horizon_days = last_session + days_after_last_session;  // beyond 3650 only when the sessions reach that far
  if (const json* horizon = in.member(root, "", "horizon_days", false))
    if (auto h = read_whole(in, *horizon, "horizon_days", 0, 3650)) out.horizon_days = static_cast<int>(*h);

  // The checks see what could be read; where a field was unreadable they would only repeat it.
  const auto reported = in.problems();
  for (auto& problem : check_population(model, out))
    if (std::none_of(reported.begin(), reported.end(), [&](const auto& r) { return same_concern(r.path, problem.path); }))
      in.fail(problem.path, problem.message, problem.code);
  return out;
}

constexpr std::string_view timing_fields[] = {"stopped_days_before", "paused_days_before_each_session"};
constexpr std::size_t fewest_arms = 2, most_arms = 20;

/// Where a sweep's list is: risk_factors.<factor>.<field>.
struct timing_list {
  std::string factor;
  std::string field;
  std::vector<int> values;  ///< those that could be read
  bool ok = true;
};

/// The timing list under risk_factors, its values checked (2 to 20 whole days in [0, 3650], no
/// repeats); a second list is a conflict. Nothing when the population has none.
std::optional<timing_list> find_timing_list(reader& in, const json& root) {
  std::optional<timing_list> found;
  if (!root.is_object() || !root.contains("risk_factors") || !root["risk_factors"].is_object()) return found;
  for (const auto& [id, factor] : root["risk_factors"].items()) {
    if (!factor.is_object()) continue;
    for (const auto field : timing_fields) {
      if (!factor.contains(field) || !factor[field].is_array()) continue;
      const std::string path = member_path(member_path("risk_factors", id), field);
      if (found) {
        in.fail(path, "is a second list; a sweep varies one timing, and " + member_path(member_path("risk_factors", found->factor), found->field) +
                          " is already a list (give this one a single value)",
                problem_code::conflict);
        continue;
      }
      timing_list list{id, std::string(field), {}, true};
      const json& values = factor[field];
      if (values.size() < fewest_arms || values.size() > most_arms) {
        in.fail(path, "has " + std::to_string(values.size()) + " values, but a sweep takes 2 to 20", problem_code::out_of_range);
        list.ok = false;
      }
      for (std::size_t k = 0; k < values.size(); ++k) {
        const auto d = read_whole(in, values[k], index_path(path, k), 0, 3650);
        if (!d) {
          list.ok = false;
          continue;
        }
        const auto day = static_cast<int>(*d);
        if (const auto seen = std::find(list.values.begin(), list.values.end(), day); seen != list.values.end()) {
          in.fail(index_path(path, k), "is " + std::to_string(day) + " again; each value of a sweep must differ", problem_code::conflict);
          list.ok = false;
          continue;
        }
        list.values.push_back(day);
      }
      found = std::move(list);
    }
  }
  return found;
}

/// `root` with every timing list under risk_factors replaced: `list`'s by `value` (or removed
/// when there is none), any other by its first element, so that the rest can be read as usual.
json with_scalar_timing(json root, const timing_list& list, std::optional<int> value) {
  for (auto& [id, factor] : root["risk_factors"].items()) {
    if (!factor.is_object()) continue;
    for (const auto field : timing_fields) {
      if (!factor.contains(field) || !factor[field].is_array()) continue;
      const std::string key(field);
      if (id == list.factor && field == list.field) {
        if (value) factor[key] = *value;
        else factor.erase(key);
      } else if (factor[key].empty()) {
        factor.erase(key);
      } else {
        factor[key] = json(factor[key].front());
      }
    }
  }
  return root;
}

}  // namespace

population parse_population(std::string_view json_text, const model& model, std::string_view source, const population_overrides& overrides) {
  const json root = io::parse_json_text(json_text, source);
  reader in;
  population out;
  if (in.expect_object(root, "")) out = read_population(in, root, model, overrides);
  in.set_source(source);
  in.throw_if_failed();
  return out;
}

std::vector<population> parse_population_sweep(std::string_view json_text, const model& model, std::string_view source,
                                               const population_overrides& overrides) {
  const json root = io::parse_json_text(json_text, source);
  reader in;
  std::vector<population> arms;
  if (!in.expect_object(root, "")) {
    in.set_source(source);
    in.throw_if_failed();
  }
  const auto list = find_timing_list(in, root);
  if (!list) {
    arms.push_back(read_population(in, root, model, overrides));
  } else {
    // The first arm is read with the list's problems, so that every problem is named at once.
    const std::optional<int> first = list->values.empty() ? std::nullopt : std::optional(list->values.front());
    arms.push_back(read_population(in, with_scalar_timing(root, *list, first), model, overrides));
    if (in.ok() && list->ok)
      for (std::size_t k = 1; k < list->values.size(); ++k)
        arms.push_back(read_population(in, with_scalar_timing(root, *list, list->values[k]), model, overrides));
  }
  in.set_source(source);
  in.throw_if_failed();
  return arms;
}

population_sweep_axis sweep_axis(const std::vector<population>& arms) {
  if (arms.size() < 2) throw std::invalid_argument("sweep_axis: a sweep has at least two arms");
  const auto& a = arms[0].prevalences;
  const auto& b = arms[1].prevalences;
  for (std::size_t g = 0; g < a.size() && g < b.size(); ++g) {
    const bool stopped = a[g].factor.stopped_days_before != b[g].factor.stopped_days_before;
    const bool paused = a[g].factor.paused_days_before_each_session != b[g].factor.paused_days_before_each_session;
    if (!stopped && !paused) continue;
    population_sweep_axis axis{a[g].factor.id, std::string(timing_fields[stopped ? 0 : 1]), {}};
    for (const auto& arm : arms) {
      const auto& f = arm.prevalences.at(g).factor;
      axis.values.push_back((stopped ? f.stopped_days_before : f.paused_days_before_each_session).value_or(0));
    }
    return axis;
  }
  throw std::invalid_argument("sweep_axis: the arms do not differ in a risk factor's medicine timing");
}

std::string to_json(const population& p, int indent) {
  json out = json::object();
  if (p.protocol.empty()) out["sessions_days"] = p.session_days;
  else out["protocol"] = p.protocol;
  if (!p.protocol.empty() && p.session_days.size() > 1) out["interval_days"] = p.session_days[1] - p.session_days[0];
  out["treatment"] = p.treatment;
  out["procedure"] = p.procedure;
  if (!p.profiles.empty()) {
    json profiles = json::array();
    for (const auto& profile : p.profiles) {
      json factors = json::array();
      for (const auto& f : profile.risk_factors) factors.push_back(has_timing(f) ? with_timing(json{{"id", f.id}}, f) : json(f.id));
      profiles.push_back({{"name", profile.name}, {"weight", profile.weight}, {"risk_factors", std::move(factors)}});
    }
    out["profiles"] = std::move(profiles);
  } else {
    json factors = json::object();
    for (const auto& [f, share] : p.prevalences)
      factors[f.id] = has_timing(f) ? with_timing(json{{"prevalence", share.value()}}, f) : json(share.value());
    out["risk_factors"] = std::move(factors);
  }
  out["n"] = p.n;
  out["seed"] = p.seed;
  out["horizon_days"] = p.horizon_days;
  return out.dump(indent);
}

}  // namespace aftermath::io

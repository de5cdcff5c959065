// Personalisation: the model's numbers with this patient's modifiers applied, per session.
#include <aftermath/profile.hpp>

#include "checks.hpp"
#include "find_by_id.hpp"
#include "kinds.hpp"
#include "messages.hpp"
#include "wording.hpp"

#include <aftermath/error.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cmath>

namespace aftermath {
namespace {

/// A modifier (or the treatment) as it acts at one session: its adjustments and what is left
/// of its effect there (1 for a standing factor).
struct acting_modifier {
  const std::vector<target_adjustment>* targets;
  double weight;
};

const target_adjustment* adjustment_for(const std::vector<target_adjustment>& targets, std::string_view id) {
  return detail::find_by(targets, id, &target_adjustment::target);
}

double value_or_one(const std::optional<parameter>& p) { return p ? p->value : 1.0; }

/// Effect left at a session `days_since_stop` days after the patient stopped the medicine.
double washout_weight(const modifier_spec& modifier, const std::optional<date>& stopped_on, date session) {
  if (!stopped_on || !modifier.washout_days) return 1.0;
  const double since = static_cast<double>((session - *stopped_on).days());
  if (since <= 0.0) return 1.0;
  return std::max(0.0, 1.0 - since / modifier.washout_days->value);
}

std::vector<std::vector<acting_modifier>> modifiers_per_session(const model& model, const profile& profile,
                                                                const treatment_spec& treatment) {
  const auto factors = detail::counted_factors(model, profile.risk_factors);
  std::vector<std::vector<acting_modifier>> per_session;
  for (const auto& session : profile.sessions) {
    std::vector<acting_modifier> acting{{&treatment.targets, 1.0}};
    for (const auto& factor : factors) {
      const auto& modifier = *model.find_modifier(factor.id);
      acting.push_back({&modifier.targets, washout_weight(modifier, factor.stopped_on, session.day)});
    }
    for (const auto& id : profile.procedure) acting.push_back({&model.find_modifier(id)->targets, 1.0});
    per_session.push_back(std::move(acting));
  }
  return per_session;
}

struct combined_adjustment {
  double log_odds = 0.0;
  double peak = 1.0;
  double duration = 1.0;
};

combined_adjustment combine(const std::vector<acting_modifier>& acting, std::string_view target) {
  combined_adjustment out;
  for (const auto& modifier : acting) {
    const auto* adjustment = adjustment_for(*modifier.targets, target);
    if (!adjustment) continue;
    out.log_odds += modifier.weight * std::log(value_or_one(adjustment->odds_ratio));
    out.peak *= std::pow(value_or_one(adjustment->peak_multiplier), modifier.weight);
    out.duration *= std::pow(value_or_one(adjustment->duration_multiplier), modifier.weight);
  }
  return out;
}

bateman_curve curve_of(const curve_spec& spec) {
  return bateman_curve::from_clinical(days(spec.lag_days.value), days(spec.time_to_peak_days.value),
                                      days(spec.half_life_days.value));
}

effect_course personalise_effect(const effect_spec& spec, const std::vector<days>& starts,
                                 const std::vector<std::vector<acting_modifier>>& acting) {
  effect_course course{spec.id, spec.name, spec.text, curve_of(spec.curve), spec.peak_sd.value,
                       spec.healing_time_sd.value, {}};
  const auto base = probability::checked(spec.incidence.value);
  for (std::size_t j = 0; j < starts.size(); ++j) {
    const auto adjustment = combine(acting[j], spec.id);
    course.sessions.push_back({starts[j], shift_log_odds(base, adjustment.log_odds),
                               spec.typical_peak.value * adjustment.peak, adjustment.duration});
  }
  return course;
}

results_course personalise_results(const results_spec& spec, const std::vector<days>& starts) {
  results_course course{spec.name, spec.text, curve_of(spec.curve), starts, {}};
  double gain = spec.first_gain.value;
  for (std::size_t j = 0; j < starts.size(); ++j, gain *= spec.repeat_gain_ratio.value) course.gains.push_back(gain);
  return course;
}

risk_course personalise_risk(const risk_spec& spec, const std::vector<std::vector<acting_modifier>>& acting) {
  risk_course course{spec.id, spec.name, spec.text, {}, days(spec.onset_from_days.value), days(spec.onset_to_days.value)};
  const auto base = probability::checked(spec.probability.value);
  for (const auto& at_session : acting) course.per_session.push_back(shift_log_odds(base, combine(at_session, spec.id).log_odds));
  return course;
}

std::vector<aftercare_entry> place_aftercare(const model& model, const std::vector<days>& starts) {
  std::vector<aftercare_entry> out;
  for (const auto& item : model.aftercare) {
    const std::string text = detail::aftercare_text(model, item);
    switch (item.kind) {
      case aftercare_kind::avoid:
        for (std::size_t j = 0; j < starts.size(); ++j)
          out.push_back({item.id, text, item.kind, static_cast<int>(j + 1), starts[j], starts[j] + days(item.days->value)});
        break;
      case aftercare_kind::advice:
        out.push_back({item.id, text, item.kind, 0, days(0.0), days(0.0)});
        break;
      case aftercare_kind::follow_up: {
        const days on = starts.back() + days(item.days->value);
        out.push_back({item.id, text, item.kind, static_cast<int>(starts.size()), on, on});
        break;
      }
    }
  }
  return out;
}

}  // namespace

namespace {

const session_date& first_session(const profile& profile) {
  if (profile.sessions.empty()) throw input_error("sessions", "at least one session is needed");
  return profile.sessions.front();
}

int minute_of(const session_date& session, const std::string& path) {
  const int minute = session.minute_of_day.value_or(0);
  if (minute < 0 || minute > 1439)
    throw input_error(path, "minute_of_day " + std::to_string(minute) + ", but must be in [0, 1439]", problem_code::out_of_range);
  return minute;
}

}  // namespace

days days_since_first(const profile& profile, const session_date& session) {
  const auto& first = first_session(profile);
  minute_of(first, "sessions[0].time");
  minute_of(session, "session.time");
  double offset = static_cast<double>((session.day - first.day).days());
  // A session without a time of day counts from the start of its day.
  offset += (session.minute_of_day.value_or(0) - first.minute_of_day.value_or(0)) / 1440.0;
  return days(offset);
}

date date_after_first(const profile& profile, days offset) {
  const auto& first = first_session(profile);
  if (!(std::isfinite(offset.count()) && std::abs(offset.count()) <= 2 * max_course_days))
    throw input_error("offset", detail::format_number(offset.count()) + " days, but must be within " + std::to_string(2 * max_course_days) +
                                    " days of the first session", problem_code::out_of_range);
  const double since_midnight = offset.count() + minute_of(first, "sessions[0].time") / 1440.0;
  return first.day + boost::gregorian::days(static_cast<long>(std::floor(since_midnight + 1e-9)));
}

std::string iso_date(date day) { return boost::gregorian::to_iso_extended_string(day); }

personal_course personalise(const model& model, const profile& profile) {
  if (auto problems = check_profile(model, profile); !problems.empty()) throw input_error(std::move(problems));
  const auto& treatment = *model.find_treatment(profile.treatment.empty() ? model.default_treatment : profile.treatment);

  personal_course course;
  course.model_id = model.id;
  course.model_version = model.version;
  course.notice = model.notice;
  course.treatment = treatment.id;
  course.visible_threshold = severity::checked(model.visible_threshold.value);
  course.resolved_threshold = severity::checked(model.resolved_threshold.value);
  for (const auto& session : profile.sessions) course.session_starts.push_back(days_since_first(profile, session));

  const auto acting = modifiers_per_session(model, profile, treatment);
  for (const auto& effect : model.effects) course.effects.push_back(personalise_effect(effect, course.session_starts, acting));
  course.results = personalise_results(model.results, course.session_starts);
  for (const auto& risk : model.risks) course.risks.push_back(personalise_risk(risk, acting));
  course.aftercare = place_aftercare(model, course.session_starts);
  return course;
}

}  // namespace aftermath

namespace aftermath {
namespace {

using detail::known_ids;

// Projections reach ten years past a session; these keep every derived date on the calendar.
const date earliest_supported(1900, 1, 1);
const date latest_supported(2199, 12, 31);

void check_modifier_list(const model& model, const std::vector<std::string>& ids, const std::string& list,
                         modifier_category wanted, std::vector<input_problem>& problems) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string path = list + "[" + std::to_string(i) + "]";
    if (ids[i].empty()) {  // an unreadable entry reads as empty too; the reader keeps its own report
      problems.push_back({path, "is empty, but must be a modifier id", problem_code::malformed});
      continue;
    }
    detail::check_modifier_id(model, ids[i], path, wanted, true, problems);
    for (std::size_t k = 0; k < i; ++k)
      if (ids[k] == ids[i]) problems.push_back({path, "'" + ids[i] + "' is listed twice", problem_code::conflict});
  }
}

}  // namespace

std::vector<input_problem> check_profile(const model& model, const profile& profile) {
  std::vector<input_problem> problems;
  if (!profile.treatment.empty() && !model.find_treatment(profile.treatment))
    problems.push_back({"treatment", "unknown treatment '" + profile.treatment + "' (known: " + known_ids(model.treatments) + ")",
                        problem_code::unknown_id});
  // Any protocol may be named: a plan may follow another treatment's schedule, as plan() allows.
  if (!profile.protocol.empty() && !model.find_protocol(profile.protocol))
    problems.push_back({"protocol", "unknown protocol '" + profile.protocol + "' (known: " + known_ids(model.protocols) + ")",
                        problem_code::unknown_id});

  std::vector<std::string> factor_ids;
  for (const auto& factor : profile.risk_factors) factor_ids.push_back(factor.id);
  check_modifier_list(model, factor_ids, "risk_factors", modifier_category::patient, problems);
  for (std::size_t i = 0; i < profile.risk_factors.size(); ++i) {
    const auto& factor = profile.risk_factors[i];
    if (const auto* modifier = model.find_modifier(factor.id); modifier && factor.stopped_on)
      detail::check_stop_has_washout(*modifier, "risk_factors[" + std::to_string(i) + "].stopped_on", "date", problems);
  }
  check_modifier_list(model, profile.procedure, "procedure", modifier_category::procedure, problems);

  if (profile.sessions.empty()) problems.push_back({"sessions", "at least one session is needed"});
  for (std::size_t i = 0; i < profile.sessions.size(); ++i) {
    const auto& session = profile.sessions[i];
    const std::string path = "sessions[" + std::to_string(i) + "]";
    if (session.day < earliest_supported || session.day > latest_supported)
      problems.push_back({path, iso_date(session.day) + " is outside the supported years 1900-2199", problem_code::out_of_range});
    else if (const auto span = (session.day - profile.sessions.front().day).days(); span > max_course_days)
      problems.push_back({path, iso_date(session.day) + " is " + std::to_string(span) + " days after the first session, but a course spans at most " +
                                    std::to_string(max_course_days) + " days (ten years)",
                          problem_code::out_of_range});
    if (session.minute_of_day && (*session.minute_of_day < 0 || *session.minute_of_day > 1439))
      problems.push_back({path + ".time", "minute_of_day " + std::to_string(*session.minute_of_day) + ", but must be in [0, 1439]",
                          problem_code::out_of_range});
  }
  const auto& sessions = profile.sessions;
  const auto later = [&](std::size_t i) {
    return sessions[i].day > sessions[i - 1].day ||
           (sessions[i].day == sessions[i - 1].day && sessions[i].minute_of_day.value_or(0) > sessions[i - 1].minute_of_day.value_or(0));
  };
  detail::check_session_order(sessions.size(), "sessions", later, [&](std::size_t i) { return iso_date(sessions[i].day); },
                              "; list sessions in order", problems);
  return problems;
}

}  // namespace aftermath

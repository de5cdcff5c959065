// aftermath: a patient's profile and its sessions on the calendar.
//
// A profile names the treatment, the patient's risk factors (modifier ids, some with the date
// the patient stopped a medicine), procedure modifiers, the session dates and, optionally, the
// protocol the course follows. `personalise`
// applies it to a model: modifiers combine on the log-odds scale for incidence and
// multiplicatively on peak and duration, each weighted by what is left of its effect at the
// session (1 for a standing factor; max(0, 1 − s/washout) s days after stopping a medicine).
// Dates live here, at the edge; the personal course works in days since the first session.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/course.hpp>
#include <aftermath/error.hpp>
#include <aftermath/model.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <optional>
#include <string>
#include <vector>

namespace aftermath {

using date = boost::gregorian::date;

/// A session on the calendar; `minute_of_day` (0–1439, checked wherever a session is used) when
/// the time is known. A session without a time counts from the start of its day.
struct session_date {
  date day;
  std::optional<int> minute_of_day;
};

/// A risk factor as given: a modifier id and, for a medicine, when the patient stopped it. A
/// session on or before `stopped_on` counts as taken with the medicine, so a stop after the
/// last session changes nothing: `parse_profile` and `validate` refuse it as a likely mistake
/// (a plan may model a stop between the sessions done and those it plans).
struct risk_factor {
  std::string id;
  std::optional<date> stopped_on;
};

struct profile {
  std::string patient;    ///< opaque, echoed back
  std::string treatment;  ///< empty: the model's default treatment
  std::vector<risk_factor> risk_factors;
  std::vector<std::string> procedure;
  std::vector<session_date> sessions;  ///< ascending; day 0 is the first session
  /// The protocol the course follows, whose recovery gate its sessions are checked against
  /// (recovery_gate.hpp); empty: the model's first protocol for the treatment.
  std::string protocol;
};

/// Every problem with the profile against this model, each with its path: unknown treatment,
/// protocol, modifier or procedure ids (with the known ones listed), a modifier in the wrong list, a
/// `stopped_on` for a modifier without a washout, sessions missing,
/// out of order, outside 1900–2199, more than `max_course_days` after the first, or with a
/// minute_of_day outside 0–1439.
[[nodiscard]] std::vector<input_problem> check_profile(const model& model, const profile& profile);

/// Applies the model to the profile. Throws input_error naming every unknown treatment,
/// modifier, misplaced category or impossible combination, with its profile path.
[[nodiscard]] personal_course personalise(const model& model, const profile& profile);

/// Days from the first session to `session` (fractions from times of day). Throws input_error
/// when the profile has no session or a minute_of_day is outside 0–1439.
[[nodiscard]] days days_since_first(const profile& profile, const session_date& session);

/// The calendar date `offset` days after the first session (time of day included). Throws
/// input_error when the profile has no session or `offset` is not within twice
/// `max_course_days` of it.
[[nodiscard]] date date_after_first(const profile& profile, days offset);

/// YYYY-MM-DD.
[[nodiscard]] std::string iso_date(date day);

}  // namespace aftermath

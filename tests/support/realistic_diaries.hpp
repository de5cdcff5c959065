// Symptom diaries as a clinic's patients keep them, for the assessment's statistics: on a diary
// schedule after the last session, in whole numbers (a fading bruise at 0.6 is written "1"),
// and only what they notice (a symptom that rounds to 0 is not written down). Patients are
// drawn from the model itself (simulated_patients.hpp) with the risk profile and sessions
// given; the clinic's app assesses the diary after every entry with everything written so far.
#pragma once

#include "simulated_patients.hpp"

#include <aftermath/assessment.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace aftermath::testing {

struct diary_habits {
  std::vector<double> days_after_last_session = {1.0, 2.0, 4.0, 7.0, 10.0, 14.0};
  bool whole_numbers = true;   ///< ratings rounded to 0–10
  bool only_noticed = true;    ///< a rating of 0 is not written down
  bool says_nothing_else = false;  ///< each entry says the patient was asked about every symptom
};

/// The reports written down on one diary day.
struct diary_entry {
  double day = 0.0;  ///< since the first session
  std::vector<symptom_report> reports;
};

/// The patient's rating of an effect on a day: the true severity with reporting noise, kept in
/// 0–10, rounded when the patient rates in whole numbers.
inline double rating_of(const simulated_effect& e, double day, double noise_sd, bool whole, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  const double felt = std::min(10.0, e.curve.severity(day) * std::exp(noise_sd * normal(rng)));
  return whole ? std::round(felt) : felt;
}

/// The patient's diary, one entry per diary day (an entry may be empty).
inline std::vector<diary_entry> keep_diary(const simulated_patient& p, double last_session, double noise_sd,
                                           const diary_habits& habits, std::mt19937_64& rng) {
  std::vector<diary_entry> diary;
  for (double after : habits.days_after_last_session) {
    diary_entry entry{last_session + after, {}};
    for (const auto& e : p.effects) {
      if (!e.occurred() && habits.only_noticed) continue;
      const double rating = e.occurred() ? rating_of(e, entry.day, noise_sd, habits.whole_numbers, rng) : 0.0;
      if (habits.only_noticed && rating < 0.5) continue;
      symptom_report report{days(entry.day), e.effect->id, rating, {}};
      report.scale = habits.whole_numbers ? rating_scale::whole_0_10 : rating_scale::real_0_10;
      entry.reports.push_back(std::move(report));
    }
    if (habits.says_nothing_else) {
      symptom_report nothing{days(entry.day), "", 0.0, {}};
      nothing.nothing_else = true;
      entry.reports.push_back(std::move(nothing));
    }
    diary.push_back(std::move(entry));
  }
  return diary;
}

/// What the app told the patient over the diary: the assessment after each entry.
struct diary_outcome {
  int contact_or_higher = 0;  ///< answers at contact_provider or higher
  bool alerted() const { return contact_or_higher > 0; }
};

inline diary_outcome follow_diary(const model& m, const personal_course& course, const std::vector<diary_entry>& diary) {
  diary_outcome outcome;
  std::vector<symptom_report> written;
  for (const auto& entry : diary) {
    written.insert(written.end(), entry.reports.begin(), entry.reports.end());
    if (entry.reports.empty()) continue;  // nothing written that day: nothing to assess
    if (assess(m, course, written).triage >= triage_level::contact_provider) ++outcome.contact_or_higher;
  }
  return outcome;
}

}  // namespace aftermath::testing

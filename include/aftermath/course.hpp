// aftermath: one patient's course, personalised and free of calendar dates.
//
// `personalise` (profile.hpp) turns a model, a profile and its sessions into this: per effect
// and per session, the chance the effect occurs, its typical amplitude and its time scale with
// the patient's modifiers applied; the spread between patients (η_A on peak, η_T on healing
// time); the results curve's gains; the rare risks; the aftercare windows. Times are days since
// the first session. For a patient in whom effect e occurs after the sessions in set U,
//
//   S(t) = min(10, e^{η_A} · Σ_{j∈U} A_j · shape((t − t_j) / (s_j · e^{η_T})))
//
// with η_A ~ N(0, σ_A²) shared by all sessions, η_T = σ_T·z where z ~ N(0, 1) is the patient's
// healing-time term, shared by all sessions and all effects (someone who heals slowly heals
// everything slowly; per effect the marginals, and so every projection, are unchanged), and each
// session's occurrence independent with probability p_j, where logit p_j = logit p0 + Σ_k log(OR_k)·w_kj.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/curve.hpp>
#include <aftermath/model.hpp>
#include <aftermath/units.hpp>

#include <string>
#include <vector>

namespace aftermath {

/// A course's sessions lie within ten years of its first; a horizon given by the caller may reach
/// as far. The default horizon is the last session plus `days_after_last_session`, so it may
/// reach ten years and 30 days: a limit applies to what the caller wrote, never to a default.
inline constexpr int max_course_days = 3650;
inline constexpr int days_after_last_session = 30;

/// One effect after one session, for this patient.
struct session_term {
  days start;              ///< session time, days since the first session
  probability occurrence;  ///< chance the effect occurs after this session
  double amplitude = 0.0;  ///< typical peak severity (η_A = 0), before the 10-point cap
  double time_scale = 1.0; ///< duration multiplier (η_T = 0)
};

struct effect_course {
  std::string id;
  std::string name;
  std::string text;
  bateman_curve shape;   ///< unit time scale; lag included
  double peak_sd = 0.0;  ///< σ_A
  double healing_time_sd = 0.0;  ///< σ_T
  std::vector<session_term> sessions;
};

struct results_course {
  std::string name;
  std::string text;
  bateman_curve shape;
  std::vector<days> starts;
  std::vector<double> gains;  ///< per session, diminishing
};

struct risk_course {
  std::string id;
  std::string name;
  std::string text;
  std::vector<probability> per_session;
  days onset_from;  ///< after a session
  days onset_to;
};

/// An aftercare item placed on the course: a window after a session, advice, or the follow-up.
struct aftercare_entry {
  std::string id;
  std::string text;
  aftercare_kind kind = aftercare_kind::advice;
  int session = 0;  ///< 1-based session the window follows; 0 for advice
  days from;
  days until;       ///< for a follow-up, its day
};

struct personal_course {
  std::string model_id;
  std::string model_version;
  std::string notice;
  std::string treatment;
  severity visible_threshold;   ///< severity at which an effect counts as visible
  severity resolved_threshold;  ///< severity below which, for good, it counts as resolved
  std::vector<days> session_starts;
  std::vector<effect_course> effects;
  results_course results;
  std::vector<risk_course> risks;
  std::vector<aftercare_entry> aftercare;
};

}  // namespace aftermath

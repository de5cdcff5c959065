// The recovery gate's one rule, private to the core: what a session on a day leaves behind for
// one patient, and whether and when the gate after it is met. The planner asks it where the next
// session may go (plan_gate.cpp); gate_breaches asks it whether a given course's sessions came
// too soon (recovery_gate.cpp). Both ask the same object the same question, so a plan never
// breaches its own gate and a course the planner would refuse is always warned about.
#pragma once

#include "effect_engine.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/recovery_gate.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aftermath::detail {

/// The longest recovery gate reported; a patient whose effects take longer has a conflict anyway.
constexpr int longest_gate_days = 365;
constexpr int quadrature_nodes = 40;

/// The first whole day g ≥ 1 with f(g) ≤ level, for f falling in g (doubling, then bisection);
/// longest_gate_days when f stays above the level that long.
template <typename F>
int first_day_below(const F& f, double level) {
  int low = 0, high = 1;
  while (f(high) > level && high < longest_gate_days) low = high, high = std::min(2 * high, longest_gate_days);
  while (high - low > 1) {
    const int mid = (low + high) / 2;
    (f(mid) > level ? low : high) = mid;
  }
  return high;
}

/// The course for these sessions, with what an assessment learnt of this patient's healing: its
/// estimate of the healing term z ~ N(mean, sd²) replaces the population's N(0, 1).
personal_course course_for(const model& model, const profile& sessions, const std::optional<healing_estimate>& healing);
std::vector<effect_engine> engines_for(const personal_course& course);

/// What one session on a day leaves behind, on the quadrature grid: its effects' engines and,
/// by whole days after it, Σ_e P(e occurred and is unresolved) over every effect (how far the
/// session reaches) and the same sum over the gate's effects at the gate's threshold (what the
/// gate asks), the latter on engines of its own (see gate_keeper::days_needed). The effect terms
/// change with the day only while a stopped medicine wears off, so one entry serves every day
/// otherwise.
struct session_aftermath {
  personal_course course;
  std::vector<effect_engine> engines;
  std::vector<effect_engine> gate_engines;  ///< the gate's effects, asked only by days_needed
  std::map<int, double> unresolved;
  std::map<int, double> unmet;
  std::map<int, double> clear_alone;  ///< chance of no visible effect, by whole days to an event
  std::optional<int> gate;
  bool gate_within_reach = true;  ///< met within longest_gate_days days
  std::optional<int> reach;
};

/// One patient under one recovery gate.
class gate_keeper {
 public:
  /// `patient` gives the treatment, risk factors (with stops) and procedure; its sessions are
  /// ignored. Throws input_error for a gate check_gate refuses.
  gate_keeper(const model& model, recovery_gate gate, const profile& patient, std::optional<healing_estimate> healing);

  const recovery_gate& gate() const { return gate_; }
  /// Whether the gate is the one every protocol had before they stated their own: every effect
  /// resolved (its reasons then read as they always did).
  bool resolves_everything() const;

  /// The session on `day` alone, remembered.
  session_aftermath& aftermath_of(date day);
  /// The rule: whether the gate after a session on `previous` is met by `day`, that is whether
  /// `day` is at least days_needed(previous) days later (beyond a year: whether the sum is met
  /// that day).
  bool met(date previous, date day);
  /// Whole days after a session on `day` until it is met (1–365): the first whole day g ≥ 1 with
  /// Σ over the gate's effects of P(occurred, not below the threshold for good by g) ≤ 1 − c,
  /// found by doubling and bisection. An engine's answers depend, within its error bound, on
  /// the times asked of it before (it moves laws it has built rather than rebuild them), so the
  /// sums come from engines that answer nothing else, asked in the one order the search takes:
  /// the answer depends on nothing but the patient, the gate and the day, and the planner and
  /// gate_breaches cannot differ by what else they asked first.
  int days_needed(date day);
  /// Whole days after a session on `day` beyond which its effects cannot matter (the sum over
  /// every effect below 1e-6): later questions leave it out.
  int reach_after(date day);

 private:
  double unmet(session_aftermath& a, int days_after);
  double unresolved(session_aftermath& a, int days_after);

  const model& model_;
  recovery_gate gate_;
  profile patient_;
  std::optional<healing_estimate> healing_;
  std::vector<std::size_t> gated_;  ///< the indices of the effects the gate looks at
  bool stopped_medicine_ = false;
  std::map<date, std::unique_ptr<session_aftermath>> cache_;
};

/// The gate's requirement in the model's words (wording.gate): "every side effect of session 2
/// no more than mild (below 4.5 on the 0-10 scale), with 95 % confidence".
std::string gate_requirement_text(const model& model, const recovery_gate& gate, int previous);

}  // namespace aftermath::detail

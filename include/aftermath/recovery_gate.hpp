// aftermath: the recovery gate, what a protocol requires before its next session.
//
// A protocol states its gate as data (model.hpp, gate_spec): each effect it looks at (every
// effect, or those it lists) must have fallen for good below a threshold, the model's resolved
// threshold (`resolved`), the assessment's `moderate_from` (`at_most_mild`: no more than mild) or
// the visible threshold (`not_visible`), with a confidence c for this patient. After a session on
// day d, taken alone, the gate is met g whole days later when
//     Σ_e P(e occurred after that session and is not below the threshold for good by g) ≤ 1 − c,
// summed over the effects it looks at: a union bound, so it holds whatever the correlation
// between effects. Each term is what the projection's unresolved_chance computes (within the
// engine's error bound) at the gate's threshold, for this patient's risk factors and any
// medicine stop at d. A protocol without a gate has the gate
// every protocol had before they stated their own: every effect resolved, with
// planning.recovery_confidence.
//
// One rule decides both questions asked of it: `plan` places each session no sooner than the
// gate after the session before is met, and `gate_breaches` names each session of a given course
// that came sooner. A plan's sessions therefore never breach its protocol's gate, and a course
// the planner would refuse is always warned about.
//
// Days are whole calendar days between session dates (a time of day does not count), as the
// plan's are; a gate not met within 365 days reads as 365.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/error.hpp>
#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/units.hpp>

#include <string>
#include <vector>

namespace aftermath {

/// A protocol's gate with the model's numbers filled in.
struct recovery_gate {
  std::string protocol;  ///< the protocol it belongs to; may be empty for a gate built by hand
  gate_requirement require = gate_requirement::resolved;
  severity threshold;                ///< an effect meets the gate once below this for good
  std::vector<std::string> effects;  ///< effect ids it looks at; empty: every effect
  probability confidence;            ///< in (0, 1)
};

/// The gate of `protocol`: its requirement's threshold from the model (severity_scale.resolved,
/// assessment.moderate_from or severity_scale.visible) and its confidence, or
/// planning.recovery_confidence when it names none; for a protocol without a gate, every effect
/// resolved with planning.recovery_confidence.
[[nodiscard]] recovery_gate gate_of(const model& model, const protocol_spec& protocol);

/// The protocol a profile's course is held to: the profile's `protocol` when it names one, else
/// the first of the model's protocols for the profile's treatment (the model's default treatment
/// when it names none); nullptr when there is none (or the named one is unknown).
[[nodiscard]] const protocol_spec* protocol_for(const model& model, const profile& profile);

/// Every problem with a gate against the model, each with its path (`gate.…`): a threshold
/// outside (0, 10], a confidence outside (0, 1), an effect the model does not have.
[[nodiscard]] std::vector<input_problem> check_gate(const model& model, const recovery_gate& gate);

/// Whole days after a session on `session` until `gate` is met for this patient (1–365): the
/// patient's treatment, risk factors (with their stops) and procedure come from `patient`, whose
/// sessions are ignored. Throws input_error for a gate check_gate refuses or a profile
/// check_profile refuses (its sessions aside).
[[nodiscard]] int gate_days(const model& model, const profile& patient, const recovery_gate& gate, date session);

/// Each session after the first that comes before `gate` allows, in order: the session, the days
/// since the one before, the days the gate needs after it for this patient, the requirement, and
/// the model's sentence for it (wording.gate.warning). Throws input_error for a gate check_gate
/// refuses or a profile check_profile refuses.
[[nodiscard]] std::vector<gate_breach> gate_breaches(const model& model, const profile& profile, const recovery_gate& gate);

/// The same under the gate of protocol_for(model, profile); none when no protocol applies.
[[nodiscard]] std::vector<gate_breach> gate_breaches(const model& model, const profile& profile);

/// project(personalise(model, profile), options) with the course's gate warnings:
/// `gate_warnings` is gate_breaches(model, profile).
[[nodiscard]] projection project(const model& model, const profile& profile, const projection_options& options = {});

}  // namespace aftermath

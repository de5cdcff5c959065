// aftermath: the clinic's own details, laid over a model without changing it.
//
// A clinic gives its name, phone numbers and address, and may reword or translate any sentence
// of the model's wording (the leaflet's, the chart's, the plan's, the dates'). The evidence model
// stays as published; the leaflet and the plan read the clinic's numbers and words. The overlay
// file is read by parse_clinic in io/json.hpp.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/model.hpp>

#include <optional>
#include <string>

namespace aftermath {

struct clinic {
  std::string name;
  std::string phone;               ///< the number patients call; the leaflet gives it with every level of help
  std::string out_of_hours_phone;  ///< empty when the clinic gives none
  std::string address;
  /// The model's wording with the clinic's overrides in place; empty: the model's own.
  std::optional<wording_spec> wording;

  [[nodiscard]] bool has_contact() const { return !phone.empty(); }
};

/// The words a clinic's outputs use: its overrides if it has any, else the model's.
[[nodiscard]] inline const wording_spec& wording_for(const model& model, const clinic& clinic) {
  return clinic.wording ? *clinic.wording : model.wording;
}

/// The model with the clinic's wording in place of its own, for the services that read the
/// wording from the model (the plan).
[[nodiscard]] inline model with_clinic_wording(model model, const clinic& clinic) {
  if (clinic.wording) model.wording = *clinic.wording;
  return model;
}

/// "Your clinic: {name}, {phone}." in the wording's words; empty for a clinic without a phone.
[[nodiscard]] std::string contact_line(const clinic& clinic, const wording_spec& wording);

}  // namespace aftermath

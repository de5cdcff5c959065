// The patient that project, assess and leaflet read: a profile document (--profile) or a clinic
// system's FHIR R4 resources (--fhir, docs/fhir.md), with what the mapping did not use on stderr.
#pragma once

#include "common_options.hpp"

#include <aftermath/io/fhir.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace aftermath::cli {

struct patient_files {
  std::string profile;
  std::string fhir;
};

struct patient_input {
  aftermath::profile profile;
  std::vector<symptom_report> fhir_reports;  ///< the reports the FHIR resources held
  fhir_context fhir;                         ///< the patient and the unused resources, for FHIR output
};

inline void add_patient_options(CLI::App& command, patient_files& files) {
  auto* profile = command.add_option("--profile", files.profile, "Profile file (JSON), or - for stdin");
  auto* fhir = command.add_option("--fhir", files.fhir,
                                  "The patient's FHIR R4 resources (a Bundle, a resource or an array, JSON), or - for stdin; docs/fhir.md");
  profile->excludes(fhir);
}

/// The patient from whichever file was given; each resource the FHIR mapping did not use is
/// named on stderr, so that nothing is left out unseen.
inline patient_input load_patient(const patient_files& files, const model& model) {
  patient_input input;
  if (files.fhir.empty()) {
    if (files.profile.empty()) throw input_error("--profile", "give the patient: --profile F, or --fhir F for FHIR R4 resources");
    input.profile = parse_profile(read_input(files.profile, "--profile"), model, files.profile);
    return input;
  }
  auto mapped = parse_fhir(read_input(files.fhir, "--fhir"), model, files.fhir);
  for (const auto& unused : mapped.unused) std::cerr << "aftermath: --fhir: not used: " << unused.resource << ": " << unused.reason << "\n";
  if (mapped.profile.sessions.empty())
    throw input_error("--fhir", "no session: no completed Procedure is coded with a treatment of the model (docs/fhir.md)",
                      problem_code::conflict);
  input.profile = std::move(mapped.profile);
  input.fhir_reports = std::move(mapped.reports);
  input.fhir.patient_reference = mapped.patient_reference;
  input.fhir.unused = std::move(mapped.unused);
  return input;
}

}  // namespace aftermath::cli

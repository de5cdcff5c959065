// The aftermath command: a thin layer over the library (README.md, "The command"; each document's
// schema in schemas/, docs/schemas.md).
// Exit status: 0 done; 2 bad input (every problem named with its path); 1 anything else.
#include <aftermath/aftermath.hpp>

#include "cds_command.hpp"
#include "common_options.hpp"
#include "leaflet_command.hpp"
#include "output_file.hpp"
#include "patient_input.hpp"
#include "schema_command.hpp"
#if AFTERMATH_WITH_SERVE
#include "serve_command.hpp"
#endif
#include "sensitivity_command.hpp"
#include "simulate_command.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

namespace {

using namespace aftermath;

using cli::add_common_options;
using cli::common_options;
using cli::exit_bad_input;
using cli::load_model;
using cli::read_input;
using cli::wants_fhir;
using cli::wants_json;

/// The sample patient of `aftermath demo`: bruise-prone, stopped aspirin three days before the
/// first of two sessions two weeks apart.
constexpr const char* demo_profile = R"({
  "patient": "demo-patient",
  "treatment": "mesotherapy_face",
  "risk_factors": ["bruise_prone", {"id": "aspirin", "stopped_on": "2026-11-28"}],
  "sessions": ["2026-12-01", "2026-12-15"]
})";

using cli::write_file;

/// How a document is printed: text, JSON or, where it has one, its FHIR R4 form.
struct output_form {
  bool json = false;
  const fhir_context* fhir = nullptr;  ///< non-null: FHIR
};

int print_projection(const model& model, const profile& profile, const projection_options& options, const std::string& svg_file,
                     output_form form) {
  const auto projected = project(model, profile, options);
  if (!svg_file.empty()) write_file(svg_file, to_svg(chart_projection(model, profile, options), profile, model.wording.chart), "--svg");
  if (form.fhir) std::cout << to_fhir(projected, profile, *form.fhir) << "\n";
  else std::cout << (form.json ? to_json(projected, profile) + "\n" : to_text(projected, profile));
  return 0;
}

/// `aftermath leaflet`: the files asked for, then their names; the Markdown on stdout otherwise.
int print_leaflet(const model& model, const profile& profile, const cli::leaflet_files& files, const clinic& clinic) {
  const auto projected = chart_projection(model, profile, {});
  // With the FHIR Bundle on stdout, what was written is said on stderr.
  std::ostream& said = files.fhir ? std::cerr : std::cout;
  for (const auto& path : cli::write_leaflet(model, profile, projected, files, clinic, std::cout)) said << "wrote " << path << "\n";
  return 0;
}

/// `aftermath demo`: the sample patient's projection, then its chart and leaflet written to
/// `out_dir` and where they went (on stderr with --format json, so that stdout stays one JSON
/// document). The projection comes first, so a directory that cannot be made costs nothing else.
int run_demo(const model& model, const std::string& out_dir, const clinic& clinic, bool json) {
  const auto profile = parse_profile(demo_profile, model, "demo profile");
  const auto projected = project(model, profile);
  std::cout << (json ? to_json(projected, profile) + "\n" : to_text(projected, profile)) << std::flush;
  const std::filesystem::path dir(out_dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw input_error("--out", "cannot create directory '" + out_dir + "': " + error.message());
  const auto written = cli::write_leaflet(model, profile, chart_projection(model, profile, {}),
                                          {(dir / "leaflet.html").string(), (dir / "leaflet.md").string()}, clinic, std::cout);
  std::ostream& where = json ? std::cerr : std::cout;
  where << "\nChart:   " << written[2] << "\nLeaflet: " << written[0] << " (one page, chart included)\n         " << written[1]
        << " (Markdown, beside the chart)\n";
  return 0;
}

/// The projection the assessment chart draws the reports on: it reaches a week past the last
/// report, so every report has its band.
projection prior_for_chart(const personal_course& course, const profile& profile, const std::vector<symptom_report>& reports) {
  days horizon = days_since_first(profile, profile.sessions.back()) + days(30);
  for (const auto& report : reports) horizon = std::max(horizon, report.day + days(7));
  return chart_projection(course, {.horizon = horizon});
}

int print_assessment(const model& model, const profile& profile, const std::vector<symptom_report>& reports, const std::string& svg_file,
                     output_form form) {
  const auto course = personalise(model, profile);
  const auto assessed = assess(model, course, reports);
  if (!svg_file.empty())
    write_file(svg_file, to_svg(assessed, prior_for_chart(course, profile, reports), profile, model), "--svg");
  if (form.fhir) std::cout << to_fhir(assessed, model, profile, *form.fhir) << "\n";
  else std::cout << (form.json ? to_json(assessed, model, profile) + "\n" : to_text(assessed, model, profile));
  return 0;
}

/// The reports to assess: the --reports file, or those the --fhir resources hold.
std::vector<symptom_report> reports_to_assess(const model& model, const cli::patient_files& patient_files, const cli::patient_input& patient,
                                              const std::string& reports_file) {
  if (!reports_file.empty()) {
    if (patient_files.profile == "-" && reports_file == "-")
      throw input_error("--reports", "only one of --profile and --reports can be stdin", problem_code::conflict);
    if (patient_files.fhir == "-" && reports_file == "-")
      throw input_error("--reports", "only one of --fhir and --reports can be stdin", problem_code::conflict);
    return parse_reports(read_input(reports_file, "--reports"), model, patient.profile, reports_file);
  }
  if (patient_files.fhir.empty()) throw input_error("--reports", "give the reports: --reports F (or --fhir F with the diary in it)");
  if (patient.fhir_reports.empty())
    throw input_error("--fhir", "no reports: no completed symptom diary QuestionnaireResponse or symptom Observation (docs/fhir.md); "
                                "give --reports F");
  return patient.fhir_reports;
}

/// Now, UTC, for DTSTAMP: the command is the caller the library leaves the clock to.
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[17];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

struct plan_outputs {
  std::string ics_file;
  std::string dtstamp;
  std::string course_id;
  std::string svg_file;
};

/// The iCalendar options from --dtstamp and --course-id, checked before anything is planned or
/// written; a problem is named by its option (`--dtstamp`), the only place it can come from.
icalendar_options checked_icalendar_options(const plan_outputs& outputs) {
  icalendar_options options{.dtstamp = outputs.dtstamp.empty() ? utc_now() : outputs.dtstamp, .course_id = outputs.course_id};
  auto problems = check_icalendar_options(options);
  for (auto& problem : problems) problem.path = "--" + problem.path;
  if (!problems.empty()) throw input_error(std::move(problems));
  return options;
}

/// The plan in the clinic's words; its text opens with the clinic's name and number.
int print_plan(const model& evidence_model, const std::string& request_text, const std::string& source, const plan_outputs& outputs,
               const clinic& clinic, output_form form) {
  const model model = with_clinic_wording(evidence_model, clinic);
  const auto ics_options = checked_icalendar_options(outputs);
  const auto request = parse_plan_request(request_text, model, source);
  const auto planned = plan(model, request);
  if (!outputs.ics_file.empty()) write_file(outputs.ics_file, to_icalendar(planned, ics_options), "--ics");
  if (!outputs.svg_file.empty()) write_file(outputs.svg_file, to_svg(planned, model), "--svg");
  if (form.fhir) {
    std::cout << to_fhir(planned, *form.fhir) << "\n";
    return 0;
  }
  if (!form.json && clinic.has_contact()) std::cout << contact_line(clinic, model.wording) << "\n\n";
  std::cout << (form.json ? to_json(planned) + "\n" : to_text(planned, model));
  return 0;
}

/// The clinic overlay named by --clinic, read against the model; none when not given.
clinic load_clinic(const std::string& file, const model& model) {
  if (file.empty()) return {};
  return parse_clinic(read_input(file, "--clinic"), model, file);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aftermath: recovery after minimally invasive injection treatments.\n"
               "Evidence-informed estimates, not medical advice; any red flag means contacting a clinician."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(aftermath::version_string));

  common_options options;
  cli::patient_files patient_files;
  std::string reports_file;
  std::optional<double> horizon;
  std::string svg_file;
  const auto add_svg_option = [&](CLI::App& command, const char* what) {
    command.add_option("--svg", svg_file, std::string("Also write ") + what + " as an SVG chart to this file");
  };

  std::string clinic_file;
  const auto add_clinic_option = [&](CLI::App& command) {
    command.add_option("--clinic", clinic_file, "Clinic overlay (JSON): the clinic's name, phone numbers, address and wording");
  };

  std::string demo_dir = "aftermath-demo";
  auto* demo = app.add_subcommand("demo", "Project recovery for a sample patient; write its chart and leaflet");
  add_common_options(*demo, options);
  demo->add_option("--out", demo_dir, "Directory for the chart and the leaflet (default: aftermath-demo)");
  add_clinic_option(*demo);
  auto* show_model = app.add_subcommand("model", "Show a model: effects, modifiers, protocols, aftercare, red flags, evidence "
                                                 "(--format fhir: its symptom diary as a FHIR Questionnaire)");
  add_common_options(*show_model, options, true);
  bool list_parameters = false;
  show_model->add_flag("--parameters", list_parameters,
                       "List every number's parameter id with its uncertainty: distribution, 95 % interval and how it was found");
  auto* project_command = app.add_subcommand("project", "Project a patient's recovery");
  add_common_options(*project_command, options, true);
  cli::add_patient_options(*project_command, patient_files);
  project_command->add_option("--horizon", horizon, "Days after the first session to cover (default: last session + 30)");
  add_svg_option(*project_command, "the projection");

  cli::leaflet_files leaflet_files;
  auto* leaflet_command = app.add_subcommand("leaflet", "Write a patient's 'what to expect after your treatment' leaflet");
  add_common_options(*leaflet_command, options, true);
  cli::add_patient_options(*leaflet_command, patient_files);
  leaflet_command->add_option("--html", leaflet_files.html, "Write the leaflet as one HTML page, chart included");
  leaflet_command->add_option("--markdown", leaflet_files.markdown, "Write the leaflet as Markdown, its chart beside it (<name>-chart.svg)");
  add_clinic_option(*leaflet_command);

  auto* assess_command = app.add_subcommand("assess", "Compare a patient's reported symptoms against their projection");
  add_common_options(*assess_command, options, true);
  cli::add_patient_options(*assess_command, patient_files);
  assess_command->add_option("--reports", reports_file, "Reports file (JSON), or - for stdin; with --fhir, default: the reports it holds");
  add_svg_option(*assess_command, "the reports on the patient's bands");

  std::string request_file;
  plan_outputs plan_files;
  auto* plan_command = app.add_subcommand("plan", "Plan a course of sessions on the clinic's calendar");
  add_common_options(*plan_command, options, true);
  plan_command->add_option("--request", request_file, "Planning request (JSON), or - for stdin")->required();
  plan_command->add_option("--ics", plan_files.ics_file, "Also write the plan as iCalendar (RFC 5545) to this file");
  plan_command->add_option("--dtstamp", plan_files.dtstamp, "DTSTAMP for the iCalendar file, UTC YYYYMMDDTHHMMSSZ (default: now)");
  plan_command->add_option("--course-id", plan_files.course_id,
                           "Which of the patient's courses this is, for the iCalendar UIDs (default: its first session's date)");
  add_svg_option(*plan_command, "the plan's timeline");
  add_clinic_option(*plan_command);
  const cli::cohort_commands cohort(app, [&](CLI::App& command) { add_common_options(command, options); });
  const cli::sensitivity_command sensitivity(app, [&](CLI::App& command) { add_common_options(command, options); });
  const cli::schema_command schema(app);
  const auto add_model_only = [&](CLI::App& command) { add_model_option(command, options); };
  const cli::cds_command cds(app, add_model_only);
#if AFTERMATH_WITH_SERVE
  const cli::serve_command serve(app, add_model_only);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : exit_bad_input;
  }

  try {
    if (schema.parsed()) return schema.run(std::cout);
    const model model = load_model(options);
    const bool json = wants_json(options);
    const bool fhir = wants_fhir(options);
    if (cohort.parsed()) return cohort.run(model, json, read_input);
    if (sensitivity.parsed()) return sensitivity.run(model, json, read_input);
    if (cds.parsed()) return cds.run(model, read_input);
#if AFTERMATH_WITH_SERVE
    if (serve.parsed()) return serve.run(model);
#endif
    const clinic clinic = load_clinic(clinic_file, model);
    if (demo->parsed()) return run_demo(model, demo_dir, clinic, json);
    if (leaflet_command->parsed()) {
      if (options.format == "json")
        throw input_error("--format", "the leaflet is written as Markdown, HTML (--markdown, --html) or a FHIR DocumentReference "
                                      "(--format fhir); it has no JSON form", problem_code::conflict);
      const auto patient = cli::load_patient(patient_files, model);
      if (fhir) leaflet_files.fhir = &patient.fhir;
      return print_leaflet(model, patient.profile, leaflet_files, clinic);
    }
    if (show_model->parsed()) {
      if (list_parameters && fhir)
        throw input_error("--format", "the parameter list has no FHIR form; --format fhir writes the model's symptom diary", problem_code::conflict);
      if (list_parameters) std::cout << (json ? to_json(model_parameters(model), model) + "\n" : to_text(model_parameters(model)));
      else if (fhir) std::cout << to_fhir_questionnaire(model) << "\n";  // the symptom diary of this model
      else std::cout << (json ? to_json(model) + "\n" : to_text(model));
      return 0;
    }
    if (assess_command->parsed()) {
      const auto patient = cli::load_patient(patient_files, model);
      const auto reports = reports_to_assess(model, patient_files, patient, reports_file);
      return print_assessment(model, patient.profile, reports, svg_file, {json, fhir ? &patient.fhir : nullptr});
    }
    if (plan_command->parsed()) {
      const fhir_context no_patient{};  // the subject is the request's patient
      plan_files.svg_file = svg_file;
      return print_plan(model, read_input(request_file, "--request"), request_file, plan_files, clinic, {json, fhir ? &no_patient : nullptr});
    }
    projection_options projection{};
    if (horizon) projection.horizon = days(*horizon);
    const auto patient = cli::load_patient(patient_files, model);
    return print_projection(model, patient.profile, projection, svg_file, {json, fhir ? &patient.fhir : nullptr});
  } catch (const input_error& error) {
    std::cerr << "aftermath: bad input\n" << error.what() << "\n";
    return exit_bad_input;
  } catch (const std::exception& error) {
    std::cerr << "aftermath: " << error.what() << "\n";
    return 1;
  }
}

#include "schema_command.hpp"

#include <aftermath/error.hpp>

#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace aftermath::detail {
// Generated from schemas/<name>.schema.json (CMakeLists.txt, aftermath_embed_file).
std::string_view schema_model_json();
std::string_view schema_profile_json();
std::string_view schema_reports_json();
std::string_view schema_plan_request_json();
std::string_view schema_population_json();
std::string_view schema_projection_json();
std::string_view schema_assessment_json();
std::string_view schema_plan_json();
std::string_view schema_cohort_summary_json();
std::string_view schema_partial_summary_json();
std::string_view schema_diaries_json();
std::string_view schema_clinic_json();
}  // namespace aftermath::detail

namespace aftermath::cli {
namespace {

using schema_text = std::string_view (*)();

/// Every document's schema, inputs first, in the order the names are listed.
constexpr std::array<std::pair<std::string_view, schema_text>, 12> schemas{{
    {"model", detail::schema_model_json},
    {"profile", detail::schema_profile_json},
    {"reports", detail::schema_reports_json},
    {"plan-request", detail::schema_plan_request_json},
    {"population", detail::schema_population_json},
    {"projection", detail::schema_projection_json},
    {"assessment", detail::schema_assessment_json},
    {"plan", detail::schema_plan_json},
    {"cohort-summary", detail::schema_cohort_summary_json},
    {"partial-summary", detail::schema_partial_summary_json},
    {"diaries", detail::schema_diaries_json},
    {"clinic", detail::schema_clinic_json},
}};

/// "model, profile, ...", for the help and for an unknown name.
std::string known_names() {
  std::string names;
  for (const auto& [name, text] : schemas) names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

}  // namespace

schema_command::schema_command(CLI::App& app)
    : command_(app.add_subcommand("schema", "Print the JSON Schema (draft 2020-12) of a document the command reads or writes")) {
  command_->add_option("NAME", name_, "The document: " + known_names())->required();
}

int schema_command::run(std::ostream& out) const {
  for (const auto& [name, text] : schemas)
    if (name == name_) {
      out << text();
      return 0;
    }
  throw input_error("NAME", "'" + name_ + "' is not a document with a schema (known: " + known_names() + ")", problem_code::unknown_id);
}

}  // namespace aftermath::cli

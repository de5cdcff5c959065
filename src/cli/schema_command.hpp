// The `schema` subcommand: the JSON Schema (draft 2020-12) of each document the command reads or
// writes, compiled in from schemas/ (docs/schemas.md).
#pragma once

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>

namespace aftermath::cli {

/// `aftermath schema NAME`: prints schemas/NAME.schema.json exactly; an unknown NAME is an
/// input_error at `NAME` that lists the names there are.
class schema_command {
 public:
  explicit schema_command(CLI::App& app);
  bool parsed() const { return command_->parsed(); }
  int run(std::ostream& out) const;

 private:
  CLI::App* command_;
  std::string name_;
};

}  // namespace aftermath::cli

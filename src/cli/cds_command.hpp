// The `cds` subcommand: one CDS Hooks request from a file, answered as POST /cds-services/{id}
// answers it (docs/serve.md), for trying a service and for scripts without a server.
#pragma once

#include <aftermath/model.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace aftermath::cli {

class cds_command {
 public:
  cds_command(CLI::App& app, const std::function<void(CLI::App&)>& add_common);

  bool parsed() const { return command_->parsed(); }

  /// Writes the service's response, or its discovery document for the service "discovery".
  /// Throws input_error for bad input and an unknown service.
  int run(const model& model, const std::function<std::string(const std::string&, const std::string&)>& read_input) const;

 private:
  CLI::App* command_;
  std::string service_;
  std::string request_file_;
  std::string today_;
};

}  // namespace aftermath::cli

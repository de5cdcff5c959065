// The `serve` subcommand (docs/serve.md): the documents and the CDS Hooks services over HTTP,
// on loopback unless told otherwise, until SIGTERM or SIGINT.
#pragma once

#include "../serve/http_server.hpp"

#include <aftermath/model.hpp>

#include <CLI/CLI.hpp>

#include <functional>

namespace aftermath::cli {

class serve_command {
 public:
  serve_command(CLI::App& app, const std::function<void(CLI::App&)>& add_common);

  bool parsed() const { return command_->parsed(); }

  /// Serves until SIGTERM or SIGINT, then lets the requests in progress finish and returns 0.
  /// Prints "aftermath serve: listening on http://ADDRESS:PORT" on stdout once it accepts
  /// connections; the access log goes to stderr. Throws input_error for bad options.
  int run(const model& model) const;

 private:
  CLI::App* command_;
  serve::server_options options_;
  unsigned timeout_seconds_ = 5;
};

}  // namespace aftermath::cli

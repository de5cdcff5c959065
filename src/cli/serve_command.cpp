// aftermath serve: options, the listening line, and shutdown on a signal.
#include "serve_command.hpp"

#include <aftermath/service/cds_hooks.hpp>
#include <aftermath/service/documents.hpp>

#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <thread>

namespace aftermath::cli {

serve_command::serve_command(CLI::App& app, const std::function<void(CLI::App&)>& add_common) {
  command_ = app.add_subcommand("serve", "Serve projection, assessment, planning and CDS Hooks over HTTP (loopback by default)");
  add_common(*command_);
  command_->add_option("--port", options_.port, "TCP port (default 8080; 0: any free port, printed when listening)");
  command_->add_option("--bind", options_.bind, "Address to listen on (default 127.0.0.1)");
  command_->add_option("--threads", options_.threads, "Workers, each serving one connection at a time (default: 16, or more cores)");
  command_->add_flag("--allow-remote", options_.allow_remote,
                     "Allow a non-loopback --bind; put the server behind the EHR's authenticating gateway (docs/serve.md)");
  command_->add_option("--max-body", options_.max_body_bytes, "Largest request body in bytes (default 1048576)");
  command_->add_option("--timeout", timeout_seconds_, "Seconds a connection may wait on one read or write, or idle (default 5)");
  command_->add_option("--today", options_.today, "The date the CDS services take as today, YYYY-MM-DD (default: the UTC date)");
}

int serve_command::run(const model& model) const {
  // Every thread started from here on inherits the mask, so the signals reach only sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  serve::server_options options = options_;
  options.io_timeout = std::chrono::seconds(timeout_seconds_);
  const document_service documents(model);
  const cds_hooks_service cds(documents);
  serve::http_server server(documents, cds, options, std::cerr);
  const int port = server.bind();
  std::thread stopper([&server, stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    std::cerr << "aftermath serve: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << ", finishing the requests in progress\n";
    server.stop();
  });
  std::cout << "aftermath serve: listening on http://" << options.bind << ":" << port << std::endl;
  server.run();
  pthread_kill(stopper.native_handle(), SIGTERM);  // wakes it if run() ended for another reason
  stopper.join();
  std::cerr << "aftermath serve: stopped\n";
  return 0;
}

}  // namespace aftermath::cli

// aftermath serve: the document services and the CDS Hooks services over HTTP (docs/serve.md).
//
// A front end with no clinical logic of its own: each route hands its body to document_service
// or cds_hooks_service and answers with the document they return. What it adds is what a server
// on a clinic's network owes: loopback unless told otherwise, bounded bodies and waits, a JSON
// error for every refused request, a fixed pool of workers sharing one immutable model, an
// access log that names routes and statuses but never what a patient sent.
#pragma once

#include <aftermath/error.hpp>
#include <aftermath/service/cds_hooks.hpp>
#include <aftermath/service/documents.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace aftermath::serve {

struct server_options {
  std::string bind = "127.0.0.1";
  int port = 8080;  ///< 0: any free port (the one taken is what bind() returns)
  /// Workers; each holds one connection while it is open, so this bounds the connections
  /// served at once (the others wait in the queue). 0: 16, or one per hardware thread if more.
  unsigned threads = 0;
  bool allow_remote = false;                      ///< needed to bind anything but a loopback address
  std::size_t max_body_bytes = std::size_t{1} << 20;  ///< larger bodies get 413
  std::chrono::seconds io_timeout{5};             ///< each read or write of a connection, and its idle keep-alive
  std::string today;                              ///< the CDS services' today (ISO date); empty: the server's UTC date
};

/// Every problem with the options, each named by its command-line option: a port outside
/// 0–65535, more than 1024 threads, a body limit outside 1 KiB–64 MiB, a timeout outside 1–300 s,
/// a today that is not a date, a bind address that is not loopback without allow_remote.
[[nodiscard]] std::vector<input_problem> check_server_options(const server_options& options);

/// True for 127.0.0.0/8, ::1 and "localhost".
[[nodiscard]] bool is_loopback(const std::string& address);

class http_server {
 public:
  /// Throws input_error for options check_server_options refuses. The services must outlive
  /// the server.
  http_server(const document_service& documents, const cds_hooks_service& cds, server_options options, std::ostream& access_log);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds the address; returns the port (the one chosen for port 0). Throws std::runtime_error
  /// when the address cannot be bound (in use, not this machine's).
  int bind();
  /// Serves until stop(); returns once every request in progress has been answered.
  void run();
  /// From any thread: stops accepting connections and lets run() return.
  void stop();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace aftermath::serve

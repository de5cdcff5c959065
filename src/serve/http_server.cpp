// The HTTP front end on cpp-httplib (Debian: libcpp-httplib-dev): routes, limits, errors, the
// access log. Chosen over Boost.Beast because its server, thread pool, timeouts and body limit
// are a few calls each; Beast would have this file write its own accept loop and parser glue.
#include "http_server.hpp"
#include "utc_date.hpp"

#include <aftermath/io/json.hpp>

#include <httplib.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cstdio>
#include <atomic>
#include <cctype>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

namespace aftermath::serve {
namespace {

/// A route: its pattern for the log (never the path a client sent, which may carry anything)
/// and the one method it answers.
struct route {
  std::string_view pattern;  ///< e.g. "/cds-services/{id}"
  std::string_view method;
};
constexpr std::array routes{route{"/cds-services", "GET"}, route{"/cds-services/{id}", "POST"}, route{"/project", "POST"},
                            route{"/assess", "POST"}, route{"/plan", "POST"}};

/// The route a path belongs to, whatever the method; null for a path the server does not have.
const route* route_of(std::string_view path) {
  if (path == "/cds-services" || path == "/cds-services/") return &routes[0];
  if (path.starts_with("/cds-services/") && path.find('/', 14) == std::string_view::npos) return &routes[1];
  for (const route& r : routes)
    if (r.pattern == path) return &r;
  return nullptr;
}

void answer(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, "application/json");
}

void refuse(httplib::Response& response, int status, std::string_view error, std::string_view message) {
  answer(response, status, error_json(error, message));
}

/// True for application/json and application/fhir+json, with or without parameters.
bool is_json_media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type == "application/json" || type == "application/fhir+json";
}

/// When the request's handling began, for the access log: a request is handled on one worker
/// from routing to logging.
thread_local std::chrono::steady_clock::time_point request_started;

/// YYYY-MM-DD naming a day of the calendar.
bool is_iso_date(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0;
  char rest = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &rest) != 3) return false;
  return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}.ok();
}

}  // namespace

bool is_loopback(const std::string& address) {
  if (address == "localhost" || address == "::1") return true;
  in_addr ipv4{};
  return inet_pton(AF_INET, address.c_str(), &ipv4) == 1 && (ntohl(ipv4.s_addr) >> 24) == 127;
}

std::vector<input_problem> check_server_options(const server_options& options) {
  std::vector<input_problem> problems;
  const auto fail = [&](std::string option, std::string message, problem_code code = problem_code::out_of_range) {
    problems.push_back({std::move(option), std::move(message), code});
  };
  if (options.port < 0 || options.port > 65535) fail("--port", std::to_string(options.port) + " is not a port (0–65535; 0: any free port)");
  if (options.threads > 1024) fail("--threads", std::to_string(options.threads) + " workers is more than 1024");
  if (options.max_body_bytes < 1024 || options.max_body_bytes > (std::size_t{64} << 20))
    fail("--max-body", std::to_string(options.max_body_bytes) + " bytes is outside 1024–67108864");
  if (options.io_timeout.count() < 1 || options.io_timeout.count() > 300)
    fail("--timeout", std::to_string(options.io_timeout.count()) + " s is outside 1–300");
  if (!options.today.empty() && !is_iso_date(options.today))
    fail("--today", "'" + options.today + "' is not a date (YYYY-MM-DD)", problem_code::malformed);
  if (!is_loopback(options.bind) && !options.allow_remote)
    fail("--bind",
         "'" + options.bind +
             "' is not a loopback address: the server has no authentication of its own (that belongs to the EHR's gateway, "
             "docs/serve.md), so binding another address needs --allow-remote",
         problem_code::conflict);
  return problems;
}

struct http_server::state {
  const document_service& documents;
  const cds_hooks_service& cds;
  server_options options;
  std::ostream& log;
  std::mutex log_mutex;
  httplib::Server server;
  int listening_socket = -1;  ///< as cpp-httplib made it, to widen its backlog

  state(const document_service& d, const cds_hooks_service& c, server_options o, std::ostream& l)
      : documents(d), cds(c), options(std::move(o)), log(l) {}

  /// Runs one service on the request's body and answers with its document: 400 with every
  /// problem for bad input, 404 for a CDS service that does not exist, 500 for anything else.
  template <class Service>
  void serve_document(const httplib::Request& request, httplib::Response& response, Service&& service) {
    if (!is_json_media_type(request.get_header_value("Content-Type")))
      return refuse(response, 415, "unsupported_media_type",
                    "the body must be JSON: Content-Type application/json (or application/fhir+json), not '" +
                        request.get_header_value("Content-Type") + "'");
    try {
      answer(response, 200, service(request.body));
    } catch (const input_error& error) {
      answer(response, 400, document_service::error_document(error));
    } catch (const unknown_cds_service& error) {
      refuse(response, 404, "not_found", error.what());
    } catch (const std::bad_alloc&) {
      refuse(response, 500, "failed", "out of memory");
    } catch (const std::exception& error) {
      refuse(response, 500, "failed", error.what());
    }
  }

  void add_routes() {
    server.Get("/cds-services/?", [this](const httplib::Request&, httplib::Response& response) { answer(response, 200, cds.discovery()); });
    server.Post(R"(/cds-services/([^/]+))", [this](const httplib::Request& request, httplib::Response& response) {
      const std::string today = options.today.empty() ? utc_date_today() : options.today;
      serve_document(request, response, [&](const std::string& body) { return cds.respond(request.matches[1].str(), body, today); });
    });
    server.Post("/project", [this](const httplib::Request& request, httplib::Response& response) {
      serve_document(request, response, [&](const std::string& body) { return documents.project(body); });
    });
    server.Post("/assess", [this](const httplib::Request& request, httplib::Response& response) {
      serve_document(request, response, [&](const std::string& body) { return documents.assess_request(body); });
    });
    server.Post("/plan", [this](const httplib::Request& request, httplib::Response& response) {
      serve_document(request, response, [&](const std::string& body) { return documents.plan(body); });
    });
  }

  /// Before routing: the clock for the log, and 405 for a known path asked with another method
  /// (the library alone would answer 404).
  void add_method_check() {
    server.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
      request_started = std::chrono::steady_clock::now();
      const route* known = route_of(request.path);
      if (!known || request.method == known->method) return httplib::Server::HandlerResponse::Unhandled;
      response.set_header("Allow", std::string(known->method));
      refuse(response, 405, "method_not_allowed", request.method + " is not allowed on " + std::string(known->pattern) + "; use " +
                                                      std::string(known->method));
      return httplib::Server::HandlerResponse::Handled;
    });
  }

  /// A JSON body for every refusal the library makes itself: 404, 413, 400 for a request it
  /// could not parse, 414 and 431 for a URI or headers too long.
  void add_error_bodies() {
    server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
      if (!response.body.empty()) return;
      switch (response.status) {
        case 404: return refuse(response, 404, "not_found", "no such path; the server has GET /cds-services, POST /cds-services/{id}, POST /project, /assess, /plan");
        case 413: return refuse(response, 413, "payload_too_large", "the body is larger than the server's limit (--max-body)");
        case 414: return refuse(response, 414, "uri_too_long", "the request's URI is too long");
        default:
          refuse(response, response.status, "bad_request",
                 "the request could not be read as HTTP/1.1" + (request.method.empty() ? std::string{} : " (" + request.method + ")"));
      }
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
      refuse(response, 500, "failed", "the request failed inside the server");
    });
  }

  /// One line per request: method, route pattern, status, bytes out, milliseconds. Never the
  /// path's own text or the body: CDS service ids are the server's, the rest is the patient's.
  void add_access_log() {
    server.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
      const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request_started).count();
      const route* known = route_of(request.path);
      std::string line = (request.method.empty() ? std::string("-") : request.method) + " " +
                         (known ? std::string(known->pattern) : std::string("(unknown path)")) + " " + std::to_string(response.status) +
                         " " + std::to_string(response.body.size()) + " ";
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.1fms", elapsed);
      const std::lock_guard lock(log_mutex);
      log << line << ms << '\n' << std::flush;
    });
  }

  void configure() {
    const unsigned workers = options.threads ? options.threads : std::max(16u, std::thread::hardware_concurrency());
    server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    server.set_payload_max_length(options.max_body_bytes);
    const auto timeout = static_cast<time_t>(options.io_timeout.count());
    server.set_read_timeout(timeout, 0);
    server.set_write_timeout(timeout, 0);
    server.set_keep_alive_timeout(timeout);
    server.set_keep_alive_max_count(100);
    server.set_socket_options([this](socket_t socket) {
      httplib::default_socket_options(socket);
      listening_socket = socket;
    });
    add_method_check();
    add_routes();
    add_error_bodies();
    add_access_log();
  }
};

http_server::http_server(const document_service& documents, const cds_hooks_service& cds, server_options options, std::ostream& access_log) {
  if (auto problems = check_server_options(options); !problems.empty()) throw input_error(std::move(problems));
  state_ = std::make_unique<state>(documents, cds, std::move(options), access_log);
  state_->configure();
}

http_server::~http_server() = default;

int http_server::bind() {
  const auto& options = state_->options;
  const int port = options.port == 0 ? state_->server.bind_to_any_port(options.bind)
                                     : (state_->server.bind_to_port(options.bind, options.port) ? options.port : -1);
  if (port < 0)
    throw std::runtime_error("cannot listen on " + options.bind + ":" + std::to_string(options.port) +
                             " (in use, or not an address of this machine)");
  // cpp-httplib listens with a backlog of 5 connections: a burst of clients connecting at once
  // (16 at the start of the load test, each reconnecting after its 100th request) overflows it.
  // Listening again on the same socket sets the backlog the system allows.
  if (state_->listening_socket >= 0) ::listen(state_->listening_socket, SOMAXCONN);
  return port;
}

void http_server::run() { state_->server.listen_after_bind(); }

void http_server::stop() { state_->server.stop(); }

}  // namespace aftermath::serve

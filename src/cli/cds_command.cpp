// aftermath cds: a CDS Hooks request answered from the command line.
#include "cds_command.hpp"

#include "../serve/utc_date.hpp"

#include <aftermath/service/cds_hooks.hpp>
#include <aftermath/service/documents.hpp>

#include <iostream>

namespace aftermath::cli {
cds_command::cds_command(CLI::App& app, const std::function<void(CLI::App&)>& add_common) {
  command_ = app.add_subcommand("cds", "Answer one CDS Hooks request from a file, as `aftermath serve` answers POST /cds-services/{id}");
  add_common(*command_);
  command_->add_option("service", service_, "Service id (aftermath-patient-view, aftermath-appointment-book), or discovery")->required();
  command_->add_option("--request", request_file_, "CDS Hooks request (JSON), or - for stdin");
  command_->add_option("--today", today_, "The date the service takes as today, YYYY-MM-DD (default: the UTC date)");
}

int cds_command::run(const model& model, const std::function<std::string(const std::string&, const std::string&)>& read_input) const {
  const document_service documents(model);
  const cds_hooks_service cds(documents);
  if (service_ == "discovery") {
    std::cout << cds.discovery() << "\n";
    return 0;
  }
  if (request_file_.empty()) throw input_error("--request", "a CDS Hooks request is needed for service '" + service_ + "'");
  const std::string request = read_input(request_file_, "--request");
  try {
    std::cout << cds.respond(service_, request, today_.empty() ? serve::utc_date_today() : today_) << "\n";
  } catch (const unknown_cds_service& error) {
    throw input_error("service", error.what(), problem_code::unknown_id);
  }
  return 0;
}

}  // namespace aftermath::cli

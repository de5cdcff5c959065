// The CDS Hooks request loader: the input answered by the service of its hook (aftermath serve's
// POST /cds-services/{id}), which read it with parse_cds_request and the FHIR mapping and build
// cards from the projection, the assessment and the recovery gate. Only input_error may leave;
// every response must be JSON without NaN whose cards' summaries keep under 140 characters.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/service/cds_hooks.hpp>
#include <aftermath/service/documents.hpp>

#include <nlohmann/json.hpp>

using namespace aftermath;

namespace {

void check_cards(const std::string& response, std::string_view input) {
  fuzz::require_no_nan_text(response, input, "the CDS Hooks response");
  const auto document = nlohmann::json::parse(response);
  for (const auto& card : document.at("cards")) {
    const auto summary = card.at("summary").get<std::string>();
    std::size_t characters = 0;
    for (const char c : summary) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (characters >= 140) fuzz::finding("a card's summary has " + std::to_string(characters) + " characters: " + summary);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const document_service documents;
  static const cds_hooks_service cds(documents);
  const std::string_view input = fuzz::text_of(data, size);
  // The service whose hook the input names, so that a seed meant for one is not refused by the
  // other (the seeds must load); the fuzzer reaches both by changing the name.
  const std::string_view service =
      input.find("appointment-book") != std::string_view::npos ? "aftermath-appointment-book" : "aftermath-patient-view";
  return fuzz::run_input([&] { check_cards(fuzz::load([&] { return cds.respond(service, input, "2026-12-20"); }), input); });
}

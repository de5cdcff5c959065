// aftermath: the services over JSON documents, behind one narrow header.
//
// Each call takes the documents the command reads (a profile, reports, a planning request, a
// population; docs/*-format.md, schemas/) and returns the document the command prints with
// `--format json`, byte for byte. Clinic back ends that only need project and assess include this
// header alone: it reaches no Eigen, no Boost and no JSON library, so it compiles in a fraction of
// the full API's time. The C ABI (aftermath/c/aftermath.h) and the Python module are this class
// behind their own boundaries.
//
// A document_service holds one validated model, immutable: one service may be shared by any
// number of threads calling it at once. Bad input throws input_error with every problem and its
// path, as the command reports it; error_document writes it as a document.
#pragma once
#define AFTERMATH_HEADER_LAYER 4
#include <aftermath/detail/layer.hpp>

#include <aftermath/error.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace aftermath {

struct model;

/// What `simulate` takes beside the population, as the command's options do.
struct simulate_settings {
  std::optional<std::uint64_t> n{};     ///< replaces the population's n (-n)
  std::optional<std::uint64_t> seed{};  ///< replaces the population's seed (--seed)
  unsigned threads = 0;                 ///< 0: one per hardware thread; the output does not depend on it
  /// Called now and then with patients done and patients to do, from a worker thread.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress{};
};

class document_service {
 public:
  /// The embedded default model (mesotherapy_face).
  document_service();
  /// A model file's text (docs/model-format.md); throws input_error naming every problem.
  explicit document_service(std::string_view model_json, std::string_view source = "model");
  /// A model the caller has read and validated already (io/json.hpp's parse_model).
  explicit document_service(aftermath::model model);

  /// `aftermath model --format json`.
  [[nodiscard]] std::string model_document() const;
  /// `aftermath project --format json`: the profile's projection.
  [[nodiscard]] std::string project(std::string_view profile_json) const;
  /// `aftermath assess --format json`: the reports against the profile's projection, with triage.
  [[nodiscard]] std::string assess(std::string_view profile_json, std::string_view reports_json) const;
  /// The same from one document, {"profile": {…}, "reports": [...]} (`POST /assess`; the shape of
  /// a diary's patient), each report checked against that profile.
  [[nodiscard]] std::string assess_request(std::string_view request_json) const;
  /// `aftermath plan --format json`, in the words of the clinic overlay when one is given.
  [[nodiscard]] std::string plan(std::string_view request_json, std::string_view clinic_json = {}) const;
  /// `aftermath simulate --format json`: the population's cohort summary.
  [[nodiscard]] std::string simulate(std::string_view population_json, const simulate_settings& settings = {}) const;
  /// The patient's leaflet: {"html": one page with its chart, "markdown": the same without the
  /// chart, "clinic_warnings": [what only the clinic should act on]}.
  [[nodiscard]] std::string leaflet(std::string_view profile_json, std::string_view clinic_json = {}) const;

  /// The model itself, for callers that go on with the full C++ API (aftermath/model.hpp).
  [[nodiscard]] const aftermath::model& model() const noexcept { return *model_; }

  /// {"error": "bad_input", "problems": [{"source", "path", "code", "message"}]}: every problem
  /// as the command prints it (io/json.hpp's to_json(input_error), for this header's callers).
  [[nodiscard]] static std::string error_document(const input_error& error);

 private:
  std::shared_ptr<const aftermath::model> model_;
};

}  // namespace aftermath

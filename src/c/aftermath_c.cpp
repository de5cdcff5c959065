// The C ABI (aftermath/c/aftermath.h) over the document service. Every entry point runs its work
// inside one guard that turns whatever is thrown into a status and a document: no exception
// crosses into C, whose frames cannot unwind.
#include <aftermath/c/aftermath.h>

#include <aftermath/io/json.hpp>
#include <aftermath/service/documents.hpp>
#include <aftermath/version.hpp>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <utility>

struct aftermath_service {
  aftermath::document_service service;
};

namespace {

/// A copy the caller frees with aftermath_free; NULL when memory runs out.
char* c_string(const std::string& text) noexcept {
  auto* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy) std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

/// Runs `work`; whatever it throws becomes a status, and its document goes to *output (left
/// NULL when even that cannot be allocated).
template <class Work>
aftermath_status caught(char** output, Work&& work) noexcept {
  const auto report = [output](auto&& document) noexcept {
    try {
      *output = c_string(document());
    } catch (...) {
    }
  };
  try {
    work();
    return AFTERMATH_OK;
  } catch (const aftermath::input_error& error) {
    report([&] { return aftermath::to_json(error); });
    return AFTERMATH_BAD_INPUT;
  } catch (const std::exception& error) {
    report([&] { return aftermath::failure_json(error.what()); });
  } catch (...) {
    report([] { return aftermath::failure_json("an unexpected error inside aftermath"); });
  }
  return AFTERMATH_FAILED;
}

/// Runs `work`, which returns the output document, and reports it through `output`.
template <class Work>
aftermath_status guarded(char** output, Work&& work) noexcept {
  if (!output) return AFTERMATH_INVALID_ARGUMENT;
  *output = nullptr;
  return caught(output, [&] {
    *output = c_string(work());
    if (!*output) throw std::bad_alloc();
  });
}

std::string_view optional_text(const char* text) { return text ? std::string_view(text) : std::string_view(); }

}  // namespace

extern "C" {

const char* aftermath_version(void) { return aftermath::version_string; }

int aftermath_abi_version(void) { return AFTERMATH_C_ABI_VERSION; }

aftermath_status aftermath_service_new(const char* model_json, aftermath_service** service, char** output) {
  if (!service || !output) return AFTERMATH_INVALID_ARGUMENT;
  *service = nullptr;
  *output = nullptr;
  return caught(output, [&] {
    *service = model_json ? new aftermath_service{aftermath::document_service(model_json)} : new aftermath_service{};
  });
}

void aftermath_service_free(aftermath_service* service) { delete service; }

aftermath_status aftermath_model(const aftermath_service* service, char** output) {
  if (!service) return AFTERMATH_INVALID_ARGUMENT;
  return guarded(output, [&] { return service->service.model_document(); });
}

aftermath_status aftermath_project(const aftermath_service* service, const char* profile_json, char** output) {
  if (!service || !profile_json) return AFTERMATH_INVALID_ARGUMENT;
  return guarded(output, [&] { return service->service.project(profile_json); });
}

aftermath_status aftermath_assess(const aftermath_service* service, const char* profile_json, const char* reports_json, char** output) {
  if (!service || !profile_json || !reports_json) return AFTERMATH_INVALID_ARGUMENT;
  return guarded(output, [&] { return service->service.assess(profile_json, reports_json); });
}

aftermath_status aftermath_plan(const aftermath_service* service, const char* request_json, const char* clinic_json, char** output) {
  if (!service || !request_json) return AFTERMATH_INVALID_ARGUMENT;
  return guarded(output, [&] { return service->service.plan(request_json, optional_text(clinic_json)); });
}

aftermath_status aftermath_simulate(const aftermath_service* service, const char* population_json, const aftermath_simulate_options* options,
                                    char** output) {
  if (!service || !population_json) return AFTERMATH_INVALID_ARGUMENT;
  return guarded(output, [&] {
    aftermath::simulate_settings settings;
    if (options) {
      if (options->n != 0) settings.n = options->n;
      if (options->seed_given) settings.seed = options->seed;
      settings.threads = options->threads;
      if (options->progress)
        settings.progress = [progress = options->progress, context = options->progress_context](std::uint64_t done, std::uint64_t total) {
          progress(done, total, context);
        };
    }
    return service->service.simulate(population_json, settings);
  });
}

aftermath_status aftermath_leaflet(const aftermath_service* service, const char* profile_json, const char* clinic_json, char** output) {
  if (!service || !profile_json) return AFTERMATH_INVALID_ARGUMENT;
  return guarded(output, [&] { return service->service.leaflet(profile_json, optional_text(clinic_json)); });
}

void aftermath_free(char* text) { std::free(text); }

}  // extern "C"

// Mapping FHIR R4 resources to a profile and reports, over several documents at once: a file
// holds one, a CDS Hooks request's prefetch one per key.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include "json_reader.hpp"

#include <aftermath/io/fhir.hpp>

#include <span>
#include <string>

namespace aftermath::inline io {

/// A parsed document and the path its problems are named under ("" for a whole file,
/// "prefetch.procedures" for a prefetch key).
struct fhir_document {
  std::string path;
  const json* value = nullptr;
};

/// Each document is a Bundle, a resource or an array of either. Every problem goes to `in`.
fhir_patient read_fhir_documents(std::span<const fhir_document> documents, const model& model, reader& in);

}  // namespace aftermath::io

// aftermath: the bounds on every JSON document the library reads.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <cstddef>

namespace aftermath::inline io {

/// The bounds every reader here enforces while it parses, before it reads a field. A document
/// beyond one is refused with the path where the bound was crossed (code out_of_range), so a
/// hostile document costs at most linear time and memory. Parsing is linear in the document's
/// size: members are appended, never searched, and each object's keys are
/// sorted once to find duplicates.
struct json_limits {
  std::size_t max_document_bytes = std::size_t{64} << 20;  ///< 64 MiB
  std::size_t max_depth = 64;                              ///< objects and arrays nested
  std::size_t max_string_bytes = std::size_t{64} << 10;    ///< 64 KiB, for keys and string values
  std::size_t max_array_items = 1'000'000;                 ///< in one array
  std::size_t max_object_members = 100'000;                ///< in one object
  std::size_t max_listed_problems = 100;                   ///< the rest are counted in one last problem
};
inline constexpr json_limits default_json_limits{};

}  // namespace aftermath::io

// Ratios the benchmark binary prints at the end: each benchmark's time as a multiple of a baseline.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace aftermath::bench {

/// (benchmark, baseline) pairs registered by each benchmark file, printed after its own.
inline std::vector<std::pair<std::string, std::string>>& registered_ratios() {
  static std::vector<std::pair<std::string, std::string>> ratios;
  return ratios;
}

}  // namespace aftermath::bench

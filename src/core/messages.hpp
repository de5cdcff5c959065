// Pieces of input-error messages shared by the checks in core and I/O.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace aftermath::detail {

/// "a, b, c": the ids of the items (those `keep` accepts), for "(known: ...)".
template <typename T>
std::string known_ids(const std::vector<T>& items, bool (*keep)(const T&) = nullptr) {
  std::string out;
  for (const auto& item : items) {
    if (keep && !keep(item)) continue;
    out += (out.empty() ? "" : ", ") + item.id;
  }
  return out;
}

/// Reports on earlier sessions, given without those sessions.
inline constexpr const char* reports_need_sessions = "need the sessions they follow in profile.sessions";

/// A number as a person would write it: 11, 0.5, -1, nan.
inline std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace aftermath::detail

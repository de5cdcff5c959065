// Today's date on the UTC calendar, for the front ends that answer CDS Hooks: the library never
// reads the clock, so the command and the server read it for it.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace aftermath::serve {

/// YYYY-MM-DD.
inline std::string utc_date_today() {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  return text;
}

}  // namespace aftermath::serve

// aftermath: version of the library.
#pragma once

#define AFTERMATH_VERSION_MAJOR 0
#define AFTERMATH_VERSION_MINOR 1
#define AFTERMATH_VERSION_PATCH 0

namespace aftermath {
inline constexpr const char* version_string = "0.1.0";
}  // namespace aftermath

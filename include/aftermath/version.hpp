// aftermath: version of the library. The one place the version is written: CMake reads these
// three lines for the package version.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#define AFTERMATH_VERSION_MAJOR 0
#define AFTERMATH_VERSION_MINOR 1
#define AFTERMATH_VERSION_PATCH 0

#define AFTERMATH_VERSION_TEXT_(major, minor, patch) #major "." #minor "." #patch
#define AFTERMATH_VERSION_TEXT(major, minor, patch) AFTERMATH_VERSION_TEXT_(major, minor, patch)

namespace aftermath {
/// "MAJOR.MINOR.PATCH".
inline constexpr const char* version_string =
    AFTERMATH_VERSION_TEXT(AFTERMATH_VERSION_MAJOR, AFTERMATH_VERSION_MINOR, AFTERMATH_VERSION_PATCH);
}  // namespace aftermath

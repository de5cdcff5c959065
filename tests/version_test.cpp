// The version is written once (version.hpp); the package, the command and the header agree.
#include <aftermath/version.hpp>

#include "support/run_cli.hpp"

#include <gtest/gtest.h>

#include <string>

namespace aftermath {
namespace {

TEST(Version, HeaderTextMatchesTheProjectVersionCMakeReadFromIt) {
  EXPECT_EQ(std::string(version_string), AFTERMATH_PROJECT_VERSION);
  EXPECT_EQ(std::to_string(AFTERMATH_VERSION_MAJOR) + "." + std::to_string(AFTERMATH_VERSION_MINOR) + "." +
                std::to_string(AFTERMATH_VERSION_PATCH),
            AFTERMATH_PROJECT_VERSION);
}

TEST(Version, TheCommandPrintsIt) {
  const auto result = testing::run("--version");
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find(AFTERMATH_PROJECT_VERSION), std::string::npos) << result.out;
}

}  // namespace
}  // namespace aftermath

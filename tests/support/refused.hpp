// The paths of the problems a loader refuses an input for, each problem named as found in the
// expected source: for tests that list what is wrong with broken documents.
#pragma once

#include <aftermath/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace aftermath::testing {

/// Runs `load`, which must throw input_error; its problems' paths, each checked to name `source`.
template <class Load>
std::vector<std::string> refused_paths(Load&& load, const std::string& source, const std::string& what) {
  try {
    load();
  } catch (const input_error& error) {
    std::vector<std::string> paths;
    for (const auto& problem : error.problems()) {
      EXPECT_EQ(problem.source, source) << problem.to_string();
      paths.push_back(problem.path);
    }
    return paths;
  }
  ADD_FAILURE() << "accepted: " << what;
  return {};
}

inline bool has(const std::vector<std::string>& paths, const std::string& path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

}  // namespace aftermath::testing

// Checking an SVG chart with the programs a reader's software would use: xmllint says it is
// well-formed XML, Python's standard parser reads it back (classes, panels, decoded text), and
// rsvg-convert renders it to PNG. Their paths come from CMake's find_program; a missing one
// fails the test with what to do, it never skips it.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

namespace aftermath::testing {

struct command_result {
  int status;
  std::string out;
};

inline command_result run_command(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// The path CMake found for a program, or a test failure saying how to install it.
inline std::string tool(const char* path, const char* name) {
  const std::string found = path;
  if (found.empty() || found.find("NOTFOUND") != std::string::npos || !std::filesystem::exists(found)) {
    ADD_FAILURE() << name << " was not found when the build was configured: run ./build.sh test, which installs it "
                  << "(Debian packages libxml2-utils, librsvg2-bin, python3), then configure again";
    return {};
  }
  return found;
}

inline std::filesystem::path scratch_dir() {
  const auto dir = std::filesystem::temp_directory_path() / ("aftermath_svg_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Writes the SVG to `name` in a scratch directory and returns the path.
inline std::string save(const std::string& svg, const std::string& name) {
  const auto path = scratch_dir() / name;
  std::ofstream(path, std::ios::binary) << svg;
  return path.string();
}

/// Expects xmllint to find the file well-formed.
inline void expect_well_formed(const std::string& path) {
  const std::string xmllint = tool(AFTERMATH_XMLLINT, "xmllint");
  if (xmllint.empty()) return;
  const auto r = run_command(xmllint + " --noout '" + path + "'");
  EXPECT_EQ(r.status, 0) << path << " is not well-formed:\n" << r.out;
}

/// What svg_inspect.py reads from the file; a null document (with a failure) when it cannot.
inline nlohmann::json inspect(const std::string& path) {
  const std::string python = tool(AFTERMATH_PYTHON3, "python3");
  if (python.empty()) return {};
  const auto r = run_command(python + " " + AFTERMATH_SOURCE_DIR + "/tests/support/svg_inspect.py '" + path + "'");
  if (r.status != 0) {
    ADD_FAILURE() << "Python's XML parser rejects " << path << ":\n" << r.out;
    return {};
  }
  return nlohmann::json::parse(r.out);
}

/// Expects rsvg-convert to render the file to a PNG of at least `min_bytes`; returns its path.
inline std::string expect_renders(const std::string& path, std::size_t min_bytes = 10000) {
  const std::string rsvg = tool(AFTERMATH_RSVG_CONVERT, "rsvg-convert");
  if (rsvg.empty()) return {};
  const std::string png = path + ".png";
  std::filesystem::remove(png);
  const auto r = run_command(rsvg + " -o '" + png + "' '" + path + "'");
  EXPECT_EQ(r.status, 0) << "rsvg-convert failed on " << path << ":\n" << r.out;
  const std::string bytes = read_whole(png);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << png << " is not a PNG";
  EXPECT_GE(bytes.size(), min_bytes) << png << " is too small to hold a chart";
  return png;
}

/// How many elements carry `css_class`, from an inspect() document.
inline int count_class(const nlohmann::json& doc, const std::string& css_class) {
  if (!doc.is_object() || !doc["classes"].contains(css_class)) return 0;
  return doc["classes"][css_class].get<int>();
}

/// Whether some text, title or desc of the document contains `text` exactly, as decoded.
inline bool has_text(const nlohmann::json& doc, const std::string& text) {
  if (!doc.is_object()) return false;
  for (const auto& t : doc["texts"])
    if (t.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

}  // namespace aftermath::testing

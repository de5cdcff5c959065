// What every subcommand of aftermath and aftermath-mpi shares: --model and --format, reading an
// input file or stdin, and the exit status for bad input (README.md, "The command").
#pragma once

#include <aftermath/io/json.hpp>
#include <aftermath/model.hpp>

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <string>

namespace aftermath::cli {

/// Exit status: 0 done; 2 bad input (every problem named with its path); 1 anything else.
constexpr int exit_bad_input = 2;

struct common_options {
  std::string model_file;
  std::string format;
};

/// --model alone, for subcommands whose output has one form.
inline void add_model_option(CLI::App& command, common_options& options) {
  command.add_option("--model", options.model_file, "Model file (JSON); default: the embedded mesotherapy_face model");
}

/// --model and --format; `offers_fhir` for the outputs that have a FHIR R4 form (docs/fhir.md).
inline void add_common_options(CLI::App& command, common_options& options, bool offers_fhir = false) {
  add_model_option(command, options);
  if (offers_fhir)
    command.add_option("--format", options.format, "text (default on a terminal), json (default otherwise) or fhir (a FHIR R4 Bundle)")
        ->check(CLI::IsMember({"text", "json", "fhir"}));
  else
    command.add_option("--format", options.format, "text (default on a terminal) or json (default otherwise)")
        ->check(CLI::IsMember({"text", "json"}));
}

/// The whole of a file, or of stdin for "-"; input_error naming the file otherwise.
inline std::string read_input(const std::string& path, const std::string& what) {
  if (path == "-") return {std::istreambuf_iterator<char>(std::cin), {}};
  std::ifstream file(path, std::ios::binary);
  if (!file) throw input_error(what, "cannot read '" + path + "'");
  return {std::istreambuf_iterator<char>(file), {}};
}

inline model load_model(const common_options& options) {
  if (options.model_file.empty()) return default_model();
  return parse_model(read_input(options.model_file, "--model"), options.model_file);
}

/// Draws "simulating: 42% (420000 of 1000000 patients)" on a terminal's stderr; silent otherwise.
inline std::function<void(std::uint64_t, std::uint64_t)> terminal_progress(std::string doing, std::string unit) {
  if (!isatty(STDERR_FILENO)) return {};
  return [last = -1, doing = std::move(doing), unit = std::move(unit)](std::uint64_t done, std::uint64_t total) mutable {
    const int percent = total ? static_cast<int>(100 * done / total) : 100;
    if (percent == last) return;
    last = percent;
    std::fprintf(stderr, "\r%s: %3d%% (%llu of %llu %s)%s", doing.c_str(), percent, static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), unit.c_str(), done == total ? "\n" : "");
    std::fflush(stderr);
  };
}

inline bool wants_fhir(const common_options& options) { return options.format == "fhir"; }

inline bool wants_json(const common_options& options) {
  if (options.format.empty()) return !isatty(STDOUT_FILENO);
  return options.format == "json";
}

}  // namespace aftermath::cli

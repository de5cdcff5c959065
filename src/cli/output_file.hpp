// Writing a file that an option asked for (--ics, --svg), with errors that name the option.
#pragma once

#include <aftermath/error.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

namespace aftermath::cli {

/// Writes `text` to `path`. A path that cannot be opened is bad input naming `option`
/// (input_error, exit 2); a write that fails once open (a full disk) is a runtime_error.
inline void write_file(const std::string& path, const std::string& text, const std::string& option) {
  std::ofstream file(path, std::ios::binary);
  if (!file) throw input_error(option, "cannot write '" + path + "'");
  if (!(file << text) || !file.flush()) throw std::runtime_error(option + ": could not write all of '" + path + "'");
}

}  // namespace aftermath::cli

// Pieces of the readable text reports: fixed-point numbers, percentages, tables, word wrap.
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include "../core/wording.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace aftermath::inline render {

inline std::string fixed(double x, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, x);
  return buffer;
}

/// "41%", "4.2%", "<0.1%": the library's one percent formatter, in its style for columns.
inline std::string percent(double p) { return aftermath::detail::format_percent(p, aftermath::detail::percent_style::column); }

/// Left-aligned columns, widths from the content.
class table {
 public:
  explicit table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string str(const std::string& indent = "  ") const {
    std::vector<std::size_t> width(rows_.front().size(), 0);
    for (const auto& row : rows_)
      for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    std::string out;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      std::string line = indent;
      for (std::size_t i = 0; i < rows_[r].size(); ++i)
        line += rows_[r][i] + (i + 1 < rows_[r].size() ? std::string(width[i] - rows_[r][i].size() + 2, ' ') : "");
      out += line + "\n";
      if (r == 0) out += indent + std::string(line.size() - indent.size(), '-') + "\n";
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

/// Word-wraps text; the first line starts with `first`, the rest are indented to match it.
inline std::string wrap(const std::string& text, std::size_t width, const std::string& first) {
  std::istringstream words(text);
  std::string word, line, out;
  const std::string rest(first.size(), ' ');
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) out += (out.empty() ? first : rest) + line + "\n", line.clear();
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += (out.empty() ? first : rest) + line + "\n";
  return out;
}

}  // namespace aftermath::render

// CSV rows of a cohort simulation (RFC 4180 quoting where a field needs it).
#include "cohort_rows.hpp"

#include <charconv>

namespace aftermath::io {
namespace {

void append_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += '"';
}

template <typename T>
void append_number(std::string& out, T value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

void append_days(std::string& out, double days) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, days, std::chars_format::fixed, 4).ptr;
  out.append(buffer, end);
}

}  // namespace

std::string_view cohort_rows_header() { return "patient,group,effect,sessions,resolved_after_last_days,visible_days\n"; }

void append_cohort_row(std::string& out, std::uint64_t patient, std::string_view group, std::string_view effect,
                       const std::vector<int>& sessions, std::optional<double> resolved_after_last, double visible_days) {
  append_number(out, patient);
  out += ',';
  append_field(out, group);
  out += ',';
  append_field(out, effect);
  out += ',';
  for (std::size_t k = 0; k < sessions.size(); ++k) {
    if (k) out += ';';
    append_number(out, sessions[k] + 1);
  }
  out += ',';
  if (resolved_after_last) append_days(out, *resolved_after_last);
  out += ',';
  append_days(out, visible_days);
  out += '\n';
}

}  // namespace aftermath::io

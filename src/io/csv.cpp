// CSV rows of a cohort simulation (RFC 4180 quoting where a field needs it).
#include <aftermath/io/csv.hpp>

#include <charconv>
#include <ostream>
#include <string>

namespace aftermath::inline io {
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

void append_outcome(std::string& out, const patient_outcome& o) {
  append_number(out, o.patient);
  out += ',';
  append_field(out, o.group);
  out += ',';
  append_field(out, o.effect);
  out += ',';
  for (std::size_t k = 0; k < o.sessions.size(); ++k) {
    if (k) out += ';';
    append_number(out, o.sessions[k] + 1);
  }
  out += ',';
  if (o.resolved_after_last_days) append_days(out, *o.resolved_after_last_days);
  out += ',';
  append_days(out, o.visible_days);
  out += '\n';
}

}  // namespace

outcome_sink cohort_rows_csv(std::ostream& out, csv_header header) {
  if (header == csv_header::written) out << "patient,group,effect,sessions,resolved_after_last_days,visible_days\n";
  return [&out, text = std::string()](std::span<const patient_outcome> outcomes) mutable {
    text.clear();
    for (const auto& o : outcomes) append_outcome(text, o);
    out << text;
  };
}

}  // namespace aftermath::io

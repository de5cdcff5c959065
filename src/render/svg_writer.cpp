// Writing SVG by hand: escaping, finite numbers, elements in order.
#include "svg_writer.hpp"

#include "../core/utf8.hpp"

#include <charconv>
#include <cmath>

namespace aftermath::inline render::svg {
namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

/// Bytes in the UTF-8 sequence starting at `text[i]` if it is well-formed and a character XML
/// allows (not the non-characters U+FFFE and U+FFFF), 0 otherwise.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto sequence = detail::decode_utf8(text, i);
  return sequence.code == 0xFFFE || sequence.code == 0xFFFF ? 0 : sequence.length;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) out += replacement_character, ++i;
      else out.append(text.substr(i, length)), i += length;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': case '\n': case '\r': out += c; break;
      default: out += byte < 0x20 || byte == 0x7F ? std::string(replacement_character) : std::string(1, c);
    }
    ++i;
  }
  return out;
}

std::string number(double value) {
  constexpr double far = 1e6;  // beyond any chart's extent: a clamped infinity stays off the canvas
  if (std::isnan(value)) value = 0.0;
  value = std::fmax(-far, std::fmin(far, value));
  value = std::round(value * 100.0) / 100.0;
  if (value == 0.0) value = 0.0;  // no "-0"
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2).ptr;
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  while (text.back() == '0') text.remove_suffix(1);
  if (text.back() == '.') text.remove_suffix(1);
  return std::string(text);
}

document::document(double width, double height, std::string_view title, std::string_view description) {
  const std::string w = number(width), h = number(height);
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  start_tag("svg", {{"xmlns", "http://www.w3.org/2000/svg"}, {"viewBox", "0 0 " + w + " " + h}, {"width", width},
                    {"height", height}, {"role", "img"}, {"font-family", "DejaVu Sans, Arial, Helvetica, sans-serif"}});
  out_ += ">\n";
  open_.emplace_back("svg");
  text("title", {}, title);
  text("desc", {}, description);
  add("rect", {{"width", width}, {"height", height}, {"fill", "#ffffff"}});
}

void document::indent() { out_.append(2 * open_.size(), ' '); }

void document::start_tag(std::string_view name, attributes list) {
  out_ += '<';
  out_ += name;
  for (const attribute& a : list) {
    out_ += ' ';
    out_ += a.name();
    out_ += "=\"";
    out_ += a.value();
    out_ += '"';
  }
}

void document::open(std::string_view name, attributes list) {
  indent();
  start_tag(name, list);
  out_ += ">\n";
  open_.emplace_back(name);
}

void document::close() {
  if (open_.size() <= 1) return;  // the root closes in finish
  const std::string name = std::move(open_.back());
  open_.pop_back();
  indent();
  out_ += "</" + name + ">\n";
}

void document::add(std::string_view name, attributes list) {
  indent();
  start_tag(name, list);
  out_ += "/>\n";
}

void document::text(std::string_view name, attributes list, std::string_view content) {
  if (content.empty()) return;
  indent();
  start_tag(name, list);
  out_ += '>';
  out_ += escape(content);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

std::string document::finish() {
  while (open_.size() > 1) close();
  out_ += "</svg>\n";
  open_.clear();
  return std::move(out_);
}

void path_data::point(char command, double x, double y) {
  if (!d_.empty()) d_ += ' ';
  d_ += command;
  d_ += number(x);
  d_ += ' ';
  d_ += number(y);
}

void path_data::move_to(double x, double y) { point('M', x, y); }
void path_data::line_to(double x, double y) { point('L', x, y); }

}  // namespace aftermath::render::svg

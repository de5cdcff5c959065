// Escaping text for the markup the library writes: XML (SVG, HTML) and Markdown.
#pragma once

#include <string>
#include <string_view>

namespace aftermath::io {

/// Text safe in XML and HTML content and in quoted attribute values.
inline std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace aftermath::io

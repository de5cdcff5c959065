// Decoding one UTF-8 sequence, for the writers (iCalendar, SVG) that must never emit an invalid one.
#pragma once

#include <cstddef>
#include <string_view>

namespace aftermath::detail {

/// One decoded sequence; `length` is 0 when the bytes are not well-formed UTF-8.
struct utf8_sequence {
  std::size_t length = 0;
  unsigned code = 0;
};

/// The well-formed UTF-8 sequence (RFC 3629) starting at `text[i]`: overlong forms, UTF-16
/// surrogates and code points beyond U+10FFFF are not.
inline utf8_sequence decode_utf8(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned min_code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2, min_code = 0x80;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3, min_code = 0x800;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4, min_code = 0x10000;
  else return {};
  if (i + length > text.size()) return {};
  unsigned code = lead & (0xFFu >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code < min_code || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return {};
  return {length, code};
}

}  // namespace aftermath::detail

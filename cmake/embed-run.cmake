file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; edit that file, not this one.
#include <string_view>
namespace aftermath::detail {
namespace {
constexpr unsigned char data[] = {
${bytes}};
}  // namespace
std::string_view ${SYMBOL}() { return {reinterpret_cast<const char*>(data), ${size}}; }
}  // namespace aftermath::detail
")

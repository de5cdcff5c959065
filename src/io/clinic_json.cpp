// The clinic overlay: the clinic's name, numbers and address, and overrides of the model's
// wording, read against the model whose wording they override.
#include "json_reader.hpp"
#include "wording_json.hpp"

#include <aftermath/io/json.hpp>

#include <algorithm>
#include <cctype>

namespace aftermath::inline io {
namespace {

/// A phone number as people write it: digits with spaces, + - . / ( ), at least three digits.
void check_phone(reader& in, const std::string& path, const std::string& phone) {
  if (phone.empty()) return;
  const bool allowed = std::all_of(phone.begin(), phone.end(), [](unsigned char c) {
    return std::isdigit(c) || c == ' ' || c == '+' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
  });
  const auto digits = std::count_if(phone.begin(), phone.end(), [](unsigned char c) { return std::isdigit(c); });
  if (!allowed) in.fail(path, "'" + phone + "' is not a phone number: use digits, spaces and + - . / ( )");
  else if (digits < 3) in.fail(path, "'" + phone + "' has fewer than 3 digits, so it cannot be a phone number");
}

/// A one-line text a leaflet prints: no line breaks or other control characters.
void check_one_line(reader& in, const std::string& path, const std::string& text) {
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    in.fail(path, "holds a line break or another control character; give it on one line");
}

/// The model's wording with the overlay's sentences in place: each group the overlay names must
/// be one of the model's, and the merged wording is read as the model's is, so that an unknown
/// key or a misused placeholder is named with its path in the overlay.
std::optional<wording_spec> read_wording_overrides(reader& in, const json& root, const model& model) {
  const json* overrides = in.member(root, "", "wording", false);
  if (!overrides || !in.expect_object(*overrides, "wording")) return std::nullopt;
  json merged = wording_to_json(model.wording);
  for (const auto& [group, sentences] : overrides->items()) {
    if (!merged.contains(group)) continue;  // read_wording names it as unknown
    if (!in.expect_object(sentences, member_path("wording", group))) continue;
    for (const auto& [key, value] : sentences.items()) merged[group][key] = value;
  }
  for (const auto& [group, sentences] : overrides->items())
    if (!merged.contains(group)) merged[group] = sentences;
  aftermath::model reworded;
  read_wording(in, json{{"wording", std::move(merged)}}, reworded);
  return reworded.wording;
}

}  // namespace

clinic parse_clinic(std::string_view json_text, const model& model, std::string_view source) {
  const json root = parse_json_text(json_text, source);
  reader in;
  if (!in.expect_object(root, "")) in.throw_if_failed(source);
  in.reject_unknown_keys(root, "", {"name", "phone", "out_of_hours_phone", "address", "wording"});
  clinic out;
  out.name = in.string(root, "", "name", true);
  out.phone = in.string(root, "", "phone", true);
  out.out_of_hours_phone = in.string(root, "", "out_of_hours_phone", false);
  out.address = in.string(root, "", "address", false);
  if (root.contains("name") && root["name"].is_string() && out.name.empty()) in.fail("name", "is empty");
  if (root.contains("phone") && root["phone"].is_string() && out.phone.empty()) in.fail("phone", "is empty");
  check_phone(in, "phone", out.phone);
  check_phone(in, "out_of_hours_phone", out.out_of_hours_phone);
  for (const auto& [key, text] : {std::pair{"name", &out.name}, {"address", &out.address}}) check_one_line(in, key, *text);
  out.wording = read_wording_overrides(in, root, model);
  in.set_source(source);
  in.throw_if_failed();
  return out;
}

}  // namespace aftermath::io

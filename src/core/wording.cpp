#include "wording.hpp"

#include "messages.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

namespace aftermath::detail {
namespace {

/// Where the next placeholder starts and ends (the closing brace), or npos.
std::pair<std::size_t, std::size_t> next_placeholder(std::string_view pattern, std::size_t from) {
  const std::size_t open = pattern.find('{', from);
  if (open == std::string_view::npos) return {open, open};
  const std::size_t close = pattern.find('}', open + 1);
  return {open, close};
}

std::string with_decimals(double percent, int decimals, const char* unit) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f%s", decimals, percent, unit);
  return text;
}

std::string rounded_percent(double chance) {
  if (!(chance > 0)) return "0 %";
  if (chance < 0.0005) return "<0.1 %";
  if (chance > 0.99 && chance < 1) return ">99 %";  // never round a chance up to certainty
  // Whole percent reads best; below 1 % one decimal keeps a rare risk from reading as 0.
  return with_decimals(100.0 * std::min(chance, 1.0), chance < 0.0095 ? 1 : 0, " %");
}

/// Narrow enough for a column; the decimal below 10 % tells apart the small shares tables compare.
std::string column_percent(double chance) {
  if (chance > 0 && chance < 0.001) return "<0.1%";
  return with_decimals(100.0 * chance, chance < 0.1 ? 1 : 0, "%");
}

}  // namespace

std::string fill(std::string_view pattern, std::initializer_list<placeholder_value> values) {
  std::string out;
  std::size_t done = 0;
  for (auto [open, close] = next_placeholder(pattern, 0); close != std::string_view::npos;
       std::tie(open, close) = next_placeholder(pattern, close + 1)) {
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    out.append(pattern.substr(done, open - done));
    const auto* value = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    out.append(value != values.end() ? value->second : pattern.substr(open, close - open + 1));
    done = close + 1;
  }
  out.append(pattern.substr(std::min(done, pattern.size())));
  return out;
}

std::vector<std::string_view> placeholders(std::string_view pattern) {
  std::vector<std::string_view> names;
  for (auto [open, close] = next_placeholder(pattern, 0); close != std::string_view::npos;
       std::tie(open, close) = next_placeholder(pattern, close + 1))
    names.push_back(pattern.substr(open + 1, close - open - 1));
  return names;
}

std::string format_percent(double chance, percent_style style) {
  switch (style) {
    case percent_style::rounded: return rounded_percent(chance);
    case percent_style::column: return column_percent(chance);
    case percent_style::exact: break;
  }
  return format_number(100.0 * chance) + " %";
}

std::string format_duration(const duration_wording& words, double days) {
  // A hair over a whole number is that number: 2.0000001 days are "2 days", not "3 days".
  const auto rounded_up = [](double x) { return std::max(1.0, std::ceil(x - 1e-9)); };
  const auto count = [&](double n, const std::string& one, const std::string& many) {
    const std::string number = std::to_string(static_cast<long long>(n));
    return fill(n == 1 ? one : many, {{"count", number}});
  };
  if (days < 1.0) return count(rounded_up(24.0 * days), words.hour, words.hours);
  if (rounded_up(days) < 28.0) return count(rounded_up(days), words.day, words.days);
  return count(rounded_up(days / 7.0), words.week, words.weeks);
}

std::string aftercare_text(const model& model, const aftercare_spec& item) {
  if (!item.days) return item.text;
  return fill(item.text, {{"duration", format_duration(model.wording.durations, item.days->value)}});
}

}  // namespace aftermath::detail

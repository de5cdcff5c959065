// Patient-facing sentences from the model's wording: placeholders in braces filled in.
//
// The model file holds every sentence a patient reads, so that a clinic can reword or translate
// it; code only fills in names, dates and chances. A placeholder is a name in braces, "{date}".
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aftermath::detail {

using placeholder_value = std::pair<std::string_view, std::string_view>;

/// The pattern with each {name} replaced by its value; a name without a value is kept as written
/// (the model reader has already rejected unknown names).
std::string fill(std::string_view pattern, std::initializer_list<placeholder_value> values);

/// The names of the placeholders in a pattern, in order; "{" without a closing "}" is not one.
std::vector<std::string_view> placeholders(std::string_view pattern);

/// "41 %": a chance in whole percent; "0.4 %" below 1 %, "<0.1 %" below 0.05 %, ">99 %" short of
/// certainty, "0 %" for none.
std::string format_percent(double chance);

}  // namespace aftermath::detail

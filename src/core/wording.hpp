// Sentences from the model's wording (the leaflet's, the chart's, the plan's): placeholders in
// braces filled in; and the one way chances are written as percentages.
//
// The model file holds every sentence a patient or a clinic reads, so that a clinic can reword or
// translate it; code only fills in names, dates and chances. A placeholder is a name in braces,
// "{date}".
#pragma once

#include <aftermath/model.hpp>

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

/// How a chance is written as a percentage; each style is the one its readers already see.
enum class percent_style {
  rounded,  ///< for patients: "41 %"; "0.4 %" below 1 %, "<0.1 %" below 0.05 %, ">99 %" short of certainty, "0 %" for none
  column,   ///< for text tables: "41%"; "4.2%" below 10 %, "<0.1%" below 0.1 %
  exact,    ///< for a plan's reasons, which quote the confidence asked for: "95 %", "87.4132 %" (six significant digits)
};

/// A chance in [0, 1] as a percentage in the given style.
std::string format_percent(double chance, percent_style style = percent_style::rounded);

/// A duration in the model's words, rounded up so that "within" it is never too short: whole
/// hours below a day, whole days below four weeks, whole weeks from four weeks ("3 days",
/// "22 days", "5 weeks"); at least one hour.
std::string format_duration(const duration_wording& words, double days);

/// An aftercare item's text with {duration}, its window's length, in words: the words and the
/// window's dates cannot disagree.
std::string aftercare_text(const model& model, const aftercare_spec& item);

}  // namespace aftermath::detail

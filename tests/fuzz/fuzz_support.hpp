// What every fuzz target shares: the input as text, the one exception a loader may throw, and
// the checks on what the next step computes from an input that loaded.
//
// A loader meets untrusted input, so it must either load it or throw aftermath::input_error
// naming what is wrong. Anything else that leaves a target — another exception, a NaN or an
// infinity in an output, a round trip that does not come back — is a finding: the target
// prints what it found and aborts, and libFuzzer keeps the input as a crash file.
#pragma once

#include <aftermath/error.hpp>
#include <aftermath/units.hpp>

#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>

namespace aftermath::fuzz {

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "\naftermath fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The exception's dynamic type, readable ("nlohmann::json_abi_v3_11_2::detail::out_of_range").
inline std::string type_name(const std::exception& error) {
  const char* mangled = typeid(error).name();
  int status = 0;
  const std::unique_ptr<char, decltype(&std::free)> readable(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), &std::free);
  return status == 0 && readable ? readable.get() : mangled;
}

/// Set (to anything) by the seeds test: every input given must load, so a seed that stops loading
/// — a format changed under the corpus — is noticed instead of silently fuzzing less.
inline bool seeds_must_load() {
  static const bool must = std::getenv("AFTERMATH_FUZZ_SEEDS_MUST_LOAD") != nullptr;
  return must;
}

/// The loader's result; under AFTERMATH_FUZZ_SEEDS_MUST_LOAD its refusal is a finding.
template <class Loader>
auto load(Loader&& loader) -> decltype(loader()) {
  if (!seeds_must_load()) return loader();
  try {
    return loader();
  } catch (const input_error& error) {
    finding(std::string("a seed that must load was refused:\n") + error.what());
  }
}

/// Runs one input through `steps`; an input_error is the loader refusing the input, as it should.
template <class Steps>
int run_input(Steps&& steps) {
  try {
    steps();
  } catch (const input_error&) {
    // refused, with its reasons: the expected outcome for most inputs
  } catch (const std::exception& error) {
    finding("an exception other than aftermath::input_error escaped: " + type_name(error) + ": " + error.what());
  } catch (...) {
    finding("an exception that is not a std::exception escaped");
  }
  return 0;
}

inline void require_finite(double value, const std::string& what) {
  if (!std::isfinite(value)) finding(what + " is " + std::to_string(value) + ", not a finite number");
}
inline void require_finite(days value, const std::string& what) { require_finite(value.count(), what); }
inline void require_finite(severity value, const std::string& what) { require_finite(value.value(), what); }
inline void require_finite(probability value, const std::string& what) { require_finite(value.value(), what); }
template <class T>
void require_finite(const std::optional<T>& value, const std::string& what) {
  if (value) require_finite(*value, what);
}

/// 5th ≤ 50th ≤ 95th percentile, up to rounding.
inline void require_ordered(double p05, double p50, double p95, const std::string& what) {
  require_finite(p05, what + ".p05");
  require_finite(p50, what + ".p50");
  require_finite(p95, what + ".p95");
  const double slack = 1e-9 * (1.0 + std::abs(p95));
  if (!(p05 <= p50 + slack && p50 <= p95 + slack))
    finding(what + ": percentiles out of order: p05 " + std::to_string(p05) + ", p50 " + std::to_string(p50) + ", p95 " + std::to_string(p95));
}

/// A written document with "nan" or "inf" as a word in it printed a number that is not one.
/// nlohmann writes a NaN as null, so the structures are checked number by number too; this
/// catches the numbers the writers format into sentences themselves, such as a plan's
/// "87.4132 %". Text echoed from the input could hold those words, so the check is made only
/// when the input has neither word nor a \u escape that could spell one.
inline void require_no_nan_text(std::string_view output, std::string_view input, const std::string& what) {
  const auto is_word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  const auto lower = [](std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string input_lower = lower(input);
  if (input_lower.find("nan") != std::string::npos || input_lower.find("inf") != std::string::npos ||
      input_lower.find("\\u") != std::string::npos)
    return;
  const std::string text = lower(output);
  for (std::string_view word : {"nan", "inf"})
    for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
      const std::size_t end = at + word.size();
      const bool starts_word = at == 0 || !is_word_char(text[at - 1]);
      const bool ends_word = end == text.size() || !is_word_char(text[end]) || text.compare(end, 5, "inity") == 0;
      if (starts_word && ends_word)
        finding(what + " has '" + std::string(word) + "' in it: ..." + std::string(output.substr(at < 60 ? 0 : at - 60, 120)) + "...");
    }
}

}  // namespace aftermath::fuzz

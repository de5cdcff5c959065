// Reading documents with many keys: the time must grow linearly with the keys, so no document
// within the stated limits can stall a core. Each size is timed for the library's parser, for a
// whole loader that refuses the document, and for nlohmann's own std::map parser (the baseline:
// what an unordered DOM costs for the same text).
#include <aftermath/io/json.hpp>

#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include <string>

#include "io/json_reader.hpp"
#include "ratios.hpp"

namespace aftermath {
namespace {

/// A profile of `keys` members, all but its own two unknown: about 20 bytes a key.
std::string profile_with_keys(std::int64_t keys) {
  std::string text = R"({"patient": "anon", "sessions": ["2026-12-01"])";
  for (std::int64_t i = 2; i < keys; ++i) text += ", \"unknown_key_" + std::to_string(i) + "\": 1";
  return text + "}";
}

void BM_ParseJson_Keys(benchmark::State& state) {
  const std::string text = profile_with_keys(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(io::parse_json_text(text, "profile"));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseJson_Keys)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_ParseProfile_RefusesKeys(benchmark::State& state) {
  const std::string text = profile_with_keys(state.range(0));
  for (auto _ : state) {
    try {
      (void)parse_profile(text, default_model());
    } catch (const input_error& error) {
      benchmark::DoNotOptimize(error.problems().size());
    }
  }
}
BENCHMARK(BM_ParseProfile_RefusesKeys)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_NlohmannMapParse_Keys(benchmark::State& state) {
  const std::string text = profile_with_keys(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(text));
}
BENCHMARK(BM_NlohmannMapParse_Keys)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

const bool ratios_registered = [] {
  auto& ratios = bench::registered_ratios();
  for (const char* keys : {"1000", "10000", "100000"})
    ratios.emplace_back(std::string("BM_ParseJson_Keys/") + keys, std::string("BM_NlohmannMapParse_Keys/") + keys);
  // Linear time: a hundred times the keys, about a hundred times the time.
  ratios.emplace_back("BM_ParseJson_Keys/100000", "BM_ParseJson_Keys/1000");
  ratios.emplace_back("BM_ParseProfile_RefusesKeys/100000", "BM_ParseProfile_RefusesKeys/1000");
  ratios.emplace_back("BM_NlohmannMapParse_Keys/100000", "BM_NlohmannMapParse_Keys/1000");
  return true;
}();

}  // namespace
}  // namespace aftermath

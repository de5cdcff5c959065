// The random draws of one virtual patient, from a counter-based generator.
//
// Philox4x32-10 (Random123) is keyed by the run's seed; its counter is (block, stream, patient):
// a patient's draws depend only on (seed, patient index), never on which thread or shard
// simulates it. Three streams keep the parts independent of each other's sizes, so two
// populations with the same seed and model meet the same patients (paired comparisons):
//   normals      z (healing time, shared by all effects), then η_A per effect (standardised)
//   occurrences  one 32-bit word per session and effect, session-major
//   population   one word per risk factor (prevalences) or one for the profile choice
// Normals come in pairs by Box–Muller from two 32-bit words; |z| reaches 6.7 at most.
#pragma once

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace aftermath::detail {

enum class draw_stream : std::uint32_t { normals = 0, occurrences = 1, population = 2, parameters = 3 };

/// (w + ½)/2³²: strictly inside (0, 1).
inline double unit_interval(std::uint32_t word) { return (static_cast<double>(word) + 0.5) * 0x1p-32; }

/// Words 0, 1, ... of item `index` of a stream, keyed by the seed (its size a multiple of 4).
inline void fill_words(std::uint64_t seed, draw_stream stream, std::uint64_t index, std::vector<std::uint32_t>& out) {
  const r123::Philox4x32 generator;
  const r123::Philox4x32::key_type key{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  r123::Philox4x32::ctr_type counter{{0, static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(index),
                                      static_cast<std::uint32_t>(index >> 32)}};
  for (std::size_t at = 0; at < out.size(); at += 4, ++counter.v[0]) {
    const auto block = generator(counter, key);
    std::copy_n(block.v, 4, out.begin() + static_cast<std::ptrdiff_t>(at));
  }
}

/// Standard normals from pairs of words by Box–Muller; `words` has an even size.
inline void normals_from_words(const std::vector<std::uint32_t>& words, std::size_t count, std::vector<double>& out) {
  for (std::size_t k = 0; k + 1 < words.size() && k < count; k += 2) {
    const double radius = std::sqrt(-2.0 * std::log(unit_interval(words[k])));
    const double angle = 2.0 * std::numbers::pi * unit_interval(words[k + 1]);
    out[k] = radius * std::cos(angle);
    if (k + 1 < count) out[k + 1] = radius * std::sin(angle);
  }
}

/// `count` standard normals of item `index` of a stream (replicate r's parameter draws).
inline std::vector<double> standard_normals(std::uint64_t seed, draw_stream stream, std::uint64_t index, std::size_t count) {
  std::vector<std::uint32_t> words((count + 3) / 4 * 4);
  fill_words(seed, stream, index, words);
  std::vector<double> out(count);
  normals_from_words(words, count, out);
  return out;
}

class patient_draws {
 public:
  patient_draws(std::uint64_t seed, std::size_t normals, std::size_t occurrence_words, std::size_t population_words)
      : seed_(seed),
        normal_words_((normals + 1) / 2 * 2),
        normals_(normal_words_),
        occurrences_(round_up(occurrence_words)),
        population_(round_up(population_words)),
        words_(round_up(normal_words_)) {}

  /// Draws everything patient `index` needs.
  void draw(std::uint64_t index) {
    fill_words(seed_, draw_stream::normals, index, words_);
    normals_from_words(words_, normal_words_, normals_);
    fill_words(seed_, draw_stream::occurrences, index, occurrences_);
    fill_words(seed_, draw_stream::population, index, population_);
  }

  /// z first, then one per effect; standard normal.
  const double* normals() const { return normals_.data(); }
  /// Uniform 32-bit words: occurrence of session j, effect e at j·effects + e.
  const std::uint32_t* occurrences() const { return occurrences_.data(); }
  const std::uint32_t* population() const { return population_.data(); }

  /// A probability as a threshold on a 32-bit word: the event happens when word < threshold.
  static std::uint64_t threshold(double p) {
    return static_cast<std::uint64_t>(std::llround(std::clamp(p, 0.0, 1.0) * 4294967296.0));
  }

 private:
  static std::size_t round_up(std::size_t words) { return (words + 3) / 4 * 4; }

  std::uint64_t seed_;
  std::size_t normal_words_;
  std::vector<double> normals_;
  std::vector<std::uint32_t> occurrences_;
  std::vector<std::uint32_t> population_;
  std::vector<std::uint32_t> words_;
};

}  // namespace aftermath::detail

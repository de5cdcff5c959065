// The bucketed law of a Bernoulli-weighted sum against the exact sum over every set of terms: its
// E[Φ((x − log G)/σ)] is within the bound it reports, for every x, on random sums.
#include "core/occurrence_sum.hpp"

#include <aftermath/detail/normal.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace aftermath::detail {
namespace {

/// Every set of terms: its probability and its sum.
std::vector<std::pair<double, double>> every_set(const std::vector<occurrence_term>& terms) {
  const auto k = terms.size();
  std::vector<std::pair<double, double>> sets;
  for (unsigned mask = 0; mask < (1u << k); ++mask) {
    double weight = 1.0, g = 0.0;
    for (unsigned j = 0; j < k; ++j) {
      const bool in = mask >> j & 1u;
      weight *= in ? terms[j].probability : 1.0 - terms[j].probability;
      if (in) g += terms[j].contribution;
    }
    sets.emplace_back(weight, g);
  }
  return sets;
}

/// E[Φ((x − log G)/σ)] over the sets, with Φ(+∞) = 1 for G = 0.
double exact_expectation(const std::vector<std::pair<double, double>>& sets, double x, double sigma) {
  double total = 0.0;
  for (const auto& [weight, g] : sets) total += weight * (g > 0.0 ? normal_cdf((x - std::log(g)) / sigma) : 1.0);
  return total;
}

double law_expectation(const log_sum_law& law, double x, double sigma) {
  double total = law.none;
  for (const auto& atom : law.atoms) total += atom.weight * normal_cdf((x - atom.log_g) / sigma);
  return total;
}

/// Terms like a course's sessions at one node: geometric decay with noise, or equal, or spread
/// over many orders of magnitude.
std::vector<occurrence_term> random_terms(std::mt19937_64& rng, std::size_t k) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double ratio = 0.05 + 0.95 * uniform(rng);
  std::vector<occurrence_term> terms;
  double c = 1.0 + 5.0 * uniform(rng);
  for (std::size_t j = 0; j < k; ++j) {
    terms.push_back({c * std::exp(0.3 * (uniform(rng) - 0.5)), uniform(rng) < 0.1 ? 1.0 : uniform(rng)});
    c *= ratio;
  }
  return terms;
}

class LogSumLaw : public ::testing::TestWithParam<double> {};

TEST_P(LogSumLaw, ExpectationsAreWithinTheReportedBoundOfTheExactSum) {
  const double step = GetParam();
  std::mt19937_64 rng(20261201);
  log_sum_builder builder;
  log_sum_law law;
  double worst_ratio = 0.0;
  for (int trial = 0; trial < 300; ++trial) {
    const double sigma = trial % 3 == 0 ? 0.3 : 0.5;
    auto terms = random_terms(rng, 1 + static_cast<std::size_t>(trial % 12));
    const auto sets = every_set(terms);
    builder.build(terms, {step, sigma, 1e300}, law);
    double mass = law.none;
    for (const auto& atom : law.atoms) mass += atom.weight;
    ASSERT_NEAR(mass, 1.0, 1e-12);
    for (double x = -8.0; x <= 4.0; x += 0.1) {
      const double error = std::abs(law_expectation(law, x, sigma) - exact_expectation(sets, x, sigma));
      ASSERT_LE(error, law.error_bound + 1e-12) << "trial " << trial << " x " << x;
      if (law.error_bound > 0.0) worst_ratio = std::max(worst_ratio, error / law.error_bound);
    }
  }
  std::printf("step %.3f: largest error seen is %.3f of the bound\n", step, worst_ratio);
}

INSTANTIATE_TEST_SUITE_P(Steps, LogSumLaw, ::testing::Values(0.002, 0.01, 0.05));

TEST(LogSumLaw, OneTermIsExact) {
  log_sum_builder builder;
  log_sum_law law;
  std::vector<occurrence_term> terms{{2.5, 0.3}};
  builder.build(terms, {0.01, 0.5, 1e300}, law);
  ASSERT_EQ(law.atoms.size(), 1u);
  EXPECT_DOUBLE_EQ(law.atoms[0].log_g, std::log(2.5));
  EXPECT_DOUBLE_EQ(law.atoms[0].weight, 0.3);
  EXPECT_DOUBLE_EQ(law.none, 0.7);
  EXPECT_EQ(law.error_bound, 0.0);
}

TEST(LogSumLaw, ManyEqualTermsStayPolynomial) {
  // 200 equal terms: 2^200 sets, but the sum only takes 201 values.
  log_sum_builder builder;
  log_sum_law law;
  std::vector<occurrence_term> terms(200, {1.0, 0.4});
  builder.build(terms, {0.01, 0.5, 1e300}, law);
  EXPECT_LT(law.atoms.size(), 2000u);
  double mean = 0.0;
  for (const auto& atom : law.atoms) mean += atom.weight * std::exp(atom.log_g);
  EXPECT_NEAR(mean, 80.0, 0.5);  // E[G] = 200 × 0.4
}

TEST(LogSumLaw, StatesAboveTheCapBecomeOneAtom) {
  log_sum_builder builder;
  log_sum_law law;
  std::vector<occurrence_term> terms(30, {5.0, 0.5});
  builder.build(terms, {0.01, 0.5, std::log(20.0)}, law);
  double above = 0.0;
  for (const auto& atom : law.atoms)
    if (atom.log_g >= std::log(20.0)) above += atom.weight;
  EXPECT_GT(above, 0.99);
  EXPECT_LT(law.atoms.size(), 400u);
}

}  // namespace
}  // namespace aftermath::detail

// Sobol indices through the public API: against the analytic indices of the Ishigami function
// and of a linear model, exactly zero for inputs the function ignores, the same result for any
// thread count, bootstrap intervals that cover the truth about as often as they claim, and bad
// options, bad outputs and failing functions reported.
#include <aftermath/sensitivity.hpp>

#include <aftermath/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <numbers>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace aftermath {
namespace {

using function = std::function<double(std::span<const double>)>;
constexpr double pi = std::numbers::pi;

/// Ishigami & Homma (1990): y = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁ with x uniform on (−π, π).
/// Its variance decomposition is known in closed form (Sobol' & Levitan 1999):
///   V₁ = ½ (1 + bπ⁴/5)²,  V₂ = a²/8,  V₁₃ = b²π⁸ (1/18 − 1/50),  V = V₁ + V₂ + V₁₃,
/// the other parts are 0, so S = (V₁, V₂, 0)/V and ST = (V₁ + V₁₃, V₂, V₁₃)/V.
struct ishigami {
  double a = 7.0;
  double b = 0.1;

  double operator()(std::span<const double> u) const {
    const double x1 = -pi + 2.0 * pi * u[0], x2 = -pi + 2.0 * pi * u[1], x3 = -pi + 2.0 * pi * u[2];
    return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  }
  double v1() const { return 0.5 * std::pow(1.0 + b * std::pow(pi, 4) / 5.0, 2); }
  double v2() const { return a * a / 8.0; }
  double v13() const { return b * b * std::pow(pi, 8) * (1.0 / 18.0 - 1.0 / 50.0); }
  double variance() const { return v1() + v2() + v13(); }
  std::array<double, 3> first_order() const { return {v1() / variance(), v2() / variance(), 0.0}; }
  std::array<double, 3> total() const { return {(v1() + v13()) / variance(), v2() / variance(), v13() / variance()}; }
};

/// y = Σ aᵢ uᵢ with independent uniforms: no interactions, Sᵢ = STᵢ = aᵢ² / Σ aⱼ².
struct linear_model {
  std::vector<double> coefficients;

  double operator()(std::span<const double> u) const {
    double y = 0;
    for (std::size_t i = 0; i < coefficients.size(); ++i) y += coefficients[i] * u[i];
    return y;
  }
  double share(std::size_t i) const {
    double sum = 0;
    for (double c : coefficients) sum += c * c;
    return coefficients[i] * coefficients[i] / sum;
  }
};

bool covers(const interval_estimate& interval, double value) { return interval.low <= value && value <= interval.high; }

void print_index(const char* name, std::size_t i, const interval_estimate& e, double truth) {
  std::printf("  %s[%zu] = %.4f [%.4f, %.4f]  analytic %.4f  error %+.4f\n", name, i, e.estimate, e.low, e.high, truth,
              e.estimate - truth);
}

/// The paths of the problems `call` threw as input_error; fails the test on anything else.
std::vector<std::string> thrown_paths(const std::function<void()>& call) {
  try {
    call();
  } catch (const input_error& error) {
    std::vector<std::string> paths;
    for (const auto& problem : error.problems()) paths.push_back(problem.path);
    return paths;
  } catch (const std::exception& error) {
    ADD_FAILURE() << "not an input_error: " << error.what();
    return {};
  }
  ADD_FAILURE() << "nothing thrown";
  return {};
}

TEST(SobolIndices, IshigamiWithinTheirIntervalsAndTolerance) {
  const ishigami f;
  // Six intervals are checked at once: at 95 % each, all six cover the truth in only about two
  // runs of three, so these are 99 % intervals (all six covered in 89 of 100 seeds). Their
  // calibration at 95 % is the coverage test's business, below.
  const auto result = sobol_indices(3, f, {.base_samples = 8192, .confidence = 0.99, .seed = 1});
  ASSERT_EQ(result.indices.size(), 3u);
  // At N = 8192 the estimates' root-mean-square errors over 100 seeds are 0.005 to 0.017 (the
  // largest for ST₁); the tolerance is three times the largest.
  constexpr double tolerance = 0.05;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& index = result.indices[i];
    print_index("S", i, index.first_order, f.first_order()[i]);
    print_index("ST", i, index.total, f.total()[i]);
    EXPECT_TRUE(covers(index.first_order, f.first_order()[i])) << "input " << i;
    EXPECT_TRUE(covers(index.total, f.total()[i])) << "input " << i;
    EXPECT_NEAR(index.first_order.estimate, f.first_order()[i], tolerance) << "input " << i;
    EXPECT_NEAR(index.total.estimate, f.total()[i], tolerance) << "input " << i;
  }
  EXPECT_NEAR(result.variance, f.variance(), 0.05 * f.variance());
  EXPECT_NEAR(result.mean, f.a / 2.0, 0.1);  // E[sin² x₂] = ½, the other terms have mean 0
  EXPECT_EQ(result.evaluations, 8192u * 5u);
}

TEST(SobolIndices, LinearModelSharesVarianceBySquaredCoefficients) {
  const linear_model f{{1.0, 2.0, 3.0, 0.5}};
  // 99 % intervals for eight checks at once, as for Ishigami; the root-mean-square errors over
  // 100 seeds are at most 0.009 (ST of the largest coefficient).
  const auto result = sobol_indices(4, f, {.base_samples = 8192, .confidence = 0.99, .seed = 2});
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& index = result.indices[i];
    print_index("S", i, index.first_order, f.share(i));
    print_index("ST", i, index.total, f.share(i));
    EXPECT_TRUE(covers(index.first_order, f.share(i))) << "input " << i;
    EXPECT_TRUE(covers(index.total, f.share(i))) << "input " << i;
    EXPECT_NEAR(index.first_order.estimate, f.share(i), 0.03) << "input " << i;
    EXPECT_NEAR(index.total.estimate, f.share(i), 0.03) << "input " << i;
  }
  // A uniform on (0, 1) has mean ½ and variance 1/12.
  EXPECT_NEAR(result.mean, 6.5 / 2.0, 0.02);
  EXPECT_NEAR(result.variance, (1.0 + 4.0 + 9.0 + 0.25) / 12.0, 0.03);
}

TEST(SobolIndices, InputsTheFunctionIgnoresHaveExactlyZeroIndices) {
  const auto f = [](std::span<const double> u) { return std::exp(u[2]) + u[2] * u[2]; };
  const auto result = sobol_indices(5, f, {.base_samples = 2048, .seed = 3});
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& index = result.indices[i];
    if (i == 2) {
      EXPECT_NEAR(index.first_order.estimate, 1.0, 0.05);
      EXPECT_NEAR(index.total.estimate, 1.0, 0.05);
      EXPECT_TRUE(covers(index.total, 1.0));
      continue;
    }
    // f(A_B^i) and f(A) are the same number when f ignores input i, so both sums are exactly 0.
    EXPECT_EQ(index.total.estimate, 0.0) << "input " << i;
    EXPECT_EQ(index.total.low, 0.0) << "input " << i;
    EXPECT_EQ(index.total.high, 0.0) << "input " << i;
    EXPECT_EQ(index.first_order.estimate, 0.0) << "input " << i;
  }
}

void expect_identical(const sobol_result& x, const sobol_result& y) {
  ASSERT_EQ(x.indices.size(), y.indices.size());
  for (std::size_t i = 0; i < x.indices.size(); ++i)
    for (auto part : {&sobol_index::first_order, &sobol_index::total}) {
      EXPECT_EQ((x.indices[i].*part).estimate, (y.indices[i].*part).estimate) << "input " << i;
      EXPECT_EQ((x.indices[i].*part).low, (y.indices[i].*part).low) << "input " << i;
      EXPECT_EQ((x.indices[i].*part).high, (y.indices[i].*part).high) << "input " << i;
    }
  EXPECT_EQ(x.mean, y.mean);
  EXPECT_EQ(x.variance, y.variance);
  EXPECT_EQ(x.evaluations, y.evaluations);
}

TEST(SobolIndices, SameSeedGivesTheSameResultOnAnyThreadCount) {
  const ishigami f;
  // 1000 rows: the last unit of work is a partial one.
  const sobol_options one{.base_samples = 1000, .bootstrap = 100, .seed = 7, .threads = 1};
  sobol_options four = one;
  four.threads = 4;
  expect_identical(sobol_indices(3, f, one), sobol_indices(3, f, four));
}

TEST(SobolIndices, DifferentSeedsGiveDifferentSamples) {
  const ishigami f;
  const auto x = sobol_indices(3, f, {.base_samples = 512, .bootstrap = 50, .seed = 7});
  const auto y = sobol_indices(3, f, {.base_samples = 512, .bootstrap = 50, .seed = 8});
  EXPECT_NE(x.mean, y.mean);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NE(x.indices[i].total.estimate, y.indices[i].total.estimate);
}

TEST(SobolIndices, RowsDependOnlyOnSeedAndRowAndLieInsideTheCube) {
  std::mutex mutex;
  std::set<std::vector<double>> small, large;
  const auto recorder = [&](std::set<std::vector<double>>& into) {
    return function([&](std::span<const double> u) {
      std::lock_guard lock(mutex);
      into.emplace(u.begin(), u.end());
      return u[0] + u[1] * u[2];
    });
  };
  (void)sobol_indices(3, recorder(small), {.base_samples = 64, .bootstrap = 10, .seed = 5, .threads = 2});
  (void)sobol_indices(3, recorder(large), {.base_samples = 128, .bootstrap = 10, .seed = 5, .threads = 3});
  EXPECT_EQ(small.size(), 64u * 5u);
  EXPECT_TRUE(std::includes(large.begin(), large.end(), small.begin(), small.end()));
  for (const auto& point : large)
    for (double u : point) EXPECT_TRUE(u > 0.0 && u < 1.0) << u;
}

TEST(SobolIndices, BadOptionsNameTheirField) {
  const ishigami f;
  const auto paths = [&](std::size_t inputs, sobol_options options) {
    return thrown_paths([&] { (void)sobol_indices(inputs, f, options); });
  };
  using paths_list = std::vector<std::string>;
  EXPECT_EQ(paths(0, {}), paths_list{"inputs"});
  EXPECT_EQ(paths(100'001, {}), paths_list{"inputs"});
  EXPECT_EQ(paths(3, {.base_samples = 1}), paths_list{"base_samples"});
  EXPECT_EQ(paths(3, {.base_samples = 0}), paths_list{"base_samples"});
  EXPECT_EQ(paths(3, {.base_samples = 2'000'000'000}), paths_list{"base_samples"});
  EXPECT_EQ(paths(3, {.bootstrap = 0}), paths_list{"bootstrap"});
  for (double confidence : {0.0, 1.0, -0.5, 1.5, std::nan("")})
    EXPECT_EQ(paths(3, {.confidence = confidence}), paths_list{"confidence"}) << confidence;
  // Every problem at once, not just the first.
  EXPECT_EQ(paths(0, {.base_samples = 1, .bootstrap = 0, .confidence = 1.0}),
            (paths_list{"inputs", "base_samples", "bootstrap", "confidence"}));
  EXPECT_EQ(thrown_paths([] { (void)sobol_indices(2, function{}); }), paths_list{"f"});
  try {
    (void)sobol_indices(3, f, {.confidence = 1.0});
  } catch (const input_error& error) {
    EXPECT_STREQ(error.what(), "confidence: 1, but must be in (0, 1)");
    EXPECT_EQ(error.problems().front().code, problem_code::out_of_range);
  }
}

TEST(SobolIndices, NonFiniteOutputNamesTheFirstEvaluationOnAnyThreadCount) {
  const auto f = [](std::span<const double> u) { return u[0] < 0.02 && u[1] > 0.5 ? std::nan("") : u[0] + u[1]; };
  std::string messages[2];
  for (unsigned threads : {1u, 4u}) {
    try {
      (void)sobol_indices(2, f, {.base_samples = 4096, .threads = threads});
      ADD_FAILURE() << "nothing thrown";
    } catch (const input_error& error) {
      ASSERT_EQ(error.problems().size(), 1u);
      EXPECT_EQ(error.problems().front().path, "output");
      messages[threads == 4] = error.what();
    }
  }
  EXPECT_NE(messages[0].find("evaluation "), std::string::npos) << messages[0];
  EXPECT_NE(messages[0].find("gave nan at u = ("), std::string::npos) << messages[0];
  EXPECT_EQ(messages[0], messages[1]);
  std::printf("  %s\n", messages[0].c_str());
}

TEST(SobolIndices, OutputThatDoesNotVaryIsRefused) {
  try {
    (void)sobol_indices(3, [](std::span<const double>) { return 2.5; }, {.base_samples = 16});
    ADD_FAILURE() << "nothing thrown";
  } catch (const input_error& error) {
    EXPECT_EQ(error.problems().front().path, "output");
    EXPECT_NE(std::string(error.what()).find("every one of the 80 evaluations gave 2.5"), std::string::npos) << error.what();
  }
}

TEST(SobolIndices, ExceptionFromTheFunctionStopsTheOthersAndPropagates) {
  std::atomic<std::uint64_t> calls{0};
  const auto f = [&](std::span<const double> u) {
    ++calls;
    if (u[0] < 0.01) throw std::runtime_error("the model failed");
    return u[0];
  };
  const sobol_options options{.base_samples = 100'000, .threads = 4};
  EXPECT_THROW((void)sobol_indices(3, f, options), std::runtime_error);
  EXPECT_LT(calls.load(), 100'000u * 5u / 10u) << "the other threads went on after the failure";
}

TEST(SobolIndices, ProgressCountsEveryEvaluationOneCallAtATime) {
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false}, decreased{false};
  std::uint64_t last = 0, calls = 0, total_seen = 0;
  sobol_options options{.base_samples = 3000, .bootstrap = 20, .threads = 3};
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    if (inside++ != 0) overlapped = true;
    if (done < last) decreased = true;
    last = done, total_seen = total, ++calls;
    --inside;
  };
  const auto result = sobol_indices(4, linear_model{{1, 1, 1, 1}}, options);
  EXPECT_FALSE(overlapped);
  EXPECT_FALSE(decreased);
  EXPECT_GT(calls, 1u);
  EXPECT_EQ(total_seen, 3000u * 6u);
  EXPECT_EQ(last, result.evaluations);
}

// The percentile intervals claim 95 %: over independent runs they should cover the analytic
// total index about that often. Small runs keep this fast; they also make the bootstrap's
// known undercoverage show, so the bar is 85 %, well below 95 % yet far above chance.
TEST(SobolIndices, BootstrapIntervalsCoverTheTruthAboutAsOftenAsTheyClaim) {
  const linear_model f{{1.0, 2.0, 3.0}};
  constexpr int runs = 100;
  std::array<int, 3> first_covered{}, total_covered{};
  for (int seed = 0; seed < runs; ++seed) {
    const auto result = sobol_indices(3, f, {.base_samples = 256, .bootstrap = 200, .seed = static_cast<std::uint64_t>(seed) + 1000});
    for (std::size_t i = 0; i < 3; ++i) {
      first_covered[i] += covers(result.indices[i].first_order, f.share(i));
      total_covered[i] += covers(result.indices[i].total, f.share(i));
    }
  }
  for (std::size_t i = 0; i < 3; ++i) {
    std::printf("  input %zu: S covered in %d of %d runs, ST in %d\n", i, first_covered[i], runs, total_covered[i]);
    EXPECT_GE(total_covered[i], 85) << "input " << i;
    EXPECT_GE(first_covered[i], 85) << "input " << i;
  }
}

}  // namespace
}  // namespace aftermath

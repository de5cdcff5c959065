#include <aftermath/curve.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace aftermath {
namespace {

bateman_curve curve(double lag, double tp, double hl) { return bateman_curve::from_clinical(days(lag), days(tp), days(hl)); }

TEST(BatemanCurve, PeaksAtOneAtTheRequestedTime) {
  for (double tp : {0.05, 0.5, 1.0, 2.9}) {
    const auto c = curve(0.5, tp, 2.5);
    EXPECT_NEAR(c.peak_time().count(), 0.5 + tp, 1e-9);
    EXPECT_NEAR(c(days(0.5 + tp)), 1.0, 1e-12);
    EXPECT_LT(c(days(0.5 + tp - 0.01)), 1.0);
    EXPECT_LT(c(days(0.5 + tp + 0.01)), 1.0);
  }
}

TEST(BatemanCurve, DecaysWithTheHalfLifeOnceThePeakHasPassed) {
  const auto c = curve(0.0, 1.0, 3.0);
  // Far past the peak the rise term has vanished: each half-life halves the value.
  EXPECT_NEAR(c(days(40.0)) / c(days(37.0)), 0.5, 1e-6);
}

TEST(BatemanCurve, ZeroUntilTheLag) {
  const auto c = curve(1.0, 2.0, 1.5);
  EXPECT_EQ(c(days(0.0)), 0.0);
  EXPECT_EQ(c(days(1.0)), 0.0);
  EXPECT_GT(c(days(1.01)), 0.0);
}

TEST(BatemanCurve, RejectsImpossibleShapes) {
  EXPECT_THROW(curve(0.0, 5.0, 3.0), std::domain_error);  // 5 ≥ 3 / ln 2
  EXPECT_THROW(curve(-1.0, 1.0, 3.0), std::domain_error);
  EXPECT_THROW(curve(0.0, 0.0, 3.0), std::domain_error);
  EXPECT_THROW(curve(0.0, 1.0, -3.0), std::domain_error);
  EXPECT_NO_THROW(curve(0.0, 4.0, 3.0));  // 4 < 4.328: steep but possible
}

TEST(BatemanCurve, PropertyBoundedContinuousAndUnimodal) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lag(0.0, 2.0), hl(0.2, 20.0), frac(0.02, 0.98);
  for (int trial = 0; trial < 200; ++trial) {
    const double h = hl(rng);
    const auto c = curve(lag(rng), frac(rng) * h / std::log(2.0), h);
    double previous = 0.0;
    bool past_peak = false;
    for (double t = 0.0; t < 200.0; t += 0.01) {
      const double v = c(days(t));
      ASSERT_GE(v, 0.0);
      ASSERT_LE(v, 1.0 + 1e-12);
      ASSERT_LT(std::abs(c(days(t + 1e-7)) - v), 1e-3) << "jump at t=" << t;  // continuous
      if (past_peak) {
        ASSERT_LE(v, previous + 1e-12) << "rose again after the peak at t=" << t;
      }
      past_peak = t > c.peak_time().count();  // from the next step on, both points are past it
      previous = v;
    }
  }
}

TEST(BatemanCurve, VectorisedMatchesScalar) {
  const auto c = curve(0.3, 0.8, 2.0);
  const Eigen::ArrayXd t = Eigen::ArrayXd::LinSpaced(301, -1.0, 29.0);
  const Eigen::ArrayXd v = c(t);
  for (Eigen::Index i = 0; i < t.size(); ++i) EXPECT_NEAR(v[i], c(days(t[i])), 1e-14);
}

TEST(BatemanCurve, StretchedScalesTimeToPeakAndHalfLife) {
  const auto c = curve(0.5, 1.0, 2.0);
  const auto s = c.stretched(2.0);
  EXPECT_NEAR(s.peak_time().count(), 0.5 + 2.0, 1e-9);
  EXPECT_NEAR(s.half_life().count(), 4.0, 1e-12);
  EXPECT_NEAR(s(days(0.5 + 2 * 0.7)), c(days(0.5 + 0.7)), 1e-12);
}

TEST(BatemanCurve, TimeBelowForGoodIsAfterThePeakAndExact) {
  const auto c = curve(0.0, 1.0, 2.0);
  const double t = c.time_below_for_good(4.0, 0.5).count();
  EXPECT_GT(t, c.peak_time().count());
  EXPECT_NEAR(4.0 * c(days(t)), 0.5, 1e-9);
  EXPECT_EQ(c.time_below_for_good(0.4, 0.5).count(), 0.0);  // never reaches the threshold
}

}  // namespace
}  // namespace aftermath

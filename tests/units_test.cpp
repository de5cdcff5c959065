#include <aftermath/units.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace aftermath {
namespace {

TEST(Severity, CheckedRejectsOutsideTheScale) {
  EXPECT_EQ(severity::checked(0.0).value(), 0.0);
  EXPECT_EQ(severity::checked(10.0).value(), 10.0);
  EXPECT_THROW((void)severity::checked(10.5), std::domain_error);
  EXPECT_THROW((void)severity::checked(-0.1), std::domain_error);
  EXPECT_THROW((void)severity::checked(std::numeric_limits<double>::quiet_NaN()), std::domain_error);
}

TEST(Severity, ClampedClampsButRejectsNaN) {
  EXPECT_EQ(severity::clamped(12.0).value(), 10.0);
  EXPECT_EQ(severity::clamped(-3.0).value(), 0.0);
  EXPECT_THROW((void)severity::clamped(std::numeric_limits<double>::quiet_NaN()), std::domain_error);
}

TEST(Severity, MessageNamesValueAndRange) {
  try {
    (void)severity::checked(12.0);
    FAIL();
  } catch (const std::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("severity is 12"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("[0, 10]"), std::string::npos);
  }
}

TEST(Probability, CheckedRange) {
  EXPECT_EQ(probability::checked(1.0).value(), 1.0);
  EXPECT_THROW((void)probability::checked(1.01), std::domain_error);
  EXPECT_THROW((void)probability::checked(-0.01), std::domain_error);
}

TEST(ShiftLogOdds, CombinesOnTheLogitScale) {
  // p = 0.5 and OR = 3 give odds 3, so p = 0.75 — not 0.5 · 3.
  EXPECT_NEAR(shift_log_odds(probability::checked(0.5), std::log(3.0)).value(), 0.75, 1e-12);
  EXPECT_NEAR(shift_log_odds(probability::checked(0.8), std::log(4.0)).value(), 16.0 / 17.0, 1e-12);
  EXPECT_EQ(shift_log_odds(probability::checked(0.0), 5.0).value(), 0.0);
  EXPECT_EQ(shift_log_odds(probability::checked(1.0), -5.0).value(), 1.0);
}

TEST(Days, IsAChronoDuration) {
  const days d = std::chrono::hours(36);
  EXPECT_DOUBLE_EQ(d.count(), 1.5);
}

}  // namespace
}  // namespace aftermath

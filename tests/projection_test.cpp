#include <aftermath/io/json.hpp>
#include <aftermath/projection.hpp>

#include <gtest/gtest.h>

#include "support/exact_enumeration.hpp"
#include "support/profiles.hpp"

namespace aftermath {
namespace {

using testing::patient_with;

projection project_for(std::vector<risk_factor> factors, std::vector<int> sessions = {0}, projection_options options = {}) {
  return project(personalise(default_model(), patient_with(std::move(factors), std::move(sessions))), options);
}

const effect_projection& effect_of(const projection& p, const std::string& id) {
  for (const auto& e : p.effects)
    if (e.id == id) return e;
  throw std::out_of_range(id);
}

TEST(DefaultModel, RednessAndSwellingResolveWithinAFewDays) {
  const auto p = project_for({});
  for (auto id : {"redness", "swelling"}) {
    const auto& e = effect_of(p, id);
    EXPECT_LE(e.resolved.p50.count(), 4.0) << id;
    EXPECT_LE(e.resolved.p95.count(), 7.0) << id;
    EXPECT_GT(e.resolved.p50.count(), 0.5) << id;
  }
}

TEST(DefaultModel, BruisingTakesSeveralDaysToWeeks) {
  const auto e = effect_of(project_for({}), "bruising");
  EXPECT_GE(e.resolved.p50.count(), 4.0);
  EXPECT_LE(e.resolved.p50.count(), 10.0);
  EXPECT_GE(e.resolved.p95.count(), 10.0);
  EXPECT_LE(e.resolved.p95.count(), 28.0);
}

TEST(DefaultModel, DrynessStartsAfterTheFirstDayAndResolvesWithinAWeek) {
  const auto e = effect_of(project_for({}), "dryness");
  EXPECT_LT(e.curve[0].p_visible.value(), 1e-9);
  EXPECT_LT(e.curve[1].p_visible.value(), 1e-9);
  EXPECT_EQ(e.curve[1].p95.value(), 0.0);
  EXPECT_GT(e.curve[3].p_visible.value(), 0.01);
  EXPECT_LE(e.resolved.p50.count(), 7.0);
}

TEST(DefaultModel, ResultsAreVisiblyUnderWayBetweenDayThreeAndSeven) {
  const auto p = project_for({}, {0}, {.horizon = days(60), .points_per_day = 24});
  double peak = 0.0;
  for (const auto& r : p.results) peak = std::max(peak, r.p50);
  const auto half = std::find_if(p.results.begin(), p.results.end(), [&](const auto& r) { return r.p50 >= 0.5 * peak; });
  EXPECT_GE(half->day.count(), 3.0);
  EXPECT_LE(half->day.count(), 7.0);
  EXPECT_LT(p.results.back().p50, peak);  // fades over months
}

TEST(DefaultModel, ResultsBuildOverSessionsWithDiminishingReturns) {
  const auto one = project_for({}, {0}, {.horizon = days(90)});
  const auto three = project_for({}, {0, 14, 28}, {.horizon = days(90)});
  const auto peak = [](const projection& p) {
    double best = 0.0;
    for (const auto& r : p.results) best = std::max(best, r.p50);
    return best;
  };
  EXPECT_GT(peak(three), 1.5 * peak(one));
  EXPECT_LT(peak(three), 3.0 * peak(one));
}

class RaisesBruising : public ::testing::TestWithParam<const char*> {};

TEST_P(RaisesBruising, MoreLikelyAndLonger) {
  const auto base = effect_of(project_for({}), "bruising");
  const auto with = effect_of(project_for({{GetParam(), std::nullopt}}), "bruising");
  EXPECT_GT(with.occurs.value(), base.occurs.value());
  EXPECT_GT(with.resolved.p50.count(), base.resolved.p50.count());
  EXPECT_GT(with.resolved.p95.count(), base.resolved.p95.count());
}

INSTANTIATE_TEST_SUITE_P(EachModifier, RaisesBruising,
                         ::testing::Values("bruise_prone", "blood_thinners", "aspirin", "nsaid", "anticoagulant", "supplement"));

TEST(Modifiers, SensitiveSkinRaisesRednessAndDryness) {
  const auto base = project_for({});
  const auto sensitive = project_for({{"sensitive_skin", std::nullopt}});
  for (auto id : {"redness", "dryness"}) EXPECT_GT(effect_of(sensitive, id).occurs.value(), effect_of(base, id).occurs.value()) << id;
}

TEST(Modifiers, AspirinStoppedTenDaysBeforeHasAlmostNoEffectTwoDaysKeepsMost) {
  const auto stopped = [](int days_before) {
    return effect_of(project_for({{"aspirin", testing::day(2026, 12, 1) - boost::gregorian::days(days_before)}}), "bruising");
  };
  const auto base = effect_of(project_for({}), "bruising");
  const auto taking = effect_of(project_for({{"aspirin", std::nullopt}}), "bruising");
  const auto ten = stopped(10), two = stopped(2);
  EXPECT_NEAR(ten.occurs.value(), base.occurs.value(), 0.01 * base.occurs.value());
  EXPECT_NEAR(ten.resolved.p95.count(), base.resolved.p95.count(), 0.01 * base.resolved.p95.count());
  EXPECT_GT(two.occurs.value() - base.occurs.value(), 0.7 * (taking.occurs.value() - base.occurs.value()));
  EXPECT_GT(two.resolved.p95.count() - base.resolved.p95.count(), 0.6 * (taking.resolved.p95.count() - base.resolved.p95.count()));
}

TEST(Projection, BandsAreOrderedFiniteAndOnTheScale) {
  const auto p = project_for({{"bruise_prone", std::nullopt}, {"anticoagulant", std::nullopt}, {"sensitive_skin", std::nullopt}},
                             {0, 7, 14, 21, 28, 35}, {.horizon = days(60)});
  for (const auto& e : p.effects) {
    ASSERT_EQ(e.curve.size(), 61u);
    for (const auto& b : e.curve) {
      ASSERT_TRUE(std::isfinite(b.p05.value()) && std::isfinite(b.p50.value()) && std::isfinite(b.p95.value()));
      ASSERT_LE(b.p05, b.p50) << e.id << " day " << b.day.count();
      ASSERT_LE(b.p50, b.p95) << e.id << " day " << b.day.count();
      ASSERT_GE(b.p05.value(), 0.0);
      ASSERT_LE(b.p95.value(), 10.0);
      ASSERT_GE(b.p_visible.value(), 0.0);
      ASSERT_LE(b.p_visible.value(), 1.0);
    }
    EXPECT_TRUE(std::isfinite(e.resolved.p95.count()));
    EXPECT_LE(e.resolved.p50, e.resolved.p95);
    EXPECT_GE(e.peak.p95, e.peak.p50);
  }
}

TEST(Projection, QuantilesAreContinuousInTime) {
  const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, {0, 14}));
  for (const auto& e : course.effects)
    for (double t = 0.05; t < 30.0; t += 0.37)
      for (double q : {0.05, 0.5, 0.95}) {
        const double here = severity_quantile(e, days(t), q).value();
        const double next = severity_quantile(e, days(t + 1e-5), q).value();
        ASSERT_LT(std::abs(next - here), 0.01) << e.id << " q" << q << " at " << t;
      }
}

TEST(Projection, DeterministicBitForBit) {
  const auto profile = patient_with({{"aspirin", testing::day(2026, 11, 28)}}, {0, 14, 28});
  const auto a = to_json(project(personalise(default_model(), profile)), profile);
  const auto b = to_json(project(personalise(default_model(), profile)), profile);
  EXPECT_EQ(a, b);
}

TEST(Projection, OccurrenceOverSessionsIsOneMinusTheChanceOfNone) {
  const auto course = personalise(default_model(), patient_with({}, {0, 14, 28}));
  const auto& e = testing::effect_named(course, "bruising");
  const double p = e.sessions[0].occurrence.value();
  EXPECT_NEAR(occurrence_probability(e).value(), 1.0 - std::pow(1.0 - p, 3), 1e-12);
}

TEST(Projection, LaterSessionsAddTheirOwnBout) {
  const auto p = project_for({}, {0, 14});
  const auto& e = effect_of(p, "redness");
  EXPECT_LT(e.curve[10].p_visible.value(), 0.01);
  EXPECT_GT(e.curve[15].p_visible.value(), 0.2);
  EXPECT_GT(e.resolved.p50.count(), 14.0);
}

TEST(Projection, QuadratureHasConverged) {
  const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, {0, 14}));
  for (const auto& e : course.effects) {
    const double coarse = resolution_quantile(e, severity::checked(0.5), 0.95, 40).count();
    const double fine = resolution_quantile(e, severity::checked(0.5), 0.95, 120).count();
    EXPECT_NEAR(coarse, fine, 0.002 * fine) << e.id;
    const double s40 = severity_quantile(e, days(3.0), 0.5, 40).value();
    const double s120 = severity_quantile(e, days(3.0), 0.5, 120).value();
    EXPECT_NEAR(s40, s120, 0.002 * s120 + 1e-4) << e.id;
  }
}

TEST(Projection, RisksAndAftercareAreDatedFromTheSessions) {
  const auto p = project_for({}, {0, 14});
  for (const auto& r : p.risks) {
    EXPECT_EQ(r.watch_from, r.onset_from);
    EXPECT_EQ(r.watch_until, days(14) + r.onset_to);
    EXPECT_GT(r.occurs.value(), 0.0);
    EXPECT_LT(r.occurs.value(), 0.1);
  }
  const auto sun = std::count_if(p.aftercare.begin(), p.aftercare.end(), [](const auto& a) { return a.id == "sun"; });
  EXPECT_EQ(sun, 2);  // one window after each session
}

TEST(Projection, RejectsBadOptions) {
  const auto course = personalise(default_model(), patient_with({}));
  EXPECT_THROW((void)project(course, {.horizon = days(-1)}), input_error);
  EXPECT_THROW((void)project(course, {.horizon = days(std::nan(""))}), input_error);
  EXPECT_THROW((void)project(course, {.horizon = days(5000)}), input_error);
  EXPECT_THROW((void)project(course, {.horizon = std::nullopt, .points_per_day = 0}), input_error);
  EXPECT_THROW((void)project(course, {.horizon = std::nullopt, .points_per_day = 1, .quadrature_nodes = 2}), input_error);
}

TEST(Projection, ALongCourseOfSpacedSessionsProjects) {
  std::vector<int> monthly;
  for (int j = 0; j < 15; ++j) monthly.push_back(30 * j);
  const auto p = project_for({}, monthly, {.horizon = days(20)});
  for (const auto& e : p.effects) {
    EXPECT_LE(e.resolved.p50, e.resolved.p95) << e.id;
    EXPECT_GT(e.resolved.p95.count(), 420.0) << e.id;  // the last session can bring it back
    EXPECT_LT(e.resolved.p95.count(), 460.0) << e.id;
  }
  // Redness follows three sessions in four, so it is usually last seen after the last one.
  EXPECT_GT(effect_of(p, "redness").resolved.p50.count(), 420.0);
}

TEST(Projection, DailySessionsThatAllOverlapProject) {
  // Twenty daily sessions: at the slow-healing nodes every one of them overlaps every other, which
  // the exact enumeration refused (more than 14) and now costs no more than a few sessions.
  std::vector<int> daily;
  for (int j = 0; j < 20; ++j) daily.push_back(j);
  const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, daily));
  EXPECT_THROW(testing::exact::project(course, {.horizon = days(40)}), input_error);
  const auto p = project(course, {.horizon = days(40)});
  for (const auto& e : p.effects) {
    for (const auto& b : e.curve) {
      ASSERT_LE(b.p05, b.p50) << e.id << " day " << b.day.count();
      ASSERT_LE(b.p50, b.p95) << e.id << " day " << b.day.count();
      ASSERT_GE(b.p_visible.value(), 0.0);
      ASSERT_LE(b.p_visible.value(), 1.0);
    }
    EXPECT_LE(e.resolved.p50, e.resolved.p95) << e.id;
  }
  const auto& bruising = effect_of(p, "bruising");
  EXPECT_GT(bruising.occurs.value(), 0.99);                    // twenty chances at 46 %
  EXPECT_GT(bruising.curve[15].p50.value(), bruising.curve[1].p50.value());  // bruises stack up
  EXPECT_GT(bruising.resolved.p50.count(), 19.0);              // gone only after the last session
}

TEST(Projection, PeakStaysInsideTheProjectedRange) {
  const auto p = project_for({}, {0}, {.horizon = days(0)});
  for (const auto& e : p.effects) EXPECT_EQ(e.peak.day.count(), 0.0) << e.id;
}

TEST(Projection, QuantileFunctionsCheckTheirArguments) {
  const auto course = personalise(default_model(), patient_with({}));
  const auto& e = course.effects.front();
  EXPECT_THROW((void)severity_quantile(e, days(1), 1.5), input_error);
  EXPECT_THROW((void)severity_quantile(e, days(1), 0.5, 0), input_error);
  EXPECT_THROW((void)resolution_quantile(e, severity::checked(0.5), std::nan("")), input_error);
}

TEST(Projection, DefaultHorizonIsThirtyDaysAfterTheLastSession) {
  const auto p = project_for({}, {0, 21});
  EXPECT_EQ(p.horizon.count(), 51.0);
  EXPECT_EQ(p.effects[0].curve.size(), 52u);
}

}  // namespace
}  // namespace aftermath

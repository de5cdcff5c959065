// The engine behind projections against the exact enumeration of every set of overlapping sessions
// (support/exact_enumeration.hpp), which is slow but obviously correct: on every course it can
// still enumerate, each band is the exact quantile at a level within the bound the engine reports,
// every P(visible) is within that bound, and the exact resolved mass at each resolution quantile
// lies within the engine's bracket. On the courses it cannot enumerate, the bound stays as small.
#include "core/effect_engine.hpp"

#include <aftermath/io/json.hpp>
#include <aftermath/projection.hpp>

#include <gtest/gtest.h>

#include "support/exact_enumeration.hpp"
#include "support/profiles.hpp"

namespace aftermath {
namespace {

using testing::patient_with;

/// The bound every conditional P(S ≤ s | occurs) must meet, as documented (README, Limits).
constexpr double documented_bound = 3e-4;
/// Quantiles and roots are solved to about this; the checks allow it on top of the bound.
constexpr double solver_slack = 1e-8;

struct named_course {
  const char* name;
  profile patient;
  double horizon;
};

std::vector<named_course> enumerable_courses() {
  std::vector<int> monthly, weekly8;
  for (int j = 0; j < 10; ++j) monthly.push_back(30 * j);
  for (int j = 0; j < 8; ++j) weekly8.push_back(7 * j);
  return {
      {"one session", patient_with({}), 60},
      {"bruise-prone on aspirin stopped two days before, three sessions",
       patient_with({{"bruise_prone", std::nullopt}, {"sensitive_skin", std::nullopt}, {"aspirin", testing::day(2026, 11, 29)}}, {0, 7, 21}),
       45},
      {"four sessions two weeks apart", patient_with({}, {0, 14, 28, 42}), 72},
      {"six weekly, bruise-prone", patient_with({{"bruise_prone", std::nullopt}}, {0, 7, 14, 21, 28, 35}), 60},
      {"eight weekly on an anticoagulant", patient_with({{"anticoagulant", std::nullopt}}, weekly8), 79},
      {"ten monthly", patient_with({}, monthly), 300},
  };
}

class AgainstExactEnumeration : public ::testing::TestWithParam<std::size_t> {};

TEST_P(AgainstExactEnumeration, BandsVisibleChanceAndResolutionAreWithinTheReportedBound) {
  const auto course_spec = enumerable_courses()[GetParam()];
  const auto course = personalise(default_model(), course_spec.patient);
  for (const auto& effect : course.effects) {
    SCOPED_TRACE(std::string(course_spec.name) + ": " + effect.id);
    detail::effect_engine engine(effect, 40);
    testing::exact::effect_engine exact(effect, 40);
    ASSERT_NEAR(engine.occurs(), exact.occurs(), 1e-12);
    const double occurs = engine.occurs();
    for (double t = 0.0; t <= course_spec.horizon; t += 0.5) {
      const auto& at = engine.severity_at(t);
      const double bound = at.error_bound() + solver_slack;
      ASSERT_LE(at.error_bound(), documented_bound * occurs) << "day " << t;
      exact.build_severity_mixture(t, [&](std::size_t i, std::size_t j) { return exact.contribution(i, j, t); });
      for (double q : {0.05, 0.5, 0.95}) {
        const double s = at.quantile(q);
        if (s >= severity::max_value) continue;
        if (s < 0.05) {
          // Where contributions below the floor (1e-4 points at a peak 5 SDs high) can matter,
          // the two agree in severity instead.
          ASSERT_NEAR(s, exact.severity_quantile(q, s), 2e-3) << "q" << q << " day " << t;
          continue;
        }
        const double level = exact.severity_mass_below(std::log(s));
        ASSERT_NEAR(level, q * occurs, bound) << "q" << q << " day " << t << " severity " << s;
      }
      ASSERT_NEAR(at.visible_chance(course.visible_threshold.value()), exact.visible_chance(course.visible_threshold.value()), bound) << "day " << t;
    }
    for (double q : {0.5, 0.95}) {
      const double t = engine.resolution_quantile(q, course.resolved_threshold.value());
      const auto bracket = engine.resolved_mass(t, course.resolved_threshold.value());
      EXPECT_LE(bracket.high - bracket.low, 2.0 * documented_bound * occurs) << "q" << q;
      const double exact_mass = exact.resolution_mass_by(t, course.resolved_threshold.value());
      EXPECT_GE(exact_mass, bracket.low - solver_slack) << "q" << q << " day " << t;
      EXPECT_LE(exact_mass, bracket.high + solver_slack) << "q" << q << " day " << t;
      // The root is solved to 2e-5 of its time: so much later or earlier moves the mass this far.
      const double dt = 2e-5 * std::max(1.0, t);
      const double moved = std::abs(exact.resolution_mass_by(t + dt, course.resolved_threshold.value()) -
                                    exact.resolution_mass_by(std::max(0.0, t - dt), course.resolved_threshold.value()));
      EXPECT_NEAR(exact_mass, q * occurs, 0.5 * (bracket.high - bracket.low) + moved + 1e-9) << "q" << q;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Courses, AgainstExactEnumeration, ::testing::Range<std::size_t>(0, 6));

TEST(EffectEngine, ProjectionAgreesWithTheExactProjection) {
  // The public projection, peaks included, for a course both can compute.
  const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, {0, 7, 14, 21}));
  const auto fast = project(course, {.horizon = days(50)});
  const auto exact = testing::exact::project(course, {.horizon = days(50)});
  for (std::size_t e = 0; e < fast.effects.size(); ++e) {
    const auto& a = fast.effects[e];
    const auto& b = exact.effects[e];
    const auto close = [](double x, double y) { return std::abs(x - y) <= std::max(0.002, 0.003 * y); };
    for (std::size_t k = 0; k < a.curve.size(); ++k) {
      EXPECT_TRUE(close(a.curve[k].p05.value(), b.curve[k].p05.value())) << a.id << " p05 day " << k;
      EXPECT_TRUE(close(a.curve[k].p50.value(), b.curve[k].p50.value())) << a.id << " p50 day " << k;
      EXPECT_TRUE(close(a.curve[k].p95.value(), b.curve[k].p95.value())) << a.id << " p95 day " << k;
    }
    EXPECT_NEAR(a.peak.p50.value(), b.peak.p50.value(), 0.003 * b.peak.p50.value() + 1e-3) << a.id;
    EXPECT_NEAR(a.peak.p95.value(), b.peak.p95.value(), 0.003 * b.peak.p95.value() + 1e-3) << a.id;
    EXPECT_NEAR(a.resolved.p50.count(), b.resolved.p50.count(), 0.002 * b.resolved.p50.count()) << a.id;
    EXPECT_NEAR(a.resolved.p95.count(), b.resolved.p95.count(), 0.002 * b.resolved.p95.count()) << a.id;
  }
}

/// Courses no enumeration can do: the engine still meets the documented bound at every time.
class BeyondEnumeration : public ::testing::TestWithParam<int> {};

TEST_P(BeyondEnumeration, TheBoundHoldsEverywhere) {
  const int sessions = GetParam();
  std::vector<int> weekly;
  for (int j = 0; j < sessions; ++j) weekly.push_back(7 * j);
  const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, weekly));
  for (const auto& effect : course.effects) {
    detail::effect_engine engine(effect, 40);
    for (double t = 0.0; t <= 7.0 * (sessions - 1) + 30.0; t += 1.0) engine.severity_at(t);
    EXPECT_LE(engine.error_bound(), documented_bound) << effect.id;
    const double p95 = engine.resolution_quantile(0.95, course.resolved_threshold.value());
    const auto bracket = engine.resolved_mass(p95, course.resolved_threshold.value());
    EXPECT_LE(bracket.high - bracket.low, 2.0 * documented_bound * engine.occurs()) << effect.id;
  }
}

INSTANTIATE_TEST_SUITE_P(WeeklyCourses, BeyondEnumeration, ::testing::Values(16, 52));

TEST(EffectEngine, AnswersDoNotDependOnWhatWasAskedBeforeBeyondTheBound) {
  // The engine keeps each node's old sessions' law between questions; a fresh engine builds it
  // where it is asked. The two answers differ only within the bound.
  const auto course = personalise(default_model(), patient_with({{"bruise_prone", std::nullopt}}, {0, 7, 14, 21, 28, 35, 42, 49}));
  const auto& bruising = testing::effect_named(course, "bruising");
  detail::effect_engine walked(bruising, 40);
  for (double t = 0.0; t < 70.0; t += 0.25) walked.severity_at(t);
  for (double t : {52.0, 60.0, 70.0}) {
    detail::effect_engine fresh(bruising, 40);
    const auto& a = walked.severity_at(t);
    const double a50 = a.quantile(0.5), bound = a.error_bound();
    const auto& b = fresh.severity_at(t);
    EXPECT_NEAR(b.percentile(a50), 0.5, (bound + b.error_bound()) / walked.occurs() + 1e-9) << "day " << t;
  }
}

TEST(EffectEngine, SameInputSameBytesForALongCourse) {
  std::vector<int> weekly;
  for (int j = 0; j < 30; ++j) weekly.push_back(7 * j);
  const auto profile = patient_with({{"aspirin", testing::day(2026, 11, 28)}}, weekly);
  EXPECT_EQ(to_json(project(personalise(default_model(), profile)), profile), to_json(project(personalise(default_model(), profile)), profile));
}

TEST(EffectEngine, RejectsEffectsItCannotUse) {
  auto course = personalise(default_model(), patient_with({}));
  auto effect = course.effects.front();
  effect.peak_sd = 0.0;
  EXPECT_THROW(detail::effect_engine(effect, 40), input_error);
  effect = course.effects.front();
  effect.sessions.front().time_scale = -1.0;
  EXPECT_THROW(detail::effect_engine(effect, 40), input_error);
}

}  // namespace
}  // namespace aftermath

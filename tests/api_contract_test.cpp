// The C++ API has no undefined behaviour: every precondition is checked with an input_error
// naming the field, limits apply to what the caller wrote, and `validate` lists up front exactly
// what each service would refuse.
#include <aftermath/aftermath.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "support/profiles.hpp"

namespace aftermath {
namespace {

using testing::day;
using testing::patient_with;

const model& m() { return default_model(); }

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
  }
  return {};
}

std::vector<std::string> paths_of(const std::vector<input_problem>& problems) {
  std::vector<std::string> paths;
  for (const auto& problem : problems) paths.push_back(problem.path);
  return paths;
}

TEST(ApiContract, DatesOfAProfileWithoutSessionsAreAnErrorNotACrash) {
  const profile empty;
  EXPECT_EQ(thrown_paths([&] { (void)date_after_first(empty, days(3.0)); }), std::vector<std::string>{"sessions"});
  EXPECT_EQ(thrown_paths([&] { (void)days_since_first(empty, {day(2026, 12, 1), std::nullopt}); }), std::vector<std::string>{"sessions"});
  const profile one = patient_with({});
  EXPECT_EQ(thrown_paths([&] { (void)date_after_first(one, days(1e12)); }), std::vector<std::string>{"offset"});
}

TEST(ApiContract, AMinuteOfDayOutsideTheDayIsRefusedWhereverASessionIsUsed) {
  profile p = patient_with({}, {0, 7});
  p.sessions[1].minute_of_day = 5000;  // would move the session by 3.5 days
  EXPECT_EQ(paths_of(check_profile(m(), p)), std::vector<std::string>{"sessions[1].time"});
  EXPECT_EQ(thrown_paths([&] { (void)personalise(m(), p); }), std::vector<std::string>{"sessions[1].time"});
  EXPECT_EQ(thrown_paths([&] { (void)days_since_first(p, p.sessions[1]); }), std::vector<std::string>{"session.time"});
  p.sessions[1].minute_of_day = -1;
  EXPECT_EQ(paths_of(check_profile(m(), p)), std::vector<std::string>{"sessions[1].time"});
  p.sessions[1].minute_of_day = 1439;
  EXPECT_TRUE(check_profile(m(), p).empty());
}

TEST(ApiContract, AMedicineStoppedAfterEverySessionIsRefusedAndOneStoppedBetweenSessionsCounts) {
  profile p = patient_with({{"aspirin", day(2026, 12, 20)}}, {0, 14});  // sessions 12-01 and 12-15
  const auto problems = validate(m(), p);
  ASSERT_EQ(paths_of(problems), std::vector<std::string>{"risk_factors[0].stopped_on"});
  EXPECT_EQ(problems[0].code, problem_code::conflict);
  EXPECT_NE(problems[0].message.find("after the last session (2026-12-15)"), std::string::npos) << problems[0].message;
  EXPECT_EQ(thrown_paths([] {
              (void)parse_profile(R"({"risk_factors": [{"id": "aspirin", "stopped_on": "2026-12-20"}], "sessions": ["2026-12-01"]})", m());
            }),
            std::vector<std::string>{"risk_factors[0].stopped_on"});
  // personalise keeps its documented meaning: taken at every session, as if never stopped.
  const auto late_course = personalise(m(), p);
  const auto taking_course = personalise(m(), patient_with({{"aspirin", std::nullopt}}, {0, 14}));
  const auto& stopped_late = testing::effect_named(late_course, "bruising");
  const auto& taking = testing::effect_named(taking_course, "bruising");
  EXPECT_EQ(stopped_late.sessions[1].occurrence.value(), taking.sessions[1].occurrence.value());

  // Stopped between the sessions: taken at the first, wearing off by the second.
  p.risk_factors[0].stopped_on = day(2026, 12, 5);
  const auto course = personalise(m(), p);
  const auto& bruising = testing::effect_named(course, "bruising");
  const auto without_course = personalise(m(), patient_with({}, {0, 14}));
  const auto& without = testing::effect_named(without_course, "bruising");
  EXPECT_GT(bruising.sessions[0].occurrence.value(), without.sessions[0].occurrence.value());
  EXPECT_LT(bruising.sessions[1].occurrence.value(), bruising.sessions[0].occurrence.value());
}

TEST(ApiContract, ACourseSpansAtMostTenYearsAndItsDefaultHorizonIsNeverRefused) {
  profile p = patient_with({}, {0, max_course_days});
  ASSERT_TRUE(check_profile(m(), p).empty());
  const auto projected = project(personalise(m(), p));  // the default horizon reaches 3680 days
  EXPECT_DOUBLE_EQ(projected.horizon.count(), max_course_days + days_after_last_session);
  EXPECT_EQ(thrown_paths([&] { (void)project(personalise(m(), p), {.horizon = days(max_course_days + 1.0)}); }),
            std::vector<std::string>{"horizon"});

  p.sessions[1].day += boost::gregorian::days(1);
  EXPECT_EQ(paths_of(check_profile(m(), p)), std::vector<std::string>{"sessions[1]"});
  personal_course hand_built = personalise(m(), patient_with({}, {0}));
  hand_built.session_starts.push_back(days(1e7));
  EXPECT_EQ(thrown_paths([&] { (void)project(hand_built); }), std::vector<std::string>{"sessions"});
}

TEST(ApiContract, APopulationWhoseSessionsReachTenYearsKeepsItsDefaultHorizon) {
  const auto population = parse_population(R"({"sessions_days": [0, 3650], "n": 10})", m());
  EXPECT_EQ(population.horizon_days, 3680);
  EXPECT_TRUE(validate(m(), population).empty());
  try {
    (void)parse_population(R"({"sessions_days": [0, 3650], "n": 10, "horizon_days": 3651})", m());
    FAIL() << "a horizon the user wrote beyond 3650 days was accepted";
  } catch (const input_error& error) {
    EXPECT_EQ(error.problems().at(0).path, "horizon_days");
  }
}

TEST(ApiContract, ValidateListsWhatProjectWouldRefuse) {
  profile bad = patient_with({{"vampire", std::nullopt}, {"aspirin", day(2027, 1, 1)}}, {0, 7});
  bad.sessions[1].minute_of_day = 2000;
  const projection_options options{.horizon = days(-1.0), .points_per_day = 30};
  const auto problems = paths_of(validate(m(), bad, options));
  EXPECT_EQ(problems, (std::vector<std::string>{"risk_factors[0]", "sessions[1].time", "risk_factors[1].stopped_on", "horizon",
                                                "points_per_day"}));
  // What the service throws is among what validate listed (which adds the late stop).
  for (const auto& path : thrown_paths([&] { (void)project(personalise(m(), bad), options); }))
    EXPECT_NE(std::find(problems.begin(), problems.end(), path), problems.end()) << path;

  const profile good = patient_with({{"aspirin", day(2026, 11, 28)}}, {0, 7});
  EXPECT_TRUE(validate(m(), good).empty());
  EXPECT_NO_THROW((void)project(personalise(m(), good)));
}

TEST(ApiContract, ValidateListsWhatAssessWouldRefuse) {
  const profile p = patient_with({}, {0});
  const std::vector<symptom_report> reports = {{days(1.0), "redness", 3.0, {}}, {days(2.0), "sparkles", 11.0, {}}};
  const auto listed = paths_of(validate(m(), p, reports, {}));
  EXPECT_EQ(listed, thrown_paths([&] { (void)assess(m(), personalise(m(), p), reports); }));
  EXPECT_FALSE(listed.empty());
  EXPECT_EQ(paths_of(validate(m(), p, reports, {.quadrature_nodes = 3})), std::vector<std::string>{"quadrature_nodes"});
  EXPECT_TRUE(validate(m(), p, {reports[0]}, {}).empty());
}

TEST(ApiContract, ValidateListsWhatPlanAndSimulateWouldRefuse) {
  plan_request request;
  request.protocol = "face_initial";
  request.earliest = day(2026, 12, 1);
  request.patient.patient = "p";
  EXPECT_TRUE(validate(m(), request).empty());
  request.protocol = "face_sparkle";
  request.events.push_back({"wedding", day(2027, 2, 1), 1.5});
  const auto listed = paths_of(validate(m(), request));
  EXPECT_EQ(listed, thrown_paths([&] { (void)plan(m(), request); }));
  EXPECT_EQ(listed.size(), 2u);

  // A stop after the sessions done may come before those planned: planning takes it.
  request.protocol = "face_initial";
  request.events.clear();
  request.patient.risk_factors = {{"aspirin", day(2027, 6, 1)}};
  EXPECT_TRUE(validate(m(), request).empty());
  EXPECT_NO_THROW((void)plan(m(), request));

  population people;
  people.session_days = {0, 7};
  people.n = 0;
  people.horizon_days = -1;
  EXPECT_EQ(paths_of(validate(m(), people)), paths_of(check_population(m(), people)));
  EXPECT_FALSE(validate(m(), people).empty());
}

}  // namespace
}  // namespace aftermath

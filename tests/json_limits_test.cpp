// Every JSON reader refuses what it cannot hold (a number too large for a double, invalid UTF-8,
// a document beyond the stated limits) with an input_error naming the path, never a library's
// own exception.
#include <aftermath/io/json.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "io/json_reader.hpp"
#include "support/profiles.hpp"

namespace aftermath {
namespace {

const profile& one_session() {
  static const profile p = testing::patient_with({});
  return p;
}

/// The only problem `load` raised; fails the test when it raised something else or nothing.
input_problem single_problem(const std::function<void()>& load) {
  try {
    load();
  } catch (const input_error& error) {
    EXPECT_EQ(error.problems().size(), 1u) << error.what();
    if (!error.problems().empty()) return error.problems().front();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "not an input_error: " << error.what();
    return {};
  }
  ADD_FAILURE() << "accepted";
  return {};
}

struct overflow_case {
  const char* loader;
  std::function<void(const std::string&)> load;
  std::string document;
  std::string path;
};

TEST(JsonLimits, ANumberTooLargeForADoubleIsNamedInEveryLoader) {
  const model& m = default_model();
  const std::vector<overflow_case> cases = {
      {"profile", [&](const std::string& t) { (void)parse_profile(t, m, "p.json"); }, R"({"patient": 1e999, "sessions": []})", "patient"},
      {"reports", [&](const std::string& t) { (void)parse_reports(t, m, one_session(), "r.json"); },
       R"({"reports": [{"day": 1e400, "symptom": "redness", "severity": 2}]})", "reports[0].day"},
      {"population", [&](const std::string& t) { (void)parse_population(t, m, "pop.json"); },
       R"({"protocol": "face_initial", "n": 100, "risk_factors": {"aspirin": -1e999}})", "risk_factors.aspirin"},
      {"plan request", [&](const std::string& t) { (void)parse_plan_request(t, m, "req.json"); },
       R"({"protocol": "face_initial", "earliest": "2026-12-01", "calendar": {"holidays": [{"name": "x", "month": 1e999}]}})",
       "calendar.holidays[0].month"},
      {"model", [&](const std::string& t) { (void)parse_model(t, "m.json"); }, R"({"id": "x", "effects": [{"incidence": 9e99999}]})",
       "effects[0].incidence"},
      {"partial summary", [&](const std::string& t) { (void)parse_partial(t, m, "part.json"); }, R"({"partial_summary": 1E+400})",
       "partial_summary"},
  };
  for (const auto& c : cases) {
    const input_problem problem = single_problem([&] { c.load(c.document); });
    EXPECT_EQ(problem.path, c.path) << c.loader;
    EXPECT_EQ(problem.code, problem_code::out_of_range) << c.loader;
    EXPECT_NE(problem.message.find("too large for a double"), std::string::npos) << c.loader << ": " << problem.message;
    EXPECT_FALSE(problem.source.empty()) << c.loader;
  }
}

TEST(JsonLimits, InvalidUtf8IsMalformedAtItsPath) {
  const auto problem = single_problem([] { (void)parse_profile("{\"patient\": \"a\xff\", \"sessions\": []}", default_model(), "p.json"); });
  EXPECT_EQ(problem.path, "patient");
  EXPECT_EQ(problem.code, problem_code::malformed);
  EXPECT_NE(problem.message.find("ill-formed UTF-8"), std::string::npos) << problem.message;
  // The message never repeats the invalid bytes, so it stays printable and writable as JSON.
  EXPECT_EQ(problem.message.find('\xff'), std::string::npos);
}

TEST(JsonLimits, ADuplicateKeyIsNamedByItsPath) {
  const auto problem = single_problem([] {
    (void)parse_profile(R"({"patient": "a", "sessions": [{"date": "2026-12-01", "date": "2026-12-02"}]})", default_model());
  });
  EXPECT_EQ(problem.path, "sessions[0].date");
  EXPECT_EQ(problem.message, "appears twice in one object");
}

TEST(JsonLimits, SyntaxErrorsNameThePathAndThePosition) {
  const auto problem = single_problem([] { (void)parse_profile("{\"sessions\": [\"2026-12-01\",\n }", default_model()); });
  EXPECT_EQ(problem.path, "sessions[1]");
  EXPECT_NE(problem.message.find("malformed JSON at line 2, column 2"), std::string::npos) << problem.message;
  EXPECT_EQ(single_problem([] { (void)parse_profile("", default_model()); }).path, "(top level)");
}

/// parse_json_text with one bound lowered, so each bound is crossed by a small document.
input_problem problem_under(const json_limits& limits, const std::string& text) {
  return single_problem([&] { (void)io::parse_json_text(text, "doc", limits); });
}

TEST(JsonLimits, EachStatedBoundIsEnforcedWithItsPath) {
  json_limits limits;
  limits.max_depth = 3;
  EXPECT_NO_THROW((void)io::parse_json_text(R"({"a": [{"b": 1}]})", "doc", limits));
  auto problem = problem_under(limits, R"({"a": [{"b": [1]}]})");
  EXPECT_EQ(problem.path, "a[0].b");
  EXPECT_EQ(problem.code, problem_code::out_of_range);
  EXPECT_NE(problem.message.find("nested more than 3"), std::string::npos) << problem.message;

  limits = {};
  limits.max_string_bytes = 4;
  EXPECT_NO_THROW((void)io::parse_json_text(R"({"abcd": "wxyz"})", "doc", limits));
  EXPECT_EQ(problem_under(limits, R"({"abcd": "vwxyz"})").path, "abcd");
  EXPECT_EQ(problem_under(limits, R"({"abcde": 1})").path, "abcde");

  limits = {};
  limits.max_array_items = 2;
  EXPECT_NO_THROW((void)io::parse_json_text(R"({"a": [1, 2]})", "doc", limits));
  problem = problem_under(limits, R"({"a": [1, 2, [3]]})");
  EXPECT_EQ(problem.path, "a");
  EXPECT_NE(problem.message.find("more than 2 items"), std::string::npos) << problem.message;

  limits = {};
  limits.max_object_members = 2;
  problem = problem_under(limits, R"({"x": {"a": 1, "b": 2, "c": 3}})");
  EXPECT_EQ(problem.path, "x");
  EXPECT_NE(problem.message.find("more than 2 members"), std::string::npos) << problem.message;

  limits = {};
  limits.max_document_bytes = 10;
  problem = problem_under(limits, R"({"a": "0123456789"})");
  EXPECT_EQ(problem.path, "(top level)");
  EXPECT_NE(problem.message.find("more than the limit of 10"), std::string::npos) << problem.message;
}

TEST(JsonLimits, TheDefaultDepthLimitHoldsForEveryLoader) {
  const std::string deep = std::string(default_json_limits.max_depth + 1, '[') + std::string(default_json_limits.max_depth + 1, ']');
  const auto problem = single_problem([&] { (void)parse_population(deep, default_model()); });
  EXPECT_EQ(problem.code, problem_code::out_of_range);
  EXPECT_NE(problem.message.find("nested more than 64"), std::string::npos) << problem.message;
}

TEST(JsonLimits, ManyProblemsAreCountedPastTheListedOnes) {
  std::string text = R"({"patient": "a", "sessions": ["2026-12-01"])";
  const std::size_t unknown = default_json_limits.max_listed_problems + 50;
  for (std::size_t i = 0; i < unknown; ++i) text += ", \"k" + std::to_string(i) + "\": 1";
  text += "}";
  try {
    (void)parse_profile(text, default_model(), "p.json");
    FAIL() << "accepted";
  } catch (const input_error& error) {
    ASSERT_EQ(error.problems().size(), default_json_limits.max_listed_problems + 1);
    EXPECT_EQ(error.problems().back().message, "and 50 more problems, not listed");
    EXPECT_EQ(error.problems().back().source, "p.json");
  }
}

TEST(JsonLimits, FuzzFindingsAreInputErrors) {
  // An empty risk factor id reached personalise unchecked; a huge partial format was cast to int.
  const auto empty_id = single_problem([] { (void)parse_profile(R"({"risk_factors": [""], "sessions": ["2026-12-01"]})", default_model()); });
  EXPECT_EQ(empty_id.path, "risk_factors[0]");
  try {
    (void)parse_partial(R"({"partial_summary": {"format": 3.3e71}})", default_model(), "part.json");
    ADD_FAILURE() << "accepted";
  } catch (const input_error& error) {
    EXPECT_EQ(error.problems().front().path, "partial_summary") << error.what();
  }
}

TEST(JsonLimits, KeyOrderIsKeptForWhatTheWritersEcho) {
  const auto document = io::parse_json_text(R"({"z": 1, "a": 2, "m": {"y": 1, "b": 2}})", "doc");
  EXPECT_EQ(document.dump(), R"({"z":1,"a":2,"m":{"y":1,"b":2}})");
}

}  // namespace
}  // namespace aftermath

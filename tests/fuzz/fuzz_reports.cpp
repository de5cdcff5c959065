// The reports loader: parse_reports for a fixed profile (the sample patient of
// examples/profile.json), then assess, whose numbers must be finite and percentiles in order.
#include "fuzz_support.hpp"
#include "output_checks.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/profile.hpp>

using namespace aftermath;

namespace {

/// examples/profile.json, kept here so that a crash file reproduces without the tree.
constexpr std::string_view sample_profile = R"({"patient": "anon-17", "treatment": "mesotherapy_face",
 "risk_factors": ["bruise_prone", "sensitive_skin", {"id": "aspirin", "stopped_on": "2026-11-24"}],
 "procedure": ["topical_anaesthetic"],
 "sessions": ["2026-12-01", {"date": "2026-12-15", "time": "14:30"}]})";

struct fixed_patient {
  profile patient = parse_profile(sample_profile, default_model());
  personal_course course = personalise(default_model(), patient);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixed_patient fixed;
  const std::string_view input = fuzz::text_of(data, size);
  return fuzz::run_input([&] {
    const model& m = default_model();
    const auto reports = fuzz::load([&] { return parse_reports(input, m, fixed.patient); });
    const assessment assessed = assess(m, fixed.course, reports);
    fuzz::check_assessment(assessed);
    fuzz::require_no_nan_text(to_json(assessed, m, fixed.patient, -1), input, "the assessment");
  });
}

// Reading symptom reports, for the reports document and for a planning request's `reports`.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include "json_reader.hpp"

#include <aftermath/assessment.hpp>
#include <aftermath/profile.hpp>

#include <vector>

namespace aftermath::inline io {

/// The reports in `list` (the array at "reports"), each read and checked against the model and
/// the profile's sessions (`check_reports`); a check on a field that could not be read is not
/// repeated. Every problem goes to `in`; no report is dropped.
std::vector<symptom_report> read_reports(reader& in, const json& list, const model& model, const profile& profile);

}  // namespace aftermath::io

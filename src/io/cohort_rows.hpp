// Per-patient rows of a cohort simulation as CSV, long format (one row per patient and effect).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath::io {

/// patient,group,effect,sessions,resolved_after_last_days,visible_days
std::string_view cohort_rows_header();

/// One row: `sessions` are 0-based session indices, written 1-based and joined by ';'; an
/// unknown resolution time (the effect did not occur) is an empty field, which pandas and R
/// read as missing.
void append_cohort_row(std::string& out, std::uint64_t patient, std::string_view group, std::string_view effect,
                       const std::vector<int>& sessions, std::optional<double> resolved_after_last, double visible_days);

}  // namespace aftermath::io

// aftermath: CSV out, for research (long format, one row per patient and effect).
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include <aftermath/simulation.hpp>

#include <iosfwd>

namespace aftermath::inline io {

/// Whether a rows file begins with its header: a part of a run split over processes that does
/// not begin the run leaves it out, so that the parts in order make the single run's file.
enum class csv_header { written, left_out };

/// Writes the header `patient,group,effect,sessions,resolved_after_last_days,visible_days` to
/// `out` at once (unless left out), and returns a sink for `simulation_options::outcomes` that writes one row per
/// outcome: sessions 1-based and joined by ';', days with four decimals, an unknown resolution
/// time (the effect did not occur) as an empty field, which pandas and R read as missing, and
/// RFC 4180 quoting where a field needs it. `out` must outlive the simulation.
[[nodiscard]] outcome_sink cohort_rows_csv(std::ostream& out, csv_header header = csv_header::written);

}  // namespace aftermath::io

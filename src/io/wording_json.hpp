// The model's wording section: reading (every sentence present, every placeholder known) and
// writing it back.
#pragma once
#define AFTERMATH_HEADER_LAYER 2
#include <aftermath/detail/layer.hpp>

#include "json_reader.hpp"

#include <aftermath/model.hpp>

namespace aftermath::inline io {

/// Reads `wording` from the model's root into m.wording, recording every problem with its path.
void read_wording(reader& in, const json& root, model& m);

/// The sentences; the caller adds wording.leaflet.likely_from, a parameter.
json to_json_value(const wording_spec& wording);

}  // namespace aftermath::io

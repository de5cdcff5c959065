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

/// Records a problem at `path` for each placeholder in `text` that is not among `allowed`.
void check_placeholders(reader& in, const std::string& path, std::string_view text, std::initializer_list<std::string_view> allowed);

/// The sentences, without wording.leaflet.likely_from (a parameter, written by the model's writer).
json to_json_value(const wording_spec& wording);

/// The whole wording section as the model file holds it (src/io/model_json.cpp).
json wording_to_json(const wording_spec& wording);

}  // namespace aftermath::io

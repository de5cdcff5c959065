// Modifiers by kind: a profile that names a kind (`nsaid_long_acting`) and a broader modifier it
// specialises (`nsaid`, or `blood_thinners` further up) counts only the kind, however many steps
// lie between them.
#pragma once

#include <aftermath/model.hpp>
#include <aftermath/profile.hpp>

#include <algorithm>
#include <vector>

namespace aftermath::detail {

/// Whether another of `factors` is a kind of `factor`, so that `factor` does not count.
inline bool superseded(const model& model, const std::vector<risk_factor>& factors, const risk_factor& factor) {
  return std::any_of(factors.begin(), factors.end(), [&](const risk_factor& other) { return model.is_kind_of(other.id, factor.id); });
}

/// The factors that count, in their order: those no other named factor is a kind of.
inline std::vector<risk_factor> counted_factors(const model& model, const std::vector<risk_factor>& factors) {
  std::vector<risk_factor> kept;
  for (const auto& factor : factors)
    if (!superseded(model, factors, factor)) kept.push_back(factor);
  return kept;
}

}  // namespace aftermath::detail

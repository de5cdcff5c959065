// Looking up the model's, a course's or a calendar's items by their string id.
#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

namespace aftermath::detail {

/// The first item whose `key` member equals `wanted`, or null.
template <typename Item, typename Key>
const Item* find_by(const std::vector<Item>& items, std::string_view wanted, Key Item::*key) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.*key == wanted; });
  return it == items.end() ? nullptr : &*it;
}

/// The first item whose `id` equals `wanted`, or null.
template <typename Item>
const Item* find_by_id(const std::vector<Item>& items, std::string_view wanted) {
  return find_by(items, wanted, &Item::id);
}

}  // namespace aftermath::detail

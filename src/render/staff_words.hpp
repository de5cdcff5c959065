// The words clinic staff see where an output would otherwise show an id: an effect's, an
// aftercare item's, a medicine's or a protocol's name, and a plan item's label, all from the
// model (its names, wording.plan and wording.staff). The text reports and the staff charts share
// them; JSON keeps the ids. An id the model cannot name shows as itself, and a model built in
// code without staff wording gets English labels, so that nothing is left blank.
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include "../core/wording.hpp"

#include <aftermath/model.hpp>
#include <aftermath/plan.hpp>

#include <algorithm>
#include <string>

namespace aftermath::inline render::staff {

/// The pattern, or `english` where the model has none.
inline const std::string& pattern_or(const std::string& pattern, const std::string& english) { return pattern.empty() ? english : pattern; }

/// The name of the item with this id, or the id where there is none (or it has no name).
template <typename Item>
std::string name_or_id(const std::vector<Item>& items, const std::string& id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.id == id; });
  return it == items.end() || it->name.empty() ? id : it->name;
}

inline std::string effect_name(const model& m, const std::string& id) { return name_or_id(m.effects, id); }
inline std::string aftercare_name(const model& m, const std::string& id) { return name_or_id(m.aftercare, id); }
inline std::string medicine_name(const model& m, const std::string& id) { return name_or_id(m.modifiers, id); }
inline std::string protocol_name(const model& m, const std::string& id) { return name_or_id(m.protocols, id); }

/// What a plan item is, in words: "session 3", "maintenance session 5", "follow-up 2",
/// "aftercare 1: Sun and sunbeds", "medication pause 1: Aspirin".
inline std::string item_label(const model& m, const plan_item& item) {
  static const std::string session = "session {number}", maintenance = "maintenance session {number}", follow_up = "follow-up {number}",
                           aftercare = "aftercare {number}: {name}", pause = "medication pause {number}: {name}";
  const auto& plan = m.wording.plan;
  const auto& words = m.wording.staff;
  const std::string number = std::to_string(item.number);
  switch (item.kind) {
    case plan_item_kind::session: return detail::fill(pattern_or(plan.session, session), {{"number", number}});
    case plan_item_kind::maintenance: return detail::fill(pattern_or(plan.maintenance_session, maintenance), {{"number", number}});
    case plan_item_kind::follow_up: return detail::fill(pattern_or(words.follow_up_item, follow_up), {{"number", number}});
    case plan_item_kind::aftercare:
      return detail::fill(pattern_or(words.aftercare_item, aftercare), {{"number", number}, {"name", aftercare_name(m, item.id)}});
    case plan_item_kind::medication_pause:
      return detail::fill(pattern_or(words.pause_item, pause), {{"number", number}, {"name", medicine_name(m, item.id)}});
  }
  return std::string(to_string(item.kind)) + " " + number;
}

}  // namespace aftermath::render::staff

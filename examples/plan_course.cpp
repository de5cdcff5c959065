// Plan a facial course on a clinic's calendar: the example in the README. The clinic's booking
// system sends the request; the plan gives the dates with their reasons, and an iCalendar file
// the patient can import.
#include <aftermath/aftermath.hpp>

#include <fstream>
#include <iostream>

int main() {
  using namespace aftermath;
  const model& model = default_model();
  const plan_request request = parse_plan_request(R"({
      "profile": {"patient": "anon-17", "risk_factors": ["bruise_prone", "aspirin"]},
      "protocol": "face_initial",
      "earliest": "2026-12-01",
      "calendar": {"open_weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "holidays": ["us_federal"]},
      "unavailable": [{"from": "2026-12-20", "to": "2027-01-03"}],
      "events": [{"date": "2027-02-14", "name": "wedding", "require": "no_visible_side_effects"}],
      "medication_pause_approved": true,
      "maintenance_until": "2027-12-31"})",
                                                  model);

  const treatment_plan planned = plan(model, request);

  std::cout << (planned.feasible ? "Feasible" : "Not feasible") << "\n";
  for (const plan_item& item : planned.items)
    if (item.kind == plan_item_kind::session || item.kind == plan_item_kind::maintenance ||
        item.kind == plan_item_kind::medication_pause)
      std::cout << iso_date(item.from) << " " << to_string(item.kind) << " " << item.number << ": " << item.reason << "\n";
  for (const event_outcome& event : planned.events)
    std::cout << event.name << " on " << iso_date(event.day) << ": clear with at least " << 100.0 * event.chance_clear << " % ("
              << (event.satisfied ? "met" : "not met") << ")\n";

  // The caller passes the time stamp: the library never reads the clock.
  std::ofstream("plan_course.ics") << to_icalendar(planned, {"20261123T090000Z"});
  std::cout << "Wrote plan_course.ics with " << planned.items.size() << " events\n";
}

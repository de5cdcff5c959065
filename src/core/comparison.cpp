// Two populations on the same patients: both arms per patient in one pass, the per-patient
// differences summed exactly. See comparison.hpp.
#include <aftermath/comparison.hpp>

#include "cohort_kernel.hpp"
#include "patient_chunks.hpp"

#include <cmath>
#include <stdexcept>

namespace aftermath {
namespace {

// Σd² needs more than 64 bits; the 128-bit integer of GCC and Clang holds every product exactly.
__extension__ using uint128 = unsigned __int128;

constexpr double interval_z = 1.959963984540054;  // the normal's 97.5 % quantile

std::uint64_t magnitude(std::int64_t x) { return x < 0 ? 0 - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x); }

/// Days in the fixed point of day_histogram's sums, capped alike, so that the paired sums of
/// visible days are exactly the difference of the two arms' sum_units.
std::int64_t day_units(double value) {
  if (value <= 0.0) return 0;
  const double capped = value < 1e5 ? value : 1e5;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(capped * day_histogram::units_per_day + 0.5));
}

/// One patient's outcome for one effect under both arms, into the paired sums. Each arm's chance
/// per session is its own: occurrences_B/sessions_B − occurrences_A/sessions_A, in units of
/// 1/(sessions_A · sessions_B).
void add_patient(const patient_outcome& a, const patient_outcome& b, std::int64_t sessions_a, std::int64_t sessions_b,
                 effect_difference_tally& t) {
  const bool in_a = a.resolved_after_last_days.has_value(), in_b = b.resolved_after_last_days.has_value();
  t.occurred.add(static_cast<std::int64_t>(in_b) - static_cast<std::int64_t>(in_a));
  t.per_session.add(static_cast<std::int64_t>(b.sessions.size()) * sessions_a - static_cast<std::int64_t>(a.sessions.size()) * sessions_b);
  t.visible_days.add(day_units(b.visible_days) - day_units(a.visible_days));
  if (in_a && in_b) t.resolution_days.add(day_units(*b.resolved_after_last_days) - day_units(*a.resolved_after_last_days));
}

/// One thread's share: each patient under arm A and arm B into their own tallies and buffers,
/// then the two buffers walked in lockstep (the same patients, effects in the same order).
struct paired_worker {
  detail::patient_simulator arm_a;
  detail::patient_simulator arm_b;
  paired_tally& tally;
  std::int64_t sessions_a;
  std::int64_t sessions_b;
  detail::outcome_buffer outcomes_a{};
  detail::outcome_buffer outcomes_b{};

  void operator()(std::uint64_t /*chunk*/, std::uint64_t first, std::uint64_t last) {
    outcomes_a.clear();
    outcomes_b.clear();
    for (std::uint64_t i = first; i < last; ++i) {
      arm_a.run(i, tally.population, &outcomes_a);
      arm_b.run(i, tally.compared, &outcomes_b);
    }
    arm_a.flush(tally.population);
    arm_b.flush(tally.compared);
    const auto a = outcomes_a.outcomes(), b = outcomes_b.outcomes();
    const std::size_t per_patient = tally.effects.size() + 1;  // the effects, then "any"
    for (std::size_t k = 0; k < a.size(); ++k) {
      const std::size_t e = k % per_patient;
      add_patient(a[k], b[k], sessions_a, sessions_b, e < tally.effects.size() ? tally.effects[e] : tally.any);
    }
  }
};

void check_pair(const model& model, const population& a, const population& b, const simulation_options& options) {
  std::vector<input_problem> problems = check_population(model, a);
  for (auto& problem : check_population(model, b)) problem.source = "compared", problems.push_back(std::move(problem));
  if (a.n != b.n)
    problems.push_back({"n", std::to_string(b.n) + " in the compared population but " + std::to_string(a.n) +
                                 "; paired arms need the same patients", problem_code::conflict, "compared"});
  if (a.seed != b.seed)
    problems.push_back({"seed", std::to_string(b.seed) + " in the compared population but " + std::to_string(a.seed) +
                                    "; paired arms need the same patients", problem_code::conflict, "compared"});
  if (options.outcomes)
    problems.push_back({"outcomes", "are streamed for one population at a time; simulate each arm for its rows", problem_code::conflict});
  if (!problems.empty()) throw input_error(std::move(problems));
}

effect_difference difference_of(std::string id, std::string name, const effect_difference_tally& t, double per_session_units) {
  return {std::move(id),
          std::move(name),
          estimate_difference(t.occurred, 1.0),
          estimate_difference(t.per_session, per_session_units),
          estimate_difference(t.visible_days, day_histogram::units_per_day),
          estimate_difference(t.resolution_days, day_histogram::units_per_day),
          t.resolution_days.count};
}

}  // namespace

void paired_sum::add(std::int64_t difference) {
  const uint128 square = static_cast<uint128>(magnitude(difference)) * magnitude(difference);
  ++count;
  sum += difference;
  squares_high += static_cast<std::uint64_t>(square >> 32);
  squares_low += static_cast<std::uint64_t>(square & 0xffff'ffffu);
}

paired_sum& paired_sum::operator+=(const paired_sum& other) {
  count += other.count;
  sum += other.sum;
  squares_high += other.squares_high;
  squares_low += other.squares_low;
  return *this;
}

effect_difference_tally& effect_difference_tally::operator+=(const effect_difference_tally& other) {
  occurred += other.occurred;
  per_session += other.per_session;
  visible_days += other.visible_days;
  resolution_days += other.resolution_days;
  return *this;
}

paired_tally& paired_tally::operator+=(const paired_tally& other) {
  if (effects.size() != other.effects.size()) throw std::invalid_argument("paired tallies of different models cannot be added");
  population += other.population;
  compared += other.compared;
  for (std::size_t e = 0; e < effects.size(); ++e) effects[e] += other.effects[e];
  any += other.any;
  return *this;
}

paired_tally empty_paired_tally(const model& model, const population& population, const aftermath::population& compared) {
  return {empty_tally(model, population), empty_tally(model, compared), std::vector<effect_difference_tally>(model.effects.size()), {}};
}

paired_tally simulate_paired(const model& model, const population& population, const aftermath::population& compared, const simulation_options& options) {
  check_pair(model, population, compared, options);
  const patient_range range = detail::patients_of(population, options);
  const detail::cohort_kernel kernel_a(model, population), kernel_b(model, compared);
  const unsigned threads = detail::threads_for(range, options.threads);
  std::vector<paired_tally> tallies(threads, empty_paired_tally(model, population, compared));
  const auto sessions_a = static_cast<std::int64_t>(population.session_days.size());
  const auto sessions_b = static_cast<std::int64_t>(compared.session_days.size());
  detail::run_in_chunks(range, threads, options.progress, [&](unsigned t) {
    return paired_worker{detail::patient_simulator(kernel_a, population.seed), detail::patient_simulator(kernel_b, compared.seed), tallies[t],
                         sessions_a, sessions_b};
  });
  for (unsigned t = 1; t < threads; ++t) tallies[0] += tallies[t];
  return std::move(tallies[0]);
}

std::optional<difference_estimate> estimate_difference(const paired_sum& s, double units_per_value) {
  if (s.count < 2) return std::nullopt;
  // m·Σd² − (Σd)² = m(m − 1)·sd², exact: with |d| < 2³³ and m ≤ 10⁹ < 2³⁰ each term is below 2¹²⁶.
  const uint128 m = s.count, squares = (static_cast<uint128>(s.squares_high) << 32) + s.squares_low;
  const uint128 sum_magnitude = magnitude(s.sum);
  const uint128 spread = m * squares - sum_magnitude * sum_magnitude;
  const double count = static_cast<double>(s.count);
  const double estimate = static_cast<double>(s.sum) / count / units_per_value;
  const double se = std::sqrt(static_cast<double>(spread) / (count * count * (count - 1.0))) / units_per_value;
  return difference_estimate{estimate, se, estimate - interval_z * se, estimate + interval_z * se};
}

cohort_difference summarise_difference(const model& model, const population& population, const aftermath::population& compared,
                                       const paired_tally& tally) {
  const double per_session_units = static_cast<double>(population.session_days.size() * compared.session_days.size());
  cohort_difference out{tally.population.patients, {}, {}};
  for (std::size_t e = 0; e < model.effects.size(); ++e)
    out.effects.push_back(difference_of(model.effects[e].id, model.effects[e].name, tally.effects[e], per_session_units));
  out.any = difference_of("any", "Any side effect", tally.any, per_session_units);
  return out;
}

}  // namespace aftermath

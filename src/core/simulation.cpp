// Cohort simulation: checking the population, running patients on threads in chunks, adding
// up integer tallies, and reading quantiles and chances off them. See simulation.hpp.
#include <aftermath/simulation.hpp>

#include "checks.hpp"
#include "cohort_kernel.hpp"
#include "messages.hpp"
#include "patient_chunks.hpp"

#include <aftermath/profile.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace aftermath {
namespace {

using detail::known_ids;

constexpr std::uint64_t max_patients = 1'000'000'000;
constexpr std::size_t max_prevalences = 12;  // 2^12 kinds of patient, each personalised once
constexpr std::size_t max_profiles = 4096;
constexpr std::size_t max_sessions = 100;
constexpr int max_day = max_course_days;

/// One of a medicine's timings, given at `path`: it needs a washout, and whole days in [0, 3650].
void check_medicine_days(const modifier_spec& modifier, std::optional<int> days, const std::string& path, std::string_view stop,
                         std::vector<input_problem>& problems) {
  if (!days) return;
  detail::check_stop_has_washout(modifier, path, stop, problems);
  if (*days < 0 || *days > max_day)
    problems.push_back({path, std::to_string(*days) + ", but must be in [0, 3650]", problem_code::out_of_range});
}

void check_factor(const model& model, const population_factor& factor, const std::string& path, std::vector<input_problem>& problems) {
  const auto* modifier = detail::check_modifier_id(model, factor.id, path, modifier_category::patient, false, problems);
  if (!modifier) return;
  check_medicine_days(*modifier, factor.stopped_days_before, path + ".stopped_days_before", "day", problems);
  const std::string paused = path + ".paused_days_before_each_session";
  check_medicine_days(*modifier, factor.paused_days_before_each_session, paused, "day before each session", problems);
  // A medicine stopped for good is not also resumed after each session: one timing must go.
  if (factor.stopped_days_before && factor.paused_days_before_each_session)
    problems.push_back({paused, "is given beside stopped_days_before; give one of the two", problem_code::conflict});
}

void check_sessions(const population& p, std::vector<input_problem>& problems) {
  const std::string path = p.protocol.empty() ? "sessions_days" : "protocol";
  const auto& starts = p.session_days;
  if (starts.empty() || starts.size() > max_sessions)
    problems.push_back({path, std::to_string(starts.size()) + " sessions, but must be 1 to 100", problem_code::out_of_range});
  else if (starts.front() != 0)
    problems.push_back({path + "[0]", std::to_string(starts.front()) + ", but the first session is day 0", problem_code::out_of_range});
  detail::check_session_order(starts.size(), path, [&](std::size_t j) { return starts[j] > starts[j - 1]; },
                              [&](std::size_t j) { return std::to_string(starts[j]); }, "", problems);
  if (!starts.empty() && starts.back() > max_day)
    problems.push_back({path, "the last session, day " + std::to_string(starts.back()) + ", is beyond day 3650", problem_code::out_of_range});
  // A horizon may reach ten years, or as far as the default (last session + 30) when that is further.
  const int default_horizon = starts.empty() ? 0 : starts.back() + days_after_last_session;
  if (p.horizon_days < 0 || p.horizon_days > std::max(max_day, default_horizon))
    problems.push_back({"horizon_days", std::to_string(p.horizon_days) + ", but must be in [0, 3650]", problem_code::out_of_range});
}

void check_groups(const model& model, const population& p, std::vector<input_problem>& problems) {
  if (!p.prevalences.empty() && !p.profiles.empty())
    problems.push_back({"profiles", "give either risk_factors (prevalences) or profiles, not both", problem_code::conflict});
  if (p.prevalences.size() > max_prevalences)
    problems.push_back({"risk_factors", std::to_string(p.prevalences.size()) + " factors, but at most 12 (use profiles for more)",
                        problem_code::out_of_range});
  if (p.profiles.size() > max_profiles)
    problems.push_back({"profiles", std::to_string(p.profiles.size()) + " profiles, but at most 4096", problem_code::out_of_range});
  for (const auto& prevalence : p.prevalences) {
    const std::string path = "risk_factors." + prevalence.factor.id;
    check_factor(model, prevalence.factor, path, problems);
    for (const auto& other : p.prevalences)
      if (&other != &prevalence && other.factor.id == prevalence.factor.id)
        problems.push_back({path, "is listed twice", problem_code::conflict});
  }
  for (std::size_t g = 0; g < p.profiles.size(); ++g) {
    const std::string path = "profiles[" + std::to_string(g) + "]";
    if (!(p.profiles[g].weight > 0.0 && std::isfinite(p.profiles[g].weight)))
      problems.push_back({path + ".weight", detail::format_number(p.profiles[g].weight) + ", but must be > 0", problem_code::out_of_range});
    for (std::size_t k = 0; k < p.profiles[g].risk_factors.size(); ++k)
      check_factor(model, p.profiles[g].risk_factors[k], path + ".risk_factors[" + std::to_string(k) + "]", problems);
  }
}

void check_treatment_and_procedure(const model& model, const population& p, std::vector<input_problem>& problems) {
  if (!model.find_treatment(p.treatment))
    problems.push_back({"treatment", "unknown treatment '" + p.treatment + "' (known: " + known_ids(model.treatments) + ")",
                        problem_code::unknown_id});
  for (std::size_t k = 0; k < p.procedure.size(); ++k)
    detail::check_modifier_id(model, p.procedure[k], "procedure[" + std::to_string(k) + "]", modifier_category::procedure, false, problems);
}

void resize(effect_tally& t, std::size_t sessions, int horizon) {
  t.occurrences_by_session.assign(sessions, 0);
  t.visible_on_day.assign(static_cast<std::size_t>(horizon) + 1, 0);
}

template <typename T>
void add_elementwise(std::vector<T>& into, const std::vector<T>& from) {
  if (into.size() != from.size()) throw std::invalid_argument("tallies of different shapes cannot be added");
  for (std::size_t k = 0; k < into.size(); ++k) into[k] += from[k];
}

/// Delivers chunks' outcomes in chunk order, whichever thread finishes first; a thread that is
/// ahead waits, so at most one chunk of outcomes per thread is held in memory.
class ordered_outcomes {
 public:
  explicit ordered_outcomes(const outcome_sink& sink) : sink_(sink) {}
  void deliver(std::uint64_t chunk, detail::outcome_buffer& outcomes) {
    std::unique_lock lock(mutex_);
    turn_.wait(lock, [&] { return next_ == chunk || failed_; });
    if (!failed_) sink_(outcomes.outcomes());
    ++next_;
    turn_.notify_all();
  }
  void fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
    turn_.notify_all();
  }

 private:
  const outcome_sink& sink_;
  std::mutex mutex_;
  std::condition_variable turn_;
  std::uint64_t next_ = 0;
  bool failed_ = false;
};

/// One thread's share of a run: its patients into its own tally, outcomes handed on in order.
struct chunk_worker {
  detail::patient_simulator patient;
  cohort_tally& tally;
  ordered_outcomes& ordered;
  bool streamed;
  detail::outcome_buffer outcomes{};

  void operator()(std::uint64_t chunk, std::uint64_t first, std::uint64_t last) {
    outcomes.clear();
    for (std::uint64_t i = first; i < last; ++i) patient.run(i, tally, streamed ? &outcomes : nullptr);
    patient.flush(tally);
    if (streamed) ordered.deliver(chunk, outcomes);
  }
};

day_summary summarise_days(const day_histogram& h) {
  day_summary out{h.total, h.quantile(0.05), h.quantile(0.50), h.quantile(0.95), h.mean(), {}, {}};
  if (const auto sd = h.sd()) out.mean_se = *sd / std::sqrt(static_cast<double>(h.total));
  out.per_day.assign(day_histogram::days_covered + 1, 0);
  for (std::size_t b = 0; b < h.counts.size(); ++b) out.per_day[b / day_histogram::bins_per_day] += h.counts[b];
  return out;
}

probability share(std::uint64_t count, std::uint64_t total) {
  return probability::checked(total ? static_cast<double>(count) / static_cast<double>(total) : 0.0);
}

effect_summary summarise_effect(std::string id, std::string name, const effect_tally& t, std::uint64_t n) {
  effect_summary out{std::move(id), std::move(name), share(t.patients_affected, n), {}, {}, {}, {}, {}};
  std::uint64_t occurrences = 0;
  for (auto count : t.occurrences_by_session) occurrences += count, out.incidence_by_session.push_back(share(count, n));
  out.incidence_per_session = share(occurrences, n * t.occurrences_by_session.size());
  out.resolution = summarise_days(t.resolution);
  out.visible = summarise_days(t.visible);
  for (auto count : t.visible_on_day) out.p_visible_by_day.push_back(share(count, n));
  return out;
}

std::vector<double> results_by_day(const results_course& results, int horizon) {
  std::vector<double> out;
  for (int d = 0; d <= horizon; ++d) {
    double level = 0.0;
    for (std::size_t j = 0; j < results.starts.size(); ++j) level += results.gains[j] * results.shape(days(d) - results.starts[j]);
    out.push_back(level);
  }
  return out;
}

/// The first field in which two populations differ, for a merge error.
std::string first_difference(const population& a, const population& b) {
  if (a.n != b.n) return "n (" + std::to_string(a.n) + " and " + std::to_string(b.n) + ")";
  if (a.seed != b.seed) return "seed (" + std::to_string(a.seed) + " and " + std::to_string(b.seed) + ")";
  if (a.session_days != b.session_days || a.protocol != b.protocol) return "sessions";
  if (a.treatment != b.treatment || a.procedure != b.procedure) return "treatment or procedure";
  if (a.horizon_days != b.horizon_days) return "horizon_days";
  return "risk factors or profiles";
}

}  // namespace

std::vector<input_problem> check_population(const model& model, const population& p) {
  std::vector<input_problem> problems;
  if (p.n < 1 || p.n > max_patients)
    problems.push_back({"n", std::to_string(p.n) + ", but must be in [1, 1000000000]", problem_code::out_of_range});
  check_sessions(p, problems);
  check_treatment_and_procedure(model, p, problems);
  check_groups(model, p, problems);
  return problems;
}

patient_range shard_range(std::uint64_t n, std::uint64_t index, std::uint64_t count) {
  if (count == 0 || index >= count) throw std::invalid_argument("shard " + std::to_string(index) + " of " + std::to_string(count));
  // n · k / count without overflow: n ≤ 10^9 and k ≤ count ≤ 10^9 keep the product below 2^64.
  if (n > max_patients || count > max_patients) throw std::invalid_argument("at most 10^9 patients and shards");
  const auto boundary = [&](std::uint64_t k) { return n * k / count; };
  return {boundary(index), boundary(index + 1)};
}

day_histogram& day_histogram::operator+=(const day_histogram& other) {
  add_elementwise(counts, other.counts);
  total += other.total;
  sum_units += other.sum_units;
  zeros += other.zeros;
  return *this;
}

std::optional<double> day_histogram::quantile(double q) const {
  if (total == 0) return std::nullopt;
  const double target = q * static_cast<double>(total);
  if (target <= static_cast<double>(zeros)) return 0.0;
  std::uint64_t below = zeros;
  for (std::size_t b = 0; b < bins; ++b) {
    const std::uint64_t here = b == 0 ? counts[0] - zeros : counts[b];
    if (here > 0 && static_cast<double>(below + here) >= target) {
      const double within = std::clamp((target - static_cast<double>(below)) / static_cast<double>(here), 0.0, 1.0);
      return (static_cast<double>(b) + within) / bins_per_day;
    }
    below += here;
  }
  return std::nullopt;  // in the overflow bin: beyond 512 days
}

std::optional<double> day_histogram::mean() const {
  if (total == 0) return std::nullopt;
  return static_cast<double>(sum_units) / units_per_day / static_cast<double>(total);
}

std::optional<double> day_histogram::sd() const {
  if (total == 0 || counts[bins] > 0) return std::nullopt;
  const auto middle = [](std::size_t b) { return (static_cast<double>(b) + 0.5) / bins_per_day; };
  const auto in_bin = [&](std::size_t b) { return static_cast<double>(b == 0 ? counts[0] - zeros : counts[b]); };
  const double n = static_cast<double>(total);
  double sum = 0.0;
  for (std::size_t b = 0; b < bins; ++b) sum += in_bin(b) * middle(b);
  const double mean = sum / n;
  double squares = static_cast<double>(zeros) * mean * mean;
  for (std::size_t b = 0; b < bins; ++b) squares += in_bin(b) * (middle(b) - mean) * (middle(b) - mean);
  return std::sqrt(squares / n);
}

effect_tally& effect_tally::operator+=(const effect_tally& other) {
  add_elementwise(occurrences_by_session, other.occurrences_by_session);
  patients_affected += other.patients_affected;
  resolution += other.resolution;
  visible += other.visible;
  add_elementwise(visible_on_day, other.visible_on_day);
  return *this;
}

cohort_tally& cohort_tally::operator+=(const cohort_tally& other) {
  patients += other.patients;
  add_elementwise(group_counts, other.group_counts);
  if (effects.size() != other.effects.size()) throw std::invalid_argument("tallies of different models cannot be added");
  for (std::size_t e = 0; e < effects.size(); ++e) effects[e] += other.effects[e];
  any += other.any;
  return *this;
}

cohort_tally empty_tally(const model& model, const population& population) {
  cohort_tally t;
  t.group_counts.assign(population.profiles.empty() ? population.prevalences.size() : population.profiles.size(), 0);
  t.effects.resize(model.effects.size());
  for (auto& e : t.effects) resize(e, population.session_days.size(), population.horizon_days);
  resize(t.any, population.session_days.size(), population.horizon_days);
  return t;
}

cohort_tally simulate(const model& model, const population& population, const simulation_options& options) {
  if (auto problems = check_population(model, population); !problems.empty()) throw input_error(std::move(problems));
  const patient_range range = detail::patients_of(population, options);

  const detail::cohort_kernel kernel(model, population);
  const unsigned threads = detail::threads_for(range, options.threads);
  std::vector<cohort_tally> tallies(threads, empty_tally(model, population));
  ordered_outcomes ordered(options.outcomes);
  const bool streamed = static_cast<bool>(options.outcomes);
  detail::run_in_chunks(
      range, threads, options.progress,
      [&](unsigned t) { return chunk_worker{detail::patient_simulator(kernel, population.seed), tallies[t], ordered, streamed}; },
      [&] { ordered.fail(); });

  for (unsigned t = 1; t < threads; ++t) tallies[0] += tallies[t];
  return std::move(tallies[0]);
}

cohort_summary summarise(const model& model, const population& population, const cohort_tally& tally) {
  if (tally.patients != population.n)
    throw std::invalid_argument("the tally covers " + std::to_string(tally.patients) + " of " + std::to_string(population.n) + " patients");
  const auto course = detail::course_for(model, population, {});
  cohort_summary out{model.id, model.version, model.notice, population, course.visible_threshold, course.resolved_threshold, {}, {}, {}, {}};
  for (auto count : tally.group_counts) out.group_shares.push_back(share(count, tally.patients));
  for (std::size_t e = 0; e < model.effects.size(); ++e)
    out.effects.push_back(summarise_effect(model.effects[e].id, model.effects[e].name, tally.effects[e], tally.patients));
  out.any = summarise_effect("any", "Any side effect", tally.any, tally.patients);
  out.results_by_day = results_by_day(course.results, population.horizon_days);
  return out;
}

cohort_tally merge(const model& model, const std::vector<cohort_partial>& parts) {
  if (parts.empty()) throw input_error("merge", "no partial summaries given");
  std::vector<input_problem> problems;
  const auto& first = parts.front();
  for (const auto& part : parts)
    if (!(part.population == first.population))
      problems.push_back({"", "is a shard of a different run than " + first.source + ": " + first_difference(first.population, part.population) +
                                  " differ",
                          problem_code::conflict, part.source});
  if (!problems.empty()) throw input_error(std::move(problems));

  std::vector<const cohort_partial*> ordered;
  for (const auto& part : parts) ordered.push_back(&part);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->patients.first < b->patients.first; });
  const auto span = [](const cohort_partial* p) {
    return "patients [" + std::to_string(p->patients.first) + ", " + std::to_string(p->patients.last) + ")";
  };
  std::uint64_t covered = 0;
  for (const auto* part : ordered) {
    if (part->patients.first > covered)
      problems.push_back({"", "starts at patient " + std::to_string(part->patients.first) + ", but patients [" + std::to_string(covered) +
                                  ", " + std::to_string(part->patients.first) + ") are in no shard",
                          problem_code::conflict, part->source});
    if (part->patients.first < covered)
      problems.push_back({"", span(part) + " overlap patients already in another shard", problem_code::conflict, part->source});
    covered = std::max(covered, part->patients.last);
  }
  if (covered < first.population.n)
    problems.push_back({"merge", "patients [" + std::to_string(covered) + ", " + std::to_string(first.population.n) + ") are in no shard",
                        problem_code::conflict});
  if (!problems.empty()) throw input_error(std::move(problems));

  cohort_tally total = empty_tally(model, first.population);
  for (const auto& part : parts) total += part.tally;
  return total;
}

}  // namespace aftermath

// Per-patient simulation: draws, occurrences, and the exact visible and resolved times.
#include "cohort_kernel.hpp"

#include <aftermath/profile.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace aftermath::detail {
namespace {

/// Populations count in days; personalisation needs dates. Any date works: only differences count.
const date first_session_date(2000, 1, 1);

/// The kinds of patient: every combination of the independent factors (bit k: factor k), each
/// profile, or one kind with no risk factors.
std::vector<std::vector<population_factor>> kinds_of_patient(const population& p) {
  std::vector<std::vector<population_factor>> kinds;
  if (!p.profiles.empty()) {
    for (const auto& profile : p.profiles) kinds.push_back(profile.risk_factors);
    return kinds;
  }
  const std::size_t combinations = std::size_t{1} << p.prevalences.size();
  for (std::size_t mask = 0; mask < combinations; ++mask) {
    std::vector<population_factor> factors;
    for (std::size_t k = 0; k < p.prevalences.size(); ++k)
      if (mask >> k & 1u) factors.push_back(p.prevalences[k].factor);
    kinds.push_back(std::move(factors));
  }
  return kinds;
}

std::string label_of(const population& p, std::size_t kind, const std::vector<population_factor>& factors) {
  if (!p.profiles.empty()) return p.profiles[kind].name;
  std::string label;
  for (const auto& factor : factors) label += (label.empty() ? "" : "+") + factor.id;
  return label.empty() ? "none" : label;
}

effect_kinetics kinetics_of(const effect_course& effect) {
  const auto& shape = effect.shape;
  return {shape.lag().count(), shape.rise_rate_per_day(), shape.decay_rate_per_day(), std::log(shape.peak_height()),
          effect.peak_sd, effect.healing_time_sd, bateman_crossings(shape)};
}

compiled_group compile(const personal_course& course, std::string label) {
  compiled_group group{std::move(label), {}, {}};
  for (const auto& effect : course.effects) {
    bool uniform = true;
    for (const auto& term : effect.sessions) {
      group.terms.push_back({term.start.count() + effect.shape.lag().count(), std::log(term.amplitude),
                             term.amplitude / effect.shape.peak_height(), term.time_scale,
                             patient_draws::threshold(term.occurrence.value())});
      uniform = uniform && term.time_scale == effect.sessions.front().time_scale;
    }
    group.uniform_scale.push_back(uniform);
  }
  return group;
}

/// Cumulative thresholds on a 32-bit word for picking profile g with probability weight_g / Σ weight.
std::vector<std::uint64_t> cumulative_thresholds(const std::vector<weighted_profile>& profiles) {
  double total = 0.0;
  for (const auto& profile : profiles) total += profile.weight;
  std::vector<std::uint64_t> out;
  double running = 0.0;
  for (const auto& profile : profiles) out.push_back(patient_draws::threshold((running += profile.weight) / total));
  if (!out.empty()) out.back() = patient_draws::threshold(1.0);
  return out;
}

/// e^{−rate·step}, remembered for the last step: the gaps of a regular course repeat.
class decay_factor {
 public:
  explicit decay_factor(double rate) : rate_(rate) {}
  double rate() const { return rate_; }
  double operator()(double step) {
    if (step != step_) step_ = step, factor_ = std::exp(-rate_ * step);
    return factor_;
  }

 private:
  double rate_;
  double step_ = -1.0;
  double factor_ = 1.0;
};

/// P or Q of the segment recursion, with its logarithm.
struct carried {
  double value = 0.0;
  double log_value = 0.0;

  /// value · e^{−rate·step} + c. When the carried part is below half an ulp of c (e^{−40} < 2^{−54})
  /// the sum is c exactly, and its logarithm is known: no exp or log needed. When it is a small
  /// share r of c (below e^{−9}, as a fast effect's is a week later) ln(c + carried) = ln c +
  /// ln(1 + r), and four terms of ln(1 + r)'s series leave an error below r⁵/5 < 10^{−20}.
  void carry(decay_factor& decay, double step, double c, double log_c) {
    const double log_share = log_value - decay.rate() * step - log_c;
    if (log_share < -40.0) {
      value = c, log_value = log_c;
      return;
    }
    const double carried_part = value * decay(step);
    value = carried_part + c;
    if (log_share < -9.0) {
      const double r = carried_part / c;
      log_value = log_c + r * (1.0 - r * (0.5 - r * (1.0 / 3.0 - r * 0.25)));
    } else {
      log_value = std::log(value);
    }
  }
};

/// Appends [from, to], joining it to the last interval when they touch.
inline void append_interval(std::vector<time_interval>& intervals, std::size_t first_of_effect, double from, double to) {
  if (intervals.size() > first_of_effect && from <= intervals.back().to) intervals.back().to = std::max(intervals.back().to, to);
  else intervals.push_back({from, to});
}

/// A function's value and first two derivatives at one point.
struct value_and_slope {
  double value;
  double slope;
  double curvature;
};

/// The root of g in [lo, hi], where g changes sign once (`rising`: from below zero to above), by
/// Halley steps (Newton's with the curvature: every evaluation gives all three, and the steps
/// converge cubically, so a root takes one evaluation fewer) kept inside a bracket that shrinks
/// with every evaluation (Numerical Recipes' rtsafe): a step that would leave the bracket, or
/// that fails to halve the one before it, is replaced by bisection, so the bracket at least
/// halves every second step. Where the curvature would more than double Newton's step, Newton's
/// is taken. It stops when a step moves less than 1e-12 days relative (near a simple root the
/// steps shrink at least quadratically, so the last step bounds the error) or the bracket is
/// that narrow.
template <class Function>
double bracketed_root(const Function& g, double lo, double hi, bool rising, double start = std::numeric_limits<double>::quiet_NaN()) {
  constexpr double tolerance = 1e-12;
  double t = start > lo && start < hi ? start : 0.5 * (lo + hi), step = hi - lo, step_before = step;
  for (int i = 0; i < 200; ++i) {
    const auto [value, slope, curvature] = g(t);
    if (value == 0.0) return t;
    ((value < 0.0) == rising ? lo : hi) = t;
    const double newton_step = value / slope, halley_factor = 1.0 - 0.5 * newton_step * curvature / slope;
    const double newton = t - (halley_factor > 0.5 ? newton_step / halley_factor : newton_step);
    if (std::abs(newton - t) <= tolerance * (1.0 + std::abs(t))) return newton;
    step_before = step;
    if (newton > lo && newton < hi && std::abs(newton - t) < 0.5 * std::abs(step_before)) {
      step = newton - t, t = newton;
    } else {
      step = 0.5 * (hi - lo), t = lo + step;
    }
    if (hi - lo <= tolerance * (1.0 + std::abs(t))) return t;
  }
  return t;
}

/// A severity with its first three derivatives in t at one time.
struct derivatives {
  double value = 0.0;
  double slope = 0.0;
  double curvature = 0.0;
  double third = 0.0;
};

/// One term P·e^{−k_e u} − Q·e^{−k_a u} at u = x/σ, added into `out` (x days after the term's origin).
inline void add_term(const effect_kinetics& k, double scale, double p, double q, double x, derivatives& out) {
  const double per_scale = 1.0 / scale, u = x * per_scale;
  const double fall = p * std::exp(-k.ke * u), rise = q * std::exp(-k.ka * u);
  out.value += fall - rise;
  out.slope += per_scale * (k.ka * rise - k.ke * fall);
  out.curvature += per_scale * per_scale * (k.ke * k.ke * fall - k.ka * k.ka * rise);
  out.third += per_scale * per_scale * per_scale * (k.ka * k.ka * k.ka * rise - k.ke * k.ke * k.ke * fall);
}

/// The severity of the first `count` occurring bumps of an effect, term by term.
struct bump_sum {
  const effect_kinetics& k;
  const bump* bumps;
  std::size_t count;

  derivatives at(double t) const {
    derivatives out;
    for (const bump& b : std::span(bumps, count)) {
      if (t < b.start) break;
      add_term(k, b.scale, b.raw_amplitude, b.raw_amplitude, t - b.start, out);
    }
    return out;
  }
};

/// The severity after the latest bump's start, with the bumps of one time scale carried together
/// as one term (as in the one-time-scale recursion): Σ_σ P_σ e^{−k_e x/σ} − Q_σ e^{−k_a x/σ},
/// x = t − origin. A medicine stopped before the course gives its first sessions their own time
/// scales and every later session the same one, so a sum of many bumps has two or three terms.
class grouped_sum {
 public:
  grouped_sum(const effect_kinetics& k, std::vector<scale_group>& groups) : k_(k), groups_(groups) { groups_.clear(); }

  /// Moves the origin to the bump's start and adds it.
  void add(const bump& b) {
    const double step = b.start - origin_;
    for (auto& g : groups_) g.p *= std::exp(-k_.ke * step / g.scale), g.q *= std::exp(-k_.ka * step / g.scale);
    origin_ = b.start;
    const auto same = std::find_if(groups_.begin(), groups_.end(), [&](const scale_group& g) { return g.scale == b.scale; });
    if (same == groups_.end()) groups_.push_back({b.scale, b.raw_amplitude, b.raw_amplitude});
    else same->p += b.raw_amplitude, same->q += b.raw_amplitude;
  }
  derivatives at(double t) const {
    derivatives out;
    for (const auto& g : groups_) add_term(k_, g.scale, g.p, g.q, t - origin_, out);
    return out;
  }
  /// No later time is above this: the fall parts at the origin.
  double bound() const {
    double sum = 0.0;
    for (const auto& g : groups_) sum += g.p;
    return sum;
  }
  /// A time after which the sum stays below `level`: where the bound, decaying at the slowest
  /// rate, reaches it.
  double below_after(double level) const {
    double widest = 0.0;
    for (const auto& g : groups_) widest = std::max(widest, g.scale);
    const double x = std::max(0.0, std::log(bound() / level)) * widest / k_.ke;
    return origin_ + x * (1.0 + 1e-9) + 1e-9;
  }

  /// The largest term's own top and crossings (exact with one term, where they are those of one
  /// shifted Bateman curve, as in the one-time-scale recursion): where the root search starts.
  double top_guess() const { return origin_ + largest().scale * (shift() + k_.crossings.peak_offset()); }
  double rise_guess(double level) const { return guess(level, true); }
  double fall_guess(double level) const { return guess(level, false); }

 private:
  const scale_group& largest() const {
    return *std::max_element(groups_.begin(), groups_.end(), [](const scale_group& a, const scale_group& b) { return a.p < b.p; });
  }
  /// The largest term as R·(e^{−k_e(u−u0)} − e^{−k_a(u−u0)}): u0 = ln(Q/P)/(k_a − k_e) ≤ 0.
  double shift() const {
    const auto& g = largest();
    return std::log(g.q / g.p) / (k_.ka - k_.ke);
  }
  double guess(double level, bool rising) const {
    const auto& g = largest();
    const double u0 = shift();
    const double y = std::log(g.p) - k_.ke * u0 + k_.log_height - std::log(level);
    if (!(y >= 0.0)) return top_guess();
    const auto [rise, fall] = k_.crossings.rise_and_fall(y);
    return origin_ + g.scale * (u0 + (rising ? rise : fall));
  }

  const effect_kinetics& k_;
  std::vector<scale_group>& groups_;
  double origin_ = 0.0;
};

/// Where f peaks on [from, to] when it rises at most once there (its slopes at the two ends
/// given): the zero of its slope, from `start`.
template <class Sum>
double maximiser(const Sum& f, double from, double slope_from, double to, double slope_to, double start) {
  if (slope_from <= 0.0) return from;
  if (slope_to >= 0.0) return to;
  return bracketed_root([&f](double t) { const auto d = f.at(t); return value_and_slope{d.slope, d.curvature, d.third}; }, from, to, false, start);
}

/// Where f crosses `level` between a and b (`rising` through it, or falling), given that it lies
/// on different sides of the level at the two ends; the search starts at `start` when it lies
/// between them.
template <class Sum>
double crossing(const Sum& f, double a, double b, double level, bool rising, double start = std::numeric_limits<double>::quiet_NaN()) {
  return bracketed_root([&f, level](double t) { const auto d = f.at(t); return value_and_slope{d.value - level, d.slope, d.curvature}; }, a, b, rising, start);
}

date on_day(int day) { return first_session_date + boost::gregorian::days(day); }

/// The profile of a patient with these factors at these sessions (days since the first session
/// of the course). A medicine paused before each session counts as stopped its days before the
/// first of them: one stop date gives one session the pause's washout fraction, not all.
profile profile_of(const population& population, const std::vector<population_factor>& factors, std::span<const int> session_days) {
  profile p;
  p.treatment = population.treatment;
  p.procedure = population.procedure;
  for (const auto& factor : factors) {
    risk_factor r{factor.id, std::nullopt};
    if (factor.stopped_days_before) r.stopped_on = on_day(-*factor.stopped_days_before);
    if (factor.paused_days_before_each_session) r.stopped_on = on_day(session_days.front() - *factor.paused_days_before_each_session);
    p.risk_factors.push_back(std::move(r));
  }
  for (int day : session_days) p.sessions.push_back({on_day(day), std::nullopt});
  return p;
}

bool any_paused(const std::vector<population_factor>& factors) {
  return std::any_of(factors.begin(), factors.end(), [](const auto& f) { return f.paused_days_before_each_session.has_value(); });
}

/// The day from which every medicine stopped before the first session has worn off: what is left
/// of one, max(0, 1 − s/washout) s days after the stop, is 0 from s = washout on.
double stops_worn_off_from(const model& model, const std::vector<population_factor>& factors) {
  double day = 0.0;
  for (const auto& f : factors) {
    if (!f.stopped_days_before) continue;
    const auto& washout = model.find_modifier(f.id)->washout_days;
    day = std::max(day, washout ? washout->value - *f.stopped_days_before : std::numeric_limits<double>::infinity());
  }
  return day;
}

/// Session `to`'s chances, amplitudes and time scales in `course`, taken from session `from` of `source`.
void take_session_terms(const personal_course& source, std::size_t from, std::size_t to, personal_course& course) {
  for (std::size_t e = 0; e < course.effects.size(); ++e) {
    const auto own = source.effects[e].sessions[from];
    auto& term = course.effects[e].sessions[to];
    term.occurrence = own.occurrence, term.amplitude = own.amplitude, term.time_scale = own.time_scale;
  }
  for (std::size_t r = 0; r < course.risks.size(); ++r) course.risks[r].per_session[to] = source.risks[r].per_session[from];
}

/// Every session meets a paused medicine d days into its pause: the fraction the first session
/// already meets in `course`, where it counts as a stop d days before it. A session's terms
/// depend only on what acts at it, so each later session's are those of a course of it alone,
/// the paused medicine stopped d days before it; once every stop has worn off (at once, without
/// one) later sessions all meet the same, and take the terms of the first such session.
void give_every_session_the_pause(const model& model, const population& population, const std::vector<population_factor>& factors,
                                  personal_course& course) {
  const std::span<const int> sessions(population.session_days);
  const double worn_off_from = stops_worn_off_from(model, factors);
  std::optional<std::size_t> first_worn_off;
  if (sessions.front() >= worn_off_from) first_worn_off = 0;
  for (std::size_t j = 1; j < sessions.size(); ++j) {
    if (first_worn_off) {
      take_session_terms(course, *first_worn_off, j, course);
      continue;
    }
    take_session_terms(personalise(model, profile_of(population, factors, sessions.subspan(j, 1))), 0, j, course);
    if (sessions[j] >= worn_off_from) first_worn_off = j;
  }
}

}  // namespace

personal_course course_for(const model& model, const population& population, const std::vector<population_factor>& factors) {
  const std::span<const int> sessions(population.session_days);
  auto course = personalise(model, profile_of(population, factors, sessions));
  if (any_paused(factors)) give_every_session_the_pause(model, population, factors, course);
  return course;
}

cohort_kernel::cohort_kernel(const model& model, const population& population)
    : log_visible_(std::log(model.visible_threshold.value)),
      log_resolved_(std::log(model.resolved_threshold.value)),
      horizon_(population.horizon_days) {
  for (int day : population.session_days) session_days_.push_back(day);
  const auto kinds = kinds_of_patient(population);
  for (std::size_t kind = 0; kind < kinds.size(); ++kind) {
    const auto course = course_for(model, population, kinds[kind]);
    if (kind == 0)
      for (const auto& effect : course.effects) effect_ids_.push_back(effect.id), kinetics_.push_back(kinetics_of(effect));
    groups_.push_back(compile(course, label_of(population, kind, kinds[kind])));
  }
  for (const auto& prevalence : population.prevalences) prevalence_thresholds_.push_back(patient_draws::threshold(prevalence.share.value()));
  profile_thresholds_ = cumulative_thresholds(population.profiles);
}

std::size_t cohort_kernel::population_words() const {
  return profile_thresholds_.empty() ? prevalence_thresholds_.size() : 1;
}

std::size_t cohort_kernel::pick_group(const std::uint32_t* words, std::vector<std::uint64_t>& group_counts) const {
  if (!profile_thresholds_.empty()) {
    const auto kind = static_cast<std::size_t>(
        std::upper_bound(profile_thresholds_.begin(), profile_thresholds_.end(), std::uint64_t{words[0]}) - profile_thresholds_.begin());
    ++group_counts[kind];
    return kind;
  }
  std::size_t mask = 0;
  for (std::size_t k = 0; k < prevalence_thresholds_.size(); ++k)
    if (words[k] < prevalence_thresholds_[k]) mask |= std::size_t{1} << k, ++group_counts[k];
  return mask;
}

effect_outcome cohort_kernel::evaluate(const compiled_group& group, std::size_t e, double z, double eta, const std::uint32_t* words,
                                       effect_scratch& scratch, std::vector<time_interval>& visible) const {
  const effect_kinetics& k = kinetics_[e];
  const std::size_t effects_count = kinetics_.size();
  scratch.bumps.clear();
  const compiled_term* terms = group.terms.data() + e * sessions();
  // Whether a session's effect occurs is a coin toss: written without a branch, which would be
  // mispredicted half the time.
  scratch.occurring.resize(sessions());
  std::size_t occurring = 0;
  for (std::size_t j = 0; j < sessions(); ++j) {
    scratch.occurring[occurring] = static_cast<int>(j);
    occurring += words[j * effects_count + e] < terms[j].threshold;
  }
  scratch.occurring.resize(occurring);
  if (occurring == 0) return {};

  const double healing = scratch.healing_factor(k.healing_sd, z);
  const double log_peak_factor = k.peak_sd * eta;
  for (int j : scratch.occurring)
    scratch.bumps.push_back({terms[j].start, log_peak_factor + terms[j].log_amplitude, terms[j].time_scale * healing});
  if (scratch.bumps.size() == 1) return single_bump(k, scratch.bumps.front(), visible);
  const double peak_factor = std::exp(log_peak_factor);
  for (std::size_t i = 0; i < scratch.bumps.size(); ++i)
    scratch.bumps[i].raw_amplitude = peak_factor * terms[scratch.occurring[i]].raw_amplitude;
  // A medicine stopped before the course gives its first sessions their own time scales; when
  // none of those sessions' bumps occurred, the rest share one.
  const auto shares_the_first_scale = [&](const bump& b) { return b.scale == scratch.bumps.front().scale; };
  if (group.uniform_scale[e] || std::all_of(scratch.bumps.begin(), scratch.bumps.end(), shares_the_first_scale))
    return one_time_scale(k, scratch, visible);
  return mixed_time_scales(k, scratch, visible);
}

// One occurring session: a Bateman curve with its own crossings, read straight off the table.
effect_outcome cohort_kernel::single_bump(const effect_kinetics& k, const bump& b, std::vector<time_interval>& visible) const {
  effect_outcome out{true, 0.0, 0.0};
  if (const double y = b.log_amplitude - log_resolved_; y >= 0.0) out.resolved_at = b.start + b.scale * k.crossings.fall(y);
  if (const double y = b.log_amplitude - log_visible_; y >= 0.0) {
    const auto [rise, fall] = k.crossings.rise_and_fall(y);
    visible.push_back({b.start + b.scale * rise, b.start + b.scale * fall});
    out.visible_days = visible.back().to - visible.back().from;
  }
  return out;
}

// With one time scale σ, in segment i (from bump i's start to the next, x = (t − b_i)/σ) the
// severity is P·e^{−k_e x} − Q·e^{−k_a x}, where P and Q carry the earlier bumps forward. That
// is one Bateman curve started at x0 = ln(Q/P)/(k_a − k_e) ≤ 0 with peak P·e^{−k_e x0}·height,
// so its crossings of a threshold c are x0 + u_rise and x0 + u_fall at the level c / peak.
// The segments are found first (P and Q carry from one to the next), then their crossings are
// looked up, and only then joined into intervals: the lookups depend on nothing but their own
// segment and follow each other without a branch between them.
effect_outcome cohort_kernel::one_time_scale(const effect_kinetics& k, effect_scratch& scratch,
                                             std::vector<time_interval>& visible) const {
  const auto& segments = segments_of(k, scratch);
  const double sigma = scratch.bumps.front().scale;
  auto& crossings = scratch.crossings;
  crossings.resize(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i)
    crossings[i] = k.crossings.rise_and_fall(std::max(0.0, segments[i].log_peak - log_visible_));
  effect_outcome out{true, 0.0, 0.0};
  const std::size_t first_interval = visible.size();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const segment_shape& segment = segments[i];
    if (segment.log_peak < log_visible_) continue;
    const auto [rise, fall] = crossings[i];
    const double from = std::max(0.0, segment.x0 + rise), to = std::min(segment.x_end, segment.x0 + fall);
    if (from <= to) append_interval(visible, first_interval, segment.start + sigma * from, segment.start + sigma * to);
  }
  // Resolved where the latest segment that is at the threshold within its own span falls through
  // it; searched from the end, where it usually is at once.
  for (auto s = segments.rbegin(); s != segments.rend(); ++s) {
    if (s->log_peak < log_resolved_) continue;
    const double x_fall = s->x0 + k.crossings.fall(s->log_peak - log_resolved_);
    if (x_fall < 0.0) continue;  // its curve fell through before the segment began
    out.resolved_at = s->start + sigma * std::min(x_fall, s->x_end);
    break;
  }
  for (std::size_t i = first_interval; i < visible.size(); ++i) out.visible_days += visible[i].to - visible[i].from;
  return out;
}

const std::vector<segment_shape>& cohort_kernel::segments_of(const effect_kinetics& k, effect_scratch& scratch) const {
  const auto& bumps = scratch.bumps;
  auto& segments = scratch.segments;
  segments.resize(bumps.size());
  const double per_sigma = 1.0 / bumps.front().scale;
  const double per_rate_gap = 1.0 / (k.ka - k.ke);
  carried p, q;
  decay_factor fall_decay(k.ke), rise_decay(k.ka);
  for (std::size_t i = 0; i < bumps.size(); ++i) {
    const double b = bumps[i].start;
    const double x_end = i + 1 < bumps.size() ? (bumps[i + 1].start - b) * per_sigma : std::numeric_limits<double>::infinity();
    const double log_c = bumps[i].log_amplitude - k.log_height;
    segment_shape& segment = segments[i];
    segment = {b, x_end, 0.0, bumps[i].log_amplitude};
    if (i > 0) {
      const double step = (b - bumps[i - 1].start) * per_sigma;
      p.carry(fall_decay, step, bumps[i].raw_amplitude, log_c);
      q.carry(rise_decay, step, bumps[i].raw_amplitude, log_c);
      segment.x0 = (q.log_value - p.log_value) * per_rate_gap;
      segment.log_peak = p.log_value - k.ke * segment.x0 + k.log_height;
    } else {
      p = q = carried{bumps[i].raw_amplitude, log_c};
    }
  }
  return segments;
}

// Sessions with different time scales (a medicine stopped before the course wearing off) do not
// collapse into one curve. While the time scales differ by less than k_a/k_e, the derivative of
// the sum of exponentials changes sign at most once between two session starts (Descartes' rule
// for exponential sums: the rise terms all decay faster than the fall terms), so each segment
// rises to one maximum and falls: the maximum is the zero of the slope and each crossing the
// root on a monotone piece, both by safeguarded Halley steps (bracketed_root). Wider spreads of
// time scale are scanned instead.
effect_outcome cohort_kernel::mixed_time_scales(const effect_kinetics& k, effect_scratch& scratch,
                                                std::vector<time_interval>& visible) const {
  const auto& bumps = scratch.bumps;
  double widest = 0.0, narrowest = std::numeric_limits<double>::infinity(), last_peak = 0.0;
  for (const auto& b : bumps) {
    widest = std::max(widest, b.scale), narrowest = std::min(narrowest, b.scale);
    last_peak = std::max(last_peak, b.start + b.scale * k.crossings.peak_offset());
  }
  if (widest / narrowest >= k.ka / k.ke) return scanned_time_scales(k, bumps, visible);

  const double visible_level = std::exp(log_visible_), resolved_level = std::exp(log_resolved_);
  effect_outcome out{true, 0.0, 0.0};
  const std::size_t first_interval = visible.size();
  grouped_sum f(k, scratch.groups);  // the segment from bump i's start to the next's
  double open_from = 0.0;
  for (std::size_t i = 0; i < bumps.size(); ++i) {
    f.add(bumps[i]);
    const double from = bumps[i].start;
    const bool last = i + 1 == bumps.size();
    const derivatives start = f.at(from);
    const double at_from = start.value;
    // The last segment falls for good after its last peak and below each level after a known time.
    const auto end_for = [&](double level) { return last ? f.below_after(level) : bumps[i + 1].start; };
    const double to = last ? last_peak : bumps[i + 1].start;
    const derivatives end = last ? derivatives{} : f.at(to);  // the last ends at 0, far on
    const double at_to = end.value;
    // The top is found only when both ends are below a level the segment might reach.
    std::optional<double> top, at_top;
    const auto top_reaches = [&](double level) {
      if (f.bound() < level) return false;
      if (!top) top = maximiser(f, from, start.slope, to, last ? f.at(to).slope : end.slope, f.top_guess()), at_top = f.at(*top).value;
      return *at_top >= level;
    };
    const auto rise_through = [&](double a, double b, double level) { return crossing(f, a, b, level, true, f.rise_guess(level)); };
    const auto fall_through = [&](double a, double level) { return crossing(f, a, end_for(level), level, false, f.fall_guess(level)); };
    // The segment rises to one top and falls, so each end's side of a level says which crossings it has.
    if (at_from < visible_level && at_to >= visible_level) open_from = rise_through(from, bumps[i + 1].start, visible_level);
    if (at_from < visible_level && at_to < visible_level && top_reaches(visible_level)) {
      open_from = rise_through(from, *top, visible_level);
      append_interval(visible, first_interval, open_from, fall_through(*top, visible_level));
    }
    if (at_from >= visible_level && at_to < visible_level) append_interval(visible, first_interval, open_from, fall_through(from, visible_level));
    if (at_to < resolved_level && (at_from >= resolved_level || top_reaches(resolved_level)))
      out.resolved_at = fall_through(at_from >= resolved_level ? from : *top, resolved_level);
  }
  for (std::size_t i = first_interval; i < visible.size(); ++i) out.visible_days += visible[i].to - visible[i].from;
  return out;
}

// Time scales spread wider than k_a/k_e (not met in the default model): the severity is scanned in
// steps of an eighth of the shortest time to peak up to the last peak, after which every term
// decays and the sum falls; each crossing is refined by bracketed_root. An excursion across a
// threshold shorter than one step can be missed.
effect_outcome cohort_kernel::scanned_time_scales(const effect_kinetics& k, const std::vector<bump>& bumps,
                                                  std::vector<time_interval>& visible) const {
  const bump_sum f{k, bumps.data(), bumps.size()};
  double step = std::numeric_limits<double>::infinity(), last_peak = 0.0;
  for (const auto& b : bumps) {
    step = std::min(step, b.scale * k.crossings.peak_offset() / 8.0);
    last_peak = std::max(last_peak, b.start + b.scale * k.crossings.peak_offset());
  }
  const double levels[2] = {std::exp(log_visible_), std::exp(log_resolved_)};
  effect_outcome out{true, 0.0, 0.0};
  const std::size_t first_interval = visible.size();
  double t = bumps.front().start, open_from = 0.0;
  bool above[2] = {false, false};
  for (bool past_peaks = false; !past_peaks || above[0] || above[1];) {
    double next = t + step;
    if (!past_peaks && next >= last_peak) next = last_peak, past_peaks = true;
    else if (past_peaks) next = t + (step *= 2.0);  // falling from here on: widen until below
    const double s = f.at(next).value;
    for (int level = 0; level < 2; ++level) {
      if ((s >= levels[level]) == above[level]) continue;
      const double at = crossing(f, t, next, levels[level], !above[level]);
      if (level == 0 && !above[0]) open_from = at;
      if (level == 0 && above[0]) append_interval(visible, first_interval, open_from, at);
      if (level == 1 && above[1]) out.resolved_at = at;
      above[level] = !above[level];
    }
    t = next;
  }
  for (std::size_t i = first_interval; i < visible.size(); ++i) out.visible_days += visible[i].to - visible[i].from;
  return out;
}

patient_simulator::patient_simulator(const cohort_kernel& kernel, std::uint64_t seed)
    : kernel_(kernel),
      draws_(seed, kernel.effects() + 1, kernel.effects() * kernel.sessions(), kernel.population_words()),
      day_changes_((kernel.effects() + 1) * static_cast<std::size_t>(kernel.horizon() + 2), 0) {}

void patient_simulator::count_days(const time_interval* begin, const time_interval* end, std::size_t series) {
  std::int64_t* changes = day_changes_.data() + series * static_cast<std::size_t>(kernel_.horizon() + 2);
  const double last_day = kernel_.horizon();
  for (const auto& interval : std::span(begin, end)) {  // times are ≥ 0: truncation is floor
    const auto from_floor = static_cast<std::int64_t>(interval.from);
    const std::int64_t first = from_floor + (static_cast<double>(from_floor) < interval.from);
    const std::int64_t last = static_cast<std::int64_t>(std::min(interval.to, last_day));
    if (first > last) continue;
    ++changes[first];
    --changes[last + 1];
  }
}

void patient_simulator::flush(cohort_tally& tally) {
  const auto days = static_cast<std::size_t>(kernel_.horizon() + 1);
  for (std::size_t series = 0; series <= kernel_.effects(); ++series) {
    auto& on_day = series < kernel_.effects() ? tally.effects[series].visible_on_day : tally.any.visible_on_day;
    std::int64_t* changes = day_changes_.data() + series * (days + 1);
    std::int64_t running = 0;
    for (std::size_t d = 0; d < days; ++d) on_day[d] += static_cast<std::uint64_t>(running += changes[d]);
    std::fill(changes, changes + days + 1, 0);
  }
}

void outcome_buffer::clear() {
  outcomes_.clear();
  sessions_.clear();
  session_starts_.clear();
}

void outcome_buffer::add(std::uint64_t patient, std::string_view group, std::string_view effect, const std::vector<int>& sessions,
                         std::optional<double> resolved_after_last, double visible_days) {
  session_starts_.push_back(sessions_.size());
  sessions_.insert(sessions_.end(), sessions.begin(), sessions.end());
  outcomes_.push_back({patient, group, effect, {}, resolved_after_last, visible_days});
}

std::span<const patient_outcome> outcome_buffer::outcomes() {
  for (std::size_t k = 0; k < outcomes_.size(); ++k) {
    const std::size_t end = k + 1 < outcomes_.size() ? session_starts_[k + 1] : sessions_.size();
    outcomes_[k].sessions = std::span<const int>(sessions_.data() + session_starts_[k], end - session_starts_[k]);
  }
  return outcomes_;
}

void patient_simulator::run(std::uint64_t index, cohort_tally& tally, outcome_buffer* outcomes) {
  draws_.draw(index);
  const auto& group = kernel_.group(kernel_.pick_group(draws_.population(), tally.group_counts));
  any_after_session_.assign(kernel_.sessions(), 0);
  visible_.clear();
  joined_.clear();
  any_ = {};
  for (std::size_t e = 0; e < kernel_.effects(); ++e) {
    const std::size_t first_interval = visible_.size();
    const auto outcome = kernel_.evaluate(group, e, draws_.normals()[0], draws_.normals()[e + 1], draws_.occurrences(), scratch_, visible_);
    join(visible_.data() + first_interval, visible_.data() + visible_.size());
    const double resolved = tally_effect(outcome, first_interval, e, tally.effects[e]);
    if (outcomes)
      outcomes->add(index, group.label, kernel_.effect_id(e), scratch_.occurring,
                    outcome.occurred ? std::optional<double>(resolved) : std::nullopt, outcome.visible_days);
  }
  tally_any(tally.any);
  ++tally.patients;
  if (outcomes) {
    scratch_.occurring.clear();
    for (std::size_t j = 0; j < any_after_session_.size(); ++j)
      if (any_after_session_[j]) scratch_.occurring.push_back(static_cast<int>(j));
    outcomes->add(index, group.label, "any", scratch_.occurring,
                  any_.occurred ? std::optional<double>(any_.resolved_at) : std::nullopt, any_.visible_days);
  }
}

double patient_simulator::tally_effect(const effect_outcome& outcome, std::size_t first_interval, std::size_t e, effect_tally& t) {
  if (!outcome.occurred) {
    t.visible.add_zero();
    return 0.0;
  }
  for (int j : scratch_.occurring) ++t.occurrences_by_session[static_cast<std::size_t>(j)], any_after_session_[static_cast<std::size_t>(j)] = 1;
  const double resolved_after_last = std::max(0.0, outcome.resolved_at - kernel_.last_session());
  ++t.patients_affected;
  t.resolution.add(resolved_after_last);
  t.visible.add(outcome.visible_days);
  count_days(visible_.data() + first_interval, visible_.data() + visible_.size(), e);
  any_.occurred = true;
  any_.resolved_at = std::max(any_.resolved_at, resolved_after_last);
  return resolved_after_last;
}

// Any effect: visible while one is; the union of every effect's intervals (joined_ as run() goes).
void patient_simulator::tally_any(effect_tally& any) {
  for (const auto& interval : joined_) any_.visible_days += interval.to - interval.from;
  for (std::size_t j = 0; j < any_after_session_.size(); ++j) any.occurrences_by_session[j] += static_cast<std::uint64_t>(any_after_session_[j]);
  if (any_.occurred) ++any.patients_affected, any.resolution.add(any_.resolved_at);
  any.visible.add(any_.visible_days);
  count_days(joined_.data(), joined_.data() + joined_.size(), kernel_.effects());
}

// Both lists are sorted and disjoint: one pass by start, joining what overlaps.
void patient_simulator::join(const time_interval* begin, const time_interval* end) {
  if (begin == end) return;
  if (joined_.empty()) return joined_.assign(begin, end);
  merged_.clear();
  const auto append = [&](const time_interval& interval) {
    if (!merged_.empty() && interval.from <= merged_.back().to) merged_.back().to = std::max(merged_.back().to, interval.to);
    else merged_.push_back(interval);
  };
  auto a = joined_.begin();
  for (const time_interval* b = begin; a != joined_.end() || b != end;) {
    if (b == end || (a != joined_.end() && a->from <= b->from)) append(*a++);
    else append(*b++);
  }
  std::swap(joined_, merged_);
}

}  // namespace aftermath::detail

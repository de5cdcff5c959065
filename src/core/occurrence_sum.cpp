// The law of a Bernoulli-weighted sum, bucketed. See occurrence_sum.hpp.
#include "occurrence_sum.hpp"

#include <algorithm>
#include <cmath>

namespace aftermath::detail {
namespace {

/// max|φ'| = φ(1) and φ(0): the constants in the error bounds.
constexpr double max_pdf_slope = 0.24197072451914337;
constexpr double pdf_at_zero = 0.3989422804014327;

}  // namespace

/// next_ = states_ ∪ moved_ (both sorted by value), equal values combined; states above the cap
/// leave for `overflow`.
void log_sum_builder::merge_lists(double cap_value, double& overflow) {
  next_.clear();
  auto a = states_.begin(), b = moved_.begin();
  const auto take = [&](const state& s) {
    if (s.weight == 0.0) return;
    if (s.value > cap_value) {
      overflow += s.weight;
    } else if (!next_.empty() && next_.back().value == s.value) {
      next_.back().weight += s.weight;
    } else {
      next_.push_back(s);
    }
  };
  while (a != states_.end() || b != moved_.end()) {
    if (b == moved_.end() || (a != states_.end() && a->value <= b->value)) take(*a++);
    else take(*b++);
  }
}

/// Merges each run of states within a factor e^h of its first into one at the run's mean
/// (next_ → states_); returns the bound on what that cost.
double log_sum_builder::merge_clusters() {
  states_.clear();
  double cost = 0.0;
  for (std::size_t i = 0; i < next_.size();) {
    std::size_t j = i + 1;
    const double limit = next_[i].value * grow_;
    while (j < next_.size() && next_[j].value <= limit) ++j;
    if (j == i + 1) {
      states_.push_back(next_[i]);
    } else {
      double weight = 0.0, moment = 0.0;
      for (std::size_t k = i; k < j; ++k) weight += next_[k].weight, moment += next_[k].weight * next_[k].value;
      const double mean = moment / weight;
      double spread = 0.0;  // Σ w r², r = G/Ḡ − 1
      for (std::size_t k = i; k < j; ++k) {
        const double r = next_[k].value / mean - 1.0;
        spread += next_[k].weight * r * r;
      }
      cost += merge_factor_ * spread;
      states_.push_back({mean, weight});
    }
    i = j;
  }
  return cost;
}

void log_sum_builder::build_from(const log_sum_law* start, double shift, std::vector<occurrence_term>& terms,
                                 const log_sum_grid& grid, log_sum_law& law) {
  law.clear();
  const std::size_t n = terms.size();
  if (!start && n <= 1) {  // one session: its own value, exactly
    if (n == 1 && terms[0].probability > 0.0) law.atoms.push_back({terms[0].log_value(), terms[0].probability, terms[0].contribution});
    law.none = n == 1 ? 1.0 - terms[0].probability : 1.0;
    return;
  }
  const double scale = start ? std::exp(shift) : 1.0;
  if (start && n == 0) {  // nothing to add: the start, moved
    law.none = start->none;
    for (const auto& atom : start->atoms) {
      if (atom.log_g + shift < grid.log_floor) law.none += atom.weight;
      else law.atoms.push_back({atom.log_g + shift, atom.weight, atom.value * scale});
    }
    law.error_bound = start->error_bound;
    return;
  }

  std::sort(terms.begin(), terms.end(), [](const occurrence_term& a, const occurrence_term& b) { return a.contribution > b.contribution; });
  tail_mean_.assign(n + 1, 0.0);
  tail_variance_.assign(n + 1, 0.0);
  for (std::size_t m = n; m-- > 0;) {
    const double c = terms[m].contribution, p = terms[m].probability;
    tail_mean_[m] = tail_mean_[m + 1] + p * c;
    tail_variance_[m] = tail_variance_[m + 1] + p * (1.0 - p) * c * c;
  }

  const double sigma = grid.sigma, h = grid.step;
  const double curvature = max_pdf_slope / (sigma * sigma);
  grow_ = std::exp(h);
  merge_factor_ = 0.5 * (curvature + 0.1 / sigma + pdf_at_zero / sigma) * grow_ * grow_;
  // Finishing a state is allowed to cost what merging two states a step apart would.
  const double finish_allowance = merge_factor_ * h * h / 4.0;
  const double finish_factor = 0.5 * (curvature + pdf_at_zero / sigma);
  const double cap_value = std::exp(std::min(grid.log_cap, 709.0));
  double none = 1.0, overflow = 0.0;
  states_.clear();
  if (start) {
    // The start, moved, as the first states (it is sorted, so they are).
    none = start->none;
    for (const auto& atom : start->atoms) {
      const double v = atom.value * scale;
      if (atom.log_g + shift < grid.log_floor) none += atom.weight;
      else if (v > cap_value) overflow += atom.weight;
      else states_.push_back({v, atom.weight});
    }
    law.error_bound = start->error_bound;
  }

  for (std::size_t m = 0; m < n; ++m) {
    const double c = terms[m].contribution, p = terms[m].probability;
    if (m + 1 == n) {
      // Nothing follows: the moved states are the answer, exactly.
      if (none > 0.0 && p > 0.0) law.atoms.push_back({terms[m].log_value(), none * p, c});
      for (const auto& s : states_) {
        if (p > 0.0) law.atoms.push_back({std::log(s.value + c), s.weight * p, s.value + c});
        if (p < 1.0) law.atoms.push_back({std::log(s.value), s.weight * (1.0 - p), s.value});
      }
      none *= 1.0 - p;
      states_.clear();
      break;
    }
    moved_.clear();
    if (none > 0.0 && p > 0.0) moved_.push_back({c, none * p});
    for (auto& s : states_) {
      if (p > 0.0) moved_.push_back({s.value + c, s.weight * p});
      s.weight *= 1.0 - p;
    }
    none *= 1.0 - p;
    merge_lists(cap_value, overflow);
    law.error_bound += merge_clusters();

    // Finish the states the rest can barely move, largest first.
    const double rest_variance = tail_variance_[m + 1], rest_mean = tail_mean_[m + 1];
    while (!states_.empty()) {
      const auto& s = states_.back();
      const double cost = finish_factor * rest_variance / (s.value * s.value);
      if (cost > finish_allowance) break;
      law.atoms.push_back({std::log(s.value + rest_mean), s.weight, s.value + rest_mean});
      law.error_bound += cost * s.weight;
      states_.pop_back();
    }
  }
  for (const auto& s : states_) law.atoms.push_back({std::log(s.value), s.weight, s.value});
  if (overflow > 0.0) law.atoms.push_back({std::log(cap_value), overflow, cap_value});
  law.none = none;
}

}  // namespace aftermath::detail

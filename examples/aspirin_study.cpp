// A research question with all three kinds of uncertainty: over the initial facial course (four
// sessions), how many fewer days of visible bruising does an aspirin user have when aspirin is
// paused 7 rather than 3 days before each session?
//  1. The paired difference on the same virtual patients, with its Monte Carlo interval.
//  2. Its interval across parameter sets drawn from the model's uncertainties: how far the
//     answer moves if the model's numbers are off.
//  3. The numbers that drive that spread: Sobol indices of the difference over bruising's and
//     aspirin's uncertain numbers.
#include <aftermath/aftermath.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

using namespace aftermath;

population paused(const model& model, int days, std::uint64_t n) {
  return parse_population(R"({"protocol": "face_initial", "seed": 2026,
      "risk_factors": {"aspirin": {"prevalence": 1.0, "paused_days_before_each_session": )" + std::to_string(days) + "}}}",
                          model, "study", {.n = n, .seed = std::nullopt});
}

std::size_t bruising_index(const model& model) { return static_cast<std::size_t>(model.find_effect("bruising") - model.effects.data()); }

/// Mean days of visible bruising, 7-day pause minus 3-day pause, per patient.
difference_estimate bruising_days_saved(const model& model, std::uint64_t n) {
  const auto three = paused(model, 3, n), seven = paused(model, 7, n);
  const auto tally = simulate_paired(model, three, seven, {.threads = 1});
  return *summarise_difference(model, three, seven, tally).effects[bruising_index(model)].visible_days_mean;
}

/// The uncertain numbers of bruising and of aspirin, by parameter id.
std::vector<std::size_t> bruising_and_aspirin(const std::vector<uncertain_parameter>& all) {
  std::vector<std::size_t> chosen;
  for (std::size_t k = 0; k < all.size(); ++k)
    if (all[k].sd > 0.0 && (all[k].id.starts_with("effects.bruising.") || all[k].id.starts_with("modifiers.aspirin."))) chosen.push_back(k);
  return chosen;
}

}  // namespace

int main() {
  const model& model = default_model();
  const auto three = paused(model, 3, 20000), seven = paused(model, 7, 20000);

  // 1. Paired: the same 20 000 aspirin users under both pauses.
  const auto difference = bruising_days_saved(model, 20000);
  std::printf("Aspirin paused 7 vs 3 days before each of 4 sessions, 20000 aspirin users\n");
  std::printf("Visible bruising days, 7-day minus 3-day pause: %.2f (Monte Carlo 95%% interval %.2f to %.2f)\n", difference.estimate,
              difference.low, difference.high);

  // 2. Across 100 parameter sets drawn from the model's uncertainties.
  const auto replicated = simulate_paired_replicates(model, three, seven, 100);
  const auto e = bruising_index(model);
  std::printf("Across 100 parameter sets: median %.2f, 95%% interval %.2f to %.2f\n",
              replicated.uncertainty.median.effects[e].visible_days_mean->estimate,
              replicated.uncertainty.low.effects[e].visible_days_mean->estimate,
              replicated.uncertainty.high.effects[e].visible_days_mean->estimate);

  // 3. Which of bruising's and aspirin's numbers drive that spread (1 000 patients per evaluation).
  const auto all = model_parameters(model);
  const auto chosen = bruising_and_aspirin(all);
  const auto days_saved = [&](std::span<const double> u) {
    std::vector<std::pair<std::size_t, double>> values;
    for (std::size_t i = 0; i < chosen.size(); ++i) values.emplace_back(chosen[i], all[chosen[i]].at_quantile(u[i]));
    return bruising_days_saved(with_parameter_values(model, values), 1000).estimate;
  };
  const sobol_result sobol = sobol_indices(chosen.size(), days_saved, {.base_samples = 64, .bootstrap = 200, .seed = 2026});
  std::vector<std::size_t> order(chosen.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return sobol.indices[a].total.estimate > sobol.indices[b].total.estimate; });
  std::printf("What drives it (total Sobol index, %llu evaluations):\n", static_cast<unsigned long long>(sobol.evaluations));
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& index = sobol.indices[order[k]].total;
    std::printf("  %s: %.2f (95%% interval %.2f to %.2f)\n", all[chosen[order[k]]].id.c_str(), index.estimate, index.low, index.high);
  }
  std::cout << model.notice << "\n";
}

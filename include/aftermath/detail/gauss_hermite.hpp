// Gauss–Hermite quadrature for expectations over a standard normal variable:
//   E[f(Z)] ≈ Σ_i w_i f(z_i),  Σ_i w_i = 1.
// Nodes and weights come from the Golub–Welsch eigenproblem of the probabilists' Hermite
// Jacobi matrix (off-diagonal √k). Nodes whose weight is below 1e-14 are dropped (they cannot
// change a probability at the precision we report) and the rest renormalised.
#pragma once

#include <Eigen/Eigenvalues>

#include <cmath>
#include <map>
#include <mutex>
#include <vector>

namespace aftermath::detail {

struct quadrature_rule {
  std::vector<double> nodes;
  std::vector<double> weights;
};

inline quadrature_rule make_gauss_hermite(int n) {
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(n, n);
  for (int k = 1; k < n; ++k) jacobi(k, k - 1) = jacobi(k - 1, k) = std::sqrt(static_cast<double>(k));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(jacobi);
  quadrature_rule rule;
  double total = 0.0;
  for (int i = 0; i < n; ++i) {
    const double v = solver.eigenvectors()(0, i);
    if (v * v < 1e-14) continue;
    rule.nodes.push_back(solver.eigenvalues()(i));
    rule.weights.push_back(v * v);
    total += v * v;
  }
  for (double& w : rule.weights) w /= total;
  return rule;
}

/// The rule for n nodes, computed once per n and shared (thread-safe).
inline const quadrature_rule& gauss_hermite(int n) {
  static std::mutex mutex;
  static std::map<int, quadrature_rule> rules;
  std::lock_guard lock(mutex);
  auto it = rules.find(n);
  if (it == rules.end()) it = rules.emplace(n, make_gauss_hermite(n)).first;
  return it->second;
}

}  // namespace aftermath::detail

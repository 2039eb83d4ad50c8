// Wilcoxon signed-rank test, average ranks and Nemenyi CD (stats.hpp).
#include "harness/report/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "harness/core/error.hpp"

namespace ocb::harness {
namespace {

// Mid-ranks (1-based) of xs, ties averaged.
std::vector<double> mid_ranks(const std::vector<double>& xs, bool* ties = nullptr) {
  std::vector<std::size_t> order(xs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return xs[a] < xs[b]; });
  std::vector<double> r(xs.size());
  if (ties) *ties = false;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && xs[order[j]] == xs[order[i]]) ++j;
    if (j - i > 1 && ties) *ties = true;
    for (std::size_t k = i; k < j; ++k) r[order[k]] = 0.5 * static_cast<double>(i + 1 + j);
    i = j;
  }
  return r;
}

double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& a, const std::vector<double>& b) {
  OCB_CHECK(a.size() == b.size(), "wilcoxon needs pairs, got {} and {}", a.size(), b.size());
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) d.push_back(a[i] - b[i]);
  WilcoxonResult res;
  res.n = static_cast<int>(d.size());
  if (d.empty()) return res;
  std::vector<double> mag(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) mag[i] = std::abs(d[i]);
  bool ties = false;
  const auto r = mid_ranks(mag, &ties);
  for (std::size_t i = 0; i < d.size(); ++i) (d[i] > 0 ? res.w_plus : res.w_minus) += r[i];
  const int n = res.n;
  const double t = std::min(res.w_plus, res.w_minus);
  if (n <= 50 && !ties) {
    // Exact null distribution of W+ by counting subsets of {1..n} per rank sum.
    const int max_sum = n * (n + 1) / 2;
    std::vector<double> count(static_cast<std::size_t>(max_sum + 1), 0.0);
    count[0] = 1.0;
    for (int k = 1; k <= n; ++k)
      for (int s = max_sum; s >= k; --s) count[s] += count[s - k];
    double tail = 0.0;
    for (int s = 0; s <= static_cast<int>(std::floor(t + 1e-9)); ++s) tail += count[s];
    res.p_value = std::min(1.0, 2.0 * tail / std::pow(2.0, n));
    res.exact = true;
  } else {
    double tie_term = 0.0;
    std::vector<double> sorted = mag;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size();) {
      std::size_t j = i;
      while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
      const double g = static_cast<double>(j - i);
      tie_term += g * g * g - g;
      i = j;
    }
    const double mean = n * (n + 1) / 4.0;
    const double var = n * (n + 1) * (2.0 * n + 1) / 24.0 - tie_term / 48.0;
    const double z = var > 0 ? (mean - t) / std::sqrt(var) : 0.0;
    res.p_value = std::min(1.0, 2.0 * normal_sf(z));
  }
  return res;
}

std::vector<double> average_ranks(const std::vector<std::vector<double>>& rows) {
  if (rows.empty()) return {};
  const std::size_t k = rows.front().size();
  std::vector<double> sum(k, 0.0);
  for (const auto& row : rows) {
    OCB_CHECK(row.size() == k, "every row needs {} methods", k);
    std::vector<double> neg(row.size());
    for (std::size_t m = 0; m < k; ++m) neg[m] = -row[m];  // rank 1 = highest score
    const auto r = mid_ranks(neg);
    for (std::size_t m = 0; m < k; ++m) sum[m] += r[m];
  }
  for (double& s : sum) s /= static_cast<double>(rows.size());
  return sum;
}

double nemenyi_cd(int k, int n) {
  // Studentised range statistic / sqrt(2) at alpha = 0.05 (Demšar 2006, Table 5a).
  static const double q05[] = {0, 0, 1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164,
                               3.219, 3.268, 3.313, 3.354, 3.391, 3.426, 3.458, 3.489, 3.517, 3.544};
  OCB_CHECK(k >= 2 && k <= 20, "nemenyi_cd supports 2..20 methods, got {}", k);
  return q05[k] * std::sqrt(k * (k + 1.0) / (6.0 * n));
}

}  // namespace ocb::harness

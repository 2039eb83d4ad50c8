// Statistics for comparing methods over many cells: the Wilcoxon signed-rank
// test for two methods paired over (class, seed), average ranks over datasets'
// classes, and the Nemenyi critical difference of Demšar (2006).
#pragma once

#include <string>
#include <vector>

namespace ocb::harness {

struct WilcoxonResult {
  int n = 0;              // pairs with a non-zero difference
  double w_plus = 0.0;    // sum of the ranks of positive differences (a > b)
  double w_minus = 0.0;
  double p_value = 1.0;   // two-sided
  bool exact = false;     // exact distribution (n <= 50, no ties) or normal approximation
};
// Pairs (a[i], b[i]); zero differences are dropped (Wilcoxon's convention).
WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& a, const std::vector<double>& b);

// rows[r][m]: the score of method m on row r (higher = better). Rank 1 = best
// in each row, ties share their mean rank; returns the mean rank per method.
std::vector<double> average_ranks(const std::vector<std::vector<double>>& rows);

// Nemenyi critical difference at alpha = 0.05 for k methods over n rows.
double nemenyi_cd(int k, int n);

}  // namespace ocb::harness

// Pairwise squared Euclidean distances in float64 through BLAS (|a|^2 + |b|^2
// - 2 a.b, clipped at 0): the kernel matrices of OC-SVM and KDE are built from
// these once per cell, whatever the number of bandwidths tried.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <span>
#include <vector>

#include "harness/core/run_context.hpp"
#include "harness/core/samples.hpp"
#include "methods/common/big_vector.hpp"

namespace ocb::methods {

// Row-major float64 copy of a subset of rows (all rows when `rows` is empty).
struct Rows {
  std::int64_t n = 0, d = 0;
  BigVector<double> values;
  std::vector<double> sq_norms;
};
Rows to_rows(const core::Samples& x, std::span<const std::int64_t> rows = {});

// D[i][j] = |a_i - b_j|^2, [a.n x b.n] row-major.
BigVector<double> squared_distances(const Rows& a, const Rows& b);
// D[i][j] for one set against itself (symmetric, zero diagonal).
BigVector<double> squared_distances(const Rows& a);

// squared_distances(rows) of the training set `x` (rows = to_rows(x)), taken
// from the run's shared results when an earlier cell of the run computed them
// for the same bytes (OC-SVM and KDE, every seed of a class): the same matrix
// either way. `reused` says whether it came from an earlier cell; without
// shared results (ctx.shared() null) it is computed here. Timed as `phase`.
std::shared_ptr<const BigVector<double>> shared_squared_distances(const core::Samples& x, const Rows& rows,
                                                                  core::RunContext& ctx, const std::string& phase,
                                                                  bool* reused);

}  // namespace ocb::methods

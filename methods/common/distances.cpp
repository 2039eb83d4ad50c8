// Squared distances via GEMM/SYRK (distances.hpp).
#include "methods/common/distances.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "harness/core/linalg.hpp"
#include "harness/core/shared_results.hpp"

namespace ocb::methods {

Rows to_rows(const core::Samples& x, std::span<const std::int64_t> rows) {
  Rows r;
  r.d = x.features();
  r.n = rows.empty() ? x.size() : static_cast<std::int64_t>(rows.size());
  r.values.resize(static_cast<std::size_t>(r.n * r.d));
  r.sq_norms.assign(static_cast<std::size_t>(r.n), 0.0);
  for (std::int64_t i = 0; i < r.n; ++i) {
    auto src = x.row(rows.empty() ? i : rows[i]);
    double* dst = r.values.data() + i * r.d;
    double s = 0.0;
    for (std::int64_t j = 0; j < r.d; ++j) {
      dst[j] = src[j];
      s += dst[j] * dst[j];
    }
    r.sq_norms[i] = s;
  }
  return r;
}

BigVector<double> squared_distances(const Rows& a, const Rows& b) {
  BigVector<double> d(static_cast<std::size_t>(a.n * b.n));
  core::gemm_abt(a.n, b.n, a.d, -2.0, a.values.data(), b.values.data(), 0.0, d.data());
  for (std::int64_t i = 0; i < a.n; ++i)
    for (std::int64_t j = 0; j < b.n; ++j) {
      double& v = d[i * b.n + j];
      v = std::max(0.0, v + a.sq_norms[i] + b.sq_norms[j]);
    }
  return d;
}

BigVector<double> squared_distances(const Rows& a) {
  BigVector<double> d(static_cast<std::size_t>(a.n * a.n));
  // Gram of the rows: X X^T = gram of X^T, i.e. treat X[n x d] as the transpose.
  BigVector<double> xt(static_cast<std::size_t>(a.d * a.n));
  for (std::int64_t i = 0; i < a.n; ++i)
    for (std::int64_t j = 0; j < a.d; ++j) xt[j * a.n + i] = a.values[i * a.d + j];
  core::gram_xtx(a.d, a.n, xt.data(), d.data());
  for (std::int64_t i = 0; i < a.n; ++i)
    for (std::int64_t j = 0; j < a.n; ++j) {
      double& v = d[i * a.n + j];
      v = (i == j) ? 0.0 : std::max(0.0, a.sq_norms[i] + a.sq_norms[j] - 2.0 * v);
    }
  return d;
}

std::shared_ptr<const BigVector<double>> shared_squared_distances(const core::Samples& x, const Rows& rows,
                                                                  core::RunContext& ctx, const std::string& phase,
                                                                  bool* reused) {
  return core::shared_or_computed<BigVector<double>>(
      ctx.shared(), [&] { return fmt::format("squared_distances(train)|{}|{}", ctx.numerics_key(), core::fingerprint(x)); },
      [&] {
        auto t = ctx.phase(phase);
        return squared_distances(rows);
      },
      [](const BigVector<double>& d) { return d.size() * sizeof(double); }, reused);
}

}  // namespace ocb::methods

// PCA by eigen-decomposition of the training covariance (LAPACK dsyevd). The
// sign of each component is fixed (largest-magnitude entry positive) so the
// projection does not depend on the LAPACK build's sign choice.
#include "datasets/preprocess/pca.hpp"

#include <cmath>

#include "harness/core/error.hpp"
#include "harness/core/linalg.hpp"

namespace ocb::datasets {

PcaModel fit_pca(const core::Samples& train, double variance_fraction) {
  const std::int64_t n = train.size(), d = train.features();
  if (n < 2) throw core::Error("pca needs at least 2 training samples");
  PcaModel m;
  m.input_features = d;
  m.mean.assign(static_cast<std::size_t>(d), 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < d; ++j) m.mean[j] += train.data()[i * d + j];
  for (double& v : m.mean) v /= static_cast<double>(n);
  std::vector<double> centred(static_cast<std::size_t>(n * d));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < d; ++j) centred[i * d + j] = train.data()[i * d + j] - m.mean[j];
  std::vector<double> cov(static_cast<std::size_t>(d * d));
  core::gram_xtx(n, d, centred.data(), cov.data());
  std::vector<double> values;
  core::symmetric_eigen(d, cov, values);  // ascending
  double total = 0.0;
  for (double v : values) total += std::max(v, 0.0);
  double kept = 0.0;
  for (std::int64_t r = d - 1; r >= 0; --r) {
    const double* vec = cov.data() + r * d;
    std::int64_t arg = 0;
    for (std::int64_t j = 1; j < d; ++j)
      if (std::abs(vec[j]) > std::abs(vec[arg])) arg = j;
    const double sign = vec[arg] < 0 ? -1.0 : 1.0;
    for (std::int64_t j = 0; j < d; ++j) m.basis.push_back(sign * vec[j]);
    kept += std::max(values[r], 0.0);
    ++m.components;
    if (total <= 0.0 || kept / total >= variance_fraction) break;
  }
  m.explained = total > 0.0 ? kept / total : 1.0;
  return m;
}

core::Samples apply_pca(const PcaModel& m, const core::Samples& x) {
  OCB_CHECK(x.features() == m.input_features, "pca fitted on {} features, applied to {}", m.input_features,
            x.features());
  const std::int64_t n = x.size(), d = m.input_features, k = m.components;
  std::vector<double> centred(static_cast<std::size_t>(n * d));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < d; ++j) centred[i * d + j] = x.data()[i * d + j] - m.mean[j];
  std::vector<double> projected(static_cast<std::size_t>(n * k));
  core::gemm_abt(n, k, d, 1.0, centred.data(), m.basis.data(), 0.0, projected.data());
  return core::Samples({n, k, 1, 1}, std::vector<float>(projected.begin(), projected.end()));
}

}  // namespace ocb::datasets

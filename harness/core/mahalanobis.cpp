// Mahalanobis distances to a Gaussian fitted on training rows (mahalanobis.hpp).
#include "harness/core/mahalanobis.hpp"

#include <cmath>

#include "harness/core/error.hpp"
#include "harness/core/linalg.hpp"

namespace ocb::core {

Mahalanobis::Mahalanobis(const Samples& train) {
  const auto n = static_cast<std::size_t>(train.size());
  const auto d = static_cast<std::size_t>(train.features());
  if (n < 2 || d == 0) throw Error(fmt::format("Mahalanobis: need at least 2 training rows of at least 1 dimension, got {} x {}", n, d));
  mean_.assign(d, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = train.row(static_cast<std::int64_t>(i));
    for (std::size_t j = 0; j < d; ++j) mean_[j] += r[j];
  }
  for (double& m : mean_) m /= static_cast<double>(n);
  // Covariance (population) as X^T X / n of the centred rows.
  std::vector<double> centred(n * d), cov(d * d);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = train.row(static_cast<std::int64_t>(i));
    for (std::size_t j = 0; j < d; ++j) centred[i * d + j] = r[j] - mean_[j];
  }
  gram_xtx(static_cast<std::int64_t>(n), static_cast<std::int64_t>(d), centred.data(), cov.data());
  double trace = 0.0;
  for (double& c : cov) c /= static_cast<double>(n);
  for (std::size_t a = 0; a < d; ++a) trace += cov[a * d + a];
  const double ridge = 1e-6 * trace / static_cast<double>(d) + 1e-12;
  for (std::size_t a = 0; a < d; ++a) cov[a * d + a] += ridge;
  // Cholesky, lower triangle in place.
  chol_.assign(d * d, 0.0);
  for (std::size_t j = 0; j < d; ++j) {
    double s = cov[j * d + j];
    for (std::size_t k = 0; k < j; ++k) s -= chol_[j * d + k] * chol_[j * d + k];
    if (!(s > 0.0)) throw Error("Mahalanobis: the covariance of the training representation is not positive definite");
    const double ljj = std::sqrt(s);
    chol_[j * d + j] = ljj;
    for (std::size_t i = j + 1; i < d; ++i) {
      double t = cov[i * d + j];
      for (std::size_t k = 0; k < j; ++k) t -= chol_[i * d + k] * chol_[j * d + k];
      chol_[i * d + j] = t / ljj;
    }
  }
}

std::vector<double> Mahalanobis::squared_distances(const Samples& x) const {
  const std::size_t d = mean_.size();
  if (static_cast<std::size_t>(x.features()) != d)
    throw Error(fmt::format("Mahalanobis: rows of {} dimensions against a Gaussian of {}", x.features(), d));
  std::vector<double> out(static_cast<std::size_t>(x.size())), y(d);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const auto r = x.row(i);
    // Solve L y = (x - mean); the distance is |y|^2.
    double sum = 0.0;
    for (std::size_t a = 0; a < d; ++a) {
      double t = r[a] - mean_[a];
      for (std::size_t k = 0; k < a; ++k) t -= chol_[a * d + k] * y[k];
      y[a] = t / chol_[a * d + a];
      sum += y[a] * y[a];
    }
    out[static_cast<std::size_t>(i)] = sum;
  }
  return out;
}

}  // namespace ocb::core

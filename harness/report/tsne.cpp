// Exact t-SNE (tsne.hpp).
#include "harness/report/tsne.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "harness/core/error.hpp"
#include "harness/core/rng.hpp"

namespace ocb::harness {
namespace {

// Conditional probabilities p_{j|i} with the precision of each row found by
// bisection so that the row's entropy is log(perplexity).
std::vector<double> affinities(const std::vector<double>& d2, std::size_t n, double perplexity) {
  std::vector<double> p(n * n, 0.0);
  const double target = std::log(perplexity);
  for (std::size_t i = 0; i < n; ++i) {
    double beta = 1.0, lo = 0.0, hi = std::numeric_limits<double>::infinity();
    const double* row = &d2[i * n];
    double* out = &p[i * n];
    for (int it = 0; it < 100; ++it) {
      // Shift by the smallest distance for stability (it cancels in the ratio).
      double dmin = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < n; ++j)
        if (j != i) dmin = std::min(dmin, row[j]);
      double sum = 0.0, weighted = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        out[j] = j == i ? 0.0 : std::exp(-beta * (row[j] - dmin));
        sum += out[j];
        weighted += out[j] * (row[j] - dmin);
      }
      const double entropy = std::log(sum) + beta * weighted / sum;
      for (std::size_t j = 0; j < n; ++j) out[j] /= sum;
      const double diff = entropy - target;
      if (std::abs(diff) < 1e-5) break;
      if (diff > 0) {  // too flat: sharpen
        lo = beta;
        beta = std::isinf(hi) ? beta * 2.0 : (beta + hi) / 2.0;
      } else {
        hi = beta;
        beta = (beta + lo) / 2.0;
      }
    }
  }
  return p;
}

}  // namespace

std::vector<double> tsne(const core::Samples& rows, const TsneOptions& o) {
  const auto n = static_cast<std::size_t>(rows.size());
  const auto d = static_cast<std::size_t>(rows.features());
  if (n < 4) throw core::Error(fmt::format("t-SNE: needs at least 4 points, got {}", n));
  const double perplexity = std::min(o.perplexity, static_cast<double>(n - 1) / 3.0);
  std::vector<double> d2(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const auto a = rows.row(static_cast<std::int64_t>(i)), b = rows.row(static_cast<std::int64_t>(j));
      double s = 0.0;
      for (std::size_t k = 0; k < d; ++k) {
        const double t = static_cast<double>(a[k]) - static_cast<double>(b[k]);
        s += t * t;
      }
      d2[i * n + j] = d2[j * n + i] = s;
    }
  auto cond = affinities(d2, n, perplexity);
  std::vector<double> P(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) P[i * n + j] = std::max((cond[i * n + j] + cond[j * n + i]) / (2.0 * static_cast<double>(n)), 1e-12);

  core::Rng rng(core::derive_seed(o.seed, "tsne"));
  std::vector<double> y(n * 2), update(n * 2, 0.0), gains(n * 2, 1.0), grad(n * 2), num(n * n);
  for (double& v : y) v = 1e-4 * rng.normal();
  for (int it = 0; it < o.iterations; ++it) {
    const bool early = it < o.exaggeration_iterations;
    const double exaggeration = early ? 12.0 : 1.0, momentum = early ? 0.5 : 0.8;
    double z = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      num[i * n + i] = 0.0;
      for (std::size_t j = i + 1; j < n; ++j) {
        const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
        const double q = 1.0 / (1.0 + dx * dx + dy * dy);
        num[i * n + j] = num[j * n + i] = q;
        z += 2.0 * q;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      double gx = 0.0, gy = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double q = num[i * n + j];
        const double m = (exaggeration * P[i * n + j] - q / z) * q;
        gx += m * (y[2 * i] - y[2 * j]);
        gy += m * (y[2 * i + 1] - y[2 * j + 1]);
      }
      grad[2 * i] = 4.0 * gx;
      grad[2 * i + 1] = 4.0 * gy;
    }
    for (std::size_t k = 0; k < n * 2; ++k) {
      gains[k] = (grad[k] > 0.0) != (update[k] > 0.0) ? gains[k] + 0.2 : std::max(gains[k] * 0.8, 0.01);
      update[k] = momentum * update[k] - o.learning_rate * gains[k] * grad[k];
      y[k] += update[k];
    }
    // Keep the picture centred.
    double mx = 0.0, my = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      mx += y[2 * i];
      my += y[2 * i + 1];
    }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
      y[2 * i] -= mx;
      y[2 * i + 1] -= my;
    }
  }
  return y;
}

}  // namespace ocb::harness

// The row-major BLAS/LAPACK wrappers against direct loops, with garbage in the
// output buffers (the wrappers must never read them).
#include "harness/core/linalg.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "harness/core/rng.hpp"

namespace {
std::vector<double> random_matrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
  ocb::core::Rng rng(seed);
  std::vector<double> m(static_cast<std::size_t>(rows * cols));
  for (double& v : m) v = rng.normal();
  return m;
}
}  // namespace

TEST_CASE("gemm_abt computes A B^T in row-major order", "[core]") {
  const auto a = random_matrix(5, 3, 1), b = random_matrix(4, 3, 2);
  std::vector<double> c(20, std::numeric_limits<double>::quiet_NaN());
  ocb::core::gemm_abt(5, 4, 3, 1.0, a.data(), b.data(), 0.0, c.data());
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 4; ++j) {
      double s = 0;
      for (int k = 0; k < 3; ++k) s += a[i * 3 + k] * b[j * 3 + k];
      REQUIRE(c[i * 4 + j] == Approx(s).margin(1e-12));
    }
}

TEST_CASE("gram_xtx fills both triangles of X^T X", "[core]") {
  const auto x = random_matrix(7, 4, 3);
  std::vector<double> g(16, std::numeric_limits<double>::quiet_NaN());
  ocb::core::gram_xtx(7, 4, x.data(), g.data());
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      double s = 0;
      for (int r = 0; r < 7; ++r) s += x[r * 4 + i] * x[r * 4 + j];
      REQUIRE(g[i * 4 + j] == Approx(s).margin(1e-12));
    }
}

TEST_CASE("symmetric_eigen returns ascending values and unit eigenvectors", "[core]") {
  std::vector<double> a{2, 1, 0, 1, 2, 0, 0, 0, 5};
  std::vector<double> w;
  ocb::core::symmetric_eigen(3, a, w);
  CHECK(w[0] == Approx(1.0));
  CHECK(w[1] == Approx(3.0));
  CHECK(w[2] == Approx(5.0));
  // Row 2 is the eigenvector of 5: +-(0, 0, 1).
  CHECK(std::abs(a[2 * 3 + 2]) == Approx(1.0));
}

// Dense linear algebra on row-major arrays through the system BLAS/LAPACK
// (OpenBLAS on Debian with libopenblas0-pthread): the few kernels the shallow
// baselines and PCA need, so no other layer deals with column-major calls.
#pragma once

#include <cstdint>
#include <vector>

namespace ocb::core {

// C[m x n] = alpha * A[m x k] * B[n x k]^T + beta * C, all row-major.
void gemm_abt(std::int64_t m, std::int64_t n, std::int64_t k, double alpha, const double* a, const double* b,
              double beta, double* c);
// G[k x k] = X^T X for X[n x k] row-major (both triangles filled).
void gram_xtx(std::int64_t n, std::int64_t k, const double* x, double* g);
// Eigen-decomposition of a symmetric k x k matrix: eigenvalues ascending in
// `values`; on return row j of `a` holds the unit eigenvector of values[j].
void symmetric_eigen(std::int64_t k, std::vector<double>& a, std::vector<double>& values);

}  // namespace ocb::core

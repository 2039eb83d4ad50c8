// Row-major wrappers over the Fortran BLAS/LAPACK interface (present in every
// BLAS, unlike CBLAS).
#include "harness/core/linalg.hpp"

#include "harness/core/error.hpp"

extern "C" {
void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* b, const int* ldb, const double* beta, double* c,
            const int* ldc);
void dsyrk_(const char* uplo, const char* trans, const int* n, const int* k, const double* alpha, const double* a,
            const int* lda, const double* beta, double* c, const int* ldc);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w, double* work,
             const int* lwork, int* iwork, const int* liwork, int* info);
}

namespace ocb::core {

void gemm_abt(std::int64_t m, std::int64_t n, std::int64_t k, double alpha, const double* a, const double* b,
              double beta, double* c) {
  // Row-major C = A B^T is column-major C^T = B A^T.
  const int M = static_cast<int>(n), N = static_cast<int>(m), K = static_cast<int>(k);
  dgemm_("T", "N", &M, &N, &K, &alpha, b, &K, a, &K, &beta, c, &M);
}

void gram_xtx(std::int64_t n, std::int64_t k, const double* x, double* g) {
  // Row-major X[n x k] is column-major X^T[k x n]; X^T X = (X^T)(X^T)^T: syrk 'N'.
  const int N = static_cast<int>(k), K = static_cast<int>(n);
  const double one = 1.0, zero = 0.0;
  dsyrk_("U", "N", &N, &K, &one, x, &N, &zero, g, &N);
  // The column-major upper triangle is the row-major lower one: mirror it up.
  for (std::int64_t i = 0; i < k; ++i)
    for (std::int64_t j = 0; j < i; ++j) g[j * k + i] = g[i * k + j];
}

void symmetric_eigen(std::int64_t k, std::vector<double>& a, std::vector<double>& values) {
  const int n = static_cast<int>(k);
  values.assign(static_cast<std::size_t>(k), 0.0);
  int info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0.0;
  dsyevd_("V", "U", &n, a.data(), &n, values.data(), &work_query, &lwork, &iwork_query, &liwork, &info);
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(static_cast<std::size_t>(lwork));
  std::vector<int> iwork(static_cast<std::size_t>(liwork));
  dsyevd_("V", "U", &n, a.data(), &n, values.data(), work.data(), &lwork, iwork.data(), &liwork, &info);
  if (info != 0) throw Error(fmt::format("LAPACK dsyevd failed (info {})", info));
  // Column j of the column-major result is row j of the row-major array: as documented.
}

}  // namespace ocb::core

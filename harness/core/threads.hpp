// Thread budgets for the libraries that spawn their own threads. OpenBLAS left
// at its default runs one BLAS thread per core and fights the caller for the
// cores (PERF-NOTES.md), so every process pins it.
#pragma once

#include <string>

namespace ocb::core {

// Sets OpenBLAS's thread count if OpenBLAS is the loaded BLAS; returns whether it was.
bool set_blas_threads(int threads);
// "OpenBLAS 0.3.21 ..." from openblas_get_config(), or "unknown".
std::string blas_config();

}  // namespace ocb::core

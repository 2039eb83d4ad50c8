// The row loops of rows.hpp built for AVX-512 (x86-64-v4).
#include "methods/common/kernels/rows.hpp"

#pragma GCC target("arch=x86-64-v4")
#define OCB_ROWS_BUILD avx512
#define OCB_ROWS_LANES 16
#include "methods/common/kernels/rows_impl.inc"

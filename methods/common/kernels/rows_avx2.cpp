// The row loops of rows.hpp built for AVX2 + FMA (x86-64-v3).
#include "methods/common/kernels/rows.hpp"

#pragma GCC target("arch=x86-64-v3")
#define OCB_ROWS_BUILD avx2
#define OCB_ROWS_LANES 8
#include "methods/common/kernels/rows_impl.inc"

// The row loops of rows.hpp built for baseline x86-64 (SSE2; fused multiply-adds come from libm).
#include "methods/common/kernels/rows.hpp"

#define OCB_ROWS_BUILD baseline
#define OCB_ROWS_LANES 1
#include "methods/common/kernels/rows_impl.inc"

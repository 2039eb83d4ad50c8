// Builds a hot loop for AVX-512, AVX2 and baseline x86-64 and picks one at run
// time (GCC target_clones). Same binary and CPU -> same clone -> same results.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define OCB_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define OCB_CLONES
#endif

// Process-wide runtime settings. Thread budgets for the libraries that spawn
// their own threads: OpenBLAS left at its default runs one BLAS thread per
// core and fights the caller for the cores (PERF-NOTES.md), so every process
// pins it. And the allocator: see tune_allocator().
#pragma once

#include <string>

namespace ocb::core {

// Sets OpenBLAS's thread count if OpenBLAS is the loaded BLAS; returns whether it was.
bool set_blas_threads(int threads);
// Keeps freed heap memory in the process instead of returning it to the
// kernel after every large free. Methods allocate and free hundreds of MB per
// grid point (LIBSVM's kernel cache, activations); on the VMs measured here a
// page fault costs ~10 µs per 4 KiB, and re-faulting that memory each time
// made OC-SVM's 20 fits 40 % slower. Blocks up to 32 MiB come from the heap
// on every thread, not from mmap (a cell running on a worker thread was 3x
// slower for it). Call once, before threads start.
void tune_allocator();

// What every ocbench program does first, in this order: pins the libraries'
// CPU kernel families (core/numerics.hpp; may re-execute the program, so
// nothing may come before it), sets one BLAS thread (a command that wants more
// asks later) and tunes the allocator. ocbench, ocb_bench and
// ocb_profile_step all start with it, so the benchmarks time what a run does:
// without the BLAS pin, OpenBLAS's second thread spun in sched_yield between
// the encoder's matrix products (a third of the benchmark's CPU samples).
void start_process(int argc, char** argv, bool native_kernels);

// "OpenBLAS 0.3.21 ..." from openblas_get_config(), or "unknown".
std::string blas_config();

}  // namespace ocb::core

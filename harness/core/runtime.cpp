// Finds OpenBLAS's thread controls at run time (dlsym), so nothing links
// against a particular BLAS build; glibc allocator settings.
#include "harness/core/runtime.hpp"

#include <dlfcn.h>
#include <malloc.h>

#include "harness/core/numerics.hpp"

namespace ocb::core {

bool set_blas_threads(int threads) {
  using SetFn = void (*)(int);
  auto fn = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (!fn) return false;
  fn(threads);
  return true;
}

void tune_allocator() {
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 256 << 20);
  // Setting either option above freezes glibc's mmap threshold at 128 KiB.
  // Threads other than the main one allocate from their own arenas, which
  // then serve every block over 128 KiB with a fresh mmap and unmap it on
  // free: a cell on a worker thread re-faulted its activations on every
  // batch (DASVDD on MNIST: 3.4 s an epoch there against 1.0 s on the main
  // thread). 32 MiB is the largest value glibc accepts.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

void start_process(int argc, char** argv, bool native_kernels) {
  pin_cpu_numerics(argc, argv, native_kernels);
  set_blas_threads(1);
  tune_allocator();
}

std::string blas_config() {
  using GetFn = char* (*)();
  auto fn = reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  return fn ? std::string(fn()) : std::string("unknown");
}

}  // namespace ocb::core

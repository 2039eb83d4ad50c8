// Finds OpenBLAS's thread controls at run time (dlsym), so nothing links
// against a particular BLAS build; glibc allocator settings.
#include "harness/core/runtime.hpp"

#include <dlfcn.h>
#include <malloc.h>

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
}

std::string blas_config() {
  using GetFn = char* (*)();
  auto fn = reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  return fn ? std::string(fn()) : std::string("unknown");
}

}  // namespace ocb::core

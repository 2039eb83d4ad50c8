// std::vector for arrays of tens to hundreds of MB (distance and kernel
// matrices). Large blocks are mapped with MAP_POPULATE, which faults all pages
// in one call: on the VMs measured here first-touch page faults cost ~10 µs
// per 4 KiB page, and populating a 600 MB block took 0.5 s against 2.0 s when
// touched page by page. Elements are default-initialised (no zero pass), as
// every user overwrites them.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace ocb::methods {

template <class T>
struct PrefaultAllocator {
  using value_type = T;
  static constexpr std::size_t kMapped = std::size_t{32} << 20;  // blocks from 32 MiB on are mapped

  PrefaultAllocator() = default;
  template <class U>
  PrefaultAllocator(const PrefaultAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMapped) {
      if (void* p = std::malloc(bytes ? bytes : 1)) return static_cast<T*>(p);
      throw std::bad_alloc();
    }
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMapped) std::free(p);
    else ::munmap(p, bytes);
  }
  // Default-initialise instead of value-initialise: no zero-fill pass.
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  bool operator==(const PrefaultAllocator<U>&) const noexcept {
    return true;
  }
};

template <class T>
using BigVector = std::vector<T, PrefaultAllocator<T>>;

}  // namespace ocb::methods

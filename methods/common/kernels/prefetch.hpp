// Software prefetch of a short range: the kernels that walk one channel
// across the batch read planes a whole sample apart (tens of KB, a new page
// each time), where the hardware's stride prefetchers stop; they ask for
// the next planes while they work on these. A hint only: no result changes.
#pragma once

#include <cstdint>

namespace ocb::methods::kernels {

// The cache lines of [p, p + bytes), for reading.
inline void prefetch_bytes(const void* p, std::int64_t bytes) {
  if (bytes <= 0) return;
  const char* c = static_cast<const char*>(p);
  for (std::int64_t b = 0; b < bytes; b += 64) __builtin_prefetch(c + b);
  __builtin_prefetch(c + bytes - 1);
}

}  // namespace ocb::methods::kernels

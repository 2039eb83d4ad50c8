// The entry point of one libFuzzer executable: the target named by
// OCB_FUZZ_NAME at compile time.
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ocb::fuzz::Target target = [] {
    auto t = ocb::fuzz::find_target(OCB_FUZZ_NAME);
    if (!t) {
      std::fprintf(stderr, "no fuzz target named %s\n", OCB_FUZZ_NAME);
      std::abort();
    }
    return t;
  }();
  return target(data, size);
}

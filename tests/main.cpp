// Catch2 v2 main for ocb_tests: the process starts as the ocbench binary does
// (harness/core/runtime.hpp: kernel families, one BLAS thread, allocator), so
// that a test sees the numerics a run has.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "harness/core/runtime.hpp"

int main(int argc, char** argv) {
  ocb::core::start_process(argc, argv, false);
  return Catch::Session().run(argc, argv);
}

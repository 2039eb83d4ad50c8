// Catch2 v2 main for ocb_tests: the libraries' kernel families are pinned as in
// the ocbench binary (harness/core/numerics.hpp), so that a test sees the
// numerics a run has.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "harness/core/numerics.hpp"

int main(int argc, char** argv) {
  ocb::core::pin_cpu_numerics(argc, argv, false);
  return Catch::Session().run(argc, argv);
}
